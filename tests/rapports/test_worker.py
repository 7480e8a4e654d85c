"""The report built by real Celery workers on Redis, not eagerly in the test process (issue 6, Bars):

1. a requested version is built by a worker subprocess and reaches "done" with its PDF;
2. a worker killed with SIGKILL in the middle of a job: the message comes back after the broker's
   visibility timeout, a new worker takes the job over once its lease has expired, and the version is
   finished exactly once (two attempts, one PDF stored);
3. with Redis down, requesting a version says so in French at once, records the version as failed,
   and the rest of the application keeps answering.

1 and 2 need ``REDIS_URL`` and PostgreSQL (skipped otherwise); 3 needs neither (its broker is a closed
port). Workers get short timings through the environment (see ``cai/settings/test.py``).
"""

import time
from contextlib import contextmanager

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from rapports import services
from rapports.models import JobStatus, ReportJob
from tests.conftest import signed_in_client
from tests.pdfutils import pdf_text
from tests.rapports.conftest import celery_conf
from tests.worker import celery_worker_process  # noqa: F401 - the fixture

pytestmark = pytest.mark.worker

YEAR = timezone.localdate().year - 1
DEAD_BROKER = "redis://127.0.0.1:6399/0"  # nothing listens there


def job_state(job_id: int) -> tuple[str, int]:
    return tuple(ReportJob.objects.filter(pk=job_id).values_list("status", "attempts").get())


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_requested_report(
    celery_worker_process,  # noqa: F811
    director,
):
    with celery_conf(task_default_queue=celery_worker_process.queue):  # report_request names no queue
        job = services.report_request(actor=director, year=YEAR)

    celery_worker_process.wait_for(
        lambda: job_state(job.pk)[0] in (JobStatus.DONE, JobStatus.FAILED), timeout=60, what="the build"
    )
    # Built by the worker, not in this process: its log says it ran the task.
    celery_worker_process.wait_for(lambda: celery_worker_process.tasks_succeeded() == 1, what="the log")
    assert "rapports.tasks.build_report_task" in celery_worker_process.log(tail=None)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, job.error) == (JobStatus.DONE, 1, 100, "")
    assert "Rapport d'activités" in pdf_text(job.pdf.read()) and job.pages >= 8
    assert job.xlsx and job.figures["tables"] and len(job.figures_fingerprint) == 64


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_is_finished_once_by_another_worker(report_workers, director):
    # The first worker pauses between the steps (so that it can be killed mid-way) and holds a
    # 1-second lease; the second sees unacknowledged messages again after 2 seconds, so the lease has
    # always expired when the message comes back (otherwise the claim would refuse the job).
    first = report_workers.start(
        "first", env={"CAI_REPORT_TEST_DELAY_SECONDS": "3", "CAI_REPORT_LEASE_SECONDS": "1"}
    )
    started = time.monotonic()
    job = services.report_request(actor=director, year=YEAR)
    first.wait_for(lambda: job_state(job.pk)[0] == JobStatus.RUNNING, timeout=20, what="the first claim")

    report_workers.kill(first)
    assert job_state(job.pk) == (JobStatus.RUNNING, 1)  # left half-done by the dead worker

    second = report_workers.start("second", env={"CAI_TEST_VISIBILITY_TIMEOUT": "2"})
    second.wait_for(lambda: job_state(job.pk)[0] == JobStatus.DONE, timeout=40, what="the takeover")

    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress) == (JobStatus.DONE, 2, 100)
    stored = sorted(path.name for path in (report_workers.media_root / "rapports" / str(YEAR)).iterdir())
    assert stored == [f"rapport-{YEAR}-v1.pdf", f"rapport-{YEAR}-v1.xlsx"]  # one result, stored once
    assert job.pdf.name == f"rapports/{YEAR}/rapport-{YEAR}-v1.pdf"
    assert "Rapport d'activités" in pdf_text(job.pdf.read())
    second.wait_for(lambda: "'done'" in second.log(tail=None), what="the second worker's log")
    assert "succeeded" not in first.log(tail=None)
    assert time.monotonic() - started < 45


@contextmanager
def broker_down():
    """Publish to a closed port, failing at once, as when Redis is down. The Celery app read its broker
    from the settings once and keeps connection pools: both are swapped for the test.

    "At once": besides ``apply_async(retry=False)`` (in ``services.enqueue``), kombu retries the
    connection itself for ``broker_connection_timeout`` seconds (2 s, then 4 s of sleep with the defaults);
    ``max_retries: 0`` in the transport options makes it give up after the first refusal."""
    from cai.celery import app

    saved = {
        key: app.conf[key]
        for key in (
            "broker_url",
            "task_always_eager",
            "broker_connection_retry",
            "broker_connection_timeout",
            "broker_transport_options",
        )
    }
    pools = app._pool, app.amqp._producer_pool
    app.conf.update(
        broker_url=DEAD_BROKER,
        task_always_eager=False,
        broker_connection_retry=False,
        broker_connection_timeout=1,
        broker_transport_options={"max_retries": 0, "socket_connect_timeout": 1},
    )
    app._pool = app.amqp._producer_pool = None
    try:
        with override_settings(CELERY_BROKER_URL=DEAD_BROKER, CELERY_TASK_ALWAYS_EAGER=False):
            yield
    finally:
        app.conf.update(saved)
        app._pool, app.amqp._producer_pool = pools


@pytest.mark.django_db
def test_with_redis_down_the_request_fails_fast_in_french_and_the_app_keeps_working(director):
    client = signed_in_client(director)
    assert (
        client.get(reverse("rapports:report_home")).status_code == 200
    )  # URLs and views loaded: time the POST only
    with broker_down():
        started = time.monotonic()
        response = client.post(reverse("rapports:report_home"), {"year": YEAR})
        elapsed = time.monotonic() - started
        people = client.get(reverse("accompagnement:person_list"))

    assert response.status_code == 503
    assert "Le service de génération est momentanément indisponible. Réessayez plus tard." in (
        response.content.decode()
    )
    assert elapsed < 2, f"publishing to a dead broker took {elapsed:.1f} s"
    job = ReportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.error == "Le service de génération (file d'attente) est indisponible."
    assert people.status_code == 200
