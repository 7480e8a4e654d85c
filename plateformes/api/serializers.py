"""API representations of the partner network. Explicit fields; no logic beyond input checks: the
viewsets hand ``validated_data`` to ``plateformes.services``, which validate the whole change.

Child lists (an operator's ``contacts``, a group's ``members``, a meeting's ``attendees`` and
``follow_ups``) are written with their parent: when given, the list is the complete new list; a row
with an ``id`` updates that row, a row without adds one, and rows left out are removed.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accompagnement.models import Commune, Office
from cai.models import User

from ..models import (
    Acronym,
    AwarenessAction,
    FollowUpAction,
    GovernanceMeeting,
    Group,
    GroupMember,
    Interpellation,
    Meeting,
    MeetingAttendee,
    Offer,
    Operator,
    OperatorContact,
    StaffMember,
    SupportAction,
)
from ..selectors import staff_users

# DRF formats its messages with str.format: {pk_value} is the identifier sent.
UNKNOWN = _("« {pk_value} » n'existe pas.")
UNKNOWN_OPERATOR = _("L'opérateur « {pk_value} » n'existe pas dans le répertoire.")
NOT_AN_ID = _("Indiquez l'identifiant (un nombre) d'un opérateur du répertoire.")
ROW_ID_HELP = _("Pour modifier une ligne existante ; sans identifiant, une ligne est ajoutée.")


def operator_field(**kwargs):
    return serializers.PrimaryKeyRelatedField(
        queryset=Operator.objects.all(),
        error_messages={"does_not_exist": UNKNOWN_OPERATOR, "incorrect_type": NOT_AN_ID},
        **kwargs,
    )


def related_field(queryset, **kwargs):
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset, error_messages={"does_not_exist": UNKNOWN}, **kwargs
    )


def row_id():
    return serializers.IntegerField(label=_("identifiant"), required=False, help_text=ROW_ID_HELP)


class OperatorContactSerializer(serializers.ModelSerializer):
    id = row_id()

    class Meta:
        model = OperatorContact
        fields = ["id", "name", "role", "email", "phone"]


class OperatorSerializer(serializers.ModelSerializer):
    commune = related_field(Commune.objects.all(), label=_("commune"), required=False, allow_null=True)
    territories = related_field(
        Office.objects.all(), many=True, label=_("territoires desservis (bureaux)"), required=False
    )
    contacts = OperatorContactSerializer(many=True, required=False, label=_("contacts"))
    offer_count = serializers.IntegerField(label=_("offres en cours"), read_only=True)

    class Meta:
        model = Operator
        fields = [
            "id",
            "name",
            "kind",
            "recognition",
            "subsidy_status",
            "address",
            "commune",
            "phone",
            "email",
            "website",
            "territories",
            "active",
            "contacts",
            "offer_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "active", "offer_count", "created_at", "updated_at"]
        # Uniqueness is the service's rule (case-insensitive, with a French message on ``name``).
        extra_kwargs = {"name": {"validators": []}}


class OfferSerializer(serializers.ModelSerializer):
    operator = operator_field(label=_("opérateur"), help_text=_("Fixé à la création."))
    operator_name = serializers.CharField(
        source="operator.name", label=_("nom de l'opérateur"), read_only=True
    )
    commune = related_field(Commune.objects.all(), label=_("commune"), required=False, allow_null=True)
    territories = related_field(
        Office.objects.all(), many=True, label=_("territoires (bureaux)"), required=False
    )

    class Meta:
        model = Offer
        fields = [
            "id",
            "operator",
            "operator_name",
            "kind",
            "title",
            "level",
            "citizenship_format",
            "schedule",
            "place",
            "commune",
            "territories",
            "capacity",
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "operator_name", "created_at", "updated_at"]

    def validate_operator(self, operator):
        if self.instance is not None and operator != self.instance.operator:
            raise serializers.ValidationError(_("Une offre reste attachée à son opérateur."))
        return operator


class SupportActionSerializer(serializers.ModelSerializer):
    operator = operator_field(label=_("opérateur"))
    staff = related_field(
        staff_users(),
        label=_("membre de l'équipe"),
        required=False,
        help_text=_("Par défaut : l'utilisateur·rice qui enregistre."),
    )

    class Meta:
        model = SupportAction
        fields = ["id", "operator", "date", "kind", "topic", "staff", "notes", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class GroupMemberSerializer(serializers.ModelSerializer):
    id = row_id()
    operator = operator_field(label=_("opérateur"), required=False, allow_null=True)

    class Meta:
        model = GroupMember
        fields = ["id", "operator", "name", "organisation", "role"]
        validators = []  # "a person or an operator" is the service's rule, with its French message


class GroupSerializer(serializers.ModelSerializer):
    office = related_field(
        Office.objects.all(), label=_("territoire (bureau)"), required=False, allow_null=True
    )
    pilot = related_field(staff_users(), label=_("pilote"), required=False, allow_null=True)
    members = GroupMemberSerializer(many=True, required=False, label=_("membres"))
    member_count = serializers.IntegerField(label=_("nombre de membres"), read_only=True)
    next_meeting_at = serializers.DateTimeField(label=_("prochaine réunion"), read_only=True, allow_null=True)

    class Meta:
        model = Group
        fields = [
            "id",
            "kind",
            "name",
            "theme",
            "office",
            "pilot",
            "status",
            "description",
            "members",
            "member_count",
            "next_meeting_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators = []  # the unique name per kind is the service's rule, with a message on ``name``


class MeetingAttendeeSerializer(serializers.ModelSerializer):
    id = row_id()
    member = related_field(
        GroupMember.objects.all(),
        label=_("membre"),
        required=False,
        allow_null=True,
        help_text=_("Un membre du groupe de la réunion ; vide pour un·e invité·e."),
    )
    operator = operator_field(label=_("organisation (répertoire)"), required=False, allow_null=True)

    class Meta:
        model = MeetingAttendee
        fields = ["id", "member", "name", "operator", "organisation", "is_guest"]
        read_only_fields = ["is_guest"]
        extra_kwargs = {"name": {"required": False, "allow_blank": True}}


class FollowUpActionSerializer(serializers.ModelSerializer):
    id = row_id()

    class Meta:
        model = FollowUpAction
        fields = ["id", "description", "owner", "due_on", "done"]


class MeetingSerializer(serializers.ModelSerializer):
    group = related_field(Group.objects.all(), label=_("groupe"), help_text=_("Fixé à la création."))
    attendees = MeetingAttendeeSerializer(many=True, required=False, label=_("participant·e·s"))
    follow_ups = FollowUpActionSerializer(many=True, required=False, label=_("actions de suivi"))

    class Meta:
        model = Meeting
        fields = [
            "id",
            "group",
            "starts_at",
            "ends_at",
            "online",
            "place",
            "agenda",
            "minutes",
            "decisions",
            "attendees",
            "follow_ups",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators = []  # the end after the start is the service's rule, with a message on ``ends_at``

    def validate_group(self, group):
        if self.instance is not None and group != self.instance.group:
            raise serializers.ValidationError(_("Une réunion reste attachée à son groupe."))
        return group


class AwarenessActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AwarenessAction
        fields = [
            "id",
            "kind",
            "title",
            "date",
            "partners",
            "audience",
            "description",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class InterpellationSerializer(serializers.ModelSerializer):
    commune = related_field(Commune.objects.all(), label=_("commune"), required=False, allow_null=True)

    class Meta:
        model = Interpellation
        fields = [
            "id",
            "kind",
            "date",
            "level",
            "title",
            "co_signatories",
            "commune",
            "outcome",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class GovernanceMeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = GovernanceMeeting
        fields = ["id", "kind", "date", "notes"]
        read_only_fields = ["id"]


class StaffMemberSerializer(serializers.ModelSerializer):
    user = related_field(User.objects.all(), label=_("compte"), required=False, allow_null=True)

    class Meta:
        model = StaffMember
        fields = ["id", "user", "name", "team", "function", "since", "until", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class AcronymSerializer(serializers.ModelSerializer):
    class Meta:
        model = Acronym
        fields = ["id", "acronym", "meaning"]
        read_only_fields = ["id"]
        extra_kwargs = {"acronym": {"validators": []}}
