"""The partner network's API: thin viewsets over the selectors (reads) and the services (writes).

Access (issue 5 §7): coordinators, the director and administrators read and write every endpoint;
counsellors read ``/api/operators/`` and ``/api/offers/`` only (active operators and their current
offer), and get 403 on writes and on every other endpoint; commune agents get 403 everywhere. A caller
without valid credentials gets 401. Nothing is deleted through the API: an operator is deactivated,
other records are corrected.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from cai.api_auth import ApiViewMixin, service_errors

from .. import selectors, services
from ..access import reads_offer, works_on_network
from ..filters import (
    AcronymFilter,
    AwarenessActionFilter,
    GovernanceMeetingFilter,
    GroupFilter,
    InterpellationFilter,
    MeetingFilter,
    OfferFilter,
    OperatorFilter,
    StaffMemberFilter,
    SupportActionFilter,
)
from . import serializers


class NetworkPermission(BasePermission):
    """The network staff on every endpoint; counsellors read where the view says ``counsellors_read``."""

    def has_permission(self, request, view):
        user = request.user
        if works_on_network(user):
            return True
        if getattr(view, "counsellors_read", False) and reads_offer(user):
            if request.method in SAFE_METHODS:
                return True
            self.message = _("Les accompagnateur·rice·s consultent l'offre des opérateurs sans la modifier.")
            return False
        self.message = _("Votre rôle ne donne pas accès au réseau des partenaires.")
        return False


class NetworkViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create, update (no delete). Subclasses name the ``selector`` (the gate), the
    ``create_service`` and ``update_service``, and ``instance_kwarg`` (the record's argument of the
    update service). ``children`` are the nested lists handed to the services as lists of dicts."""

    permission_classes = [IsAuthenticated, NetworkPermission]
    filter_backends = [DjangoFilterBackend]
    counsellors_read = False
    selector = None
    create_service = None
    update_service = None
    instance_kwarg = ""
    children = ()

    def get_queryset(self):
        return type(self).selector(user=self.request.user)

    def service_fields(self, serializer) -> dict:
        fields = dict(serializer.validated_data)
        for name in self.children:
            if name in fields:
                fields[name] = [dict(item) for item in fields[name]]
        return fields

    def perform_create(self, serializer):
        with service_errors():
            saved = type(self).create_service(actor=self.request.user, **self.service_fields(serializer))
        serializer.instance = get_object_or_404(self.get_queryset(), pk=saved.pk)

    def perform_update(self, serializer):
        fields = self.service_fields(serializer)
        with service_errors():
            saved = type(self).update_service(
                actor=self.request.user, **{self.instance_kwarg: serializer.instance}, **fields
            )
        serializer.instance = get_object_or_404(self.get_queryset(), pk=saved.pk)


@extend_schema_view(
    list=extend_schema(
        description=_(
            "Le répertoire des opérateurs (ILI, associations, CPAS…) avec leurs contacts. Les "
            "accompagnateur·rice·s lisent les opérateurs actifs ; la coordination, la direction et "
            "l'administration lisent et modifient tout."
        )
    )
)
class OperatorViewSet(NetworkViewSet):
    serializer_class = serializers.OperatorSerializer
    filterset_class = OperatorFilter
    counsellors_read = True
    selector = staticmethod(selectors.operator_list)
    create_service = staticmethod(services.operator_create)
    update_service = staticmethod(services.operator_update)
    instance_kwarg = "operator"
    children = ("contacts",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("contacts")


@extend_schema_view(
    list=extend_schema(
        description=_(
            "L'offre des opérateurs (cours de français, citoyenneté…), filtrable par territoire (bureau), "
            "type, niveau et commune. Les accompagnateur·rice·s lisent l'offre en cours."
        )
    )
)
class OfferViewSet(NetworkViewSet):
    serializer_class = serializers.OfferSerializer
    filterset_class = OfferFilter
    counsellors_read = True
    selector = staticmethod(selectors.offer_list)
    create_service = staticmethod(services.offer_create)
    update_service = staticmethod(services.offer_update)
    instance_kwarg = "offer"

    def service_fields(self, serializer) -> dict:
        fields = super().service_fields(serializer)
        if serializer.instance is not None:
            fields.pop("operator", None)  # fixed at creation (checked by the serializer)
        return fields


class SupportActionViewSet(NetworkViewSet):
    """Support given to operators: advice, subsidy renewal files, visits, collective sessions."""

    serializer_class = serializers.SupportActionSerializer
    filterset_class = SupportActionFilter
    selector = staticmethod(selectors.support_action_list)
    create_service = staticmethod(services.support_action_create)
    update_service = staticmethod(services.support_action_update)
    instance_kwarg = "action"


class GroupViewSet(NetworkViewSet):
    """Platforms, working groups and local coordinations, with their members."""

    serializer_class = serializers.GroupSerializer
    filterset_class = GroupFilter
    selector = staticmethod(selectors.group_list)
    create_service = staticmethod(services.group_create)
    update_service = staticmethod(services.group_update)
    instance_kwarg = "group"
    children = ("members",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("members")


class MeetingViewSet(NetworkViewSet):
    """Meetings of the groups, with attendees and follow-up actions."""

    serializer_class = serializers.MeetingSerializer
    filterset_class = MeetingFilter
    selector = staticmethod(selectors.meeting_list)
    create_service = staticmethod(services.meeting_create)
    update_service = staticmethod(services.meeting_update)
    instance_kwarg = "meeting"
    children = ("attendees", "follow_ups")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("attendees", "follow_ups")

    def service_fields(self, serializer) -> dict:
        fields = super().service_fields(serializer)
        if serializer.instance is not None:
            fields.pop("group", None)  # fixed at creation (checked by the serializer)
        return fields


class AwarenessActionViewSet(NetworkViewSet):
    """Awareness actions and events: conferences, days against racism, forums, broadcasts, publications."""

    serializer_class = serializers.AwarenessActionSerializer
    filterset_class = AwarenessActionFilter
    selector = staticmethod(selectors.awareness_action_list)
    create_service = staticmethod(services.awareness_action_create)
    update_service = staticmethod(services.awareness_action_update)
    instance_kwarg = "action"


class InterpellationViewSet(NetworkViewSet):
    """Open letters, motions, meetings with officials and press releases, by level."""

    serializer_class = serializers.InterpellationSerializer
    filterset_class = InterpellationFilter
    selector = staticmethod(selectors.interpellation_list)
    create_service = staticmethod(services.interpellation_create)
    update_service = staticmethod(services.interpellation_update)
    instance_kwarg = "interpellation"


class GovernanceMeetingViewSet(NetworkViewSet):
    """Meetings of the board, the bureau and the general assembly."""

    serializer_class = serializers.GovernanceMeetingSerializer
    filterset_class = GovernanceMeetingFilter
    selector = staticmethod(selectors.governance_meeting_list)
    create_service = staticmethod(services.governance_meeting_create)
    update_service = staticmethod(services.governance_meeting_update)
    instance_kwarg = "meeting"


class StaffMemberViewSet(NetworkViewSet):
    """The team list (annex of the activity report)."""

    serializer_class = serializers.StaffMemberSerializer
    filterset_class = StaffMemberFilter
    selector = staticmethod(selectors.staff_member_list)
    create_service = staticmethod(services.staff_member_create)
    update_service = staticmethod(services.staff_member_update)
    instance_kwarg = "member"


class AcronymViewSet(NetworkViewSet):
    """The acronym glossary."""

    serializer_class = serializers.AcronymSerializer
    filterset_class = AcronymFilter
    selector = staticmethod(selectors.acronym_list)
    create_service = staticmethod(services.acronym_create)
    update_service = staticmethod(services.acronym_update)
    instance_kwarg = "entry"
