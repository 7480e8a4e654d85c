"""The accompagnement API: thin viewsets over the selectors (reads) and the services (writes).

Access rule, the same on every person-file endpoint (people, appointments):

* the **role** decides whether the endpoint is open at all: counsellors and administrators read and
  write, the director reads only (403 on writes), coordinators and commune agents get **403** on
  everything (they see no individual file, whatever its id: the answer reveals nothing);
* the **gate** (``Person.objects.visible_to`` through the selectors) decides which files: a file of
  another office answers **404**, exactly like a missing one.

Reference data (offices, communes, request types) is read-only and open to every staff role; commune
agents see only their own communes and nothing else (403). A caller without valid credentials gets 401
everywhere (never a redirect to the sign-in page).
"""

from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from cai.api_auth import ApiViewMixin, service_errors

from .. import selectors, services
from ..filters import AppointmentFilter, PersonFilter
from ..models import Commune, Person, RequestType
from .serializers import (
    AppointmentSerializer,
    CommuneSerializer,
    OfficeSerializer,
    PersonSearchSerializer,
    PersonSerializer,
    RequestTypeSerializer,
)


class PersonFilePermission(BasePermission):
    """Which roles may use the person-file endpoints, and for what (see the module docstring)."""

    read_actions = frozenset({"list", "retrieve", "search"})

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if user.is_counsellor or user.is_administrator:
            return True
        if user.is_director:
            if request.method in SAFE_METHODS or getattr(view, "action", None) in self.read_actions:
                return True
            self.message = _("La direction consulte les dossiers mais ne les modifie pas.")
            return False
        self.message = _("Votre rôle ne donne pas accès aux dossiers individuels.")
        return False


class StaffRolePermission(BasePermission):
    """Reference data is for the centre's staff; commune agents only have their own communes."""

    message = _("Ces données sont réservées à l'équipe du centre.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and not user.is_commune_agent)


# How the access logs name the API's bulk reads of files (full records: an export of personal data).
API_LIST_EXPORT = "API : liste des personnes"
API_SEARCH_EXPORT = "API : recherche de personnes"


@extend_schema(
    description=_(
        "Dossiers des personnes suivies que vous pouvez consulter (vos bureaux ; tous pour la direction et "
        "l'administration). Pas de suppression : un dossier se fusionne ou s'anonymise. Aucun filtre ne prend "
        "de numéro national : cherchez avec POST /api/people/search/."
    )
)
class PersonViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """People files. No delete: a file is merged or anonymised, never deleted.

    No filter takes a national register number (numbers never travel in a URL): search with
    ``POST /api/people/search/``.
    """

    serializer_class = PersonSerializer
    permission_classes = [IsAuthenticated, PersonFilePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = PersonFilter

    def get_queryset(self):
        return (
            selectors.person_list(user=self.request.user)
            .select_related("interpreter_language")
            .prefetch_related("languages")
            # The selector's aggregate (last appointment) makes a GROUP BY query, which drops Meta.ordering:
            # pages need a stable order.
            .order_by(*Person._meta.ordering)
        )

    def retrieve(self, request, *args, **kwargs):
        """A file read through the API is an opening like on the page: one ACCESS row in the audit log."""
        person = self.get_object()
        services.person_access_record(actor=request.user, person=person, api=True)
        return Response(self.get_serializer(person).data)

    def list(self, request, *args, **kwargs):
        """Each page of people served is an export of personal data: one audit row naming its files."""
        response = super().list(request, *args, **kwargs)
        data = response.data
        rows = data.get("results", []) if isinstance(data, dict) else data
        if rows:
            services.person_export_record(
                actor=request.user, export=API_LIST_EXPORT, people_ids=[row["id"] for row in rows]
            )
        return response

    def perform_create(self, serializer):
        with service_errors():
            person = services.person_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = get_object_or_404(self.get_queryset(), pk=person.pk)

    def perform_update(self, serializer):
        with service_errors():
            person = services.person_update(
                actor=self.request.user, person=serializer.instance, **serializer.validated_data
            )
        serializer.instance = get_object_or_404(self.get_queryset(), pk=person.pk)

    @extend_schema(
        summary=_("Rechercher une personne"),
        description=_(
            "Par nom (fautes, accents et inversion tolérés), date de naissance (jj/mm/aaaa) ou numéro "
            "national / BIS. En POST pour qu'un numéro ne figure jamais dans une URL. 50 résultats au plus."
        ),
        request=PersonSearchSerializer,
        responses=PersonSerializer(many=True),
        filters=False,
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def search(self, request):
        query = PersonSearchSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        people = list(selectors.person_search(user=request.user, query=query.validated_data["q"]))
        prefetch_related_objects(people, "languages", "interpreter_language")
        if people:
            services.person_export_record(
                actor=request.user, export=API_SEARCH_EXPORT, people_ids=[person.pk for person in people]
            )
        return Response(self.get_serializer(people, many=True).data)


@extend_schema(
    description=_(
        "Rendez-vous des personnes que vous pouvez consulter. `request_types` : liste de codes. "
        "`confidential_notes` n'est présent et modifiable que pour les accompagnateur·rice·s du bureau de la personne."
    )
)
class AppointmentViewSet(ApiViewMixin, viewsets.ModelViewSet):
    """Appointments of the people the caller may see. ``request_types`` is a list of codes;
    ``confidential_notes`` is only shown to, and only written by, the counsellors of the person's office."""

    serializer_class = AppointmentSerializer
    permission_classes = [IsAuthenticated, PersonFilePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = AppointmentFilter

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # can_read_confidential_notes looks at the caller's offices once per appointment: load them once.
        prefetch_related_objects([request.user], "offices")

    def get_queryset(self):
        return selectors.appointment_list(user=self.request.user)

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        request_types = fields.pop("request_types")
        with service_errors():
            appointment = services.appointment_create(
                actor=self.request.user, request_types=request_types, **fields
            )
        serializer.instance = get_object_or_404(self.get_queryset(), pk=appointment.pk)

    def perform_update(self, serializer):
        fields = dict(serializer.validated_data)
        request_types = fields.pop("request_types", None)
        with service_errors():
            appointment = services.appointment_update(
                actor=self.request.user,
                appointment=serializer.instance,
                request_types=request_types,
                **fields,
            )
        serializer.instance = get_object_or_404(self.get_queryset(), pk=appointment.pk)

    def perform_destroy(self, instance):
        with service_errors():
            services.appointment_delete(actor=self.request.user, appointment=instance)


@extend_schema(description=_("Bureaux d'accueil, avec les communes desservies et les règles de permanence."))
class OfficeViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Reception offices with the communes they serve and their permanence rules."""

    serializer_class = OfficeSerializer
    permission_classes = [IsAuthenticated, StaffRolePermission]
    filter_backends = []

    def get_queryset(self):
        return selectors.offices_with_schedules()


@extend_schema(
    description=_("Communes du territoire et leurs codes postaux (pour un agent communal : ses communes).")
)
class CommuneViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Communes of the territory with their postal codes: all of them for the staff, their own for a
    commune agent."""

    serializer_class = CommuneSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["office", "arrondissement"]

    def get_queryset(self):
        user = self.request.user
        communes = Commune.objects.prefetch_related("postal_codes")
        if not (user.is_authenticated and user.is_active):
            return communes.none()
        if user.is_commune_agent:
            return communes.filter(agents=user)
        return communes


@extend_schema(description=_("Types de demande d'un rendez-vous, désignés par leur code."))
class RequestTypeViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """The request types an appointment records, addressed by their code."""

    serializer_class = RequestTypeSerializer
    permission_classes = [IsAuthenticated, StaffRolePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["active"]
    lookup_field = "code"
    queryset = RequestType.objects.all()
