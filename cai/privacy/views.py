"""The director's access accountability pages: the access log of a file, the files a user opened,
the weekly unusual-access reviews. The director and administrators only (403 for every other role)."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from accompagnement.models import Person
from accompagnement.selectors import get_person_for_user
from cai.filtering import FilteredListMixin
from cai.pagination import NearestPageMixin
from cai.pdf import long_date, render_pdf

from . import selectors, services
from .filters import BreachFilter, ProcessingActivityFilter
from .forms import (
    BreachForm,
    PersonAccessFilterForm,
    ProcessingActivityForm,
    RetentionRuleForm,
    ReviewSeenForm,
    UserAccessFilterForm,
)
from .history import OBJECT_CHOICES, change_history_rows, person_change_log
from .models import AccessReview, RetentionRule, controller_contact, dpo_contact
from .selectors import decorate_entries, person_access_log, user_access_log, user_weekly_counts
from .services import answers_access_requests, subject_access_package_build

PAGE_SIZE = 50


class AccessReaderMixin(UserPassesTestMixin):
    raise_exception = True

    def test_func(self):
        user = self.request.user
        return user.is_active and (user.is_director or user.is_administrator)


class PersonAccessLogView(AccessReaderMixin, NearestPageMixin, ListView):
    """Journal des accès of one file: who opened, downloaded, changed or exported it, from where,
    with the out-of-office access and its reason when one was used."""

    template_name = "privacy/person_access_log.html"
    context_object_name = "entries"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.person = get_person_for_user(user=self.request.user, pk=self.kwargs["pk"])
        self.filter_form = PersonAccessFilterForm(self.request.GET or None)
        start, end = self.filter_form.period()
        return person_access_log(person=self.person, start=start, end=end, kind=self.filter_form.kind())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decorate_entries(context["entries"])
        context.update(person=self.person, filter_form=self.filter_form)
        return context


class UserAccessLogView(AccessReaderMixin, NearestPageMixin, ListView):
    """The files a user opened (and the exports they made), with their counts per week."""

    template_name = "privacy/user_access_log.html"
    context_object_name = "entries"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.filter_form = UserAccessFilterForm(self.request.GET or None)
        self.subject = self.filter_form.user()
        if self.subject is None:
            return user_access_log(user=None).none()
        start, end = self.filter_form.period()
        self.weeks = user_weekly_counts(user=self.subject, start=start, end=end)
        return user_access_log(user=self.subject, start=start, end=end)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decorate_entries(context["entries"], with_people=True)
        context.update(
            filter_form=self.filter_form,
            subject=self.subject,
            weeks=getattr(self, "weeks", []),
            subject_offices=list(self.subject.offices.all()) if self.subject else [],
        )
        return context


class AccessReviewListView(AccessReaderMixin, NearestPageMixin, ListView):
    template_name = "privacy/access_review_list.html"
    context_object_name = "reviews"
    paginate_by = 20
    queryset = AccessReview.objects.select_related("reviewed_by").order_by("-week_start")


class AccessReviewDetailView(AccessReaderMixin, DetailView):
    template_name = "privacy/access_review_detail.html"
    context_object_name = "review"
    queryset = AccessReview.objects.select_related("reviewed_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        findings = self.object.findings or {}
        overrides = findings.get("overrides", [])
        people = Person.objects.in_bulk([row["person_id"] for row in overrides])
        context.update(
            users=findings.get("users", []),
            overrides=[
                {
                    **row,
                    "person": people.get(row["person_id"]),
                    "granted": dt.datetime.fromisoformat(row["granted_at"]),
                }
                for row in overrides
            ],
            rule=findings.get("rule", {}),
            form=kwargs.get("form") or ReviewSeenForm(),
        )
        return context


class AccessReviewMarkReviewedView(AccessReaderMixin, View):
    """POST: mark the review as seen (with a comment), then back to it."""

    http_method_names = ["post"]

    def post(self, request, pk):
        review = get_object_or_404(AccessReview, pk=pk)
        form = ReviewSeenForm(request.POST)
        if form.is_valid():
            try:
                services.access_review_mark_reviewed(
                    review=review, actor=request.user, comment=form.cleaned_data["comment"]
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("La revue est marquée comme vue."))
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        return redirect(review.get_absolute_url())


class SubjectAccessPackageView(UserPassesTestMixin, View):
    """One click from the person file: the ZIP of everything the centre holds about the person.
    The director and administrators only (403 for other roles); a missing file answers 404."""

    raise_exception = True

    def test_func(self):
        return answers_access_requests(self.request.user)

    def get(self, request, pk):
        person = get_person_for_user(user=request.user, pk=pk)
        filename, content = subject_access_package_build(actor=request.user, person=person)
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


def reads_person_files(user) -> bool:
    """Who may open a person file: counsellors (their offices), the director, administrators."""
    return user.is_active and (user.is_counsellor or user.reads_all_people)


class PersonChangeHistoryView(NearestPageMixin, UserPassesTestMixin, ListView):
    """Every change to a person's file and its linked records, paginated, filterable by data class,
    newest or oldest first. Whoever may see the file reads it (the person gate answers 404 out of scope);
    other roles get 403. Confidential appointment notes are masked for users who may not read them."""

    raise_exception = True
    template_name = "privacy/person_history.html"
    context_object_name = "entries"
    paginate_by = 50

    def test_func(self):
        return reads_person_files(self.request.user)

    def get_queryset(self):
        self.person = get_person_for_user(user=self.request.user, pk=self.kwargs["pk"])
        self.object_key = self.request.GET.get("objet", "")
        if self.object_key not in dict(OBJECT_CHOICES):
            self.object_key = ""
        self.oldest_first = self.request.GET.get("ordre") == "ancien"
        return person_change_log(self.person, object_key=self.object_key, oldest_first=self.oldest_first)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            person=self.person,
            rows=change_history_rows(context["entries"], user=self.request.user, person=self.person),
            object_choices=OBJECT_CHOICES,
            object_key=self.object_key,
            oldest_first=self.oldest_first,
            is_filtered=bool(self.object_key),
        )
        return context


PAGE_SIZE = 25


class ManagesPrivacyMixin(UserPassesTestMixin):
    raise_exception = True

    def test_func(self):
        return selectors.manages_privacy(self.request.user)


class FilteredListView(FilteredListMixin, NearestPageMixin, ManagesPrivacyMixin, ListView):
    """A list through a FilterSet: filtered, sorted by the column headers (``?tri=``), paginated (a page
    out of range shows the nearest one)."""

    paginate_by = PAGE_SIZE


class HomeView(ManagesPrivacyMixin, TemplateView):
    """The hub: one card per record the centre keeps as a data controller."""

    template_name = "privacy/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            activities_count=selectors.activity_queryset().count(),
            breaches_count=selectors.breach_queryset().count(),
            last_run=selectors.retention_runs().filter(dry_run=False).first(),
        )
        return context


# --- Retention ------------------------------------------------------------------------------------


class RetentionView(NearestPageMixin, ManagesPrivacyMixin, ListView):
    """The rules with their term, the buttons to simulate and to apply now, and the runs (paginated)."""

    template_name = "privacy/retention.html"
    context_object_name = "runs"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.retention_runs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        simulation = None
        simulation_id = self.request.GET.get("simulation", "")
        if simulation_id.isdigit():
            simulation = selectors.retention_runs().filter(pk=simulation_id, dry_run=True).first()
        context.update(
            rules=list(selectors.retention_rules()), simulation=simulation, today=timezone.localdate()
        )
        return context


class RetentionRuleUpdateView(ManagesPrivacyMixin, FormView):
    form_class = RetentionRuleForm
    template_name = "privacy/retention_rule_form.html"

    @cached_property
    def rule(self):
        return get_object_or_404(RetentionRule, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = RetentionRule.objects.get(pk=self.rule.pk)  # a copy the form may change
        return kwargs

    def form_valid(self, form):
        try:
            services.retention_rule_update(actor=self.request.user, rule=self.rule, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Règle « %(rule)s » enregistrée.") % {"rule": self.rule})
        return redirect("privacy:retention")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rule"] = self.rule
        return context


class RetentionSimulateView(ManagesPrivacyMixin, View):
    """POST: count what the policy would change today (nothing is changed); the page shows the counts."""

    http_method_names = ["post"]

    def post(self, request):
        run = services.retention_apply(dry_run=True, user=request.user)
        messages.info(request, _("Simulation terminée : aucune donnée n'a été modifiée."))
        return redirect(reverse("privacy:retention") + f"?simulation={run.pk}")


class RetentionRunView(ManagesPrivacyMixin, View):
    """POST: apply the policy now, in the background (the run appears in the list)."""

    http_method_names = ["post"]

    def post(self, request):
        services.retention_run_request(actor=request.user)
        messages.success(
            request,
            _(
                "Application de la politique de conservation lancée. Le résultat s'affiche dans la liste des exécutions."
            ),
        )
        return redirect("privacy:retention")


# --- Processing register ----------------------------------------------------------------------------


class ActivityListView(FilteredListView):
    filterset_class = ProcessingActivityFilter
    template_name = "privacy/activity_list.html"
    context_object_name = "activities"
    default_order = ("name", "id")

    def base_queryset(self):
        return selectors.activity_queryset()


class ActivityDetailView(ManagesPrivacyMixin, TemplateView):
    template_name = "privacy/activity_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            activity=selectors.get_activity(pk=self.kwargs["pk"]),
            controller=controller_contact(),
            dpo=dpo_contact(),
        )
        return context


class ActivityFormMixin(ManagesPrivacyMixin):
    form_class = ProcessingActivityForm
    template_name = "privacy/activity_form.html"
    activity = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.activity is not None:
            kwargs["instance"] = selectors.get_activity(pk=self.activity.pk)  # a copy the form may change
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["activity"] = self.activity
        return context


class ActivityCreateView(ActivityFormMixin, FormView):
    def get_initial(self):
        return {"last_reviewed_on": timezone.localdate()}

    def form_valid(self, form):
        try:
            activity = services.processing_activity_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Traitement « %(name)s » ajouté au registre.") % {"name": activity})
        return redirect(activity.get_absolute_url())


class ActivityUpdateView(ActivityFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if not self.test_func():
            return self.handle_no_permission()
        self.activity = selectors.get_activity(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            activity = services.processing_activity_update(
                actor=self.request.user, activity=self.activity, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Traitement « %(name)s » modifié.") % {"name": activity})
        return redirect(activity.get_absolute_url())


class RegisterPdfView(ManagesPrivacyMixin, View):
    """The whole register as a PDF, for the supervisory authority (art. 30.4)."""

    def get(self, request):
        today = timezone.localdate()
        content = render_pdf(
            "privacy/pdf/register.html",
            {
                "activities": list(selectors.activity_queryset().order_by("name", "id")),
                "controller": controller_contact(),
                "dpo": dpo_contact(),
                "centre_name": settings.CAI_CENTRE_NAME,
                "printed_on": long_date(today),
            },
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="registre-des-traitements-{today:%Y-%m-%d}.pdf"'
        )
        return response


# --- Breach log -------------------------------------------------------------------------------------


class BreachListView(FilteredListView):
    filterset_class = BreachFilter
    template_name = "privacy/breach_list.html"
    context_object_name = "breaches"
    default_order = ("-discovered_at", "-id")

    def base_queryset(self):
        return selectors.breach_queryset()


class BreachDetailView(ManagesPrivacyMixin, TemplateView):
    template_name = "privacy/breach_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breach"] = selectors.get_breach(pk=self.kwargs["pk"])
        return context


class BreachFormMixin(ManagesPrivacyMixin):
    form_class = BreachForm
    template_name = "privacy/breach_form.html"
    breach = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.breach is not None:
            kwargs["instance"] = selectors.get_breach(pk=self.breach.pk)  # a copy the form may change
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breach"] = self.breach
        return context


class BreachCreateView(BreachFormMixin, FormView):
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The model's clean() needs who records the breach to validate the instance.
        kwargs["instance"] = selectors.breach_queryset().model(recorded_by=self.request.user)
        return kwargs

    def form_valid(self, form):
        try:
            breach = services.breach_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Violation « %(title)s » consignée.") % {"title": breach.title})
        return redirect(breach.get_absolute_url())


class BreachUpdateView(BreachFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if not self.test_func():
            return self.handle_no_permission()
        self.breach = selectors.get_breach(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            breach = services.breach_update(actor=self.request.user, breach=self.breach, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Violation « %(title)s » modifiée.") % {"title": breach.title})
        return redirect(breach.get_absolute_url())
