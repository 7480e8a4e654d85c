"""The subject-access package: content (JSON, PDF, ZIP members), who may produce it, its audit row,
and a fixed number of queries."""

import datetime as dt
import io
import json
import time
import zipfile

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accompagnement.models import Appointment, Person
from cai.privacy.selectors import subject_access_data
from cai.privacy.subject_access import REGISTRY
from tests.conftest import signed_in_client
from tests.factories import AppointmentFactory, PersonFactory, office
from tests.pdfutils import pdf_text

pytestmark = pytest.mark.django_db


def download(user, person_pk):
    return signed_in_client(user).get(reverse("privacy:subject_access_package", args=[person_pk]))


def unzip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(response.content))


def section(data: dict, key: str) -> dict:
    return next(s for s in data["sections"] if s["key"] == key)


def test_package_is_a_zip_with_json_pdf_and_the_stored_documents(director, full_file):
    person, document = full_file["person"], full_file["document"]
    response = download(director, person.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    expected_name = f"acces-personne-{person.pk}-{timezone.localdate().isoformat()}.zip"
    assert f'filename="{expected_name}"' in response["Content-Disposition"]
    archive = unzip(response)
    names = set(archive.namelist())
    document_member = f"documents/{document.pk}-{document.file.name.rsplit('/', 1)[-1]}"
    assert names == {"donnees.json", "dossier.pdf", document_member}
    assert archive.read(document_member) == b"%PDF-1.7 document du parcours"


def test_json_has_a_record_in_every_registered_data_class_with_readable_values(director, full_file):
    person = full_file["person"]
    data = json.loads(unzip(download(director, person.pk)).read("donnees.json"))
    assert data["schema"] == "cai.subject-access"
    assert data["schema_version"] == 1
    assert data["person"] == {"id": person.pk, "name": str(person)}
    assert [s["key"] for s in data["sections"]] == [entry.key for entry in REGISTRY]
    empty = [s["key"] for s in data["sections"] if not s["records"]]
    assert not empty, f"the fixture should fill every data class: {empty}"

    identity = section(data, "person")["records"][0]
    assert identity["last_name"] == "Haddad"
    assert identity["sex"] == "Femme"  # choices by their French label
    assert identity["nationality"] == "Syrie"
    assert identity["file_opened_on"] == timezone.localdate().isoformat()  # ISO dates
    assert identity["languages"]  # many-to-many inline
    assert "search_text" not in identity  # internals left out
    labels = {f["name"]: f["label"] for f in section(data, "person")["fields"]}
    assert labels["phone"] == "téléphone"

    appointment = section(data, "appointments")["records"][0]
    assert appointment["notes"] == "Demande d'aide pour le logement"
    assert appointment["request_types"]
    assert "person" not in appointment  # the link to the person is the package itself
    hours = section(data, "hours_records")["records"][0]
    assert hours["hours"] == "12.50"
    assert hours["component"] == "Formation en français (400 h)"
    assert section(data, "language_tests")["records"][0]["overall"] == "A1"
    assert section(data, "duos")["records"][0]["mentor_name"] == "Marie Mentor"
    assert section(data, "duo_meetings")["records"][0]["notes"] == "Première rencontre"
    assert section(data, "merges")["records"][0]["merged_snapshot"]["last_name"] == "DOUBLON"
    assert section(data, "commune_list_rows")["records"][0]["match"] == "Rattachée à un dossier existant"
    assert section(data, "session_attendances")["records"][0]["attended"] is True
    assert len(section(data, "path_components")["records"]) >= 5
    assert data["documents"][0]["kind"] == "Outil de suivi du parcours"


def test_access_log_lists_reads_and_changes_of_the_file_and_linked_records(director, full_file, counsellor_a):
    person = full_file["person"]
    signed_in_client(counsellor_a).get(person.get_absolute_url())  # a read of the file
    data = json.loads(unzip(download(director, person.pk)).read("donnees.json"))
    log = data["access_log"]
    reads = [row for row in log if row["action"] == "Consultation" and row["object_type"] == "personne"]
    assert any(row["actor"] == str(counsellor_a) and row["actor_role"] for row in reads)
    object_types = {row["object_type"] for row in log}
    assert {"rendez-vous", "parcours d'intégration", "duo", "test de français"} <= object_types
    assert all(row["timestamp"] for row in log)


def test_access_log_keeps_entries_of_deleted_appointments(director, counsellor_a):
    from accompagnement import services as people_services

    person = PersonFactory(office=office("namur"))
    appointment = AppointmentFactory(person=person, counsellor=counsellor_a)
    pk = appointment.pk
    people_services.appointment_delete(actor=counsellor_a, appointment=appointment)
    data = subject_access_data(person)
    deleted = [row for row in data["access_log"] if row["action"] == "Suppression"]
    assert deleted and deleted[0]["object_type"] == "rendez-vous", pk


def test_pdf_explains_the_rights_and_has_a_section_per_data_class(director, full_file):
    person = full_file["person"]
    text = " ".join(pdf_text(unzip(download(director, person.pk)).read("dossier.pdf"), layout=False).split())
    assert "Accès aux données personnelles" in text
    assert "article 15" in text and "article 21" in text
    assert "Centre d'Action Interculturelle" in text
    assert str(person) in text
    for entry in REGISTRY:
        assert str(entry.title) in text, entry.title
    assert "Demande d'aide pour le logement" in text
    assert "Journal des accès et des modifications" in text
    from cai.pdf import long_date

    assert long_date(timezone.localdate()) in text  # long French dates


def test_producing_the_package_writes_one_audit_row(director, full_file):
    person = full_file["person"]
    person_type = ContentType.objects.get_for_model(Person)
    before = LogEntry.objects.filter(content_type=person_type, object_id=person.pk).count()
    download(director, person.pk)
    rows = LogEntry.objects.filter(content_type=person_type, object_id=person.pk).order_by("-id")
    assert rows.count() == before + 1
    row = rows.first()
    assert row.action == LogEntry.Action.ACCESS
    assert row.actor == director
    assert row.additional_data["event"] == "subject_access_package"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("director", 200),
        ("administrator", 200),
        ("counsellor_a", 403),
        ("counsellor_b", 403),
        ("coordinator", 403),
        ("commune_agent", 403),
    ],
)
def test_only_the_director_and_administrators_produce_the_package(request, persona, status):
    person = PersonFactory(office=office("namur"))
    user = request.getfixturevalue(persona)
    assert download(user, person.pk).status_code == status


def test_missing_person_answers_404(director):
    assert download(director, 999999).status_code == 404


def test_counsellor_gets_403_without_an_audit_row(counsellor_a):
    person = PersonFactory(office=office("namur"))
    assert download(counsellor_a, person.pk).status_code == 403
    assert not LogEntry.objects.filter(additional_data__event="subject_access_package").exists()


def count_queries(person) -> int:
    with CaptureQueriesContext(connection) as queries:
        subject_access_data(person)
    return len(queries)


def test_data_takes_a_fixed_number_of_queries_whatever_the_number_of_records(
    django_assert_max_num_queries, full_file, counsellor_a
):
    person = full_file["person"]
    count_queries(person)  # content types cached
    few = count_queries(person)
    for _ in range(30):
        AppointmentFactory(person=person, counsellor=counsellor_a)
    many = count_queries(person)
    assert few == many
    with django_assert_max_num_queries(len(REGISTRY) + 4):
        subject_access_data(person)


def test_package_of_200_appointments_and_400_log_entries_is_produced_synchronously(
    director, counsellor_a, capsys
):
    """The measured figure (printed): generation is synchronous, a person's data being small. The bound
    only catches a regression by an order of magnitude on this shared machine."""
    person = PersonFactory(office=office("namur"))
    now = timezone.now()
    Appointment.objects.bulk_create(
        Appointment(
            person=person,
            counsellor=counsellor_a,
            office=person.office,
            starts_at=now - dt.timedelta(days=i),
            notes="Suivi du dossier, démarches pour le logement et la formation en français.",
        )
        for i in range(200)
    )
    person_type = ContentType.objects.get_for_model(Person)
    LogEntry.objects.bulk_create(
        LogEntry(
            content_type=person_type,
            object_pk=str(person.pk),
            object_id=person.pk,
            object_repr=str(person),
            action=LogEntry.Action.ACCESS,
            actor=counsellor_a,
            remote_addr="192.0.2.10",
        )
        for _ in range(400)
    )
    client = signed_in_client(director)
    start = time.perf_counter()
    response = client.get(reverse("privacy:subject_access_package", args=[person.pk]))
    elapsed = time.perf_counter() - start
    assert response.status_code == 200
    data = json.loads(unzip(response).read("donnees.json"))
    assert len(section(data, "appointments")["records"]) == 200
    with capsys.disabled():
        print(
            f"\nsubject-access package, 200 appointments, 400 log entries: {elapsed:.2f} s, {len(response.content)} bytes"
        )
    assert elapsed < 90


def test_person_page_offers_the_package_to_the_director_only(director, counsellor_a):
    person = PersonFactory(office=office("namur"))
    url = reverse("privacy:subject_access_package", args=[person.pk])
    assert url in signed_in_client(director).get(person.get_absolute_url()).content.decode()
    assert url not in signed_in_client(counsellor_a).get(person.get_absolute_url()).content.decode()
