"""API representations of the trainings app. Explicit fields; no logic beyond input checks: writes go
through ``formations.services`` (called by the viewsets), which also decide the statuses."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from plateformes.models import Operator

from ..forms import staff_users
from ..models import Registration, Trainer, Training, TrainingSession
from ..services import TrainerSpec

UNKNOWN_OPERATOR = _("Cette organisation ne figure pas dans le répertoire des opérateurs.")
OPERATOR_ERRORS = {
    "does_not_exist": UNKNOWN_OPERATOR,
    "incorrect_type": _("Indiquez l'organisation par son numéro dans le répertoire."),
}


def operator_field(label) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        label=label,
        queryset=Operator.objects.all(),
        required=False,
        allow_null=True,
        error_messages=OPERATOR_ERRORS,
    )


class TrainingSerializer(serializers.ModelSerializer):
    on_request_for = operator_field(_("formation à la demande de (opérateur)"))
    sessions_count = serializers.IntegerField(label=_("sessions"), read_only=True)
    next_session_at = serializers.DateTimeField(label=_("prochaine session"), read_only=True, allow_null=True)

    class Meta:
        model = Training
        fields = [
            "id",
            "title",
            "theme",
            "objectives",
            "audience",
            "modules",
            "on_request_for",
            "on_request_for_name",
            "active",
            "sessions_count",
            "next_session_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class TrainerSerializer(serializers.ModelSerializer):
    """A staff member (``user``) or an external speaker (``name``) with their organisation
    (``operator``, from the directory)."""

    user = serializers.PrimaryKeyRelatedField(
        label=_("membre de l'équipe"),
        queryset=staff_users(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Ce membre de l'équipe n'existe pas ou n'est plus actif.")},
    )
    operator = operator_field(_("organisation"))

    class Meta:
        model = Trainer
        fields = ["id", "user", "name", "operator"]
        read_only_fields = ["id"]
        extra_kwargs = {"name": {"required": False}}


class TrainingSessionSerializer(serializers.ModelSerializer):
    """A session with its trainers. ``trainers`` given on an update replaces them. The status changes
    only through the ``hold``, ``postpone`` and ``cancel`` actions."""

    training = serializers.PrimaryKeyRelatedField(
        label=_("formation"),
        queryset=Training.objects.all(),
        error_messages={"does_not_exist": _("Cette formation n'existe pas.")},
    )
    trainers = TrainerSerializer(label=_("formateur·rice·s"), many=True, required=False)
    registered_count = serializers.IntegerField(label=_("places prises"), read_only=True)
    waiting_count = serializers.IntegerField(label=_("liste d'attente"), read_only=True)
    attended_count = serializers.IntegerField(label=_("présent·e·s"), read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "training",
            "starts_at",
            "ends_at",
            "place",
            "online",
            "capacity",
            "status",
            "postponed_to",
            "cancellation_reason",
            "trainers",
            "registered_count",
            "waiting_count",
            "attended_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "postponed_to", "cancellation_reason", "created_at", "updated_at"]
        # The services check the dates and constraints, with French messages keyed by field.
        validators = []

    def service_kwargs(self) -> dict:
        """The validated fields as the services take them (``trainers`` as ``TrainerSpec`` items)."""
        data = dict(self.validated_data)
        if "trainers" in data:
            data["trainers"] = [
                TrainerSpec(user=item.get("user"), name=item.get("name", ""), operator=item.get("operator"))
                for item in data["trainers"]
            ]
        return data


class SessionPostponeSerializer(serializers.Serializer):
    new_date = serializers.DateTimeField(
        label=_("nouvelle date"),
        error_messages={
            "required": _("Indiquez la nouvelle date de la session."),
            "null": _("Indiquez la nouvelle date de la session."),
        },
    )


class SessionCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        label=_("motif"),
        max_length=300,
        allow_blank=True,
        required=False,
        help_text=_("Obligatoire."),
    )


class RegistrationSerializer(serializers.ModelSerializer):
    """A professional's registration. ``status`` follows from the places (``attente`` when the session
    is full) and from the ``cancel`` action; ``attended`` from the ``attendance`` action."""

    session = serializers.PrimaryKeyRelatedField(
        label=_("session"),
        queryset=TrainingSession.objects.all(),
        error_messages={"does_not_exist": _("Cette session n'existe pas.")},
    )
    operator = operator_field(_("organisation (répertoire)"))

    class Meta:
        model = Registration
        fields = [
            "id",
            "session",
            "name",
            "organisation",
            "operator",
            "email",
            "status",
            "attended",
            "created_at",
        ]
        read_only_fields = ["id", "status", "attended", "created_at"]
        # The duplicate e-mail is refused by the service, with its French message.
        validators = []


class AttendanceSerializer(serializers.Serializer):
    attended = serializers.BooleanField(label=_("présent·e"))
