"""The report pages: requesting a version, following its progress (HTMX), downloading its files, and
writing the narrative. Most versions here are rows with small stand-in files (no rendering); one test
builds a real report (eager Celery in tests)."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from rapports.forms import html_to_paragraphs, paragraphs_to_html
from rapports.models import JobStatus, NarrativeBlock, ReportJob
from rapports.tasks import build_report_task
from tests.conftest import signed_in_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
HOME = reverse("rapports:report_home")
FIGURES = {
    "tables": [
        {
            "key": "origines",
            "title": "Groupes d'origine",
            "columns": ["Groupe", "Personnes"],
            "rows": [["Hors UE", 12], ["=1+1", 3]],
            "note": "",
        }
    ]
}


def make_job(user, *, year=YEAR, version=None, status=JobStatus.DONE, fingerprint="a" * 64, **fields):
    """A version of the report as the worker leaves it (stand-in files when done)."""
    if version is None:
        version = ReportJob.objects.filter(year=year).count() + 1
    if status == JobStatus.DONE:
        fields.setdefault("pdf", ContentFile(b"%PDF-1.7 test", name="test.pdf"))
        fields.setdefault("xlsx", ContentFile(b"PK test", name="test.xlsx"))
        fields.setdefault("figures", FIGURES)
        fields.setdefault("figures_fingerprint", fingerprint)
        fields.setdefault("pages", 42)
        fields.setdefault("progress", 100)
    return ReportJob.objects.create(year=year, version=version, requested_by=user, status=status, **fields)


def csrf_post(client, url, data):
    """POST as a browser does: the form's CSRF token, read from the page first."""
    client.get(url)
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


# --- Requesting a version ----------------------------------------------------------------------------


def test_director_requests_a_report_and_lands_on_its_page(director):
    client = signed_in_client(director, enforce_csrf_checks=True)
    response = csrf_post(client, HOME, {"year": YEAR})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.year, job.version, job.requested_by) == (YEAR, 1, director)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.pdf and job.xlsx  # built at once (eager in tests)
    assert job.figures["tables"] and len(job.figures_fingerprint) == 64
    page = client.get(job.get_absolute_url())
    assert f"La génération du rapport {YEAR} (version 1) est demandée." in page.content.decode()


def test_the_year_defaults_to_last_year(director):
    response = signed_in_client(director).get(HOME)
    assert response.status_code == 200
    assert f'<option value="{YEAR}" selected>{YEAR}</option>' in response.content.decode()


@pytest.mark.parametrize("year", ["1999", str(timezone.localdate().year + 1), "deux-mille", ""])
def test_a_bad_year_is_refused_on_the_field_and_nothing_is_queued(director, year):
    response = signed_in_client(director).post(HOME, {"year": year})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert "Année du rapport" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_a_post_without_csrf_token_is_refused(director):
    response = signed_in_client(director, enforce_csrf_checks=True).post(HOME, {"year": YEAR})
    assert response.status_code == 403 and not ReportJob.objects.exists()


@pytest.mark.parametrize("persona", ["counsellor_a", "coordinator", "commune_agent"])
def test_other_roles_cannot_request_a_report(persona, persona_client):
    response = persona_client(persona).post(HOME, {"year": YEAR})
    assert response.status_code == 403 and not ReportJob.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(db):
    response = Client().get(HOME)
    assert response.status_code == 302 and response["Location"].startswith("/connexion/")


def queue_down(monkeypatch):
    """The broker refuses the message (as kombu does when Redis is unreachable)."""

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(type(build_report_task._get_current_object()), "apply_async", refuse)


def test_when_the_queue_is_down_the_page_says_so_and_the_version_is_recorded_failed(director, monkeypatch):
    queue_down(monkeypatch)
    response = signed_in_client(director).post(HOME, {"year": YEAR})
    assert response.status_code == 503
    html = response.content.decode()
    assert "Le service de génération est momentanément indisponible. Réessayez plus tard." in html
    assert "Générer le rapport" in html  # still the page, with its form
    job = ReportJob.objects.get()
    assert job.status == JobStatus.FAILED and "indisponible" in job.error
    assert "Échec" in html  # the failed version is in the list


# --- The versions ------------------------------------------------------------------------------------


def test_versions_show_state_pages_fingerprint_and_downloads(director, administrator):
    first = make_job(director, fingerprint="a" * 64)
    same = make_job(administrator, fingerprint="a" * 64)
    changed = make_job(director, fingerprint="b" * 64)
    failed = make_job(director, status=JobStatus.FAILED, error="La génération a échoué : disque plein")
    running = make_job(director, status=JobStatus.RUNNING, progress=35)
    html = signed_in_client(director).get(HOME).content.decode()
    assert html.count("≠ version précédente") == 1  # only the third version's figures changed
    assert "b" * 12 in html and "a" * 12 in html
    for job in (first, same, changed):
        assert reverse("rapports:job_pdf", args=[job.pk]) in html
        assert reverse("rapports:job_xlsx", args=[job.pk]) in html
        assert reverse("rapports:job_csv", args=[job.pk]) in html
    assert reverse("rapports:job_pdf", args=[failed.pk]) not in html
    assert reverse("rapports:job_pdf", args=[running.pk]) not in html
    assert "disque plein" in html and "En cours · 35 %" in html and "Terminé" in html
    assert first.requested_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y") in html
    assert str(administrator) in html and ">42<" in html


def test_the_marker_compares_with_the_previous_finished_version_of_the_same_year(director):
    make_job(director, year=YEAR - 1, fingerprint="c" * 64)
    make_job(director, year=YEAR, fingerprint="d" * 64)  # first of its year: nothing to compare
    make_job(director, year=YEAR, status=JobStatus.FAILED)
    make_job(director, year=YEAR, fingerprint="d" * 64)  # same as version 1 (the failed one is skipped)
    html = signed_in_client(director).get(HOME).content.decode()
    assert "≠ version précédente" not in html


def test_empty_state_says_what_to_do(director):
    html = signed_in_client(director).get(HOME).content.decode()
    assert "Aucune version du rapport n'a encore été générée." in html
    assert "« Générer le rapport »" in html


def test_versions_filter_by_year_and_state_and_sort(director):
    make_job(director, year=YEAR)
    make_job(director, year=YEAR - 1, status=JobStatus.FAILED)
    client = signed_in_client(director)
    by_year = client.get(HOME, {"year": YEAR - 1})
    assert [job.year for job in by_year.context["jobs"]] == [YEAR - 1]
    by_state = client.get(HOME, {"status": "done"})
    assert [job.status for job in by_state.context["jobs"]] == [JobStatus.DONE]
    oldest_first = client.get(HOME, {"tri": "annee"})
    assert [job.year for job in oldest_first.context["jobs"]] == [YEAR - 1, YEAR]
    nothing = client.get(HOME, {"status": "running"})
    assert "Aucune version ne correspond à ces filtres." in nothing.content.decode()


def test_versions_are_paginated(director):
    for _number in range(25):
        make_job(director, status=JobStatus.PENDING)
    client = signed_in_client(director)
    assert len(client.get(HOME).context["jobs"]) == 20
    assert len(client.get(HOME, {"page": 2}).context["jobs"]) == 5


@pytest.mark.parametrize("count", [3, 30])
def test_the_versions_page_costs_the_same_queries_with_3_or_30_versions(
    director, administrator, count, django_assert_max_num_queries
):
    for number in range(count):
        make_job(
            director if number % 2 else administrator,
            status=[JobStatus.DONE, JobStatus.FAILED, JobStatus.RUNNING][number % 3],
            fingerprint=f"{number % 4}" * 64,
        )
    client = signed_in_client(director)
    with django_assert_max_num_queries(10):
        response = client.get(HOME)
    assert response.status_code == 200 and len(response.context["jobs"]) == min(count, 20)


# --- One version ------------------------------------------------------------------------------------


def test_a_running_version_polls_its_progress_every_two_seconds(director):
    job = make_job(director, status=JobStatus.RUNNING, progress=35, step="Mise en page")
    client = signed_in_client(director)
    html = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert f'hx-get="{job.get_absolute_url()}"' in html
    assert 'value="35"' in html and "Mise en page" in html

    fragment = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert "<html" not in text and 'id="job-progress"' in text and 'hx-trigger="every 2s"' in text
    assert "HX-Request" in fragment["Vary"]


def test_the_fragment_stops_polling_once_done_and_offers_the_downloads(director):
    job = make_job(director, timings={"figures": 0.4, "pdf": 3.25, "total": 3.7})
    fragment = signed_in_client(director).get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert "hx-trigger" not in text and "hx-get" not in text
    assert reverse("rapports:job_pdf", args=[job.pk]) in text
    steps = text.index("Calcul des chiffres : 0,4 s"), text.index("Production du PDF : 3,3 s")
    assert steps[0] < steps[1] < text.index("Total : 3,7 s")  # in the order of the build


def test_a_version_stuck_for_too_long_stops_polling(director):
    job = make_job(director, status=JobStatus.PENDING)
    ReportJob.objects.filter(pk=job.pk).update(requested_at=timezone.now() - dt.timedelta(minutes=21))
    html = signed_in_client(director).get(job.get_absolute_url()).content.decode()
    assert "hx-trigger" not in html and "dure anormalement longtemps" in html


def test_a_failed_version_shows_its_error_and_stops_polling(director):
    job = make_job(director, status=JobStatus.FAILED, error="La génération a échoué : police absente")
    html = signed_in_client(director).get(job.get_absolute_url()).content.decode()
    assert "La génération a échoué." in html and "police absente" in html
    assert "hx-trigger" not in html and reverse("rapports:job_pdf", args=[job.pk]) not in html


def test_an_unknown_version_is_404(director):
    assert signed_in_client(director).get(reverse("rapports:job_detail", args=[999999])).status_code == 404


def test_other_roles_cannot_see_a_version(director, coordinator, counsellor_a):
    job = make_job(director)
    for user in (coordinator, counsellor_a):
        assert signed_in_client(user).get(job.get_absolute_url()).status_code == 403


# --- Downloads ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type", "start"),
    [("job_pdf", "application/pdf", b"%PDF"), ("job_xlsx", "application/vnd.openxmlformats", b"PK")],
)
def test_files_are_attachments_never_cached(director, name, content_type, start):
    job = make_job(director)
    response = signed_in_client(director).get(reverse(f"rapports:{name}", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"rapport-activites-{YEAR}-v1." in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(start)


def test_the_csv_is_made_from_the_figures_stored_with_the_version(administrator):
    job = make_job(administrator)
    response = signed_in_client(administrator).get(reverse("rapports:job_csv", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="rapport-activites-{YEAR}-v1.csv"'
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Groupes d'origine"] and rows[2] == ["Hors UE", "12"]
    assert rows[3] == ["'=1+1", "3"]  # a formula-like cell is neutralised


@pytest.mark.parametrize("name", ["job_pdf", "job_xlsx", "job_csv"])
@pytest.mark.parametrize("status", [JobStatus.PENDING, JobStatus.RUNNING, JobStatus.FAILED])
def test_nothing_to_download_until_the_version_is_done(director, name, status):
    job = make_job(director, status=status)
    assert signed_in_client(director).get(reverse(f"rapports:{name}", args=[job.pk])).status_code == 404


def test_a_stored_file_gone_from_the_disk_is_404_not_500(director):
    job = make_job(director)
    job.pdf.delete(save=False)  # the name stays on the row, the file is gone
    ReportJob.objects.filter(pk=job.pk).update(pdf="rapports/absent.pdf")
    assert signed_in_client(director).get(reverse("rapports:job_pdf", args=[job.pk])).status_code == 404


def test_counsellors_cannot_download(director, counsellor_a):
    job = make_job(director)
    for name in ("job_pdf", "job_xlsx", "job_csv"):
        assert (
            signed_in_client(counsellor_a).get(reverse(f"rapports:{name}", args=[job.pk])).status_code == 403
        )


# --- Narrative ---------------------------------------------------------------------------------------


def index_url(year=YEAR):
    return reverse("rapports:narrative_index", args=[year])


def edit_url(section, year=YEAR):
    return reverse("rapports:narrative_edit", args=[year, section])


def test_the_navigation_entry_opens_last_years_texts(coordinator):
    response = signed_in_client(coordinator).get(reverse("rapports:narrative_home"))
    assert response.status_code == 302 and response["Location"] == index_url()


def test_the_index_lists_every_section_by_chapter_with_preview_editor_and_date(coordinator, director):
    NarrativeBlock.objects.create(
        year=YEAR,
        section="introduction",
        text="<p>Une année <strong>charnière</strong> &amp; riche.</p>",
        updated_by=director,
    )
    NarrativeBlock.objects.create(year=YEAR - 1, section="interpellation", text="<p>L'an passé</p>")
    response = signed_in_client(coordinator).get(index_url())
    assert response.status_code == 200
    html = response.content.decode()
    chapters = response.context["chapters"]
    assert [c["key"] for c in chapters][:2] == ["introduction", "accompagnement"]
    keys = [row["section"].key for chapter in chapters for row in chapter["sections"]]
    assert "gestion.gouvernance" in keys and "office:namur" in keys and "office:dinant" in keys
    accompagnement = [row["section"].key for row in chapters[1]["sections"]]
    assert accompagnement.index("office:namur") < accompagnement.index("accompagnement.perspectives")
    assert "Une année charnière &amp; riche." in html  # plain text preview (the & shown once)
    assert "L'an passé" not in html and "L&#x27;an passé" not in html
    assert str(director) in html
    assert timezone.localdate().strftime("%d/%m/%Y") in html
    assert "1 section rédigée sur" in html
    assert "Bureau de Namur" in html and "Coordinations locales" in html


def test_the_index_costs_the_same_queries_whatever_the_number_of_blocks(
    coordinator, director, django_assert_max_num_queries
):
    client = signed_in_client(coordinator)
    with django_assert_max_num_queries(10) as few:
        client.get(index_url())
    for key in ("introduction", "accompagnement.equipe", "interpellation", "office:namur", "gestion.gestion"):
        NarrativeBlock.objects.create(year=YEAR, section=key, text="<p>Texte</p>", updated_by=director)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(index_url())


@pytest.mark.parametrize("year", [1999, timezone.localdate().year + 1])
def test_a_year_out_of_range_is_404(counsellor_a, year):
    client = signed_in_client(counsellor_a)
    assert client.get(index_url(year)).status_code == 404
    assert client.get(edit_url("introduction", year)).status_code == 404
    assert client.post(edit_url("introduction", year), {"text": "x"}).status_code == 404
    assert not NarrativeBlock.objects.exists()


def test_an_unknown_section_is_404(counsellor_a):
    client = signed_in_client(counsellor_a)
    assert client.get(edit_url("chapitre-inconnu")).status_code == 404
    assert client.post(edit_url("office:nulle-part"), {"text": "x"}).status_code == 404
    assert not NarrativeBlock.objects.exists()


def test_a_counsellor_writes_paragraphs_which_are_saved_as_html(counsellor_a):
    client = signed_in_client(counsellor_a, enforce_csrf_checks=True)
    text = "Première ligne\nsuite de la ligne.\n\nDeuxième paragraphe avec <strong>gras</strong>."
    response = csrf_post(client, edit_url("office:namur"), {"text": text})
    assert response.status_code == 302
    assert response["Location"] == index_url() + "#section-office-namur"
    block = NarrativeBlock.objects.get(year=YEAR, section="office:namur")
    assert block.text == (
        "<p>Première ligne<br>\nsuite de la ligne.</p>\n\n<p>Deuxième paragraphe avec <strong>gras</strong>.</p>"
    )
    assert block.updated_by == counsellor_a
    # Opened again, the text area shows the paragraphs as they were typed.
    page = client.get(edit_url("office:namur"))
    assert page.context["form"]["text"].value() == text
    assert "Dernière modification par Alice Martin" in page.content.decode()


def test_scripts_and_styles_are_removed_on_save(coordinator):
    text = (
        '<script>alert("x")</script>Bonjour <em>à tous</em> <a href="javascript:alert(1)" onclick="x()">lien</a>'
        '\n\n<img src=x onerror="alert(2)"><p style="color:red">Fin</p>'
    )
    response = signed_in_client(coordinator).post(edit_url("introduction"), {"text": text})
    assert response.status_code == 302
    stored = NarrativeBlock.objects.get(section="introduction").text
    for forbidden in ("<script", "alert(", "onclick", "onerror", "<img", "style=", "javascript:"):
        assert forbidden not in stored
    assert "<em>à tous</em>" in stored and "Fin" in stored


def test_an_oversized_text_is_refused_with_a_french_message(counsellor_a):
    response = signed_in_client(counsellor_a).post(edit_url("introduction"), {"text": "a" * 50001})
    assert response.status_code == 200
    assert "au plus 50000 caractères" in " ".join(response.context["form"].errors["text"]).replace(
        "\u202f", ""
    )
    assert "Texte :" in response.content.decode()
    assert not NarrativeBlock.objects.exists()


def test_an_empty_text_leaves_the_section_out(director):
    NarrativeBlock.objects.create(year=YEAR, section="introduction", text="<p>Ancien</p>")
    response = signed_in_client(director).post(edit_url("introduction"), {"text": "   "})
    assert response.status_code == 302
    assert NarrativeBlock.objects.get(section="introduction").text == ""


def test_commune_agents_cannot_write_the_narrative(commune_agent):
    client = signed_in_client(commune_agent)
    assert client.get(index_url()).status_code == 403
    assert client.post(edit_url("introduction"), {"text": "x"}).status_code == 403
    assert not NarrativeBlock.objects.exists()


def test_a_disabled_account_is_signed_out(db):
    from tests.factories import office

    user = UserFactory(username="parti", offices=[office("namur")])
    client = signed_in_client(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.post(edit_url("introduction"), {"text": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/connexion/")
    assert not NarrativeBlock.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        "Un paragraphe.",
        "Ligne 1\nLigne 2\n\nParagraphe 2",
        "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n\nAprès la liste & la suite",
        "<h3>Titre</h3>\n\nTexte",
    ],
)
def test_paragraphs_survive_a_save_and_edit_round_trip(text):
    import nh3

    from rapports.services import ALLOWED_TAGS

    stored = nh3.clean(paragraphs_to_html(text), tags=ALLOWED_TAGS, attributes={"a": {"href"}})
    assert html_to_paragraphs(stored) == text
    assert nh3.clean(paragraphs_to_html(html_to_paragraphs(stored)), tags=ALLOWED_TAGS) == stored
