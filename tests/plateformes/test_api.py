"""The network's API: who reads and writes what, writes through the services (French errors keyed by
field, nested rows all or nothing), the shared filters, and the schema."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from plateformes.models import Group, Meeting, MeetingAttendee, Operator, OperatorContact
from tests.plateformes.factories import (
    AwarenessActionFactory,
    GroupFactory,
    GroupMemberFactory,
    MeetingFactory,
    OfferFactory,
    OperatorFactory,
)

pytestmark = pytest.mark.django_db
ENDPOINTS = [
    "/api/operators/",
    "/api/offers/",
    "/api/support-actions/",
    "/api/groups/",
    "/api/meetings/",
    "/api/awareness-actions/",
    "/api/interpellations/",
    "/api/governance-meetings/",
    "/api/staff-members/",
    "/api/acronyms/",
]
SOON = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=5)


def api(user) -> APIClient:
    """A token client (the way programs call the API)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


# Who may do what


@pytest.mark.parametrize("persona", ["coordinator", "director", "administrator"])
def test_network_staff_read_every_endpoint(request, persona):
    client = api(request.getfixturevalue(persona))
    for endpoint in ENDPOINTS:
        assert client.get(endpoint).status_code == 200, endpoint


def test_counsellor_reads_operators_and_offers_only(counsellor_a):
    client = api(counsellor_a)
    assert client.get("/api/operators/").status_code == 200
    assert client.get("/api/offers/").status_code == 200
    for endpoint in ENDPOINTS[2:]:
        response = client.get(endpoint)
        assert response.status_code == 403, endpoint
        assert response.json()["detail"] == "Votre rôle ne donne pas accès au réseau des partenaires."


def test_counsellor_cannot_write_the_offer_or_the_directory(counsellor_a):
    operator = OperatorFactory()
    client = api(counsellor_a)
    response = client.post(
        "/api/offers/", {"operator": operator.pk, "kind": "francais", "title": "FLE"}, format="json"
    )
    assert response.status_code == 403
    assert "sans la modifier" in response.json()["detail"]
    assert (
        client.patch(f"/api/operators/{operator.pk}/", {"name": "Renommé"}, format="json").status_code == 403
    )
    assert Operator.objects.get(pk=operator.pk).name == operator.name
    assert not operator.offers.exists()


@pytest.mark.parametrize("persona", ["commune_agent", "commune_agent_other"])
def test_commune_agents_get_403_everywhere(request, persona):
    client = api(request.getfixturevalue(persona))
    for endpoint in ENDPOINTS:
        assert client.get(endpoint).status_code == 403, endpoint


def test_anonymous_callers_get_401(db):
    for endpoint in ENDPOINTS:
        assert APIClient().get(endpoint).status_code == 401, endpoint


def test_counsellor_reads_only_the_current_offer(counsellor_a):
    current = OfferFactory(title="En cours")
    OfferFactory(title="Terminée", active=False)
    OfferFactory(title="Opérateur inactif", operator__active=False)
    body = api(counsellor_a).get("/api/offers/").json()
    assert [row["title"] for row in body["results"]] == [current.title]
    operators = api(counsellor_a).get("/api/operators/").json()
    assert {row["name"] for row in operators["results"]} == {
        current.operator.name,
        Operator.objects.get(offers__title="Terminée").name,
    }


def test_nothing_is_deleted_through_the_api(coordinator):
    operator = OperatorFactory()
    assert api(coordinator).delete(f"/api/operators/{operator.pk}/").status_code == 405
    assert Operator.objects.filter(pk=operator.pk).exists()


# Writes


def test_operator_is_created_with_contacts_and_its_contacts_replaced(coordinator, office_a):
    client = api(coordinator)
    response = client.post(
        "/api/operators/",
        {
            "name": "ILI de Ciney",
            "kind": "ili",
            "territories": [office_a.pk],
            "contacts": [{"name": "Anne Colin", "email": "anne@example.org"}, {"name": "Marc"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["territories"] == [office_a.pk] and len(body["contacts"]) == 2
    anne = next(c for c in body["contacts"] if c["name"] == "Anne Colin")
    response = client.patch(
        f"/api/operators/{body['id']}/",
        {"contacts": [{"id": anne["id"], "name": "Anne Colin", "phone": "1"}]},
        format="json",
    )
    assert response.status_code == 200
    assert list(OperatorContact.objects.values_list("name", "phone")) == [("Anne Colin", "1")]


def test_duplicate_operator_name_answers_400_on_the_name(coordinator):
    OperatorFactory(name="CPAS de Namur")
    response = api(coordinator).post(
        "/api/operators/", {"name": "cpas de namur", "kind": "cpas"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"name": ["Un opérateur porte déjà ce nom dans le répertoire."]}


def test_bad_contact_saves_nothing(coordinator):
    response = api(coordinator).post(
        "/api/operators/",
        {"name": "ILI", "kind": "ili", "contacts": [{"name": "Anne"}, {"name": "", "email": "x"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "contacts" in response.json()
    assert not Operator.objects.exists() and not OperatorContact.objects.exists()


def test_meeting_with_an_unknown_operator_on_an_attendee_is_refused_on_that_field(coordinator):
    group = GroupFactory()
    response = api(coordinator).post(
        "/api/meetings/",
        {
            "group": group.pk,
            "starts_at": SOON.isoformat(),
            "place": "Namur",
            "attendees": [{"name": "Awa"}, {"name": "Luc", "operator": 999999}],
            "follow_ups": [{"description": "Écrire"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "attendees": {"1": {"operator": ["L'opérateur « 999999 » n'existe pas dans le répertoire."]}}
    }
    assert not Meeting.objects.exists() and not MeetingAttendee.objects.exists()


def test_attendee_operator_that_is_not_an_id_is_refused_in_french(coordinator):
    data = {"group": GroupFactory().pk, "starts_at": SOON.isoformat(), "online": True}
    response = api(coordinator).post(
        "/api/meetings/", {**data, "attendees": [{"name": "Luc", "operator": ["x"]}]}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "attendees": {"0": {"operator": ["Indiquez l'identifiant (un nombre) d'un opérateur du répertoire."]}}
    }
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"starts_at": None}, {"starts_at": ["Ce champ ne peut être nul."]}),
        (
            {"ends_at": (SOON - dt.timedelta(hours=1)).isoformat()},
            {"ends_at": ["La fin de la réunion doit suivre son début."]},
        ),
        (
            {"place": "", "online": False},
            {"place": ["Indiquez le lieu de la réunion, ou cochez « En ligne »."]},
        ),
    ],
)
def test_bad_meeting_answers_400_in_french_on_the_field(coordinator, changes, errors):
    data = {"group": GroupFactory().pk, "starts_at": SOON.isoformat(), "place": "Namur", **changes}
    response = api(coordinator).post("/api/meetings/", data, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert not Meeting.objects.exists()


def test_meeting_with_a_member_and_a_guest_is_created_and_stays_with_its_group(coordinator):
    member = GroupMemberFactory(name="Awa Diallo")
    client = api(coordinator)
    response = client.post(
        "/api/meetings/",
        {
            "group": member.group.pk,
            "starts_at": SOON.isoformat(),
            "online": True,
            "attendees": [{"member": member.pk}, {"name": "Invité", "organisation": "Commune"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    attendees = {row["name"]: row for row in response.json()["attendees"]}
    assert attendees["Awa Diallo"]["is_guest"] is False and attendees["Invité"]["is_guest"] is True
    other_group = GroupFactory()
    response = client.patch(
        f"/api/meetings/{response.json()['id']}/", {"group": other_group.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"group": ["Une réunion reste attachée à son groupe."]}


def test_duplicate_group_name_answers_400_on_the_name(coordinator):
    GroupFactory(kind="groupe_travail", name="GT Logement")
    response = api(coordinator).post(
        "/api/groups/", {"kind": "groupe_travail", "name": "GT Logement"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"name": ["Un groupe du type « Groupe de travail » porte déjà ce nom."]}
    assert Group.objects.filter(name="GT Logement").count() == 1


def test_oversized_text_answers_400_on_the_field(coordinator):
    response = api(coordinator).post(
        "/api/awareness-actions/", {"kind": "forum", "title": "x" * 251, "date": "2025-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["title"]


def test_support_action_defaults_to_the_caller(coordinator):
    operator = OperatorFactory()
    response = api(coordinator).post(
        "/api/support-actions/",
        {"operator": operator.pk, "date": "2025-03-01", "kind": "conseil", "topic": "Subvention"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["staff"] == coordinator.pk


def test_acronym_is_updated_through_the_api(coordinator):
    response = api(coordinator).post("/api/acronyms/", {"acronym": "DISCRI", "meaning": "x"}, format="json")
    pk = response.json()["id"]
    response = api(coordinator).patch(
        f"/api/acronyms/{pk}/", {"meaning": "Dispositif de concertation"}, format="json"
    )
    assert response.status_code == 200 and response.json()["meaning"] == "Dispositif de concertation"


# Filters shared with the pages


def test_offer_endpoint_filters_by_territory(coordinator, office_a, office_b):
    namur = OfferFactory(title="FLE Namur", territories=[office_a])
    OfferFactory(title="FLE Dinant", territories=[office_b])
    body = api(coordinator).get("/api/offers/", {"territory": office_a.pk}).json()
    assert [row["id"] for row in body["results"]] == [namur.pk]


def test_group_endpoint_gives_next_meeting_and_member_count(coordinator):
    group = GroupFactory(name="GT API")
    GroupMemberFactory.create_batch(2, group=group)
    meeting = MeetingFactory(group=group, starts_at=SOON)
    row = api(coordinator).get("/api/groups/", {"q": "GT API"}).json()["results"][0]
    assert row["member_count"] == 2
    assert row["next_meeting_at"] == meeting.starts_at.astimezone(timezone.get_current_timezone()).isoformat()


def test_awareness_endpoint_filters_by_year(coordinator):
    AwarenessActionFactory(title="2024", date=dt.date(2024, 3, 1))
    AwarenessActionFactory(title="2025", date=dt.date(2025, 3, 1))
    body = api(coordinator).get("/api/awareness-actions/", {"year": 2024}).json()
    assert [row["title"] for row in body["results"]] == ["2024"]


def test_schema_documents_the_network_endpoints(counsellor_a):
    schema = api(counsellor_a).get("/api/schema/?format=json").json()
    for endpoint in ENDPOINTS:
        assert endpoint in schema["paths"], endpoint
        assert "delete" not in schema["paths"][endpoint + "{id}/"]
    offer_filters = {p["name"] for p in schema["paths"]["/api/offers/"]["get"]["parameters"]}
    assert {"territory", "kind", "level", "commune", "ordering", "page", "page_size"} <= offer_filters
