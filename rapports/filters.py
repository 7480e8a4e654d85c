"""The filters of the report versions, shared by the page (``report_home``) and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .forms import year_choices
from .models import JobStatus, ReportJob


class ReportJobFilter(django_filters.FilterSet):
    """Versions of the report by year and state. ``tri`` is the sort the column headers use (the newest
    version first when nothing is chosen)."""

    year = django_filters.ChoiceFilter(
        field_name="year", choices=year_choices, label=_("Année"), empty_label=_("Toutes les années")
    )
    status = django_filters.ChoiceFilter(
        field_name="status", choices=JobStatus.choices, label=_("État"), empty_label=_("Tous les états")
    )
    tri = django_filters.OrderingFilter(
        fields=(("year", "annee"), ("requested_at", "demande"), ("status", "etat")),
        label=_("Tri"),
    )

    class Meta:
        model = ReportJob
        fields = ["year", "status"]
