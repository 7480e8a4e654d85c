"""Pages of the yearly activity report.

* ``report_home``: the director and administrators request a new version of a year's report and see
  every version (state, pages, fingerprint, downloads). When the queue (Redis) is down, the request is
  recorded as failed and the page says so; the rest of the application keeps working.
* ``job_detail``: one version, its progress updated live (HTMX polls the progress fragment every 2 s
  until the job is done or failed), its error, timings and downloads.
* ``job_pdf`` / ``job_xlsx`` / ``job_csv``: the files of a finished version, as attachments never cached.
  The CSV is made from the figures stored on the job, the very figures of its PDF and XLSX.
* ``dashboard``: the director's dashboard: the year's figures so far (the report's selectors and
  charts), cached for a few minutes, refreshed by HTMX (a button, and every few minutes).
* ``narrative_*``: every staff role except commune agents writes the narrative blocks of a year.

Roles are checked before any lookup (403); a missing version or an unknown section answers 404.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from cai.pagination import NearestPageMixin

from . import exports, job_selectors, selectors, services
from .filters import ReportJobFilter
from .forms import (
    TEXT_MAX_LENGTH,
    DashboardYearForm,
    NarrativeForm,
    ReportRequestForm,
    default_year,
    html_to_paragraphs,
    paragraphs_to_html,
    year_choices,
)
from .models import JobStatus, NarrativeBlock
from .services import MIN_YEAR, ReportQueueUnavailable

PAGE_SIZE = 20
# The progress fragment polls for this long at most: a build is stopped after 15 minutes (the task's
# time limit), and a page polling for ever would keep an idle session alive (sessions end after 30
# idle minutes).
POLL_WINDOW = dt.timedelta(minutes=20)
TIMING_LABELS = {
    "figures": gettext_lazy("Calcul des chiffres"),
    "html": gettext_lazy("Mise en page"),
    "pdf": gettext_lazy("Production du PDF"),
    "total": gettext_lazy("Total"),
}
DOWNLOADS = {
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def is_fragment_request(request) -> bool:
    """An HTMX request that swaps part of the page (not a history restore, which wants the page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


class RequestsReportMixin(UserPassesTestMixin):
    """The director and administrators."""

    raise_exception = True

    def test_func(self):
        return services.can_request_report(self.request.user)


class WritesNarrativeMixin(UserPassesTestMixin):
    """Every staff role (not commune agents)."""

    raise_exception = True

    def test_func(self):
        return services.can_write_narrative(self.request.user)


class ReportHomeView(NearestPageMixin, RequestsReportMixin, ListView):
    """GET: the request form (year, last year by default) and the versions, filtered by year and state,
    sorted (``?tri=``), paginated. POST: request a new version (``services.report_request``), then go to
    its page; a bad year shows on the field; a queue that cannot be reached shows the French message on
    this page (503), with the failed version in the list."""

    template_name = "rapports/report_home.html"
    context_object_name = "jobs"
    paginate_by = PAGE_SIZE
    request_form = None
    queue_error = ""

    def get_queryset(self):
        self.filterset = ReportJobFilter(
            self.request.GET or None, queryset=job_selectors.job_list(), request=self.request
        )
        for field in self.filterset.form.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
        queryset = self.filterset.qs
        if queryset.query.order_by != ("-year", "-version"):  # a column chosen: then newest first
            return queryset.order_by(*queryset.query.order_by, "-year", "-version")
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.request_form or ReportRequestForm(),
            filter=self.filterset,
            is_filtered=any(v for k, v in self.request.GET.items() if k not in ("page", "tri")),
            queue_error=self.queue_error,
            narrative_year=default_year(),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ReportRequestForm(request.POST)
        status = 200
        if form.is_valid():
            try:
                job = services.report_request(actor=request.user, year=form.cleaned_data["year"])
            except ReportQueueUnavailable as error:
                self.queue_error = str(error)
                status = 503
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("La génération du rapport %(year)s (version %(version)s) est demandée.")
                    % {"year": job.year, "version": job.version},
                )
                return redirect(job.get_absolute_url())
        self.request_form = form
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(), status=status)


class JobDetailView(RequestsReportMixin, TemplateView):
    """One version. An HTMX request gets the progress fragment only (the page polls it every 2 s while
    the job is pending or running; the fragment stops the polling once it is finished, or after
    ``POLL_WINDOW``)."""

    template_name = "rapports/job_detail.html"
    fragment_template_name = "rapports/partials/job_progress.html"

    def get_template_names(self):
        if is_fragment_request(self.request):
            return [self.fragment_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = job_selectors.get_job(pk=self.kwargs["pk"])
        context.update(
            job=job,
            polling=not job.is_finished and timezone.now() - job.requested_at < POLL_WINDOW,
            timings=timing_rows(job.timings),
            progress_url=reverse("rapports:job_detail", args=[job.pk]),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


class DashboardView(RequestsReportMixin, TemplateView):
    """The year's key figures (``?annee=``, this year by default: figures so far), the per-office
    comparison and the report's charts. An HTMX request gets the figures fragment only; with
    ``actualiser=1`` the figures are computed again rather than read from the cache. A bad year shows
    its French message on the field (400), never a 500."""

    template_name = "rapports/dashboard.html"
    fragment_template_name = "rapports/partials/dashboard_figures.html"
    poll_seconds = selectors.DASHBOARD_CACHE_SECONDS

    def get_template_names(self):
        if is_fragment_request(self.request):
            return [self.fragment_template_name]
        return [self.template_name]

    def get(self, request, *args, **kwargs):
        data = request.GET.copy()
        data.setdefault("annee", str(timezone.localdate().year))
        form = DashboardYearForm(data)
        context = self.get_context_data(form=form, poll_seconds=self.poll_seconds)
        if not form.is_valid():
            return self.render_to_response(context, status=400)
        year = form.cleaned_data["annee"]
        this_year = timezone.localdate().year
        context.update(
            year=year,
            to_date=year == this_year,
            dashboard=selectors.dashboard_figures(year=year, refresh=request.GET.get("actualiser") == "1"),
            refresh_url=f"{reverse('rapports:dashboard')}?annee={year}&actualiser=1",
            poll_url=f"{reverse('rapports:dashboard')}?annee={year}",
        )
        return self.render_to_response(context)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


def timing_rows(timings: dict) -> list[tuple[str, float]]:
    """The durations of the build's steps, in the order of the build (the database may reorder keys)."""
    timings = timings or {}
    keys = [key for key in TIMING_LABELS if key in timings]
    keys += sorted(key for key in timings if key not in TIMING_LABELS)
    return [
        (TIMING_LABELS.get(key, key), timings[key]) for key in keys if isinstance(timings[key], int | float)
    ]


def download_name(job, extension: str) -> str:
    return f"rapport-activites-{job.year}-v{job.version}.{extension}"


def finished_job(pk, *, with_figures=False):
    """The version if it is done; 404 until then (nothing to download yet)."""
    job = job_selectors.get_job(pk=pk, with_figures=with_figures)
    if job.status != JobStatus.DONE:
        raise Http404
    return job


class JobFileView(RequestsReportMixin, View):
    """GET: the PDF or the XLSX workbook of a finished version (``kind`` from the URL)."""

    kind = "pdf"

    def get(self, request, pk):
        job = finished_job(pk)
        content_type, extension = DOWNLOADS[self.kind]
        stored = getattr(job, self.kind)
        if not stored:
            raise Http404
        try:
            handle = stored.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        response = FileResponse(
            handle, as_attachment=True, filename=download_name(job, extension), content_type=content_type
        )
        response["Cache-Control"] = "no-store"
        return response


class JobCsvView(RequestsReportMixin, View):
    """GET: the figures of a finished version as CSV, from the figures stored with it."""

    def get(self, request, pk):
        job = finished_job(pk, with_figures=True)
        if "tables" not in (job.figures or {}):
            raise Http404
        response = HttpResponse(exports.figures_csv(job.figures), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{download_name(job, "csv")}"'
        response["Cache-Control"] = "no-store"
        return response


def checked_year(year: int) -> int:
    """A year the narrative can be written for (the service's range: 2000 to this year); 404 otherwise."""
    if not MIN_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return year


class NarrativeHomeView(WritesNarrativeMixin, View):
    """The navigation's entry: the texts of last year's report."""

    def get(self, request):
        return redirect("rapports:narrative_index", year=max(default_year(), MIN_YEAR))


class NarrativeIndexView(WritesNarrativeMixin, TemplateView):
    """Every section of a year's report, by chapter, with its text preview, last editor and date."""

    template_name = "rapports/narrative_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = checked_year(self.kwargs["year"])
        chapters = job_selectors.narrative_chapters(year=year)
        sections = [row for chapter in chapters for row in chapter["sections"]]
        context.update(
            year=year,
            chapters=chapters,
            written=sum(1 for row in sections if row["preview"]),
            total=len(sections),
            years=[choice for choice, _label in year_choices()],
            can_request=services.can_request_report(self.request.user),
        )
        return context


class NarrativeEditView(WritesNarrativeMixin, FormView):
    """The text of one section for one year: a text area, saved through ``services.narrative_save``."""

    template_name = "rapports/narrative_edit.html"
    form_class = NarrativeForm

    @cached_property
    def year(self) -> int:
        return checked_year(self.kwargs["year"])

    @cached_property
    def section(self):
        section = job_selectors.section_for(self.kwargs["section"])
        if section is None:
            raise Http404
        return section

    @cached_property
    def block(self):
        return (
            NarrativeBlock.objects.filter(year=self.year, section=self.section.key)
            .select_related("updated_by")
            .first()
        )

    def get_initial(self):
        return {"text": html_to_paragraphs(self.block.text) if self.block else ""}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            year=self.year,
            section=self.section,
            narrative_block=self.block,  # not "block": templates use that name for {% block %}
            anchor=job_selectors.anchor_for(self.section.key),
            max_length=TEXT_MAX_LENGTH,
        )
        return context

    def get(self, request, *args, **kwargs):
        self.check_target()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_target()
        return super().post(request, *args, **kwargs)

    def check_target(self) -> None:
        """404 for a year out of range or an unknown section, before any form handling."""
        _year, _section = self.year, self.section

    def form_valid(self, form):
        try:
            services.narrative_save(
                actor=self.request.user,
                year=self.year,
                section=self.section.key,
                text=paragraphs_to_html(form.cleaned_data["text"]),
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Texte « %(section)s » du rapport %(year)s enregistré.")
            % {"section": self.section.title, "year": self.year},
        )
        index = reverse("rapports:narrative_index", args=[self.year])
        return redirect(f"{index}#{job_selectors.anchor_for(self.section.key)}")
