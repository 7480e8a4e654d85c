"""The catalogue: the trainings list, a training with its sessions, adding and editing a training."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from .. import selectors, services
from ..filters import TrainingFilter
from ..forms import TrainingForm, training_initial
from .common import FilteredListView, ManagesTrainingsMixin


class TrainingListView(FilteredListView):
    """The catalogue, filtered (theme, on the catalogue, on request, title), sorted, 25 a page."""

    filterset_class = TrainingFilter
    template_name = "formations/training_list.html"
    fragment_template_name = "formations/partials/training_results.html"
    results_target = "training-results"
    context_object_name = "trainings"
    default_order = ("title", "id")

    def base_queryset(self):
        return selectors.training_queryset(user=self.request.user)


class TrainingDetailView(ManagesTrainingsMixin, TemplateView):
    """A training, its description and its sessions with their places, waiting list and attendance."""

    template_name = "formations/training_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        training = selectors.get_training_for_user(user=user, pk=self.kwargs["pk"])
        context.update(
            training=training,
            sessions=list(selectors.training_sessions(user=user, training=training)),
            modules=[line.strip() for line in training.modules.splitlines() if line.strip()],
        )
        return context


class TrainingCreateView(ManagesTrainingsMixin, FormView):
    form_class = TrainingForm
    template_name = "formations/training_form.html"

    def form_valid(self, form):
        try:
            training = services.training_create(actor=self.request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Formation « %(title)s » ajoutée. Planifiez-en maintenant les sessions.") % {"title": training},
        )
        return redirect(training.get_absolute_url())


class TrainingUpdateView(ManagesTrainingsMixin, FormView):
    form_class = TrainingForm
    template_name = "formations/training_form.html"

    @cached_property
    def training(self):
        return selectors.get_training_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        return training_initial(self.training)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["training"] = self.training
        return kwargs

    def form_valid(self, form):
        try:
            training = services.training_update(
                actor=self.request.user, training=self.training, **form.service_kwargs()
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Formation « %(title)s » modifiée.") % {"title": training})
        return redirect(training.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["training"] = self.training
        return context
