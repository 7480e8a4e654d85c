"""Forms of the collective sessions (SIDD, ISP, thematic): the list's filters, the planning form and
the attendance form (register a person, mark present or absent).

The forms check types, sizes and that every choice is one the user may make (their offices, the
people they follow); the services keep the rules (``session_create``, ``attendance_set``) and the
views show the services' errors on these fields (``add_service_errors``).
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accompagnement.forms.appointments import (
    DATETIME_LOCAL,
    EARLIEST_YEAR,
    YEARS_AHEAD,
    CounsellorChoiceField,
    DateTimeLocalField,
)
from accompagnement.models import Language, Office, Person
from cai.choices import Role

from ..choices import SessionKind
from ..models import CollectiveSession

UPCOMING, PAST = "a_venir", "passees"


class ServiceErrorsMixin:
    """Bootstrap classes on the widgets, ``is-invalid`` on fields in error, and a service's
    ``ValidationError`` shown on the fields it names (other keys become non-field errors)."""

    def add_bootstrap_classes(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def add_service_errors(self, error) -> None:
        messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, field_messages in messages.items():
            target = field if field in self.fields else None
            for message in field_messages:
                self.add_error(target, message)


class SessionFilter(django_filters.FilterSet):
    """Filters of the session list. ``tri`` is the sort parameter the column headers use."""

    kind = django_filters.ChoiceFilter(
        field_name="kind", choices=SessionKind.choices, label=_("Type"), empty_label=_("Tous les types")
    )
    office = django_filters.ModelChoiceFilter(
        field_name="office",
        queryset=Office.objects.all(),
        label=_("Bureau"),
        empty_label=_("Tous les bureaux"),
    )
    date_from = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("Du"))
    date_to = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("Au"))
    when = django_filters.ChoiceFilter(
        method="filter_when",
        choices=[(UPCOMING, _("À venir")), (PAST, _("Passées"))],
        label=_("Période"),
        empty_label=_("À venir et passées"),
    )
    tri = django_filters.OrderingFilter(
        fields=(
            ("starts_at", "date"),
            ("kind", "type"),
            ("title", "intitule"),
            ("office__name", "bureau"),
            ("registered_count", "inscrits"),
            ("present_count", "presents"),
        ),
        label=_("Tri"),
    )

    class Meta:
        model = CollectiveSession
        fields = ["kind", "office"]

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == UPCOMING:
            return queryset.filter(starts_at__gte=now)
        if value == PAST:
            return queryset.filter(starts_at__lt=now)
        return queryset


def staff_users():
    """Who may facilitate a session: active staff (every role but commune agents)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(role=Role.COMMUNE_AGENT)
        .order_by("last_name", "first_name", "username")
    )


class SessionForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Type de séance"),
        choices=SessionKind.choices,
        error_messages={
            "required": _("Choisissez le type de séance."),
            "invalid_choice": _("Choisissez un type de séance de la liste."),
        },
    )
    title = forms.CharField(
        label=_("Intitulé"),
        required=False,
        max_length=200,
        help_text=_("Obligatoire pour une séance thématique (par exemple « Rédiger son CV »)."),
        error_messages={"max_length": _("L'intitulé ne peut dépasser %(limit_value)d caractères.")},
    )
    starts_at = DateTimeLocalField(
        label=_("Date et heure"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": 60}, format=DATETIME_LOCAL),
        error_messages={
            "required": _("Indiquez la date et l'heure de la séance."),
            "invalid": _("Indiquez la date et l'heure de la séance (jj/mm/aaaa hh:mm)."),
        },
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"),
        min_value=15,
        max_value=600,
        error_messages={
            "required": _("Indiquez la durée de la séance."),
            "invalid": _("La durée doit être un nombre entier de minutes."),
            "min_value": _("La durée doit être comprise entre 15 et 600 minutes."),
            "max_value": _("La durée doit être comprise entre 15 et 600 minutes."),
        },
    )
    office = forms.ModelChoiceField(
        label=_("Bureau"),
        queryset=Office.objects.none(),
        empty_label=_("— choisir un bureau —"),
        error_messages={
            "required": _("Choisissez le bureau qui organise la séance."),
            "invalid_choice": _("Ce bureau n'existe pas ou ne fait pas partie de vos bureaux."),
        },
    )
    place = forms.CharField(
        label=_("Lieu"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Le lieu ne peut dépasser %(limit_value)d caractères.")},
    )
    online = forms.BooleanField(label=_("En ligne"), required=False)
    language = forms.ModelChoiceField(
        label=_("Langue de la séance"),
        queryset=Language.objects.all(),
        required=False,
        empty_label=_("Français (par défaut)"),
        error_messages={"invalid_choice": _("Choisissez une langue de la liste.")},
    )
    facilitator = CounsellorChoiceField(
        label=_("Animateur·rice de l'équipe"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("— personne de l'équipe —"),
        error_messages={"invalid_choice": _("Choisissez un membre de l'équipe de la liste.")},
    )
    facilitator_name = forms.CharField(
        label=_("ou animateur·rice externe"),
        required=False,
        max_length=150,
        error_messages={
            "max_length": _("Le nom de l'animateur·rice ne peut dépasser %(limit_value)d caractères.")
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.is_administrator:
            self.fields["office"].queryset = Office.objects.order_by("name")
        else:
            self.fields["office"].queryset = user.offices.order_by("name")
        self.fields["facilitator"].queryset = staff_users()
        self.add_bootstrap_classes()

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        latest = timezone.localdate().year + YEARS_AHEAD
        if not EARLIEST_YEAR <= timezone.localtime(value).year <= latest:
            raise forms.ValidationError(
                _("La date de la séance doit se situer entre %(first)s et %(last)s."),
                params={"first": EARLIEST_YEAR, "last": latest},
                code="out_of_range",
            )
        return value

    def clean(self):
        """A place unless online; a facilitator of the team or an external one, not both; a title for
        a thematic session."""
        data = super().clean()
        if not data.get("online") and not (data.get("place") or "").strip() and "place" not in self.errors:
            self.add_error("place", _("Indiquez le lieu de la séance, ou cochez « En ligne »."))
        has_staff = data.get("facilitator") is not None
        has_external = bool((data.get("facilitator_name") or "").strip())
        if not has_staff and not has_external and "facilitator" not in self.errors:
            self.add_error(
                "facilitator", _("Choisissez l'animateur·rice de l'équipe ou indiquez un nom externe.")
            )
        elif has_staff and has_external:
            self.add_error(
                "facilitator_name",
                _("Choisissez un·e animateur·rice de l'équipe ou un nom externe, pas les deux."),
            )
        if data.get("kind") == SessionKind.THEMATIC and not (data.get("title") or "").strip():
            self.add_error("title", _("Indiquez le thème de la séance thématique."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"].strip(),
            "starts_at": data["starts_at"],
            "duration_minutes": data["duration_minutes"],
            "office": data["office"],
            "place": data["place"].strip(),
            "online": data["online"],
            "language": data["language"],
            "facilitator": data["facilitator"],
            "facilitator_name": data["facilitator_name"].strip(),
        }


def session_initial(*, user) -> dict:
    """A new session: three hours (an ISP session's length), at the user's only office if they have
    one, facilitated by the user when they are a counsellor."""
    initial = {"duration_minutes": 180}
    offices = list(user.offices.all()[:2])
    if len(offices) == 1:
        initial["office"] = offices[0].pk
    if user.is_counsellor:
        initial["facilitator"] = user.pk
    return initial


class AttendanceForm(ServiceErrorsMixin, forms.Form):
    """Register a person (``attended`` 0) or mark them present (1) or absent (0)."""

    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choisissez la personne à inscrire."),
            "invalid_choice": _("Cette personne n'est pas suivie par vos bureaux."),
        },
    )
    attended = forms.TypedChoiceField(
        choices=[("1", _("Présent·e")), ("0", _("Absent·e"))],
        coerce=lambda value: value == "1",
        empty_value=False,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Indiquez « présent·e » ou « absent·e ».")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user)


def office_choices_for(user):
    """The offices a user may filter on: their own, or all of them for the director and administrators."""
    if user.reads_all_people:
        return Office.objects.order_by("name")
    return Office.objects.filter(staff=user).order_by("name")
