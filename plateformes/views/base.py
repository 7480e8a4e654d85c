"""What every page of the network shares: the role gates, the list page (filter, sort, paginate, HTMX
fragment) and the form page that hands its data to a service.

Roles are checked before any lookup, so that a 403 never reveals whether a record exists; a missing
record answers 404 (the selectors' ``get_for_user``).
"""

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.views.generic import FormView
from django_filters.views import FilterView

from cai.filtering import SortByTriMixin, style_filter_form
from cai.pagination import NearestPageMixin

from ..access import reads_offer, works_on_network

PAGE_SIZE = 25
RESULTS_TARGET = "network-results"
NOT_FILTERS = {"page", "tri", "ordering"}


def is_fragment_request(request) -> bool:
    """An HTMX request that swaps part of the page (not a history restore, which wants the page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


class NetworkStaffMixin(UserPassesTestMixin):
    """Coordinators, the director and administrators; 403 for everyone else signed in."""

    raise_exception = True

    def test_func(self):
        return works_on_network(self.request.user)


class OfferReaderMixin(UserPassesTestMixin):
    """The network staff and counsellors (who orient people towards the offer)."""

    raise_exception = True

    def test_func(self):
        return reads_offer(self.request.user)


class NetworkListView(SortByTriMixin, NetworkStaffMixin, NearestPageMixin, FilterView):
    """A list page: the FilterSet shared with the API filters it, ``?tri=`` sorts it (column headers),
    25 rows a page (a page out of range shows the nearest one). An HTMX request answers with the
    results fragment only. Subclasses name the selector, the FilterSet and the templates."""

    selector = None  # callable(user=...) -> QuerySet
    template_name = "plateformes/list_page.html"
    results_template_name = None
    paginate_by = PAGE_SIZE
    strict = True
    title = ""
    intro = ""
    create_url_name = None
    create_label = ""
    empty_message = ""
    empty_hint = ""
    section = ""

    def get_queryset(self):
        return type(self).selector(user=self.request.user)

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        style_filter_form(filterset.form)
        return filterset

    def paginate_queryset(self, queryset, page_size):
        if queryset.query.order_by:  # a column chosen: then by id, for a stable order across pages
            queryset = queryset.order_by(*queryset.query.order_by, "pk")
        return super().paginate_queryset(queryset, page_size)

    def get_template_names(self):
        if is_fragment_request(self.request):
            return [self.results_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            is_filtered=any(value for key, value in self.request.GET.items() if key not in NOT_FILTERS),
            can_write=works_on_network(self.request.user),
            results_target=RESULTS_TARGET,
            results_template=self.results_template_name,
            list_url=self.request.path,
            title=self.title,
            intro=self.intro,
            create_url_name=self.create_url_name,
            create_label=self.create_label,
            empty_message=self.empty_message,
            empty_hint=self.empty_hint,
            section=self.section,
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


class ServiceFormView(NetworkStaffMixin, FormView):
    """A create or edit page: the form checks the input, ``perform`` calls the service, and the
    service's errors come back on the form's fields. Nothing is saved unless everything is valid."""

    template_name = "plateformes/form_page.html"
    title = ""
    success_message = ""
    back_url_name = None
    back_label = ""
    section = ""

    @cached_property
    def object(self):
        """The record being edited, or None on a create page."""
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            saved = self.perform(form)
        except ValidationError as error:
            if self.object is not None:
                self.object.refresh_from_db()  # the service set the refused values on it
            self.add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"object": saved})
        return redirect(self.get_success_url_for(saved))

    def add_errors(self, form, error):
        form.add_service_errors(error)

    def get_success_url_for(self, saved):
        return saved.get_absolute_url()

    def get_title(self):
        return self.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            title=self.get_title(),
            back_url_name=self.back_url_name,
            back_label=self.back_label,
            section=self.section,
        )
        return context
