"""The report API: request (202), follow (status, progress), download the PDF (404 until done); the
director and administrators only. Clients authenticate by token, as API clients do."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from kombu.exceptions import OperationalError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from rapports.models import JobStatus, ReportJob
from rapports.tasks import build_report_task
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
REPORTS = "/api/reports/"


@pytest.fixture
def api(request):
    """``api("director")``: an API client authenticated by token as that persona (anonymous: none)."""

    def make(name: str) -> APIClient:
        client = APIClient()
        if name != "anonymous":
            token, _created = Token.objects.get_or_create(user=request.getfixturevalue(name))
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def make_job(user, *, status=JobStatus.DONE, year=YEAR, **fields):
    if status == JobStatus.DONE:
        fields.setdefault("pdf", ContentFile(b"%PDF-1.7 api", name="api.pdf"))
        fields.setdefault("figures_fingerprint", "f" * 64)
        fields.setdefault("pages", 12)
        fields.setdefault("progress", 100)
    version = ReportJob.objects.filter(year=year).count() + 1
    return ReportJob.objects.create(year=year, version=version, requested_by=user, status=status, **fields)


def test_the_director_requests_a_report_gets_202_then_follows_it_to_the_pdf(api, director):
    client = api("director")
    response = client.post(REPORTS, {"year": YEAR}, format="json")
    assert response.status_code == 202
    job = ReportJob.objects.get()
    assert response.json() == {"id": job.pk, "status": "pending"}
    assert response["Location"].endswith(f"/api/reports/{job.pk}/")

    state = client.get(response["Location"]).json()  # eager in tests: already built
    assert state["status"] == "done" and state["progress"] == 100
    assert (state["year"], state["version"], state["requested_by"]) == (YEAR, 1, str(director))
    assert state["pages"] >= 8 and len(state["fingerprint"]) == 64 and state["error"] == ""
    assert state["pdf_url"].endswith(f"/api/reports/{job.pk}/pdf/")

    pdf = client.get(state["pdf_url"], HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;") and "no-store" in pdf["Cache-Control"]
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"year": 1999}, "L'année doit être comprise entre 2000 et l'année en cours."),
        (
            {"year": timezone.localdate().year + 1},
            "L'année doit être comprise entre 2000 et l'année en cours.",
        ),
        ({"year": "deux-mille"}, "Un nombre entier valide est requis."),
        ({}, "Ce champ est obligatoire."),
    ],
)
def test_a_bad_year_is_a_400_naming_the_field(api, director, body, message):
    response = api("director").post(REPORTS, body, format="json")
    assert response.status_code == 400
    assert response.json()["year"] == [message]
    assert not ReportJob.objects.exists()


def test_a_queue_that_cannot_be_reached_is_a_503_with_a_french_message(api, administrator, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(type(build_report_task._get_current_object()), "apply_async", refuse)
    response = api("administrator").post(REPORTS, {"year": YEAR}, format="json")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "Le service de génération est momentanément indisponible. Réessayez plus tard."
    }
    assert ReportJob.objects.get().status == JobStatus.FAILED


def test_the_pdf_is_404_until_the_version_is_done(api, director):
    client = api("director")
    for status in (JobStatus.PENDING, JobStatus.RUNNING, JobStatus.FAILED):
        job = make_job(director, status=status)
        for accept in ("application/json", "application/pdf"):
            response = client.get(f"{REPORTS}{job.pk}/pdf/", HTTP_ACCEPT=accept)
            assert response.status_code == 404
            assert response["Content-Type"].startswith("application/json")
            assert response.json()["detail"] == "Le PDF n'est disponible qu'une fois la génération terminée."


def test_a_version_shows_its_progress_step_and_error(api, director):
    running = make_job(director, status=JobStatus.RUNNING, progress=50, step="Production du PDF")
    failed = make_job(director, status=JobStatus.FAILED, error="La génération a échoué : mémoire")
    client = api("administrator")
    body = client.get(f"{REPORTS}{running.pk}/").json()
    assert (body["status"], body["progress"], body["step"], body["pdf_url"]) == (
        "running",
        50,
        "Production du PDF",
        None,
    )
    assert client.get(f"{REPORTS}{failed.pk}/").json()["error"] == "La génération a échoué : mémoire"
    assert client.get(f"{REPORTS}999999/").status_code == 404


def test_versions_are_listed_newest_first_and_filtered_by_year(api, director):
    make_job(director, year=YEAR - 1)
    make_job(director, year=YEAR)
    make_job(director, year=YEAR, status=JobStatus.FAILED)
    client = api("director")
    results = client.get(REPORTS).json()["results"]
    assert [(r["year"], r["version"]) for r in results] == [(YEAR, 2), (YEAR, 1), (YEAR - 1, 1)]
    assert [r["year"] for r in client.get(REPORTS, {"year": YEAR - 1}).json()["results"]] == [YEAR - 1]
    assert [r["status"] for r in client.get(REPORTS, {"status": "failed"}).json()["results"]] == ["failed"]


@pytest.mark.parametrize("persona", ["counsellor_a", "coordinator", "commune_agent"])
def test_other_roles_get_403_everywhere(api, director, persona):
    job = make_job(director)
    client = api(persona)
    assert client.post(REPORTS, {"year": YEAR}, format="json").status_code == 403
    for url in (REPORTS, f"{REPORTS}{job.pk}/", f"{REPORTS}{job.pk}/pdf/"):
        assert client.get(url).status_code == 403
    assert ReportJob.objects.count() == 1


def test_anonymous_callers_get_401(api, director):
    job = make_job(director)
    client = api("anonymous")
    assert client.post(REPORTS, {"year": YEAR}, format="json").status_code == 401
    for url in (REPORTS, f"{REPORTS}{job.pk}/", f"{REPORTS}{job.pk}/pdf/"):
        assert client.get(url).status_code == 401


def test_a_browser_session_must_send_its_csrf_token(director):
    client = signed_in_client(director, enforce_csrf_checks=True)
    response = client.post(REPORTS, {"year": YEAR}, content_type="application/json")
    assert response.status_code == 403 and not ReportJob.objects.exists()


def test_the_list_costs_the_same_queries_with_3_or_30_versions(api, director, django_assert_max_num_queries):
    client = api("director")
    for _number in range(3):
        make_job(director)
    with django_assert_max_num_queries(8) as few:
        assert len(client.get(REPORTS).json()["results"]) == 3
    for _number in range(27):
        make_job(director)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(REPORTS).json()["results"]) == 30


def test_the_schema_documents_the_report_endpoints(counsellor_a):
    schema = signed_in_client(counsellor_a).get("/api/schema/?format=json").json()
    assert set(schema["paths"]["/api/reports/"]) == {"get", "post"}
    create = schema["paths"]["/api/reports/"]["post"]
    assert {"202", "400", "403", "503"} <= set(create["responses"])
    assert (
        "application/pdf" in schema["paths"]["/api/reports/{id}/pdf/"]["get"]["responses"]["200"]["content"]
    )
    assert "fingerprint" in schema["components"]["schemas"]["ReportJob"]["properties"]
