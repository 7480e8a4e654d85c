"""The simpler records of the network, each a list page with create and edit pages: awareness actions,
interpellations, governance meetings, the team and the acronym glossary."""

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .. import selectors, services
from ..filters import (
    AcronymFilter,
    AwarenessActionFilter,
    GovernanceMeetingFilter,
    InterpellationFilter,
    StaffMemberFilter,
)
from ..forms import (
    AcronymForm,
    AwarenessActionForm,
    GovernanceMeetingForm,
    InterpellationForm,
    StaffMemberForm,
)
from .base import NetworkListView, ServiceFormView


class RecordFormView(ServiceFormView):
    """Create (no ``pk`` in the URL) or edit a record through its service, then back to its list.

    Subclasses name: ``selector`` (the list selector, the gate for ``pk``), ``create_service``,
    ``update_service`` and ``instance_kwarg`` (the record's keyword argument of the update service)."""

    selector = None
    create_service = None
    update_service = None
    instance_kwarg = ""
    create_title = ""
    update_title = ""

    @cached_property
    def object(self):
        if "pk" not in self.kwargs:
            return None
        return selectors.get_for_user(type(self).selector(user=self.request.user), self.kwargs["pk"])

    def get_title(self):
        if self.object is None:
            return self.create_title
        return self.update_title % {"object": self.object}

    def perform(self, form):
        fields = form.service_kwargs()
        if self.object is None:
            return type(self).create_service(actor=self.request.user, **fields)
        return type(self).update_service(
            actor=self.request.user, **{self.instance_kwarg: self.object}, **fields
        )

    def get_success_url_for(self, saved):
        return reverse(self.back_url_name)


# Awareness actions


class AwarenessActionListView(NetworkListView):
    selector = staticmethod(selectors.awareness_action_list)
    filterset_class = AwarenessActionFilter
    results_template_name = "plateformes/partials/awareness_results.html"
    title = _("Actions de sensibilisation")
    intro = _("Conférences, journées contre le racisme, forums, émissions et publications.")
    create_url_name = "plateformes:awareness_action_create"
    create_label = _("Nouvelle action")
    empty_message = _("Aucune action de sensibilisation n'est encore enregistrée.")
    empty_hint = _("Enregistrez la prochaine conférence, journée ou publication.")
    section = "awareness"


class AwarenessActionFormView(RecordFormView):
    form_class = AwarenessActionForm
    selector = staticmethod(selectors.awareness_action_list)
    create_service = staticmethod(services.awareness_action_create)
    update_service = staticmethod(services.awareness_action_update)
    instance_kwarg = "action"
    create_title = _("Nouvelle action de sensibilisation")
    update_title = _("Modifier « %(object)s »")
    success_message = _("Action « %(object)s » enregistrée.")
    back_url_name = "plateformes:awareness_action_list"
    back_label = _("Actions de sensibilisation")
    section = "awareness"


# Interpellations


class InterpellationListView(NetworkListView):
    selector = staticmethod(selectors.interpellation_list)
    filterset_class = InterpellationFilter
    results_template_name = "plateformes/partials/interpellation_results.html"
    title = _("Interpellations")
    intro = _(
        "Cartes blanches, motions (commune hospitalière…), rencontres avec des responsables politiques et "
        "communiqués, par niveau de pouvoir."
    )
    create_url_name = "plateformes:interpellation_create"
    create_label = _("Nouvelle interpellation")
    empty_message = _("Aucune interpellation n'est encore enregistrée.")
    empty_hint = _("Enregistrez la prochaine carte blanche, motion ou rencontre.")
    section = "interpellations"


class InterpellationFormView(RecordFormView):
    form_class = InterpellationForm
    selector = staticmethod(selectors.interpellation_list)
    create_service = staticmethod(services.interpellation_create)
    update_service = staticmethod(services.interpellation_update)
    instance_kwarg = "interpellation"
    create_title = _("Nouvelle interpellation")
    update_title = _("Modifier « %(object)s »")
    success_message = _("Interpellation « %(object)s » enregistrée.")
    back_url_name = "plateformes:interpellation_list"
    back_label = _("Interpellations")
    section = "interpellations"


# Governance


class GovernanceMeetingListView(NetworkListView):
    selector = staticmethod(selectors.governance_meeting_list)
    filterset_class = GovernanceMeetingFilter
    results_template_name = "plateformes/partials/governance_results.html"
    title = _("Réunions des instances")
    intro = _("Conseil d'administration, bureau et assemblées générales.")
    create_url_name = "plateformes:governance_meeting_create"
    create_label = _("Nouvelle réunion des instances")
    empty_message = _("Aucune réunion des instances n'est encore enregistrée.")
    empty_hint = _("Enregistrez la date du prochain conseil d'administration ou de la prochaine assemblée.")
    section = "governance"


class GovernanceMeetingFormView(RecordFormView):
    form_class = GovernanceMeetingForm
    selector = staticmethod(selectors.governance_meeting_list)
    create_service = staticmethod(services.governance_meeting_create)
    update_service = staticmethod(services.governance_meeting_update)
    instance_kwarg = "meeting"
    create_title = _("Nouvelle réunion des instances")
    update_title = _("Modifier « %(object)s »")
    success_message = _("Réunion « %(object)s » enregistrée.")
    back_url_name = "plateformes:governance_meeting_list"
    back_label = _("Réunions des instances")
    section = "governance"


# The team


class StaffMemberListView(NetworkListView):
    """The team grouped by team (direction, first line, second line, administration)."""

    selector = staticmethod(selectors.staff_member_list)
    filterset_class = StaffMemberFilter
    results_template_name = "plateformes/partials/staff_results.html"
    paginate_by = 50
    title = _("L'équipe")
    intro = _("La liste de l'équipe par pôle, telle que l'annexe du rapport d'activité la présente.")
    create_url_name = "plateformes:staff_member_create"
    create_label = _("Nouveau membre de l'équipe")
    empty_message = _("La liste de l'équipe est encore vide.")
    empty_hint = _("Ajoutez les membres de l'équipe, avec leur pôle et leur fonction.")
    section = "team"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["grouped_by_team"] = not self.request.GET.get("tri")
        return context


class StaffMemberFormView(RecordFormView):
    form_class = StaffMemberForm
    selector = staticmethod(selectors.staff_member_list)
    create_service = staticmethod(services.staff_member_create)
    update_service = staticmethod(services.staff_member_update)
    instance_kwarg = "member"
    create_title = _("Nouveau membre de l'équipe")
    update_title = _("Modifier « %(object)s »")
    success_message = _("« %(object)s » enregistré·e dans l'équipe.")
    back_url_name = "plateformes:staff_member_list"
    back_label = _("L'équipe")
    section = "team"


# The glossary


class AcronymListView(NetworkListView):
    selector = staticmethod(selectors.acronym_list)
    filterset_class = AcronymFilter
    results_template_name = "plateformes/partials/acronym_results.html"
    paginate_by = 50
    title = _("Glossaire des sigles")
    intro = _("Les sigles du secteur, repris en annexe du rapport d'activité.")
    create_url_name = "plateformes:acronym_create"
    create_label = _("Nouveau sigle")
    empty_message = _("Le glossaire est vide.")
    empty_hint = _("Ajoutez le premier sigle et sa signification.")
    section = "glossary"


class AcronymFormView(RecordFormView):
    form_class = AcronymForm
    selector = staticmethod(selectors.acronym_list)
    create_service = staticmethod(services.acronym_create)
    update_service = staticmethod(services.acronym_update)
    instance_kwarg = "entry"
    create_title = _("Nouveau sigle")
    update_title = _("Modifier « %(object)s »")
    success_message = _("Sigle « %(object)s » enregistré.")
    back_url_name = "plateformes:acronym_list"
    back_label = _("Glossaire des sigles")
    section = "glossary"
