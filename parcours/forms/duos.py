"""Forms of the duos: mentoring (Net2Work, MIN) and conversation tables. The list's filters, the
duo form and the meeting form. Rules stay in ``services.duo_create`` / ``duo_meeting_add``."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accompagnement.forms.appointments import EARLIEST_YEAR, YEARS_AHEAD, PersonChoiceField
from accompagnement.models import Person

from ..choices import DuoKind
from ..models import Duo
from .sessions import ServiceErrorsMixin

ACTIVE, ENDED = "en_cours", "termines"
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DuoFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        field_name="kind", choices=DuoKind.choices, label=_("Type"), empty_label=_("Tous les types")
    )
    state = django_filters.ChoiceFilter(
        method="filter_state",
        choices=[(ACTIVE, _("En cours")), (ENDED, _("Terminés"))],
        label=_("État"),
        empty_label=_("En cours et terminés"),
    )
    tri = django_filters.OrderingFilter(
        fields=(
            ("starts_on", "debut"),
            ("ends_on", "fin"),
            ("mentee__last_name", "personne"),
            ("kind", "type"),
            ("meeting_count", "rencontres"),
        ),
        label=_("Tri"),
    )

    class Meta:
        model = Duo
        fields = ["kind"]

    def filter_state(self, queryset, name, value):
        """A duo is over once its end date has passed; without an end date it is still running."""
        today = timezone.localdate()
        running = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        if value == ACTIVE:
            return queryset.filter(running)
        if value == ENDED:
            return queryset.exclude(running)
        return queryset


def check_year(value, label):
    latest = timezone.localdate().year + YEARS_AHEAD
    if value and not EARLIEST_YEAR <= value.year <= latest:
        raise forms.ValidationError(
            _("%(label)s doit se situer entre %(first)s et %(last)s."),
            params={"label": label, "first": EARLIEST_YEAR, "last": latest},
            code="out_of_range",
        )
    return value


class DuoForm(ServiceErrorsMixin, forms.Form):
    mentee = PersonChoiceField(
        label=_("Personne accompagnée"),
        queryset=Person.objects.none(),
        empty_label=_("— choisir une personne —"),
        error_messages={
            "required": _("Choisissez la personne accompagnée."),
            "invalid_choice": _("Choisissez une personne suivie par vos bureaux."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Type de duo"),
        choices=DuoKind.choices,
        error_messages={
            "required": _("Choisissez le type de duo."),
            "invalid_choice": _("Choisissez un type de duo de la liste."),
        },
    )
    mentor_name = forms.CharField(
        label=_("Mentor·e ou bénévole"),
        max_length=150,
        error_messages={
            "required": _("Indiquez le nom du mentor·e ou du bénévole."),
            "max_length": _("Le nom ne peut dépasser %(limit_value)d caractères."),
        },
    )
    mentor_organisation = forms.CharField(
        label=_("Organisation du mentor·e"),
        required=False,
        max_length=150,
        error_messages={"max_length": _("L'organisation ne peut dépasser %(limit_value)d caractères.")},
    )
    starts_on = forms.DateField(
        label=_("Début"),
        input_formats=DATE_FORMATS,
        widget=DATE_WIDGET,
        error_messages={
            "required": _("Indiquez la date de début du duo."),
            "invalid": _("La date de début n'est pas valide (jj/mm/aaaa)."),
        },
    )
    ends_on = forms.DateField(
        label=_("Fin"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=DATE_WIDGET,
        help_text=_("Un mentorat dure 6 mois au plus."),
        error_messages={"invalid": _("La date de fin n'est pas valide (jj/mm/aaaa).")},
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _(
                "Les notes ne peuvent dépasser %(limit_value)d caractères (actuellement %(show_value)d)."
            )
        },
    )

    def __init__(self, *args, user, mentee=None, **kwargs):
        """``mentee``: the person is fixed (no select); otherwise a select of the people the user sees."""
        super().__init__(*args, **kwargs)
        self.mentee = mentee
        if mentee is not None:
            del self.fields["mentee"]
        else:
            self.fields["mentee"].queryset = Person.objects.visible_to(user).order_by(
                "last_name", "first_name", "pk"
            )
        self.add_bootstrap_classes()

    def clean_starts_on(self):
        return check_year(self.cleaned_data["starts_on"], _("La date de début"))

    def clean_ends_on(self):
        return check_year(self.cleaned_data["ends_on"], _("La date de fin"))

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("La fin du duo ne peut précéder son début."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "mentee": self.mentee or data["mentee"],
            "kind": data["kind"],
            "mentor_name": data["mentor_name"].strip(),
            "mentor_organisation": data["mentor_organisation"].strip(),
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "notes": data["notes"],
        }


class DuoMeetingForm(ServiceErrorsMixin, forms.Form):
    met_on = forms.DateField(
        label=_("Date de la rencontre"),
        input_formats=DATE_FORMATS,
        widget=DATE_WIDGET,
        error_messages={
            "required": _("Indiquez la date de la rencontre."),
            "invalid": _("La date de la rencontre n'est pas valide (jj/mm/aaaa)."),
        },
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=500,
        error_messages={
            "max_length": _(
                "Les notes ne peuvent dépasser %(limit_value)d caractères (actuellement %(show_value)d)."
            )
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_bootstrap_classes()

    def clean_met_on(self):
        value = self.cleaned_data["met_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                _("La rencontre ne peut pas être dans le futur : notez-la une fois qu'elle a eu lieu."),
                code="future",
            )
        return check_year(value, _("La date de la rencontre"))
