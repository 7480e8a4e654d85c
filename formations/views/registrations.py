"""Registrations of professionals to a session: add (the waiting list when the session is full),
cancel (the waiting list moves up), and attendance marking (an HTMX toggle returning the row)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django_htmx.http import reswap, retarget

from .. import selectors, services
from ..choices import RegistrationStatus
from ..forms import AttendanceForm, RegistrationForm
from .common import ManagesTrainingsMixin, is_fragment_request
from .sessions import REGISTRATION_MESSAGES_TARGET, render_session_page


class RegistrationAddView(ManagesTrainingsMixin, View):
    """POST: register a professional. A full session puts them on the waiting list, and says so; a
    refused registration shows the session page with the form's errors (nothing saved)."""

    def post(self, request, pk):
        session = selectors.get_session_for_user(user=request.user, pk=pk)
        form = RegistrationForm(request.POST)
        if form.is_valid():
            try:
                registration = services.registration_add(
                    actor=request.user, session=session, **form.service_kwargs()
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                if registration.status == RegistrationStatus.WAITING:
                    messages.warning(
                        request,
                        _(
                            "La session est complète : %(name)s est placé·e sur la liste d'attente. "
                            "Une place libérée lui reviendra dans l'ordre d'inscription."
                        )
                        % {"name": registration.name},
                    )
                else:
                    messages.success(request, _("%(name)s est inscrit·e.") % {"name": registration.name})
                return redirect(session.get_absolute_url())
        return render_session_page(request, session, registration_form=form)


class RegistrationCancelView(ManagesTrainingsMixin, View):
    """POST: cancel a registration; the first of the waiting list takes the freed place."""

    def post(self, request, pk):
        registration = selectors.get_registration_for_user(user=request.user, pk=pk)
        try:
            promoted = services.registration_cancel(actor=request.user, registration=registration)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Inscription de %(name)s annulée.") % {"name": registration.name})
            for other in promoted:
                messages.info(
                    request,
                    _("%(name)s quitte la liste d'attente et prend la place libérée.") % {"name": other.name},
                )
        return redirect(registration.session.get_absolute_url())


class RegistrationAttendanceView(ManagesTrainingsMixin, View):
    """POST ``attended`` (1 present, 0 absent). HTMX answers with the updated row (or the error, above
    the list); a plain POST redirects to the session with a message."""

    row_template_name = "formations/partials/registration_row.html"
    errors_template_name = "formations/partials/registration_errors.html"

    def post(self, request, pk):
        registration = selectors.get_registration_for_user(user=request.user, pk=pk)
        session = registration.session
        form = AttendanceForm(request.POST)
        errors = []
        if form.is_valid():
            try:
                registration = services.registration_set_attendance(
                    actor=request.user, registration=registration, attended=form.cleaned_data["attended"]
                )
            except ValidationError as error:
                errors = error.messages
        else:
            errors = [message for field_errors in form.errors.values() for message in field_errors]
        if errors:
            return self.refused(errors, session)
        if is_fragment_request(request):
            context = {"registration": registration, "session": session, "started": True}
            return render(request, self.row_template_name, context)
        if registration.attended:
            messages.success(request, _("%(name)s est noté·e présent·e.") % {"name": registration.name})
        else:
            messages.success(request, _("%(name)s est noté·e absent·e.") % {"name": registration.name})
        return redirect(session.get_absolute_url())

    def refused(self, errors, session):
        if is_fragment_request(self.request):
            response = render(self.request, self.errors_template_name, {"errors": errors})
            return reswap(retarget(response, f"#{REGISTRATION_MESSAGES_TARGET}"), "innerHTML")
        for error in errors:
            messages.error(self.request, error)
        return redirect(session.get_absolute_url())
