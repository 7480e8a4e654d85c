"""Support actions for operators (advice, subsidy renewal files, visits, collective sessions): the
list with its counts per year and kind, and the create and edit pages."""

from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import selectors, services
from ..filters import SupportActionFilter
from ..forms import SupportActionForm
from .base import NetworkListView, ServiceFormView


class SupportActionListView(NetworkListView):
    """The filtered actions, and above them the counts of the same filtered actions per year and kind
    (one aggregate query)."""

    selector = staticmethod(selectors.support_action_list)
    filterset_class = SupportActionFilter
    template_name = "plateformes/support_action_list.html"
    results_template_name = "plateformes/partials/support_action_results.html"
    title = gettext_lazy("Actions de soutien aux opérateurs")
    intro = gettext_lazy(
        "Conseils, dossiers de renouvellement de subvention, visites et séances collectives."
    )
    create_url_name = "plateformes:support_action_create"
    create_label = gettext_lazy("Nouvelle action de soutien")
    empty_message = gettext_lazy("Aucune action de soutien n'est encore enregistrée.")
    empty_hint = gettext_lazy("Notez le prochain conseil, la prochaine visite ou le prochain dossier suivi.")
    section = "support"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            filtered = self.filterset.queryset.none()
        else:
            filtered = self.filterset.qs
        context["counts"] = selectors.support_action_counts(filtered)
        return context


class SupportActionCreateView(ServiceFormView):
    form_class = SupportActionForm
    title = gettext_lazy("Nouvelle action de soutien")
    success_message = gettext_lazy("Action de soutien « %(object)s » enregistrée.")
    back_url_name = "plateformes:support_action_list"
    back_label = gettext_lazy("Actions de soutien")
    section = "support"

    def get_initial(self):
        initial = {"staff": self.request.user.pk}
        operator = self.request.GET.get("operateur", "")
        if operator.isdigit():
            initial["operator"] = int(operator)
        return initial

    def perform(self, form):
        return services.support_action_create(actor=self.request.user, **form.service_kwargs())

    def get_success_url_for(self, saved):
        return saved.operator.get_absolute_url() + "#soutien"


class SupportActionUpdateView(SupportActionCreateView):
    success_message = gettext_lazy("Action de soutien « %(object)s » modifiée.")

    @cached_property
    def object(self):
        return selectors.get_support_action(user=self.request.user, pk=self.kwargs["pk"])

    def get_title(self):
        return _("Modifier l'action de soutien du %(date)s") % {"date": self.object.date.strftime("%d/%m/%Y")}

    def get_initial(self):
        return {}

    def perform(self, form):
        return services.support_action_update(
            actor=self.request.user, action=self.object, **form.service_kwargs()
        )
