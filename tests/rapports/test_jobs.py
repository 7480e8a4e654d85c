import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from rapports import services
from rapports.builder import build_report
from rapports.models import JobStatus, ReportJob
from tests.pdfutils import pdf_text

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def new_job(user):
    return ReportJob.objects.create(
        year=YEAR, version=ReportJob.objects.filter(year=YEAR).count() + 1, requested_by=user
    )


def test_a_job_is_claimed_once_while_its_worker_lives(director):
    job = new_job(director)
    first = services.job_claim(job.pk)
    assert first and services.job_claim(job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.RUNNING, 1)


def test_a_job_whose_lease_expired_is_taken_over_and_the_old_worker_cannot_finish(director):
    job = new_job(director)
    old = services.job_claim(job.pk)
    ReportJob.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    new = services.job_claim(job.pk)
    assert new and new != old
    assert not services.job_progress(job.pk, old, progress=50, step="x")
    assert not services.job_finish(job.pk, old, pdf=b"%PDF", xlsx=b"x", fingerprint="f", pages=1, timings={})
    assert services.job_finish(job.pk, new, pdf=b"%PDF", xlsx=b"x", fingerprint="f", pages=1, timings={})
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress) == (JobStatus.DONE, 2, 100)


def test_only_the_director_and_administrators_may_request_a_report(counsellor_a, coordinator):
    for user in (counsellor_a, coordinator):
        with pytest.raises(PermissionDenied):
            services.report_request(actor=user, year=YEAR)
    assert not ReportJob.objects.exists()


def test_each_request_makes_a_new_version(director, administrator):
    first = services.report_request(actor=director, year=YEAR)  # eager in tests: built at once
    second = services.report_request(actor=administrator, year=YEAR)
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.status == JobStatus.DONE and "rapport-" in first.pdf.name and "-v1" in first.pdf.name


def test_the_built_pdf_says_what_the_data_says(director, office_a, counsellor_a):
    from tests.factories import AppointmentFactory, PersonFactory

    for nationality in ("SY", "SY", "AF", "FR"):
        AppointmentFactory(
            person=PersonFactory(office=office_a, nationality=nationality), counsellor=counsellor_a
        )
    job = new_job(director)
    assert build_report(job.pk) == "done"
    job.refresh_from_db()
    text = pdf_text(job.pdf.read())
    assert "Rapport d'activités" in text and str(YEAR) in text
    assert "4\n personnes suivies" in text or "personnes suivies" in text
    assert "Syrie" in text and "Afghanistan" in text
    assert job.pages >= 8 and len(job.figures_fingerprint) == 64


def test_a_starting_worker_prepares_the_report_template_before_any_job():
    """The template engine and the report's template are loaded when the worker starts (by each process
    of a prefork pool, or by the worker itself with the solo pool), not by the first job."""
    from celery.signals import worker_process_init, worker_ready
    from django.template import engines

    import rapports.tasks  # noqa: F401 (connects the receivers, as the worker's autodiscovery does)

    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    worker_process_init.send(sender=None)
    assert "rapports/pdf/report.html" in loader.get_template_cache
    loader.reset()
    worker_ready.send(sender=None)
    assert "rapports/pdf/report.html" in loader.get_template_cache
