"""What the trainings pages share: the role gate, and the filtered, sorted, paginated list.

Coordinators, the director and administrators read and write the trainings; every other role gets
403, checked before any lookup so that the answer never reveals whether an object exists. Objects are
looked up through the selectors (404 when missing)."""

from django.contrib.auth.mixins import UserPassesTestMixin
from django.utils.cache import patch_vary_headers
from django.views.generic import ListView

from cai.filtering import FilteredListMixin
from cai.pagination import NearestPageMixin

from ..selectors import manages_trainings

PAGE_SIZE = 25


class ManagesTrainingsMixin(UserPassesTestMixin):
    raise_exception = True

    def test_func(self):
        return manages_trainings(self.request.user)


def is_fragment_request(request) -> bool:
    """An HTMX request that swaps part of the page (not a history restore, which wants the page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


class FilteredListView(FilteredListMixin, NearestPageMixin, ManagesTrainingsMixin, ListView):
    """A list through a shared FilterSet: filtered, sorted by the column headers (``?tri=``, the
    FilterSet's ``ordering``), paginated (a page out of range shows the nearest one). An HTMX request
    answers with the results fragment only."""

    fragment_template_name = None
    results_target = None
    paginate_by = PAGE_SIZE

    def get_template_names(self):
        if is_fragment_request(self.request):
            return [self.fragment_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["results_target"] = self.results_target
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response
