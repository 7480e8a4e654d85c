"""The trainings API: scoping per persona, writes through the services with French errors keyed by
field, the status and registration actions, filters, fixed query counts, and the schema."""

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from formations.choices import RegistrationStatus, SessionStatus
from formations.models import Registration, Trainer, Training, TrainingSession
from tests.conftest import signed_in_client
from tests.formations.conftest import (
    NEXT_YEAR,
    in_year,
    make_registration,
    make_rich_sessions,
    make_session,
    make_training,
)

pytestmark = pytest.mark.django_db

LISTS = ["/api/trainings/", "/api/training-sessions/", "/api/registrations/"]


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def coordinator_api(coordinator):
    return api(coordinator)


def session_payload(training, **overrides) -> dict:
    start = in_year(NEXT_YEAR, 3, 2)
    payload = {
        "training": training.pk,
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=3)).isoformat(),
        "place": "Namur",
        "capacity": 2,
    }
    payload.update(overrides)
    return payload


# --- Scoping per persona -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "director", "administrator"])
def test_coordination_direction_and_administration_read_every_list(request, persona, past_session):
    make_registration(past_session)
    client = api(request.getfixturevalue(persona))
    for url in LISTS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.json()["count"] == 1, url


@pytest.mark.parametrize("persona", ["counsellor_a", "counsellor_b", "commune_agent", "commune_agent_other"])
def test_counsellors_and_commune_agents_get_403_everywhere(request, persona, past_session, training):
    registration = make_registration(past_session)
    client = api(request.getfixturevalue(persona))
    urls = [
        *LISTS,
        f"/api/trainings/{training.pk}/",
        f"/api/training-sessions/{past_session.pk}/",
        f"/api/registrations/{registration.pk}/",
        "/api/trainings/999999/",  # a missing id answers the same: nothing is revealed
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post("/api/trainings/", {"title": "Interdite"}, format="json").status_code == 403
    response = client.post(f"/api/registrations/{registration.pk}/cancel/")
    assert response.status_code == 403
    assert not Training.objects.filter(title="Interdite").exists()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED


def test_anonymous_callers_get_401(db):
    for url in LISTS:
        assert APIClient().get(url).status_code == 401


def test_session_api_answers_for_the_browser_session_too(coordinator, past_session):
    assert signed_in_client(coordinator).get("/api/training-sessions/").status_code == 200


# --- Trainings -----------------------------------------------------------------------------------


def test_training_is_created_and_updated(coordinator_api, operator):
    response = coordinator_api.post(
        "/api/trainings/", {"title": "Droit des étrangers", "on_request_for": operator.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["title"], body["on_request_for"], body["sessions_count"]) == (
        "Droit des étrangers",
        operator.pk,
        0,
    )
    response = coordinator_api.patch(f"/api/trainings/{body['id']}/", {"active": False}, format="json")
    assert response.status_code == 200
    assert Training.objects.get().active is False


def test_training_of_an_unknown_operator_is_refused_in_french(coordinator_api):
    response = coordinator_api.post(
        "/api/trainings/", {"title": "T", "on_request_for": 987654}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "on_request_for": ["Cette organisation ne figure pas dans le répertoire des opérateurs."]
    }
    response = coordinator_api.post("/api/trainings/", {"title": "  "}, format="json")
    assert response.status_code == 400 and "title" in response.json()
    assert not Training.objects.exists()


def test_trainings_are_filtered(coordinator_api, operator):
    make_training("Alpha", theme="Antiracisme")
    make_training("Bêta", active=False)
    make_training("Gamma", on_request_for=operator)
    assert [t["title"] for t in coordinator_api.get("/api/trainings/?active=false").json()["results"]] == [
        "Bêta"
    ]
    assert [t["title"] for t in coordinator_api.get("/api/trainings/?on_request=true").json()["results"]] == [
        "Gamma"
    ]
    assert [
        t["title"] for t in coordinator_api.get("/api/trainings/?theme=Antiracisme").json()["results"]
    ] == ["Alpha"]


# --- Sessions ------------------------------------------------------------------------------------


def test_session_is_created_with_its_trainers(coordinator_api, training, director, operator):
    payload = session_payload(
        training, trainers=[{"user": director.pk}, {"name": "Aïcha Benali", "operator": operator.pk}]
    )
    response = coordinator_api.post("/api/training-sessions/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == SessionStatus.PLANNED
    assert [(t["user"], t["name"], t["operator"]) for t in body["trainers"]] == [
        (director.pk, "", None),
        (None, "Aïcha Benali", operator.pk),
    ]
    assert (body["registered_count"], body["waiting_count"], body["attended_count"]) == (0, 0, 0)


def test_session_with_a_trainer_of_an_unknown_organisation_is_refused(coordinator_api, training):
    payload = session_payload(training, trainers=[{"name": "Intervenant", "operator": 987654}])
    response = coordinator_api.post("/api/training-sessions/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "trainers": {
            "0": {"operator": ["Cette organisation ne figure pas dans le répertoire des opérateurs."]}
        }
    }
    assert not TrainingSession.objects.exists() and not Trainer.objects.exists()


def test_session_without_date_or_ending_before_it_starts_is_refused(coordinator_api, training):
    payload = session_payload(training)
    del payload["starts_at"]
    response = coordinator_api.post("/api/training-sessions/", payload, format="json")
    assert response.status_code == 400 and list(response.json()) == ["starts_at"]
    start = in_year(NEXT_YEAR, 3, 2, 14)
    payload = session_payload(
        training, starts_at=start.isoformat(), ends_at=(start - dt.timedelta(hours=1)).isoformat()
    )
    response = coordinator_api.post("/api/training-sessions/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"ends_at": ["La fin doit suivre le début."]}
    assert not TrainingSession.objects.exists()


def test_session_update_replaces_the_trainers(coordinator_api, future_session, director):
    Trainer.objects.create(session=future_session, name="Ancien")
    response = coordinator_api.patch(
        f"/api/training-sessions/{future_session.pk}/", {"trainers": [{"user": director.pk}]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert [t.user for t in future_session.trainers.all()] == [director]


def test_status_cannot_be_written_directly(coordinator_api, future_session):
    response = coordinator_api.patch(
        f"/api/training-sessions/{future_session.pk}/", {"status": SessionStatus.CANCELLED}, format="json"
    )
    assert response.status_code == 200
    future_session.refresh_from_db()
    assert future_session.status == SessionStatus.PLANNED


def test_postpone_cancel_and_hold_actions(coordinator_api, future_session, past_session):
    url = f"/api/training-sessions/{future_session.pk}/"
    response = coordinator_api.post(url + "postpone/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"new_date": ["Indiquez la nouvelle date de la session."]}
    response = coordinator_api.post(
        url + "postpone/", {"new_date": in_year(NEXT_YEAR, 4, 6, 13).isoformat()}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == SessionStatus.POSTPONED
    response = coordinator_api.post(url + "cancel/", {"reason": " "}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": ["Indiquez le motif de l'annulation."]}
    future_session.refresh_from_db()
    assert future_session.status == SessionStatus.POSTPONED
    response = coordinator_api.post(url + "cancel/", {"reason": "Formatrice malade"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cancellation_reason"]) == (
        SessionStatus.CANCELLED,
        "Formatrice malade",
    )
    response = coordinator_api.post(f"/api/training-sessions/{past_session.pk}/hold/")
    assert response.status_code == 200 and response.json()["status"] == SessionStatus.HELD


def test_sessions_are_filtered_by_status_year_training_and_modality(coordinator_api, training):
    make_session(training, starts_at=in_year(NEXT_YEAR, 3, 2))
    make_session(make_training(), starts_at=in_year(NEXT_YEAR, 5, 2), online=True, status=SessionStatus.HELD)
    make_session(training, starts_at=in_year(NEXT_YEAR - 3, 5, 2))

    def count(query):
        return coordinator_api.get(f"/api/training-sessions/?{query}").json()["count"]

    assert count(f"year={NEXT_YEAR}") == 2
    assert count("status=tenue") == 1
    assert count(f"training={training.pk}") == 2
    assert count("modality=en_ligne") == 1
    response = coordinator_api.get("/api/training-sessions/?year=123456")
    assert response.status_code == 400 and "year" in response.json()


# --- Registrations -------------------------------------------------------------------------------


def test_registrations_fill_the_places_then_the_waiting_list(coordinator_api, future_session):
    statuses = []
    for name in ("Anne", "Bruno", "Chantal"):
        response = coordinator_api.post(
            "/api/registrations/",
            {"session": future_session.pk, "name": name, "email": f"{name.lower()}@example.org"},
            format="json",
        )
        assert response.status_code == 201, response.json()
        statuses.append(response.json()["status"])
    assert statuses == [
        RegistrationStatus.REGISTERED,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITING,
    ]


def test_duplicate_registration_is_refused_in_french(coordinator_api, future_session):
    payload = {"session": future_session.pk, "name": "Anne", "email": "anne@example.org"}
    assert coordinator_api.post("/api/registrations/", payload, format="json").status_code == 201
    response = coordinator_api.post(
        "/api/registrations/", {**payload, "email": "ANNE@example.org"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"email": ["anne@example.org est déjà inscrit·e à cette session (Anne)."]}
    assert Registration.objects.count() == 1


def test_registration_cancel_and_attendance_actions(coordinator_api, past_session):
    registration = make_registration(past_session)
    url = f"/api/registrations/{registration.pk}/"
    response = coordinator_api.post(url + "attendance/", {"attended": True}, format="json")
    assert response.status_code == 200 and response.json()["attended"] is True
    response = coordinator_api.post(url + "attendance/", {}, format="json")
    assert response.status_code == 400 and "attended" in response.json()
    response = coordinator_api.post(url + "cancel/")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["attended"]) == (RegistrationStatus.CANCELLED, False)
    response = coordinator_api.post(url + "cancel/")
    assert response.status_code == 400
    assert response.json() == {"status": ["Cette inscription est déjà annulée."]}


def test_registrations_are_filtered_by_session_and_status(coordinator_api, past_session, training):
    make_registration(past_session, attended=True)
    make_registration(past_session, status=RegistrationStatus.WAITING)
    make_registration(make_session(training))

    def count(query):
        return coordinator_api.get(f"/api/registrations/?{query}").json()["count"]

    assert count(f"session={past_session.pk}") == 2
    assert count("status=attente") == 1
    assert count("attended=true") == 1
    assert count(f"training={training.pk}") == 3


# --- Query counts and schema ---------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 40])
@pytest.mark.parametrize(("url", "budget"), [(url, 5) for url in LISTS])
def test_api_lists_have_a_fixed_query_count(
    coordinator, director, django_assert_max_num_queries, url, budget, count
):
    make_rich_sessions(count, staff=director)
    client = api(coordinator)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] >= count


def test_schema_documents_the_trainings_endpoints(coordinator):
    schema = signed_in_client(coordinator).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in (
        "/api/trainings/",
        "/api/trainings/{id}/",
        "/api/training-sessions/",
        "/api/training-sessions/{id}/postpone/",
        "/api/training-sessions/{id}/cancel/",
        "/api/training-sessions/{id}/hold/",
        "/api/registrations/",
        "/api/registrations/{id}/cancel/",
        "/api/registrations/{id}/attendance/",
    ):
        assert path in paths, path
    assert "delete" not in paths["/api/trainings/{id}/"]
    session = schema["components"]["schemas"]["TrainingSession"]["properties"]
    assert session["status"]["readOnly"] is True and "trainers" in session
    filters = {p["name"] for p in paths["/api/training-sessions/"]["get"]["parameters"]}
    assert {"status", "year", "training", "modality", "ordering", "page"} <= filters
