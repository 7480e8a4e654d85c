"""The integration path of a person (its page and its write actions), and the "Échéances" page.

Roles are checked first, so that a 403 reveals nothing: counsellors, the director and administrators
read a path; counsellors and administrators write it (the director gets 403 on writes); coordinators
and commune agents get 403. Then the scope: a person outside the user's offices, or missing, answers
404 (``get_person_for_user``, ``get_path_for_user``). Writes go through ``parcours.services``; their
errors land on the form fields and nothing is saved.

Each write action has its own page; the path page loads the same view as a fragment (HTMX) into its
action panel, and a successful write sends the browser back to the path page.
"""

import datetime as dt

from auditlog.signals import accessed
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_htmx.http import HttpResponseClientRedirect

from accompagnement.models import Appointment
from accompagnement.selectors import get_person_for_user

from .. import selectors, services
from ..choices import ComponentKind, ComponentState
from ..forms.path import (
    AttestationForm,
    ConventionForm,
    DeadlineFilterForm,
    EvaluationHoldForm,
    EvaluationScheduleForm,
    HoursRecordForm,
    LanguageTestForm,
    PathComponentForm,
    PathFactsForm,
    PathOverrideForm,
)
from ..models import EvaluationInterview, LanguageTest, Path
from .duos import person_duo_rows, writes_duos

ACTION_TARGET = "path-action"
RESULTS_TARGET = "deadline-results"
DEADLINES_PAGE_SIZE = 50
# Hours a component needs when the path has no regime yet (the 2018 figures, the model's defaults).
DEFAULT_REQUIRED_HOURS = {ComponentKind.FRENCH: 400, ComponentKind.CITIZENSHIP: 60}
UNKNOWN_COMPONENT = _("Cette composante n'existe pas dans le parcours.")
DERIVED_COMPONENT = _("Cette composante se met à jour à partir des présences, heures, tests et dates.")


def reads_paths(user) -> bool:
    return user.is_active and (user.is_counsellor or user.reads_all_people)


def writes_paths(user) -> bool:
    """Counsellors (the people of their offices) and administrators; the director reads only."""
    return user.is_active and (user.is_counsellor or user.is_administrator)


def is_fragment_request(request) -> bool:
    """An HTMX request that swaps a part of the page (not a history restore, which wants the page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def path_url(person_pk) -> str:
    return reverse("parcours:path_detail", args=[person_pk])


class PersonPathMixin:
    """Role first (403), then the person in the user's scope (404), then ``load_objects``, then the method."""

    role_test = staticmethod(reads_paths)

    def dispatch(self, request, *args, **kwargs):
        if not self.role_test(request.user):
            raise PermissionDenied
        self.person = get_person_for_user(user=request.user, pk=kwargs["pk"])
        self.load_objects()
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self) -> None:
        """Hook: load what the view needs beyond the person (404 when out of reach)."""

    def load_path(self) -> Path:
        return selectors.get_path_for_user(user=self.request.user, person_pk=self.person.pk)

    def back_to_path(self):
        """After a write: the path page (through HTMX, a client-side redirect)."""
        url = path_url(self.person.pk)
        if is_fragment_request(self.request):
            return HttpResponseClientRedirect(url)
        return redirect(url)


# ---------------------------------------------------------------------------------------------------
# The path page


class PathDetailView(PersonPathMixin, TemplateView):
    """The path: status, deadlines, components as a timeline, hours, tests, sessions, interviews.

    An editor sees the "open the path" form when the person has none; anyone else gets 404.
    Every view of a path is written to the audit log (ACCESS), like the person file."""

    template_name = "parcours/path_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        can_write = writes_paths(user)
        context.update(person=self.person, can_write=can_write, action_target=ACTION_TARGET)
        try:
            path = self.load_path()
        except Http404:
            if not can_write:
                raise
            context.update(path=None, open_form=PathFactsForm())
            return context
        accessed.send(sender=Path, instance=path)
        has_appointment = Appointment.objects.visible_to(user).filter(person=self.person).exists()
        context.update(
            path=path,
            deadlines=path_deadlines(path, has_appointment=has_appointment),
            components=component_rows(path, can_write=can_write),
            missing=services.path_missing_components(path),
            hours_records=selectors.hours_records(path=path),
            language_tests=LanguageTest.objects.filter(person=self.person).order_by("-taken_on", "-id"),
            sessions=selectors.person_sessions(person=self.person),
            evaluations=path.evaluations.select_related("office").order_by("-scheduled_at"),
            person_duos=person_duo_rows(user=user, person=self.person),
            can_write_duos=writes_duos(user),
        )
        return context


def path_deadlines(path: Path, *, has_appointment: bool) -> list[dict]:
    """The three deadlines of the path, each with whether it is met, overdue, or how far it is."""
    today = timezone.localdate()
    rows = []
    for label, due, met_text in (
        (
            _("Se présenter au bureau d'accueil avant le"),
            path.presentation_due,
            _("présenté·e au bureau") if has_appointment else "",
        ),
        (
            _("Prochain entretien d'évaluation avant le"),
            path.next_evaluation_due,
            "",
        ),
        (
            _("Attestation à obtenir avant le"),
            path.attestation_due,
            _("délivrée le %(date)s") % {"date": path.attestation_delivered_on.strftime("%d/%m/%Y")}
            if path.attestation_delivered_on
            else "",
        ),
    ):
        days = (due - today).days if due else None
        rows.append(
            {
                "label": label,
                "due": due,
                "met": met_text,
                "overdue": due is not None and not met_text and days < 0,
                "days": abs(days) if days is not None else None,
            }
        )
    return rows


STATE_BADGES = {
    ComponentState.TODO: "text-bg-light border",
    ComponentState.IN_PROGRESS: "text-bg-warning",
    ComponentState.DONE: "text-bg-success",
    ComponentState.NOT_REQUIRED: "text-bg-secondary",
}


def component_rows(path: Path, *, can_write: bool) -> list[dict]:
    """The components in order, with their badge, hours (French, citizenship) and the editor's action.
    No query: the components and the hours totals come with the path."""
    regime = path.regime
    required = {
        ComponentKind.FRENCH: regime.french_hours_required
        if regime
        else DEFAULT_REQUIRED_HOURS[ComponentKind.FRENCH],
        ComponentKind.CITIZENSHIP: (
            regime.citizenship_hours_required if regime else DEFAULT_REQUIRED_HOURS[ComponentKind.CITIZENSHIP]
        ),
    }
    accrued = {
        ComponentKind.FRENCH: path.french_hours or 0,
        ComponentKind.CITIZENSHIP: path.citizenship_hours or 0,
    }
    rows = []
    for component in path.components.all():
        row = {"component": component, "badge": STATE_BADGES.get(component.state, "text-bg-light")}
        if component.kind in required and component.state != ComponentState.NOT_REQUIRED:
            row["hours"] = {
                "accrued": accrued[component.kind],
                "required": required[component.kind],
                "bar": min(accrued[component.kind], required[component.kind]),
            }
        if can_write:
            row["action"] = component_action(path, component)
        rows.append(row)
    return rows


def component_action(path: Path, component) -> tuple | None:
    """(label, URL) of what the editor does next for a component, or None."""
    pk = path.person_id
    kind = component.kind
    if kind in services.MANUAL_COMPONENTS:
        return _("Modifier"), reverse("parcours:path_component", args=[pk, kind])
    if kind == ComponentKind.FRENCH_TEST:
        return _("Encoder un test"), reverse("parcours:path_test_add", args=[pk])
    if kind == ComponentKind.CONVENTION:
        label = _("Corriger la date") if path.convention_signed_on else _("Enregistrer la signature")
        return label, reverse("parcours:path_convention", args=[pk])
    if kind in (ComponentKind.FRENCH, ComponentKind.CITIZENSHIP):
        if component.state == ComponentState.NOT_REQUIRED:
            return None
        return _("Ajouter des heures"), reverse("parcours:path_hours_add", args=[pk]) + f"?formation={kind}"
    if kind == ComponentKind.EVALUATIONS and path.convention_signed_on and not path.attestation_delivered_on:
        return _("Planifier un entretien"), reverse("parcours:path_evaluation_add", args=[pk])
    return None


# ---------------------------------------------------------------------------------------------------
# Write actions


class PathActionView(PersonPathMixin, FormView):
    """A write on the path: the form on its own page, or as a fragment of the path page (HTMX).
    Subclasses give the form, the title and ``perform`` (the service call)."""

    role_test = staticmethod(writes_paths)
    template_name = "parcours/path_form.html"
    fragment_template_name = "parcours/partials/path_form.html"
    title = ""
    submit_label = _("Enregistrer")
    success_message = _("Le parcours a été mis à jour.")
    path = None

    def load_objects(self):
        self.path = self.load_path()

    def perform(self, data: dict) -> None:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.perform(form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return self.back_to_path()

    def get_template_names(self):
        if is_fragment_request(self.request):
            return [self.fragment_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            person=self.person,
            path=self.path,
            title=self.title,
            submit_label=self.submit_label,
            action_url=self.request.path,
            cancel_url=path_url(self.person.pk),
            action_target=ACTION_TARGET,
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


class PathOpenView(PathActionView):
    """Open the path (POST only; the form sits on the path page and on the person file)."""

    http_method_names = ["post"]
    form_class = PathFactsForm
    title = _("Ouvrir le parcours")
    submit_label = _("Ouvrir le parcours")
    success_message = _("Le parcours a été ouvert.")

    def load_objects(self):
        """No path yet: the service refuses a second one."""

    def perform(self, data):
        services.path_open(actor=self.request.user, person=self.person, **data)


class PathFactsView(PathActionView):
    form_class = PathFactsForm
    title = _("Situation de la personne")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "current_dispensation": self.path.dispensation}

    def get_initial(self):
        return PathFactsForm.initial_for(self.path)

    def perform(self, data):
        services.path_update_facts(actor=self.request.user, path=self.path, **data)


class PathOverrideView(PathActionView):
    form_class = PathOverrideForm
    title = _("Fixer le statut manuellement")
    success_message = _("Le statut a été fixé manuellement.")

    def get_initial(self):
        return {
            "status": self.path.status_override or self.path.computed_status,
            "reason": self.path.override_reason,
        }

    def perform(self, data):
        services.path_override_status(
            actor=self.request.user, path=self.path, status=data["status"], reason=data["reason"]
        )


class PathOverrideClearView(PersonPathMixin, View):
    """Back to the computed status (POST only)."""

    role_test = staticmethod(writes_paths)
    http_method_names = ["post"]

    def load_objects(self):
        self.path = self.load_path()

    def post(self, request, *args, **kwargs):
        services.path_clear_override(actor=request.user, path=self.path)
        messages.success(request, _("Le statut calculé s'applique de nouveau."))
        return self.back_to_path()


class PathComponentView(PathActionView):
    """The state of a component the counsellor keeps. Derived or unknown kinds are refused with a
    message (a derived component follows from attendance, hours, tests and dates)."""

    form_class = PathComponentForm

    def load_objects(self):
        super().load_objects()
        self.kind = self.kwargs["kind"]
        self.component = next((c for c in self.path.components.all() if c.kind == self.kind), None)

    @property
    def title(self):
        if self.component is None:
            return _("Composante inconnue")
        return _("Composante : %(label)s") % {"label": self.component.get_kind_display()}

    def get_initial(self):
        return PathComponentForm.initial_for(self.component) if self.component else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.method == "GET":
            if self.component is None:
                context["notice"] = UNKNOWN_COMPONENT
            elif self.kind in services.DERIVED_COMPONENTS:
                context["notice"] = DERIVED_COMPONENT
        return context

    def form_valid(self, form):
        if self.component is None:
            form.add_error(None, UNKNOWN_COMPONENT)
            return self.form_invalid(form)
        return super().form_valid(form)

    def perform(self, data):
        services.component_set_state(
            actor=self.request.user,
            path=self.path,
            kind=self.kind,
            state=data["state"],
            reason=data["reason"],
            done_on=data["done_on"],
            notes=data["notes"],
        )


class PathHoursAddView(PathActionView):
    form_class = HoursRecordForm
    title = _("Ajouter des heures de formation")
    success_message = _("Les heures ont été enregistrées.")

    def get_initial(self):
        kind = self.request.GET.get("formation")
        return {"component": kind} if kind in (ComponentKind.FRENCH, ComponentKind.CITIZENSHIP) else {}

    def perform(self, data):
        services.hours_record_add(actor=self.request.user, path=self.path, **data)


class PathTestAddView(PathActionView):
    form_class = LanguageTestForm
    title = _("Encoder un test de positionnement en français")
    success_message = _("Le test a été enregistré.")

    def perform(self, data):
        # The test is taken at the office that follows the person.
        services.language_test_record(
            actor=self.request.user, person=self.person, office=self.person.office, **data
        )


class PathConventionView(PathActionView):
    form_class = ConventionForm
    title = _("Signature de la convention")
    success_message = _("La signature de la convention a été enregistrée.")

    def get_initial(self):
        return {"signed_on": self.path.convention_signed_on or timezone.localdate()}

    def perform(self, data):
        services.convention_sign(actor=self.request.user, path=self.path, signed_on=data["signed_on"])


class PathEvaluationAddView(PathActionView):
    form_class = EvaluationScheduleForm
    title = _("Planifier un entretien d'évaluation")
    success_message = _("L'entretien d'évaluation a été planifié.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"office": self.person.office_id}

    def perform(self, data):
        services.evaluation_schedule(actor=self.request.user, path=self.path, **data)


class PathEvaluationHoldView(PathActionView):
    form_class = EvaluationHoldForm
    success_message = _("L'entretien a été marqué comme tenu.")

    def load_objects(self):
        super().load_objects()
        self.evaluation = get_object_or_404(
            EvaluationInterview.objects.select_related("office"),
            path=self.path,
            pk=self.kwargs["evaluation_pk"],
        )

    @property
    def title(self):
        local = timezone.localtime(self.evaluation.scheduled_at)
        return _("Entretien prévu le %(date)s") % {"date": local.strftime("%d/%m/%Y %H:%M")}

    def get_initial(self):
        return {"held_on": self.evaluation.held_on or timezone.localdate(), "notes": self.evaluation.notes}

    def perform(self, data):
        services.evaluation_hold(
            actor=self.request.user, interview=self.evaluation, held_on=data["held_on"], notes=data["notes"]
        )


class PathAttestationView(PathActionView):
    """Deliver the attestation; refused, with the list of what is missing, while the path is incomplete."""

    form_class = AttestationForm
    title = _("Délivrer l'attestation de fréquentation")
    success_message = _("L'attestation de fréquentation a été enregistrée.")

    def get_initial(self):
        return {"delivered_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["missing"] = services.path_missing_components(self.path)
        return context

    def perform(self, data):
        services.attestation_deliver(
            actor=self.request.user, path=self.path, delivered_on=data["delivered_on"]
        )


# ---------------------------------------------------------------------------------------------------
# Échéances


class DeadlinesView(TemplateView):
    """The deadlines of the obliged people the user follows: presentation, evaluation, attestation.

    Filtering, sorting and paging happen in SQL (``deadline_rows``): a count, a page of rows and the
    page's paths, whatever the number of paths behind the page."""

    template_name = "parcours/deadlines.html"
    fragment_template_name = "parcours/partials/path_deadline_results.html"

    def dispatch(self, request, *args, **kwargs):
        if not reads_paths(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        htmx = getattr(self.request, "htmx", None)
        if is_fragment_request(self.request) and htmx.target == RESULTS_TARGET:
            return [self.fragment_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = DeadlineFilterForm(self.request.GET or None, user=user)
        filters = form.filters()
        today = timezone.localdate()
        horizon = today + dt.timedelta(days=filters["horizon"])
        rows = selectors.deadline_rows(
            user=user,
            horizon=horizon,
            office=filters["office"],
            kind=filters["kind"],
            overdue_only=filters["overdue"],
            sort=self.request.GET.get("tri", ""),
        )
        page = Paginator(rows, DEADLINES_PAGE_SIZE).get_page(self.request.GET.get("page"))
        items = selectors.deadline_page_items(page.object_list)
        context.update(
            form=form,
            horizon_days=filters["horizon"],
            page_obj=page,
            rows=[{"item": item, "days": abs(item.days_left)} for item in items],
            is_filtered=bool(filters["office"] or filters["kind"] or filters["overdue"]),
            results_target=RESULTS_TARGET,
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response
