"""Forms of the report pages: the year of a new version, and a narrative block.

The team writes narrative as paragraphs in a plain text area: a blank line starts a new paragraph, a
single line break stays a line break. The few formatting tags the service keeps (see
``services.ALLOWED_TAGS``) may be typed as they are; ``services.narrative_save`` sanitises the result.
``html_to_paragraphs`` turns a stored block back into that plain form for editing, so that saving
without a change stores the same HTML.
"""

import html
import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import NarrativeBlock
from .services import MIN_YEAR

BLANK_LINE = re.compile(r"\n[ \t]*\n+")
BLOCK_START = re.compile(r"^<(p|ul|ol|h3|h4|blockquote)[\s>]", re.IGNORECASE)
SINGLE_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.DOTALL)
LINE_BREAK = re.compile(r"<br\s*/?>\n?", re.IGNORECASE)
TEXT_MAX_LENGTH = NarrativeBlock._meta.get_field("text").max_length


def default_year() -> int:
    """The report is written at the start of the next year: last year by default."""
    return timezone.localdate().year - 1


def year_choices() -> list[tuple[int, int]]:
    return [(year, year) for year in range(timezone.localdate().year, MIN_YEAR - 1, -1)]


def paragraphs_to_html(text: str) -> str:
    """Blank-line separated paragraphs → ``<p>`` blocks (one per line pair); a chunk that already starts
    with a block tag (``<ul>``, ``<h3>``, …) is kept as typed."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    blocks = []
    for chunk in BLANK_LINE.split(text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if BLOCK_START.match(chunk):
            blocks.append(chunk)
        else:
            blocks.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(blocks)


def html_to_paragraphs(value: str) -> str:
    """The inverse of ``paragraphs_to_html`` for a stored (sanitised) block."""
    parts = []
    for part in (value or "").split("\n\n"):
        match = SINGLE_PARAGRAPH.match(part.strip())
        if match and "<p" not in match.group(1):
            part = LINE_BREAK.sub("\n", match.group(1))
        parts.append(part.strip())
    return html.unescape("\n\n".join(p for p in parts if p))


class ReportRequestForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Année du rapport"), coerce=int)

    def __init__(self, *args, **kwargs):
        # Its own ids: the versions' filter on the same page has a ``year`` field too.
        kwargs.setdefault("auto_id", "id_request_%s")
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["year"].initial = default_year()
        self.fields["year"].widget.attrs["class"] = "form-select"

    def add_service_errors(self, error) -> None:
        """A service ``ValidationError``: on the year, or for the whole form."""
        add_service_errors(self, error)


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label=_("Texte"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16, "class": "form-control"}),
    )

    def add_service_errors(self, error) -> None:
        add_service_errors(self, error)


def add_service_errors(form, error) -> None:
    """Show a service's French messages on the form's fields; unknown keys become non-field errors."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, messages)


class DashboardYearForm(forms.Form):
    """The dashboard's year (``?annee=``): this year by default, back to ``MIN_YEAR``."""

    annee = forms.IntegerField(
        label=_("Année"),
        required=False,
        error_messages={"invalid": _("Indiquez une année en chiffres (par exemple 2026).")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].widget = forms.Select(
            choices=year_choices(), attrs={"class": "form-select", "aria-label": _("Année")}
        )

    def clean_annee(self) -> int:
        year = self.cleaned_data.get("annee")
        if year is None:
            return timezone.localdate().year
        if not MIN_YEAR <= year <= timezone.localdate().year:
            raise forms.ValidationError(
                _("L'année doit être comprise entre %(min)s et %(max)s.")
                % {"min": MIN_YEAR, "max": timezone.localdate().year}
            )
        return year
