"""Forms of the commune portal: the period and commune of a newcomer list, the grid of its rows (a
formset of the 16 columns of ``list_files.COLUMNS``) and the file upload.

The forms only check types and what the agent may choose (their communes); every rule about the
rows (dates, national number, postal code…) is ``list_validation.RowValidator``'s, run by the
services, whose French messages the views put on the cells.
"""

import datetime as dt
import json

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accompagnement.models import Commune

from ..list_files import COLUMNS, MAX_FILE_BYTES, MAX_ROWS
from ..models import ListSource
from .sessions import ServiceErrorsMixin

ROW_KEYS = [key for key, _label, _synonyms in COLUMNS]
# The editable grid holds at most this many rows: 50 rows of 17 inputs stay under Django's limit of
# 1,000 fields a request (DATA_UPLOAD_MAX_NUMBER_FIELDS). Longer lists come as files; their rows
# without error travel in one hidden field (``kept_rows``).
GRID_MAX = 50
DATE_KEYS = {"birth_date", "registration_date", "residence_ordered_on"}
CELL_SIZES = {"sex": 3, "house_number": 5, "postal_code": 5, "residence_card": 6, "national_number": 15}
PLACEHOLDERS = {"sex": "M/F/X", "national_number": _("AA.MM.JJ-999.99"), "postal_code": "5000"}


def previous_month(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first and last days of the month before ``today`` (lists are usually monthly)."""
    first_of_this_month = (today or timezone.localdate()).replace(day=1)
    end = first_of_this_month - dt.timedelta(days=1)
    return end.replace(day=1), end


class PeriodForm(ServiceErrorsMixin, forms.Form):
    """The commune (a select only when the agent has several) and the period the list covers."""

    commune = forms.ModelChoiceField(
        queryset=Commune.objects.none(),
        label=_("Commune"),
        empty_label=None,
        error_messages={
            "required": _("Choisissez la commune."),
            "invalid_choice": _("Vous ne pouvez transmettre une liste que pour votre commune."),
        },
    )
    period_start = forms.DateField(
        label=_("Période du"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={
            "required": _("Indiquez le début de la période couverte."),
            "invalid": _("Date illisible : écrivez-la jj/mm/aaaa."),
        },
    )
    period_end = forms.DateField(
        label=_("au"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={
            "required": _("Indiquez la fin de la période couverte."),
            "invalid": _("Date illisible : écrivez-la jj/mm/aaaa."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["commune"]
        field.queryset = user.agent_communes.order_by("name")
        self.communes = communes = list(field.queryset)
        if len(communes) == 1:
            field.widget = forms.HiddenInput()
            field.initial = communes[0].pk
        if not self.is_bound:
            self.initial.setdefault("period_start", previous_month()[0])
            self.initial.setdefault("period_end", previous_month()[1])
        self.add_bootstrap_classes()

    @property
    def single_commune(self) -> Commune | None:
        return self.communes[0] if len(self.communes) == 1 else None


class ListForm(PeriodForm):
    """The list being sent (typed in, or a file's rows after correction). ``kept_rows`` carries the
    rows of a long file not shown in the grid, as JSON ``[[position, value, …], …]``."""

    source = forms.ChoiceField(
        choices=[(ListSource.FORM, ListSource.FORM.label), (ListSource.FILE, ListSource.FILE.label)],
        initial=ListSource.FORM,
        widget=forms.HiddenInput,
    )
    file_name = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)
    kept_rows = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_kept_rows(self) -> list[tuple[int, dict]]:
        text = self.cleaned_data["kept_rows"]
        if not text:
            return []
        unreadable = ValidationError(
            _("Les lignes conservées du fichier sont illisibles : envoyez le fichier à nouveau."),
            code="kept_rows",
        )
        try:
            data = json.loads(text)
        except ValueError:
            raise unreadable from None
        if not isinstance(data, list):
            raise unreadable
        if len(data) > MAX_ROWS:
            raise ValidationError(
                _("La liste compte plus de %(max)s lignes : scindez-la en plusieurs envois."),
                params={"max": MAX_ROWS},
            )
        rows = []
        for item in data:
            if (
                not isinstance(item, list)
                or len(item) != len(ROW_KEYS) + 1
                or not isinstance(item[0], int)
                or not all(isinstance(value, str) for value in item[1:])
            ):
                raise unreadable
            rows.append((item[0], dict(zip(ROW_KEYS, item[1:], strict=True))))
        return rows


class RowForm(forms.Form):
    """One person of the list: the 16 columns as free text (the validator reads them), and the row's
    position in the whole list (hidden) so that grid rows and kept rows keep their order."""

    position = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label, _synonyms in COLUMNS:
            attrs = {
                "class": "form-control form-control-sm w-auto",
                "size": CELL_SIZES.get(key, 12),
                "autocomplete": "off",
            }
            if key in DATE_KEYS:
                attrs["placeholder"] = _("jj/mm/aaaa")
                attrs["size"] = 10
            elif key in PLACEHOLDERS:
                attrs["placeholder"] = PLACEHOLDERS[key]
            self.fields[key] = forms.CharField(
                label=label, required=False, widget=forms.TextInput(attrs=attrs)
            )
        self.number = None  # the row's number in the list, once known
        self.cells = []

    def raw_row(self) -> dict[str, str]:
        """The row as the services want it: canonical keys to strings."""
        return {key: self.cleaned_data.get(key, "") or "" for key in ROW_KEYS}

    def decorate(self, *, number=None, result=None) -> None:
        """Mark each cell with the row's error (red) or warning (yellow) and label it for screen
        readers; ``self.cells`` lists ``(bound field, error, warning)`` for the template."""
        self.number = number
        errors = result.errors if result is not None else {}
        warnings = result.warnings if result is not None else {}
        self.cells = []
        row_label = _("ligne %(n)s") % {"n": number} if number else _("nouvelle ligne")
        for key in ROW_KEYS:
            field = self.fields[key]
            widget_attrs = field.widget.attrs
            error, warning = errors.get(key), warnings.get(key)
            css = "form-control form-control-sm w-auto"
            if error:
                css += " is-invalid"
                widget_attrs["aria-invalid"] = "true"
            elif warning:
                css += " border-warning"
            widget_attrs["class"] = css
            widget_attrs["aria-label"] = f"{field.label} ({row_label})"
            bound = self[key]
            if error or warning:
                widget_attrs["aria-describedby"] = f"{bound.auto_id}_message"
            self.cells.append((bound, error, warning))
        if DELETION_FIELD_NAME in self.fields:
            self.fields[DELETION_FIELD_NAME].widget.attrs["aria-label"] = _("Retirer la %(row)s") % {
                "row": row_label
            }


class BaseRowFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": _(
            "Au plus %(num)d lignes à la fois dans le formulaire : pour une liste plus longue, envoyez un fichier."
        ),
    }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if DELETION_FIELD_NAME in form.fields:
            deletion = form.fields[DELETION_FIELD_NAME]
            deletion.label = _("Retirer")
            deletion.widget.attrs["class"] = "form-check-input"

    def rows(self) -> list[tuple[int | None, dict]]:
        """The rows kept (not removed, not blank) with their position, in grid order."""
        self.is_valid()  # cleans every form; the row fields accept any text
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get(DELETION_FIELD_NAME):
                continue
            row = form.raw_row()
            if any(value.strip() for value in row.values()):
                rows.append((data.get("position"), row))
        return rows


RowFormSet = forms.formset_factory(
    RowForm,
    formset=BaseRowFormSet,
    extra=0,
    can_delete=True,
    max_num=GRID_MAX,
    absolute_max=GRID_MAX,
    validate_max=True,
)


class UploadForm(PeriodForm):
    """A file of the list (CSV or XLSX from the template), with its commune and period."""

    file = forms.FileField(
        label=_("Fichier (CSV ou XLSX)"),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={
            "required": _("Choisissez le fichier à envoyer."),
            "empty": _("Le fichier est vide."),
            "invalid": _("Aucun fichier reçu : choisissez-le à nouveau."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                _("Le fichier dépasse %(max)s Mo : scindez la liste en plusieurs envois."),
                params={"max": MAX_FILE_BYTES // (1024 * 1024)},
            )
        return upload
