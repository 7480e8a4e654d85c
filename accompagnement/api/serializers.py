"""API representations of the accompagnement app. Explicit fields; no logic beyond input checks:
writes go through ``accompagnement.services`` (called by the viewsets)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cai.choices import Role
from cai.models import User

from .. import selectors
from ..choices import NumberKind, OriginGroup
from ..models import (
    Appointment,
    Commune,
    EsfActionType,
    Language,
    Office,
    PermanenceRule,
    Person,
    RequestType,
)
from ..permanences import describe_rule

FUTURE_DATE_MESSAGES = {
    "birth_date": _("La date de naissance ne peut pas être dans le futur."),
    "arrival_date": _("La date d'arrivée ne peut pas être dans le futur."),
    "registration_date": _("La date d'inscription ne peut pas être dans le futur."),
    "residence_ordered_on": _("La date de délivrance ordonnée ne peut pas être dans le futur."),
    "file_opened_on": _("La date d'ouverture du dossier ne peut pas être dans le futur."),
}


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^([A-Z]{2})?$",
        "description": "Code pays ISO 3166-1 alpha-2 (XX : apatride).",
    }
)
class CountryCodeField(CountryField):
    """A country as its ISO code. Documented as a code rather than a 250-value enum."""


class PersonSerializer(serializers.ModelSerializer):
    """A person's file. ``national_number`` is accepted with or without separators and returned as its
    11 digits; ``origin_group`` and ``number_kind`` are derived, never typed."""

    national_number = serializers.CharField(
        label=_("numéro national ou BIS"),
        max_length=20,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("Numéro national ou BIS, avec ou sans séparateurs."),
    )
    nationality = CountryCodeField(label=_("nationalité"))
    country_of_birth = CountryCodeField(label=_("pays de naissance"), required=False, allow_blank=True)
    languages = serializers.SlugRelatedField(
        label=_("langues parlées"),
        slug_field="code",
        many=True,
        required=False,
        queryset=Language.objects.all(),
    )
    interpreter_language = serializers.SlugRelatedField(
        label=_("langue d'interprétation"),
        slug_field="code",
        required=False,
        allow_null=True,
        queryset=Language.objects.all(),
    )
    origin_group = serializers.ChoiceField(label=_("origine"), choices=OriginGroup.choices, read_only=True)
    # Blank when the person has no number yet: declared so that the schema's enum admits "".
    number_kind = serializers.ChoiceField(
        label=_("type de numéro"), choices=NumberKind.choices, allow_blank=True, read_only=True
    )
    last_appointment_at = serializers.DateTimeField(
        label=_("dernier rendez-vous"), read_only=True, allow_null=True
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "last_name",
            "first_name",
            "birth_date",
            "sex",
            "national_number",
            "number_kind",
            "nationality",
            "origin_group",
            "country_of_birth",
            "languages",
            "interpreter_needed",
            "interpreter_language",
            "phone",
            "email",
            "street",
            "house_number",
            "postal_code",
            "locality",
            "commune",
            "arrival_date",
            "registration_date",
            "residence_card",
            "residence_ordered_on",
            "residence_valid_until",
            "household_size",
            "household_notes",
            "office",
            "referral",
            "referral_detail",
            "file_opened_on",
            "is_active",
            "last_appointment_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "number_kind", "created_at", "updated_at"]
        extra_kwargs = {"file_opened_on": {"required": False}}

    def validate(self, attrs):
        today = timezone.localdate()
        errors = {
            field: message
            for field, message in FUTURE_DATE_MESSAGES.items()
            if attrs.get(field) is not None and attrs[field] > today
        }
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class PersonSearchSerializer(serializers.Serializer):
    q = serializers.CharField(
        label=_("recherche"),
        max_length=200,
        help_text=_(
            "Nom et prénom (fautes tolérées), date de naissance jj/mm/aaaa, ou numéro national / BIS."
        ),
    )


class AppointmentSerializer(serializers.ModelSerializer):
    """An appointment. ``confidential_notes`` appears only for the counsellors of the person's office
    (``selectors.can_read_confidential_notes``), and only they may write it."""

    person = serializers.PrimaryKeyRelatedField(label=_("personne"), queryset=Person.objects.none())
    counsellor = serializers.PrimaryKeyRelatedField(
        label=_("accompagnateur·rice"),
        required=False,
        queryset=User.objects.filter(is_active=True).exclude(role=Role.COMMUNE_AGENT),
        help_text=_("Par défaut : l'utilisateur·rice qui enregistre."),
    )
    request_types = serializers.SlugRelatedField(
        label=_("types de demande"),
        slug_field="code",
        many=True,
        queryset=RequestType.objects.filter(active=True),
        help_text=_("Codes des types de demande (au moins un)."),
    )
    interpreter_language = serializers.SlugRelatedField(
        label=_("interprète (langue)"),
        slug_field="code",
        required=False,
        allow_null=True,
        queryset=Language.objects.all(),
    )
    esf_action_type = serializers.SlugRelatedField(
        label=_("action FSE"),
        slug_field="code",
        required=False,
        allow_null=True,
        queryset=EsfActionType.objects.filter(active=True),
    )

    class Meta:
        model = Appointment
        fields = [
            "id",
            "person",
            "starts_at",
            "duration_minutes",
            "office",
            "place_other",
            "mode",
            "counsellor",
            "interpreter_language",
            "interpreter_service",
            "request_types",
            "esf_action_type",
            "notes",
            "confidential_notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Out of scope and missing people give the same answer ("n'existe pas").
            self.fields["person"].queryset = Person.objects.visible_to(request.user)

    def _user(self):
        return self.context["request"].user

    def validate(self, attrs):
        person = attrs.get("person") or getattr(self.instance, "person", None)
        if "confidential_notes" in attrs and person is not None:
            if not selectors.can_read_confidential_notes(user=self._user(), person=person):
                if not attrs["confidential_notes"]:
                    del attrs[
                        "confidential_notes"
                    ]  # an empty value must not erase notes the caller cannot see
                    return attrs
                raise serializers.ValidationError(
                    {
                        "confidential_notes": _(
                            "Seul·e·s les accompagnateur·rice·s du bureau de la personne peuvent écrire des notes confidentielles."
                        )
                    }
                )
        return attrs

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not selectors.can_read_confidential_notes(user=self._user(), person=instance.person):
            data.pop("confidential_notes", None)
        return data


class PermanenceRuleSerializer(serializers.ModelSerializer):
    description = serializers.SerializerMethodField(label=_("description"))

    class Meta:
        model = PermanenceRule
        fields = [
            "id",
            "kind",
            "weekday",
            "nth",
            "start_time",
            "end_time",
            "appointment_only",
            "valid_from",
            "valid_until",
            "description",
        ]

    def get_description(self, rule) -> str:
        return describe_rule(rule)


class OfficeSerializer(serializers.ModelSerializer):
    permanence_rules = PermanenceRuleSerializer(many=True, read_only=True)

    class Meta:
        model = Office
        fields = ["id", "name", "slug", "address", "phone", "is_head_office", "communes", "permanence_rules"]
        read_only_fields = fields


class CommuneSerializer(serializers.ModelSerializer):
    postal_codes = serializers.SlugRelatedField(
        label=_("codes postaux"), slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Commune
        fields = ["id", "nis_code", "name", "main_postal_code", "postal_codes", "arrondissement", "office"]
        read_only_fields = fields


class RequestTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequestType
        fields = ["code", "label", "position", "active"]
        read_only_fields = fields
