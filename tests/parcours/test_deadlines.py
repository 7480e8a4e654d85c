"""The "Échéances" page: the open deadlines of the obliged people the user follows, filtered by office,
kind, "overdue only" and horizon, sorted, paginated, in a fixed number of queries."""

import datetime as dt
import html as html_lib

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours import services
from parcours.choices import PathStatus, StatusReason
from parcours.models import Path
from tests.factories import AppointmentFactory, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DEADLINES = reverse("parcours:deadlines")


def text(response) -> str:
    return html_lib.unescape(response.content.decode())


def obliged_path(
    office, *, last_name="Haddad", presentation_in=None, evaluation_in=None, attestation_in=None
):
    """An obliged person's path with deadlines ``n`` days from today (built directly: a read test)."""

    def due(days):
        return TODAY + dt.timedelta(days=days) if days is not None else None

    person = PersonFactory(office=office, last_name=last_name)
    return Path.objects.create(
        person=person,
        opened_on=TODAY,
        computed_status=PathStatus.OBLIGED,
        computed_reason=StatusReason.NEWCOMER_OF_AGE,
        status=PathStatus.OBLIGED,
        presentation_due=due(presentation_in),
        next_evaluation_due=due(evaluation_in),
        attestation_due=due(attestation_in),
    )


@pytest.fixture
def newcomer(office_a):
    """Registered 100 days ago (presentation overdue), title ordered 60 days ago."""
    return PersonFactory(
        office=office_a,
        last_name="Haddad",
        first_name="Yara",
        nationality="SY",
        birth_date=dt.date(1990, 3, 4),
        residence_card="B",
        residence_ordered_on=TODAY - dt.timedelta(days=60),
        registration_date=TODAY - dt.timedelta(days=100),
    )


def test_overdue_presentation_and_upcoming_evaluation_appear(login, counsellor_a, newcomer):
    path = services.path_open(actor=counsellor_a, person=newcomer)
    services.convention_sign(actor=counsellor_a, path=path, signed_on=TODAY - dt.timedelta(days=170))
    path.refresh_from_db()

    response = login(counsellor_a).get(DEADLINES)
    assert response.status_code == 200
    page = text(response)
    assert "Se présenter au bureau d'accueil" in page
    overdue_by = (TODAY - path.presentation_due).days
    assert f"en retard de {overdue_by} jours" in page
    assert "Entretien d'évaluation" in page
    assert f"dans {(path.next_evaluation_due - TODAY).days} jours" in page
    assert reverse("parcours:path_detail", args=[newcomer.pk]) in page


def test_a_person_who_came_to_the_office_has_no_presentation_deadline(login, counsellor_a, newcomer):
    services.path_open(actor=counsellor_a, person=newcomer)
    client = login(counsellor_a)
    assert [row["item"].kind for row in client.get(DEADLINES).context["rows"]] == ["presentation"]
    AppointmentFactory(person=newcomer, counsellor=counsellor_a)
    assert client.get(DEADLINES).context["rows"] == []


def test_counsellor_does_not_see_the_other_offices_deadlines(login, counsellor_a, office_a, office_b):
    obliged_path(office_a, last_name="Namurois", presentation_in=-5)
    obliged_path(office_b, last_name="Dinantais", presentation_in=-5)
    client = login(counsellor_a)
    page = text(client.get(DEADLINES))
    assert "NAMUROIS" in page.upper() and "DINANTAIS" not in page.upper()
    # Asking for the other office by its id shows nothing of it (the choice is refused).
    filtered = text(client.get(DEADLINES, {"office": office_b.pk}))
    assert "DINANTAIS" not in filtered.upper() and "Sélectionnez un choix valide" in filtered


def test_director_sees_every_office_and_filters_by_office(login, director, office_a, office_b):
    obliged_path(office_a, last_name="Namurois", presentation_in=-5)
    obliged_path(office_b, last_name="Dinantais", presentation_in=-5)
    client = login(director)
    page = text(client.get(DEADLINES)).upper()
    assert "NAMUROIS" in page and "DINANTAIS" in page
    page = text(client.get(DEADLINES, {"office": office_b.pk})).upper()
    assert "NAMUROIS" not in page and "DINANTAIS" in page


def test_filters_by_kind_overdue_and_horizon(login, counsellor_a, office_a):
    obliged_path(office_a, last_name="Retard", presentation_in=-3)
    obliged_path(office_a, last_name="Bientot", evaluation_in=20)
    obliged_path(office_a, last_name="Lointain", attestation_in=80)
    client = login(counsellor_a)

    def names(params):
        return {row["item"].path.person.last_name for row in client.get(DEADLINES, params).context["rows"]}

    assert names({}) == {"Retard", "Bientot"}  # 60 days by default
    assert names({"horizon": 90}) == {"Retard", "Bientot", "Lointain"}
    assert names({"horizon": 30}) == {"Retard", "Bientot"}
    assert names({"overdue": "on"}) == {"Retard"}
    assert names({"kind": "evaluation", "horizon": 90}) == {"Bientot"}


def test_sorting_by_due_date_person_and_office(login, counsellor_a, office_a):
    obliged_path(office_a, last_name="Zeller", presentation_in=-10)
    obliged_path(office_a, last_name="Abidi", evaluation_in=10)
    client = login(counsellor_a)

    def names(params):
        rows = client.get(DEADLINES, params).context["rows"]
        return [row["item"].path.person.last_name for row in rows]

    assert names({}) == ["Zeller", "Abidi"]  # soonest first
    assert names({"tri": "personne"}) == ["Abidi", "Zeller"]
    assert names({"tri": "-personne"}) == ["Zeller", "Abidi"]
    assert names({"tri": "-echeance"}) == ["Abidi", "Zeller"]
    assert names({"tri": "bureau"}) == ["Zeller", "Abidi"]  # same office: by due date


def test_sorting_by_person_follows_french_alphabetical_order(login, counsellor_a, office_a):
    for last_name in ["Zeller", "émond", "Ozturk", "Çelik", "abidi"]:
        obliged_path(office_a, last_name=last_name, evaluation_in=10)
    rows = login(counsellor_a).get(DEADLINES, {"tri": "personne"}).context["rows"]
    assert [row["item"].path.person.last_name for row in rows] == [
        "abidi",
        "Çelik",
        "émond",
        "Ozturk",
        "Zeller",
    ]


def test_the_list_is_paginated_by_fifty(login, counsellor_a, office_a):
    for i in range(55):
        obliged_path(office_a, last_name=f"Personne{i:02d}", presentation_in=-i - 1)
    client = login(counsellor_a)
    first = client.get(DEADLINES)
    assert len(first.context["rows"]) == 50 and "Page 1 sur 2" in text(first)
    assert len(client.get(DEADLINES, {"page": 2}).context["rows"]) == 5


def test_empty_state_says_what_to_do(login, counsellor_a):
    page = text(login(counsellor_a).get(DEADLINES))
    assert "Aucune échéance dans les 60 prochains jours." in page
    assert "Élargissez l'horizon à 90 jours" in page


def test_a_bad_horizon_is_reported_and_the_default_applies(login, counsellor_a, office_a):
    obliged_path(office_a, last_name="Bientot", evaluation_in=20)
    response = login(counsellor_a).get(DEADLINES, {"horizon": "mille"})
    assert response.status_code == 200
    assert response.context["horizon_days"] == 60
    assert "Sélectionnez un choix valide" in text(response) and "BIENTOT" in text(response).upper()


def test_the_filters_answer_with_the_results_fragment(login, counsellor_a, office_a):
    obliged_path(office_a, last_name="Bientot", evaluation_in=20)
    response = login(counsellor_a).get(
        DEADLINES, {"horizon": 30}, headers={"HX-Request": "true", "HX-Target": "deadline-results"}
    )
    assert response.status_code == 200
    assert "<html" not in text(response) and "BIENTOT" in text(response).upper()


@pytest.mark.parametrize("persona", ["coordinator", "commune_agent"])
def test_other_roles_are_forbidden(persona, persona_client):
    assert persona_client(persona).get(DEADLINES).status_code == 403


# Measured, plus one: session, user, second-factor device, session save; the chosen office, the office
# choices; then, whatever the number of paths, the count of deadlines, the page of deadline rows and
# the page's paths with their people and offices.
DEADLINES_BUDGET = 12


@pytest.mark.parametrize("size", [3, 40])
def test_deadlines_query_budget(login, counsellor_a, office_a, size, django_assert_max_num_queries):
    for i in range(size):
        obliged_path(office_a, last_name=f"Personne{i:02d}", presentation_in=-i - 1, evaluation_in=i + 1)
    client = login(counsellor_a)
    with django_assert_max_num_queries(DEADLINES_BUDGET):
        response = client.get(DEADLINES, {"office": office_a.pk, "tri": "personne"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 2 * size
