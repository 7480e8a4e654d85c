"""Forms of the partner network.

They are ``ModelForm``s for their declarations (fields, labels, widgets, sizes, choices) but never save
and never run the model's validation: the views hand ``service_kwargs()`` to the services, which
validate and save, and show the services' errors on these fields (``add_service_errors``). Every field
gets a French message that names it when it is missing or too long.
"""

from django import forms
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from accompagnement.forms.appointments import DATETIME_LOCAL, DateTimeLocalField
from accompagnement.models import Commune, Office

from . import services
from .models import (
    Acronym,
    AwarenessAction,
    FollowUpAction,
    GovernanceMeeting,
    Group,
    GroupMember,
    Interpellation,
    Meeting,
    MeetingAttendee,
    Offer,
    Operator,
    OperatorContact,
    StaffMember,
    SupportAction,
)
from .selectors import staff_users

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 60}, format=DATETIME_LOCAL)
DATETIME_FORMATS = [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
UNKNOWN_OPERATOR = _("Cet opérateur n'existe pas dans le répertoire : choisissez-en un de la liste.")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class ServiceForm(forms.ModelForm):
    """Base of the network's forms: Bootstrap classes, French messages naming each field, no model
    validation (the service does it), and the service's errors shown on the fields they name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            self._name_field_in_messages(field)
            self._style(field)

    @staticmethod
    def _name_field_in_messages(field) -> None:
        label = str(field.label or "").replace("%", "%%")
        field.error_messages["required"] = _("Indiquez « %(label)s ».") % {"label": label}
        if getattr(field, "max_length", None):
            field.error_messages["max_length"] = _(
                "« %(label)s » ne peut dépasser %%(limit_value)d caractères (actuellement %%(show_value)d)."
            ) % {"label": label}
        if isinstance(field, forms.ModelChoiceField | forms.ChoiceField):
            field.error_messages["invalid_choice"] = _(
                "« %(label)s » : choisissez une valeur de la liste."
            ) % {"label": label}
            if isinstance(field, forms.ModelChoiceField) and field.queryset.model is Operator:
                field.error_messages["invalid_choice"] = UNKNOWN_OPERATOR
                field.error_messages["invalid_pk_value"] = UNKNOWN_OPERATOR
        if isinstance(field, forms.DateTimeField):
            field.error_messages["invalid"] = _(
                "« %(label)s » : indiquez une date et une heure (jj/mm/aaaa hh:mm)."
            ) % {"label": label}
        elif isinstance(field, forms.DateField):
            field.error_messages["invalid"] = _("« %(label)s » : indiquez une date (jj/mm/aaaa).") % {
                "label": label
            }

    @staticmethod
    def _style(field) -> None:
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.HiddenInput):
            return
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def _post_clean(self):
        """No model validation here: the service validates the whole change, children included."""

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def add_service_errors(self, error, *, children: dict | None = None) -> None:
        """A service's ``ValidationError``: messages on the fields they name, the others above the form.
        ``children`` maps a child list's key (``contacts``…) to the formset that shows its messages."""
        messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for key, formset in (children or {}).items():
            formset.add_service_errors(messages.pop(key, []))
        for field, field_messages in messages.items():
            target = field if field in self.fields else None
            for message in field_messages:
                self.add_error(target, message)

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def active_operators(current=None):
    """Operators one may choose: the active ones, plus the one already chosen (kept when editing)."""
    operators = Operator.objects.filter(active=True)
    if current is not None:
        operators = operators | Operator.objects.filter(pk=current)
    return operators.order_by("name")


# Operators and their contacts


class OperatorForm(ServiceForm):
    website = forms.URLField(label=_("site web"), required=False, max_length=200, assume_scheme="https")
    territories = forms.ModelMultipleChoiceField(
        label=_("Territoires desservis (bureaux)"),
        queryset=Office.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = Operator
        fields = [*services.OPERATOR_FIELDS, "territories"]
        widgets = {"address": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.order_by("name")
        self.fields["commune"].empty_label = _("— aucune —")


class ContactForm(ServiceForm):
    class Meta:
        model = OperatorContact
        fields = list(services.CONTACT_FIELDS)


class ServiceInlineFormSet(BaseInlineFormSet):
    """Rows of a child list. ``items()`` is the complete new list for the service: kept and new rows,
    each a dict of fields (``id`` for an existing row); deleted rows and untouched blank rows are left out."""

    def items(self) -> list[dict]:
        items = []
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            item = {name: form.cleaned_data.get(name) for name in form._meta.fields if name != self.fk.name}
            if form.instance.pk is not None:
                item["id"] = form.instance.pk
            items.append(self.prepare_item(item))
        return items

    def prepare_item(self, item: dict) -> dict:
        return item

    def add_service_errors(self, messages) -> None:
        """The service's messages about these rows, shown above the rows."""
        self._non_form_errors = self.error_class([*self.non_form_errors(), *messages])


ContactFormSet = inlineformset_factory(
    Operator,
    OperatorContact,
    form=ContactForm,
    formset=ServiceInlineFormSet,
    fields=list(services.CONTACT_FIELDS),
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


# Offer


class OfferForm(ServiceForm):
    territories = forms.ModelMultipleChoiceField(
        label=_("Territoires (bureaux)"),
        queryset=Office.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = Offer
        fields = [*services.OFFER_FIELDS, "territories"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.order_by("name")
        self.fields["commune"].empty_label = _("— aucune —")
        self.fields["citizenship_format"].choices = [("", "—"), ("FIC", "FIC"), ("AOC", "AOC")]


# Support actions


class SupportActionForm(ServiceForm):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT, input_formats=DATE_FORMATS)
    staff = StaffChoiceField(label=_("Membre de l'équipe"), queryset=staff_users())

    class Meta:
        model = SupportAction
        fields = list(services.SUPPORT_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = active_operators(self.instance.operator_id)


# Groups and members


class GroupForm(ServiceForm):
    pilot = StaffChoiceField(
        label=_("Pilote"), queryset=staff_users(), required=False, empty_label=_("— personne —")
    )

    class Meta:
        model = Group
        fields = list(services.GROUP_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.order_by("name")
        self.fields["office"].empty_label = _("— portée provinciale —")


class GroupMemberForm(ServiceForm):
    class Meta:
        model = GroupMember
        fields = list(services.MEMBER_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = active_operators()
        self.fields["operator"].empty_label = _("— aucun (personne seule) —")


# Meetings, attendees, follow-up actions


class MeetingForm(ServiceForm):
    starts_at = DateTimeLocalField(label=_("Début"), input_formats=DATETIME_FORMATS, widget=DATETIME_INPUT)
    ends_at = DateTimeLocalField(
        label=_("Fin"), input_formats=DATETIME_FORMATS, widget=DATETIME_INPUT, required=False
    )

    class Meta:
        model = Meeting
        fields = list(services.MEETING_FIELDS)
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, member):
        return str(member)


class AttendeeForm(ServiceForm):
    member = MemberChoiceField(
        label=_("Membre du groupe"),
        queryset=GroupMember.objects.none(),
        required=False,
        empty_label=_("— invité·e —"),
    )

    class Meta:
        model = MeetingAttendee
        fields = list(services.ATTENDEE_FIELDS)

    CHOICE_FIELDS = ("member", "operator")

    def __init__(self, *args, group=None, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False  # taken from the membership when a member is chosen
        self.fields["name"].help_text = ""
        if group is not None:
            self.fields["member"].queryset = group.members.select_related("operator").order_by("name", "id")
        self.fields["member"].error_messages["invalid_choice"] = _("Choisissez un membre de ce groupe.")
        self.fields["operator"].queryset = Operator.objects.order_by("name")
        self.fields["operator"].empty_label = _("— hors répertoire —")
        for name, values in (choices or {}).items():
            self.fields[name].choices = values  # shown as given; still validated against the queryset


class FollowUpForm(ServiceForm):
    due_on = forms.DateField(
        label=_("Échéance"), widget=DATE_INPUT, input_formats=DATE_FORMATS, required=False
    )

    class Meta:
        model = FollowUpAction
        fields = list(services.FOLLOW_UP_FIELDS)


class AttendeeFormSet(ServiceInlineFormSet):
    """The attendee rows share one list of members and one of operators: two queries for the whole
    form, however many rows it has."""

    def __init__(self, *args, group=None, **kwargs):
        self.group = group
        self._shared_choices = None
        super().__init__(*args, **kwargs)

    def shared_choices(self) -> dict:
        if self._shared_choices is None:
            sample = self.form(group=self.group, prefix="sample")
            self._shared_choices = {
                name: list(sample.fields[name].choices) for name in AttendeeForm.CHOICE_FIELDS
            }
        return self._shared_choices

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "group": self.group, "choices": self.shared_choices()}


AttendeeFormSetFactory = inlineformset_factory(
    Meeting,
    MeetingAttendee,
    form=AttendeeForm,
    formset=AttendeeFormSet,
    fields=list(services.ATTENDEE_FIELDS),
    extra=2,
    can_delete=True,
    max_num=200,
    validate_max=True,
)
FollowUpFormSet = inlineformset_factory(
    Meeting,
    FollowUpAction,
    form=FollowUpForm,
    formset=ServiceInlineFormSet,
    fields=list(services.FOLLOW_UP_FIELDS),
    extra=1,
    can_delete=True,
    max_num=100,
    validate_max=True,
)


# Awareness actions, interpellations, governance, team, glossary


class AwarenessActionForm(ServiceForm):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT, input_formats=DATE_FORMATS)

    class Meta:
        model = AwarenessAction
        fields = list(services.AWARENESS_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class InterpellationForm(ServiceForm):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT, input_formats=DATE_FORMATS)

    class Meta:
        model = Interpellation
        fields = list(services.INTERPELLATION_FIELDS)
        widgets = {
            "co_signatories": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.order_by("name")
        self.fields["commune"].empty_label = _("— aucune —")


class GovernanceMeetingForm(ServiceForm):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT, input_formats=DATE_FORMATS)

    class Meta:
        model = GovernanceMeeting
        fields = list(services.GOVERNANCE_FIELDS)


class StaffMemberForm(ServiceForm):
    user = StaffChoiceField(
        label=_("Compte"), queryset=staff_users(), required=False, empty_label=_("— pas de compte —")
    )
    since = forms.DateField(label=_("Depuis"), widget=DATE_INPUT, input_formats=DATE_FORMATS, required=False)
    until = forms.DateField(
        label=_("Jusqu'au"), widget=DATE_INPUT, input_formats=DATE_FORMATS, required=False
    )

    class Meta:
        model = StaffMember
        fields = list(services.STAFF_FIELDS)


class AcronymForm(ServiceForm):
    class Meta:
        model = Acronym
        fields = list(services.ACRONYM_FIELDS)
