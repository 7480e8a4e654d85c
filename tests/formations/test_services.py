"""The trainings' services: the rules, the French messages keyed by field, and that a refused write
saves nothing."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from formations import services
from formations.choices import RegistrationStatus, SessionStatus
from formations.models import Registration, Trainer, Training, TrainingSession
from formations.services import TrainerSpec
from plateformes.models import Operator
from tests.formations.conftest import NEXT_YEAR, in_year, make_registration, make_session

pytestmark = pytest.mark.django_db


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def session_fields(**overrides) -> dict:
    start = in_year(NEXT_YEAR, 3, 2)
    fields = {"starts_at": start, "ends_at": start + dt.timedelta(hours=3), "place": "Namur", "capacity": 12}
    fields.update(overrides)
    return fields


def ghost_operator() -> Operator:
    """An organisation that is not in the directory (an id nobody has)."""
    return Operator(pk=987654, name="Organisation fantôme", kind="association")


# --- Roles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["counsellor_a", "commune_agent"])
def test_only_coordination_direction_and_administration_manage_trainings(request, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.training_create(actor=actor, title="Interculturalité")
    assert not Training.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator", "director", "administrator"])
def test_coordination_direction_and_administration_add_trainings(request, persona):
    training = services.training_create(
        actor=request.getfixturevalue(persona), title="  Droit des étrangers "
    )
    assert training.title == "Droit des étrangers"


# --- The catalogue -------------------------------------------------------------------------------


def test_training_without_title_is_refused(coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.training_create(actor=coordinator, title="   ")
    assert errors_of(excinfo) == {"title": ["Indiquez le titre de la formation."]}
    assert not Training.objects.exists()


def test_training_on_request_names_an_operator_or_a_free_requester_not_both(coordinator, operator):
    with pytest.raises(ValidationError) as excinfo:
        services.training_create(
            actor=coordinator,
            title="Accueil des primo-arrivants",
            on_request_for=operator,
            on_request_for_name="X",
        )
    assert "pas les deux" in errors_of(excinfo)["on_request_for_name"][0]
    training = services.training_create(
        actor=coordinator, title="Accueil des primo-arrivants", on_request_for_name="Commune de Gesves"
    )
    assert training.on_request_for_name == "Commune de Gesves"


def test_training_on_request_of_an_unknown_operator_is_refused(coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.training_create(actor=coordinator, title="Sur mesure", on_request_for=ghost_operator())
    assert errors_of(excinfo) == {"on_request_for": ["Cet opérateur ne figure pas dans le répertoire."]}
    assert not Training.objects.exists()


def test_training_update_changes_the_fields_and_is_audited(coordinator, training):
    services.training_update(actor=coordinator, training=training, theme="Antiracisme", active=False)
    training.refresh_from_db()
    assert (training.theme, training.active) == ("Antiracisme", False)
    assert LogEntry.objects.get_for_object(training).count() >= 1


# --- Sessions and trainers -----------------------------------------------------------------------


def test_session_with_its_trainers_is_planned(coordinator, director, training, operator):
    session = services.session_create(
        actor=coordinator,
        training=training,
        trainers=[TrainerSpec(user=director), TrainerSpec(name="Aïcha Benali", operator=operator)],
        **session_fields(),
    )
    assert session.status == SessionStatus.PLANNED
    trainers = list(session.trainers.order_by("id"))
    assert [t.user for t in trainers] == [director, None]
    assert (trainers[1].name, trainers[1].operator) == ("Aïcha Benali", operator)


def test_session_without_date_is_refused(coordinator, training):
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(actor=coordinator, training=training, **session_fields(starts_at=None))
    assert errors_of(excinfo)["starts_at"] == ["Indiquez la date et l'heure de début de la session."]
    assert not TrainingSession.objects.exists()


def test_session_ending_before_it_starts_is_refused(coordinator, training):
    start = in_year(NEXT_YEAR, 3, 2, 14)
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(
            actor=coordinator,
            training=training,
            **session_fields(starts_at=start, ends_at=start - dt.timedelta(hours=1)),
        )
    assert errors_of(excinfo) == {"ends_at": ["La fin doit suivre le début."]}
    assert not TrainingSession.objects.exists()


def test_session_needs_a_place_unless_online(coordinator, training):
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(actor=coordinator, training=training, **session_fields(place=""))
    assert errors_of(excinfo) == {"place": ["Indiquez le lieu de la session, ou cochez « En ligne »."]}
    session = services.session_create(
        actor=coordinator, training=training, **session_fields(place="", online=True)
    )
    assert session.online


def test_session_with_a_trainer_of_an_unknown_organisation_saves_nothing(coordinator, training):
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(
            actor=coordinator,
            training=training,
            trainers=[TrainerSpec(name="Intervenant", operator=ghost_operator())],
            **session_fields(),
        )
    assert errors_of(excinfo) == {
        "trainers": ["Formateur·rice 1 : Cette organisation ne figure pas dans le répertoire des opérateurs."]
    }
    assert not TrainingSession.objects.exists()
    assert not Trainer.objects.exists()


def test_trainer_of_an_unknown_organisation_is_refused(coordinator, past_session):
    with pytest.raises(ValidationError) as excinfo:
        services.trainer_add(
            actor=coordinator, session=past_session, name="Intervenant", operator=ghost_operator()
        )
    assert errors_of(excinfo) == {
        "operator": ["Cette organisation ne figure pas dans le répertoire des opérateurs."]
    }
    assert not Trainer.objects.exists()


def test_trainer_is_a_staff_member_or_an_external_speaker(coordinator, director, past_session):
    with pytest.raises(ValidationError) as excinfo:
        services.trainer_add(actor=coordinator, session=past_session)
    assert "membre de l'équipe ou indiquez" in errors_of(excinfo)["user"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.trainer_add(actor=coordinator, session=past_session, user=director, name="Autre")
    assert "pas les deux" in errors_of(excinfo)["name"][0]
    services.trainer_add(actor=coordinator, session=past_session, user=director)
    with pytest.raises(ValidationError) as excinfo:
        services.trainer_add(actor=coordinator, session=past_session, user=director)
    assert errors_of(excinfo) == {"user": ["Cette personne intervient déjà dans cette session."]}
    assert past_session.trainers.count() == 1


def test_a_commune_agent_cannot_be_a_trainer(coordinator, commune_agent, past_session):
    with pytest.raises(ValidationError) as excinfo:
        services.trainer_add(actor=coordinator, session=past_session, user=commune_agent)
    assert errors_of(excinfo) == {"user": ["Ce membre de l'équipe n'existe pas ou n'est plus actif."]}


def test_update_replaces_the_trainers_when_given(coordinator, director, past_session):
    Trainer.objects.create(session=past_session, name="Ancien intervenant")
    services.session_update(actor=coordinator, session=past_session, trainers=[TrainerSpec(user=director)])
    assert [t.user for t in past_session.trainers.all()] == [director]
    services.session_update(actor=coordinator, session=past_session, place="Dinant")
    assert past_session.trainers.count() == 1  # not given: kept


# --- Status changes ------------------------------------------------------------------------------


def test_postpone_sets_the_new_date_and_creates_nothing_else(coordinator, future_session):
    make_registration(future_session)
    Trainer.objects.create(session=future_session, name="Intervenante")
    counts = (TrainingSession.objects.count(), Registration.objects.count(), Trainer.objects.count())
    new_date = in_year(NEXT_YEAR, 4, 6, 13)
    services.session_postpone(actor=coordinator, session=future_session, new_date=new_date)
    future_session.refresh_from_db()
    assert future_session.status == SessionStatus.POSTPONED
    assert future_session.postponed_to == new_date
    assert future_session.starts_at == in_year(NEXT_YEAR, 3, 2)  # the planned date is kept
    assert (TrainingSession.objects.count(), Registration.objects.count(), Trainer.objects.count()) == counts


def test_postpone_to_a_day_keeps_the_planned_time(coordinator, future_session):
    services.session_postpone(actor=coordinator, session=future_session, new_date=dt.date(NEXT_YEAR, 4, 6))
    future_session.refresh_from_db()
    assert timezone.localtime(future_session.postponed_to) == in_year(NEXT_YEAR, 4, 6, 9, 30)


def test_postpone_without_date_is_refused(coordinator, future_session):
    with pytest.raises(ValidationError) as excinfo:
        services.session_postpone(actor=coordinator, session=future_session, new_date=None)
    assert errors_of(excinfo) == {"new_date": ["Indiquez la nouvelle date de la session."]}
    future_session.refresh_from_db()
    assert (future_session.status, future_session.postponed_to) == (SessionStatus.PLANNED, None)


def test_postpone_to_an_earlier_date_is_refused(coordinator, future_session):
    with pytest.raises(ValidationError) as excinfo:
        services.session_postpone(
            actor=coordinator, session=future_session, new_date=in_year(NEXT_YEAR, 1, 5)
        )
    assert "La nouvelle date doit suivre la date prévue (02/03/" in errors_of(excinfo)["new_date"][0]
    future_session.refresh_from_db()
    assert future_session.status == SessionStatus.PLANNED


def test_cancel_without_reason_is_refused(coordinator, future_session):
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as excinfo:
            services.session_cancel(actor=coordinator, session=future_session, reason=reason)
        assert errors_of(excinfo) == {"reason": ["Indiquez le motif de l'annulation."]}
    future_session.refresh_from_db()
    assert (future_session.status, future_session.cancellation_reason) == (SessionStatus.PLANNED, "")


def test_cancel_records_the_reason_and_keeps_the_registrations(coordinator, future_session):
    make_registration(future_session)
    services.session_cancel(actor=coordinator, session=future_session, reason="  Formatrice malade ")
    future_session.refresh_from_db()
    assert (future_session.status, future_session.cancellation_reason) == (
        SessionStatus.CANCELLED,
        "Formatrice malade",
    )
    assert future_session.registrations.count() == 1
    with pytest.raises(ValidationError) as excinfo:
        services.session_postpone(
            actor=coordinator, session=future_session, new_date=in_year(NEXT_YEAR, 5, 1)
        )
    assert errors_of(excinfo) == {"status": ["Une session annulée ne peut pas être reportée."]}


def test_hold_is_refused_before_the_session_starts(coordinator, future_session):
    with pytest.raises(ValidationError) as excinfo:
        services.session_hold(actor=coordinator, session=future_session)
    assert errors_of(excinfo)["status"][0].startswith("Une session se note tenue à partir de son début")
    future_session.refresh_from_db()
    assert future_session.status == SessionStatus.PLANNED


def test_hold_a_past_session_then_it_can_no_longer_be_cancelled(coordinator, past_session):
    services.session_hold(actor=coordinator, session=past_session)
    past_session.refresh_from_db()
    assert past_session.status == SessionStatus.HELD
    with pytest.raises(ValidationError) as excinfo:
        services.session_cancel(actor=coordinator, session=past_session, reason="Trop tard")
    assert errors_of(excinfo) == {"status": ["Une session déjà tenue ne peut pas être annulée."]}


# --- Registrations -------------------------------------------------------------------------------


def register(actor, session, name, email, **fields):
    return services.registration_add(actor=actor, session=session, name=name, email=email, **fields)


def test_registration_over_capacity_goes_to_the_waiting_list(coordinator, future_session, operator):
    first = register(coordinator, future_session, "Anne", "anne@cpas.be", operator=operator)
    second = register(coordinator, future_session, "Bruno", "bruno@ili.be", organisation="ILI de Ciney")
    third = register(coordinator, future_session, "Chantal", "chantal@example.org")
    assert [first.status, second.status, third.status] == [
        RegistrationStatus.REGISTERED,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITING,
    ]


def test_duplicate_email_on_the_same_session_is_refused(coordinator, future_session, training):
    register(coordinator, future_session, "Anne Lemaire", "anne@cpas.be")
    with pytest.raises(ValidationError) as excinfo:
        register(coordinator, future_session, "Anne L.", "  Anne@CPAS.be ")
    assert errors_of(excinfo) == {
        "email": ["anne@cpas.be est déjà inscrit·e à cette session (Anne Lemaire)."]
    }
    assert future_session.registrations.count() == 1
    other_session = make_session(training)
    assert (
        register(coordinator, other_session, "Anne", "anne@cpas.be").status == RegistrationStatus.REGISTERED
    )


def test_registration_bad_input_names_the_field(coordinator, future_session):
    with pytest.raises(ValidationError) as excinfo:
        register(coordinator, future_session, "", "")
    assert errors_of(excinfo) == {
        "name": ["Indiquez le nom de la personne."],
        "email": ["Indiquez l'adresse e-mail de la personne."],
    }
    with pytest.raises(ValidationError) as excinfo:
        register(coordinator, future_session, "Anne", "pas-une-adresse")
    assert list(errors_of(excinfo)) == ["email"]
    with pytest.raises(ValidationError) as excinfo:
        register(coordinator, future_session, "Anne", "anne@example.org", operator=ghost_operator())
    assert errors_of(excinfo) == {
        "operator": ["Cette organisation ne figure pas dans le répertoire des opérateurs."]
    }
    assert not Registration.objects.exists()


def test_cancelled_session_takes_no_registration(coordinator, future_session):
    services.session_cancel(actor=coordinator, session=future_session, reason="Salle indisponible")
    with pytest.raises(ValidationError) as excinfo:
        register(coordinator, future_session, "Anne", "anne@example.org")
    assert errors_of(excinfo) == {
        "session": ["Cette session est annulée : elle ne prend plus d'inscriptions."]
    }


def test_cancelling_a_registration_gives_the_place_to_the_waiting_list(coordinator, future_session):
    first = register(coordinator, future_session, "Anne", "anne@example.org")
    register(coordinator, future_session, "Bruno", "bruno@example.org")
    waiting = register(coordinator, future_session, "Chantal", "chantal@example.org")
    promoted = services.registration_cancel(actor=coordinator, registration=first)
    assert promoted == [waiting]
    waiting.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, waiting.status) == (RegistrationStatus.CANCELLED, RegistrationStatus.REGISTERED)
    with pytest.raises(ValidationError):
        services.registration_cancel(actor=coordinator, registration=first)


def test_a_cancelled_registration_can_register_again(coordinator, future_session):
    first = register(coordinator, future_session, "Anne", "anne@example.org")
    services.registration_cancel(actor=coordinator, registration=first)
    again = register(coordinator, future_session, "Anne Lemaire", "anne@example.org")
    assert again.pk == first.pk
    assert (again.status, again.name) == (RegistrationStatus.REGISTERED, "Anne Lemaire")


def test_capacity_cannot_go_below_the_places_taken_and_growing_it_moves_the_list_up(
    coordinator, future_session
):
    register(coordinator, future_session, "Anne", "anne@example.org")
    register(coordinator, future_session, "Bruno", "bruno@example.org")
    waiting = register(coordinator, future_session, "Chantal", "chantal@example.org")
    with pytest.raises(ValidationError) as excinfo:
        services.session_update(actor=coordinator, session=future_session, capacity=1)
    assert errors_of(excinfo) == {
        "capacity": ["2 personnes occupent déjà une place : indiquez au moins 2 places."]
    }
    services.session_update(actor=coordinator, session=future_session, capacity=3)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


def test_attendance_is_marked_once_the_session_started(coordinator, past_session, future_session):
    present = make_registration(past_session)
    services.registration_set_attendance(actor=coordinator, registration=present, attended=True)
    present.refresh_from_db()
    assert present.attended
    early = make_registration(future_session)
    with pytest.raises(ValidationError) as excinfo:
        services.registration_set_attendance(actor=coordinator, registration=early, attended=True)
    assert errors_of(excinfo)["attended"][0].startswith("La présence se note à partir du début de la session")
    early.refresh_from_db()
    assert not early.attended


def test_attendance_of_a_cancelled_registration_is_refused(coordinator, past_session):
    registration = make_registration(past_session, status=RegistrationStatus.CANCELLED)
    with pytest.raises(ValidationError) as excinfo:
        services.registration_set_attendance(actor=coordinator, registration=registration, attended=True)
    assert errors_of(excinfo) == {"attended": ["Cette inscription est annulée : la présence ne se note pas."]}
