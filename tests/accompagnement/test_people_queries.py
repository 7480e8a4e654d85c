"""The people pages issue a fixed number of queries whatever the number of rows: the same budget
holds with 3 people and with 40 (each with appointments)."""

import pytest
from django.urls import reverse

from accompagnement import services
from tests.factories import AppointmentFactory, PersonFactory

pytestmark = pytest.mark.django_db

SIZES = [3, 40]

# Measured, plus one. Every request reads the session, the user and the second-factor device and
# saves the session. The list adds its page, its count and the office and commune choices of the
# filters; the search its results; the detail page the person, the languages, the access entry it
# writes (in a savepoint), the timeline and its request types, the user's offices (confidential
# notes) and, for the director, the history and the names of the offices, communes and languages
# its changes mention (one query per kind, whatever the number of entries).
LIST_BUDGET = 11
SEARCH_BUDGET = 8
DETAIL_BUDGET = 16


def people_with_appointments(count, office, counsellor):
    people = [PersonFactory(office=office, last_name="Haddad", first_name=f"Yara{i}") for i in range(count)]
    for person in people:
        AppointmentFactory.create_batch(2, person=person, counsellor=counsellor)
    return people


@pytest.fixture
def client_a(login, counsellor_a):
    return login(counsellor_a)


@pytest.mark.parametrize("size", SIZES)
def test_list_page_query_budget(client_a, counsellor_a, office_a, size, django_assert_max_num_queries):
    people_with_appointments(size, office_a, counsellor_a)
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client_a.get(reverse("accompagnement:person_list"))
    assert response.status_code == 200
    assert len(response.context["people"]) == min(size, 25)


@pytest.mark.parametrize("size", SIZES)
def test_search_query_budget(client_a, counsellor_a, office_a, size, django_assert_max_num_queries):
    people_with_appointments(size, office_a, counsellor_a)
    with django_assert_max_num_queries(SEARCH_BUDGET):
        response = client_a.post(reverse("accompagnement:person_search"), {"q": "haddad"})
    assert response.status_code == 200
    assert len(response.context["results"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_detail_page_query_budget(
    login, counsellor_a, director, office_a, size, django_assert_max_num_queries
):
    from accompagnement.models import Language

    languages = list(Language.objects.all()[:size])
    person = PersonFactory(office=office_a)
    person.languages.set(languages)
    AppointmentFactory.create_batch(size, person=person, counsellor=counsellor_a)
    for i in range(size):  # history rows naming offices, communes, languages and choices
        services.person_update(
            actor=counsellor_a,
            person=person,
            phone=f"0470 00 00 {i:02d}",
            referral="commune" if i % 2 else "partner",
            interpreter_language=languages[i % len(languages)],
        )
    for user in (counsellor_a, director):
        client = login(user)
        with django_assert_max_num_queries(DETAIL_BUDGET):
            response = client.get(reverse("accompagnement:person_detail", args=[person.pk]))
        assert response.status_code == 200
        assert len(response.context["appointments"]) == min(
            size, 25
        )  # older ones: the filtered appointment list
        assert response.context["more_appointments"] is (size > 25)
