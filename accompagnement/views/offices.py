import datetime as dt

from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import Http404
from django.utils import timezone
from django.views.generic import DetailView, ListView

from ..models import Office
from ..permanences import permanences_between
from ..selectors import office_list


class StaffOnlyMixin(UserPassesTestMixin):
    """Offices are the staff's reference data; commune agents see none of it."""

    raise_exception = True

    def test_func(self):
        user = self.request.user
        return user.is_active and not user.is_commune_agent


class OfficeListView(StaffOnlyMixin, ListView):
    template_name = "accompagnement/office_list.html"
    context_object_name = "offices"

    def get_queryset(self):
        return office_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        upcoming = permanences_between(context["offices"], today, today + dt.timedelta(days=31))
        by_office = {}
        for permanence in upcoming:
            by_office.setdefault(permanence.office.pk, []).append(permanence)
        context["rows"] = [(office, by_office.get(office.pk, [])[:3]) for office in context["offices"]]
        return context


class OfficeDetailView(StaffOnlyMixin, DetailView):
    template_name = "accompagnement/office_detail.html"
    context_object_name = "office"

    def get_object(self, queryset=None):
        try:
            return office_list(user=self.request.user).get(slug=self.kwargs["slug"])
        except Office.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["permanences"] = permanences_between([self.object], today, today + dt.timedelta(days=92))
        return context
