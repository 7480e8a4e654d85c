"""FilterSets of the register and the breach log (sort parameter ``ordering``; the pages send ``tri``)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import LegalBasis
from .models import BreachRecord, ProcessingActivity

YES_NO = [("", _("Toutes")), ("true", _("Oui")), ("false", _("Non"))]


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ProcessingActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Traitement"), max_length=100
    )
    legal_basis = django_filters.ChoiceFilter(
        field_name="legal_basis", choices=LegalBasis.choices, label=_("Base légale"), empty_label=_("Toutes")
    )
    ordering = django_filters.OrderingFilter(
        fields=(("name", "nom"), ("legal_basis", "base"), ("last_reviewed_on", "revision")),
        label=_("Tri"),
    )

    class Meta:
        model = ProcessingActivity
        fields = ["q", "legal_basis"]


class BreachFilter(django_filters.FilterSet):
    notified = django_filters.BooleanFilter(
        field_name="notified_authority",
        label=_("Notifiée à l'APD"),
        widget=forms.Select(choices=YES_NO),
    )
    year = YearFilter(
        field_name="discovered_at", lookup_expr="year", label=_("Année"), min_value=2000, max_value=2100
    )
    ordering = django_filters.OrderingFilter(
        fields=(("discovered_at", "decouverte"), ("subjects_count", "personnes")),
        label=_("Tri"),
    )

    class Meta:
        model = BreachRecord
        fields = ["notified", "year"]
