"""The network's services: what they save, the rules they keep (French messages keyed by field) and
that a change with child rows (contacts, attendees, follow-up actions, members) is saved whole or not
at all."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from plateformes import services
from plateformes.models import (
    Acronym,
    FollowUpAction,
    GovernanceMeeting,
    Group,
    GroupMember,
    Interpellation,
    Meeting,
    MeetingAttendee,
    Offer,
    Operator,
    OperatorContact,
    StaffMember,
)
from tests.factories import commune
from tests.plateformes.factories import GroupFactory, GroupMemberFactory, OperatorFactory

pytestmark = pytest.mark.django_db
SOON = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=5)


def messages_of(error: ValidationError) -> dict:
    return error.value.message_dict


# Roles


@pytest.mark.parametrize("persona", ["counsellor_a", "commune_agent"])
def test_only_the_network_staff_write_the_network(request, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.operator_create(actor=user, name="ILI de Ciney", kind="ili")
    assert not Operator.objects.filter(name="ILI de Ciney").exists()


@pytest.mark.parametrize("persona", ["coordinator", "director", "administrator"])
def test_coordinators_director_and_administrators_write_the_network(request, persona):
    operator = services.operator_create(
        actor=request.getfixturevalue(persona), name="ILI de Ciney", kind="ili"
    )
    assert Operator.objects.get(pk=operator.pk).name == "ILI de Ciney"


# Operators and contacts


def test_operator_is_created_with_its_territories_and_contacts(coordinator, office_a, office_b):
    operator = services.operator_create(
        actor=coordinator,
        name="Lire et Écrire Namur",
        kind="association",
        recognition="reconnu",
        territories=[office_a, office_b],
        contacts=[
            {"name": "Anne Colin", "email": "anne@example.org"},
            {"name": "Marc Piette", "role": "Direction"},
        ],
    )
    assert set(operator.territories.all()) == {office_a, office_b}
    assert sorted(operator.contacts.values_list("name", flat=True)) == ["Anne Colin", "Marc Piette"]
    assert LogEntry.objects.get_for_object(operator).filter(action=LogEntry.Action.CREATE).exists()


def test_operator_name_is_unique_whatever_the_case(coordinator):
    services.operator_create(actor=coordinator, name="CPAS de Namur", kind="cpas")
    with pytest.raises(ValidationError) as error:
        services.operator_create(actor=coordinator, name="cpas de namur", kind="cpas")
    assert messages_of(error) == {"name": ["Un opérateur porte déjà ce nom dans le répertoire."]}
    assert Operator.objects.count() == 1


def test_a_bad_contact_saves_neither_the_operator_nor_the_other_contacts(coordinator):
    with pytest.raises(ValidationError) as error:
        services.operator_create(
            actor=coordinator,
            name="ILI de Gembloux",
            kind="ili",
            contacts=[{"name": "Anne Colin"}, {"name": "Marc", "email": "pas-une-adresse"}],
        )
    assert messages_of(error)["contacts"] == ["Contact n° 2 — e-mail : Saisissez une adresse e-mail valide."]
    assert not Operator.objects.exists() and not OperatorContact.objects.exists()


def test_contacts_list_replaces_the_operators_contacts(coordinator):
    operator = services.operator_create(
        actor=coordinator, name="ILI", kind="ili", contacts=[{"name": "Ancien"}, {"name": "Gardé"}]
    )
    kept = operator.contacts.get(name="Gardé")
    services.operator_update(
        actor=coordinator,
        operator=operator,
        contacts=[{"id": kept.pk, "name": "Gardé", "phone": "081 22 33 44"}, {"name": "Nouvelle"}],
    )
    contacts = {c.name: c for c in OperatorContact.objects.filter(operator=operator)}
    assert set(contacts) == {"Gardé", "Nouvelle"}
    assert contacts["Gardé"].pk == kept.pk and contacts["Gardé"].phone == "081 22 33 44"


def test_a_contact_of_another_operator_cannot_be_edited_through_this_one(coordinator):
    other = services.operator_create(
        actor=coordinator, name="Autre", kind="ili", contacts=[{"name": "Secret"}]
    )
    operator = services.operator_create(actor=coordinator, name="ILI", kind="ili")
    with pytest.raises(ValidationError) as error:
        services.operator_update(
            actor=coordinator, operator=operator, contacts=[{"id": other.contacts.get().pk, "name": "Volé"}]
        )
    assert "n'appartient pas" in messages_of(error)["contacts"][0]
    assert other.contacts.get().name == "Secret"


def test_oversized_operator_name_is_refused_with_a_french_message(coordinator):
    with pytest.raises(ValidationError) as error:
        services.operator_create(actor=coordinator, name="x" * 201, kind="ili")
    assert "au plus 200 caractères" in messages_of(error)["name"][0]
    assert not Operator.objects.exists()


def test_deactivated_operator_can_be_reactivated(coordinator):
    operator = OperatorFactory()
    services.operator_deactivate(actor=coordinator, operator=operator)
    assert Operator.objects.get(pk=operator.pk).active is False
    services.operator_reactivate(actor=coordinator, operator=operator)
    assert Operator.objects.get(pk=operator.pk).active is True


# Offer


def test_offer_keeps_its_territories(coordinator, office_a):
    offer = services.offer_create(
        actor=coordinator,
        operator=OperatorFactory(),
        kind="citoyennete",
        title="FIC du mardi",
        citizenship_format="FIC",
        territories=[office_a],
    )
    assert list(offer.territories.all()) == [office_a]


def test_citizenship_format_only_for_citizenship_trainings(coordinator):
    with pytest.raises(ValidationError) as error:
        services.offer_create(
            actor=coordinator,
            operator=OperatorFactory(),
            kind="francais",
            title="FLE",
            citizenship_format="FIC",
        )
    assert messages_of(error) == {
        "citizenship_format": ["Le format FIC ou AOC ne concerne que les formations à la citoyenneté."]
    }
    assert not Offer.objects.exists()


# Support actions


def test_support_action_is_recorded_by_default_for_the_actor(coordinator):
    action = services.support_action_create(
        actor=coordinator, operator=OperatorFactory(), date=dt.date(2024, 3, 1), kind="visite", topic="Visite"
    )
    assert action.staff == coordinator


def test_support_action_refuses_a_typo_year_and_a_commune_agent_as_staff(coordinator, commune_agent):
    with pytest.raises(ValidationError) as error:
        services.support_action_create(
            actor=coordinator,
            operator=OperatorFactory(),
            date=dt.date(204, 3, 1),
            kind="visite",
            topic="Visite",
            staff=commune_agent,
        )
    errors = messages_of(error)
    assert errors["date"][0].startswith("La date doit se situer entre 2000 et")
    assert errors["staff"] == ["Choisissez un membre actif de l'équipe du centre."]


# Groups and members


def test_duplicate_group_name_is_refused_on_the_name(coordinator):
    services.group_create(actor=coordinator, kind="groupe_travail", name="GT Logement")
    with pytest.raises(ValidationError) as error:
        services.group_create(actor=coordinator, kind="groupe_travail", name="gt logement")
    assert messages_of(error) == {"name": ["Un groupe du type « Groupe de travail » porte déjà ce nom."]}
    assert Group.objects.filter(name__iexact="GT Logement").count() == 1


def test_local_coordination_needs_its_office(coordinator):
    with pytest.raises(ValidationError) as error:
        services.group_create(actor=coordinator, kind="coordination_locale", name="Coordination de test")
    assert list(messages_of(error)) == ["office"]


def test_member_is_an_operator_or_a_named_person(coordinator):
    group = GroupFactory()
    with pytest.raises(ValidationError) as error:
        services.group_member_add(actor=coordinator, group=group, organisation="CPAS")
    assert messages_of(error) == {"name": ["Indiquez le nom de la personne ou choisissez un opérateur."]}
    member = services.group_member_add(actor=coordinator, group=group, name="Awa Diallo", organisation="CPAS")
    assert list(group.members.all()) == [member]


def test_the_same_member_is_not_added_twice(coordinator):
    group = GroupFactory()
    operator = OperatorFactory()
    services.group_member_add(actor=coordinator, group=group, operator=operator)
    with pytest.raises(ValidationError) as error:
        services.group_member_add(actor=coordinator, group=group, operator=operator)
    assert messages_of(error) == {"name": ["Ce membre fait déjà partie du groupe."]}
    assert group.members.count() == 1


def test_removing_a_member_keeps_the_meetings_they_attended(coordinator):
    member = GroupMemberFactory(name="Awa Diallo")
    meeting = services.meeting_create(
        actor=coordinator, group=member.group, starts_at=SOON, place="Namur", attendees=[{"member": member}]
    )
    services.group_member_remove(actor=coordinator, member=member)
    attendee = meeting.attendees.get()
    assert (attendee.name, attendee.member) == ("Awa Diallo", None)


# Meetings


def test_meeting_is_saved_with_its_attendees_and_follow_ups(coordinator):
    member = GroupMemberFactory(name="", organisation="")
    guest_org = OperatorFactory(name="CPAS d'Andenne")
    meeting = services.meeting_create(
        actor=coordinator,
        group=member.group,
        starts_at=SOON,
        ends_at=SOON + dt.timedelta(hours=2),
        online=True,
        agenda="1. Tour de table",
        attendees=[{"member": member}, {"name": "Invitée", "operator": guest_org}],
        follow_ups=[{"description": "Diffuser le compte rendu", "owner": "Chloé", "due_on": SOON.date()}],
    )
    attendees = {a.name: a for a in meeting.attendees.all()}
    assert attendees[str(member.operator)].is_guest is False  # named after its operator
    assert attendees[str(member.operator)].operator == member.operator
    assert attendees["Invitée"].is_guest is True and attendees["Invitée"].operator == guest_org
    assert meeting.follow_ups.get().owner == "Chloé"


def test_meeting_without_a_date_is_refused_on_the_start(coordinator):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(actor=coordinator, group=GroupFactory(), starts_at=None, place="Namur")
    assert messages_of(error) == {"starts_at": ["Indiquez la date et l'heure de début de la réunion."]}
    assert not Meeting.objects.exists()


def test_meeting_ending_before_it_starts_is_refused_on_the_end(coordinator):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=coordinator,
            group=GroupFactory(),
            starts_at=SOON,
            ends_at=SOON - dt.timedelta(hours=1),
            place="X",
        )
    assert messages_of(error) == {"ends_at": ["La fin de la réunion doit suivre son début."]}
    assert not Meeting.objects.exists()


def test_meeting_needs_a_place_unless_online(coordinator):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(actor=coordinator, group=GroupFactory(), starts_at=SOON)
    assert messages_of(error) == {"place": ["Indiquez le lieu de la réunion, ou cochez « En ligne »."]}


def test_a_bad_attendee_or_follow_up_saves_nothing_of_the_meeting(coordinator):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=coordinator,
            group=GroupFactory(),
            starts_at=SOON,
            place="Namur",
            attendees=[{"name": "Bonne ligne"}, {"name": "", "organisation": "Sans nom"}],
            follow_ups=[{"description": "x" * 301}],
        )
    errors = messages_of(error)
    assert errors["attendees"] == [
        "Participant·e n° 2 — nom : Indiquez le nom du ou de la participant·e, ou choisissez un membre du groupe."
    ]
    assert "au plus 300 caractères" in errors["follow_ups"][0]
    assert not Meeting.objects.exists() and not MeetingAttendee.objects.exists()
    assert not FollowUpAction.objects.exists()


def test_a_member_of_another_group_cannot_attend_as_a_member(coordinator):
    stranger = GroupMemberFactory()
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=coordinator,
            group=GroupFactory(),
            starts_at=SOON,
            place="X",
            attendees=[{"member": stranger}],
        )
    assert "n'est pas membre du groupe" in messages_of(error)["attendees"][0]
    assert not Meeting.objects.exists()


def test_meeting_update_with_a_bad_row_changes_nothing(coordinator):
    meeting = services.meeting_create(
        actor=coordinator,
        group=GroupFactory(),
        starts_at=SOON,
        place="Namur",
        follow_ups=[{"description": "Première"}],
    )
    first = meeting.follow_ups.get()
    with pytest.raises(ValidationError):
        services.meeting_update(
            actor=coordinator,
            meeting=meeting,
            place="Dinant",
            follow_ups=[{"description": "Remplacée"}, {"description": ""}],
        )
    meeting.refresh_from_db()
    assert meeting.place == "Namur"
    assert list(FollowUpAction.objects.filter(meeting=meeting)) == [first]


def test_follow_up_is_ticked_off(coordinator):
    meeting = services.meeting_create(
        actor=coordinator,
        group=GroupFactory(),
        starts_at=SOON,
        place="X",
        follow_ups=[{"description": "Écrire"}],
    )
    action = services.follow_up_set_done(actor=coordinator, action=meeting.follow_ups.get(), done=True)
    assert FollowUpAction.objects.get(pk=action.pk).done is True


# Awareness, interpellations, governance, team, glossary


def test_communal_interpellation_names_its_commune(coordinator):
    with pytest.raises(ValidationError) as error:
        services.interpellation_create(
            actor=coordinator,
            kind="motion",
            date=dt.date(2024, 5, 2),
            level="commune",
            title="Commune hospitalière",
        )
    assert list(messages_of(error)) == ["commune"]
    motion = services.interpellation_create(
        actor=coordinator,
        kind="motion",
        date=dt.date(2024, 5, 2),
        level="commune",
        title="Commune hospitalière",
        commune=commune("Namur"),
    )
    assert Interpellation.objects.get(pk=motion.pk).commune.name == "Namur"


def test_governance_meeting_is_recorded_once_per_date(coordinator):
    services.governance_meeting_create(actor=coordinator, kind="ag", date=dt.date(2025, 2, 20))
    with pytest.raises(ValidationError) as error:
        services.governance_meeting_create(actor=coordinator, kind="ag", date=dt.date(2025, 2, 20))
    assert list(messages_of(error)) == ["date"]
    assert GovernanceMeeting.objects.count() == 1


def test_staff_member_leaves_after_arriving_and_holds_one_account(coordinator, counsellor_a):
    with pytest.raises(ValidationError) as error:
        services.staff_member_create(
            actor=coordinator,
            name="Alice Martin",
            team="premiere_ligne",
            function="Accompagnatrice",
            since=dt.date(2024, 1, 1),
            until=dt.date(2023, 1, 1),
        )
    assert messages_of(error) == {"until": ["La date de départ ne peut précéder la date d'arrivée."]}
    services.staff_member_create(
        actor=coordinator,
        name="Alice Martin",
        team="premiere_ligne",
        function="Accompagnatrice",
        user=counsellor_a,
    )
    with pytest.raises(ValidationError) as error:
        services.staff_member_create(
            actor=coordinator,
            name="Alice M.",
            team="premiere_ligne",
            function="Accompagnatrice",
            user=counsellor_a,
        )
    assert messages_of(error) == {"user": ["Ce compte est déjà lié à un autre membre de l'équipe."]}
    assert StaffMember.objects.count() == 1


def test_acronym_is_unique_whatever_the_case(coordinator):
    assert Acronym.objects.filter(acronym="ILI").exists()  # reference data
    with pytest.raises(ValidationError) as error:
        services.acronym_create(actor=coordinator, acronym="ili", meaning="Doublon")
    assert messages_of(error) == {"acronym": ["Ce sigle figure déjà dans le glossaire."]}


def test_group_members_given_through_the_group_replace_its_members(coordinator):
    group = services.group_create(
        actor=coordinator,
        kind="plateforme",
        name="Plateforme test",
        members=[{"name": "Awa"}, {"name": "Luc"}],
    )
    awa = group.members.get(name="Awa")
    services.group_update(
        actor=coordinator, group=group, members=[{"id": awa.pk, "name": "Awa", "role": "Pilote"}]
    )
    assert list(GroupMember.objects.filter(group=group).values_list("name", "role")) == [("Awa", "Pilote")]
