from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import ListView

from .choices import Role
from .models import SecurityEvent
from .pagination import NearestPageMixin


def home(request):
    """Each role lands on its own start page."""
    user = request.user
    if user.is_counsellor:
        return redirect("accompagnement:my_day")
    if user.reads_all_people:
        return redirect("accompagnement:person_list")
    if user.is_coordinator:
        return redirect("accompagnement:office_list")
    if user.is_commune_agent:
        return redirect("parcours:portal_home")
    return redirect("profile")


def profile(request):
    from django.shortcuts import render

    return render(request, "cai/profile.html", {})


@login_not_required
def healthz(request):
    """Liveness probe for the container orchestrator: answers without touching personal data."""
    return HttpResponse("ok", content_type="text/plain")


class AuditReaderMixin(UserPassesTestMixin):
    """The director and administrators read the audit trail; nobody edits it from the application."""

    raise_exception = True

    def test_func(self):
        user = self.request.user
        return user.is_active and (user.is_director or user.is_administrator)


class AuditLogView(AuditReaderMixin, NearestPageMixin, ListView):
    template_name = "cai/audit_log.html"
    paginate_by = 50
    context_object_name = "entries"

    def get_queryset(self):
        qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
        actor = self.request.GET.get("acteur", "").strip()
        if actor.isdigit():
            qs = qs.filter(actor_id=int(actor))
        person = self.request.GET.get("personne", "").strip()
        if person.isdigit():
            qs = qs.filter(
                content_type__app_label="accompagnement", content_type__model="person", object_id=int(person)
            )
        action = self.request.GET.get("action", "").strip()
        if action.isdigit():
            qs = qs.filter(action=int(action))
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["actions"] = LogEntry.Action.choices
        context["actors"] = (
            get_user_model()
            .objects.exclude(role=Role.COMMUNE_AGENT)
            .order_by("last_name", "first_name", "username")
        )
        context["security_events"] = SecurityEvent.objects.select_related("user")[:20]
        return context
