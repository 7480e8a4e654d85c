"""Journey (issue 6, items 6 and 7): the director looks at the dashboard, writes the introduction of last
year's report, requests the report, watches the progress reach 100 % (built by a real Celery worker on
Redis, outside the web process), downloads the PDF and finds the introduction and the year's figures in
its text (pdftotext). No Content-Security-Policy violation on the way.

Needs REDIS_URL and PostgreSQL (skipped otherwise, like the other real-worker tests): the worker reads
the rows the test commits (``transaction=True``) from the test database, and stores the PDF in the
media folder that the live server serves it from."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cai.choices import Role
from rapports.models import JobStatus, NarrativeBlock, ReportJob
from tests.e2e.helpers import sign_in
from tests.factories import UserFactory, office
from tests.pdfutils import pdf_text
from tests.rapports.conftest import celery_conf
from tests.rapports.dashboard_data import KNOWN, build_known_year
from tests.worker import celery_worker_process  # noqa: F401 - the fixture

PASSWORD = "motdepasse-de-test-solide"  # tests.factories.UserFactory
YEAR = timezone.localdate().year - 1
INTRODUCTION = "Une année de consolidation du parcours à Namur et à Dinant, avec une équipe renforcée."


def console_problems(page) -> list[str]:
    problems = []

    def on_console(message):
        # Browsers ask for /favicon.ico on their own; the application has none.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


@pytest.mark.e2e
@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_director_writes_introduction_requests_report_and_finds_it_in_the_pdf(
    live_server,
    page,
    celery_worker_process,  # noqa: F811
    tmp_path,
):
    cache.clear()  # the dashboard's figures of an earlier test must not show
    namur, dinant = office("namur"), office("dinant")
    counsellor = UserFactory(username="alice", role=Role.COUNSELLOR, offices=[namur])
    build_known_year(year=YEAR, namur=namur, dinant=dinant, counsellor=counsellor)
    director = UserFactory(username="diane", first_name="Diane", last_name="Leroy", role=Role.DIRECTOR)
    problems = console_problems(page)
    sign_in(page, live_server.url, director, PASSWORD)

    # The dashboard: first in the navigation; last year's figures and the report's charts.
    page.locator("nav").get_by_role("link", name="Tableau de bord").first.click()
    page.wait_for_url(f"**{reverse('rapports:dashboard')}")
    page.select_option("#id_annee", str(YEAR))
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(re.compile(rf"annee={YEAR}"))
    followed = page.locator(".card", has=page.get_by_text("Personnes suivies", exact=True))
    expect(followed.locator("[data-figure]")).to_have_text(str(KNOWN["followed"]))
    chart = page.locator("#dashboard-figures img[src^='data:image/svg+xml']").first
    expect(chart).to_be_visible()
    assert chart.evaluate("image => image.complete && image.naturalWidth > 0")  # decoded: the CSP let it in
    page.get_by_role("button", name="Actualiser les chiffres").click()  # the HTMX refresh swaps the figures
    expect(page.get_by_text("Chiffres calculés le")).to_be_visible()

    # The introduction, written in the narrative editor.
    page.get_by_role("link", name="Rapport d'activités").first.click()
    page.wait_for_url(f"**{reverse('rapports:report_home')}")
    page.get_by_role("link", name=f"Textes du rapport {YEAR}").click()
    page.wait_for_url(f"**{reverse('rapports:narrative_index', args=[YEAR])}")
    page.get_by_role("link", name="Introduction de la direction").first.click()
    page.wait_for_url(f"**{reverse('rapports:narrative_edit', args=[YEAR, 'introduction'])}")
    page.fill("#id_text", INTRODUCTION)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**{reverse('rapports:narrative_index', args=[YEAR])}*")
    assert NarrativeBlock.objects.get(year=YEAR, section="introduction").text == f"<p>{INTRODUCTION}</p>"

    # The report, requested for last year (the default) and built by the worker.
    page.goto(f"{live_server.url}{reverse('rapports:report_home')}")
    request_form = page.locator(
        "form[method=post]", has=page.get_by_role("button", name="Générer le rapport")
    )
    assert request_form.locator("select[name=year]").input_value() == str(YEAR)
    with celery_conf(task_default_queue=celery_worker_process.queue):  # report_request names no queue
        request_form.get_by_role("button", name="Générer le rapport").click()
        page.wait_for_url(re.compile(r"/rapport/generations/\d+/$"))
    job = ReportJob.objects.get(year=YEAR)
    expect(page.get_by_text("100 % effectués")).to_be_visible(timeout=60_000)  # HTMX polling, every 2 s
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert "rapports.tasks.build_report_task" in celery_worker_process.log(tail=None)  # not eager

    with page.expect_download() as download_info:
        page.locator("#job-progress").get_by_role("link", name="PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"rapport-activites-{YEAR}-v1.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = pdf_text(Path(saved).read_bytes())
    assert INTRODUCTION in " ".join(text.split())
    assert re.search(
        rf"Personnes suivies\s+{KNOWN['followed']}\s+{KNOWN['followed_previous']}\s+\+300", text
    ), text[:3000]
    assert re.search(
        rf"Rendez-vous individuels\s+{KNOWN['appointments']}\s+{KNOWN['appointments_previous']}", text
    )
    assert re.search(rf"Participant·e·s aux SIDD\s+{KNOWN['sidd_participants']}\s+0", text)

    assert not [text for text in problems if "Content Security Policy" in text], problems
    assert not problems, problems
