"""The trainings pages: who sees them, the catalogue and sessions lists (filters, sorting, empty
states, fixed query counts), the forms with their French messages, registrations with the waiting
list, attendance through HTMX, and the status changes."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from formations.choices import RegistrationStatus, SessionStatus
from formations.models import Registration, Trainer, Training, TrainingSession
from tests.conftest import signed_in_client
from tests.formations.conftest import (
    NEXT_YEAR,
    in_year,
    make_operator,
    make_registration,
    make_rich_sessions,
    make_session,
    make_training,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client(coordinator):
    return signed_in_client(coordinator)


def text(response) -> str:
    """The page's text with tags removed and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- Who sees the pages --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["counsellor_a", "commune_agent"])
def test_counsellors_and_commune_agents_are_refused_the_trainings(request, persona, training):
    client = signed_in_client(request.getfixturevalue(persona))
    assert client.get(reverse("formations:training_list")).status_code == 403
    assert client.get(reverse("formations:training_detail", args=[training.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(db):
    from django.test import Client

    response = Client().get(reverse("formations:training_list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


@pytest.mark.parametrize("persona", ["coordinator", "director", "administrator"])
def test_navigation_shows_formations_to_coordination_direction_and_administration(request, persona):
    response = signed_in_client(request.getfixturevalue(persona)).get(reverse("formations:training_list"))
    assert response.status_code == 200
    assert f'href="{reverse("formations:training_list")}"' in response.content.decode()


def test_navigation_hides_formations_from_counsellors(counsellor_a):
    response = signed_in_client(counsellor_a).get(reverse("accompagnement:person_list"))
    assert reverse("formations:training_list") not in response.content.decode()


def test_missing_training_answers_404(client):
    assert client.get(reverse("formations:training_detail", args=[999999])).status_code == 404


# --- The catalogue -------------------------------------------------------------------------------


def test_catalogue_filters_by_theme_catalogue_request_and_title(client, operator):
    make_training("Communication interculturelle", theme="Interculturalité")
    make_training("Déconstruire les préjugés", theme="Antiracisme")
    make_training("Ancienne formation", theme="Antiracisme", active=False)
    make_training("Accueillir à la commune", on_request_for=operator)
    url = reverse("formations:training_list")
    assert "Déconstruire" in text(client.get(url, {"theme": "Antiracisme", "active": "true"}))
    page = text(client.get(url, {"theme": "Antiracisme", "active": "true"}))
    assert "Communication" not in page and "Ancienne" not in page
    page = text(client.get(url, {"on_request": "true"}))
    assert "Accueillir à la commune" in page and "CPAS de Namur" in page and "Communication" not in page
    page = text(client.get(url, {"q": "préjugés"}))
    assert "1 formation" in page and "Déconstruire" in page


def test_catalogue_sorts_by_column(client):
    make_training("Bêta")
    make_training("Alpha")
    page = text(client.get(reverse("formations:training_list"), {"tri": "-titre"}))
    assert page.index("Bêta") < page.index("Alpha")


def test_catalogue_empty_states_say_what_to_do(client):
    url = reverse("formations:training_list")
    assert "Ajoutez une première formation" in text(client.get(url))
    make_training("Alpha")
    page = text(client.get(url, {"q": "zzz"}))
    assert "Aucune formation ne correspond à ces filtres." in page


def test_catalogue_htmx_request_answers_with_the_results_only(client, training):
    response = client.get(reverse("formations:training_list"), **HTMX)
    fragment = response.content.decode()
    assert 'id="training-results"' in fragment and "<html" not in fragment and training.title in fragment


def test_catalogue_invalid_filter_is_said_not_crashed(client, training):
    response = client.get(reverse("formations:training_list"), {"theme": "inconnu", "page": "999"})
    assert response.status_code == 200
    assert "Certains filtres ne sont pas valides" in text(response)


def test_training_is_added_through_the_form(client, operator):
    response = client.post(
        reverse("formations:training_create"),
        {"title": "Droit des étrangers", "theme": "Droit", "on_request_for": operator.pk, "active": "on"},
    )
    training = Training.objects.get()
    assert response.status_code == 302 and response["Location"] == training.get_absolute_url()
    assert (training.title, training.on_request_for) == ("Droit des étrangers", operator)


def test_training_form_refuses_bad_input_with_french_messages(client, operator):
    url = reverse("formations:training_create")
    page = text(client.post(url, {"title": ""}))
    assert "Indiquez le titre de la formation." in page
    page = text(client.post(url, {"title": "T", "on_request_for": 987654}))
    assert "Cette organisation ne figure pas dans le répertoire des opérateurs." in page
    page = text(client.post(url, {"title": "x" * 251}))
    assert "Le titre ne peut dépasser 250 caractères." in page
    page = text(
        client.post(url, {"title": "T", "on_request_for": operator.pk, "on_request_for_name": "Commune"})
    )
    assert "pas les deux" in page
    assert not Training.objects.exists()


def test_training_is_edited(client, training):
    response = client.post(
        reverse("formations:training_update", args=[training.pk]),
        {"title": "Communication interculturelle (2e éd.)", "theme": "Interculturalité"},
    )
    assert response.status_code == 302
    training.refresh_from_db()
    assert (training.title, training.active) == ("Communication interculturelle (2e éd.)", False)


def test_training_page_lists_its_sessions_with_places_and_trainers(client, training, director, operator):
    session = make_session(training, capacity=2)
    Trainer.objects.create(session=session, user=director)
    Trainer.objects.create(session=session, name="Aïcha Benali", operator=operator)
    make_registration(session, attended=True)
    make_registration(session, status=RegistrationStatus.WAITING)
    page = text(client.get(reverse("formations:training_detail", args=[training.pk])))
    assert "Diane Leroy" in page and "Aïcha Benali (CPAS de Namur)" in page
    assert "1 / 2" in page and "+1 en attente" in page


# --- Sessions ------------------------------------------------------------------------------------


def session_post(**overrides) -> dict:
    start = in_year(NEXT_YEAR, 3, 2)
    data = {
        "starts_at": local_input(start),
        "ends_at": local_input(start + dt.timedelta(hours=3)),
        "place": "Namur",
        "capacity": "12",
    }
    data.update(overrides)
    return data


def test_session_is_planned_through_the_form(client, training):
    response = client.post(reverse("formations:session_create", args=[training.pk]), session_post())
    session = TrainingSession.objects.get()
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert (session.training, session.capacity, session.status) == (training, 12, SessionStatus.PLANNED)
    assert timezone.localtime(session.starts_at) == in_year(NEXT_YEAR, 3, 2)


def test_session_form_refuses_no_date_and_an_end_before_the_start(client, training):
    url = reverse("formations:session_create", args=[training.pk])
    page = text(client.post(url, session_post(starts_at="")))
    assert "Indiquez la date et l'heure de début de la session." in page
    start = in_year(NEXT_YEAR, 3, 2, 14)
    page = text(
        client.post(
            url,
            session_post(starts_at=local_input(start), ends_at=local_input(start - dt.timedelta(hours=2))),
        )
    )
    assert "La fin doit suivre le début." in page
    page = text(client.post(url, session_post(place="", capacity="0")))
    assert "Indiquez le lieu de la session, ou cochez « En ligne »." in page
    assert "Indiquez au moins une place" in page
    page = text(client.post(url, session_post(starts_at="99999-01-01T10:00")))
    assert "Indiquez une date et une heure valides" in page
    assert not TrainingSession.objects.exists()


def test_session_of_a_missing_training_answers_404(client):
    assert client.get(reverse("formations:session_create", args=[999999])).status_code == 404


def test_trainer_of_an_unknown_organisation_is_refused_on_the_page(client, past_session):
    response = client.post(
        reverse("formations:trainer_add", args=[past_session.pk]),
        {"name": "Intervenant", "operator": "987654"},
    )
    assert response.status_code == 200
    assert "Cette organisation ne figure pas dans le répertoire des opérateurs." in text(response)
    assert not Trainer.objects.exists()


def test_trainers_are_added_and_removed(client, past_session, director, operator):
    url = reverse("formations:trainer_add", args=[past_session.pk])
    assert client.post(url, {"user": director.pk}).status_code == 302
    assert client.post(url, {"name": "Aïcha Benali", "operator": operator.pk}).status_code == 302
    page = text(client.get(past_session.get_absolute_url()))
    assert "Diane Leroy" in page and "Aïcha Benali" in page
    trainer = past_session.trainers.get(user=director)
    response = client.post(reverse("formations:trainer_remove", args=[past_session.pk, trainer.pk]))
    assert response.status_code == 302
    assert list(past_session.trainers.values_list("name", flat=True)) == ["Aïcha Benali"]


def test_a_trainer_of_another_session_cannot_be_removed_through_this_one(client, past_session, training):
    other = Trainer.objects.create(session=make_session(training), name="Autre")
    response = client.post(reverse("formations:trainer_remove", args=[past_session.pk, other.pk]))
    assert response.status_code == 404
    assert Trainer.objects.filter(pk=other.pk).exists()


def test_session_list_shows_places_against_capacity_and_attendance(client, past_session):
    make_registration(past_session, attended=True)
    make_registration(past_session)
    make_registration(past_session, status=RegistrationStatus.WAITING)
    page = text(client.get(reverse("formations:session_list")))
    assert "2 / 2" in page and "+1 en attente" in page


def test_session_list_filters_by_status_year_training_and_modality(client, training):
    other = make_training("Droit des étrangers")
    make_session(training, starts_at=in_year(NEXT_YEAR, 3, 2))
    make_session(other, starts_at=in_year(NEXT_YEAR, 5, 4), online=True, place="")
    make_session(other, starts_at=in_year(NEXT_YEAR - 2, 5, 4), status=SessionStatus.HELD)
    url = reverse("formations:session_list")
    assert "2 sessions" in text(client.get(url, {"year": NEXT_YEAR}))
    assert "1 session" in text(client.get(url, {"year": NEXT_YEAR, "modality": "en_ligne"}))
    assert "1 session" in text(client.get(url, {"status": "tenue"}))
    page = text(client.get(url, {"training": training.pk}))
    assert "1 session" in page and "Communication interculturelle" in page
    response = client.get(url, {"year": "99999"})
    assert response.status_code == 200 and "Certains filtres ne sont pas valides" in text(response)


def test_session_list_sorts_by_places_taken(client, training):
    busy = make_session(training, starts_at=in_year(NEXT_YEAR, 1, 10))
    for _ in range(3):
        make_registration(busy)
    make_session(make_training("Zèbre"), starts_at=in_year(NEXT_YEAR, 2, 10))
    page = text(client.get(reverse("formations:session_list"), {"tri": "-inscrits"}))
    assert page.index("Communication interculturelle") < page.index("Zèbre")


def test_session_list_empty_state_points_to_the_catalogue(client):
    page = text(client.get(reverse("formations:session_list")))
    assert "Aucune session de formation n'est encore planifiée." in page


# --- Status changes on the pages -----------------------------------------------------------------


def test_postpone_without_date_is_refused_with_a_french_message(client, future_session):
    response = client.post(reverse("formations:session_postpone", args=[future_session.pk]), {"new_date": ""})
    assert response.status_code == 200
    assert "Indiquez la nouvelle date de la session." in text(response)
    future_session.refresh_from_db()
    assert future_session.status == SessionStatus.PLANNED


def test_postpone_through_the_page(client, future_session):
    new_date = in_year(NEXT_YEAR, 4, 6, 13)
    response = client.post(
        reverse("formations:session_postpone", args=[future_session.pk]), {"new_date": local_input(new_date)}
    )
    assert response.status_code == 302
    future_session.refresh_from_db()
    assert (future_session.status, future_session.postponed_to) == (SessionStatus.POSTPONED, new_date)
    assert "Session reportée au 06/04/" in text(client.get(future_session.get_absolute_url()))


def test_postpone_to_an_earlier_date_shows_the_service_message_on_the_field(client, future_session):
    response = client.post(
        reverse("formations:session_postpone", args=[future_session.pk]),
        {"new_date": local_input(in_year(NEXT_YEAR, 1, 2))},
    )
    assert "La nouvelle date doit suivre la date prévue" in text(response)
    assert 'id="id_new_date_error"' in response.content.decode()


def test_cancel_without_reason_is_refused_with_a_french_message(client, future_session):
    response = client.post(reverse("formations:session_cancel", args=[future_session.pk]), {"reason": "  "})
    assert "Indiquez le motif de l'annulation." in text(response)
    future_session.refresh_from_db()
    assert future_session.status == SessionStatus.PLANNED


def test_cancel_through_the_page_shows_the_reason(client, future_session):
    client.post(reverse("formations:session_cancel", args=[future_session.pk]), {"reason": "Salle inondée"})
    future_session.refresh_from_db()
    assert future_session.status == SessionStatus.CANCELLED
    page = text(client.get(future_session.get_absolute_url()))
    assert "Salle inondée" in page and "Inscrire un·e professionnel·le" not in page


def test_hold_a_future_session_is_refused_with_a_message(client, future_session, past_session):
    response = client.post(reverse("formations:session_hold", args=[future_session.pk]), follow=True)
    assert "Une session se note tenue à partir de son début" in text(response)
    client.post(reverse("formations:session_hold", args=[past_session.pk]))
    past_session.refresh_from_db()
    assert past_session.status == SessionStatus.HELD


# --- Registrations and attendance ----------------------------------------------------------------


def registration_post(name, email, **extra):
    return {"name": name, "email": email, **extra}


def test_registration_over_capacity_is_put_on_the_waiting_list_with_a_message(
    client, future_session, operator
):
    url = reverse("formations:registration_add", args=[future_session.pk])
    client.post(url, registration_post("Anne", "anne@cpas.be", operator=operator.pk))
    client.post(url, registration_post("Bruno", "bruno@ili.be", organisation="ILI de Ciney"))
    response = client.post(url, registration_post("Chantal", "chantal@example.org"), follow=True)
    assert "La session est complète : Chantal est placé·e sur la liste d'attente." in text(response)
    assert Registration.objects.get(name="Chantal").status == RegistrationStatus.WAITING
    assert "Session complète : liste d'attente" in text(response)


def test_duplicate_registration_is_refused_on_the_page(client, future_session):
    url = reverse("formations:registration_add", args=[future_session.pk])
    client.post(url, registration_post("Anne", "anne@cpas.be"))
    response = client.post(url, registration_post("Anne bis", "ANNE@cpas.be"))
    assert response.status_code == 200
    assert "anne@cpas.be est déjà inscrit·e à cette session (Anne)." in text(response)
    assert future_session.registrations.count() == 1


def test_registration_bad_input_is_refused_on_the_page(client, future_session):
    url = reverse("formations:registration_add", args=[future_session.pk])
    page = text(client.post(url, registration_post("", "pas-une-adresse", operator="987654")))
    assert "Indiquez le nom de la personne." in page
    assert "Indiquez une adresse e-mail valide." in page
    assert "Cette organisation ne figure pas dans le répertoire des opérateurs." in page
    assert not Registration.objects.exists()


def test_cancelling_a_registration_moves_the_waiting_list_up(client, future_session):
    first = make_registration(future_session, name="Anne")
    make_registration(future_session, name="Bruno")
    waiting = make_registration(future_session, name="Chantal", status=RegistrationStatus.WAITING)
    response = client.post(reverse("formations:registration_cancel", args=[first.pk]), follow=True)
    page = text(response)
    assert "Inscription de Anne annulée." in page
    assert "Chantal quitte la liste d'attente et prend la place libérée." in page
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


def test_attendance_toggle_with_htmx_returns_the_row(client, past_session):
    registration = make_registration(past_session, name="Anne")
    url = reverse("formations:registration_attendance", args=[registration.pk])
    response = client.post(url, {"attended": "1"}, **HTMX)
    row = response.content.decode()
    assert response.status_code == 200
    assert row.strip().startswith(f'<tr id="registration-{registration.pk}"')
    assert "Marquer absent·e" in row
    registration.refresh_from_db()
    assert registration.attended
    response = client.post(url, {"attended": "0"}, **HTMX)
    assert "Marquer présent·e" in response.content.decode()
    registration.refresh_from_db()
    assert not registration.attended


def test_attendance_refused_with_htmx_shows_the_message_above_the_list(client, future_session):
    registration = make_registration(future_session)
    response = client.post(
        reverse("formations:registration_attendance", args=[registration.pk]), {"attended": "1"}, **HTMX
    )
    assert response["HX-Retarget"] == "#registration-messages"
    assert "La présence se note à partir du début de la session" in response.content.decode()
    registration.refresh_from_db()
    assert not registration.attended


def test_attendance_without_htmx_redirects_with_a_message(client, past_session):
    registration = make_registration(past_session, name="Anne")
    url = reverse("formations:registration_attendance", args=[registration.pk])
    response = client.post(url, {"attended": "1"}, follow=True)
    assert "Anne est noté·e présent·e." in text(response)
    response = client.post(url, {"attended": "peut-être"}, follow=True)
    assert "Indiquez « présent·e » ou « absent·e »." in text(response)


def test_post_without_csrf_token_is_refused(coordinator, future_session):
    client = signed_in_client(coordinator, enforce_csrf_checks=True)
    response = client.post(
        reverse("formations:registration_add", args=[future_session.pk]), registration_post("Anne", "a@b.be")
    )
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_session_page_has_no_inline_script_or_handler(client, past_session):
    make_registration(past_session)
    page = client.get(past_session.get_absolute_url()).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"\son[a-z]+=", page)


# --- Query budgets -------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 40])
def test_session_list_query_count_is_fixed(client, django_assert_max_num_queries, director, count):
    make_rich_sessions(count, staff=director)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("formations:session_list"), {"tri": "inscrits"})
    assert response.status_code == 200 and "Intervenante externe" in response.content.decode()


@pytest.mark.parametrize("count", [3, 40])
def test_catalogue_query_count_is_fixed(client, django_assert_max_num_queries, director, count):
    make_rich_sessions(count, staff=director)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("formations:training_list"), {"theme": "Thème 1"})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 40])
def test_training_page_query_count_is_fixed(client, django_assert_max_num_queries, director, training, count):
    operator = make_operator()
    for _ in range(count):
        session = make_session(training, capacity=5)
        Trainer.objects.create(session=session, user=director)
        Trainer.objects.create(session=session, name="Externe", operator=operator)
        make_registration(session, attended=True)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("formations:training_detail", args=[training.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 40])
def test_session_page_query_count_is_fixed(
    client, django_assert_max_num_queries, director, past_session, count
):
    operator = make_operator()
    Trainer.objects.create(session=past_session, user=director)
    Trainer.objects.create(session=past_session, name="Externe", operator=operator)
    for index in range(count):
        make_registration(past_session, operator=operator if index % 2 else None, attended=bool(index % 3))
    with django_assert_max_num_queries(12):
        response = client.get(past_session.get_absolute_url())
    assert response.status_code == 200
