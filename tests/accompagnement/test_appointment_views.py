"""The appointment pages: who may do what, logging an appointment (defaults, every bad input refused
with a French message on its field), the list (filters, sorting, fragment, query budget), the detail
(confidential notes), editing and deleting."""

import datetime as dt
import html
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accompagnement.models import Appointment, EsfActionType, Language, RequestType
from tests.conftest import PERSONAS
from tests.factories import AppointmentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("accompagnement:appointment_list")
CREATE_URL = reverse("accompagnement:appointment_create")


def create_url(person=None):
    return f"{CREATE_URL}?personne={person.pk}" if person else CREATE_URL


def detail_url(appointment):
    return reverse("accompagnement:appointment_detail", args=[appointment.pk])


def update_url(appointment):
    return reverse("accompagnement:appointment_update", args=[appointment.pk])


def delete_url(appointment):
    return reverse("accompagnement:appointment_delete", args=[appointment.pk])


def request_type(code):
    return RequestType.objects.get(code=code)


def text(response) -> str:
    """The page as a reader sees it (entities such as &#x27; unescaped)."""
    return html.unescape(response.content.decode())


@pytest.fixture
def arabic():
    return Language.objects.get(code="ar")


@pytest.fixture
def person_a(office_a, arabic):
    return PersonFactory(
        first_name="Yara",
        last_name="Haddad",
        office=office_a,
        interpreter_needed=True,
        interpreter_language=arabic,
    )


@pytest.fixture
def person_b(office_b):
    return PersonFactory(first_name="Omar", last_name="Kassem", office=office_b)


@pytest.fixture
def appointment_a(person_a, counsellor_a):
    return AppointmentFactory(
        person=person_a,
        counsellor=counsellor_a,
        notes="A apporté sa carte A.",
        confidential_notes="Secret médical XYZ",
    )


@pytest.fixture
def appointment_b(person_b, counsellor_b):
    return AppointmentFactory(person=person_b, counsellor=counsellor_b)


def form_data(office, /, **overrides) -> dict:
    """What a counsellor submits for a valid appointment: two request types and an interpreter."""
    data = {
        "starts_at": "2026-03-05T10:15",
        "duration_minutes": "45",
        "office": str(office.pk),
        "place_other": "",
        "mode": "in_person",
        "interpreter_language": str(Language.objects.get(code="ar").pk),
        "interpreter_service": "setis",
        "request_types": [str(request_type("parcours").pk), str(request_type("logement").pk)],
        "esf_action_type": "",
        "notes": "Premier entretien.",
        "confidential_notes": "",
    }
    data.update(overrides)
    return data


def with_counsellor(data, user):
    return {**data, "counsellor": str(user.pk)}


def assert_redirects_to_login(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


# --- Permission matrix -------------------------------------------------------------------------

WRITERS = {"counsellor_a": 200, "counsellor_b": 404, "administrator": 200}
NOT_WRITERS = {"coordinator": 403, "director": 403, "commune_agent": 403, "anonymous": 302}
READERS_OF_A = {"counsellor_a": 200, "counsellor_b": 404, "director": 200, "administrator": 200}
NOT_READERS = {"coordinator": 403, "commune_agent": 403, "anonymous": 302}


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_page_with_a_person_answers_by_role_and_scope(persona, persona_client, person_a):
    response = persona_client(persona).get(create_url(person_a))
    assert response.status_code == {**WRITERS, **NOT_WRITERS}[persona]
    if persona == "anonymous":
        assert_redirects_to_login(response)


def test_counsellor_cannot_open_the_create_page_for_a_person_of_another_office(login, counsellor_a, person_b):
    assert login(counsellor_a).get(create_url(person_b)).status_code == 404


def test_create_page_with_a_malformed_person_id_answers_404(login, counsellor_a):
    assert login(counsellor_a).get(f"{CREATE_URL}?personne=abc").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_post_answers_by_role_and_saves_only_for_writers_in_scope(
    persona, persona_client, request, person_a, office_a
):
    client = persona_client(persona)
    data = form_data(office_a)
    if persona in {"counsellor_a", "counsellor_b", "administrator"}:
        data = with_counsellor(data, request.getfixturevalue(persona))
    response = client.post(create_url(person_a), data)
    status = {"counsellor_a": 302, "counsellor_b": 404, "administrator": 302, **NOT_WRITERS}[persona]
    assert response.status_code == status
    saved = Appointment.objects.filter(person=person_a).count()
    assert saved == (1 if persona in {"counsellor_a", "administrator"} else 0)
    if persona == "anonymous":
        assert_redirects_to_login(response)


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_answers_by_role(persona, persona_client, appointment_a):
    response = persona_client(persona).get(LIST_URL)
    assert (
        response.status_code
        == {
            "counsellor_a": 200,
            "counsellor_b": 200,
            "director": 200,
            "administrator": 200,
            **NOT_READERS,
        }[persona]
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_detail_answers_by_role_and_scope(persona, persona_client, appointment_a):
    response = persona_client(persona).get(detail_url(appointment_a))
    assert response.status_code == {**READERS_OF_A, **NOT_READERS}[persona]
    if response.status_code == 200:
        assert "HADDAD Yara" in text(response)


def test_detail_of_a_missing_appointment_answers_404_like_out_of_scope(login, counsellor_a):
    assert (
        login(counsellor_a).get(reverse("accompagnement:appointment_detail", args=[999999])).status_code
        == 404
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_update_page_answers_by_role_and_scope(persona, persona_client, appointment_a):
    response = persona_client(persona).get(update_url(appointment_a))
    assert response.status_code == {**WRITERS, **NOT_WRITERS}[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_answers_by_role_and_deletes_only_for_writers_in_scope(persona, persona_client, appointment_a):
    response = persona_client(persona).post(delete_url(appointment_a))
    status = {"counsellor_a": 302, "counsellor_b": 404, "administrator": 302, **NOT_WRITERS}[persona]
    assert response.status_code == status
    still_there = Appointment.objects.filter(pk=appointment_a.pk).exists()
    assert still_there == (persona not in {"counsellor_a", "administrator"})


def test_director_cannot_post_an_update(login, director, appointment_a, office_a):
    response = login(director).post(update_url(appointment_a), with_counsellor(form_data(office_a), director))
    assert response.status_code == 403
    appointment_a.refresh_from_db()
    assert appointment_a.duration_minutes == 30


# --- Logging an appointment --------------------------------------------------------------------


def test_create_form_offers_the_defaults_for_a_quick_entry(login, counsellor_a, person_a, office_a, arabic):
    response = login(counsellor_a).get(create_url(person_a))
    form = response.context["form"]
    starts_at = form.initial["starts_at"]
    assert starts_at.minute % 15 == 0
    assert abs(starts_at - timezone.localtime()) <= dt.timedelta(minutes=8)
    assert form.initial["duration_minutes"] == 30
    assert form.initial["mode"] == "in_person"
    assert form.initial["counsellor"] == counsellor_a.pk
    assert form.initial["office"] == office_a.pk
    assert form.initial["interpreter_language"] == arabic.pk
    assert "person" not in form.fields  # the person comes from the URL
    body = text(response)
    assert 'type="datetime-local"' in body
    assert "Besoin d'un interprète : arabe" in body


def test_create_saves_one_appointment_with_two_request_types_and_the_interpreter(
    login, counsellor_a, person_a, office_a, arabic
):
    response = login(counsellor_a).post(
        create_url(person_a), with_counsellor(form_data(office_a), counsellor_a)
    )
    assert response.status_code == 302
    assert response["Location"] == person_a.get_absolute_url()
    appointment = Appointment.objects.get()
    assert appointment.person == person_a
    assert appointment.counsellor == counsellor_a
    assert appointment.office == office_a
    assert timezone.localtime(appointment.starts_at).strftime("%d/%m/%Y %H:%M") == "05/03/2026 10:15"
    assert appointment.duration_minutes == 45
    assert appointment.interpreter_language == arabic
    assert appointment.interpreter_service == "setis"
    assert set(appointment.request_types.values_list("code", flat=True)) == {"parcours", "logement"}
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Rendez-vous du 05/03/2026 à 10:15 enregistré."]


def test_create_posts_with_the_csrf_token_of_the_form(login, counsellor_a, person_a, office_a):
    client = login(counsellor_a, enforce_csrf_checks=True)
    page = client.get(create_url(person_a))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    refused = client.post(create_url(person_a), with_counsellor(form_data(office_a), counsellor_a))
    assert refused.status_code == 403
    data = {**with_counsellor(form_data(office_a), counsellor_a), "csrfmiddlewaretoken": token}
    assert client.post(create_url(person_a), data).status_code == 302
    assert Appointment.objects.count() == 1


BAD_INPUTS = [
    ({"request_types": []}, "request_types", "Choisissez au moins un type de demande."),
    ({"starts_at": ""}, "starts_at", "Indiquez la date et l'heure du rendez-vous."),
    ({"starts_at": "2026-03-05"}, "starts_at", "La date et l'heure du rendez-vous ne sont pas valides"),
    ({"starts_at": "0202-03-05T10:00"}, "starts_at", "La date du rendez-vous doit se situer entre 2000 et"),
    ({"duration_minutes": "0"}, "duration_minutes", "La durée doit être comprise entre 1 et 600 minutes."),
    ({"duration_minutes": "601"}, "duration_minutes", "La durée doit être comprise entre 1 et 600 minutes."),
    (
        {"duration_minutes": "une heure"},
        "duration_minutes",
        "La durée doit être un nombre entier de minutes.",
    ),
    ({"office": "999999"}, "office", "Ce bureau n'existe pas ou ne fait pas partie de vos bureaux."),
    ({"office": "", "place_other": ""}, "office", "Indiquez le bureau ou un autre lieu."),
    ({"notes": "x" * 6000}, "notes", "Les notes ne peuvent dépasser 5000 caractères (actuellement 6000)."),
    (
        {"confidential_notes": "x" * 6000},
        "confidential_notes",
        "Les notes confidentielles ne peuvent dépasser 5000",
    ),
    ({"place_other": "x" * 151}, "place_other", "L'autre lieu ne peut dépasser 150 caractères."),
    (
        {"interpreter_service": ""},
        "interpreter_service",
        "Indiquez le service d'interprétation (SeTIS ou autre).",
    ),
    ({"interpreter_language": ""}, "interpreter_language", "Indiquez la langue d'interprétation."),
    (
        {"interpreter_language": "999999"},
        "interpreter_language",
        "Choisissez une langue d'interprétation de la liste.",
    ),
    ({"mode": "pigeon"}, "mode", "Choisissez un mode de rendez-vous de la liste."),
    ({"request_types": ["999999"]}, "request_types", "Ce type de demande n'existe pas."),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUTS)
def test_bad_input_saves_nothing_and_shows_a_french_message_on_the_field(
    login, counsellor_a, person_a, office_a, overrides, field, message
):
    data = with_counsellor(form_data(office_a, **overrides), counsellor_a)
    response = login(counsellor_a).post(create_url(person_a), data)
    assert response.status_code == 200
    assert Appointment.objects.count() == 0
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in error for error in errors[field]), errors[field]
    assert message in text(response)


def test_counsellor_cannot_log_an_appointment_at_another_office(login, counsellor_a, person_a, office_b):
    response = login(counsellor_a).post(
        create_url(person_a), with_counsellor(form_data(office_b), counsellor_a)
    )
    assert response.status_code == 200
    assert "office" in response.context["form"].errors
    assert Appointment.objects.count() == 0


def test_counsellor_cannot_pick_a_colleague_of_another_office(
    login, counsellor_a, counsellor_b, person_a, office_a
):
    response = login(counsellor_a).post(
        create_url(person_a), with_counsellor(form_data(office_a), counsellor_b)
    )
    assert response.context["form"].errors["counsellor"] == [
        "Choisissez un·e accompagnateur·rice de vos bureaux."
    ]
    assert Appointment.objects.count() == 0


def test_another_place_instead_of_an_office_is_accepted(login, counsellor_a, person_a, office_a):
    data = with_counsellor(form_data(office_a, office="", place_other="CPAS de Jambes"), counsellor_a)
    assert login(counsellor_a).post(create_url(person_a), data).status_code == 302
    assert Appointment.objects.get().place_other == "CPAS de Jambes"


def test_without_a_person_in_the_url_the_select_offers_only_people_of_my_offices(
    login, counsellor_a, person_a, person_b, office_a
):
    client = login(counsellor_a)
    form = client.get(CREATE_URL).context["form"]
    assert list(form.fields["person"].queryset) == [person_a]
    assert form.initial["office"] == office_a.pk  # a counsellor of a single office

    refused = client.post(
        CREATE_URL, {**with_counsellor(form_data(office_a), counsellor_a), "person": person_b.pk}
    )
    assert refused.context["form"].errors["person"] == ["Choisissez une personne suivie par vos bureaux."]
    accepted = client.post(
        CREATE_URL, {**with_counsellor(form_data(office_a), counsellor_a), "person": person_a.pk}
    )
    assert accepted.status_code == 302
    assert list(Appointment.objects.values_list("person_id", flat=True)) == [person_a.pk]


def test_administrator_logs_an_appointment_without_seeing_confidential_notes(
    login, administrator, person_a, office_a
):
    client = login(administrator)
    assert "confidential_notes" not in client.get(create_url(person_a)).context["form"].fields
    data = with_counsellor(form_data(office_a, confidential_notes="ignored"), administrator)
    assert client.post(create_url(person_a), data).status_code == 302
    assert Appointment.objects.get().confidential_notes == ""


# --- Detail, update, delete --------------------------------------------------------------------


def test_confidential_notes_show_only_to_counsellors_of_the_persons_office(
    login, counsellor_a, director, administrator, appointment_a
):
    assert "Secret médical XYZ" in text(login(counsellor_a).get(detail_url(appointment_a)))
    for reader in (director, administrator):
        body = text(login(reader).get(detail_url(appointment_a)))
        assert "A apporté sa carte A." in body
        assert "Secret médical XYZ" not in body


def test_director_reads_the_detail_without_edit_buttons(login, director, appointment_a):
    body = text(login(director).get(detail_url(appointment_a)))
    assert update_url(appointment_a) not in body
    assert delete_url(appointment_a) not in body


def test_update_changes_the_appointment_and_its_request_types(login, counsellor_a, appointment_a, office_a):
    client = login(counsellor_a)
    form = client.get(update_url(appointment_a)).context["form"]
    assert form.initial["confidential_notes"] == "Secret médical XYZ"
    data = with_counsellor(
        form_data(office_a, duration_minutes="60", request_types=[str(request_type("sante").pk)]),
        counsellor_a,
    )
    response = client.post(update_url(appointment_a), data)
    assert response.status_code == 302
    assert response["Location"] == detail_url(appointment_a)
    appointment_a.refresh_from_db()
    assert appointment_a.duration_minutes == 60
    assert list(appointment_a.request_types.values_list("code", flat=True)) == ["sante"]


def test_update_with_bad_input_changes_nothing(login, counsellor_a, appointment_a, office_a):
    data = with_counsellor(form_data(office_a, duration_minutes="601"), counsellor_a)
    response = login(counsellor_a).post(update_url(appointment_a), data)
    assert response.status_code == 200
    assert "La durée doit être comprise entre 1 et 600 minutes." in text(response)
    appointment_a.refresh_from_db()
    assert appointment_a.duration_minutes == 30


def test_update_by_the_administrator_keeps_the_confidential_notes(
    login, administrator, appointment_a, office_a
):
    client = login(administrator)
    assert "confidential_notes" not in client.get(update_url(appointment_a)).context["form"].fields
    data = with_counsellor(form_data(office_a, confidential_notes="écrasé"), appointment_a.counsellor)
    assert client.post(update_url(appointment_a), data).status_code == 302
    appointment_a.refresh_from_db()
    assert appointment_a.confidential_notes == "Secret médical XYZ"
    assert appointment_a.duration_minutes == 45


def test_delete_asks_for_confirmation_then_returns_to_the_file(login, counsellor_a, appointment_a, person_a):
    client = login(counsellor_a)
    confirm = client.get(delete_url(appointment_a))
    assert confirm.status_code == 200
    assert "Supprimer le rendez-vous ?" in text(confirm)
    assert Appointment.objects.filter(pk=appointment_a.pk).exists()
    response = client.post(delete_url(appointment_a))
    assert response["Location"] == person_a.get_absolute_url()
    assert not Appointment.objects.filter(pk=appointment_a.pk).exists()


# --- The list ----------------------------------------------------------------------------------


def test_list_shows_my_offices_appointments_without_confidential_notes(
    login, counsellor_a, appointment_a, appointment_b
):
    response = login(counsellor_a).get(LIST_URL)
    assert list(response.context["appointments"]) == [appointment_a]
    body = text(response)
    assert "HADDAD Yara" in body
    assert "KASSEM" not in body
    assert "Secret médical XYZ" not in body


def test_list_filters_by_mode_and_sorts_by_person(login, counsellor_a, office_a):
    zoe = AppointmentFactory(person=PersonFactory(last_name="Zeller", office=office_a), mode="phone")
    anna = AppointmentFactory(person=PersonFactory(last_name="Abbas", office=office_a), mode="phone")
    AppointmentFactory(person=PersonFactory(last_name="Martin", office=office_a), mode="in_person")
    client = login(counsellor_a)
    assert list(client.get(LIST_URL, {"mode": "phone", "tri": "personne"}).context["appointments"]) == [
        anna,
        zoe,
    ]
    assert list(client.get(LIST_URL, {"mode": "phone", "tri": "-personne"}).context["appointments"]) == [
        zoe,
        anna,
    ]


def test_list_filters_my_own_appointments(login, counsellor_a, office_a):
    mine = AppointmentFactory(person=PersonFactory(office=office_a), counsellor=counsellor_a)
    AppointmentFactory(person=PersonFactory(office=office_a), counsellor=UserFactory(offices=[office_a]))
    response = login(counsellor_a).get(LIST_URL, {"counsellor": counsellor_a.pk})
    assert list(response.context["appointments"]) == [mine]


def test_list_paginates_by_25(login, counsellor_a, office_a):
    person = PersonFactory(office=office_a)
    AppointmentFactory.create_batch(30, person=person, counsellor=counsellor_a)
    client = login(counsellor_a)
    assert len(client.get(LIST_URL).context["appointments"]) == 25
    assert len(client.get(LIST_URL, {"page": 2}).context["appointments"]) == 5


def test_htmx_request_on_the_results_gets_the_fragment_only(login, counsellor_a, appointment_a):
    response = login(counsellor_a).get(
        LIST_URL, {"mode": "in_person"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="appointment-results"
    )
    body = text(response)
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="appointment-results"' in body
    assert "HADDAD Yara" in body


def test_list_empty_states_say_what_to_do_next(login, counsellor_a):
    client = login(counsellor_a)
    body = text(client.get(LIST_URL))
    assert "Aucun rendez-vous enregistré pour l'instant." in body
    assert reverse("accompagnement:person_list") in body
    filtered = text(client.get(LIST_URL, {"mode": "phone"}))
    assert "Aucun rendez-vous ne correspond à ces filtres." in filtered


def test_list_with_an_invalid_filter_answers_without_error(login, counsellor_a, appointment_a):
    response = login(counsellor_a).get(LIST_URL, {"date_from": "pas une date", "office": "abc"})
    assert response.status_code == 200
    assert list(response.context["appointments"]) == []
    assert "Certains filtres ne sont pas valides" in text(response)


def make_appointments(count, office, counsellor):
    esf = EsfActionType.objects.first()
    arabic = Language.objects.get(code="ar")
    for index in range(count):
        AppointmentFactory(
            person=PersonFactory(office=office),
            counsellor=counsellor if index % 2 else UserFactory(offices=[office]),
            interpreter_language=arabic,
            interpreter_service="setis",
            esf_action_type=esf,
            request_types=[request_type("parcours"), request_type("sante")],
        )


# Session, user, second factor and session save (6) + count, page, request types, filter choices (5).
LIST_QUERY_BUDGET = 12


@pytest.mark.parametrize("count", [3, 40])
def test_list_query_count_does_not_grow_with_the_rows(
    login, counsellor_a, office_a, django_assert_max_num_queries, count
):
    make_appointments(count, office_a, counsellor_a)
    client = login(counsellor_a)
    with django_assert_max_num_queries(LIST_QUERY_BUDGET):
        response = client.get(LIST_URL, {"tri": "personne"})
    assert len(response.context["appointments"]) == min(count, 25)


@pytest.mark.parametrize("count", [3, 40])
def test_detail_query_count_is_fixed(login, counsellor_a, office_a, django_assert_max_num_queries, count):
    make_appointments(count, office_a, counsellor_a)
    appointment = Appointment.objects.first()
    client = login(counsellor_a)
    with django_assert_max_num_queries(10):
        assert client.get(detail_url(appointment)).status_code == 200
