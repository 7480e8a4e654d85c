"""The appointment form: what a counsellor logs in under a minute.

The form checks types, sizes and that every choice is one the user may make (their offices, their
colleagues, the people they follow). Rules across fields (an office or another place, an interpreter
language with its service) stay in ``services.appointment_create`` / ``appointment_update``; the view
maps the service's errors back onto these fields.
"""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cai.choices import Role

from ..choices import AppointmentMode, InterpreterService
from ..models import Appointment, EsfActionType, Language, Office, Person, RequestType

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
EARLIEST_YEAR = 2000
YEARS_AHEAD = 5
NOTES_MAX = 5000

# The fields passed to the services as keyword arguments (``request_types`` travels on its own).
SERVICE_FIELDS = (
    "starts_at",
    "duration_minutes",
    "office",
    "place_other",
    "mode",
    "counsellor",
    "interpreter_language",
    "interpreter_service",
    "esf_action_type",
    "notes",
    "confidential_notes",
)


def rounded_now(step_minutes: int = 15) -> dt.datetime:
    """Now in the current time zone (Europe/Brussels), rounded to the nearest quarter hour."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    floor = now - dt.timedelta(minutes=now.minute % step_minutes)
    if now - floor >= dt.timedelta(minutes=step_minutes / 2):
        return floor + dt.timedelta(minutes=step_minutes)
    return floor


def default_initial(*, user, person: Person | None) -> dict:
    """Defaults of a new appointment: now, 30 minutes, in person, by the user, at the person's office,
    with the interpreter the file says the person needs."""
    initial = {
        "starts_at": rounded_now(),
        "duration_minutes": 30,
        "mode": AppointmentMode.IN_PERSON,
        "counsellor": user.pk,
    }
    if person is not None:
        initial["office"] = person.office_id
        if person.interpreter_needed and person.interpreter_language_id:
            initial["interpreter_language"] = person.interpreter_language_id
            initial["interpreter_service"] = InterpreterService.SETIS
    else:
        offices = list(user.offices.all()[:2])
        if len(offices) == 1:
            initial["office"] = offices[0].pk
    return initial


def appointment_initial(appointment: Appointment) -> dict:
    """The current values of an appointment, for the edit form."""
    initial = {name: getattr(appointment, name) for name in SERVICE_FIELDS}
    for name in ("office", "counsellor", "interpreter_language", "esf_action_type"):
        initial[name] = getattr(appointment, f"{name}_id")
    initial["request_types"] = [t.pk for t in appointment.request_types.all()]
    return initial


class DateTimeLocalField(forms.DateTimeField):
    """A date *and* a time. A date alone, which ISO parsing would take for midnight, is refused."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and ":" not in value:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        if person.birth_date:
            return f"{person} ({person.birth_date:%d/%m/%Y})"
        return str(person)


class CounsellorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class AppointmentForm(forms.Form):
    person = PersonChoiceField(
        label=_("Personne"),
        queryset=Person.objects.none(),
        empty_label=_("— choisir une personne —"),
        error_messages={
            "required": _("Choisissez la personne reçue."),
            "invalid_choice": _("Choisissez une personne suivie par vos bureaux."),
        },
    )
    starts_at = DateTimeLocalField(
        label=_("Date et heure"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": 60}, format=DATETIME_LOCAL),
        error_messages={
            "required": _("Indiquez la date et l'heure du rendez-vous."),
            "invalid": _("La date et l'heure du rendez-vous ne sont pas valides (jj/mm/aaaa hh:mm)."),
        },
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"),
        min_value=1,
        max_value=600,
        error_messages={
            "required": _("Indiquez la durée du rendez-vous."),
            "invalid": _("La durée doit être un nombre entier de minutes."),
            "min_value": _("La durée doit être comprise entre 1 et 600 minutes."),
            "max_value": _("La durée doit être comprise entre 1 et 600 minutes."),
        },
    )
    office = forms.ModelChoiceField(
        label=_("Bureau"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("— ailleurs (préciser) —"),
        error_messages={"invalid_choice": _("Ce bureau n'existe pas ou ne fait pas partie de vos bureaux.")},
    )
    place_other = forms.CharField(
        label=_("Autre lieu"),
        required=False,
        max_length=150,
        error_messages={"max_length": _("L'autre lieu ne peut dépasser %(limit_value)d caractères.")},
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=AppointmentMode.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={
            "required": _("Choisissez le mode du rendez-vous."),
            "invalid_choice": _("Choisissez un mode de rendez-vous de la liste."),
        },
    )
    counsellor = CounsellorChoiceField(
        label=_("Accompagnateur·rice"),
        queryset=get_user_model().objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choisissez l'accompagnateur·rice."),
            "invalid_choice": _("Choisissez un·e accompagnateur·rice de vos bureaux."),
        },
    )
    interpreter_language = forms.ModelChoiceField(
        label=_("Interprète (langue)"),
        queryset=Language.objects.all(),
        required=False,
        empty_label=_("Pas d'interprète"),
        error_messages={"invalid_choice": _("Choisissez une langue d'interprétation de la liste.")},
    )
    interpreter_service = forms.ChoiceField(
        label=_("Service d'interprétation"),
        choices=[("", "—"), *InterpreterService.choices],
        required=False,
        error_messages={"invalid_choice": _("Choisissez SeTIS ou un autre interprète.")},
    )
    request_types = forms.ModelMultipleChoiceField(
        label=_("Types de demande"),
        queryset=RequestType.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={
            "required": _("Choisissez au moins un type de demande."),
            "invalid_choice": _("Ce type de demande n'existe pas."),
            "invalid_pk_value": _("Ce type de demande n'existe pas."),
        },
    )
    esf_action_type = forms.ModelChoiceField(
        label=_("Action FSE"),
        queryset=EsfActionType.objects.none(),
        required=False,
        empty_label=_("Aucune"),
        error_messages={"invalid_choice": _("Choisissez une action FSE de la liste.")},
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _(
                "Les notes ne peuvent dépasser %(limit_value)d caractères (actuellement %(show_value)d)."
            )
        },
    )
    confidential_notes = forms.CharField(
        label=_("Notes confidentielles"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Visibles seulement par les accompagnateur·rice·s du bureau de la personne."),
        error_messages={
            "max_length": _(
                "Les notes confidentielles ne peuvent dépasser %(limit_value)d caractères (actuellement %(show_value)d)."
            )
        },
    )

    def __init__(self, *args, user, person=None, appointment=None, show_confidential=False, **kwargs):
        """``person``: fixed person (no select); ``appointment``: the one being edited, whose current
        choices stay selectable; ``show_confidential``: whether the user may read and write the
        confidential notes (otherwise the field is absent and the notes are left untouched)."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.person = person or (appointment.person if appointment else None)
        if self.person is not None:
            del self.fields["person"]
        else:
            self.fields["person"].queryset = Person.objects.visible_to(user).order_by(
                "last_name", "first_name", "pk"
            )
        if not show_confidential:
            del self.fields["confidential_notes"]
        self.fields["office"].queryset = self._office_choices(appointment)
        self.fields["counsellor"].queryset = self._counsellor_choices(appointment)
        self.fields["request_types"].queryset = self._reference_choices(
            RequestType, [t.pk for t in appointment.request_types.all()] if appointment else []
        )
        self.fields["esf_action_type"].queryset = self._reference_choices(
            EsfActionType,
            [appointment.esf_action_type_id] if appointment and appointment.esf_action_type_id else [],
        )
        self._add_bootstrap_classes()

    def _office_choices(self, appointment):
        if self.user.reads_all_people:
            return Office.objects.all()
        current = Q(pk=appointment.office_id) if appointment and appointment.office_id else Q(pk__in=[])
        return Office.objects.filter(Q(staff=self.user) | current).distinct()

    def _counsellor_choices(self, appointment):
        """The counsellors of the user's offices (all counsellors for the director and administrators),
        the user, and the appointment's current counsellor."""
        users = get_user_model().objects.filter(is_active=True)
        if self.user.reads_all_people:
            scope = Q(role=Role.COUNSELLOR)
        else:
            scope = Q(role=Role.COUNSELLOR, offices__in=self.user.offices.all())
        scope |= Q(pk=self.user.pk)
        if appointment is not None:
            scope |= Q(pk=appointment.counsellor_id)
        return users.filter(scope).distinct().order_by("last_name", "first_name", "username")

    @staticmethod
    def _reference_choices(model, current_pks):
        return model.objects.filter(Q(active=True) | Q(pk__in=current_pks))

    def _add_bootstrap_classes(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        """Also mark the widgets of fields in error (Bootstrap's ``is-invalid``)."""
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def clean_starts_at(self):
        """Refuse dates no appointment can have (a typo such as 0202 for 2026), which would also
        overflow when converted to UTC."""
        value = self.cleaned_data["starts_at"]
        latest = timezone.localdate().year + YEARS_AHEAD
        if not EARLIEST_YEAR <= timezone.localtime(value).year <= latest:
            raise forms.ValidationError(
                _("La date du rendez-vous doit se situer entre %(first)s et %(last)s."),
                params={"first": EARLIEST_YEAR, "last": latest},
                code="out_of_range",
            )
        return value

    def service_kwargs(self) -> dict:
        """The cleaned values as the services take them (``request_types`` apart)."""
        fields = {name: self.cleaned_data[name] for name in SERVICE_FIELDS if name in self.fields}
        if self.person is None:
            fields["person"] = self.cleaned_data["person"]
        else:
            fields["person"] = self.person
        return fields

    def add_service_errors(self, error) -> None:
        """Show a service's ``ValidationError`` on the fields it names; other keys become
        non-field errors."""
        messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, field_messages in messages.items():
            target = field if field in self.fields else None
            for message in field_messages:
                self.add_error(target, message)
