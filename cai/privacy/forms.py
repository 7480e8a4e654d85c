"""Filters of the access logs and the review's "seen" form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accompagnement.forms.appointments import DATETIME_LOCAL, DateTimeLocalField

from . import services
from .models import BreachRecord, ProcessingActivity, RetentionRule
from .selectors import ACCESS_KINDS, staff_users

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"class": "form-control form-control-sm", "placeholder": _("jj/mm/aaaa")}
        ),
        error_messages={"invalid": _("Saisissez une date au format jj/mm/aaaa.")},
    )


class PeriodForm(forms.Form):
    """A period [du, au], both optional, in local days."""

    du = _date_field(_("Du"))
    au = _date_field(_("Au"))

    def clean(self):
        data = super().clean()
        if data.get("du") and data.get("au") and data["du"] > data["au"]:
            raise ValidationError({"au": _("La date de fin précède la date de début.")})
        return data

    def period(self) -> tuple:
        if not self.is_valid():
            return None, None
        return self.cleaned_data.get("du"), self.cleaned_data.get("au")


class PersonAccessFilterForm(PeriodForm):
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Tous"))] + [(key, label) for key, (label, _q) in ACCESS_KINDS.items()],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def kind(self) -> str:
        return self.cleaned_data.get("type", "") if self.is_valid() else ""


class UserAccessFilterForm(PeriodForm):
    utilisateur = forms.ModelChoiceField(
        label=_("Utilisateur·rice"),
        queryset=staff_users(),
        required=False,
        empty_label=_("Choisissez une personne de l'équipe"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        error_messages={"invalid_choice": _("Choisissez une personne de l'équipe dans la liste.")},
    )

    field_order = ["utilisateur", "du", "au"]

    def user(self):
        return self.cleaned_data.get("utilisateur") if self.is_valid() else None


class ReviewSeenForm(forms.Form):
    comment = forms.CharField(
        label=_("Commentaire (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


DATETIME_FORMATS = [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class PrivacyFormMixin:
    """French messages that name the field, Bootstrap classes, ``is-invalid`` on fields in error."""

    def setup_fields(self):
        for field in self.fields.values():
            label = field.label
            field.error_messages["required"] = _("Indiquez « %(label)s ».") % {"label": label}
            field.error_messages["invalid"] = _("« %(label)s » n'est pas valide.") % {"label": label}
            field.error_messages["invalid_choice"] = _("Choisissez « %(label)s » dans la liste.") % {
                "label": label
            }
            if hasattr(field, "max_length") and field.max_length:
                field.error_messages["max_length"] = _(
                    "« %(label)s » ne peut dépasser %(limit)s caractères."
                ) % {"label": label, "limit": field.max_length}
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css
            if isinstance(widget, forms.Textarea):
                widget.attrs["rows"] = 3

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"

    def add_service_errors(self, error) -> None:
        messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for key, key_messages in messages.items():
            for message in key_messages:
                self.add_error(key if key in self.fields else None, message)


def datetime_field(label, *, required=True):
    return DateTimeLocalField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": 60}, format=DATETIME_LOCAL),
    )


def date_field(label, *, required=True):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class RetentionRuleForm(PrivacyFormMixin, forms.ModelForm):
    class Meta:
        model = RetentionRule
        fields = ["term_months", "action_description", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term_months"].widget.attrs.update(min=1, max=1200)
        self.setup_fields()
        self.fields["term_months"].error_messages["min_value"] = _(
            "La durée de conservation doit être d'au moins un mois."
        )

    def clean_term_months(self):
        value = self.cleaned_data["term_months"]
        if value < 1:
            raise forms.ValidationError(_("La durée de conservation doit être d'au moins un mois."))
        if value > 1200:
            raise forms.ValidationError(_("La durée de conservation ne peut dépasser 1 200 mois (100 ans)."))
        return value


class ProcessingActivityForm(PrivacyFormMixin, forms.ModelForm):
    last_reviewed_on = date_field(ProcessingActivity._meta.get_field("last_reviewed_on").verbose_name)

    class Meta:
        model = ProcessingActivity
        fields = list(services.ACTIVITY_FIELDS)  # the fields the service writes

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_reviewed_on"].label = _("Dernière révision le")
        self.setup_fields()
        self.fields["name"].error_messages["unique"] = _("Un traitement porte déjà ce nom.")


class BreachForm(PrivacyFormMixin, forms.ModelForm):
    discovered_at = datetime_field(_("Découverte le"))
    occurred_from = datetime_field(_("Survenue à partir du"), required=False)
    occurred_to = datetime_field(_("Jusqu'au"), required=False)
    notified_at = datetime_field(_("Notifiée à l'APD le"), required=False)
    subjects_informed_on = date_field(_("Personnes informées le"), required=False)

    class Meta:
        model = BreachRecord
        fields = list(services.BREACH_FIELDS)  # the fields the service writes

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_fields()
        for name in ("subjects_count", "records_count"):
            self.fields[name].error_messages["min_value"] = _("« %(label)s » ne peut être négatif.") % {
                "label": self.fields[name].label
            }
