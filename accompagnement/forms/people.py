"""The intake form of a person file, and the search box of the people pages.

The form checks what a counsellor can get wrong while typing (dates in the future, a malformed
national number, text too long, an office that is not theirs); the service re-checks everything
before it writes.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.be import nn

from ..models import Commune, Language, Office, Person
from ..numbers import check_national_number

DATE_FORMAT = "%d/%m/%Y"
DATE_PLACEHOLDER = _("jj/mm/aaaa")

# Dates that describe something that already happened: never in the future.
PAST_DATES = ("birth_date", "arrival_date", "registration_date", "residence_ordered_on")
# Dates of the stay that cannot precede the birth.
AFTER_BIRTH = ("arrival_date", "registration_date", "residence_ordered_on")


class DateInput(forms.DateInput):
    """A text date typed as dd/mm/yyyy (ISO yyyy-mm-dd is accepted too)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "placeholder": DATE_PLACEHOLDER,
                "inputmode": "numeric",
                "autocomplete": "off",
                **(attrs or {}),
            },
            format=DATE_FORMAT,
        )


def style_fields(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = css


def mark_invalid(form: forms.BaseForm) -> None:
    """Bootstrap's error state on the widgets of the fields that have errors."""
    for name in form.errors:
        if name in form.fields and "is-invalid" not in form.fields[name].widget.attrs.get("class", ""):
            widget = form.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class PersonForm(forms.ModelForm):
    """Open or edit a person file. ``user`` limits the offices a counsellor may choose."""

    postal_code = forms.CharField(
        label=_("code postal"),
        required=False,
        max_length=4,
        validators=[RegexValidator(r"^[0-9]{4}$", _("Le code postal compte 4 chiffres."))],
    )
    # Wider than the stored 11 digits: the number may be typed with its dots and dash.
    national_number = forms.CharField(
        label=_("numéro national ou BIS"),
        required=False,
        max_length=20,
        help_text=_("Facultatif. 11 chiffres, avec ou sans points et tiret."),
        error_messages={"unique": _("Ce numéro national ou BIS est déjà enregistré dans un autre dossier.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "YY.MM.DD-SSS.CC"}),
    )
    household_size = forms.IntegerField(
        label=_("personnes dans le ménage"), required=False, min_value=1, max_value=30
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Je confirme qu'il s'agit d'une autre personne"), required=False
    )

    # Sections of the page, in order: (legend, field names).
    FIELDSETS = (
        (_("Identité"), ("last_name", "first_name", "birth_date", "sex", "national_number")),
        (
            _("Nationalité et langues"),
            ("nationality", "country_of_birth", "languages", "interpreter_needed", "interpreter_language"),
        ),
        (
            _("Contact et adresse"),
            ("phone", "email", "street", "house_number", "postal_code", "locality", "commune"),
        ),
        (
            _("Séjour"),
            (
                "arrival_date",
                "registration_date",
                "residence_card",
                "residence_ordered_on",
                "residence_valid_until",
            ),
        ),
        (_("Ménage"), ("household_size", "household_notes")),
        (_("Suivi"), ("office", "referral", "referral_detail", "is_active")),
    )

    class Meta:
        model = Person
        fields = [
            "last_name",
            "first_name",
            "birth_date",
            "sex",
            "national_number",
            "nationality",
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
            "is_active",
        ]
        widgets = {
            "birth_date": DateInput(),
            "arrival_date": DateInput(),
            "registration_date": DateInput(),
            "residence_ordered_on": DateInput(),
            "residence_valid_until": DateInput(),
            "languages": forms.CheckboxSelectMultiple(),
            "household_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        offices = Office.objects.all() if user.reads_all_people else user.offices.all()
        self.fields["office"].queryset = offices.order_by("name")
        self.fields["commune"].queryset = Commune.objects.order_by("name")
        self.fields["languages"].queryset = Language.objects.order_by("name")
        self.fields["interpreter_language"].queryset = Language.objects.order_by("name")
        if self.instance.pk is None:
            # A new file is always active; the field only makes sense when editing.
            del self.fields["is_active"]
            single = list(offices[:2])
            if len(single) == 1:
                self.fields["office"].initial = single[0].pk
        else:
            del self.fields["confirm_duplicate"]
            if self.instance.national_number and not self.is_bound:
                self.initial["national_number"] = nn.format(self.instance.national_number)
        style_fields(self)

    def full_clean(self):
        super().full_clean()
        mark_invalid(self)

    def fieldsets(self):
        """(legend, bound fields) per section, for the template."""
        for legend, names in self.FIELDSETS:
            yield legend, [self[name] for name in names if name in self.fields]

    def clean_national_number(self):
        raw = (self.cleaned_data.get("national_number") or "").strip()
        if not raw:
            return None
        return check_national_number(raw).number  # raises a French ValidationError

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in PAST_DATES:
            value = cleaned.get(name)
            if value and value > today:
                self.add_error(name, _("Cette date ne peut pas être dans le futur."))
        birth_date = cleaned.get("birth_date")
        if birth_date:
            for name in AFTER_BIRTH:
                value = cleaned.get(name)
                if value and value < birth_date:
                    self.add_error(name, _("Cette date ne peut pas précéder la date de naissance."))
        ordered, valid_until = cleaned.get("residence_ordered_on"), cleaned.get("residence_valid_until")
        if ordered and valid_until and valid_until < ordered:
            self.add_error(
                "residence_valid_until", _("La validité ne peut pas précéder la date de délivrance.")
            )
        if cleaned.get("interpreter_needed") and not cleaned.get("interpreter_language"):
            self.add_error("interpreter_language", _("Indiquez la langue d'interprétation."))
        return cleaned

    def person_fields(self) -> dict:
        """The cleaned values the service takes (the form-only fields left out)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "confirm_duplicate"}

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ``ValidationError`` on the fields it names; other keys become form errors."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)
        mark_invalid(self)


class PersonSearchForm(forms.Form):
    """The search box: a name, a birth date (dd/mm/yyyy) or a national / BIS number. Always POSTed."""

    q = forms.CharField(
        label=_("Rechercher une personne"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control",
                "autocomplete": "off",
                "placeholder": _("Nom, date de naissance (jj/mm/aaaa) ou numéro national"),
            }
        ),
    )


class AccessOverrideForm(forms.Form):
    """Break the glass: the number of a file held by another office (the counsellor has the person in
    front of them) and why they must open it. Always POSTed: the number never lands in a URL."""

    national_number = forms.CharField(widget=forms.HiddenInput, max_length=20)
    reason = forms.CharField(
        label=_("Motif de l'accès exceptionnel"),
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("Par exemple : la personne se présente à notre permanence et demande un rendez-vous."),
        error_messages={
            "required": _("Indiquez le motif de l'accès exceptionnel."),
            "min_length": _("Le motif doit compter au moins %(limit_value)d caractères."),
        },
    )

    def clean_national_number(self):
        try:
            return check_national_number(self.cleaned_data["national_number"]).number
        except ValidationError:
            raise ValidationError(_("Le numéro national du dossier n'est pas valide.")) from None
