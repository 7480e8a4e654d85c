"""Collective sessions (SIDD, ISP information, thematic): the list, planning a session, the session
with its attendance list, registering people and marking them present or absent.

Counsellors see and run the sessions of their offices; the director and administrators read every
session; administrators also write. Coordinators and commune agents get 403. A session out of
scope answers 404, like a missing one. Roles are checked before any lookup, so a 403 never reveals
that a session exists. Writes go through ``services.session_create`` and ``services.attendance_set``.
"""

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from django_htmx.http import reswap, retarget

from accompagnement.forms.people import PersonSearchForm
from accompagnement.models import Person
from accompagnement.selectors import SEARCH_LIMIT, person_search
from cai.filtering import style_filter_form
from cai.pagination import NearestPageMixin

from .. import selectors, services
from ..choices import SessionKind
from ..forms.sessions import (
    UPCOMING,
    AttendanceForm,
    SessionFilter,
    SessionForm,
    office_choices_for,
    session_initial,
)
from ..models import CollectiveSession, Path, SessionAttendance

PAGE_SIZE = 25
RESULTS_TARGET = "session-results"
SEARCH_TARGET = "register-results"
ATTENDANCE_MESSAGES_TARGET = "attendance-messages"


def reads_sessions(user) -> bool:
    """Counsellors (their offices), the director and administrators (every office)."""
    return user.is_active and (user.is_counsellor or user.reads_all_people)


def writes_sessions(user) -> bool:
    """Counsellors and administrators; the director reads but does not write."""
    return user.is_active and (user.is_counsellor or user.is_administrator)


def is_fragment_request(request) -> bool:
    """An HTMX request that swaps part of the page (not a history restore, which wants the page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


class ReadsSessionsMixin(UserPassesTestMixin):
    raise_exception = True

    def test_func(self):
        return reads_sessions(self.request.user)


class WritesSessionsMixin(UserPassesTestMixin):
    raise_exception = True

    def test_func(self):
        return writes_sessions(self.request.user)


def session_queryset(*, user):
    """The sessions the user may see, with their registered and present counts (one query)."""
    return selectors.session_list(user=user).annotate(
        registered_count=Count("attendances"),
        present_count=Count("attendances", filter=Q(attendances__attended=True)),
    )


def get_session_for_user(*, user, pk) -> CollectiveSession:
    """The session if the user may see it; 404 when out of scope or missing (same answer)."""
    try:
        return session_queryset(user=user).get(pk=pk)
    except (CollectiveSession.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def attendance_rows(*, user, session):
    """The attendances of the people the user may see, with whether each person has a path (for the
    SIDD note), in one query whatever their number."""
    return (
        SessionAttendance.objects.filter(session=session, person__in=Person.objects.visible_to(user))
        .select_related("person", "person__office")
        .annotate(has_path=Exists(Path.objects.filter(person_id=OuterRef("person_id"))))
        .order_by("person__last_name", "person__first_name", "pk")
    )


def person_session_rows(*, user, person):
    """For ``partials/person_sessions.html``: the sessions a person attended or is registered to
    (``selectors.person_sessions``), each with ``session_visible`` (whether the user may open the
    session page: a counsellor does not see the sessions of other offices). One query."""
    visible = CollectiveSession.objects.visible_to(user).filter(pk=OuterRef("session_id"))
    return selectors.person_sessions(person=person).annotate(session_visible=Exists(visible))


def is_filtered(request) -> bool:
    return any(value for key, value in request.GET.items() if key not in ("page", "tri"))


class SessionListView(NearestPageMixin, ReadsSessionsMixin, ListView):
    """Sessions the user may see, filtered, sorted (``?tri=``) and paginated (25). An HTMX request
    answers with the results fragment only."""

    template_name = "parcours/session_list.html"
    fragment_template_name = "parcours/partials/session_results.html"
    context_object_name = "sessions"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        user = self.request.user
        self.filterset = SessionFilter(
            self.request.GET or None, queryset=session_queryset(user=user), request=self.request
        )
        self.filterset.form.fields["office"].queryset = office_choices_for(user)
        style_filter_form(self.filterset.form)
        queryset = self.filterset.qs
        if queryset.query.order_by:  # a column chosen: then the newest first, for a stable order
            return queryset.order_by(*queryset.query.order_by, "-starts_at", "-id")
        if self.request.GET.get("when") == UPCOMING:
            return queryset.order_by("starts_at", "id")  # the next session first
        return queryset.order_by("-starts_at", "-id")

    def get_template_names(self):
        if is_fragment_request(self.request):
            return [self.fragment_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filter=self.filterset,
            is_filtered=is_filtered(self.request),
            can_write=writes_sessions(self.request.user),
            results_target=RESULTS_TARGET,
            now=timezone.now(),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


class SessionCreateView(WritesSessionsMixin, FormView):
    form_class = SessionForm
    template_name = "parcours/session_form.html"

    def get_initial(self):
        return session_initial(user=self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            session = services.session_create(actor=self.request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        local = timezone.localtime(session.starts_at)
        messages.success(
            self.request,
            _("Séance du %(date)s à %(time)s enregistrée. Inscrivez-y les participant·e·s.")
            % {"date": local.strftime("%d/%m/%Y"), "time": local.strftime("%H:%M")},
        )
        return redirect(session.get_absolute_url())


class SessionDetailView(ReadsSessionsMixin, TemplateView):
    """The session and its attendance list. A POST searches a person to register (by name, birth
    date or number: a POST, so that a number never lands in a URL) and lists the matches, each with
    an "Inscrire" button posting to ``session_attendance``."""

    template_name = "parcours/session_detail.html"
    search_template_name = "parcours/partials/session_search_results.html"

    @cached_property
    def session(self):
        return get_session_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rows = list(attendance_rows(user=user, session=self.session))
        context.update(
            session=self.session,
            attendances=rows,
            hidden_count=self.session.registered_count - len(rows),
            is_sidd=self.session.kind == SessionKind.SIDD,
            can_write=writes_sessions(user),
            search_form=kwargs.get("search_form") or PersonSearchForm(),
            search_target=SEARCH_TARGET,
            messages_target=ATTENDANCE_MESSAGES_TARGET,
        )
        return context

    def post(self, request, *args, **kwargs):
        if not writes_sessions(request.user):
            raise PermissionDenied
        session = self.session
        form = PersonSearchForm(request.POST)
        query = form.cleaned_data["q"].strip() if form.is_valid() else ""
        results = list(person_search(user=request.user, query=query)[:SEARCH_LIMIT]) if query else []
        registered = set(
            session.attendances.filter(person__in=[person.pk for person in results]).values_list(
                "person_id", flat=True
            )
        )
        search = {
            "session": session,
            "query": query,
            "results": results,
            "registered": registered,
            "limit": SEARCH_LIMIT,
        }
        if is_fragment_request(request):
            response = render(request, self.search_template_name, search)
        else:
            response = render(
                request, self.template_name, {**self.get_context_data(search_form=form), **search}
            )
        patch_vary_headers(response, ["HX-Request"])
        return response


class SessionAttendanceView(WritesSessionsMixin, View):
    """POST ``person`` and ``attended`` (1 present, 0 absent or only registered) through
    ``services.attendance_set``. HTMX answers with the updated row (or the error, shown above the
    list); a plain POST redirects to the session with a message."""

    row_template_name = "parcours/partials/session_attendance_row.html"
    errors_template_name = "parcours/partials/session_attendance_errors.html"

    def post(self, request, pk):
        user = request.user
        session = get_session_for_user(user=user, pk=pk)
        form = AttendanceForm(request.POST, user=user)
        attendance = None
        if form.is_valid():
            try:
                attendance = services.attendance_set(
                    actor=user,
                    session=session,
                    person=form.cleaned_data["person"],
                    attended=form.cleaned_data["attended"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
        if attendance is None:
            return self.refused(form, session)
        person = form.cleaned_data["person"]
        if is_fragment_request(request):
            row = attendance_rows(user=user, session=session).get(pk=attendance.pk)
            context = {
                "session": session,
                "attendance": row,
                "is_sidd": session.kind == SessionKind.SIDD,
                "can_write": True,
            }
            return render(request, self.row_template_name, context)
        if attendance.attended:
            message = _("%(person)s est noté·e présent·e.")
        elif request.POST.get("toggle"):  # the row's present/absent button, not "Inscrire"
            message = _("%(person)s est noté·e absent·e.")
        else:
            message = _("%(person)s est inscrit·e à la séance.")
        messages.success(request, message % {"person": person})
        return redirect(session.get_absolute_url())

    def refused(self, form, session):
        errors = [str(error) for errors in form.errors.values() for error in errors]
        if is_fragment_request(self.request):
            response = render(self.request, self.errors_template_name, {"errors": errors})
            return reswap(retarget(response, f"#{ATTENDANCE_MESSAGES_TARGET}"), "innerHTML")
        for error in errors:
            messages.error(self.request, error)
        return redirect(session.get_absolute_url())
