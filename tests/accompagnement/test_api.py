"""The accompagnement REST API: who may do what (persona × endpoint × action), bad input, query budgets.

Clients authenticate with ``Authorization: Token`` (the way API clients do); one test covers the
session path with CSRF enforced."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accompagnement.models import Appointment, Language, Person, RequestType
from tests.conftest import signed_in_client
from tests.factories import AppointmentFactory, PersonFactory

pytestmark = pytest.mark.django_db

PEOPLE = "/api/people/"
APPOINTMENTS = "/api/appointments/"
VALID_NN = "85.07.30-033.28"  # a man born on 30 July 1985


@pytest.fixture
def api(request):
    """``api("director")``: an API client authenticated by token as that persona (anonymous: none)."""

    def make(name: str) -> APIClient:
        client = APIClient()
        if name != "anonymous":
            user = request.getfixturevalue(name)
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def person_a(office_a):
    return PersonFactory(first_name="Yara", last_name="Haddad", office=office_a)


@pytest.fixture
def person_b(office_b):
    return PersonFactory(first_name="Yara", last_name="Haddad", office=office_b)


@pytest.fixture
def appointment_a(person_a, counsellor_a):
    return AppointmentFactory(person=person_a, counsellor=counsellor_a, confidential_notes="Secret A")


@pytest.fixture
def appointment_b(person_b, counsellor_b):
    return AppointmentFactory(person=person_b, counsellor=counsellor_b, confidential_notes="Secret B")


def person_payload(office, **overrides):
    payload = {
        "last_name": "Nouveau",
        "first_name": "Samir",
        "birth_date": "1985-07-30",
        "sex": "M",
        "nationality": "SY",
        "office": office.pk,
        "languages": ["ar"],
    }
    payload.update(overrides)
    return payload


def appointment_payload(person, **overrides):
    payload = {
        "person": person.pk,
        "starts_at": timezone.now().replace(microsecond=0).isoformat(),
        "duration_minutes": 45,
        "office": person.office_id,
        "mode": "in_person",
        "request_types": ["parcours", "logement"],
        "notes": "Premier contact.",
    }
    payload.update(overrides)
    return payload


def messages(body, field) -> str:
    """The messages on a field, as one string (French typography puts no-break spaces in them)."""
    return " ".join(str(m) for m in body[field]).replace("\xa0", " ")


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


# --- people: the permission matrix -------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "visible"),
    [
        ("counsellor_a", 200, {"a"}),
        ("counsellor_b", 200, {"b"}),
        ("director", 200, {"a", "b"}),
        ("administrator", 200, {"a", "b"}),
        ("coordinator", 403, None),
        ("commune_agent", 403, None),
        ("anonymous", 401, None),
    ],
)
def test_people_list_is_scoped_by_role_and_office(api, person_a, person_b, persona, status, visible):
    response = api(persona).get(PEOPLE)
    assert response.status_code == status
    if visible is not None:
        assert ids(response) == {{"a": person_a, "b": person_b}[key].pk for key in visible}


def test_counsellor_list_never_contains_another_office_person(api, office_a, office_b):
    own = PersonFactory.create_batch(3, office=office_a)
    PersonFactory.create_batch(3, office=office_b)
    response = api("counsellor_a").get(PEOPLE, {"page_size": 200})
    assert ids(response) == {p.pk for p in own}
    assert response.json()["count"] == 3


def test_anonymous_api_call_is_refused_not_redirected_to_the_sign_in_page(api, person_a):
    response = api("anonymous").get(PEOPLE)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


@pytest.mark.parametrize(
    ("persona", "own", "other"),
    [
        ("counsellor_a", 200, 404),
        ("director", 200, 200),
        ("administrator", 200, 200),
        ("coordinator", 403, 403),
        ("commune_agent", 403, 403),
        ("anonymous", 401, 401),
    ],
)
def test_people_retrieve_own_and_other_office(api, person_a, person_b, persona, own, other):
    client = api(persona)
    assert client.get(f"{PEOPLE}{person_a.pk}/").status_code == own
    assert client.get(f"{PEOPLE}{person_b.pk}/").status_code == other


def test_missing_and_out_of_scope_person_give_the_same_404(api, person_b):
    client = api("counsellor_a")
    out_of_scope = client.get(f"{PEOPLE}{person_b.pk}/")
    missing = client.get(f"{PEOPLE}999999/")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json()


def test_person_detail_shows_the_derived_origin_group_and_the_number(api, office_a):
    person = PersonFactory(office=office_a, nationality="FR", national_number="85073003328", sex="M")
    body = api("counsellor_a").get(f"{PEOPLE}{person.pk}/").json()
    assert body["origin_group"] == "ue"
    assert body["national_number"] == "85073003328"
    assert body["office"] == office_a.pk


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("counsellor_a", 201),
        ("administrator", 201),
        ("director", 403),
        ("coordinator", 403),
        ("commune_agent", 403),
        ("anonymous", 401),
    ],
)
def test_people_create_by_role(api, office_a, persona, status):
    response = api(persona).post(PEOPLE, person_payload(office_a, national_number=VALID_NN), format="json")
    assert response.status_code == status
    assert Person.objects.filter(last_name="Nouveau").count() == (1 if status == 201 else 0)


def test_refusals_by_role_are_explained_in_french(api, office_a, person_a):
    director = api("director").post(PEOPLE, person_payload(office_a), format="json")
    assert director.json()["detail"] == "La direction consulte les dossiers mais ne les modifie pas."
    coordinator = api("coordinator").get(f"{PEOPLE}{person_a.pk}/")
    assert coordinator.json()["detail"] == "Votre rôle ne donne pas accès aux dossiers individuels."
    anonymous = api("anonymous").get(PEOPLE)
    assert anonymous.json()["detail"] == "Informations d'authentification non fournies."


def test_person_created_through_the_api_is_normalised_by_the_service(api, office_a):
    response = api("counsellor_a").post(
        PEOPLE, person_payload(office_a, national_number=VALID_NN), format="json"
    )
    assert response.status_code == 201
    person = Person.objects.get(pk=response.json()["id"])
    assert person.national_number == "85073003328"
    assert person.number_kind == "nn"
    assert person.search_text == "samir nouveau"
    assert person.file_opened_on == timezone.localdate()
    assert list(person.languages.values_list("code", flat=True)) == ["ar"]
    assert response.json()["origin_group"] == "hors_ue"
    assert response.json()["national_number"] == "85073003328"


def test_counsellor_cannot_create_a_file_in_another_office(api, office_b):
    response = api("counsellor_a").post(PEOPLE, person_payload(office_b), format="json")
    assert response.status_code == 400
    assert "bureau" in response.json()["office"][0]
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("persona", "own", "other"),
    [
        ("counsellor_a", 200, 404),
        ("administrator", 200, 200),
        ("director", 403, 403),
        ("coordinator", 403, 403),
        ("commune_agent", 403, 403),
        ("anonymous", 401, 401),
    ],
)
def test_people_partial_update_own_and_other_office(api, person_a, person_b, persona, own, other):
    client = api(persona)
    assert (
        client.patch(f"{PEOPLE}{person_a.pk}/", {"phone": "081 00 00 01"}, format="json").status_code == own
    )
    assert (
        client.patch(f"{PEOPLE}{person_b.pk}/", {"phone": "081 00 00 02"}, format="json").status_code == other
    )
    person_a.refresh_from_db()
    person_b.refresh_from_db()
    assert (person_a.phone == "081 00 00 01") == (own == 200)
    assert (person_b.phone == "081 00 00 02") == (other == 200)


def test_people_full_update_goes_through_the_service(api, person_a, office_a):
    payload = person_payload(
        office_a, first_name="Yara", last_name="Haddad-Nasser", national_number="", sex="F"
    )
    payload["birth_date"] = person_a.birth_date.isoformat()
    response = api("counsellor_a").put(f"{PEOPLE}{person_a.pk}/", payload, format="json")
    assert response.status_code == 200, response.json()
    person_a.refresh_from_db()
    assert person_a.last_name == "Haddad-Nasser"
    assert person_a.search_text == "yara haddad nasser"


def test_counsellor_cannot_move_a_file_to_another_office(api, person_a, office_a, office_b):
    response = api("counsellor_a").patch(f"{PEOPLE}{person_a.pk}/", {"office": office_b.pk}, format="json")
    assert response.status_code == 400
    assert "office" in response.json()
    person_a.refresh_from_db()
    assert person_a.office == office_a


@pytest.mark.parametrize("persona", ["counsellor_a", "administrator", "director"])
def test_people_cannot_be_deleted(api, person_a, persona):
    response = api(persona).delete(f"{PEOPLE}{person_a.pk}/")
    assert response.status_code == (403 if persona == "director" else 405)
    assert Person.objects.filter(pk=person_a.pk).exists()


# --- people: bad input ----------------------------------------------------------------------


def test_person_create_with_missing_fields_names_each_field_in_french(api):
    response = api("counsellor_a").post(PEOPLE, {}, format="json")
    assert response.status_code == 400
    body = response.json()
    for field in ("last_name", "first_name", "sex", "nationality", "office"):
        assert body[field] == ["Ce champ est obligatoire."]
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"national_number": "85073003329"}, "national_number", "chiffres de contrôle"),
        ({"national_number": "1234"}, "national_number", "11 chiffres"),
        ({"national_number": VALID_NN, "birth_date": "1985-07-31"}, "national_number", "date de naissance"),
        ({"birth_date": "2999-01-01"}, "birth_date", "futur"),
        ({"arrival_date": "2999-01-01"}, "arrival_date", "futur"),
        ({"office": 999999}, "office", "n'existe pas"),
        ({"commune": 999999}, "commune", "n'existe pas"),
        ({"first_name": "x" * 6000}, "first_name", "au plus 100 caractères"),
        ({"household_notes": "x" * 6000}, "household_notes", "au plus 2000 caractères"),
        ({"nationality": "ZZ"}, "nationality", "n'est pas un choix valide"),
        ({"sex": "Q"}, "sex", "n'est pas un choix valide"),
        ({"languages": ["klingon"]}, "languages", "n'existe pas"),
    ],
)
def test_person_create_refuses_bad_input_with_a_french_message_on_the_field(
    api, office_a, overrides, field, message
):
    payload = {**person_payload(office_a), **overrides}
    response = api("counsellor_a").post(PEOPLE, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body, body
    assert message in messages(body, field)
    assert not Person.objects.exists()


def test_person_update_with_a_wrong_number_saves_nothing(api, person_a):
    response = api("counsellor_a").patch(
        f"{PEOPLE}{person_a.pk}/", {"national_number": "85073003329"}, format="json"
    )
    assert response.status_code == 400
    assert "chiffres de contrôle" in response.json()["national_number"][0]
    person_a.refresh_from_db()
    assert person_a.national_number is None


def test_a_number_already_on_file_is_refused(api, office_a, office_b):
    PersonFactory(office=office_b, national_number="85073003328", sex="M")
    response = api("counsellor_a").post(
        PEOPLE, person_payload(office_a, national_number=VALID_NN), format="json"
    )
    assert response.status_code == 400
    assert "national_number" in response.json()
    assert Person.objects.count() == 1


# --- people: search (POST, numbers never in a URL) --------------------------------------------


def test_search_finds_a_misspelled_name_in_the_callers_offices_only(api, person_a, person_b):
    response = api("counsellor_a").post(f"{PEOPLE}search/", {"q": "yara hadad"}, format="json")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [person_a.pk]


def test_search_by_national_number_is_a_post(api, office_a):
    person = PersonFactory(
        office=office_a, national_number="85073003328", birth_date=dt.date(1985, 7, 30), sex="M"
    )
    client = api("counsellor_a")
    response = client.post(f"{PEOPLE}search/", {"q": VALID_NN}, format="json")
    assert [row["id"] for row in response.json()] == [person.pk]
    assert client.get(f"{PEOPLE}search/", {"q": VALID_NN}).status_code == 405


def test_the_list_ignores_a_national_number_in_the_query_string(api, person_a, office_a):
    other = PersonFactory(
        office=office_a, national_number="85073003328", birth_date=dt.date(1985, 7, 30), sex="M"
    )
    response = api("counsellor_a").get(PEOPLE, {"national_number": "85073003328"})
    assert ids(response) == {person_a.pk, other.pk}  # no filtering on a number


@pytest.mark.parametrize(
    ("persona", "status", "found"),
    [
        ("counsellor_a", 200, {"a"}),
        ("counsellor_b", 200, {"b"}),
        ("director", 200, {"a", "b"}),
        ("administrator", 200, {"a", "b"}),
        ("coordinator", 403, None),
        ("commune_agent", 403, None),
        ("anonymous", 401, None),
    ],
)
def test_search_by_role(api, person_a, person_b, persona, status, found):
    response = api(persona).post(f"{PEOPLE}search/", {"q": "Haddad Yara"}, format="json")
    assert response.status_code == status
    if found is not None:
        assert {row["id"] for row in response.json()} == {{"a": person_a, "b": person_b}[k].pk for k in found}


def test_search_without_a_query_names_the_field(api):
    response = api("counsellor_a").post(f"{PEOPLE}search/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["q"] == ["Ce champ est obligatoire."]


# --- people: filters, pagination, session + CSRF ---------------------------------------------


def test_people_filters_and_ordering_are_the_shared_filterset(api, office_a, office_b):
    belgian = PersonFactory(office=office_a, nationality="BE", last_name="Zeller")
    syrian = PersonFactory(office=office_a, nationality="SY", last_name="Abadi")
    PersonFactory(office=office_b, nationality="BE")
    client = api("director")
    assert ids(client.get(PEOPLE, {"office": office_a.pk})) == {belgian.pk, syrian.pk}
    assert ids(client.get(PEOPLE, {"office": office_a.pk, "origin_group": "belges"})) == {belgian.pk}
    ordered = client.get(PEOPLE, {"office": office_a.pk, "ordering": "-nom"}).json()["results"]
    assert [row["id"] for row in ordered] == [belgian.pk, syrian.pk]
    bad = client.get(PEOPLE, {"office": 999999})
    assert bad.status_code == 400
    assert "office" in bad.json()


def test_people_list_paginates(api, office_a):
    PersonFactory.create_batch(3, office=office_a)
    body = api("counsellor_a").get(PEOPLE, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


def test_session_clients_must_send_the_csrf_token(counsellor_a, office_a):
    client = signed_in_client(counsellor_a, enforce_csrf_checks=True)
    refused = client.post(PEOPLE, person_payload(office_a), content_type="application/json")
    assert refused.status_code == 403
    assert not Person.objects.exists()
    secret = "a" * 32
    client.cookies["csrftoken"] = secret
    accepted = client.post(
        PEOPLE, person_payload(office_a), content_type="application/json", HTTP_X_CSRFTOKEN=secret
    )
    assert accepted.status_code == 201
    assert Person.objects.count() == 1


# --- appointments: the permission matrix ------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "visible"),
    [
        ("counsellor_a", 200, {"a"}),
        ("counsellor_b", 200, {"b"}),
        ("director", 200, {"a", "b"}),
        ("administrator", 200, {"a", "b"}),
        ("coordinator", 403, None),
        ("commune_agent", 403, None),
        ("anonymous", 401, None),
    ],
)
def test_appointments_list_is_scoped(api, appointment_a, appointment_b, persona, status, visible):
    response = api(persona).get(APPOINTMENTS)
    assert response.status_code == status
    if visible is not None:
        assert ids(response) == {{"a": appointment_a, "b": appointment_b}[k].pk for k in visible}


@pytest.mark.parametrize(
    ("persona", "own", "other"),
    [
        ("counsellor_a", 200, 404),
        ("counsellor_b", 404, 200),
        ("director", 200, 200),
        ("administrator", 200, 200),
        ("coordinator", 403, 403),
        ("commune_agent", 403, 403),
        ("anonymous", 401, 401),
    ],
)
def test_appointments_retrieve_own_and_other_office(api, appointment_a, appointment_b, persona, own, other):
    client = api(persona)
    assert client.get(f"{APPOINTMENTS}{appointment_a.pk}/").status_code == own
    assert client.get(f"{APPOINTMENTS}{appointment_b.pk}/").status_code == other


def test_appointment_shows_request_types_as_codes(api, appointment_a):
    body = api("counsellor_a").get(f"{APPOINTMENTS}{appointment_a.pk}/").json()
    assert body["request_types"] == ["parcours"]
    assert body["person"] == appointment_a.person_id


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("counsellor_a", 201),
        ("administrator", 201),
        ("counsellor_b", 400),  # the person is not theirs: "n'existe pas", as for a missing id
        ("director", 403),
        ("coordinator", 403),
        ("commune_agent", 403),
        ("anonymous", 401),
    ],
)
def test_appointments_create_by_role(api, person_a, persona, status):
    response = api(persona).post(APPOINTMENTS, appointment_payload(person_a), format="json")
    assert response.status_code == status
    assert Appointment.objects.count() == (1 if status == 201 else 0)


def test_appointment_created_through_the_api_has_its_request_types_and_counsellor(
    api, person_a, counsellor_a
):
    response = api("counsellor_a").post(APPOINTMENTS, appointment_payload(person_a), format="json")
    assert response.status_code == 201
    appointment = Appointment.objects.get(pk=response.json()["id"])
    assert set(appointment.request_types.values_list("code", flat=True)) == {"parcours", "logement"}
    assert appointment.counsellor == counsellor_a
    assert appointment.duration_minutes == 45
    assert sorted(response.json()["request_types"]) == ["logement", "parcours"]


def test_out_of_scope_and_missing_person_get_the_same_answer(api, person_b):
    client = api("counsellor_a")
    out_of_scope = client.post(APPOINTMENTS, appointment_payload(person_b), format="json")
    missing = client.post(APPOINTMENTS, {**appointment_payload(person_b), "person": 999999}, format="json")
    assert out_of_scope.status_code == missing.status_code == 400
    assert "n'existe pas" in out_of_scope.json()["person"][0]
    assert out_of_scope.json()["person"][0].replace(str(person_b.pk), "") == missing.json()["person"][
        0
    ].replace("999999", "")
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("persona", "own", "other"),
    [
        ("counsellor_a", 200, 404),
        ("administrator", 200, 200),
        ("director", 403, 403),
        ("coordinator", 403, 403),
        ("commune_agent", 403, 403),
        ("anonymous", 401, 401),
    ],
)
def test_appointments_update_own_and_other_office(api, appointment_a, appointment_b, persona, own, other):
    client = api(persona)
    assert (
        client.patch(
            f"{APPOINTMENTS}{appointment_a.pk}/", {"duration_minutes": 50}, format="json"
        ).status_code
        == own
    )
    assert (
        client.patch(
            f"{APPOINTMENTS}{appointment_b.pk}/", {"duration_minutes": 55}, format="json"
        ).status_code
        == other
    )
    appointment_a.refresh_from_db()
    appointment_b.refresh_from_db()
    assert (appointment_a.duration_minutes == 50) == (own == 200)
    assert (appointment_b.duration_minutes == 55) == (other == 200)


def test_appointment_update_replaces_the_request_types(api, appointment_a):
    response = api("counsellor_a").patch(
        f"{APPOINTMENTS}{appointment_a.pk}/", {"request_types": ["sante"]}, format="json"
    )
    assert response.status_code == 200
    assert list(appointment_a.request_types.values_list("code", flat=True)) == ["sante"]


@pytest.mark.parametrize(
    ("persona", "own", "other"),
    [
        ("counsellor_a", 204, 404),
        ("director", 403, 403),
        ("coordinator", 403, 403),
        ("commune_agent", 403, 403),
        ("anonymous", 401, 401),
    ],
)
def test_appointments_delete_own_and_other_office(api, appointment_a, appointment_b, persona, own, other):
    client = api(persona)
    assert client.delete(f"{APPOINTMENTS}{appointment_b.pk}/").status_code == other
    assert client.delete(f"{APPOINTMENTS}{appointment_a.pk}/").status_code == own
    assert Appointment.objects.filter(pk=appointment_a.pk).exists() == (own != 204)
    assert Appointment.objects.filter(pk=appointment_b.pk).exists()


def test_administrator_may_delete_any_appointment(api, appointment_b):
    assert api("administrator").delete(f"{APPOINTMENTS}{appointment_b.pk}/").status_code == 204
    assert not Appointment.objects.exists()


# --- appointments: confidential notes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "shown"), [("counsellor_a", True), ("director", False), ("administrator", False)]
)
def test_confidential_notes_only_for_the_counsellors_of_the_office(api, appointment_a, persona, shown):
    client = api(persona)
    detail = client.get(f"{APPOINTMENTS}{appointment_a.pk}/").json()
    listed = client.get(APPOINTMENTS).json()["results"][0]
    for body in (detail, listed):
        assert ("confidential_notes" in body) == shown
        assert ("Secret A" in str(body)) == shown


def test_only_the_office_counsellors_may_write_confidential_notes(api, appointment_a):
    response = api("administrator").patch(
        f"{APPOINTMENTS}{appointment_a.pk}/", {"confidential_notes": "Écrasé"}, format="json"
    )
    assert response.status_code == 400
    assert "confidential_notes" in response.json()
    appointment_a.refresh_from_db()
    assert appointment_a.confidential_notes == "Secret A"


def test_an_empty_confidential_note_from_an_outsider_erases_nothing(api, appointment_a):
    response = api("administrator").patch(
        f"{APPOINTMENTS}{appointment_a.pk}/",
        {"confidential_notes": "", "duration_minutes": 40},
        format="json",
    )
    assert response.status_code == 200
    appointment_a.refresh_from_db()
    assert appointment_a.confidential_notes == "Secret A"
    assert appointment_a.duration_minutes == 40


def test_office_counsellor_writes_confidential_notes(api, person_a):
    payload = appointment_payload(person_a, confidential_notes="Situation familiale difficile")
    response = api("counsellor_a").post(APPOINTMENTS, payload, format="json")
    assert response.status_code == 201
    assert response.json()["confidential_notes"] == "Situation familiale difficile"
    assert Appointment.objects.get().confidential_notes == "Situation familiale difficile"


# --- appointments: bad input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"request_types": []}, "request_types", "au moins un type de demande"),
        ({"request_types": ["inconnu"]}, "request_types", "n'existe pas"),
        ({"starts_at": ""}, "starts_at", "format"),
        ({"duration_minutes": 0}, "duration_minutes", "supérieure ou égale à 1"),
        ({"duration_minutes": 601}, "duration_minutes", "inférieure ou égale à 600"),
        ({"office": 999999}, "office", "n'existe pas"),
        ({"office": None, "place_other": ""}, "office", "autre lieu"),
        ({"notes": "x" * 6000}, "notes", "au plus 5000 caractères"),
        ({"interpreter_language": "ar"}, "interpreter_service", "service d'interprétation"),
        (
            {"interpreter_language": "zz-inconnu", "interpreter_service": "setis"},
            "interpreter_language",
            "n'existe pas",
        ),
        ({"mode": "pigeon"}, "mode", "n'est pas un choix valide"),
    ],
)
def test_appointment_create_refuses_bad_input_with_a_french_message(api, person_a, overrides, field, message):
    response = api("counsellor_a").post(
        APPOINTMENTS, appointment_payload(person_a, **overrides), format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert field in body, body
    assert message in messages(body, field)
    assert not Appointment.objects.exists()


def test_appointment_create_without_fields_names_them(api):
    response = api("counsellor_a").post(APPOINTMENTS, {}, format="json")
    assert response.status_code == 400
    body = response.json()
    for field in ("person", "starts_at", "request_types"):
        assert body[field] == ["Ce champ est obligatoire."]


# --- reference data -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("counsellor_a", 200),
        ("coordinator", 200),
        ("director", 200),
        ("administrator", 200),
        ("commune_agent", 403),
        ("anonymous", 401),
    ],
)
def test_offices_and_request_types_are_for_the_staff(api, persona, status):
    client = api(persona)
    assert client.get("/api/offices/").status_code == status
    assert client.get("/api/request-types/").status_code == status
    assert client.get("/api/request-types/parcours/").status_code == status


def test_offices_include_their_permanence_rules(api, office_b):
    body = api("coordinator").get("/api/offices/").json()
    assert body["count"] == 8
    dinant = next(row for row in body["results"] if row["slug"] == "dinant")
    thursdays = [rule for rule in dinant["permanence_rules"] if rule["weekday"] == 3]
    assert {rule["nth"] for rule in thursdays} == {2, 4}
    assert "jeudi" in thursdays[0]["description"]
    assert set(dinant["communes"]) == set(office_b.communes.values_list("pk", flat=True))


def test_request_types_are_listed_by_code(api):
    body = api("counsellor_a").get("/api/request-types/", {"page_size": 200}).json()
    assert {"parcours", "logement"} <= {row["code"] for row in body["results"]}
    assert body["count"] == RequestType.objects.count()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("commune_agent", {"Namur"}), ("commune_agent_other", {"Dinant"}), ("anonymous", None)],
)
def test_commune_agents_see_only_their_communes(api, persona, expected):
    response = api(persona).get("/api/communes/")
    if expected is None:
        assert response.status_code == 401
        return
    assert {row["name"] for row in response.json()["results"]} == expected


def test_commune_agent_cannot_open_another_commune(api, commune_agent_other):
    from tests.factories import commune

    client = api("commune_agent")
    assert client.get(f"/api/communes/{commune('Namur').pk}/").status_code == 200
    assert client.get(f"/api/communes/{commune('Dinant').pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["counsellor_a", "coordinator", "director", "administrator"])
def test_staff_see_every_commune_with_its_postal_codes(api, persona):
    body = api(persona).get("/api/communes/", {"page_size": 200}).json()
    assert body["count"] == 38
    namur = next(row for row in body["results"] if row["name"] == "Namur")
    assert namur["nis_code"] == "92094"
    assert namur["main_postal_code"] in namur["postal_codes"]


@pytest.mark.parametrize("url", ["/api/offices/", "/api/communes/", "/api/request-types/"])
def test_reference_data_is_read_only(api, url):
    assert api("administrator").post(url, {"name": "X"}, format="json").status_code == 405


# --- query budgets --------------------------------------------------------------------------

LIST_BUDGET = 8


def _people_with_appointments(count, office, counsellor):
    arabic, french = Language.objects.get(code="ar"), Language.objects.get(code="fr")
    for person in PersonFactory.create_batch(count, office=office, interpreter_language=arabic):
        person.languages.set([arabic, french])
        AppointmentFactory(
            person=person, counsellor=counsellor, interpreter_language=arabic, interpreter_service="setis"
        )


@pytest.mark.parametrize("rows", [3, 40])
def test_people_list_query_count_does_not_grow_with_rows(
    api, office_a, counsellor_a, django_assert_max_num_queries, rows
):
    _people_with_appointments(rows, office_a, counsellor_a)
    client = api("counsellor_a")
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(PEOPLE)
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows
    assert all(row["languages"] for row in response.json()["results"])


@pytest.mark.parametrize("rows", [3, 40])
def test_appointments_list_query_count_does_not_grow_with_rows(
    api, office_a, counsellor_a, django_assert_max_num_queries, rows
):
    _people_with_appointments(rows, office_a, counsellor_a)
    client = api("counsellor_a")
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(APPOINTMENTS)
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows
    assert all("confidential_notes" in row for row in response.json()["results"])


@pytest.mark.parametrize("rows", [3, 40])
def test_search_query_count_does_not_grow_with_rows(
    api, office_a, counsellor_a, django_assert_max_num_queries, rows
):
    arabic = Language.objects.get(code="ar")
    for person in PersonFactory.create_batch(
        rows, office=office_a, last_name="Haddad", interpreter_language=arabic
    ):
        person.languages.set([arabic])
    client = api("counsellor_a")
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.post(f"{PEOPLE}search/", {"q": "Haddad"}, format="json")
    assert len(response.json()) == rows


@pytest.mark.parametrize("persona", ["coordinator", "director"])
def test_offices_list_query_count_is_fixed(api, django_assert_max_num_queries, persona):
    client = api(persona)
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get("/api/offices/")
    assert response.json()["count"] == 8
