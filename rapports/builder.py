"""Builds a report job: figures (SQL aggregates through the apps' selectors), the HTML, the PDF
(WeasyPrint) and the XLSX workbook, with progress written to the job row as it goes."""

import hashlib
import json
import logging
import time

from django.conf import settings
from django.db.models import Q
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from cai.pdf import html_to_document

from . import exports, selectors, services
from .models import NarrativeBlock, ReportJob

logger = logging.getLogger(__name__)


def figures_fingerprint(figures: dict) -> str:
    """A stable digest of the figures, so that two versions can be compared at a glance."""
    payload = json.dumps(figures, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def narrative_for(year: int) -> dict[str, str]:
    return dict(NarrativeBlock.objects.filter(year=year).filter(~Q(text="")).values_list("section", "text"))


def pause_between_steps() -> None:
    """Tests only: ``CAI_REPORT_TEST_DELAY_SECONDS`` (0, no pause, unless a test sets it) slows the build
    down so that the real-worker test can kill a worker in the middle of a job. Never set in production."""
    delay = getattr(settings, "CAI_REPORT_TEST_DELAY_SECONDS", 0)
    if delay:
        time.sleep(delay)


def prepare_process() -> None:
    """What a process pays once, before its first report: Django's template engine (it imports every
    installed template-tag library, Django REST framework's among them: about 0.2 s) and the report's
    template, in French. Run by the worker when it starts (``tasks.prepare_worker_process``)."""
    with translation.override("fr"):
        get_template("rapports/pdf/report.html")


def build_report(job_id: int) -> str:
    """Claim the job, build it and store the result. Returns the final state (for the task log)."""
    token = services.job_claim(job_id)
    if token is None:
        return "skipped"
    job = ReportJob.objects.get(pk=job_id)
    timings = {}
    try:
        with translation.override("fr"):
            services.job_progress(job_id, token, progress=5, step=_("Calcul des chiffres"))
            pause_between_steps()
            started = time.perf_counter()
            figures = selectors.report_figures(year=job.year)
            timings["figures"] = round(time.perf_counter() - started, 3)

            services.job_progress(job_id, token, progress=35, step=_("Mise en page"))
            pause_between_steps()
            started = time.perf_counter()
            context = {
                "centre_name": settings.CAI_CENTRE_NAME,
                "year": job.year,
                "version": job.version,
                "figures": figures,
                "narrative": narrative_for(job.year),
                "job": job,
            }
            html = render_to_string("rapports/pdf/report.html", context)
            timings["html"] = round(time.perf_counter() - started, 3)

            services.job_progress(job_id, token, progress=50, step=_("Production du PDF"))
            pause_between_steps()
            started = time.perf_counter()
            pdf, pages = render_pdf_from_html(html)
            timings["pdf"] = round(time.perf_counter() - started, 3)

            services.job_progress(job_id, token, progress=90, step=_("Classeur XLSX"))
            pause_between_steps()
            xlsx = exports.figures_xlsx(figures, year=job.year)
            timings["total"] = round(sum(timings.values()), 3)
        if services.job_finish(
            job_id,
            token,
            pdf=pdf,
            xlsx=xlsx,
            fingerprint=figures_fingerprint(figures),
            pages=pages,
            timings=timings,
            figures=figures,
        ):
            return "done"
        return "superseded"
    except Exception as error:
        logger.exception("Report job %s failed", job_id)
        services.job_fail(job_id, token, error=_("La génération a échoué : %(error)s") % {"error": error})
        return "failed"


def render_pdf_from_html(html: str) -> tuple[bytes, int]:
    """Render HTML already made (the report template) with the project's safe renderer."""
    document = html_to_document(html)
    return document.write_pdf(), len(document.pages)
