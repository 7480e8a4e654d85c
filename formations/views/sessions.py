"""Training sessions: the list, planning and editing a session, its page (trainers, registrations,
attendance), and its status changes (held, postponed, cancelled) through the services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from .. import selectors, services
from ..choices import SessionStatus
from ..filters import TrainingSessionFilter
from ..forms import CancelForm, PostponeForm, RegistrationForm, SessionForm, TrainerForm, session_initial
from ..models import Trainer
from .common import FilteredListView, ManagesTrainingsMixin

REGISTRATION_MESSAGES_TARGET = "registration-messages"


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


class SessionListView(FilteredListView):
    """Every session, filtered (status, year, training, modality), sorted, 25 a page, with its places
    taken against its capacity, its waiting list and its attendance (annotations: no query per row)."""

    filterset_class = TrainingSessionFilter
    template_name = "formations/session_list.html"
    fragment_template_name = "formations/partials/session_results.html"
    results_target = "session-results"
    context_object_name = "sessions"
    default_order = ("-starts_at", "-id")

    def base_queryset(self):
        return selectors.session_queryset(user=self.request.user)


def session_page_context(session, *, registration_form=None, trainer_form=None) -> dict:
    """The session page: the session (with its counts and trainers), its registrations and the forms
    to add a registration or a trainer (bound ones when a POST was refused)."""
    registrations = list(selectors.session_registrations(session=session))
    started = selectors.scheduled_start(session) <= timezone.now()
    open_status = session.status in (SessionStatus.PLANNED, SessionStatus.POSTPONED)
    return {
        "session": session,
        "training": session.training,
        "registrations": registrations,
        "scheduled_at": selectors.scheduled_start(session),
        "is_full": session.capacity is not None and session.registered_count >= session.capacity,
        "started": started,
        "can_hold": open_status and started,  # a session is noted held once it has begun
        "can_change_status": open_status,
        "accepts_registrations": session.status != SessionStatus.CANCELLED,
        "registration_form": registration_form or RegistrationForm(),
        "trainer_form": trainer_form or TrainerForm(),
        "messages_target": REGISTRATION_MESSAGES_TARGET,
    }


def render_session_page(request, session, **forms):
    return render(request, "formations/session_detail.html", session_page_context(session, **forms))


class SessionDetailView(ManagesTrainingsMixin, View):
    def get(self, request, pk):
        session = selectors.get_session_for_user(user=request.user, pk=pk)
        return render_session_page(request, session)


class SessionCreateView(ManagesTrainingsMixin, FormView):
    """Plan a session of a training; its trainers are added on the session's page."""

    form_class = SessionForm
    template_name = "formations/session_form.html"

    @cached_property
    def training(self):
        return selectors.get_training_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.training  # noqa: B018 (404 before the form for a missing training)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            session = services.session_create(
                actor=self.request.user, training=self.training, **form.service_kwargs()
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Session du %(date)s enregistrée. Ajoutez-y les formateur·rice·s et les inscriptions.")
            % {"date": local(session.starts_at)},
        )
        return redirect(session.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(training=self.training, session=None)
        return context


class SessionUpdateView(ManagesTrainingsMixin, FormView):
    form_class = SessionForm
    template_name = "formations/session_form.html"

    @cached_property
    def session(self):
        return selectors.get_session_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        return session_initial(self.session)

    def form_valid(self, form):
        try:
            session = services.session_update(
                actor=self.request.user, session=self.session, **form.service_kwargs()
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Session du %(date)s modifiée.") % {"date": local(session.starts_at)}
        )
        return redirect(session.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(training=self.session.training, session=self.session)
        return context


class SessionHoldView(ManagesTrainingsMixin, View):
    """POST: the session took place."""

    def post(self, request, pk):
        session = selectors.get_session_for_user(user=request.user, pk=pk)
        try:
            services.session_hold(actor=request.user, session=session)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("La session est notée tenue. Notez les présences ci-dessous."))
        return redirect(session.get_absolute_url())


class SessionStatusFormView(ManagesTrainingsMixin, FormView):
    """A status change that takes a value (the new date, the reason): its own small page."""

    template_name = "formations/session_status_form.html"
    service_field = ""  # the form field the service's error key maps onto

    @cached_property
    def session(self):
        return selectors.get_session_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.session  # noqa: B018 (404 before the form)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(session=self.session, training=self.session.training, action=self.action)
        return context

    def form_valid(self, form):
        try:
            self.apply(form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        return redirect(self.session.get_absolute_url())


class SessionPostponeView(SessionStatusFormView):
    form_class = PostponeForm
    action = "postpone"

    def apply(self, data):
        session = services.session_postpone(
            actor=self.request.user, session=self.session, new_date=data["new_date"]
        )
        messages.success(
            self.request, _("Session reportée au %(date)s.") % {"date": local(session.postponed_to)}
        )


class SessionCancelView(SessionStatusFormView):
    form_class = CancelForm
    action = "cancel"

    def apply(self, data):
        services.session_cancel(actor=self.request.user, session=self.session, reason=data["reason"])
        messages.success(self.request, _("Session annulée. Les inscriptions restent consultables."))


class TrainerAddView(ManagesTrainingsMixin, View):
    """POST: add a trainer to the session; a refused one shows the session page with the errors."""

    def post(self, request, pk):
        session = selectors.get_session_for_user(user=request.user, pk=pk)
        form = TrainerForm(request.POST)
        if form.is_valid():
            spec = form.spec()
            try:
                trainer = services.trainer_add(
                    actor=request.user,
                    session=session,
                    user=spec.user,
                    name=spec.name,
                    operator=spec.operator,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request, _("%(trainer)s ajouté·e aux formateur·rice·s.") % {"trainer": trainer}
                )
                return redirect(session.get_absolute_url())
        return render_session_page(request, session, trainer_form=form)


class TrainerRemoveView(ManagesTrainingsMixin, View):
    """POST: remove a trainer of the session (404 for a trainer of another session)."""

    def post(self, request, pk, trainer_pk):
        session = selectors.get_session_for_user(user=request.user, pk=pk)
        trainer = get_object_or_404(Trainer.objects.select_related("user"), session=session, pk=trainer_pk)
        name = str(trainer)
        services.trainer_remove(actor=request.user, trainer=trainer)
        messages.success(request, _("%(trainer)s retiré·e des formateur·rice·s.") % {"trainer": name})
        return redirect(session.get_absolute_url())
