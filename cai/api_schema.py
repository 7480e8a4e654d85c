"""How the OpenAPI schema describes what every endpoint may answer, not only its success.

drf-spectacular documents the success of each operation (200, 201, 204). An API client also meets the
refusals DRF gives on every endpoint: 401 without credentials, 403 for a role without access, 404 for an
object out of scope or missing (and a page past the end of a list), 400 for invalid input or filters.
``AutoSchema`` adds them, with their bodies, wherever an operation does not document them itself (and
adds the body where a view documents one with a description only), so that a client (and the fuzz tests, ``tests/cai/test_api_fuzz.py``) can rely on the schema for every answer.

``postprocess`` fixes two shapes drf-spectacular gets wrong for this API (a ``POSTPROCESSING_HOOKS`` entry).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

ERROR = inline_serializer(
    "ApiError",
    fields={"detail": serializers.CharField(help_text=_("Le motif, en français."))},
)
# Messages keyed by field (``non_field_errors`` for the rest); nested serializers nest the same way.
INVALID = OpenApiTypes.OBJECT

WRITE_METHODS = ("POST", "PUT", "PATCH")


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema plus the refusals every endpoint may answer (see the module docstring)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in self._refusals().items():
            default = self._get_response_for_code(response, code, direction=direction)
            if code not in responses:
                responses[code] = default
            elif "content" not in responses[code]:
                # Documented by the view with a description only: the body is still DRF's JSON error.
                responses[code]["content"] = default["content"]
        return responses

    def _refusals(self) -> dict:
        refusals = {}
        if self.method in WRITE_METHODS or self._is_list_view():
            refusals["400"] = OpenApiResponse(
                INVALID, description=_("Données ou filtres invalides : les messages sont donnés par champ.")
            )
        if not all(permission is AllowAny for permission in self.view.permission_classes):
            refusals["401"] = OpenApiResponse(ERROR, description=_("Identification requise."))
            refusals["403"] = OpenApiResponse(ERROR, description=_("Rôle sans accès à cette opération."))
        if "{" in self.path or self._is_list_view():
            refusals["404"] = OpenApiResponse(
                ERROR,
                description=_("Objet inconnu ou hors de votre périmètre, ou page de liste inexistante."),
            )
        return refusals


TIME_PATTERN = r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def postprocess(result, generator, request, public):
    """Two corrections of drf-spectacular's output:

    - a ``TimeField`` is a wall-clock time without offset (``09:00:00``, Brussels time): JSON Schema's
      ``format: time`` demands an offset (RFC 3339 ``full-time``), so describe it with a pattern;
    - a ``PolymorphicProxySerializer`` without a type field gives ``oneOf``, but our variants extend one
      another (the coordination's view of a list adds fields to the commune's): an answer of the larger
      shape matches both, which ``oneOf`` forbids. ``anyOf`` says what the API does.
    """
    for node in _walk(result):
        if node.get("type") == "string" and node.get("format") == "time":
            del node["format"]
            node["pattern"] = TIME_PATTERN
        if "oneOf" in node and "discriminator" not in node:
            node["anyOf"] = node.pop("oneOf")
    return result
