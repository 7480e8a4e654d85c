"""Forms of the path pages: one per write action, and the filters of the "Échéances" page.

The forms check what a counsellor can get wrong while typing (a date that is not a date, a level that
is not a CEFR level, text too long, an office that is not theirs); the services re-check the rules
before they write, and their ``ValidationError`` lands on the field it names (``add_service_errors``).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accompagnement.forms.people import DateInput, mark_invalid, style_fields
from accompagnement.models import Office

from ..choices import (
    CefrLevel,
    CitizenshipFormat,
    ComponentKind,
    ComponentState,
    ConvocationChannel,
    PathStatus,
)
from ..models import DispensationReason
from ..selectors import DEADLINE_KINDS

DATETIME_FORMAT = "%d/%m/%Y %H:%M"
DATETIME_PLACEHOLDER = _("jj/mm/aaaa hh:mm")
BLANK_LEVEL = [("", _("—"))]


class PathForm(forms.Form):
    """Bootstrap classes, the error state on invalid fields, and the services' errors on their fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def full_clean(self):
        super().full_clean()
        mark_invalid(self)

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's ``ValidationError`` on the fields it names; other keys become form errors."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
        else:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        mark_invalid(self)


def past_date_field(label, *, required=True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


class PathFactsForm(PathForm):
    """What the path knows beyond the person file; also the form that opens the path."""

    is_eu_family_member = forms.BooleanField(
        label=_("membre de la famille d'un·e citoyen·ne de l'UE"), required=False
    )
    is_asylum_seeker = forms.BooleanField(
        label=_("demandeur·se de protection internationale"), required=False
    )
    dispensation = forms.ModelChoiceField(
        label=_("dispense"),
        queryset=DispensationReason.objects.none(),
        required=False,
        empty_label=_("Aucune dispense enregistrée"),
    )
    dispensation_note = forms.CharField(label=_("précision sur la dispense"), max_length=300, required=False)
    voluntary = forms.BooleanField(label=_("suit le parcours volontairement"), required=False)

    def __init__(self, *args, current_dispensation=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the reasons in force today (the list is dated); the one already recorded stays selectable.
        in_force = DispensationReason.objects.in_force(timezone.localdate())
        if current_dispensation is not None:
            in_force = in_force | DispensationReason.objects.filter(pk=current_dispensation.pk)
        self.fields["dispensation"].queryset = in_force.distinct().order_by("position", "label")

    @staticmethod
    def initial_for(path) -> dict:
        return {
            "is_eu_family_member": path.is_eu_family_member,
            "is_asylum_seeker": path.is_asylum_seeker,
            "dispensation": path.dispensation_id,
            "dispensation_note": path.dispensation_note,
            "voluntary": path.voluntary,
        }


class PathOverrideForm(PathForm):
    status = forms.ChoiceField(label=_("statut"), choices=PathStatus.choices)
    reason = forms.CharField(
        label=_("motif de la dérogation"),
        max_length=2000,
        required=False,  # the service says why a reason is needed
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire : pourquoi le statut calculé ne convient pas."),
    )


class PathComponentForm(PathForm):
    """The state of a component the counsellor keeps (bilan social, rights and duties, procedures, ISP)."""

    state = forms.ChoiceField(label=_("état"), choices=ComponentState.choices)
    reason = forms.CharField(
        label=_("pourquoi non requis"),
        max_length=300,
        required=False,
        help_text=_("Obligatoire quand la composante n'est pas requise."),
    )
    done_on = past_date_field(_("fait le"), required=False)
    notes = forms.CharField(
        label=_("notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @staticmethod
    def initial_for(component) -> dict:
        return {
            "state": component.state,
            "reason": component.not_required_reason,
            "done_on": component.done_on,
            "notes": component.notes,
        }


class HoursRecordForm(PathForm):
    component = forms.ChoiceField(
        label=_("formation"),
        choices=[
            (ComponentKind.FRENCH, ComponentKind.FRENCH.label),
            (ComponentKind.CITIZENSHIP, ComponentKind.CITIZENSHIP.label),
        ],
    )
    # No bounds here: the service refuses zero or negative hours with its own message.
    hours = forms.DecimalField(label=_("heures"), max_digits=6, decimal_places=2)
    period_start = past_date_field(_("du"))
    period_end = past_date_field(_("au"))
    operator_name = forms.CharField(label=_("opérateur"), max_length=200)
    citizenship_format = forms.ChoiceField(
        label=_("format (citoyenneté)"), choices=BLANK_LEVEL + CitizenshipFormat.choices, required=False
    )
    cefr_level_reached = forms.ChoiceField(
        label=_("niveau atteint (français)"), choices=BLANK_LEVEL + CefrLevel.choices, required=False
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("La fin de la période ne peut précéder son début."))
        component = cleaned.get("component")
        if component == ComponentKind.FRENCH and cleaned.get("citizenship_format"):
            self.add_error("citizenship_format", _("Le format FIC ou AOC ne concerne que la citoyenneté."))
        if component == ComponentKind.CITIZENSHIP and cleaned.get("cefr_level_reached"):
            self.add_error("cefr_level_reached", _("Le niveau atteint ne concerne que le français."))
        return cleaned


class LanguageTestForm(PathForm):
    taken_on = past_date_field(_("passé le"))
    test_name = forms.CharField(label=_("test"), max_length=50, initial="ELAO")
    listening = forms.ChoiceField(
        label=_("compréhension orale"), choices=BLANK_LEVEL + CefrLevel.choices, required=False
    )
    reading = forms.ChoiceField(
        label=_("compréhension écrite"), choices=BLANK_LEVEL + CefrLevel.choices, required=False
    )
    speaking = forms.ChoiceField(
        label=_("expression orale"), choices=BLANK_LEVEL + CefrLevel.choices, required=False
    )
    writing = forms.ChoiceField(
        label=_("expression écrite"), choices=BLANK_LEVEL + CefrLevel.choices, required=False
    )
    overall = forms.ChoiceField(label=_("niveau global"), choices=BLANK_LEVEL + CefrLevel.choices)


class ConventionForm(PathForm):
    signed_on = past_date_field(_("convention signée le"))


class EvaluationScheduleForm(PathForm):
    scheduled_at = forms.DateTimeField(
        label=_("prévu le"),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(
            format=DATETIME_FORMAT,
            attrs={"placeholder": DATETIME_PLACEHOLDER, "autocomplete": "off"},
        ),
    )
    office = forms.ModelChoiceField(label=_("bureau"), queryset=Office.objects.none())
    convocation_channel = forms.ChoiceField(
        label=_("convocation par"), choices=ConvocationChannel.choices, initial=ConvocationChannel.ELECTRONIC
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offices = Office.objects.all() if user.is_administrator else user.offices.all()
        self.fields["office"].queryset = offices.order_by("name")


class EvaluationHoldForm(PathForm):
    held_on = past_date_field(_("tenu le"))
    notes = forms.CharField(
        label=_("notes"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class AttestationForm(PathForm):
    delivered_on = past_date_field(_("attestation délivrée le"))


HORIZONS = [(30, _("30 jours")), (60, _("60 jours")), (90, _("90 jours"))]
DEFAULT_HORIZON = 60


class DeadlineFilterForm(forms.Form):
    """Filters of the "Échéances" page (a GET form). Invalid values are reported and ignored."""

    office = forms.ModelChoiceField(
        label=_("bureau"), queryset=Office.objects.none(), required=False, empty_label=_("Tous mes bureaux")
    )
    kind = forms.ChoiceField(
        label=_("échéance"), choices=[("", _("Toutes"))] + list(DEADLINE_KINDS.items()), required=False
    )
    horizon = forms.TypedChoiceField(
        label=_("horizon"),
        choices=HORIZONS,
        coerce=int,
        required=False,
        empty_value=DEFAULT_HORIZON,
        initial=DEFAULT_HORIZON,
    )
    overdue = forms.BooleanField(label=_("en retard seulement"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.reads_all_people:
            self.fields["office"].queryset = Office.objects.order_by("name")
            self.fields["office"].empty_label = _("Tous les bureaux")
        else:
            self.fields["office"].queryset = user.offices.order_by("name")
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            else:
                field.widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> dict:
        """The valid filters, with their defaults for the missing or invalid ones."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "office": data.get("office"),
            "kind": data.get("kind") or "",
            "horizon": data.get("horizon") or DEFAULT_HORIZON,
            "overdue": bool(data.get("overdue")),
        }
