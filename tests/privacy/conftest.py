"""A person with at least one record in every data class of the subject-access package."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accompagnement import services as people_services
from accompagnement.models import AccessOverride, Language
from cai.choices import Role
from cai.privacy import services as privacy_services
from parcours import list_services
from parcours import services as path_services
from parcours.models import PathDocument
from tests.factories import AppointmentFactory, PersonFactory, UserFactory, office


def fill_file(person, *, counsellor, administrator, director, commune_agent) -> dict:
    """Records of the person in every registered model, written through the services where they exist."""
    today = timezone.localdate()
    person.languages.set(Language.objects.order_by("pk")[:1])
    appointment = AppointmentFactory(
        person=person,
        counsellor=counsellor,
        notes="Demande d'aide pour le logement",
        confidential_notes="Situation familiale difficile",
    )
    duplicate = PersonFactory(office=person.office, last_name="DOUBLON", first_name="Ancien")
    people_services.person_merge(actor=administrator, kept=person, duplicate=duplicate)
    path = path_services.path_open(actor=counsellor, person=person)
    path_services.component_set_state(
        actor=counsellor, path=path, kind="bilan_social", state="done", notes="Bilan fait"
    )
    path_services.hours_record_add(
        actor=counsellor,
        path=path,
        component="francais",
        hours=Decimal("12.50"),
        period_start=today - dt.timedelta(days=30),
        period_end=today - dt.timedelta(days=1),
        operator_name="ILI Lire et Écrire",
    )
    path_services.convention_sign(actor=counsellor, path=path, signed_on=today)
    evaluation = path_services.evaluation_schedule(
        actor=counsellor, path=path, scheduled_at=timezone.now(), office=person.office
    )
    path_services.language_test_record(actor=counsellor, person=person, taken_on=today, overall="A1")
    session = path_services.session_create(
        actor=counsellor, kind="sidd", starts_at=timezone.now(), office=person.office, place="Namur"
    )
    path_services.attendance_set(actor=counsellor, session=session, person=person, attended=True)
    duo = path_services.duo_create(
        actor=counsellor, mentee=person, kind="net2work", mentor_name="Marie Mentor", starts_on=today
    )
    path_services.duo_meeting_add(actor=counsellor, duo=duo, met_on=today, notes="Première rencontre")
    document = PathDocument.objects.create(
        person=person,
        kind="outil_suivi",
        file=ContentFile(b"%PDF-1.7 document du parcours", name="suivi.pdf"),
        sha256="0" * 64,
        created_by=counsellor,
        evaluation=evaluation,
    )
    newcomer_list, _created = list_services.newcomer_list_submit(
        actor=commune_agent,
        commune=commune_agent.agent_communes.get(),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 1, 31),
        rows=[
            {
                "last_name": person.last_name,
                "first_name": person.first_name,
                "birth_date": "01/01/1990",
                "sex": "F",
                "nationality": "Syrie",
                "registration_date": "15/01/2026",
            }
        ],
        source="api",
    )
    list_services.row_link(actor=director, row=newcomer_list.rows.get(), person=person)
    privacy_services.subject_access_request_record(
        actor=director, person=person, received_on=today, requester_name="Leïla Haddad"
    )
    other_office = UserFactory(username="oscar", role=Role.COUNSELLOR, offices=[office("dinant")])
    now = timezone.now()
    AccessOverride.objects.create(
        user=other_office,
        person=person,
        reason="La personne se présente à la permanence de Dinant.",
        granted_at=now,
        expires_at=now + dt.timedelta(hours=8),
    )
    return {"appointment": appointment, "path": path, "document": document, "duo": duo}


@pytest.fixture
def full_file(counsellor_a, administrator, director, commune_agent):
    person = PersonFactory(
        office=office("namur"), last_name="Haddad", first_name="Leïla", phone="0470 12 34 56"
    )
    records = fill_file(
        person,
        counsellor=counsellor_a,
        administrator=administrator,
        director=director,
        commune_agent=commune_agent,
    )
    return {"person": person, **records}
