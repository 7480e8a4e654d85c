"""One FilterSet per listable model, shared by the pages and the API. No filter takes a national
register number: numbers never travel in a URL."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .choices import AppointmentMode, OriginGroup
from .models import EU_COUNTRIES, STATELESS, Appointment, Commune, Office, Person, RequestType


class PersonFilter(django_filters.FilterSet):
    office = django_filters.ModelChoiceFilter(
        field_name="office", queryset=Office.objects.all(), label=_("Bureau")
    )
    commune = django_filters.ModelChoiceFilter(
        field_name="commune", queryset=Commune.objects.all(), label=_("Commune")
    )
    nationality = django_filters.ChoiceFilter(
        field_name="nationality", choices=countries, label=_("Nationalité")
    )
    origin_group = django_filters.ChoiceFilter(
        method="filter_origin_group", choices=OriginGroup.choices, label=_("Origine")
    )
    is_active = django_filters.BooleanFilter(field_name="is_active", label=_("Dossier actif"))
    opened_after = django_filters.DateFilter(
        field_name="file_opened_on", lookup_expr="gte", label=_("Ouvert depuis le")
    )
    opened_before = django_filters.DateFilter(
        field_name="file_opened_on", lookup_expr="lte", label=_("Ouvert jusqu'au")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("last_name", "nom"),
            ("first_name", "prenom"),
            ("birth_date", "naissance"),
            ("file_opened_on", "ouverture"),
            ("office__name", "bureau"),
        ),
        field_labels={"last_name": _("Nom"), "first_name": _("Prénom"), "birth_date": _("Naissance")},
        label=_("Tri"),
    )

    class Meta:
        model = Person
        fields = ["office", "commune", "nationality", "origin_group", "is_active"]

    def filter_origin_group(self, queryset, name, value):
        if value == OriginGroup.BELGIAN:
            return queryset.filter(nationality="BE")
        if value == OriginGroup.STATELESS:
            return queryset.filter(nationality=STATELESS)
        if value == OriginGroup.EU:
            return queryset.filter(nationality__in=EU_COUNTRIES)
        if value == OriginGroup.NON_EU:
            return queryset.exclude(nationality__in=[*EU_COUNTRIES, "BE", STATELESS])
        return queryset


class AppointmentFilter(django_filters.FilterSet):
    office = django_filters.ModelChoiceFilter(
        field_name="office", queryset=Office.objects.all(), label=_("Bureau")
    )
    person = django_filters.NumberFilter(field_name="person_id", label=_("Personne (n° de dossier)"))
    counsellor = django_filters.NumberFilter(field_name="counsellor_id", label=_("Accompagnateur·rice (n°)"))
    mode = django_filters.ChoiceFilter(field_name="mode", choices=AppointmentMode.choices, label=_("Mode"))
    request_type = django_filters.ModelChoiceFilter(
        field_name="request_types",
        queryset=RequestType.objects.all(),
        label=_("Type de demande"),
        distinct=True,
    )
    date_from = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("Du"))
    date_to = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("Au"))
    ordering = django_filters.OrderingFilter(
        fields=(("starts_at", "date"), ("person__last_name", "personne"), ("office__name", "bureau")),
        label=_("Tri"),
    )

    class Meta:
        model = Appointment
        fields = ["office", "person", "counsellor", "mode", "request_type"]
