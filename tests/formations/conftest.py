"""Builders of the trainings tests: operators of the directory, trainings, sessions (in the past, so
that attendance can be marked, or in the coming year, for the programme) and registrations.

Rows are built directly (these are test factories); the behaviours under test go through the services."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from formations.choices import RegistrationStatus, SessionStatus
from formations.models import Registration, Trainer, Training, TrainingSession
from plateformes.choices import OperatorKind
from plateformes.models import Operator

_numbers = itertools.count(1)
NEXT_YEAR = timezone.localdate().year + 1


def make_operator(name=None, **fields) -> Operator:
    return Operator.objects.create(
        name=name or f"Opérateur {next(_numbers)}",
        kind=fields.pop("kind", OperatorKind.ASSOCIATION),
        **fields,
    )


def make_training(title=None, **fields) -> Training:
    return Training.objects.create(title=title or f"Formation {next(_numbers)}", **fields)


def make_session(training=None, *, starts_at=None, hours=3, **fields) -> TrainingSession:
    """A session (by default three hours, last week, in Namur)."""
    starts_at = starts_at or timezone.now().replace(microsecond=0) - dt.timedelta(days=7)
    fields.setdefault("place", "Namur, rue Docteur Haibe 2")
    return TrainingSession.objects.create(
        training=training or make_training(),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        **fields,
    )


def make_registration(session, name=None, **fields) -> Registration:
    number = next(_numbers)
    return Registration.objects.create(
        session=session,
        name=name or f"Participant·e {number}",
        email=fields.pop("email", f"pro{number}@example.org"),
        **fields,
    )


def in_year(year, month, day, hour=9, minute=30) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def make_rich_sessions(count: int, *, staff) -> list[TrainingSession]:
    """``count`` sessions of different trainings, each with two trainers (one of the team, one external
    with an organisation) and three registrations (registered and present, waiting, cancelled)."""
    operator = make_operator()
    sessions = []
    for index in range(count):
        session = make_session(make_training(theme=f"Thème {index % 4}"), capacity=2)
        Trainer.objects.create(session=session, user=staff)
        Trainer.objects.create(session=session, name="Intervenante externe", operator=operator)
        make_registration(session, attended=True, operator=operator)
        make_registration(session, status=RegistrationStatus.WAITING)
        make_registration(session, status=RegistrationStatus.CANCELLED)
        sessions.append(session)
    return sessions


@pytest.fixture
def operator(db):
    return make_operator("CPAS de Namur", kind=OperatorKind.CPAS)


@pytest.fixture
def training(db):
    return make_training(
        "Communication interculturelle", theme="Interculturalité", audience="Travailleurs sociaux"
    )


@pytest.fixture
def past_session(training):
    return make_session(training, capacity=2)


@pytest.fixture
def future_session(training):
    return make_session(
        training, starts_at=in_year(NEXT_YEAR, 3, 2), capacity=2, status=SessionStatus.PLANNED
    )
