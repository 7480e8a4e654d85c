"""The trainings part of ``manage.py load_demo`` (``formations.demo``): a year of sessions in every
state, next year's programme, valid rows, built once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from formations.choices import RegistrationStatus, SessionStatus
from formations.models import Registration, Trainer, Training, TrainingSession
from plateformes.choices import OperatorKind

pytestmark = pytest.mark.django_db

TRAINING_MODELS = [Training, TrainingSession, Trainer, Registration]


def load_demo(*args) -> str:
    out = StringIO()
    call_command("load_demo", "--people", "60", "--seed", "2", *args, stdout=out, verbosity=0)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TRAINING_MODELS}


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """One demo year for the whole module (loading takes seconds), rolled back at the end; each test
    runs in its own nested transaction on top of it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def test_demo_builds_a_catalogue_and_sessions_in_every_state(demo_output):
    year = timezone.localdate().year
    assert Training.objects.filter(active=True).count() >= 12
    this_year = TrainingSession.objects.filter(starts_at__year=year)
    assert this_year.count() >= 20
    states = dict(this_year.values_list("status").annotate(n=Count("id")))
    assert states[SessionStatus.HELD] >= 12
    assert states[SessionStatus.CANCELLED] == 2
    assert states[SessionStatus.POSTPONED] >= 2
    assert this_year.filter(postponed_to__isnull=False).count() in (2, 3)
    assert (
        this_year.filter(status=SessionStatus.PLANNED).exists()
        or TrainingSession.objects.filter(
            status=SessionStatus.PLANNED, starts_at__gte=timezone.now()
        ).exists()
    )
    assert not TrainingSession.objects.filter(status=SessionStatus.CANCELLED, cancellation_reason="").exists()
    assert TrainingSession.objects.filter(starts_at__year=year + 1, status=SessionStatus.PLANNED).count() >= 6
    requesters = set(
        Training.objects.filter(on_request_for__isnull=False).values_list("on_request_for__kind", flat=True)
    )
    assert requesters == {OperatorKind.COMMUNE, OperatorKind.CPAS}
    assert TrainingSession.objects.filter(training__on_request_for__isnull=False).count() == 2
    assert "Formations : 14 formations" in demo_output


def test_held_sessions_have_trainers_registrations_and_attendance(demo_output):
    now = timezone.now()
    held = TrainingSession.objects.filter(status=SessionStatus.HELD).annotate(
        trainers_n=Count("trainers", distinct=True),
        present=Count("registrations", filter=Q(registrations__attended=True), distinct=True),
    )
    assert held.count() >= 15
    for session in held:
        assert (session.postponed_to or session.starts_at) < now
        assert session.trainers_n >= 1
        assert session.present >= 1
    assert Trainer.objects.filter(user__isnull=False).exists()
    assert Trainer.objects.filter(user__isnull=True, operator__isnull=False).exists()
    assert not Trainer.objects.filter(user__isnull=False, operator__isnull=False).exists()
    # Attendance only where the session was held, and never for a cancelled registration.
    attended = Registration.objects.filter(attended=True)
    assert not attended.exclude(session__status=SessionStatus.HELD).exists()
    assert not attended.exclude(status=RegistrationStatus.REGISTERED).exists()
    assert Registration.objects.filter(status=RegistrationStatus.CANCELLED).exists()
    assert Registration.objects.filter(operator__isnull=False).exists()


def test_registered_professionals_never_exceed_the_places(demo_output):
    sessions = TrainingSession.objects.annotate(
        registered=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED))
    )
    for session in sessions:
        assert session.capacity is None or session.registered <= session.capacity


def test_demo_rows_are_valid(demo_output):
    """bulk_create skips validation: every row must still pass ``full_clean`` (constraints included)."""
    for model in TRAINING_MODELS:
        for row in model.objects.all()[:80]:
            row.full_clean()
    assert not TrainingSession.objects.filter(online=False, place="").exists()
    emails = Registration.objects.values_list("email", flat=True)
    assert all(email == email.lower() for email in emails)


def test_a_second_load_and_a_reset_add_no_training(demo_output):
    before = counts()
    load_demo()
    assert counts() == before
    output = load_demo("--reset")
    assert counts() == before
    assert "Formations : déjà chargées" in output
