"""Platforms, working groups and local coordinations: the list (by kind, with status and next
meeting), the group page (members, meetings), create and edit, members added and removed (HTMX);
meetings with their attendees and follow-up actions (one form, saved whole or not at all), ticking
follow-up actions off (HTMX), and the calendar of the coming meetings of every group."""

import datetime as dt
import itertools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from .. import selectors, services
from ..calendar import calendar_events
from ..filters import GroupFilter
from ..forms import AttendeeFormSetFactory, FollowUpFormSet, GroupForm, GroupMemberForm, MeetingForm
from ..models import Meeting
from .base import NetworkListView, NetworkStaffMixin, ServiceFormView, is_fragment_request

MEMBERS_TARGET = "group-members"


class GroupListView(NetworkListView):
    selector = staticmethod(selectors.group_list)
    filterset_class = GroupFilter
    results_template_name = "plateformes/partials/group_results.html"
    title = gettext_lazy("Plateformes et groupes")
    intro = gettext_lazy(
        "Les plateformes thématiques provinciales, les groupes de travail (GT) et les coordinations locales."
    )
    create_url_name = "plateformes:group_create"
    create_label = gettext_lazy("Nouveau groupe")
    empty_message = gettext_lazy("Aucune plateforme ni aucun groupe n'est encore enregistré.")
    empty_hint = gettext_lazy(
        "Créez la première plateforme, le premier groupe de travail ou coordination locale."
    )
    section = "groups"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["grouped_by_kind"] = not self.request.GET.get("tri")
        context["now"] = timezone.now()
        return context


def member_context(*, user, group, form=None) -> dict:
    return {
        "group": group,
        "member_form": form or GroupMemberForm(prefix="member"),
        "members_target": MEMBERS_TARGET,
        "can_write": True,
    }


class GroupDetailView(NetworkStaffMixin, TemplateView):
    template_name = "plateformes/group_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        group = selectors.get_group(user=self.request.user, pk=self.kwargs["pk"])
        context.update(member_context(user=self.request.user, group=group, form=kwargs.get("member_form")))
        context.update(section="groups", now=timezone.now())
        return context


class GroupFormView(ServiceFormView):
    form_class = GroupForm
    back_url_name = "plateformes:group_list"
    back_label = gettext_lazy("Plateformes et groupes")
    section = "groups"


class GroupCreateView(GroupFormView):
    title = gettext_lazy("Nouvelle plateforme ou nouveau groupe")
    success_message = gettext_lazy("« %(object)s » créé. Ajoutez-y ses membres.")

    def get_initial(self):
        kind = self.request.GET.get("type", "")
        return {"kind": kind} if kind else {}

    def perform(self, form):
        return services.group_create(actor=self.request.user, **form.service_kwargs())


class GroupUpdateView(GroupFormView):
    success_message = gettext_lazy("« %(object)s » modifié.")

    @cached_property
    def object(self):
        return selectors.get_group(user=self.request.user, pk=self.kwargs["pk"])

    def get_title(self):
        return _("Modifier « %(name)s »") % {"name": self.object.name}

    def perform(self, form):
        return services.group_update(actor=self.request.user, group=self.object, **form.service_kwargs())


class GroupMemberAddView(NetworkStaffMixin, View):
    """POST a member (operator, person, or both). HTMX answers with the members block (the new list, or
    the form with its errors); a plain POST redirects to the group, or shows its page with the errors."""

    def post(self, request, pk):
        group = selectors.get_group(user=request.user, pk=pk)
        form = GroupMemberForm(request.POST, prefix="member")
        member = None
        if form.is_valid():
            try:
                member = services.group_member_add(actor=request.user, group=group, **form.service_kwargs())
            except ValidationError as error:
                form.add_service_errors(error)
        if member is not None:
            group = selectors.get_group(user=request.user, pk=pk)
            form = None
            if not is_fragment_request(request):
                messages.success(request, _("« %(member)s » ajouté·e au groupe.") % {"member": member})
                return redirect(group.get_absolute_url() + "#membres")
        context = member_context(user=request.user, group=group, form=form)
        if is_fragment_request(request):
            response = render(request, "plateformes/partials/group_members.html", context)
        else:
            view = GroupDetailView(request=request, kwargs={"pk": pk})
            response = render(request, GroupDetailView.template_name, view.get_context_data(member_form=form))
        patch_vary_headers(response, ["HX-Request"])
        return response


class GroupMemberRemoveView(NetworkStaffMixin, View):
    def post(self, request, pk, member_pk):
        group = selectors.get_group(user=request.user, pk=pk)
        member = selectors.get_member(user=request.user, group=group, pk=member_pk)
        services.group_member_remove(actor=request.user, member=member)
        if is_fragment_request(request):
            group = selectors.get_group(user=request.user, pk=pk)
            response = render(
                request,
                "plateformes/partials/group_members.html",
                member_context(user=request.user, group=group),
            )
            patch_vary_headers(response, ["HX-Request"])
            return response
        messages.success(request, _("« %(member)s » retiré·e du groupe.") % {"member": member})
        return redirect(group.get_absolute_url() + "#membres")


# Meetings


class MeetingFormView(ServiceFormView):
    """A meeting with its attendees and follow-up actions: three parts of one form, one service call."""

    form_class = MeetingForm
    template_name = "plateformes/meeting_form.html"
    back_url_name = "plateformes:group_list"
    back_label = gettext_lazy("Plateformes et groupes")
    section = "groups"

    @cached_property
    def group(self):
        return self.object.group

    @cached_property
    def attendee_formset(self):
        data = self.request.POST if self.request.method == "POST" else None
        return AttendeeFormSetFactory(
            data, instance=self.object or Meeting(group=self.group), prefix="attendees", group=self.group
        )

    @cached_property
    def follow_up_formset(self):
        data = self.request.POST if self.request.method == "POST" else None
        return FollowUpFormSet(data, instance=self.object or Meeting(group=self.group), prefix="follow_ups")

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        valid = [form.is_valid(), self.attendee_formset.is_valid(), self.follow_up_formset.is_valid()]
        if all(valid):
            return self.form_valid(form)
        return self.form_invalid(form)

    def add_errors(self, form, error):
        form.add_service_errors(
            error, children={"attendees": self.attendee_formset, "follow_ups": self.follow_up_formset}
        )

    def children(self) -> dict:
        return {"attendees": self.attendee_formset.items(), "follow_ups": self.follow_up_formset.items()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            group=self.group,
            attendee_formset=self.attendee_formset,
            follow_up_formset=self.follow_up_formset,
        )
        return context


class MeetingCreateView(MeetingFormView):
    success_message = gettext_lazy("Réunion « %(object)s » enregistrée.")

    @cached_property
    def group(self):
        return selectors.get_group(user=self.request.user, pk=self.kwargs["pk"])

    def get_title(self):
        return _("Nouvelle réunion — %(group)s") % {"group": self.group.name}

    def perform(self, form):
        return services.meeting_create(
            actor=self.request.user, group=self.group, **self.children(), **form.service_kwargs()
        )


class MeetingUpdateView(MeetingFormView):
    success_message = gettext_lazy("Réunion « %(object)s » modifiée.")

    @cached_property
    def object(self):
        return selectors.get_meeting(user=self.request.user, pk=self.kwargs["pk"])

    def get_title(self):
        local = timezone.localtime(self.object.starts_at)
        return _("Modifier la réunion du %(date)s — %(group)s") % {
            "date": local.strftime("%d/%m/%Y"),
            "group": self.group.name,
        }

    def perform(self, form):
        return services.meeting_update(
            actor=self.request.user, meeting=self.object, **self.children(), **form.service_kwargs()
        )


class MeetingDetailView(NetworkStaffMixin, TemplateView):
    template_name = "plateformes/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = selectors.get_meeting(user=self.request.user, pk=self.kwargs["pk"])
        context.update(meeting=meeting, group=meeting.group, section="groups", can_write=True)
        return context


class FollowUpToggleView(NetworkStaffMixin, View):
    """POST ``done`` (1 or 0). HTMX answers with the updated row; a plain POST redirects to the meeting."""

    def post(self, request, pk):
        action = selectors.get_follow_up(user=request.user, pk=pk)
        done = request.POST.get("done") == "1"
        services.follow_up_set_done(actor=request.user, action=action, done=done)
        if is_fragment_request(request):
            response = render(
                request, "plateformes/partials/follow_up_row.html", {"action": action, "can_write": True}
            )
            patch_vary_headers(response, ["HX-Request"])
            return response
        if done:
            messages.success(request, _("Action « %(action)s » faite.") % {"action": action})
        else:
            messages.success(request, _("Action « %(action)s » à faire.") % {"action": action})
        return redirect(action.meeting.get_absolute_url() + "#suivi")


class MeetingCalendarView(NetworkStaffMixin, TemplateView):
    """The meetings of every group in the next 90 days, with the events other apps register (the
    training sessions, at their new date once postponed), in date order and grouped by month: one
    query for the meetings, a fixed number per source."""

    template_name = "plateformes/meeting_calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        now = timezone.now()
        meetings = list(selectors.upcoming_meetings(user=user, now=now))
        events = calendar_events(user=user, start=now, end=now + dt.timedelta(days=selectors.CALENDAR_DAYS))
        entries = sorted([*meetings, *events], key=lambda entry: entry.starts_at)

        def month(entry):
            return timezone.localtime(entry.starts_at).date().replace(day=1)

        context.update(
            months=[(first_day, list(rows)) for first_day, rows in itertools.groupby(entries, key=month)],
            meeting_count=len(meetings),
            event_count=len(events),
            days=selectors.CALENDAR_DAYS,
            section="calendar",
        )
        return context
