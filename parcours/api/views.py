"""The newcomer-list API: communes (or their population software, with an agent's token) send their
lists; agents read their own lists back, the path coordination reads all of them.

Access:

* **send** (``POST``): commune agents, for their own communes (another commune: **403**), and
  administrators; every other role 403;
* **read**: commune agents (their communes' lists; another commune's list answers **404**, like a
  missing one), path coordinators (``user.can_coordinate_path``) and administrators (every list); a
  coordinator without the path right, counsellors: 403.

Every 400 of a submission carries ``erreurs``: the French messages, one a line, ready to show to the
person who sent the list (``Ligne 2, colonne « Numéro national » : …``); faulty rows are also detailed
in ``lignes``. Nothing is stored unless every row is valid.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings

from cai.api_auth import ApiViewMixin

from .. import list_selectors, list_services
from ..list_files import COLUMN_LABELS, MAX_FILE_BYTES, ListFileError, parse_list_file
from ..list_validation import error_lines
from ..models import ListSource
from .serializers import (
    NewcomerListCoordinationDetailSerializer,
    NewcomerListCoordinationSerializer,
    NewcomerListDetailSerializer,
    NewcomerListErrorsSerializer,
    NewcomerListFileSerializer,
    NewcomerListJsonSerializer,
    NewcomerListSerializer,
    NewcomerListSubmittedSerializer,
)

# A request body above this is refused before it is read: the largest file allowed plus the form fields,
# or the largest JSON accepted (Django's own limit, which DRF's JSON parser does not apply).
MAX_BODY_BYTES = max(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, MAX_FILE_BYTES + 64 * 1024)

INPUT_LABELS = {
    "commune": _("Commune"),
    "period_start": _("Début de la période"),
    "period_end": _("Fin de la période"),
    "rows": _("Lignes"),
    "file": _("Fichier"),
}


class NewcomerListPermission(BasePermission):
    """Which roles may send lists, and which may read them (see the module docstring)."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if getattr(view, "action", None) == "create":
            self.message = _("Seuls les agents communaux transmettent les listes de leur commune.")
            return user.is_commune_agent or user.is_administrator
        self.message = _(
            "Les listes communales sont réservées aux communes et à la coordination du parcours."
        )
        return user.is_commune_agent or user.can_coordinate_path or user.is_administrator


def reads_as_coordination(user) -> bool:
    return bool(user and user.is_authenticated and not user.is_commune_agent)


# --- Documentation -----------------------------------------------------------------------------------

ROW_EXAMPLE = {
    "last_name": "HADDAD",
    "first_name": "Yara",
    "birth_date": "30/07/1985",
    "sex": "M",
    "nationality": "Syrie",
    "national_number": "85.07.30-033.28",
    "street": "Rue de Fer",
    "house_number": "12",
    "postal_code": "5000",
    "locality": "Namur",
    "registration_date": "03/02/2026",
    "residence_card": "B",
    "residence_ordered_on": "15/01/2026",
    "language": "arabe",
    "phone": "+32 470 12 34 56",
    "email": "",
}
SUBMITTED_EXAMPLE = {
    "id": 42,
    "commune": {"id": 20, "nis_code": "92094", "name": "Namur"},
    "period_start": "2026-01-01",
    "period_end": "2026-01-31",
    "source": "api",
    "status": "submitted",
    "file_name": "",
    "submitted_at": "2026-02-03T09:15:00+01:00",
    "row_count": 1,
}
SUMMARY_RESPONSE = PolymorphicProxySerializer(
    component_name="NewcomerListSummary",
    serializers=[NewcomerListSerializer, NewcomerListCoordinationSerializer],
    resource_type_field_name=None,
)
DETAIL_RESPONSE = PolymorphicProxySerializer(
    component_name="NewcomerListDetailed",
    serializers=[NewcomerListDetailSerializer, NewcomerListCoordinationDetailSerializer],
    resource_type_field_name=None,
)


@extend_schema_view(
    list=extend_schema(
        summary=_("Listes communales transmises"),
        description=_(
            "Agent communal : les listes de ses communes. Coordination du parcours et administration : toutes "
            "les listes, avec l'état du rapprochement (lignes à traiter, rattachées, nouveaux dossiers)."
        ),
        responses={200: SUMMARY_RESPONSE, 403: OpenApiResponse(description=_("Rôle sans accès aux listes."))},
    ),
    retrieve=extend_schema(
        summary=_("Une liste communale et ses lignes"),
        description=_(
            "Agent communal : pour chaque ligne, le nom, la date de naissance et si la personne s'est "
            "présentée à un bureau (`came`), rien d'autre. Coordination du parcours : aussi le statut "
            "pressenti et l'état du rapprochement. La liste d'une autre commune répond 404."
        ),
        responses={
            200: DETAIL_RESPONSE,
            404: OpenApiResponse(description=_("Liste inconnue ou hors de vos communes.")),
        },
    ),
    create=extend_schema(
        summary=_("Transmettre une liste de primo-arrivants"),
        description=_(
            "En JSON (`rows` : une personne par objet, clés du modèle de liste, valeurs en texte) ou en "
            "multipart/form-data (`file` : CSV ou XLSX du modèle). `commune` : code INS ou identifiant. "
            "Tout ou rien : si une ligne est fautive, rien n'est enregistré et la réponse 400 nomme chaque "
            "ligne et colonne dans `erreurs`. Renvoyer la même liste répond 200 avec `deja_transmise` "
            "sans rien ajouter. 5000 lignes au plus par envoi."
        ),
        request={
            "application/json": NewcomerListJsonSerializer,
            "multipart/form-data": NewcomerListFileSerializer,
        },
        responses={
            201: OpenApiResponse(NewcomerListSubmittedSerializer, description=_("Liste enregistrée.")),
            200: OpenApiResponse(
                NewcomerListSubmittedSerializer, description=_("Liste déjà reçue : rien n'a été ajouté.")
            ),
            400: OpenApiResponse(
                NewcomerListErrorsSerializer, description=_("Liste refusée : rien n'a été enregistré.")
            ),
            403: OpenApiResponse(
                description=_("Commune qui n'est pas la vôtre, ou rôle qui ne transmet pas de liste.")
            ),
        },
        examples=[
            OpenApiExample(
                "Liste en JSON",
                value={
                    "commune": "92094",
                    "period_start": "2026-01-01",
                    "period_end": "2026-01-31",
                    "rows": [ROW_EXAMPLE],
                },
                request_only=True,
                media_type="application/json",
            ),
            OpenApiExample(
                "Liste enregistrée",
                value={**SUBMITTED_EXAMPLE, "deja_transmise": False},
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "Liste déjà reçue",
                value={**SUBMITTED_EXAMPLE, "deja_transmise": True},
                response_only=True,
                status_codes=["200"],
            ),
            OpenApiExample(
                "Ligne fautive",
                value={
                    "erreurs": [
                        "Ligne 2, colonne « Numéro national » : Ce numéro national ou BIS n'est pas valide (chiffres de contrôle incorrects)."
                    ],
                    "lignes": [
                        {
                            "ligne": 2,
                            "erreurs": {
                                "national_number": "Ce numéro national ou BIS n'est pas valide (chiffres de contrôle incorrects)."
                            },
                            "avertissements": {},
                        }
                    ],
                },
                response_only=True,
                status_codes=["400"],
            ),
            OpenApiExample(
                "Fichier illisible",
                value={
                    "erreurs": [
                        "Format non reconnu : envoyez un fichier CSV ou XLSX (modèle téléchargeable)."
                    ],
                    "file": ["Format non reconnu : envoyez un fichier CSV ou XLSX (modèle téléchargeable)."],
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    ),
)
class NewcomerListViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Newcomer lists of the communes: send one, read them back (see the module docstring)."""

    permission_classes = [IsAuthenticated, NewcomerListPermission]
    parser_classes = [JSONParser, MultiPartParser]
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_fields = ["commune", "status", "source"]
    ordering_fields = ["submitted_at", "period_start", "period_end"]
    ordering = ["-submitted_at", "-id"]

    def get_queryset(self):
        # The counts make a GROUP BY query, which drops Meta.ordering: OrderingFilter applies ``ordering``.
        return list_selectors.list_queryset(user=self.request.user)

    def get_serializer_class(self):
        coordination = reads_as_coordination(getattr(self.request, "user", None))
        if self.action == "retrieve":
            return NewcomerListCoordinationDetailSerializer if coordination else NewcomerListDetailSerializer
        return NewcomerListCoordinationSerializer if coordination else NewcomerListSerializer

    def get_object(self):
        newcomer_list = super().get_object()
        if reads_as_coordination(self.request.user):
            rows = list_selectors.rows_for_reconciliation(newcomer_list=newcomer_list)
        else:
            rows = list_selectors.rows_for_agent(newcomer_list=newcomer_list)
        newcomer_list.row_list = list(rows)
        return newcomer_list

    def create(self, request, *args, **kwargs):
        if _body_size(request) > MAX_BODY_BYTES:
            message = gettext("L'envoi dépasse %(max)s Mo : scindez la liste en plusieurs envois.") % {
                "max": MAX_BODY_BYTES // (1024 * 1024)
            }
            return _refused([message])
        try:
            data = request.data
        except exceptions.ParseError:
            return _refused([gettext("Le contenu envoyé n'est pas du JSON valide.")])
        multipart = (request.content_type or "").startswith("multipart/")
        serializer = (NewcomerListFileSerializer if multipart else NewcomerListJsonSerializer)(data=data)
        if not serializer.is_valid():
            return _refused(_input_error_lines(serializer.errors), fields=serializer.errors)
        values = serializer.validated_data
        if multipart:
            upload = values["file"]
            try:
                rows = parse_list_file(upload.name or "", upload.read()).rows
            except ListFileError as error:
                return _refused([str(error)], fields={"file": [str(error)]})
            file_name = upload.name or ""
        else:
            rows, file_name = values["rows"], ""
        try:
            newcomer_list, created = list_services.newcomer_list_submit(
                actor=request.user,
                commune=values["commune"],
                period_start=values["period_start"],
                period_end=values["period_end"],
                rows=rows,
                source=ListSource.API,
                file_name=file_name,
            )
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error) or None) from error
        except list_services.ListRejected as error:
            return _rejected(error)
        newcomer_list.deja_transmise = not created
        return Response(
            NewcomerListSubmittedSerializer(newcomer_list).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


def _body_size(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _refused(lines: list[str], *, fields: dict | None = None) -> Response:
    return Response(
        {**(fields or {}), "erreurs": [str(line) for line in lines]}, status=status.HTTP_400_BAD_REQUEST
    )


def _rejected(error: list_services.ListRejected) -> Response:
    """The service refused the list: faulty rows (named by line and column), or a bad period."""
    if error.results:
        faulty = [result for result in error.results if result.errors]
        return Response(
            {
                "erreurs": error_lines(error.results),
                "lignes": [
                    {"ligne": result.number, "erreurs": result.errors, "avertissements": result.warnings}
                    for result in faulty
                ],
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    fields = {field: [str(message)] for field, message in error.errors.items()}
    return _refused(_input_error_lines(fields), fields=fields)


def _input_error_lines(errors: dict) -> list[str]:
    """Serializer errors as French lines: "Fin de la période : …", or "Ligne 3, colonne « Sexe » : …"
    for a cell of ``rows`` (the same wording as the service's row errors)."""
    lines = []
    for field, detail in errors.items():
        per_row = _per_row(detail) if field == "rows" else None
        if per_row is not None:
            for number, row_errors in per_row:
                for column, messages in row_errors.items():
                    for message in _messages(messages):
                        if column == api_settings.NON_FIELD_ERRORS_KEY:
                            lines.append(
                                gettext("Ligne %(line)s : %(message)s") % {"line": number, "message": message}
                            )
                        else:
                            lines.append(
                                gettext("Ligne %(line)s, colonne « %(column)s » : %(message)s")
                                % {
                                    "line": number,
                                    "column": COLUMN_LABELS.get(column, column),
                                    "message": message,
                                }
                            )
            continue
        label = INPUT_LABELS.get(field)
        for message in _messages(detail):
            lines.append(f"{label} : {message}" if label else str(message))
    return lines


def _per_row(detail) -> list[tuple[int, dict]] | None:
    """The errors of ``rows`` per row (1-based), or None when they are about the list as a whole. DRF gives
    them as a dict keyed by 0-based index (a list of dicts in older versions)."""
    if isinstance(detail, dict) and detail and all(isinstance(key, int) for key in detail):
        return [(index + 1, errors) for index, errors in sorted(detail.items())]
    if isinstance(detail, list) and detail and all(isinstance(item, dict) for item in detail):
        return [(index + 1, errors) for index, errors in enumerate(detail) if errors]
    return None


def _messages(detail) -> list[str]:
    """The messages of a DRF error detail, however nested."""
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _messages(value)]
    if isinstance(detail, list | tuple):
        return [message for value in detail for message in _messages(value)]
    return [str(detail)]
