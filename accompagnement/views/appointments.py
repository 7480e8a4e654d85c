"""Appointment pages: log one in under a minute, list, read, edit, delete.

Reads go through the selectors (the access gate: out of scope and missing both answer 404), writes
through the services. Roles are checked before any lookup, so a 403 never reveals that an object
exists.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView

from cai.filtering import SortByTriMixin

from .. import selectors, services
from ..filters import AppointmentFilter
from ..forms.appointments import AppointmentForm, appointment_initial, default_initial

RESULTS_TARGET = "appointment-results"


def reads_appointments(user) -> bool:
    """Counsellors (their offices), the director and administrators (everything)."""
    return user.is_active and (user.is_counsellor or user.reads_all_people)


def writes_appointments(user) -> bool:
    """Counsellors and administrators; the director reads but does not edit."""
    return user.is_active and (user.is_counsellor or user.is_administrator)


def when(appointment) -> dict:
    local = timezone.localtime(appointment.starts_at)
    return {"date": local.strftime("%d/%m/%Y"), "time": local.strftime("%H:%M")}


class ReadsAppointmentsMixin(UserPassesTestMixin):
    raise_exception = True

    def test_func(self):
        return reads_appointments(self.request.user)


class WritesAppointmentsMixin(UserPassesTestMixin):
    raise_exception = True

    def test_func(self):
        return writes_appointments(self.request.user)


class AppointmentObjectMixin:
    @cached_property
    def appointment(self):
        return selectors.get_appointment_for_user(user=self.request.user, pk=self.kwargs["pk"])


class AppointmentListView(SortByTriMixin, ReadsAppointmentsMixin, FilterView):
    """Appointments the user may see, filtered (shared ``AppointmentFilter``), sorted, 25 a page.
    An HTMX request aimed at the results answers with the results fragment only."""

    filterset_class = AppointmentFilter
    paginate_by = 25
    context_object_name = "appointments"

    def get_queryset(self):
        return selectors.appointment_list(user=self.request.user)

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == RESULTS_TARGET:
            return ["accompagnement/partials/appointment_results.html"]
        return ["accompagnement/appointment_list.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.filterset.data or {}
        context["is_filtered"] = any(
            value for key, value in data.items() if key not in {"page", "tri", "ordering"}
        )
        context["can_write"] = writes_appointments(self.request.user)
        context["results_target"] = RESULTS_TARGET
        self._style_filter_form(self.filterset.form)
        return context

    @staticmethod
    def _style_filter_form(form):
        for name, field in form.fields.items():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
                field.empty_label = _("Tous")
                if not isinstance(field, forms.ModelChoiceField):  # plain choices are listed once built
                    field.choices = [choice for choice in field.choices if choice[0] != ""]
            else:
                field.widget.attrs["class"] = "form-control form-control-sm"
            if name in {"date_from", "date_to"}:
                field.widget.input_type = "date"


class AppointmentCreateView(WritesAppointmentsMixin, FormView):
    """``?personne=<pk>`` fixes the person (404 when out of scope); without it, a select offers the
    people the user follows."""

    form_class = AppointmentForm
    template_name = "accompagnement/appointment_form.html"

    @cached_property
    def person(self):
        pk = self.request.GET.get("personne", "").strip()
        if not pk:
            return None
        return selectors.get_person_for_user(user=self.request.user, pk=pk)

    def get_initial(self):
        return default_initial(user=self.request.user, person=self.person)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        if self.person is not None:
            show_confidential = selectors.can_read_confidential_notes(user=user, person=self.person)
        else:
            # A counsellor can only pick people of their own offices, whose confidential notes they read.
            show_confidential = user.is_counsellor
        kwargs.update(user=user, person=self.person, show_confidential=show_confidential)
        return kwargs

    def form_valid(self, form):
        fields = form.service_kwargs()
        if "confidential_notes" in fields and not selectors.can_read_confidential_notes(
            user=self.request.user, person=fields["person"]
        ):
            fields.pop("confidential_notes")
        try:
            appointment = services.appointment_create(
                actor=self.request.user, request_types=list(form.cleaned_data["request_types"]), **fields
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Rendez-vous du %(date)s à %(time)s enregistré.") % when(appointment)
        )
        return redirect(appointment.person.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(person=self.person, appointment=None)
        return context


class AppointmentDetailView(ReadsAppointmentsMixin, DetailView):
    template_name = "accompagnement/appointment_detail.html"
    context_object_name = "appointment"

    def get_object(self, queryset=None):
        return selectors.get_appointment_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["show_confidential"] = selectors.can_read_confidential_notes(
            user=user, person=self.object.person
        )
        context["can_write"] = writes_appointments(user)
        return context


class AppointmentUpdateView(WritesAppointmentsMixin, AppointmentObjectMixin, FormView):
    form_class = AppointmentForm
    template_name = "accompagnement/appointment_form.html"

    def get_initial(self):
        return appointment_initial(self.appointment)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs.update(
            user=user,
            appointment=self.appointment,
            show_confidential=selectors.can_read_confidential_notes(
                user=user, person=self.appointment.person
            ),
        )
        return kwargs

    def form_valid(self, form):
        fields = form.service_kwargs()
        fields.pop("person")  # an appointment never moves to another file
        try:
            services.appointment_update(
                actor=self.request.user,
                appointment=self.appointment,
                request_types=list(form.cleaned_data["request_types"]),
                **fields,
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Rendez-vous du %(date)s à %(time)s modifié.") % when(self.appointment)
        )
        return redirect(self.appointment.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(person=self.appointment.person, appointment=self.appointment)
        return context


class AppointmentDeleteView(WritesAppointmentsMixin, AppointmentObjectMixin, TemplateView):
    """GET shows a confirmation page; POST deletes and returns to the person's file."""

    template_name = "accompagnement/appointment_confirm_delete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["appointment"] = self.appointment
        return context

    def post(self, request, *args, **kwargs):
        appointment = self.appointment
        person, moment = appointment.person, when(appointment)
        services.appointment_delete(actor=request.user, appointment=appointment)
        messages.success(request, _("Rendez-vous du %(date)s à %(time)s supprimé.") % moment)
        return redirect(person.get_absolute_url())
