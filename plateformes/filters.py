"""One FilterSet per listable model of the network, shared by the pages and the API.

``ordering`` sorts (the pages' column headers send ``?tri=``, which the list views hand over as
``ordering``); ``q`` searches the names and titles. Every filter validates its input: a wrong year or
an unknown office makes the filter invalid (a French message), never a 500.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accompagnement.models import Commune, Office
from cai.widgets import LargeSelect

from .choices import (
    AwarenessKind,
    GovernanceKind,
    GroupKind,
    GroupStatus,
    InterpellationKind,
    Level,
    OfferKind,
    OperatorKind,
    Recognition,
    SupportKind,
    Team,
)
from .models import (
    Acronym,
    AwarenessAction,
    GovernanceMeeting,
    Group,
    Interpellation,
    Meeting,
    Offer,
    Operator,
    StaffMember,
    SupportAction,
)
from .selectors import staff_users

SEARCH_MAX_LENGTH = 100


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Indiquez une année (par exemple 2024)."),
                "min_value": _("Indiquez une année entre 2000 et 2100."),
                "max_value": _("Indiquez une année entre 2000 et 2100."),
            },
        )
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    """The year of a date field."""

    field_class = YearField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "year")
        kwargs.setdefault("label", _("Année"))
        super().__init__(*args, **kwargs)


def search_filter(*fields, label):
    """A ``q`` filter: each word must appear (case-insensitive) in one of ``fields``."""

    def method(queryset, name, value):
        for word in value.split()[:5]:
            condition = Q()
            for field in fields:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset

    return django_filters.CharFilter(
        method=method,
        label=label,
        max_length=SEARCH_MAX_LENGTH,
    )


def operator_choices():
    """The operators of a filter's drop-down: only what the option shows (id and name), so that a
    directory of 1,000 operators builds light rows."""
    return Operator.objects.only("pk", "name").order_by("name")


def office_filter():
    """A territory filter (``filter_territory`` of the FilterSet); ``field_name`` documents its type."""
    return django_filters.ModelChoiceFilter(
        field_name="territories",
        queryset=Office.objects.order_by("name"),
        label=_("Territoire (bureau)"),
        method="filter_territory",
        empty_label=_("Tous les territoires"),
    )


ALL = _("Tous")


def choice_filter(field_name, choices, label, empty_label=ALL):
    return django_filters.ChoiceFilter(
        field_name=field_name, choices=choices, label=label, empty_label=empty_label
    )


class OperatorFilter(django_filters.FilterSet):
    q = search_filter("name", label=_("Nom"))
    kind = choice_filter("kind", OperatorKind.choices, _("Type"))
    recognition = choice_filter("recognition", Recognition.choices, _("Agrément / reconnaissance"))
    territory = office_filter()
    active = django_filters.BooleanFilter(field_name="active", label=_("Actif"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "nom"),
            ("kind", "type"),
            ("recognition", "agrement"),
            ("commune__name", "commune"),
            ("offer_count", "offres"),
        ),
        label=_("Tri"),
    )

    class Meta:
        model = Operator
        fields = ["q", "kind", "recognition", "territory", "active"]

    def filter_territory(self, queryset, name, office):
        served = Operator.territories.through.objects.filter(operator_id=OuterRef("pk"), office_id=office.pk)
        return queryset.filter(Exists(served))


class OfferFilter(django_filters.FilterSet):
    """The offer search ("Trouver une offre"): an offer belongs to a territory when it lists that office
    among its territories or takes place in one of the office's communes."""

    territory = office_filter()
    kind = choice_filter("kind", OfferKind.choices, _("Type d'offre"))
    level = django_filters.CharFilter(
        field_name="level", lookup_expr="icontains", label=_("Niveau"), max_length=50
    )
    commune = django_filters.ModelChoiceFilter(
        field_name="commune",
        queryset=Commune.objects.order_by("name"),
        label=_("Commune"),
        empty_label=_("Toutes les communes"),
        widget=LargeSelect,
    )
    operator = django_filters.ModelChoiceFilter(
        field_name="operator",
        queryset=operator_choices(),
        label=_("Opérateur"),
        empty_label=_("Tous les opérateurs"),
        widget=LargeSelect,
    )
    q = search_filter("title", "operator__name", "place", label=_("Recherche"))
    active = django_filters.BooleanFilter(field_name="active", label=_("En cours"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("operator__name", "operateur"),
            ("kind", "type"),
            ("title", "intitule"),
            ("level", "niveau"),
            ("commune__name", "commune"),
        ),
        label=_("Tri"),
    )

    class Meta:
        model = Offer
        fields = ["territory", "kind", "level", "commune", "operator", "q", "active"]

    def filter_territory(self, queryset, name, office):
        listed = Offer.territories.through.objects.filter(offer_id=OuterRef("pk"), office_id=office.pk)
        return queryset.filter(Exists(listed) | Q(commune__office=office))


class SupportActionFilter(django_filters.FilterSet):
    operator = django_filters.ModelChoiceFilter(
        field_name="operator",
        queryset=operator_choices(),
        label=_("Opérateur"),
        empty_label=_("Tous les opérateurs"),
        widget=LargeSelect,
    )
    kind = choice_filter("kind", SupportKind.choices, _("Type"))
    year = YearFilter(field_name="date")
    staff = django_filters.ModelChoiceFilter(
        field_name="staff",
        queryset=staff_users(),
        label=_("Membre de l'équipe"),
        empty_label=_("Toute l'équipe"),
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("date", "date"),
            ("operator__name", "operateur"),
            ("kind", "type"),
            ("staff__last_name", "equipe"),
        ),
        label=_("Tri"),
    )

    class Meta:
        model = SupportAction
        fields = ["operator", "kind", "year", "staff"]


class GroupFilter(django_filters.FilterSet):
    q = search_filter("name", "theme", label=_("Nom ou thème"))
    kind = choice_filter("kind", GroupKind.choices, _("Type"))
    status = choice_filter("status", GroupStatus.choices, _("État"))
    office = django_filters.ModelChoiceFilter(
        field_name="office",
        queryset=Office.objects.order_by("name"),
        label=_("Territoire (bureau)"),
        empty_label=_("Tous les territoires"),
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "nom"),
            ("kind", "type"),
            ("status", "etat"),
            ("next_meeting_at", "prochaine"),
            ("member_count", "membres"),
        ),
        label=_("Tri"),
    )

    class Meta:
        model = Group
        fields = ["q", "kind", "status", "office"]


class MeetingFilter(django_filters.FilterSet):
    group = django_filters.ModelChoiceFilter(
        field_name="group",
        queryset=Group.objects.all(),
        label=_("Groupe"),
        empty_label=_("Tous les groupes"),
        widget=LargeSelect,
    )
    kind = choice_filter("group__kind", GroupKind.choices, _("Type de groupe"))
    date_from = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("Du"))
    date_to = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("Au"))
    ordering = django_filters.OrderingFilter(
        fields=(("starts_at", "date"), ("group__name", "groupe")), label=_("Tri")
    )

    class Meta:
        model = Meeting
        fields = ["group", "kind", "date_from", "date_to"]


class AwarenessActionFilter(django_filters.FilterSet):
    q = search_filter("title", "partners", label=_("Titre ou partenaires"))
    kind = choice_filter("kind", AwarenessKind.choices, _("Type"))
    year = YearFilter(field_name="date")
    ordering = django_filters.OrderingFilter(
        fields=(("date", "date"), ("kind", "type"), ("title", "titre"), ("audience", "public")),
        label=_("Tri"),
    )

    class Meta:
        model = AwarenessAction
        fields = ["q", "kind", "year"]


class InterpellationFilter(django_filters.FilterSet):
    q = search_filter("title", "co_signatories", label=_("Titre ou cosignataires"))
    level = choice_filter("level", Level.choices, _("Niveau"))
    kind = choice_filter("kind", InterpellationKind.choices, _("Type"))
    year = YearFilter(field_name="date")
    commune = django_filters.ModelChoiceFilter(
        field_name="commune",
        queryset=Commune.objects.order_by("name"),
        label=_("Commune"),
        empty_label=_("Toutes les communes"),
        widget=LargeSelect,
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("date", "date"),
            ("level", "niveau"),
            ("kind", "type"),
            ("title", "titre"),
            ("commune__name", "commune"),
        ),
        label=_("Tri"),
    )

    class Meta:
        model = Interpellation
        fields = ["q", "level", "kind", "year", "commune"]


class GovernanceMeetingFilter(django_filters.FilterSet):
    kind = choice_filter("kind", GovernanceKind.choices, _("Instance"), empty_label=_("Toutes"))
    year = YearFilter(field_name="date")
    ordering = django_filters.OrderingFilter(fields=(("date", "date"), ("kind", "instance")), label=_("Tri"))

    class Meta:
        model = GovernanceMeeting
        fields = ["kind", "year"]


class StaffMemberFilter(django_filters.FilterSet):
    q = search_filter("name", "function", label=_("Nom ou fonction"))
    team = choice_filter("team", Team.choices, _("Équipe"), empty_label=_("Toutes"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("En poste"))
    ordering = django_filters.OrderingFilter(
        fields=(("name", "nom"), ("team", "equipe"), ("function", "fonction"), ("since", "depuis")),
        label=_("Tri"),
    )

    class Meta:
        model = StaffMember
        fields = ["q", "team", "current"]

    def filter_current(self, queryset, name, value):
        today = timezone.localdate()
        current = Q(until__isnull=True) | Q(until__gte=today)
        return queryset.filter(current) if value else queryset.exclude(current)


class AcronymFilter(django_filters.FilterSet):
    q = search_filter("acronym", "meaning", label=_("Sigle ou signification"))
    ordering = django_filters.OrderingFilter(
        fields=(("acronym", "sigle"), ("meaning", "signification")), label=_("Tri")
    )

    class Meta:
        model = Acronym
        fields = ["q"]
