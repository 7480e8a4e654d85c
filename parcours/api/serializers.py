"""API representations of the communes' newcomer lists. Input checks only: the list is validated row by
row and stored by ``parcours.list_services.newcomer_list_submit`` (called by the viewset).

Two readers, two shapes: a commune agent sees of each row only the number, the name, the birth date and
whether the person came to an office (``came``); the path coordination also sees the statuses and the
reconciliation state.
"""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accompagnement.models import Commune

from ..list_files import COLUMNS, MAX_ROWS
from ..models import NewcomerList, NewcomerListRow

DATE_FORMATS = ["iso-8601", "%d/%m/%Y"]


# --- Input -----------------------------------------------------------------------------------------


class NewcomerListRowInputSerializer(serializers.Serializer):
    """One person of the list: the canonical keys of ``list_files.COLUMNS``, every value a string
    (checked and converted by ``list_validation.RowValidator``). Any other key is refused."""

    def get_fields(self):
        return {
            key: serializers.CharField(
                label=label, required=False, allow_blank=True, allow_null=True, trim_whitespace=True
            )
            for key, label, _synonyms in COLUMNS
        }

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {
                        key: [_("Colonne inconnue : les clés admises sont celles du modèle de liste.")]
                        for key in unknown
                    }
                )
        values = super().to_internal_value(data)
        return {key: value for key, value in values.items() if value is not None}


class NewcomerListInputSerializer(serializers.Serializer):
    """What every way of sending a list shares: the commune and the period covered."""

    commune = serializers.CharField(
        label=_("commune"),
        max_length=10,
        help_text=_("Code INS de la commune (5 chiffres) ou son identifiant (voir /api/communes/)."),
    )
    period_start = serializers.DateField(
        label=_("début de la période"), input_formats=DATE_FORMATS, help_text=_("AAAA-MM-JJ ou JJ/MM/AAAA.")
    )
    period_end = serializers.DateField(
        label=_("fin de la période"), input_formats=DATE_FORMATS, help_text=_("AAAA-MM-JJ ou JJ/MM/AAAA.")
    )

    def validate_commune(self, value) -> Commune:
        """A NIS code first (what population software knows), else the commune's id."""
        text = str(value).strip()
        commune = None
        if text.isdigit():
            communes = Commune.objects.select_related("office")
            commune = communes.filter(nis_code=text).first() or communes.filter(pk=int(text)).first()
        if commune is None:
            raise serializers.ValidationError(
                _("Commune inconnue : indiquez son code INS (5 chiffres) ou son identifiant.")
            )
        return commune


class NewcomerListJsonSerializer(NewcomerListInputSerializer):
    """A list sent as JSON, one object per person."""

    rows = NewcomerListRowInputSerializer(
        label=_("lignes"),
        many=True,
        max_length=MAX_ROWS,
        error_messages={
            "empty": _("La liste ne contient aucune personne."),
            "max_length": _("La liste compte plus de {max_length} lignes : scindez-la en plusieurs envois."),
        },
    )


class NewcomerListFileSerializer(NewcomerListInputSerializer):
    """A list sent as a file (multipart/form-data), read like an upload on the portal."""

    file = serializers.FileField(
        label=_("fichier"),
        help_text=_(
            "CSV (virgule ou point-virgule, UTF-8 ou Windows-1252) ou XLSX, 3 Mo et 5000 lignes au plus."
        ),
    )


# --- Output ----------------------------------------------------------------------------------------


class ListCommuneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commune
        fields = ["id", "nis_code", "name"]
        read_only_fields = fields


class NewcomerListSerializer(serializers.ModelSerializer):
    """A list as its commune sees it."""

    commune = ListCommuneSerializer(read_only=True)

    class Meta:
        model = NewcomerList
        fields = [
            "id",
            "commune",
            "period_start",
            "period_end",
            "source",
            "status",
            "file_name",
            "submitted_at",
            "row_count",
        ]
        read_only_fields = fields


class NewcomerListSubmittedSerializer(NewcomerListSerializer):
    """The answer to a submission: the list stored, and whether it had already been sent."""

    deja_transmise = serializers.BooleanField(
        label=_("déjà transmise"),
        read_only=True,
        help_text=_("Vrai si la même liste avait déjà été reçue : rien n'a été ajouté."),
    )

    class Meta(NewcomerListSerializer.Meta):
        fields = [*NewcomerListSerializer.Meta.fields, "deja_transmise"]
        read_only_fields = fields


class NewcomerListCoordinationSerializer(NewcomerListSerializer):
    """A list as the path coordination sees it: who sent it and where its reconciliation stands."""

    submitted_by = serializers.StringRelatedField(label=_("transmise par"), read_only=True)
    pending_count = serializers.IntegerField(label=_("lignes à traiter"), read_only=True)
    linked_count = serializers.IntegerField(label=_("rattachées à un dossier"), read_only=True)
    created_count = serializers.IntegerField(label=_("nouveaux dossiers"), read_only=True)
    obliged_count = serializers.IntegerField(label=_("obligé·e·s pressenti·e·s"), read_only=True)

    class Meta(NewcomerListSerializer.Meta):
        fields = [
            *NewcomerListSerializer.Meta.fields,
            "submitted_by",
            "pending_count",
            "linked_count",
            "created_count",
            "obliged_count",
        ]
        read_only_fields = fields


class AgentRowSerializer(serializers.ModelSerializer):
    """A row as the commune sees it: who, and whether they came to an office. Nothing of the file."""

    came = serializers.BooleanField(label=_("s'est présenté·e au bureau"), read_only=True)

    class Meta:
        model = NewcomerListRow
        fields = ["number", "last_name", "first_name", "birth_date", "came"]
        read_only_fields = fields


class CoordinationRowSerializer(serializers.ModelSerializer):
    """A row as the path coordination sees it: the pre-computed status and the reconciliation."""

    came = serializers.BooleanField(label=_("s'est présenté·e au bureau"), read_only=True)

    class Meta:
        model = NewcomerListRow
        fields = [
            "id",
            "number",
            "last_name",
            "first_name",
            "birth_date",
            "computed_status",
            "computed_reason",
            "office",
            "match",
            "person",
            "matched_at",
            "came",
        ]
        read_only_fields = fields


class NewcomerListDetailSerializer(NewcomerListSerializer):
    rows = AgentRowSerializer(label=_("lignes"), many=True, read_only=True, source="row_list")

    class Meta(NewcomerListSerializer.Meta):
        fields = [*NewcomerListSerializer.Meta.fields, "rows"]
        read_only_fields = fields


class NewcomerListCoordinationDetailSerializer(NewcomerListCoordinationSerializer):
    rows = CoordinationRowSerializer(label=_("lignes"), many=True, read_only=True, source="row_list")

    class Meta(NewcomerListCoordinationSerializer.Meta):
        fields = [*NewcomerListCoordinationSerializer.Meta.fields, "rows"]
        read_only_fields = fields


class RowErrorsSerializer(serializers.Serializer):
    """The faulty cells of one row, keyed by column (canonical key)."""

    ligne = serializers.IntegerField(
        label=_("ligne"), help_text=_("Numéro de la personne dans la liste (1 = la première).")
    )
    erreurs = serializers.DictField(label=_("erreurs"), child=serializers.CharField())
    avertissements = serializers.DictField(label=_("avertissements"), child=serializers.CharField())


class NewcomerListErrorsSerializer(serializers.Serializer):
    """Every 400 of the submission: ``erreurs`` holds the French messages, ready to show."""

    erreurs = serializers.ListField(label=_("erreurs"), child=serializers.CharField())
    lignes = RowErrorsSerializer(label=_("lignes en erreur"), many=True, required=False)
