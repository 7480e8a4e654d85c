"""Duos: mentoring (Net2Work, MIN: two meetings a month, six months at most) and conversation
tables. The list, a new duo, a duo with its meetings, and recording a meeting.

A duo is visible when its mentee is (``Person.objects.visible_to``): counsellors see the duos of
their offices' people, the director and administrators all of them; the director does not write.
Coordinators and commune agents get 403; a duo out of scope answers 404, like a missing one.
Writes go through ``services.duo_create`` and ``services.duo_meeting_add``.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accompagnement.models import Person
from accompagnement.selectors import get_person_for_user
from cai.pagination import NearestPageMixin

from .. import services
from ..choices import DuoKind
from ..forms.duos import DuoFilter, DuoForm, DuoMeetingForm
from ..models import Duo
from .sessions import (
    ReadsSessionsMixin,
    WritesSessionsMixin,
    is_filtered,
    is_fragment_request,
    style_filter_form,
    writes_sessions,
)

PAGE_SIZE = 25
RESULTS_TARGET = "duo-results"
MEETINGS_TARGET = "duo-meetings"
MENTORING_KINDS = {DuoKind.NET2WORK, DuoKind.MIN}
MENTORING_MAX_MONTHS = 6
MEETINGS_PER_MONTH = 2

# Duos are read and written by the same roles as the sessions.
ReadsDuosMixin = ReadsSessionsMixin
WritesDuosMixin = WritesSessionsMixin
writes_duos = writes_sessions


def duo_queryset(*, user):
    """The duos of the people the user may see, with the meeting count and the last meeting (one query)."""
    return (
        Duo.objects.filter(mentee__in=Person.objects.visible_to(user))
        .select_related("mentee", "mentee__office")
        .annotate(meeting_count=Count("meetings"), last_meeting_on=Max("meetings__met_on"))
    )


def get_duo_for_user(*, user, pk) -> Duo:
    """The duo if the user may see its mentee; 404 when out of scope or missing (same answer)."""
    try:
        return duo_queryset(user=user).get(pk=pk)
    except (Duo.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def is_mentoring(duo) -> bool:
    return duo.kind in MENTORING_KINDS


def exceeds_mentoring_limit(duo, *, today: dt.date) -> bool:
    """A mentoring duo lasts six months at most: planned to end later, or still open after that."""
    if not is_mentoring(duo):
        return False
    return (duo.ends_on or today) > duo.starts_on + relativedelta(months=MENTORING_MAX_MONTHS)


def with_limits(duos, *, today: dt.date | None = None) -> list:
    """The duos as a list, each marked ``is_mentoring`` and ``exceeds_limit`` for the templates (no query)."""
    today = today or timezone.localdate()
    duos = list(duos)
    for duo in duos:
        duo.is_mentoring = is_mentoring(duo)
        duo.exceeds_limit = exceeds_mentoring_limit(duo, today=today)
        duo.is_running = duo.ends_on is None or duo.ends_on >= today
    return duos


def person_duo_rows(*, user, person) -> list:
    """For ``partials/person_duos.html``: the duos of a person the user may see, newest first, marked
    as by ``with_limits``. One query."""
    return with_limits(duo_queryset(user=user).filter(mentee=person).order_by("-starts_on", "-id"))


def meetings_guidance(duo, *, today: dt.date) -> dict:
    """How the meetings compare with the mentoring guideline (two a month): months begun since the
    start (up to the end or today), and the meetings that this suggests."""
    until = min(filter(None, [duo.ends_on, today]))
    if until < duo.starts_on:
        return {"months": 0, "expected": 0}
    delta = relativedelta(until, duo.starts_on)
    months = delta.years * 12 + delta.months + 1
    if is_mentoring(duo):
        months = min(months, MENTORING_MAX_MONTHS)
    return {"months": months, "expected": months * MEETINGS_PER_MONTH}


class DuoListView(NearestPageMixin, ReadsDuosMixin, ListView):
    """Duos the user may see, filtered by kind and running/ended, sorted (``?tri=``), 25 a page."""

    template_name = "parcours/duo_list.html"
    fragment_template_name = "parcours/partials/duo_results.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.filterset = DuoFilter(
            self.request.GET or None, queryset=duo_queryset(user=self.request.user), request=self.request
        )
        style_filter_form(self.filterset.form)
        queryset = self.filterset.qs
        return queryset.order_by(*queryset.query.order_by, "-starts_on", "-id")

    def get_template_names(self):
        if is_fragment_request(self.request):
            return [self.fragment_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            duos=with_limits(context["object_list"]),
            filter=self.filterset,
            is_filtered=is_filtered(self.request),
            can_write=writes_duos(self.request.user),
            results_target=RESULTS_TARGET,
            max_months=MENTORING_MAX_MONTHS,
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


class DuoCreateView(WritesDuosMixin, FormView):
    """``?personne=<pk>`` fixes the mentee (404 when out of scope); without it, a select offers the
    people the user follows."""

    form_class = DuoForm
    template_name = "parcours/duo_form.html"

    @cached_property
    def mentee(self):
        pk = self.request.GET.get("personne", "").strip()
        if not pk:
            return None
        return get_person_for_user(user=self.request.user, pk=pk)

    def get_initial(self):
        return {"starts_on": timezone.localdate(), "kind": DuoKind.NET2WORK}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, mentee=self.mentee)
        return kwargs

    def form_valid(self, form):
        try:
            duo = services.duo_create(actor=self.request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Duo de %(person)s enregistré.") % {"person": duo.mentee})
        return redirect("parcours:duo_detail", pk=duo.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(mentee=self.mentee, max_months=MENTORING_MAX_MONTHS)
        return context


def duo_page_context(*, user, duo, form=None) -> dict:
    """What the duo page and its meetings fragment show."""
    today = timezone.localdate()
    (duo,) = with_limits([duo], today=today)
    return {
        "duo": duo,
        "meetings": duo.meetings.order_by("-met_on", "-id"),
        "form": form or DuoMeetingForm(initial={"met_on": min(filter(None, [duo.ends_on, today]))}),
        "guidance": meetings_guidance(duo, today=today),
        "can_write": writes_duos(user),
        "meetings_target": MEETINGS_TARGET,
        "max_months": MENTORING_MAX_MONTHS,
    }


class DuoDetailView(ReadsDuosMixin, TemplateView):
    template_name = "parcours/duo_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        duo = get_duo_for_user(user=self.request.user, pk=kwargs["pk"])
        context.update(duo_page_context(user=self.request.user, duo=duo))
        return context


class DuoMeetingAddView(WritesDuosMixin, View):
    """POST a meeting (date within the duo, not in the future; notes) through ``services.duo_meeting_add``.
    HTMX answers with the meetings section; a plain POST redirects to the duo (or shows its page with
    the errors)."""

    fragment_template_name = "parcours/partials/duo_meetings.html"

    def post(self, request, pk):
        user = request.user
        duo = get_duo_for_user(user=user, pk=pk)
        form = DuoMeetingForm(request.POST)
        meeting = None
        if form.is_valid():
            try:
                meeting = services.duo_meeting_add(
                    actor=user, duo=duo, met_on=form.cleaned_data["met_on"], notes=form.cleaned_data["notes"]
                )
            except ValidationError as error:
                form.add_service_errors(error)
        if meeting is not None:
            note = _("Rencontre du %(date)s enregistrée.") % {"date": meeting.met_on.strftime("%d/%m/%Y")}
            if not is_fragment_request(request):
                messages.success(request, note)
                return redirect("parcours:duo_detail", pk=duo.pk)
            duo = get_duo_for_user(user=user, pk=pk)  # the new count and last meeting
            context = {**duo_page_context(user=user, duo=duo), "saved_note": note}
            return render(request, self.fragment_template_name, context)
        context = duo_page_context(user=user, duo=duo, form=form)
        template = self.fragment_template_name if is_fragment_request(request) else "parcours/duo_detail.html"
        return render(request, template, context)
