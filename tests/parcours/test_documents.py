"""The path documents: generated through the service, stored, read back with pdftotext; the list,
generation and download pages with their permissions, audit and query budget."""

import datetime as dt
import hashlib
import re
import subprocess
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from cai.choices import Role
from parcours import services
from parcours.choices import ComponentKind, ComponentState, DocumentKind
from parcours.documents import reference_number
from parcours.models import PathDocument
from tests.factories import PersonFactory, UserFactory, aware

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
NN_DIGITS = "85073003328"
MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def newcomer(office_a):
    """An obliged Syrian newcomer of office A (Namur), with an address and a national number."""
    office_a.address = "Rue Docteur Haibe 2, 5002 Namur"
    office_a.phone = "081 73 71 76"
    office_a.save()
    return PersonFactory(
        office=office_a,
        first_name="Amina",
        last_name="Haddad",
        national_number=NN_DIGITS,
        nationality="SY",
        birth_date=dt.date(1985, 7, 30),
        residence_card="B",
        residence_ordered_on=TODAY - dt.timedelta(days=60),
        arrival_date=TODAY - dt.timedelta(days=120),
        registration_date=TODAY - dt.timedelta(days=100),
        street="Rue de Fer",
        house_number="12",
        postal_code="5000",
        locality="Namur",
    )


@pytest.fixture
def path(counsellor_a, newcomer):
    return services.path_open(actor=counsellor_a, person=newcomer)


@pytest.fixture
def interview(counsellor_a, path, office_a):
    services.convention_sign(actor=counsellor_a, path=path, signed_on=TODAY)
    return services.evaluation_schedule(
        actor=counsellor_a,
        path=path,
        scheduled_at=aware(2027, 3, 1, 9, 30),
        office=office_a,
        convocation_channel="recommande",
    )


def complete(path, counsellor):
    """Every component done (French not required after a B1 test), the attestation delivered."""
    for kind in (
        ComponentKind.SOCIAL_ASSESSMENT,
        ComponentKind.RIGHTS_DUTIES,
        ComponentKind.PROCEDURES_HELP,
        ComponentKind.ISP,
    ):
        services.component_set_state(actor=counsellor, path=path, kind=kind, state=ComponentState.DONE)
    services.language_test_record(actor=counsellor, person=path.person, taken_on=TODAY, overall="B1")
    services.convention_sign(actor=counsellor, path=path, signed_on=TODAY)
    services.hours_record_add(
        actor=counsellor,
        path=path,
        component=ComponentKind.CITIZENSHIP,
        hours=Decimal("60"),
        period_start=TODAY - dt.timedelta(days=60),
        period_end=TODAY,
        operator_name="ILI Namur",
        citizenship_format="FIC",
    )
    return services.attestation_deliver(actor=counsellor, path=path, delivered_on=TODAY)


def french(day: dt.date) -> str:
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def text_of(document: PathDocument) -> str:
    """The PDF's text on one line (words joined across line breaks)."""
    result = subprocess.run(["pdftotext", document.file.path, "-"], capture_output=True, check=True)  # noqa: S603, S607
    return " ".join(result.stdout.decode().split())


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


# --- The service and the PDFs ------------------------------------------------------------------


def test_convocation_names_the_person_the_interview_in_french_and_the_office(
    counsellor_a, newcomer, interview
):
    document = services.document_generate(
        actor=counsellor_a, person=newcomer, kind=DocumentKind.CONVOCATION, evaluation=interview
    )
    text = text_of(document)
    assert "Convocation à un entretien d'évaluation" in text
    assert "Amina HADDAD" in text
    assert "Rue de Fer 12" in text
    assert "le 1er mars 2027 à 9 h 30" in text
    assert "au bureau d'accueil de Namur, Rue Docteur Haibe 2, 5002 Namur" in text
    assert "courrier recommandé" in text
    assert "CWASS" in text and "articles 152 et suivants" in text
    assert "Alice Martin" in text
    assert document.evaluation == interview


def test_follow_up_sheet_lists_the_steps_left_and_the_deadline_without_national_number(
    counsellor_a, newcomer, path
):
    path = services.convention_sign(actor=counsellor_a, path=path, signed_on=TODAY)
    document = services.document_generate(actor=counsellor_a, person=newcomer, kind=DocumentKind.FOLLOW_UP)
    text = text_of(document)
    assert "Amina HADDAD" in text
    assert f"Situation au {french(TODAY)}" in text
    reste = text.split("Reste à faire", 1)[1].split("Échéances", 1)[0]
    for label in ("Bilan social", "Information droits et devoirs", "Formation à la citoyenneté (60 h)"):
        assert label in reste
    assert "Convention signée" not in reste
    assert "0 h sur 400 h" in text
    assert f"avant le {french(path.attestation_due)}" in text
    assert "Bureau d'accueil de Namur" in text and "081 73 71 76" in text
    assert NN_DIGITS not in text.replace(".", "").replace("-", "").replace(" ", "")
    assert "85.07.30" not in text
    info = subprocess.run(["pdfinfo", document.file.path], capture_output=True, text=True, check=True)  # noqa: S603, S607
    assert re.search(r"^Pages:\s+1$", info.stdout, re.MULTILINE), "the follow-up sheet fits on one page"


def test_attestation_is_refused_on_an_incomplete_path_and_nothing_is_stored(
    counsellor_a, newcomer, path, media_root
):
    with pytest.raises(ValidationError) as error:
        services.document_generate(actor=counsellor_a, person=newcomer, kind=DocumentKind.ATTESTATION)
    message = error.value.message_dict["attestation"][0]
    assert "n'est pas complet" in message
    assert "Bilan social" in message
    assert not PathDocument.objects.exists()
    assert stored_files(media_root) == []


def test_attestation_of_a_complete_path_lists_the_components_and_its_reference(counsellor_a, newcomer, path):
    complete(path, counsellor_a)
    document = services.document_generate(actor=counsellor_a, person=newcomer, kind=DocumentKind.ATTESTATION)
    text = text_of(document)
    assert "Attestation de fréquentation du parcours d'intégration" in text
    assert "Amina HADDAD" in text
    assert "né·e le 30 juillet 1985" in text
    assert "Nationalité : Syrie" in text
    assert "Formation à la citoyenneté (60 h)" in text and "60 h" in text and "ILI Namur" in text
    assert f"du {french(TODAY - dt.timedelta(days=60))} au {french(TODAY)}" in text
    assert "Formation en français (400 h) — Test de positionnement" in text  # not required, with its reason
    assert f"Attestation délivrée le {french(TODAY)}" in text
    reference = reference_number(document)
    assert re.fullmatch(rf"CAI-{TODAY.year}-\d{{6}}", reference)
    assert reference in text
    assert NN_DIGITS not in text


def test_a_document_is_stored_with_its_sha256_and_author(counsellor_a, newcomer, path, media_root):
    document = services.document_generate(actor=counsellor_a, person=newcomer, kind=DocumentKind.FOLLOW_UP)
    content = document.file.read()
    assert content.startswith(b"%PDF")
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.created_by == counsellor_a
    assert document.file.name == f"parcours/{newcomer.pk}/outil_suivi-{document.pk}.pdf"
    assert stored_files(media_root) == [media_root / document.file.name]


def test_convocation_needs_an_evaluation_interview(counsellor_a, newcomer, path):
    with pytest.raises(ValidationError) as error:
        services.document_generate(actor=counsellor_a, person=newcomer, kind=DocumentKind.CONVOCATION)
    assert "entretien d'évaluation" in error.value.message_dict["evaluation"][0]
    assert not PathDocument.objects.exists()


def test_convocation_refuses_an_interview_of_another_path(counsellor_a, office_a, interview):
    other = PersonFactory(office=office_a)
    services.path_open(actor=counsellor_a, person=other)
    with pytest.raises(ValidationError) as error:
        services.document_generate(
            actor=counsellor_a, person=other, kind=DocumentKind.CONVOCATION, evaluation=interview
        )
    assert "evaluation" in error.value.message_dict
    assert not PathDocument.objects.exists()


def test_person_without_path_gets_no_document(counsellor_a, newcomer):
    with pytest.raises(ValidationError) as error:
        services.document_generate(actor=counsellor_a, person=newcomer, kind=DocumentKind.FOLLOW_UP)
    assert "parcours" in error.value.message_dict["person"][0]


def test_director_cannot_generate_and_other_office_is_refused(director, counsellor_b, newcomer, path):
    with pytest.raises(PermissionDenied):
        services.document_generate(actor=director, person=newcomer, kind=DocumentKind.FOLLOW_UP)
    with pytest.raises(ValidationError):
        services.document_generate(actor=counsellor_b, person=newcomer, kind=DocumentKind.FOLLOW_UP)
    assert not PathDocument.objects.exists()


# --- Generation page (POST) --------------------------------------------------------------------


def create_url(person, kind):
    return reverse("parcours:document_create", args=[person.pk, kind])


def list_url(person):
    return reverse("parcours:document_list", args=[person.pk])


def test_counsellor_generates_the_follow_up_sheet_with_csrf_and_lands_on_the_list(
    login, counsellor_a, newcomer, path
):
    client = login(counsellor_a, enforce_csrf_checks=True)
    page = client.get(list_url(newcomer)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(create_url(newcomer, "outil_suivi")).status_code == 403  # no token
    response = client.post(create_url(newcomer, "outil_suivi"), {"csrfmiddlewaretoken": token}, follow=True)
    assert response.redirect_chain[-1][0] == list_url(newcomer)
    content = response.content.decode()
    assert "Le document « Outil de suivi du parcours » a été généré." in content
    document = PathDocument.objects.get()
    assert document.kind == DocumentKind.FOLLOW_UP
    assert document.sha256[:12] in content
    assert reverse("parcours:document_download", args=[document.pk]) in content


def test_convocation_is_for_the_next_interview_or_the_one_chosen(
    login, counsellor_a, newcomer, path, interview
):
    later = services.evaluation_schedule(
        actor=counsellor_a, path=path, scheduled_at=aware(2027, 9, 6, 14, 0), office=interview.office
    )
    client = login(counsellor_a)
    client.post(create_url(newcomer, "convocation"))
    client.post(create_url(newcomer, "convocation"), {"evaluation": later.pk})
    assert list(PathDocument.objects.order_by("id").values_list("evaluation", flat=True)) == [
        interview.pk,
        later.pk,
    ]


def test_convocation_for_an_unknown_interview_is_refused_with_a_message(
    login, counsellor_a, newcomer, interview
):
    response = login(counsellor_a).post(
        create_url(newcomer, "convocation"), {"evaluation": "999999"}, follow=True
    )
    assert "choisissez un entretien prévu de la liste" in response.content.decode()
    assert not PathDocument.objects.exists()


def test_unknown_document_kind_answers_404(login, counsellor_a, newcomer, path):
    assert login(counsellor_a).post(create_url(newcomer, "passeport")).status_code == 404
    assert not PathDocument.objects.exists()


def test_attestation_on_an_incomplete_path_shows_the_message_and_stores_nothing(
    login, counsellor_a, newcomer, path, media_root
):
    response = login(counsellor_a).post(create_url(newcomer, "attestation"), follow=True)
    assert response.status_code == 200
    content = response.content.decode()
    assert "L&#x27;attestation ne peut pas être produite" in content
    assert "Bilan social" in content
    assert not PathDocument.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("persona", "status"), [("director", 403), ("coordinator", 403), ("counsellor_b", 404)]
)
def test_only_editors_of_the_office_generate_documents(persona_client, persona, status, newcomer, path):
    assert persona_client(persona).post(create_url(newcomer, "outil_suivi")).status_code == status
    assert not PathDocument.objects.exists()


def test_administrator_generates_documents(login, administrator, newcomer, path):
    assert login(administrator).post(create_url(newcomer, "outil_suivi")).status_code == 302
    assert PathDocument.objects.get().created_by == administrator


# --- Download ----------------------------------------------------------------------------------


def stored_document(person, author, kind=DocumentKind.FOLLOW_UP, content=b"%PDF-1.7 essai"):
    return PathDocument.objects.create(
        person=person,
        kind=kind,
        file=ContentFile(content, name="essai.pdf"),
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=author,
    )


def access_rows(person):
    return LogEntry.objects.filter(
        content_type__model="person", object_id=person.pk, action=LogEntry.Action.ACCESS
    )


def test_download_returns_the_stored_pdf_uncached_and_writes_one_access_row(login, counsellor_a, newcomer):
    document = stored_document(newcomer, counsellor_a)
    response = login(counsellor_a).get(reverse("parcours:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 essai"
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="outil_suivi-haddad-amina-{document.pk}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert access_rows(newcomer).count() == 1
    assert access_rows(newcomer).get().actor == counsellor_a


def test_download_answers_404_to_the_other_office_and_writes_no_access_row(
    login, counsellor_a, counsellor_b, newcomer
):
    document = stored_document(newcomer, counsellor_a)
    assert (
        login(counsellor_b).get(reverse("parcours:document_download", args=[document.pk])).status_code == 404
    )
    assert login(counsellor_b).get(reverse("parcours:document_download", args=[999999])).status_code == 404
    assert access_rows(newcomer).count() == 0


def test_director_downloads_but_sees_no_generation_buttons(login, director, counsellor_a, newcomer, path):
    document = stored_document(newcomer, counsellor_a)
    client = login(director)
    assert client.get(reverse("parcours:document_download", args=[document.pk])).status_code == 200
    content = client.get(list_url(newcomer)).content.decode()
    assert "Télécharger" in content
    assert "Régénérer" not in content
    assert "Générer un document" not in content


def test_download_of_a_generated_document_matches_its_sha256(login, counsellor_a, newcomer, path):
    document = services.document_generate(actor=counsellor_a, person=newcomer, kind=DocumentKind.FOLLOW_UP)
    response = login(counsellor_a).get(reverse("parcours:document_download", args=[document.pk]))
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == document.sha256


# --- List ---------------------------------------------------------------------------------------


def test_list_shows_kind_date_author_fingerprint_and_regenerate(login, counsellor_a, newcomer, path):
    document = stored_document(newcomer, counsellor_a)
    content = login(counsellor_a).get(list_url(newcomer)).content.decode()
    assert "Outil de suivi du parcours" in content
    assert timezone.localtime(document.created_at).strftime("%d/%m/%Y") in content
    assert "Alice Martin" in content
    assert document.sha256[:12] in content
    assert "Régénérer" in content
    assert f'action="{create_url(newcomer, "outil_suivi")}"' in content


def test_list_filters_by_kind_and_returns_a_fragment_to_htmx(login, counsellor_a, newcomer, path):
    stored_document(newcomer, counsellor_a, kind=DocumentKind.FOLLOW_UP)
    stored_document(newcomer, counsellor_a, kind=DocumentKind.CONVOCATION)
    response = login(counsellor_a).get(
        list_url(newcomer), {"type": "convocation"}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert "<html" not in content
    assert "Convocation à un entretien d&#x27;évaluation" in content
    assert "Outil de suivi du parcours" not in content


def test_empty_list_says_what_to_do_next(login, counsellor_a, newcomer, path):
    content = login(counsellor_a).get(list_url(newcomer)).content.decode()
    assert "Aucun document n'a encore été généré pour cette personne." in content
    assert "Aucun entretien d'évaluation n'est prévu" in content


def test_list_of_another_office_answers_404(login, counsellor_b, newcomer):
    assert login(counsellor_b).get(list_url(newcomer)).status_code == 404


@pytest.mark.parametrize("count", [2, 45])
def test_list_issues_a_fixed_number_of_queries(
    login, counsellor_a, office_a, newcomer, path, interview, count, django_assert_max_num_queries
):
    """Authors and interviews come with the documents: the same budget for 2 rows and for a full page."""
    for index in range(count):
        author = counsellor_a if index % 3 else UserFactory(role=Role.COUNSELLOR, offices=[office_a])
        kind = DocumentKind.CONVOCATION if index % 2 else DocumentKind.FOLLOW_UP
        document = stored_document(newcomer, author, kind=kind)
        if kind == DocumentKind.CONVOCATION:
            PathDocument.objects.filter(pk=document.pk).update(evaluation=interview)
    client = login(counsellor_a)
    with django_assert_max_num_queries(12):
        response = client.get(list_url(newcomer))
    assert response.status_code == 200
    assert response.content.decode().count("Régénérer") == min(count, 20)
