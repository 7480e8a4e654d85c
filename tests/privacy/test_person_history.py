"""The rectification history of a person's file: every change to the file and its linked records,
readable, paginated, confidential notes masked for readers not allowed, reads left out."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accompagnement import services as people_services
from tests.conftest import signed_in_client
from tests.factories import AppointmentFactory, PersonFactory, office

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return PersonFactory(
        office=office("namur"), last_name="Haddad", first_name="Leïla", phone="0470 11 11 11"
    )


def history(user, person, **params):
    return signed_in_client(user).get(reverse("privacy:person_history", args=[person.pk]), params)


def test_history_shows_a_rectified_field_before_and_after(counsellor_a, person):
    people_services.person_update(actor=counsellor_a, person=person, phone="0470 22 22 22")
    response = history(counsellor_a, person)
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r["action"] == "Modification")
    assert {"field": "téléphone", "old": "0470 11 11 11", "new": "0470 22 22 22"} in [
        {**c, "field": str(c["field"])} for c in row["changes"]
    ]
    content = response.content.decode()
    assert "Téléphone" in content and "0470 11 11 11 → 0470 22 22 22" in content


def test_history_includes_changes_to_linked_records_with_french_labels(counsellor_a, person):
    appointment = AppointmentFactory(person=person, counsellor=counsellor_a, notes="Premier contact")
    people_services.appointment_update(
        actor=counsellor_a, appointment=appointment, notes="Premier contact, logement"
    )
    people_services.appointment_delete(actor=counsellor_a, appointment=appointment)
    rows = history(counsellor_a, person).context["rows"]
    appointment_rows = [r for r in rows if str(r["object_type"]) == "rendez-vous"]
    assert {str(r["action"]) for r in appointment_rows} >= {"Création", "Modification", "Suppression"}
    update = next(r for r in appointment_rows if str(r["action"]) == "Modification")
    assert [(str(c["field"]), c["old"], c["new"]) for c in update["changes"]] == [
        ("notes", "Premier contact", "Premier contact, logement")
    ]
    created = next(r for r in appointment_rows if str(r["action"]) == "Création")
    office_change = next(c for c in created["changes"] if str(c["field"]) == "bureau")
    assert office_change["new"] == person.office.name  # foreign keys by their label


def test_reads_are_not_in_the_history(counsellor_a, person):
    signed_in_client(counsellor_a).get(person.get_absolute_url())
    rows = history(counsellor_a, person).context["rows"]
    assert rows and all(str(r["action"]) != "Consultation" for r in rows)


def test_confidential_notes_are_masked_for_a_reader_not_allowed(counsellor_a, director, person):
    AppointmentFactory(person=person, counsellor=counsellor_a, confidential_notes="Secret de famille")
    as_director = history(director, person).content.decode()
    assert "Secret de famille" not in as_director
    assert "contenu confidentiel masqué" in as_director
    as_counsellor = history(counsellor_a, person).content.decode()
    assert "Secret de famille" in as_counsellor


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("counsellor_a", 200),
        ("director", 200),
        ("administrator", 200),
        ("counsellor_b", 404),
        ("coordinator", 403),
        ("commune_agent", 403),
    ],
)
def test_history_is_visible_to_whoever_may_see_the_file(request, person, persona, status):
    assert history(request.getfixturevalue(persona), person).status_code == status


def test_missing_file_answers_404(director):
    assert signed_in_client(director).get(reverse("privacy:person_history", args=[999999])).status_code == 404


def test_history_paginates_and_filters_by_data_class(counsellor_a, person):
    for number in range(60):
        people_services.person_update(actor=counsellor_a, person=person, phone=f"0470 00 00 {number:02d}")
    AppointmentFactory(person=person, counsellor=counsellor_a)
    first = history(counsellor_a, person)
    assert first.context["page_obj"].paginator.num_pages == 2
    assert "Page 1 sur 2" in first.content.decode()
    assert len(history(counsellor_a, person, page=2).context["rows"]) > 0
    only_appointments = history(counsellor_a, person, objet="appointments").context["rows"]
    assert only_appointments and {str(r["object_type"]) for r in only_appointments} == {"rendez-vous"}
    oldest = history(counsellor_a, person, ordre="ancien").context["rows"]
    assert oldest[0]["timestamp"] <= oldest[-1]["timestamp"]


def test_empty_filter_says_what_to_do(counsellor_a, person):
    content = history(counsellor_a, person, objet="duos").content.decode()
    assert "Aucune modification de ces données." in content


def count_queries(user, person) -> int:
    """Oldest first, so that the page names the same kinds of related rows (office, commune, user…)
    whatever the number of entries: one label query per kind, none per entry."""
    client = signed_in_client(user)
    url = reverse("privacy:person_history", args=[person.pk]) + "?ordre=ancien"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_history_takes_a_fixed_number_of_queries(counsellor_a, person, django_assert_max_num_queries):
    AppointmentFactory(person=person, counsellor=counsellor_a)
    few = count_queries(counsellor_a, person)
    for number in range(20):
        people_services.person_update(actor=counsellor_a, person=person, phone=f"0470 00 00 {number:02d}")
        AppointmentFactory(person=person, counsellor=counsellor_a)
    many = count_queries(counsellor_a, person)
    assert many == few
    client = signed_in_client(counsellor_a)
    with django_assert_max_num_queries(few):
        client.get(reverse("privacy:person_history", args=[person.pk]) + "?ordre=ancien")


def test_person_page_links_to_the_full_history(counsellor_a, director, person):
    url = reverse("privacy:person_history", args=[person.pk])
    assert url in signed_in_client(counsellor_a).get(person.get_absolute_url()).content.decode()
    assert url in signed_in_client(director).get(person.get_absolute_url()).content.decode()
