"""The report API: request a version of a year's report, follow it, download its PDF.

* ``POST /api/reports/`` ``{"year": 2025}`` → **202** ``{"id", "status": "pending"}`` and a ``Location``
  header (the job is built by a worker); **503** with a French message when the job queue cannot be
  reached (the version is then recorded as failed); **400** for a bad year.
* ``GET /api/reports/`` (versions, filtered by ``year`` and ``status``) and ``GET /api/reports/{id}/``
  (state, progress, step, error, version, year, pages, fingerprint).
* ``GET /api/reports/{id}/pdf/`` → the PDF; **404** until the version is done.

The director and administrators only: other roles get **403**, a caller without credentials **401**.
"""

import json

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from cai.api_auth import ApiViewMixin, service_errors

from .. import job_selectors, services
from ..filters import ReportJobFilter
from ..models import JobStatus
from .serializers import (
    ErrorSerializer,
    ReportAcceptedSerializer,
    ReportJobSerializer,
    ReportRequestSerializer,
)

NOT_READY = _("Le PDF n'est disponible qu'une fois la génération terminée.")


class ReportPermission(BasePermission):
    message = _("Seules la direction et l'administration peuvent générer et télécharger le rapport.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and services.can_request_report(user))


class PdfRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``. The PDF itself is a ``FileResponse``; only the
    errors (403, 404) go through a renderer, and they are JSON whatever was asked."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")


@extend_schema_view(
    list=extend_schema(summary=_("Versions du rapport d'activités"), tags=["reports"]),
    retrieve=extend_schema(
        summary=_("État d'une version"),
        tags=["reports"],
        responses={
            200: ReportJobSerializer,
            404: OpenApiResponse(ErrorSerializer, description=_("Version inconnue.")),
        },
    ),
)
class ReportJobViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Les versions du rapport d'activités (réservé à la direction et à l'administration) : état,
    progression, étape, erreur, nombre de pages et empreinte des chiffres."""

    permission_classes = [ReportPermission]
    serializer_class = ReportJobSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReportJobFilter

    def get_queryset(self):
        return job_selectors.job_list()

    @extend_schema(
        summary=_("Demander une version du rapport"),
        description=_(
            "Enregistre une nouvelle version du rapport de l'année et la met en file d'attente. "
            "Suivez-la ensuite à l'adresse donnée par l'en-tête `Location`."
        ),
        request=ReportRequestSerializer,
        responses={
            202: OpenApiResponse(ReportAcceptedSerializer, description=_("Demande acceptée.")),
            400: OpenApiResponse(description=_("Année invalide.")),
            403: OpenApiResponse(ErrorSerializer, description=_("Rôle sans accès au rapport.")),
            503: OpenApiResponse(ErrorSerializer, description=_("File d'attente indisponible.")),
        },
        examples=[
            OpenApiExample("Demande", value={"year": 2025}, request_only=True),
            OpenApiExample(
                "Acceptée", value={"id": 12, "status": "pending"}, response_only=True, status_codes=["202"]
            ),
        ],
        tags=["reports"],
    )
    def create(self, request):
        serializer = ReportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            with service_errors():
                job = services.report_request(actor=request.user, year=serializer.validated_data["year"])
        except services.ReportQueueUnavailable as error:
            return Response({"detail": str(error)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        location = reverse("api-report-detail", args=[job.pk])
        return Response(
            ReportAcceptedSerializer({"id": job.pk, "status": job.status}).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": request.build_absolute_uri(location)},
        )

    @extend_schema(
        summary=_("PDF d'une version"),
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(ErrorSerializer, description=_("Version inconnue ou pas encore terminée.")),
        },
        tags=["reports"],
    )
    @action(detail=True, methods=["get"], url_path="pdf", renderer_classes=[JSONRenderer, PdfRenderer])
    def pdf(self, request, pk=None):
        job = job_selectors.get_job(pk=pk)
        if job.status != JobStatus.DONE or not job.pdf:
            raise Http404(NOT_READY)
        try:
            handle = job.pdf.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404(NOT_READY) from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"rapport-activites-{job.year}-v{job.version}.pdf",
            content_type="application/pdf",
        )
        response["Cache-Control"] = "no-store"
        return response
