"""Dates and times a person can mean: a year like 0281 is refused with a French message, on every
moment typed in the application (appointments, meetings, training sessions, collective sessions)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accompagnement.models import Appointment
from cai.validators import validate_plausible_moment
from formations.models import TrainingSession
from parcours.models import CollectiveSession
from plateformes.models import Meeting

BRUSSELS = timezone.get_default_timezone()


@pytest.mark.parametrize("year", [1900, 2026, 2100])
def test_a_moment_between_1900_and_2100_is_accepted(year):
    validate_plausible_moment(dt.datetime(year, 6, 1, 9, 0, tzinfo=BRUSSELS))


@pytest.mark.parametrize("year", [281, 1899, 2101, 7939])
def test_a_moment_out_of_range_is_refused_in_french(year):
    with pytest.raises(ValidationError) as error:
        validate_plausible_moment(dt.datetime(year, 2, 11, 5, 23, tzinfo=BRUSSELS))
    assert error.value.messages == ["Indiquez une date entre 1900 et 2100."]


@pytest.mark.parametrize(
    "model, field",
    [
        (Appointment, "starts_at"),
        (Meeting, "starts_at"),
        (Meeting, "ends_at"),
        (TrainingSession, "starts_at"),
        (TrainingSession, "ends_at"),
        (TrainingSession, "postponed_to"),
        (CollectiveSession, "starts_at"),
    ],
)
def test_every_typed_moment_carries_the_validator(model, field):
    assert validate_plausible_moment in model._meta.get_field(field).validators
