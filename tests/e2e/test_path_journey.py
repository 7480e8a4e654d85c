"""Journey (issue 3, item 8): a counsellor records a person's SIDD attendance and a language test at
A1, sees French training required and the deadline on the file, records the last hours of
citizenship training (then the French hours the operator attested), and issues the attestation PDF.

Set-up: an obliged newcomer of the counsellor's office with an open path, the convention signed and
every component done except rights and duties (SIDD), the French test, French training and the last
4 of 60 hours of citizenship. French training needs either a test at the exempting level (A2) or the
regime's hours (400): after an A1 test, the counsellor records the 400 h attested by the operator."""

import datetime as dt
import pathlib
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cai.choices import Role
from parcours import services
from parcours.choices import ComponentKind, ComponentState, DocumentKind, SessionKind
from parcours.models import LanguageTest, PathDocument, SessionAttendance
from tests.e2e.helpers import sign_in
from tests.factories import PersonFactory, UserFactory, office
from tests.pdfutils import pdf_text

PASSWORD = "motdepasse-de-test-solide"  # tests.factories.UserFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def component_row(page, kind: ComponentKind):
    return page.locator(
        "#path-components-title + ol > li", has=page.locator("strong", has_text=str(kind.label))
    )


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_counsellor_records_sidd_test_and_hours_then_issues_the_attestation(live_server, page):
    today = timezone.localdate()
    namur = office("namur")
    counsellor = UserFactory(
        username="alice", first_name="Alice", last_name="Martin", role=Role.COUNSELLOR, offices=[namur]
    )
    person = PersonFactory(
        office=namur,
        first_name="Amina",
        last_name="Haddad",
        nationality="SY",
        birth_date=dt.date(1990, 3, 4),
        residence_card="B",
        residence_ordered_on=today - dt.timedelta(days=480),
        arrival_date=today - dt.timedelta(days=540),
        registration_date=today - dt.timedelta(days=500),
    )
    path = services.path_open(actor=counsellor, person=person)
    for kind in (ComponentKind.SOCIAL_ASSESSMENT, ComponentKind.PROCEDURES_HELP, ComponentKind.ISP):
        services.component_set_state(actor=counsellor, path=path, kind=kind, state=ComponentState.DONE)
    services.convention_sign(actor=counsellor, path=path, signed_on=today - dt.timedelta(days=400))
    services.hours_record_add(
        actor=counsellor,
        path=path,
        component=ComponentKind.CITIZENSHIP,
        hours=Decimal("56"),
        period_start=today - dt.timedelta(days=120),
        period_end=today - dt.timedelta(days=30),
        operator_name="ILI Namur",
        citizenship_format="FIC",
    )
    sidd = services.session_create(
        actor=counsellor,
        kind=SessionKind.SIDD,
        starts_at=timezone.now().replace(second=0, microsecond=0) - dt.timedelta(days=1),
        office=namur,
        place="Rue de Fer 42, Namur",
    )
    path.refresh_from_db()
    assert path.attestation_due is not None

    sign_in(page, live_server.url, counsellor, PASSWORD)

    # The SIDD session: register the person, then mark her present.
    page.get_by_role("link", name="Séances collectives").first.click()
    page.wait_for_url(f"**{reverse('parcours:session_list')}")
    page.locator(f"a[href='{sidd.get_absolute_url()}']").first.click()
    page.wait_for_url(f"**{sidd.get_absolute_url()}")
    page.fill("form[role=search] input[name=q]", "haddad amina")
    page.locator("form[role=search] button[type=submit]").click()
    page.locator("#register-results li", has_text="HADDAD Amina").get_by_role(
        "button", name="Inscrire"
    ).click()
    page.get_by_text("est inscrit·e à la séance").wait_for()
    row = page.locator("tbody tr", has_text="HADDAD Amina")
    row.get_by_role("button", name="Marquer présent·e").click()
    row.get_by_text("« Information droits et devoirs » faite").wait_for()  # swapped in place by HTMX
    assert SessionAttendance.objects.get(session=sidd, person=person).attended

    # The person's path, from her file.
    row.get_by_role("link", name="HADDAD Amina").click()
    page.wait_for_url(f"**{person.get_absolute_url()}")
    page.get_by_role("link", name="Voir le parcours").click()
    page.wait_for_url(f"**{reverse('parcours:path_detail', args=[person.pk])}")
    rights = component_row(page, ComponentKind.RIGHTS_DUTIES)
    assert rights.locator(".badge", has_text="Fait").is_visible()

    # A positioning test at A1, skill by skill: French training is required, the deadline is shown.
    component_row(page, ComponentKind.FRENCH_TEST).get_by_role("link", name="Encoder un test").click()
    panel = page.locator("#path-action")
    panel.locator("#id_taken_on").wait_for()
    test_day = today - dt.timedelta(days=420)
    panel.locator("#id_taken_on").fill(test_day.strftime("%d/%m/%Y"))
    for skill in ("listening", "reading", "speaking", "writing", "overall"):
        panel.locator(f"#id_{skill}").select_option("A1")
    panel.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Le test a été enregistré.").wait_for()
    french = component_row(page, ComponentKind.FRENCH)
    assert french.locator(".badge", has_text="À faire").is_visible()
    assert french.get_by_text("0 h / 400 h").is_visible()
    assert french.get_by_role("link", name="Ajouter des heures").is_visible()
    due = f"{path.attestation_due:%d/%m/%Y}"
    deadlines = page.locator("section[aria-labelledby=path-deadlines-title]")
    assert deadlines.locator("dd", has_text=due).is_visible()
    assert deadlines.get_by_text("Attestation à obtenir avant le").is_visible()
    assert page.get_by_text(
        "Reste à faire : Formation en français (400 h), Formation à la citoyenneté"
    ).is_visible()

    # The last 4 hours of citizenship training: the component is done.
    component_row(page, ComponentKind.CITIZENSHIP).get_by_role("link", name="Ajouter des heures").click()
    panel.locator("#id_hours").wait_for()
    assert panel.locator("#id_component").input_value() == ComponentKind.CITIZENSHIP
    panel.locator("#id_hours").fill("4")
    panel.locator("#id_period_start").fill((today - dt.timedelta(days=14)).strftime("%d/%m/%Y"))
    panel.locator("#id_period_end").fill((today - dt.timedelta(days=7)).strftime("%d/%m/%Y"))
    panel.locator("#id_operator_name").fill("ILI Namur")
    panel.locator("#id_citizenship_format").select_option("FIC")
    panel.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Les heures ont été enregistrées.").wait_for()
    citizenship = component_row(page, ComponentKind.CITIZENSHIP)
    assert citizenship.locator(".badge", has_text="Fait").is_visible()
    assert citizenship.get_by_text("60 h / 60 h").is_visible()
    assert page.get_by_text("Reste à faire : Formation en français (400 h).").is_visible()

    # The 400 hours of French training the operator attested since the test.
    component_row(page, ComponentKind.FRENCH).get_by_role("link", name="Ajouter des heures").click()
    panel.locator("#id_hours").wait_for()
    panel.locator("#id_hours").fill("400")
    panel.locator("#id_period_start").fill((test_day + dt.timedelta(days=10)).strftime("%d/%m/%Y"))
    panel.locator("#id_period_end").fill((today - dt.timedelta(days=10)).strftime("%d/%m/%Y"))
    panel.locator("#id_operator_name").fill("Lire et Écrire Namur")
    panel.locator("#id_cefr_level_reached").select_option("A2")
    panel.get_by_role("button", name="Enregistrer").click()
    expect(component_row(page, ComponentKind.FRENCH).locator(".badge", has_text="Fait")).to_be_visible()

    # The path is complete: deliver the attestation.
    page.get_by_text("l'attestation peut être délivrée").wait_for()
    page.get_by_role("link", name="Délivrer l'attestation").click()
    panel.locator("#id_delivered_on").wait_for()
    assert panel.locator("#id_delivered_on").input_value() == today.strftime("%d/%m/%Y")
    panel.get_by_role("button", name="Enregistrer").click()
    page.get_by_text(f"Attestation de fréquentation délivrée le {today:%d/%m/%Y}.").wait_for()

    # Produce the PDF and download it.
    page.get_by_role("link", name=re.compile("^Documents")).click()
    page.wait_for_url(f"**{reverse('parcours:document_list', args=[person.pk])}")
    page.get_by_role("button", name="Générer l'attestation").click()
    page.get_by_text("« Attestation de fréquentation » a été généré").wait_for()
    with page.expect_download() as download_info:
        page.locator("#document-table tr", has_text="Attestation de fréquentation").get_by_role(
            "link", name="Télécharger"
        ).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    text = " ".join(pdf_text(pathlib.Path(download.path()).read_bytes(), layout=False).split())
    assert "Amina" in text and "HADDAD" in text.upper()
    assert "attestation" in text.lower()

    # And in the database.
    path.refresh_from_db()
    assert path.attestation_delivered_on == today
    assert LanguageTest.objects.get(person=person).overall == "A1"
    states = dict(path.components.values_list("kind", "state"))
    assert states[ComponentKind.RIGHTS_DUTIES] == states[ComponentKind.CITIZENSHIP] == ComponentState.DONE
    assert states[ComponentKind.FRENCH] == ComponentState.DONE
    document = PathDocument.objects.get(person=person, kind=DocumentKind.ATTESTATION)
    assert document.file.read() == pathlib.Path(download.path()).read_bytes()
