"""Figures computed on a small hand-built data set whose true values are known."""

import datetime as dt

import pytest
from django.utils import timezone

from parcours import services as path_services
from rapports.selectors import report_figures
from tests.factories import AppointmentFactory, PersonFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


def at(month, day):
    return dt.datetime(YEAR, month, day, 10, tzinfo=timezone.get_current_timezone())


def rows(figures, key):
    return {row[0]: row[1:] for row in next(t for t in figures["tables"] if t["key"] == key)["rows"]}


@pytest.fixture
def data(office_a, office_b, counsellor_a, counsellor_b):
    syrian = PersonFactory(office=office_a, nationality="SY", sex="F", file_opened_on=dt.date(2024, 5, 1))
    afghan = PersonFactory(office=office_a, nationality="AF", sex="M", file_opened_on=dt.date(YEAR, 2, 1))
    french = PersonFactory(office=office_b, nationality="FR", sex="F", file_opened_on=dt.date(YEAR, 3, 1))
    stateless = PersonFactory(office=office_b, nationality="XX", sex="M", file_opened_on=dt.date(YEAR, 3, 1))
    PersonFactory(office=office_b, nationality="MA")  # no activity in the year: not followed
    AppointmentFactory(person=syrian, counsellor=counsellor_a, starts_at=at(1, 10))
    AppointmentFactory(person=syrian, counsellor=counsellor_a, starts_at=at(6, 10))
    AppointmentFactory(person=afghan, counsellor=counsellor_a, starts_at=at(2, 3))
    AppointmentFactory(person=french, counsellor=counsellor_b, starts_at=at(4, 4))
    AppointmentFactory(
        person=stateless,
        counsellor=counsellor_b,
        starts_at=dt.datetime(YEAR - 1, 12, 1, tzinfo=timezone.get_current_timezone()),
    )
    return {"syrian": syrian, "stateless": stateless}


def test_people_followed_by_origin_country_sex_and_office(data, counsellor_b):
    figures = report_figures(year=YEAR)
    assert (
        figures["accompagnement"]["followed"] == 3
    )  # the stateless person's appointment was the year before
    assert figures["accompagnement"]["followed_previous"] == 1
    assert figures["accompagnement"]["appointments"] == 4
    assert figures["accompagnement"]["countries"] == 3
    origins = rows(figures, "origines")
    assert origins["Hors UE"] == [2, 0] and origins["UE"] == [1, 0] and origins["Apatrides"] == [0, 1]
    assert rows(figures, "sexe")["Femme"] == [2]
    offices = {o["slug"]: o for o in figures["offices"]}
    assert (offices["namur"]["followed"], offices["dinant"]["followed"]) == (2, 1)
    assert rows(figures, "suivis_depuis") == {2024: [1], YEAR: [2]}


def test_a_path_event_counts_as_following(data, counsellor_b):
    with_path = data["stateless"]
    with_path.residence_card, with_path.residence_ordered_on, with_path.registration_date = (
        "B",
        dt.date(YEAR, 1, 5),
        dt.date(YEAR, 1, 2),
    )
    with_path.save()
    path_services.language_test_record(
        actor=counsellor_b, person=with_path, taken_on=dt.date(YEAR, 5, 5), overall="A1"
    )
    figures = report_figures(year=YEAR)
    assert figures["accompagnement"]["followed"] == 4
    assert rows(figures, "tests_langue")["A1"] == [1]


def test_the_number_of_queries_does_not_depend_on_the_data_size(
    django_assert_max_num_queries, office_a, counsellor_a
):
    for _ in range(10):
        AppointmentFactory(person=PersonFactory(office=office_a), counsellor=counsellor_a, starts_at=at(3, 3))
    with django_assert_max_num_queries(40) as small:
        report_figures(year=YEAR)
    for _ in range(100):
        AppointmentFactory(person=PersonFactory(office=office_a), counsellor=counsellor_a, starts_at=at(3, 3))
    with django_assert_max_num_queries(len(small.captured_queries)):
        report_figures(year=YEAR)
