"""The path pages of a person: reading the path, and each write action through its service, with
French field errors and nothing saved on bad input. Roles: counsellors of the person's office and
administrators write, the director reads (403 on writes), the other office gets 404."""

import datetime as dt
import html as html_lib
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parcours import services
from parcours.choices import ComponentKind, ComponentState, PathStatus
from parcours.models import (
    CollectiveSession,
    DispensationReason,
    EvaluationInterview,
    HoursRecord,
    LanguageTest,
    Path,
    SessionAttendance,
)
from tests.conftest import signed_in_client
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def text(response) -> str:
    """The page as a reader sees it (entities such as &#x27; decoded)."""
    return html_lib.unescape(response.content.decode())


def day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


@pytest.fixture
def newcomer(office_a):
    """An obliged Syrian newcomer of office A: registered 100 days ago, title ordered 60 days ago."""
    return PersonFactory(
        office=office_a,
        last_name="Haddad",
        first_name="Yara",
        nationality="SY",
        birth_date=dt.date(1990, 3, 4),
        residence_card="B",
        residence_ordered_on=TODAY - dt.timedelta(days=60),
        arrival_date=TODAY - dt.timedelta(days=120),
        registration_date=TODAY - dt.timedelta(days=100),
    )


@pytest.fixture
def path(counsellor_a, newcomer):
    return services.path_open(actor=counsellor_a, person=newcomer)


@pytest.fixture
def client_a(counsellor_a):
    return signed_in_client(counsellor_a)


def url(name, person, *args):
    return reverse(f"parcours:{name}", args=[person.pk, *args])


def state(path, kind):
    return path.components.get(kind=kind).state


# --- Reading ---------------------------------------------------------------------------------------


def test_counsellor_sees_status_deadlines_components_and_what_is_left(client_a, path, newcomer):
    response = client_a.get(url("path_detail", newcomer))
    assert response.status_code == 200
    html = text(response)
    assert "Obligé·e" in html and "Primo-arrivant·e de 18 à 64 ans" in html
    assert "Régime 2024" in html
    assert day(path.presentation_due) in html and "en retard de" in html  # registered 100 days ago
    assert day(path.attestation_due) in html
    assert "Reste à faire : Bilan social" in html
    assert "0 h / 400 h" in html and "0 h / 60 h" in html
    assert 'name="csrfmiddlewaretoken"' in html or "hx-get" in html


def test_path_page_shows_hours_tests_sessions_and_interviews(
    client_a, counsellor_a, path, newcomer, office_a
):
    services.hours_record_add(
        actor=counsellor_a,
        path=path,
        component=ComponentKind.FRENCH,
        hours=Decimal("152"),
        period_start=TODAY - dt.timedelta(days=90),
        period_end=TODAY - dt.timedelta(days=1),
        operator_name="ILI Namur",
        cefr_level_reached="A1",
    )
    services.language_test_record(actor=counsellor_a, person=newcomer, taken_on=TODAY, overall="A1")
    session = services.session_create(
        actor=counsellor_a, kind="sidd", starts_at=timezone.now(), office=office_a, title="SIDD de mars"
    )
    services.attendance_set(actor=counsellor_a, session=session, person=newcomer, attended=True)
    services.convention_sign(actor=counsellor_a, path=path, signed_on=TODAY)
    services.evaluation_schedule(actor=counsellor_a, path=path, scheduled_at=timezone.now(), office=office_a)

    html = text(client_a.get(url("path_detail", newcomer)))
    assert "152 h / 400 h" in html
    assert "ILI Namur" in html
    assert "SIDD de mars" in html and "présent·e" in html
    assert "Courrier recommandé" in html or "Envoi électronique" in html
    assert "Marquer comme tenu" in html


def test_override_shows_who_when_why_and_the_computed_status(client_a, counsellor_a, path, newcomer):
    services.path_override_status(
        actor=counsellor_a, path=path, status=PathStatus.VOLUNTARY, reason="Décision du SPW"
    )
    html = text(client_a.get(url("path_detail", newcomer)))
    assert f"Statut fixé par Alice Martin le {day(TODAY)} : Décision du SPW" in html
    assert "Volontaire" in html and "Obligé·e" in html


def test_editor_without_a_path_sees_the_open_form_and_opens_it(client_a, office_a):
    belgian = PersonFactory(office=office_a, nationality="BE")  # outside the obligation
    response = client_a.get(url("path_detail", belgian))
    assert response.status_code == 200
    assert "Aucun parcours ouvert" in text(response)

    response = client_a.post(url("path_open", belgian), {"voluntary": "on"})
    assert response.status_code == 302 and response["Location"] == url("path_detail", belgian)
    path = Path.objects.get(person=belgian)
    assert path.voluntary and path.status == PathStatus.VOLUNTARY
    assert path.components.count() == len(ComponentKind.values)


def test_opening_a_second_path_is_refused_with_a_message(client_a, path, newcomer):
    response = client_a.post(url("path_open", newcomer), {})
    assert response.status_code == 200
    assert "Cette personne a déjà un parcours." in text(response)
    assert Path.objects.filter(person=newcomer).count() == 1


def test_director_without_a_path_gets_404(login, director, newcomer):
    assert login(director).get(url("path_detail", newcomer)).status_code == 404


def test_person_file_shows_the_path_card(client_a, login, director, newcomer):
    person_url = reverse("accompagnement:person_detail", args=[newcomer.pk])
    html = text(client_a.get(person_url))
    assert "Aucun parcours ouvert" in html and url("path_open", newcomer) in html
    director_html = text(login(director).get(person_url))
    assert "Aucun parcours ouvert" in director_html and url("path_open", newcomer) not in director_html

    client_a.post(url("path_open", newcomer))
    html = text(client_a.get(person_url))
    assert "Obligé·e" in html and url("path_detail", newcomer) in html


# --- Roles and scope -------------------------------------------------------------------------------

WRITE_ROUTES = [
    ("path_open", (), {}),
    ("path_facts", (), {"voluntary": "on"}),
    ("path_override", (), {"status": "volontaire", "reason": "Motif"}),
    ("path_override_clear", (), {}),
    ("path_component", ("bilan_social",), {"state": "done"}),
    ("path_hours_add", (), {"component": "francais", "hours": "10"}),
    ("path_test_add", (), {"taken_on": day(TODAY), "test_name": "ELAO", "overall": "A1"}),
    ("path_convention", (), {"signed_on": day(TODAY)}),
    ("path_evaluation_add", (), {"scheduled_at": day(TODAY) + " 10:00"}),
    ("path_attestation", (), {"delivered_on": day(TODAY)}),
]


def test_director_reads_the_path_but_every_write_is_forbidden(login, director, path, newcomer):
    client = login(director)
    assert client.get(url("path_detail", newcomer)).status_code == 200
    before = Path.objects.get(pk=path.pk)
    for name, args, data in WRITE_ROUTES:
        assert client.post(url(name, newcomer, *args), data).status_code == 403, name
    after = Path.objects.get(pk=path.pk)
    assert (after.voluntary, after.status, after.convention_signed_on) == (
        before.voluntary,
        before.status,
        before.convention_signed_on,
    )
    assert not HoursRecord.objects.exists() and not LanguageTest.objects.exists()


def test_counsellor_of_another_office_gets_404_on_every_path_page(login, counsellor_b, path, newcomer):
    client = login(counsellor_b)
    assert client.get(url("path_detail", newcomer)).status_code == 404
    for name, args, data in WRITE_ROUTES:
        assert client.post(url(name, newcomer, *args), data).status_code == 404, name
        if name not in ("path_open", "path_override_clear"):
            assert client.get(url(name, newcomer, *args)).status_code == 404, name
    assert not Path.objects.get(pk=path.pk).voluntary


@pytest.mark.parametrize("persona", ["coordinator", "commune_agent"])
def test_coordinators_and_commune_agents_are_forbidden(persona, persona_client, path, newcomer):
    client = persona_client(persona)
    assert client.get(url("path_detail", newcomer)).status_code == 403
    assert client.post(url("path_facts", newcomer), {"voluntary": "on"}).status_code == 403


def test_administrator_writes_any_path(login, administrator, path, newcomer):
    response = login(administrator).post(url("path_convention", newcomer), {"signed_on": day(TODAY)})
    assert response.status_code == 302
    assert Path.objects.get(pk=path.pk).convention_signed_on == TODAY


def test_anonymous_is_sent_to_the_sign_in_page(path, newcomer):
    response = Client().get(url("path_detail", newcomer))
    assert response.status_code == 302 and response["Location"].startswith("/connexion/")


# --- Situation and status --------------------------------------------------------------------------


def test_recording_a_dispensation_makes_the_person_dispensed(client_a, path, newcomer):
    reason = DispensationReason.objects.get(code="certificat_medical")
    response = client_a.post(
        url("path_facts", newcomer), {"dispensation": reason.pk, "dispensation_note": "Jusqu'en 2026"}
    )
    assert response.status_code == 302
    path.refresh_from_db()
    assert (path.status, path.dispensation, path.dispensation_note) == (
        PathStatus.DISPENSED,
        reason,
        "Jusqu'en 2026",
    )


def test_a_dispensation_reason_no_longer_in_force_is_not_offered(client_a, path, newcomer):
    old = DispensationReason.objects.create(
        code="ancien", label="Motif abrogé", valid_from=dt.date(2018, 1, 1), valid_until=dt.date(2020, 1, 1)
    )
    response = client_a.get(url("path_facts", newcomer))
    assert "Motif abrogé" not in text(response)
    response = client_a.post(url("path_facts", newcomer), {"dispensation": old.pk})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text(response)
    assert Path.objects.get(pk=path.pk).dispensation is None


def test_override_sets_the_status_and_clearing_restores_the_computed_one(client_a, path, newcomer):
    response = client_a.post(
        url("path_override", newcomer), {"status": "volontaire", "reason": "Décision du SPW"}
    )
    assert response.status_code == 302
    path.refresh_from_db()
    assert (path.status, path.override_reason) == (PathStatus.VOLUNTARY, "Décision du SPW")

    assert client_a.post(url("path_override_clear", newcomer)).status_code == 302
    path.refresh_from_db()
    assert (path.status, path.status_override) == (PathStatus.OBLIGED, "")


def test_override_without_a_reason_is_refused_and_nothing_changes(client_a, path, newcomer):
    response = client_a.post(url("path_override", newcomer), {"status": "volontaire", "reason": "  "})
    assert response.status_code == 200
    assert "Expliquez pourquoi le statut calculé ne convient pas." in text(response)
    assert Path.objects.get(pk=path.pk).status == PathStatus.OBLIGED


def test_override_with_an_oversized_reason_is_refused(client_a, path, newcomer):
    response = client_a.post(url("path_override", newcomer), {"status": "volontaire", "reason": "x" * 2001})
    assert response.status_code == 200
    assert "au plus 2000 caractères" in text(response)
    assert Path.objects.get(pk=path.pk).status_override == ""


def test_override_with_an_unknown_status_is_refused(client_a, path, newcomer):
    response = client_a.post(url("path_override", newcomer), {"status": "roi", "reason": "Motif"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text(response)
    assert Path.objects.get(pk=path.pk).status_override == ""


# --- Components ------------------------------------------------------------------------------------


def test_counsellor_sets_a_manual_component(client_a, path, newcomer):
    response = client_a.post(
        url("path_component", newcomer, "bilan_social"),
        {"state": "done", "done_on": day(TODAY - dt.timedelta(days=3)), "notes": "Bilan fait avec SeTIS"},
    )
    assert response.status_code == 302
    component = path.components.get(kind=ComponentKind.SOCIAL_ASSESSMENT)
    assert (component.state, component.done_on, component.notes) == (
        ComponentState.DONE,
        TODAY - dt.timedelta(days=3),
        "Bilan fait avec SeTIS",
    )


def test_a_component_not_required_needs_a_reason(client_a, path, newcomer):
    response = client_a.post(url("path_component", newcomer, "orientation_isp"), {"state": "not_required"})
    assert response.status_code == 200
    assert "Indiquez pourquoi cette composante n'est pas requise." in text(response)
    assert state(path, ComponentKind.ISP) == ComponentState.TODO


@pytest.mark.parametrize("kind", ["francais", "convention", "inconnue"])
def test_a_derived_or_unknown_component_cannot_be_set_by_hand(client_a, path, newcomer, kind):
    page = client_a.get(url("path_component", newcomer, kind))
    assert page.status_code == 200
    response = client_a.post(url("path_component", newcomer, kind), {"state": "done"})
    assert response.status_code == 200
    expected = (
        "Cette composante n'existe pas dans le parcours."
        if kind == "inconnue"
        else "Cette composante se met à jour à partir des présences, heures, tests et dates."
    )
    assert expected in text(page) and expected in text(response)
    assert not path.components.filter(state=ComponentState.DONE).exists()


# --- Hours, tests, convention, interviews, attestation --------------------------------------------

HOURS = {
    "component": "francais",
    "hours": "150",
    "period_start": day(TODAY - dt.timedelta(days=30)),
    "period_end": day(TODAY),
    "operator_name": "ILI Namur",
}


def test_hours_are_recorded_and_accrue_on_the_path(client_a, path, newcomer):
    response = client_a.post(url("path_hours_add", newcomer), HOURS)
    assert response.status_code == 302
    assert HoursRecord.objects.get().hours == Decimal("150")
    assert state(path, ComponentKind.FRENCH) == ComponentState.IN_PROGRESS
    assert "150 h / 400 h" in text(client_a.get(url("path_detail", newcomer)))


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("-3", "Le nombre d'heures doit être positif."),
        ("0", "Le nombre d'heures doit être positif."),
        ("abc", "Saisissez un nombre."),
        ("", "Ce champ est obligatoire."),
    ],
)
def test_bad_hours_are_refused_and_nothing_is_saved(client_a, path, newcomer, hours, message):
    response = client_a.post(url("path_hours_add", newcomer), {**HOURS, "hours": hours})
    assert response.status_code == 200
    assert message in text(response)
    assert not HoursRecord.objects.exists()


def test_hours_with_a_period_ending_before_it_starts_are_refused(client_a, path, newcomer):
    data = {**HOURS, "period_start": day(TODAY), "period_end": day(TODAY - dt.timedelta(days=5))}
    response = client_a.post(url("path_hours_add", newcomer), data)
    assert response.status_code == 200
    assert "La fin de la période ne peut précéder son début." in text(response)
    assert not HoursRecord.objects.exists()


def test_hours_ending_in_the_future_are_refused(client_a, path, newcomer):
    data = {**HOURS, "period_end": day(TODAY + dt.timedelta(days=5))}
    response = client_a.post(url("path_hours_add", newcomer), data)
    assert response.status_code == 200
    assert "La période ne peut pas se terminer dans le futur." in text(response)
    assert not HoursRecord.objects.exists()


def test_a_language_test_is_recorded_and_decides_the_french_training(client_a, path, newcomer):
    data = {"taken_on": day(TODAY), "test_name": "ELAO", "listening": "A2", "reading": "B1", "overall": "A2"}
    assert client_a.post(url("path_test_add", newcomer), data).status_code == 302
    test = LanguageTest.objects.get()
    assert (test.overall, test.reading, test.office) == ("A2", "B1", newcomer.office)
    assert state(path, ComponentKind.FRENCH) == ComponentState.NOT_REQUIRED


def test_a_language_level_that_is_not_cefr_is_refused(client_a, path, newcomer):
    data = {"taken_on": day(TODAY), "test_name": "ELAO", "overall": "Z9"}
    response = client_a.post(url("path_test_add", newcomer), data)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide. Z9" in text(response)
    assert not LanguageTest.objects.exists()


def test_a_language_test_in_the_future_is_refused(client_a, path, newcomer):
    data = {"taken_on": day(TODAY + dt.timedelta(days=1)), "test_name": "ELAO", "overall": "A1"}
    response = client_a.post(url("path_test_add", newcomer), data)
    assert response.status_code == 200
    assert "La date du test ne peut pas être dans le futur." in text(response)
    assert not LanguageTest.objects.exists()


def test_convention_signature_is_recorded(client_a, path, newcomer):
    assert client_a.post(url("path_convention", newcomer), {"signed_on": day(TODAY)}).status_code == 302
    path.refresh_from_db()
    assert path.convention_signed_on == TODAY
    assert state(path, ComponentKind.CONVENTION) == ComponentState.DONE


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (day(TODAY + dt.timedelta(days=2)), "La date de signature ne peut pas être dans le futur."),
        ("31/02/2024", "Saisissez une date valide."),
    ],
)
def test_a_bad_convention_date_is_refused(client_a, path, newcomer, value, message):
    response = client_a.post(url("path_convention", newcomer), {"signed_on": value})
    assert response.status_code == 200
    assert message in text(response)
    assert Path.objects.get(pk=path.pk).convention_signed_on is None


def test_an_interview_before_the_convention_is_refused(client_a, path, newcomer, office_a):
    data = {"scheduled_at": day(TODAY) + " 10:00", "office": office_a.pk, "convocation_channel": "recommande"}
    response = client_a.post(url("path_evaluation_add", newcomer), data)
    assert response.status_code == 200
    assert "Les entretiens d'évaluation suivent la signature de la convention." in text(response)
    assert not EvaluationInterview.objects.exists()


def test_an_interview_is_scheduled_then_held(client_a, counsellor_a, path, newcomer, office_a):
    services.convention_sign(actor=counsellor_a, path=path, signed_on=TODAY - dt.timedelta(days=30))
    data = {"scheduled_at": day(TODAY) + " 09:30", "office": office_a.pk, "convocation_channel": "recommande"}
    assert client_a.post(url("path_evaluation_add", newcomer), data).status_code == 302
    interview = EvaluationInterview.objects.get()
    assert timezone.localtime(interview.scheduled_at).strftime("%d/%m/%Y %H:%M") == day(TODAY) + " 09:30"
    assert interview.convocation_channel == "recommande"

    hold_url = url("path_evaluation_hold", newcomer, interview.pk)
    assert client_a.get(hold_url).status_code == 200
    response = client_a.post(hold_url, {"held_on": day(TODAY), "notes": "Bonne progression"})
    assert response.status_code == 302
    interview.refresh_from_db()
    assert (interview.held_on, interview.notes) == (TODAY, "Bonne progression")


def test_an_interview_at_an_office_that_is_not_the_counsellors_is_refused(
    client_a, counsellor_a, path, newcomer, office_b
):
    services.convention_sign(actor=counsellor_a, path=path, signed_on=TODAY)
    data = {"scheduled_at": day(TODAY) + " 09:30", "office": office_b.pk, "convocation_channel": "recommande"}
    response = client_a.post(url("path_evaluation_add", newcomer), data)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text(response)
    assert not EvaluationInterview.objects.exists()


def test_holding_an_interview_in_the_future_is_refused(client_a, counsellor_a, path, newcomer, office_a):
    services.convention_sign(actor=counsellor_a, path=path, signed_on=TODAY)
    interview = services.evaluation_schedule(
        actor=counsellor_a, path=path, scheduled_at=timezone.now(), office=office_a
    )
    response = client_a.post(
        url("path_evaluation_hold", newcomer, interview.pk), {"held_on": day(TODAY + dt.timedelta(days=3))}
    )
    assert response.status_code == 200
    assert "La date ne peut pas être dans le futur." in text(response)
    interview.refresh_from_db()
    assert interview.held_on is None


def test_an_interview_of_another_path_answers_404(client_a, counsellor_a, path, newcomer, office_a):
    other = services.path_open(actor=counsellor_a, person=PersonFactory(office=office_a))
    services.convention_sign(actor=counsellor_a, path=other, signed_on=TODAY)
    interview = services.evaluation_schedule(
        actor=counsellor_a, path=other, scheduled_at=timezone.now(), office=office_a
    )
    response = client_a.post(url("path_evaluation_hold", newcomer, interview.pk), {"held_on": day(TODAY)})
    assert response.status_code == 404


def test_attestation_on_an_incomplete_path_is_refused_with_what_is_missing(client_a, path, newcomer):
    page = client_a.get(url("path_attestation", newcomer))
    assert "Reste à faire : Bilan social" in text(page)
    response = client_a.post(url("path_attestation", newcomer), {"delivered_on": day(TODAY)})
    assert response.status_code == 200
    html = text(response)
    assert "Le parcours n'est pas complet : Bilan social" in html
    assert "Formation à la citoyenneté (60 h)" in html
    assert Path.objects.get(pk=path.pk).attestation_delivered_on is None


def test_attestation_of_a_complete_path_is_recorded(client_a, counsellor_a, path, newcomer):
    for kind in (
        ComponentKind.SOCIAL_ASSESSMENT,
        ComponentKind.RIGHTS_DUTIES,
        ComponentKind.PROCEDURES_HELP,
        ComponentKind.ISP,
    ):
        services.component_set_state(actor=counsellor_a, path=path, kind=kind, state=ComponentState.DONE)
    services.language_test_record(actor=counsellor_a, person=newcomer, taken_on=TODAY, overall="B1")
    services.convention_sign(actor=counsellor_a, path=path, signed_on=TODAY)
    services.hours_record_add(
        actor=counsellor_a,
        path=path,
        component=ComponentKind.CITIZENSHIP,
        hours=Decimal("60"),
        period_start=TODAY - dt.timedelta(days=60),
        period_end=TODAY,
        operator_name="CAI",
        citizenship_format="FIC",
    )
    assert "l'attestation peut être délivrée" in text(client_a.get(url("path_detail", newcomer)))
    response = client_a.post(url("path_attestation", newcomer), {"delivered_on": day(TODAY)})
    assert response.status_code == 302
    assert Path.objects.get(pk=path.pk).attestation_delivered_on == TODAY
    page = text(client_a.get(url("path_detail", newcomer)))
    assert f"Attestation de fréquentation délivrée le {day(TODAY)}." in page
    assert f"délivrée le {day(TODAY)})" in page  # the attestation deadline is met


# --- HTMX and CSRF ---------------------------------------------------------------------------------


def test_an_action_loads_as_a_fragment_and_a_success_redirects_the_browser(client_a, path, newcomer):
    fragment = client_a.get(url("path_convention", newcomer), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in text(fragment) and "Signature de la convention" in text(fragment)

    errors = client_a.post(
        url("path_convention", newcomer), {"signed_on": "hier"}, headers={"HX-Request": "true"}
    )
    assert errors.status_code == 200 and "<html" not in text(errors)
    assert "Saisissez une date valide." in text(errors)

    done = client_a.post(
        url("path_convention", newcomer), {"signed_on": day(TODAY)}, headers={"HX-Request": "true"}
    )
    assert done.status_code == 200 and done["HX-Redirect"] == url("path_detail", newcomer)
    assert Path.objects.get(pk=path.pk).convention_signed_on == TODAY


def test_writes_need_the_csrf_token(counsellor_a, path, newcomer):
    client = signed_in_client(counsellor_a, enforce_csrf_checks=True)
    refused = client.post(url("path_convention", newcomer), {"signed_on": day(TODAY)})
    assert refused.status_code == 403
    assert Path.objects.get(pk=path.pk).convention_signed_on is None
    client.get(url("path_convention", newcomer))
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        url("path_convention", newcomer), {"signed_on": day(TODAY), "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302


# --- Queries ---------------------------------------------------------------------------------------

# Measured, plus one: session, user, second-factor device, session save; the person and their
# languages; the path (annotated hours) and its components; the access entry (in a savepoint);
# "has come" (appointments); hours records, tests, sessions and interviews.
DETAIL_BUDGET = 17


@pytest.mark.parametrize("size", [3, 40])
def test_path_page_query_budget(
    client_a, counsellor_a, path, newcomer, office_a, size, django_assert_max_num_queries
):
    HoursRecord.objects.bulk_create(
        HoursRecord(
            path=path,
            component=ComponentKind.FRENCH if i % 2 else ComponentKind.CITIZENSHIP,
            hours=Decimal("2"),
            period_start=TODAY - dt.timedelta(days=10),
            period_end=TODAY,
            operator_name=f"Opérateur {i}",
            recorded_by=counsellor_a,
        )
        for i in range(size)
    )
    LanguageTest.objects.bulk_create(
        LanguageTest(person=newcomer, taken_on=TODAY - dt.timedelta(days=i), overall="A1")
        for i in range(size)
    )
    sessions = CollectiveSession.objects.bulk_create(
        CollectiveSession(kind="sidd", starts_at=timezone.now() - dt.timedelta(days=i), office=office_a)
        for i in range(size)
    )
    SessionAttendance.objects.bulk_create(
        SessionAttendance(session=session, person=newcomer, attended=True) for session in sessions
    )
    Path.objects.filter(pk=path.pk).update(convention_signed_on=TODAY)
    EvaluationInterview.objects.bulk_create(
        EvaluationInterview(path=path, scheduled_at=timezone.now() - dt.timedelta(days=i), office=office_a)
        for i in range(size)
    )
    with django_assert_max_num_queries(DETAIL_BUDGET):
        response = client_a.get(url("path_detail", newcomer))
    assert response.status_code == 200
    assert len(response.context["hours_records"]) == size
    assert len(response.context["evaluations"]) == size
