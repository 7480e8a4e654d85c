"""One FilterSet per listable model of the trainings app, shared by the pages and the API.

The sort parameter is ``ordering`` (the pages' column headers send ``tri``, which the views map onto
it). Years are bounded, so that no value reaches the database's date functions out of range."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cai.widgets import LargeSelect

from .choices import RegistrationStatus, SessionStatus
from .models import Registration, Training, TrainingSession

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
ONLINE, IN_PERSON = "en_ligne", "presentiel"
YES_NO = [("true", _("Oui")), ("false", _("Non"))]


def theme_choices():
    """The themes in use in the catalogue (one query, when the filter is built)."""
    themes = Training.objects.exclude(theme="").order_by("theme").values_list("theme", flat=True).distinct()
    return [(theme, theme) for theme in themes]


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter offered as « Oui » / « Non » (empty: both); ``true`` / ``false`` in URLs."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(choices=[("", _("Tous")), *YES_NO]))
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", EARLIEST_YEAR)
        kwargs.setdefault("max_value", LATEST_YEAR)
        super().__init__(*args, **kwargs)


class TrainingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label=_("Titre"), max_length=100
    )
    theme = django_filters.ChoiceFilter(
        field_name="theme", choices=theme_choices, label=_("Thème"), empty_label=_("Tous les thèmes")
    )
    active = YesNoFilter(field_name="active", label=_("Au catalogue"))
    on_request = YesNoFilter(method="filter_on_request", label=_("À la demande"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("title", "titre"),
            ("theme", "theme"),
            ("sessions_count", "sessions"),
            ("next_session_at", "prochaine"),
        ),
        label=_("Tri"),
    )

    class Meta:
        model = Training
        fields = ["q", "theme", "active", "on_request"]

    def filter_on_request(self, queryset, name, value):
        on_request = Q(on_request_for__isnull=False) | ~Q(on_request_for_name="")
        if value is True:
            return queryset.filter(on_request)
        if value is False:
            return queryset.exclude(on_request)
        return queryset


class TrainingSessionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        field_name="status", choices=SessionStatus.choices, label=_("État"), empty_label=_("Tous les états")
    )
    year = YearFilter(field_name="starts_at", lookup_expr="year", label=_("Année"))
    training = django_filters.ModelChoiceFilter(
        field_name="training",
        queryset=Training.objects.only("pk", "title").order_by("title"),
        label=_("Formation"),
        empty_label=_("Toutes les formations"),
        widget=LargeSelect,
    )
    modality = django_filters.ChoiceFilter(
        method="filter_modality",
        choices=[(IN_PERSON, _("En présentiel")), (ONLINE, _("En ligne"))],
        label=_("Modalité"),
        empty_label=_("Toutes les modalités"),
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("starts_at", "date"),
            ("training__title", "formation"),
            ("status", "etat"),
            ("capacity", "places"),
            ("registered_count", "inscrits"),
            ("attended_count", "presents"),
        ),
        label=_("Tri"),
    )

    class Meta:
        model = TrainingSession
        fields = ["status", "year", "training", "modality"]

    def filter_modality(self, queryset, name, value):
        if value == ONLINE:
            return queryset.filter(online=True)
        if value == IN_PERSON:
            return queryset.filter(online=False)
        return queryset


class RegistrationFilter(django_filters.FilterSet):
    session = django_filters.NumberFilter(field_name="session_id", label=_("Session (n°)"))
    training = django_filters.NumberFilter(field_name="session__training_id", label=_("Formation (n°)"))
    status = django_filters.ChoiceFilter(
        field_name="status", choices=RegistrationStatus.choices, label=_("État")
    )
    attended = YesNoFilter(field_name="attended", label=_("Présent·e"))
    ordering = django_filters.OrderingFilter(
        fields=(("name", "nom"), ("created_at", "inscription"), ("session__starts_at", "session")),
        label=_("Tri"),
    )

    class Meta:
        model = Registration
        fields = ["session", "training", "status", "attended"]
