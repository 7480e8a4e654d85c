"""Forms of the reconciliation of the communes' newcomer lists by the centre: the filters of the
incoming lists, the action forms of a row (link, open a file, set aside) and the year of the figures.

The forms check types and choices; the services (``list_services.row_link``, ``row_create_person``,
``row_reject``) keep the rules, and the views check that a chosen file is among the row's candidates.
"""

import calendar
import datetime as dt

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from accompagnement.models import Commune, Office

from ..models import NewcomerList

TO_PROCESS, DONE = "a_traiter", "traitees"
FIRST_YEAR = 2018  # the 2018 regime: no commune list predates it
LINK, CREATE, REJECT = "rattacher", "ouvrir", "ecarter"


def year_choices() -> list[tuple[int, str]]:
    """From this year back to 2018, the newest first."""
    return [(year, str(year)) for year in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


class NewcomerListFilter(django_filters.FilterSet):
    """Filters of the incoming lists. The period (year, and optionally month) keeps the lists whose
    period overlaps it; ``tri`` is the sort parameter the column headers use."""

    commune = django_filters.ModelChoiceFilter(
        field_name="commune",
        queryset=Commune.objects.order_by("name"),
        label=_("Commune"),
        empty_label=_("Toutes les communes"),
    )
    office = django_filters.ModelChoiceFilter(
        field_name="commune__office",
        queryset=Office.objects.order_by("name"),
        label=_("Bureau"),
        empty_label=_("Tous les bureaux"),
    )
    annee = django_filters.ChoiceFilter(
        method="filter_period", choices=year_choices, label=_("Année"), empty_label=_("Toutes")
    )
    mois = django_filters.ChoiceFilter(
        method="filter_period",
        choices=sorted(MONTHS.items()),
        label=_("Mois"),
        empty_label=_("Tous les mois"),
    )
    etat = django_filters.ChoiceFilter(
        method="filter_state",
        choices=[(TO_PROCESS, _("À traiter")), (DONE, _("Traitées"))],
        label=_("État"),
        empty_label=_("Tous les états"),
    )
    tri = django_filters.OrderingFilter(
        fields=(
            ("commune__name", "commune"),
            ("period_start", "periode"),
            ("submitted_at", "envoi"),
            ("row_count", "lignes"),
            ("pending_count", "a_traiter"),
            ("obliged_count", "obliges"),
        ),
        label=_("Tri"),
    )

    class Meta:
        model = NewcomerList
        fields = ["commune", "office"]

    def filter_period(self, queryset, name, value):
        """Year and month act together: ``filter_queryset`` applies them."""
        return queryset

    def filter_state(self, queryset, name, value):
        if value == TO_PROCESS:
            return queryset.filter(pending_count__gt=0)
        if value == DONE:
            return queryset.filter(pending_count=0)
        return queryset

    def filter_queryset(self, queryset):
        """The lists whose period overlaps the chosen year, or month of that year (a month without a
        year means that month of the current year)."""
        queryset = super().filter_queryset(queryset)
        year = int(self.form.cleaned_data.get("annee") or 0)
        month = int(self.form.cleaned_data.get("mois") or 0)
        if month:
            start, end = month_bounds(year or timezone.localdate().year, month)
        elif year:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        else:
            return queryset
        return queryset.filter(period_start__lte=end, period_end__gte=start)


class RowActionForm(forms.Form):
    """One action on a row: link it to a candidate file, open a new file in an office, or set it aside."""

    action = forms.ChoiceField(
        choices=[
            (LINK, _("Rattacher à ce dossier")),
            (CREATE, _("Ouvrir un nouveau dossier")),
            (REJECT, _("Écarter")),
        ],
        error_messages={
            "required": _("Choisissez une action."),
            "invalid_choice": _("Cette action n'existe pas."),
        },
    )
    candidate = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("Choisissez un des dossiers proposés."),
            "min_value": _("Choisissez un des dossiers proposés."),
        },
    )
    office = forms.ModelChoiceField(
        queryset=Office.objects.order_by("name"),
        required=False,
        error_messages={"invalid_choice": _("Ce bureau n'existe pas.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == LINK and not data.get("candidate") and "candidate" not in self.errors:
            self.add_error("candidate", _("Choisissez le dossier auquel rattacher la ligne."))
        return data


class FiguresYearForm(forms.Form):
    annee = forms.TypedChoiceField(
        label=_("Année"),
        choices=year_choices,
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Choisissez une année de la liste (de 2018 à cette année).")},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def year(self) -> int:
        """The chosen year, or the current one (also when the input is not valid)."""
        if self.is_valid() and self.cleaned_data.get("annee"):
            return self.cleaned_data["annee"]
        return timezone.localdate().year
