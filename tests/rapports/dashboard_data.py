"""A small year whose figures are known, shared by the dashboard tests and the director's browser
journey (``tests/e2e/test_director_report_journey.py``).

For ``year``: 4 people followed (3 of Namur, 1 of Dinant) through 5 appointments, 1 person followed the
year before (1 appointment); 1 SIDD session with 2 participants; 1 attestation delivered (to an obliged
person); 1 interpellation; 1 training session held."""

import datetime as dt

from django.utils import timezone

from formations.models import Training, TrainingSession
from parcours.choices import PathStatus
from parcours.models import CollectiveSession, Path, SessionAttendance
from parcours.services import path_open
from plateformes.models import Interpellation
from tests.factories import AppointmentFactory, PersonFactory

KNOWN = {
    "followed": 4,
    "followed_previous": 1,
    "appointments": 5,
    "appointments_previous": 1,
    "sidd_sessions": 1,
    "sidd_participants": 2,
    "attestations": 1,
    "obliged": 1,
    "interpellations": 1,
    "trainings_held": 1,
    "followed_namur": 3,
    "followed_dinant": 1,
}


def at(year, month, day, hour=10):
    return dt.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


def build_known_year(*, year: int, namur, dinant, counsellor) -> dict:
    """The data set above; ``counsellor`` works in Namur (opens the path)."""
    amina = PersonFactory(office=namur, first_name="Amina", nationality="SY", sex="F")
    karim = PersonFactory(office=namur, first_name="Karim", nationality="AF", sex="M")
    lena = PersonFactory(office=namur, first_name="Lena", nationality="UA", sex="F")
    omar = PersonFactory(office=dinant, first_name="Omar", nationality="MA", sex="M")
    PersonFactory(office=dinant, first_name="Nadia")  # no activity: not followed
    for person, month in ((amina, 1), (amina, 3), (karim, 2), (lena, 5), (omar, 6)):
        AppointmentFactory(person=person, counsellor=counsellor, starts_at=at(year, month, 10))
    AppointmentFactory(person=amina, counsellor=counsellor, starts_at=at(year - 1, 11, 10))
    sidd = CollectiveSession.objects.create(kind="sidd", starts_at=at(year, 4, 4), office=namur)
    SessionAttendance.objects.create(session=sidd, person=amina, attended=True)
    SessionAttendance.objects.create(session=sidd, person=karim, attended=True)
    path = path_open(actor=counsellor, person=lena)
    Path.objects.filter(pk=path.pk).update(
        status=PathStatus.OBLIGED, attestation_delivered_on=dt.date(year, 9, 9)
    )
    Interpellation.objects.create(
        kind="motion", level="commune", title="Motion commune hospitalière", date=dt.date(year, 3, 3)
    )
    training = Training.objects.create(title="Approche interculturelle")
    TrainingSession.objects.create(
        training=training, starts_at=at(year, 3, 12), ends_at=at(year, 3, 12, 17), status="tenue"
    )
    return {"people": [amina, karim, lena, omar]}
