"""The people followed per year that PostgreSQL keeps ready (``rapports.followed``): after every kind
of write (the services, the ORM, bulk writes, queryset updates, a merge, a deletion, TRUNCATE, two
transactions at once) the rows equal the definition computed from the records
(``selectors.ready_rows_differences`` compares them: people, every dimension, appointments, request
types), and the report reads them."""

import datetime as dt
import threading
import time
from decimal import Decimal

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accompagnement.models import Appointment, RequestType
from accompagnement.services import person_merge
from parcours.models import CollectiveSession, EvaluationInterview, HoursRecord, LanguageTest, Path
from parcours.services import path_open
from rapports import followed, selectors
from rapports.models import FollowedYear, FollowedYearRequestType
from tests.factories import AppointmentFactory, PersonFactory
from tests.worker import _database_url

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the ready rows are kept by PostgreSQL triggers"
)
YEARS = range(2022, 2028)


def brussels(year, month, day, hour=10, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def rows_of(person) -> dict[int, tuple]:
    """{year: (office, nationality, sex, opened, path status, appointments)} of a person's ready rows."""
    return {
        row.year: (row.office_id, row.nationality, row.sex, row.opened, row.path_status, row.appointments)
        for row in FollowedYear.objects.filter(person=person)
    }


def types_of(person) -> dict[tuple[int, int], int]:
    return {
        (row.year, row.request_type_id): row.appointments
        for row in FollowedYearRequestType.objects.filter(person=person)
    }


def assert_agrees_with_definition():
    assert selectors.ready_rows_differences(YEARS) == []


@pytest.fixture
def request_types(db):
    return list(RequestType.objects.order_by("position")[:3])


@pytest.mark.django_db
def test_appointments_written_every_way_keep_the_rows_right(office_a, office_b, counsellor_a, request_types):
    first, second, third = request_types
    person = PersonFactory(office=office_a, nationality="SY", sex="F", file_opened_on=dt.date(2024, 5, 1))
    appointment = AppointmentFactory(person=person, counsellor=counsellor_a, starts_at=brussels(2025, 3, 3))
    appointment.request_types.set([first, second])
    assert rows_of(person) == {2025: (office_a.pk, "SY", "F", 2024, "", 1)}
    assert types_of(person) == {(2025, first.pk): 1, (2025, second.pk): 1}
    assert_agrees_with_definition()

    # The year in Brussels decides: 31 December 23:30 there (22:30 UTC) is still 2024, and 1 January
    # 00:30 there (31 December 23:30 UTC) is already 2026.
    appointment.starts_at = brussels(2024, 12, 31, 23, 30)
    appointment.save()
    AppointmentFactory(person=person, counsellor=counsellor_a, starts_at=brussels(2026, 1, 1, 0, 30))
    assert set(rows_of(person)) == {2024, 2026}
    appointment.request_types.remove(first)
    appointment.request_types.add(third)
    in_2024 = {key: n for key, n in types_of(person).items() if key[0] == 2024}
    assert in_2024 == {(2024, second.pk): 1, (2024, third.pk): 1}
    assert_agrees_with_definition()

    other = PersonFactory(office=office_b, nationality="FR", sex="M")
    created = Appointment.objects.bulk_create(
        AppointmentFactory.build(person=other, counsellor=counsellor_a, starts_at=brussels(2025, month, 2))
        for month in (1, 2, 3)
    )
    Appointment.request_types.through.objects.bulk_create(
        Appointment.request_types.through(appointment_id=a.pk, requesttype_id=first.pk) for a in created
    )
    assert rows_of(other)[2025][-1] == 3 and types_of(other) == {(2025, first.pk): 3}
    Appointment.objects.filter(person=other).update(starts_at=brussels(2023, 6, 6))
    assert set(rows_of(other)) == {2023} and types_of(other) == {(2023, first.pk): 3}
    assert_agrees_with_definition()

    Appointment.objects.filter(person=other, pk__in=[created[0].pk]).update(person=person)
    assert rows_of(person)[2023][-1] == 1 and rows_of(other)[2023][-1] == 2
    appointment.request_types.clear()
    Appointment.objects.filter(person=other).delete()
    assert rows_of(other) == {}
    assert_agrees_with_definition()


@pytest.mark.django_db
def test_path_events_and_sessions_count_as_following(office_a, counsellor_a):
    person = PersonFactory(office=office_a, nationality="AF", sex="M", file_opened_on=dt.date(2023, 2, 1))
    session = CollectiveSession.objects.create(kind="sidd", starts_at=brussels(2025, 4, 4), office=office_a)
    attendance = session.attendances.create(person=person, attended=False)
    assert rows_of(person) == {}  # registered but absent: not followed
    attendance.attended = True
    attendance.save()
    assert set(rows_of(person)) == {2025}
    CollectiveSession.objects.filter(pk=session.pk).update(starts_at=brussels(2026, 4, 4))
    assert set(rows_of(person)) == {2026}

    LanguageTest.objects.create(person=person, taken_on=dt.date(2022, 9, 9), overall="A1")
    path = path_open(actor=counsellor_a, person=person)
    HoursRecord.objects.create(
        path=path,
        component="francais",
        hours=Decimal("20"),
        period_start=dt.date(2023, 11, 1),
        period_end=dt.date(2025, 2, 1),
        operator_name="Lire et Écrire",
        recorded_by=counsellor_a,
    )
    assert set(rows_of(person)) == {2022, 2023, 2024, 2025, 2026}  # the hours' period spans three years
    assert {row[4] for row in rows_of(person).values()} == {path.status}
    assert_agrees_with_definition()

    HoursRecord.objects.filter(path=path).delete()
    evaluation = EvaluationInterview.objects.create(
        path=path, scheduled_at=brussels(2027, 1, 5), office=office_a
    )
    assert set(rows_of(person)) == {2022, 2026}  # an interview not held yet is not an event
    evaluation.held_on = dt.date(2027, 1, 5)
    evaluation.save()
    Path.objects.filter(pk=path.pk).update(
        convention_signed_on=dt.date(2023, 3, 3),
        attestation_delivered_on=dt.date(2024, 4, 4),
        status="oblige",
    )
    assert set(rows_of(person)) == {2022, 2023, 2024, 2026, 2027}
    assert {row[4] for row in rows_of(person).values()} == {"oblige"}
    assert_agrees_with_definition()


@pytest.mark.django_db
def test_a_change_to_the_file_moves_the_person_in_every_figure(office_a, office_b, counsellor_a):
    person = PersonFactory(office=office_a, nationality="SY", sex="F", file_opened_on=dt.date(2024, 5, 1))
    AppointmentFactory(person=person, counsellor=counsellor_a, starts_at=brussels(2025, 3, 3))
    AppointmentFactory(person=person, counsellor=counsellor_a, starts_at=brussels(2024, 6, 3))
    person.office, person.nationality, person.file_opened_on = office_b, "TR", dt.date(2023, 1, 1)
    person.save()
    assert rows_of(person) == {
        2024: (office_b.pk, "TR", "F", 2023, "", 1),
        2025: (office_b.pk, "TR", "F", 2023, "", 1),
    }
    profile = selectors.followed_profile(2025)
    assert profile["office"] == {office_b.pk: 1} and profile["nationality"] == {"TR": 1}
    assert profile["previous_nationality"] == {"TR": 1}
    assert (profile["appointments"], profile["appointments_previous"]) == (1, 1)
    assert_agrees_with_definition()


@pytest.mark.django_db
def test_an_update_of_columns_the_definition_does_not_read_recomputes_nobody(office_a, counsellor_a):
    """A note or a phone number changes nothing in the figures: no recompute (a row altered behind the
    triggers' back stays as it is); a change of date does recompute."""
    person = PersonFactory(office=office_a, nationality="SY")
    appointment = AppointmentFactory(person=person, counsellor=counsellor_a, starts_at=brussels(2025, 3, 3))
    FollowedYear.objects.filter(person=person).update(appointments=99)
    appointment.notes = "Rappeler la semaine prochaine"
    appointment.save()
    person.phone = "0470 12 34 56"
    person.save()
    assert rows_of(person)[2025][-1] == 99
    appointment.starts_at = brussels(2025, 3, 4)
    appointment.save()
    assert rows_of(person)[2025][-1] == 1


@pytest.mark.django_db
def test_a_merge_moves_the_rows_and_a_deletion_removes_them(office_a, counsellor_a, administrator):
    kept = PersonFactory(office=office_a, nationality="SY")
    duplicate = PersonFactory(office=office_a, nationality="SY")
    AppointmentFactory(person=kept, counsellor=counsellor_a, starts_at=brussels(2025, 3, 3))
    AppointmentFactory(person=duplicate, counsellor=counsellor_a, starts_at=brussels(2025, 5, 5))
    LanguageTest.objects.create(person=duplicate, taken_on=dt.date(2024, 9, 9), overall="A2")
    person_merge(actor=administrator, kept=kept, duplicate=duplicate)
    assert set(rows_of(kept)) == {2024, 2025} and rows_of(kept)[2025][-1] == 2
    assert not FollowedYear.objects.filter(person_id=duplicate.pk).exists()
    assert_agrees_with_definition()

    kept.delete()
    assert FollowedYear.objects.count() == 0 and FollowedYearRequestType.objects.count() == 0


@pytest.mark.django_db
def test_truncate_of_a_source_table_recomputes_everybody(office_a, counsellor_a, request_types):
    person = PersonFactory(office=office_a)
    AppointmentFactory(
        person=person, counsellor=counsellor_a, starts_at=brussels(2025, 3, 3)
    ).request_types.set(request_types[:1])
    LanguageTest.objects.create(person=person, taken_on=dt.date(2024, 9, 9), overall="A2")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending foreign-key checks
        cursor.execute("TRUNCATE accompagnement_appointment CASCADE")
    assert set(rows_of(person)) == {2024} and types_of(person) == {}
    assert_agrees_with_definition()


@pytest.mark.django_db
def test_the_report_reads_the_ready_rows_and_finds_the_same_figures(office_a, office_b, counsellor_a):
    for index in range(6):
        person = PersonFactory(
            office=office_a if index % 2 else office_b, nationality=("SY", "FR", "XX")[index % 3]
        )
        AppointmentFactory(person=person, counsellor=counsellor_a, starts_at=brussels(2025, 1 + index, 3))
        AppointmentFactory(person=person, counsellor=counsellor_a, starts_at=brussels(2024, 1 + index, 3))
    ready = selectors.report_figures(year=2025)
    with CaptureQueriesContext(connection) as queries:
        selectors.report_figures(year=2025)
    assert any("rapports_followedyear" in q["sql"] for q in queries.captured_queries)
    assert not any("rapports_followedyear" in q["sql"] for q in _live_queries())
    with selectors.live_figures():
        live = selectors.report_figures(year=2025)
    assert ready == live
    assert ready["accompagnement"]["followed"] == 6 and ready["accompagnement"]["appointments"] == 6


def _live_queries():
    with selectors.live_figures(), CaptureQueriesContext(connection) as queries:
        selectors.report_figures(year=2025)
    return queries.captured_queries


@pytest.mark.django_db
def test_the_dashboard_counts_to_date_from_the_records(office_a, counsellor_a):
    """The ready rows hold whole years: the dashboard's year so far (an appointment booked for later
    in the year is not yet counted) is computed from the records."""
    person = PersonFactory(office=office_a)
    AppointmentFactory(person=person, counsellor=counsellor_a, starts_at=brussels(2025, 11, 20))
    with selectors.figures_to_date(dt.date(2025, 6, 30)):
        assert not selectors.uses_ready_rows()
        assert selectors.followed_profile(2025)["appointments"] == 0
    assert selectors.followed_profile(2025)["appointments"] == 1


@pytest.mark.django_db
def test_check_command_finds_a_tampered_row_and_rebuild_repairs_it(office_a, counsellor_a, capsys):
    person = PersonFactory(office=office_a, nationality="SY")
    AppointmentFactory(person=person, counsellor=counsellor_a, starts_at=brussels(2025, 3, 3))
    call_command("followed_years", "--check", "--year", "2025")
    assert "Conforme" in capsys.readouterr().out
    FollowedYear.objects.filter(person=person).update(nationality="FR")  # as a broken trigger would
    with pytest.raises(Exception, match="écart"):
        call_command("followed_years", "--check", "--year", "2025")
    assert "nationality" in capsys.readouterr().err
    call_command("followed_years", "--rebuild", "--check", "--year", "2025")
    assert rows_of(person)[2025][1] == "SY"


@pytest.mark.django_db
def test_installing_again_changes_nothing():
    with connection.cursor() as cursor:
        for statement in followed.install_statements():
            cursor.execute(statement)
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname LIKE %s AND NOT tgisinternal", ["followed\\_%"]
        )
        triggers = cursor.fetchone()[0]
    expected = sum(4 - (table in followed.NO_INSERT_TRIGGER) for table in followed.SOURCES)
    assert triggers == expected


def _other_connection():
    database = _database_url(connection.settings_dict)
    other = psycopg2.connect(database)
    other.autocommit = False
    return other


@pytest.mark.django_db(transaction=True)
def test_two_transactions_about_the_same_person_take_turns(office_a, counsellor_a):
    """One transaction records a new appointment while another deletes the person's only other one.
    Whichever recomputes first, the second waits for it to commit and then sees its record: the
    person stays followed, with one appointment (without the lock, the deletion would remove the row
    and the new appointment would be lost to the report)."""
    person = PersonFactory(office=office_a)
    old = AppointmentFactory(person=person, counsellor=counsellor_a, starts_at=brussels(2025, 3, 3))
    other = _other_connection()
    finished = threading.Event()

    def delete_old_one():
        with other.cursor() as cursor:
            cursor.execute(
                "DELETE FROM accompagnement_appointment_request_types WHERE appointment_id = %s", [old.pk]
            )
            cursor.execute("DELETE FROM accompagnement_appointment WHERE id = %s", [old.pk])
        other.commit()
        finished.set()

    try:
        with transaction.atomic():
            AppointmentFactory(person=person, counsellor=counsellor_a, starts_at=brussels(2025, 9, 9))
            worker = threading.Thread(target=delete_old_one)
            worker.start()
            time.sleep(0.5)
            assert not finished.is_set()  # the deletion waits for the person's turn
        worker.join(timeout=10)
        assert finished.is_set()
    finally:
        other.close()
    assert rows_of(person)[2025][-1] == 1
    assert_agrees_with_definition()


def test_the_table_names_the_triggers_use_are_the_models():
    assert FollowedYear._meta.db_table == followed.FOLLOWED_TABLE
    assert FollowedYearRequestType._meta.db_table == followed.REQUEST_TYPE_TABLE
    assert Appointment.request_types.through._meta.db_table in followed.SOURCES
    for model in (Appointment, CollectiveSession, LanguageTest, HoursRecord, EvaluationInterview, Path):
        assert model._meta.db_table in followed.SOURCES
