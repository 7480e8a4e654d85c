"""A small, hand-built year for the report's chapters beyond accompaniment (coordination, trainings
and awareness, interpellations, governance, team), whose true figures are known. Shared by the
selector tests and the PDF tests. Records are created directly: these tests check what the report
computes, not how the records are written."""

import datetime as dt

from django.utils import timezone

from accompagnement.models import Commune, Office
from formations.models import Registration, Trainer, Training, TrainingSession
from parcours.models import CollectiveSession, Path, SessionAttendance
from parcours.services import path_open
from plateformes.models import (
    AwarenessAction,
    GovernanceMeeting,
    Group,
    Interpellation,
    Meeting,
    MeetingAttendee,
    Operator,
    StaffMember,
    SupportAction,
)
from tests.factories import AppointmentFactory, PersonFactory

YEAR = 2025


def at(year, month, day, hour=9):
    return dt.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


def meeting(group, when, attendees):
    """A meeting and its attendees: (name, operator or None, free-text organisation)."""
    held = Meeting.objects.create(group=group, starts_at=when)
    for name, operator, organisation in attendees:
        MeetingAttendee.objects.create(meeting=held, name=name, operator=operator, organisation=organisation)
    return held


def session(training, start, end=None, **fields):
    return TrainingSession.objects.create(
        training=training, starts_at=start, ends_at=end or start + dt.timedelta(hours=7), **fields
    )


def build_network(*, staff):
    """Groups' meetings, support to operators. Expected figures are in the tests."""
    lire = Operator.objects.create(name="Lire et Écrire Namur", kind="ili")
    maison = Operator.objects.create(name="Maison de quartier", kind="association")
    closed_operator = Operator.objects.create(name="Ancienne ASBL", kind="association", active=False)

    citizenship = Group.objects.get(kind="plateforme", name="Plateforme citoyenneté")
    meeting(
        citizenship,
        at(YEAR, 3, 1),
        [("Marie Dubois", lire, ""), ("Jean Lemaire", None, "CPAS de Namur")],
    )
    meeting(
        citizenship,
        at(YEAR, 9, 1),
        [
            ("marie dubois", lire, ""),  # the same person, typed otherwise
            ("Ali Ben", maison, ""),
            ("Zoé Martin", None, "cpas de namur"),  # the same organisation
        ],
    )
    meeting(citizenship, at(YEAR - 1, 9, 1), [("Ancien Membre", closed_operator, "")])

    Group.objects.create(kind="groupe_travail", name="GT Fermé sans réunion", status="clos")
    closed_but_met = Group.objects.create(
        kind="groupe_travail", name="GT Clos en cours d'année", status="clos"
    )
    meeting(closed_but_met, at(YEAR, 2, 2), [("Une Personne", None, "Commune d'Andenne")])

    namur_coordination = Group.objects.get(
        kind="coordination_locale", office=Office.objects.get(slug="namur")
    )
    meeting(namur_coordination, at(YEAR, 5, 5), [("Marie Dubois", lire, "")])

    for day, operator, kind in (
        (dt.date(YEAR, 2, 1), lire, "conseil"),
        (dt.date(YEAR, 6, 1), lire, "conseil"),
        (dt.date(YEAR, 7, 1), maison, "visite"),
        (dt.date(YEAR - 1, 7, 1), maison, "conseil"),
        (dt.date(YEAR - 1, 8, 1), closed_operator, "dossier_subvention"),
    ):
        SupportAction.objects.create(operator=operator, date=day, kind=kind, topic="Suivi", staff=staff)
    return {"lire": lire, "maison": maison}


def build_trainings(*, trainer_user, speaker_organisation):
    catalogue = Training.objects.create(title="Approche interculturelle")
    rights = Training.objects.create(title="Droit des étrangers")
    requested = Training.objects.create(title="Accueil au guichet", on_request_for_name="Commune de Ciney")

    held = session(catalogue, at(YEAR, 3, 12), place="Namur", status="tenue", capacity=20)
    Trainer.objects.create(session=held, user=trainer_user)
    Trainer.objects.create(session=held, name="Jean Expert", operator=speaker_organisation)
    for index, (status, attended) in enumerate(
        [("inscrit", True), ("inscrit", True), ("inscrit", False), ("attente", False), ("annule", False)]
    ):
        Registration.objects.create(
            session=held,
            name=f"Pro {index}",
            email=f"pro{index}@example.be",
            status=status,
            attended=attended,
        )
    session(rights, at(YEAR, 10, 1), at(YEAR, 10, 2, 17), online=True, status="tenue")
    session(
        rights, at(YEAR, 5, 5), status="reportee", postponed_to=at(YEAR + 1, 1, 20)
    )  # postponed to next year: in this year's postponed list and in next year's programme
    session(catalogue, at(YEAR, 6, 10), status="annulee", cancellation_reason="Formateur malade")
    on_request = session(requested, at(YEAR, 10, 7), status="tenue")
    Registration.objects.create(session=on_request, name="Agent", email="agent@ciney.be", attended=True)
    session(catalogue, at(YEAR + 1, 3, 15), place="Dinant", capacity=12)  # planned: next year's programme
    session(rights, at(YEAR + 1, 4, 15), status="annulee", cancellation_reason="Salle indisponible")
    session(catalogue, at(YEAR - 1, 4, 15), status="tenue")


def build_awareness_and_interpellations():
    AwarenessAction.objects.create(
        kind="journee",
        title="Journée contre le racisme",
        date=dt.date(YEAR, 3, 21),
        partners="Province de Namur",
        audience=1250,
    )
    AwarenessAction.objects.create(kind="publication", title="CAIstiques 2025", date=dt.date(YEAR, 11, 10))
    AwarenessAction.objects.create(kind="forum", title="Forum de l'an passé", date=dt.date(YEAR - 1, 5, 5))
    Interpellation.objects.create(
        kind="motion",
        level="commune",
        title="Motion commune hospitalière",
        date=dt.date(YEAR, 2, 15),
        commune=Commune.objects.get(name="Namur"),
    )
    Interpellation.objects.create(
        kind="carte_blanche", level="region", title="Carte blanche sur le parcours", date=dt.date(YEAR, 6, 3)
    )
    Interpellation.objects.create(
        kind="presse", level="federal", title="Communiqué de l'an passé", date=dt.date(YEAR - 1, 6, 3)
    )


def build_governance_and_team():
    for kind, day in (
        ("ca", dt.date(YEAR, 12, 10)),
        ("ca", dt.date(YEAR, 2, 12)),
        ("ag", dt.date(YEAR, 2, 26)),
        ("ca", dt.date(YEAR - 1, 12, 1)),
    ):
        GovernanceMeeting.objects.create(kind=kind, date=day)
    StaffMember.objects.create(
        name="Nina Nouvelle", team="premiere_ligne", function="Accompagnatrice", since=dt.date(YEAR + 1, 1, 1)
    )
    StaffMember.objects.create(
        name="Claire Fontaine", team="direction", function="Directrice", since=dt.date(2019, 1, 1)
    )
    StaffMember.objects.create(
        name="Paul Parti", team="administration", function="Comptable", until=dt.date(YEAR, 6, 30)
    )
    StaffMember.objects.create(
        name="Léo Futur", team="deuxieme_ligne", function="Coordinateur", since=dt.date(YEAR + 1, 2, 1)
    )


def build_comparison(*, counsellor, office):
    """Appointments, SIDD sessions and attestations this year and the year before."""
    person = PersonFactory(office=office)
    other = PersonFactory(office=office)
    for when in (at(YEAR, 1, 10), at(YEAR, 2, 10), at(YEAR - 1, 3, 10)):
        AppointmentFactory(person=person, counsellor=counsellor, starts_at=when)
    sidd = CollectiveSession.objects.create(kind="sidd", starts_at=at(YEAR, 4, 4), office=office)
    CollectiveSession.objects.create(kind="sidd", starts_at=at(YEAR - 1, 4, 4), office=office)
    CollectiveSession.objects.create(kind="isp", starts_at=at(YEAR, 4, 5), office=office)
    SessionAttendance.objects.create(session=sidd, person=person, attended=True)
    SessionAttendance.objects.create(session=sidd, person=other, attended=True)
    SessionAttendance.objects.create(session=sidd, person=PersonFactory(office=office), attended=False)
    for someone, delivered in ((person, dt.date(YEAR, 9, 9)), (other, dt.date(YEAR - 1, 9, 9))):
        path = path_open(actor=counsellor, person=someone)
        Path.objects.filter(pk=path.pk).update(attestation_delivered_on=delivered)


def build_all(*, counsellor, coordinator, office):
    network = build_network(staff=coordinator)
    build_trainings(trainer_user=coordinator, speaker_organisation=network["lire"])
    build_awareness_and_interpellations()
    build_governance_and_team()
    build_comparison(counsellor=counsellor, office=office)
