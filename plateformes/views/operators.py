"""The operators' directory (list, page, create and edit with contacts, deactivate), their offer
(create and edit per operator) and the offer search "Trouver une offre" with its CSV / XLSX export.

The network staff (coordinators, director, administrators) use every page; counsellors only the offer
search and its export, to orient a person; commune agents none.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from cai.filtering import with_ordering

from .. import exports, selectors, services
from ..access import works_on_network
from ..filters import OfferFilter, OperatorFilter, operator_choices
from ..forms import ContactFormSet, OfferForm, OperatorForm
from ..models import Operator
from .base import NetworkListView, NetworkStaffMixin, OfferReaderMixin, ServiceFormView


class OperatorListView(NetworkListView):
    selector = staticmethod(selectors.operator_list)
    filterset_class = OperatorFilter
    results_template_name = "plateformes/partials/operator_results.html"
    title = gettext_lazy("Opérateurs")
    intro = gettext_lazy(
        "Les ILI et les autres partenaires du territoire : associations, CPAS, communes, FOREM, écoles, "
        "centres d'accueil."
    )
    create_url_name = "plateformes:operator_create"
    create_label = gettext_lazy("Nouvel opérateur")
    empty_message = gettext_lazy("Le répertoire des opérateurs est encore vide.")
    empty_hint = gettext_lazy("Ajoutez le premier opérateur : une ILI, une association, un CPAS…")
    section = "operators"


class OperatorDetailView(NetworkStaffMixin, TemplateView):
    template_name = "plateformes/operator_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            operator=selectors.get_operator(user=self.request.user, pk=self.kwargs["pk"]),
            section="operators",
        )
        return context


class OperatorFormView(ServiceFormView):
    """Create or edit an operator with its contacts (an inline formset), saved together or not at all."""

    form_class = OperatorForm
    template_name = "plateformes/operator_form.html"
    back_url_name = "plateformes:operator_list"
    back_label = gettext_lazy("Opérateurs")
    section = "operators"

    @cached_property
    def formset(self):
        data = self.request.POST if self.request.method == "POST" else None
        return ContactFormSet(data, instance=self.object or Operator(), prefix="contacts")

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid() and self.formset.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def add_errors(self, form, error):
        form.add_service_errors(error, children={"contacts": self.formset})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["formset"] = self.formset
        return context


class OperatorCreateView(OperatorFormView):
    title = gettext_lazy("Nouvel opérateur")
    success_message = gettext_lazy("Opérateur « %(object)s » ajouté au répertoire.")

    def perform(self, form):
        fields = form.service_kwargs()
        return services.operator_create(actor=self.request.user, contacts=self.formset.items(), **fields)


class OperatorUpdateView(OperatorFormView):
    success_message = gettext_lazy("Opérateur « %(object)s » modifié.")

    @cached_property
    def object(self):
        return selectors.get_operator(user=self.request.user, pk=self.kwargs["pk"])

    def get_title(self):
        return _("Modifier « %(name)s »") % {"name": self.object.name}

    def perform(self, form):
        fields = form.service_kwargs()
        return services.operator_update(
            actor=self.request.user, operator=self.object, contacts=self.formset.items(), **fields
        )


class OperatorActiveView(NetworkStaffMixin, View):
    """POST: take the operator out of the offer search (``active=False``) or bring it back."""

    active = False

    def post(self, request, pk):
        operator = selectors.get_for_user(selectors.operator_list(user=request.user), pk)
        if self.active:
            services.operator_reactivate(actor=request.user, operator=operator)
            messages.success(request, _("« %(name)s » est de nouveau actif.") % {"name": operator.name})
        else:
            services.operator_deactivate(actor=request.user, operator=operator)
            messages.success(
                request,
                _("« %(name)s » est désactivé : son offre n'apparaît plus dans la recherche.")
                % {"name": operator.name},
            )
        return redirect(operator.get_absolute_url())


class OfferFormView(ServiceFormView):
    form_class = OfferForm
    back_url_name = "plateformes:operator_list"
    back_label = gettext_lazy("Opérateurs")
    section = "operators"

    def get_success_url_for(self, saved):
        return saved.operator.get_absolute_url() + "#offre"


class OfferCreateView(OfferFormView):
    success_message = gettext_lazy("Offre « %(object)s » ajoutée.")

    @cached_property
    def operator(self):
        return selectors.get_operator(user=self.request.user, pk=self.kwargs["pk"])

    def get_title(self):
        return _("Nouvelle offre de « %(name)s »") % {"name": self.operator.name}

    def get_initial(self):
        return {"territories": list(self.operator.territories.all()), "commune": self.operator.commune_id}

    def perform(self, form):
        return services.offer_create(actor=self.request.user, operator=self.operator, **form.service_kwargs())


class OfferUpdateView(OfferFormView):
    success_message = gettext_lazy("Offre « %(object)s » modifiée.")

    @cached_property
    def object(self):
        return selectors.get_offer(user=self.request.user, pk=self.kwargs["pk"])

    def get_title(self):
        return _("Modifier l'offre « %(title)s » (%(operator)s)") % {
            "title": self.object.title,
            "operator": self.object.operator.name,
        }

    def perform(self, form):
        return services.offer_update(actor=self.request.user, offer=self.object, **form.service_kwargs())


class OfferSearchView(OfferReaderMixin, NetworkListView):
    """ "Trouver une offre": the current offer by territory, kind, level and commune, to orient a person.
    Counsellors see active offers of active operators (``selectors.offer_list``)."""

    selector = staticmethod(selectors.offer_list)
    filterset_class = OfferFilter
    template_name = "plateformes/offer_search.html"
    results_template_name = "plateformes/partials/offer_results.html"
    title = gettext_lazy("Trouver une offre")
    section = "offer"

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        if works_on_network(self.request.user):
            return filterset
        # Counsellors search the current offer only: the "active" filter and inactive operators are moot.
        filterset.form.fields.pop("active", None)
        filterset.form.fields["operator"].queryset = operator_choices().filter(active=True)
        return filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["export_query"] = query.urlencode()
        return context


class OfferExportView(OfferReaderMixin, View):
    """The filtered offer table (same filters as the search page) as CSV or XLSX."""

    formats = {"csv": exports.offers_csv, "xlsx": exports.offers_xlsx}

    def get(self, request, fmt):
        if fmt not in self.formats:
            raise Http404
        filterset = OfferFilter(
            with_ordering(request.GET), queryset=selectors.offer_list(user=request.user), request=request
        )
        if filterset.is_bound and not filterset.is_valid():
            messages.error(request, _("L'export n'a pas été produit : certains filtres ne sont pas valides."))
            return redirect("plateformes:offer_search")
        return self.formats[fmt](filterset.qs)
