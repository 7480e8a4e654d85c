"""Forms of the trainings pages. They check types, sizes and choices, with French messages; the
services keep the rules (dates in order, a place or online, capacity, duplicates) and the views show
the services' errors on these fields (``add_service_errors``)."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accompagnement.forms.appointments import DATETIME_LOCAL, DateTimeLocalField
from cai.choices import Role
from cai.widgets import LargeSelect
from plateformes.models import Operator

from .filters import EARLIEST_YEAR, LATEST_YEAR
from .selectors import default_programme_year
from .services import TrainerSpec

DATETIME_FORMATS = [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"]
UNKNOWN_OPERATOR = _("Cette organisation ne figure pas dans le répertoire des opérateurs.")


def max_length_message(label: str):
    return _("%(label)s ne peut dépasser %%(limit_value)d caractères.") % {"label": label}


class BootstrapFormMixin:
    """Bootstrap classes on the widgets, ``is-invalid`` on fields in error, and a service's
    ``ValidationError`` shown on the fields it names (other keys become non-field errors)."""

    def add_bootstrap_classes(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.HiddenInput):
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

    def add_service_errors(self, error, *, aliases=None) -> None:
        """``aliases`` maps a service's key onto a form field (``new_date`` → ``postponed_to``…)."""
        aliases = aliases or {}
        messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for key, key_messages in messages.items():
            field = aliases.get(key, key)
            for message in key_messages:
                self.add_error(field if field in self.fields else None, message)


class OperatorNameIterator(forms.models.ModelChoiceIterator):
    """The operators offered as (id, name) pairs read with ``values_list``: no model instance per option
    (a session page offers the whole directory twice, 2,000 options at the bench's volume)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class OperatorChoiceField(forms.ModelChoiceField):
    """An operator of the directory, by id; an unknown id is refused with a French message."""

    iterator = OperatorNameIterator

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Operator.objects.none())
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", _("— hors répertoire —"))
        kwargs.setdefault("error_messages", {"invalid_choice": UNKNOWN_OPERATOR})
        kwargs.setdefault("widget", LargeSelect)  # the whole directory: 1,000 operators and more
        super().__init__(**kwargs)


def operator_choices(current=None):
    """Active operators, plus the one already chosen if it became inactive."""
    condition = Q(active=True)
    if current is not None:
        condition |= Q(pk=current)
    return Operator.objects.filter(condition).only("pk", "name").order_by("name")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


def staff_users():
    """Who may give a training for the centre: active staff (every role but commune agents)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(role=Role.COMMUNE_AGENT)
        .order_by("last_name", "first_name", "username")
    )


class TrainingForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Titre"),
        max_length=250,
        error_messages={
            "required": _("Indiquez le titre de la formation."),
            "max_length": max_length_message(_("Le titre")),
        },
    )
    theme = forms.CharField(
        label=_("Thème"),
        required=False,
        max_length=150,
        help_text=_("Par exemple : interculturalité, droit des étrangers, antiracisme."),
        error_messages={"max_length": max_length_message(_("Le thème"))},
    )
    audience = forms.CharField(
        label=_("Public"),
        required=False,
        max_length=250,
        error_messages={"max_length": max_length_message(_("Le public"))},
    )
    objectives = forms.CharField(
        label=_("Objectifs"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": max_length_message(_("Les objectifs"))},
    )
    modules = forms.CharField(
        label=_("Modules"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Un module par ligne."),
        error_messages={"max_length": max_length_message(_("Les modules"))},
    )
    on_request_for = OperatorChoiceField(label=_("Formation à la demande de (répertoire)"))
    on_request_for_name = forms.CharField(
        label=_("ou demandeur hors répertoire"),
        required=False,
        max_length=200,
        help_text=_("Une commune, un CPAS, une entreprise… absents du répertoire des opérateurs."),
        error_messages={"max_length": max_length_message(_("Le demandeur"))},
    )
    active = forms.BooleanField(label=_("Au catalogue"), required=False, initial=True)

    def __init__(self, *args, training=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = training.on_request_for_id if training is not None else None
        self.fields["on_request_for"].queryset = operator_choices(current)
        self.add_bootstrap_classes()

    def clean(self):
        data = super().clean()
        if data.get("on_request_for") and (data.get("on_request_for_name") or "").strip():
            self.add_error(
                "on_request_for_name",
                _(
                    "Choisissez un opérateur du répertoire ou indiquez un demandeur hors répertoire, pas les deux."
                ),
            )
        return data

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


def training_initial(training) -> dict:
    names = ("title", "theme", "audience", "objectives", "modules", "on_request_for_name", "active")
    initial = {name: getattr(training, name) for name in names}
    initial["on_request_for"] = training.on_request_for_id
    return initial


def datetime_field(label, required_message):
    return DateTimeLocalField(
        label=label,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": 60}, format=DATETIME_LOCAL),
        error_messages={
            "required": required_message,
            "invalid": _("Indiquez une date et une heure valides (jj/mm/aaaa hh:mm)."),
        },
    )


class SessionForm(BootstrapFormMixin, forms.Form):
    starts_at = datetime_field(_("Début"), _("Indiquez la date et l'heure de début de la session."))
    ends_at = datetime_field(_("Fin"), _("Indiquez la date et l'heure de fin de la session."))
    place = forms.CharField(
        label=_("Lieu"),
        required=False,
        max_length=200,
        error_messages={"max_length": max_length_message(_("Le lieu"))},
    )
    online = forms.BooleanField(label=_("En ligne"), required=False)
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("Laissez vide pour ne pas limiter. Au-delà, les inscriptions vont en liste d'attente."),
        error_messages={
            "invalid": _("Le nombre de places doit être un nombre entier."),
            "min_value": _("Indiquez au moins une place, ou laissez vide pour ne pas limiter."),
            "max_value": _("Indiquez au plus %(limit_value)s places."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_bootstrap_classes()

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("La fin doit suivre le début."))
        for name in ("starts_at", "ends_at"):
            value = data.get(name)
            if value and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
                self.add_error(
                    name,
                    _("La date doit se situer entre %(first)s et %(last)s.")
                    % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
                )
        if not data.get("online") and not (data.get("place") or "").strip() and "place" not in self.errors:
            self.add_error("place", _("Indiquez le lieu de la session, ou cochez « En ligne »."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "place": data["place"].strip(),
            "online": data["online"],
            "capacity": data["capacity"],
        }


def session_initial(session) -> dict:
    names = ("starts_at", "ends_at", "place", "online", "capacity")
    return {name: getattr(session, name) for name in names}


class TrainerForm(BootstrapFormMixin, forms.Form):
    user = StaffChoiceField(
        label=_("Membre de l'équipe"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("— personne de l'équipe —"),
        error_messages={"invalid_choice": _("Choisissez un membre de l'équipe de la liste.")},
    )
    name = forms.CharField(
        label=_("ou intervenant·e externe"),
        required=False,
        max_length=150,
        error_messages={"max_length": max_length_message(_("Le nom"))},
    )
    operator = OperatorChoiceField(label=_("Organisation de l'intervenant·e"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "formateur_%s")  # unique ids beside the registration form
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_users()
        self.fields["operator"].queryset = operator_choices()
        self.add_bootstrap_classes()

    def spec(self) -> TrainerSpec:
        data = self.cleaned_data
        return TrainerSpec(user=data["user"], name=data["name"].strip(), operator=data["operator"])


class PostponeForm(BootstrapFormMixin, forms.Form):
    new_date = datetime_field(_("Nouvelle date et heure"), _("Indiquez la nouvelle date de la session."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_bootstrap_classes()


class CancelForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Indiquez le motif de l'annulation."),
            "max_length": max_length_message(_("Le motif")),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_bootstrap_classes()


class RegistrationForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        error_messages={
            "required": _("Indiquez le nom de la personne."),
            "max_length": max_length_message(_("Le nom")),
        },
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        error_messages={
            "required": _("Indiquez l'adresse e-mail de la personne."),
            "invalid": _("Indiquez une adresse e-mail valide."),
            "max_length": max_length_message(_("L'adresse e-mail")),
        },
    )
    operator = OperatorChoiceField(label=_("Organisation (répertoire)"))
    organisation = forms.CharField(
        label=_("ou organisation hors répertoire"),
        required=False,
        max_length=200,
        error_messages={"max_length": max_length_message(_("L'organisation"))},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "inscription_%s")  # unique ids beside the trainer form
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = operator_choices()
        self.add_bootstrap_classes()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "organisation": data["organisation"].strip(),
            "operator": data["operator"],
        }


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        choices=[("1", _("Présent·e")), ("0", _("Absent·e"))],
        coerce=lambda value: value == "1",
        error_messages={
            "required": _("Indiquez « présent·e » ou « absent·e »."),
            "invalid_choice": _("Indiquez « présent·e » ou « absent·e »."),
        },
    )


class ProgrammeYearForm(BootstrapFormMixin, forms.Form):
    annee = forms.IntegerField(
        label=_("Année"),
        required=False,
        min_value=EARLIEST_YEAR,
        max_value=LATEST_YEAR,
        error_messages={
            "invalid": _("L'année doit être un nombre (par exemple %(year)s).") % {"year": 2027},
            "min_value": _("L'année doit se situer entre %(first)s et %(last)s.")
            % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
            "max_value": _("L'année doit se situer entre %(first)s et %(last)s.")
            % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
        },
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.add_bootstrap_classes()

    def year(self) -> int:
        """The chosen year, or the coming year when none (or an invalid one) was given."""
        if self.is_bound and self.is_valid() and self.cleaned_data.get("annee"):
            return self.cleaned_data["annee"]
        return default_programme_year()
