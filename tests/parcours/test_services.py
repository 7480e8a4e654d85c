import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from parcours import services
from parcours.choices import ComponentKind, ComponentState, PathStatus
from parcours.models import DispensationReason, HoursRecord, Path
from parcours.selectors import deadline_page_items, deadline_rows
from tests.factories import AppointmentFactory, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def newcomer(office_a):
    """An obliged Syrian newcomer of office A, title ordered two months ago."""
    return PersonFactory(
        office=office_a,
        nationality="SY",
        birth_date=dt.date(1990, 3, 4),
        residence_card="B",
        residence_ordered_on=TODAY - dt.timedelta(days=60),
        arrival_date=TODAY - dt.timedelta(days=120),
        registration_date=TODAY - dt.timedelta(days=100),
    )


def state(path, kind):
    return path.components.get(kind=kind).state


def test_opening_a_path_computes_the_status_and_creates_every_component(counsellor_a, newcomer):
    path = services.path_open(actor=counsellor_a, person=newcomer)
    assert path.status == PathStatus.OBLIGED
    assert path.regime.code == "2024"
    assert path.attestation_due == newcomer.residence_ordered_on + relativedelta(years=3)
    assert path.presentation_due == newcomer.registration_date + relativedelta(months=3)
    assert path.components.count() == len(ComponentKind.values)
    assert state(path, ComponentKind.FRENCH) == ComponentState.TODO


def test_counsellor_of_another_office_cannot_open_the_path(counsellor_b, newcomer):
    with pytest.raises(ValidationError):
        services.path_open(actor=counsellor_b, person=newcomer)
    assert not Path.objects.exists()


def test_director_cannot_write_a_path(director, newcomer):
    with pytest.raises(PermissionDenied):
        services.path_open(actor=director, person=newcomer)


def test_a_recorded_dispensation_makes_the_person_dispensed(counsellor_a, newcomer):
    path = services.path_open(actor=counsellor_a, person=newcomer)
    reason = DispensationReason.objects.get(code="certificat_medical")
    path = services.path_update_facts(actor=counsellor_a, path=path, dispensation=reason)
    assert (path.status, path.computed_reason) == (PathStatus.DISPENSED, "dispense_enregistree")


def test_override_needs_a_reason_and_shows_as_the_status(counsellor_a, newcomer):
    path = services.path_open(actor=counsellor_a, person=newcomer)
    with pytest.raises(ValidationError) as error:
        services.path_override_status(actor=counsellor_a, path=path, status=PathStatus.VOLUNTARY, reason="  ")
    assert "reason" in error.value.message_dict
    path.refresh_from_db()
    assert path.status == PathStatus.OBLIGED
    path = services.path_override_status(
        actor=counsellor_a, path=path, status=PathStatus.VOLUNTARY, reason="Décision du SPW"
    )
    path = services.path_refresh(path=path)
    assert (path.status, path.computed_status) == (PathStatus.VOLUNTARY, PathStatus.OBLIGED)


def test_french_hours_accrue_from_records_and_complete_at_400(counsellor_a, newcomer):
    path = services.path_open(actor=counsellor_a, person=newcomer)
    period = {
        "period_start": TODAY - dt.timedelta(days=30),
        "period_end": TODAY,
        "operator_name": "ILI Namur",
    }
    services.hours_record_add(
        actor=counsellor_a, path=path, component=ComponentKind.FRENCH, hours=Decimal("150"), **period
    )
    assert state(path, ComponentKind.FRENCH) == ComponentState.IN_PROGRESS
    services.hours_record_add(
        actor=counsellor_a, path=path, component=ComponentKind.FRENCH, hours=Decimal("250"), **period
    )
    assert state(path, ComponentKind.FRENCH) == ComponentState.DONE


def test_negative_hours_are_refused_and_nothing_is_saved(counsellor_a, newcomer):
    path = services.path_open(actor=counsellor_a, person=newcomer)
    with pytest.raises(ValidationError) as error:
        services.hours_record_add(
            actor=counsellor_a,
            path=path,
            component=ComponentKind.FRENCH,
            hours=Decimal("-3"),
            period_start=TODAY,
            period_end=TODAY,
            operator_name="ILI",
        )
    assert "hours" in error.value.message_dict
    assert HoursRecord.objects.count() == 0


def test_a_test_at_a2_makes_french_training_not_required(counsellor_a, newcomer):
    path = services.path_open(actor=counsellor_a, person=newcomer)
    services.language_test_record(actor=counsellor_a, person=newcomer, taken_on=TODAY, overall="A2")
    assert state(path, ComponentKind.FRENCH_TEST) == ComponentState.DONE
    component = path.components.get(kind=ComponentKind.FRENCH)
    assert component.state == ComponentState.NOT_REQUIRED and "A2" in component.not_required_reason


def test_a_test_result_that_is_not_a_cefr_level_is_refused(counsellor_a, newcomer):
    services.path_open(actor=counsellor_a, person=newcomer)
    with pytest.raises(ValidationError) as error:
        services.language_test_record(actor=counsellor_a, person=newcomer, taken_on=TODAY, overall="Z9")
    assert "overall" in error.value.message_dict


def test_attending_a_sidd_completes_rights_and_duties(counsellor_a, office_a, newcomer):
    path = services.path_open(actor=counsellor_a, person=newcomer)
    session = services.session_create(
        actor=counsellor_a, kind="sidd", starts_at=timezone.now(), office=office_a
    )
    services.attendance_set(actor=counsellor_a, session=session, person=newcomer, attended=True)
    assert state(path, ComponentKind.RIGHTS_DUTIES) == ComponentState.DONE


def test_attendance_at_a_session_of_an_office_the_counsellor_cannot_see_is_refused(
    counsellor_a, counsellor_b, office_b, newcomer
):
    session = services.session_create(
        actor=counsellor_b, kind="sidd", starts_at=timezone.now(), office=office_b
    )
    with pytest.raises(ValidationError) as error:
        services.attendance_set(actor=counsellor_a, session=session, person=newcomer, attended=True)
    assert "session" in error.value.message_dict
    assert not session.attendances.exists()


def test_attestation_is_refused_while_the_path_is_incomplete(counsellor_a, newcomer):
    path = services.path_open(actor=counsellor_a, person=newcomer)
    with pytest.raises(ValidationError) as error:
        services.attestation_deliver(actor=counsellor_a, path=path, delivered_on=TODAY)
    assert "Bilan social" in error.value.message_dict["attestation"][0]
    path.refresh_from_db()
    assert path.attestation_delivered_on is None


def test_complete_path_gets_its_attestation(counsellor_a, newcomer):
    path = services.path_open(actor=counsellor_a, person=newcomer)
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
    path = services.attestation_deliver(actor=counsellor_a, path=path, delivered_on=TODAY)
    assert path.attestation_delivered_on == TODAY
    assert state(path, ComponentKind.EVALUATIONS) == ComponentState.DONE


def test_deadlines_list_overdue_presentation_and_upcoming_evaluation(
    counsellor_a, counsellor_b, newcomer, office_b
):
    path = services.path_open(
        actor=counsellor_a, person=newcomer
    )  # registered 100 days ago: presentation overdue
    services.convention_sign(actor=counsellor_a, path=path, signed_on=TODAY - dt.timedelta(days=170))
    horizon = TODAY + dt.timedelta(days=30)

    def items(user, **filters):
        return deadline_page_items(deadline_rows(user=user, horizon=horizon, **filters))

    assert [(i.kind, i.overdue) for i in items(counsellor_a)] == [
        ("presentation", True),
        ("evaluation", False),
    ]
    assert [i.kind for i in items(counsellor_a, overdue_only=True)] == ["presentation"]
    assert [i.kind for i in items(counsellor_a, kind="evaluation")] == ["evaluation"]
    assert items(counsellor_b) == []
    AppointmentFactory(person=newcomer, counsellor=counsellor_a)
    assert [i.kind for i in items(counsellor_a)] == ["evaluation"]
