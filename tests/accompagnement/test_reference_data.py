import datetime as dt

import pytest

from accompagnement.models import Commune, Office, RequestType
from accompagnement.permanences import permanences_between
from accompagnement.reference import load_reference_data
from accompagnement.selectors import offices_with_schedules

pytestmark = pytest.mark.django_db


def test_reference_data_has_the_38_communes_each_served_by_an_office():
    assert Commune.objects.count() == 38
    assert not Commune.objects.filter(office__isnull=True).exists()
    assert Commune.objects.get(nis_code="92094").office.slug == "namur"
    assert Commune.objects.get(name="Rochefort").office.name == "Ciney"


def test_reference_data_loading_twice_changes_nothing():
    before = Office.objects.count(), RequestType.objects.count()
    load_reference_data()
    assert (Office.objects.count(), RequestType.objects.count()) == before == (8, 11)


def test_ciney_permanences_fall_on_first_and_third_thursdays():
    ciney = offices_with_schedules().filter(slug="ciney")
    days = [p.date for p in permanences_between(ciney, dt.date(2026, 12, 1), dt.date(2026, 12, 31))]
    assert days == [dt.date(2026, 12, 3), dt.date(2026, 12, 17)]


def test_a_closure_removes_a_permanence_and_appointment_only_marks_it(office_b):
    office_b.permanence_exceptions.create(
        start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 10), kind="closed"
    )
    office_b.permanence_exceptions.create(
        start_date=dt.date(2026, 12, 24),
        end_date=dt.date(2026, 12, 24),
        kind="appointment_only",
        reason="Noël",
    )
    dinant = offices_with_schedules().filter(pk=office_b.pk)
    result = permanences_between(dinant, dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert [(p.date, p.appointment_only) for p in result] == [(dt.date(2026, 12, 24), True)]


def test_sambreville_has_a_permanence_every_monday():
    sambreville = offices_with_schedules().filter(slug="sambreville")
    days = [p.date for p in permanences_between(sambreville, dt.date(2026, 11, 1), dt.date(2026, 11, 30))]
    assert days == [dt.date(2026, 11, d) for d in (2, 9, 16, 23, 30)]
    assert all(d.weekday() == 0 for d in days)
