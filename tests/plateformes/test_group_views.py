"""Platforms, working groups and local coordinations: the list, the group page, members added and
removed (HTMX), meetings with attendees and follow-up actions (one form, all or nothing), ticking
follow-up actions off (HTMX) and the calendar of the coming meetings."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from plateformes.models import FollowUpAction, Group, GroupMember, Meeting, MeetingAttendee
from tests.plateformes.factories import (
    FollowUpActionFactory,
    GroupFactory,
    GroupMemberFactory,
    MeetingFactory,
    OperatorFactory,
)
from tests.plateformes.helpers import HTMX, csrf_client, csrf_token, formset_data, text

pytestmark = pytest.mark.django_db
LIST_URL = reverse("plateformes:group_list")
CALENDAR_URL = reverse("plateformes:meeting_calendar")


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def in_days(days: int, hour: int = 14) -> dt.datetime:
    return timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0) + dt.timedelta(
        days=days
    )


def meeting_data(*, attendees=(), follow_ups=(), **changes) -> dict:
    start = in_days(10)
    data = {
        "starts_at": local_input(start),
        "ends_at": local_input(start + dt.timedelta(hours=2)),
        "place": "Rue de Fer 42, Namur",
        "agenda": "1. Tour de table",
        "minutes": "",
        "decisions": "",
    }
    data.update(changes)
    data.update(formset_data("attendees", list(attendees)))
    data.update(formset_data("follow_ups", list(follow_ups)))
    return data


# The list and the group page


def test_group_list_shows_status_next_meeting_and_members_by_kind(login, coordinator):
    group = GroupFactory(name="GT Logement", status="en_veille")
    GroupMemberFactory.create_batch(3, group=group)
    MeetingFactory(group=group, starts_at=in_days(-20))
    upcoming = MeetingFactory(group=group, starts_at=in_days(12))
    MeetingFactory(group=group, starts_at=in_days(40))
    response = login(coordinator).get(LIST_URL, {"q": "logement"})
    row = response.context["object_list"][0]
    assert (row.member_count, row.next_meeting_at) == (3, upcoming.starts_at)
    content = text(response)
    assert "En veille" in content and timezone.localtime(upcoming.starts_at).strftime("%d/%m/%Y") in content
    assert "Groupe de travail" in content


def test_reference_platforms_are_listed_grouped_by_kind(login, coordinator):
    response = login(coordinator).get(LIST_URL)
    content = text(response)
    assert "Plateforme antiracisme" in content and "GT MENA" in content
    assert response.context["grouped_by_kind"] is True
    assert '<th scope="rowgroup"' in content


def test_group_list_filters_by_kind_and_status(login, coordinator):
    GroupFactory(kind="plateforme", name="Plateforme close", status="clos")
    response = login(coordinator).get(LIST_URL, {"kind": "plateforme", "status": "clos"})
    assert [g.name for g in response.context["object_list"]] == ["Plateforme close"]


def test_group_is_created_and_a_duplicate_name_refused_on_the_field(login, coordinator):
    client = login(coordinator)
    data = {"kind": "groupe_travail", "name": "GT Logement", "status": "actif"}
    response = client.post(reverse("plateformes:group_create"), data)
    group = Group.objects.get(name="GT Logement")
    assert response.status_code == 302 and response["Location"] == group.get_absolute_url()
    response = client.post(reverse("plateformes:group_create"), {**data, "name": "gt logement"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Un groupe du type « Groupe de travail » porte déjà ce nom."
    ]
    assert "Un groupe du type « Groupe de travail » porte déjà ce nom." in text(response)
    assert Group.objects.filter(name__iexact="GT Logement").count() == 1


def test_group_is_edited(login, coordinator, office_a):
    group = GroupFactory(name="Coordination test", kind="coordination_locale", office=office_a)
    data = {
        "kind": "coordination_locale",
        "name": "Coordination test",
        "office": office_a.pk,
        "status": "clos",
    }
    login(coordinator).post(reverse("plateformes:group_update", args=[group.pk]), data)
    assert Group.objects.get(pk=group.pk).status == "clos"


def test_group_page_shows_members_and_meetings(login, coordinator):
    member = GroupMemberFactory(name="Awa Diallo", operator__name="CPAS de Namur")
    meeting = MeetingFactory(group=member.group)
    content = text(login(coordinator).get(member.group.get_absolute_url()))
    assert "Awa Diallo" in content and "CPAS de Namur" in content
    assert meeting.get_absolute_url() in content


# Members


def test_member_is_added_with_htmx_and_the_block_comes_back(login, coordinator):
    group = GroupFactory()
    operator = OperatorFactory(name="ILI de Ciney")
    response = login(coordinator).post(
        reverse("plateformes:group_member_add", args=[group.pk]),
        {"member-operator": operator.pk, "member-name": "Marc Piette", "member-role": "Pilote"},
        **HTMX,
    )
    assert response.status_code == 200
    content = text(response)
    assert "<html" not in content and 'id="group-members"' in content
    assert "Marc Piette" in content and "ILI de Ciney" in content
    assert group.members.get().role == "Pilote"


def test_member_without_name_nor_operator_is_refused_on_the_name(login, coordinator):
    group = GroupFactory()
    response = login(coordinator).post(
        reverse("plateformes:group_member_add", args=[group.pk]), {"member-organisation": "CPAS"}, **HTMX
    )
    assert "Indiquez le nom de la personne ou choisissez un opérateur." in text(response)
    assert not GroupMember.objects.filter(group=group).exists()


def test_member_with_an_unknown_operator_is_refused(login, coordinator):
    group = GroupFactory()
    response = login(coordinator).post(
        reverse("plateformes:group_member_add", args=[group.pk]), {"member-operator": "999999"}
    )
    assert response.status_code == 200
    assert "Cet opérateur n'existe pas dans le répertoire" in text(response)
    assert not GroupMember.objects.filter(group=group).exists()


def test_member_is_removed_with_a_csrf_protected_post(coordinator):
    member = GroupMemberFactory()
    url = reverse("plateformes:group_member_remove", args=[member.group.pk, member.pk])
    client = csrf_client(coordinator)
    assert client.post(url).status_code == 403
    response = client.post(url, {"csrfmiddlewaretoken": csrf_token(client)})
    assert response.status_code == 302
    assert not GroupMember.objects.filter(pk=member.pk).exists()


def test_member_of_another_group_cannot_be_removed_through_this_one(login, coordinator):
    member = GroupMemberFactory()
    other_group = GroupFactory()
    url = reverse("plateformes:group_member_remove", args=[other_group.pk, member.pk])
    assert login(coordinator).post(url).status_code == 404
    assert GroupMember.objects.filter(pk=member.pk).exists()


# Meetings


def test_meeting_is_recorded_with_a_member_a_guest_and_a_follow_up(login, coordinator):
    member = GroupMemberFactory(name="Awa Diallo", operator__name="CPAS de Namur")
    guest_org = OperatorFactory(name="ILI de Ciney")
    data = meeting_data(
        attendees=[
            {"member": member.pk, "name": "", "operator": "", "organisation": ""},
            {"member": "", "name": "Luc Invité", "operator": guest_org.pk, "organisation": ""},
            {"member": "", "name": "", "operator": "", "organisation": ""},  # a blank row, skipped
        ],
        follow_ups=[{"description": "Diffuser le compte rendu", "owner": "Chloé", "due_on": "2030-01-15"}],
    )
    response = login(coordinator).post(reverse("plateformes:meeting_create", args=[member.group.pk]), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    attendees = {a.name: a for a in meeting.attendees.all()}
    assert set(attendees) == {"Awa Diallo", "Luc Invité"}
    assert attendees["Awa Diallo"].operator == member.operator and not attendees["Awa Diallo"].is_guest
    assert attendees["Luc Invité"].is_guest and attendees["Luc Invité"].operator == guest_org
    assert meeting.follow_ups.get().due_on == dt.date(2030, 1, 15)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"starts_at": ""}, "starts_at", "Indiquez « Début »."),
        (
            {"starts_at": "2030-01-15"},
            "starts_at",
            "« Début » : indiquez une date et une heure (jj/mm/aaaa hh:mm).",
        ),
        ({"ends_at": local_input(in_days(9))}, "ends_at", "La fin de la réunion doit suivre son début."),
        ({"place": ""}, "place", "Indiquez le lieu de la réunion, ou cochez « En ligne »."),
        (
            {"agenda": "x" * 5001},
            "agenda",
            "« Ordre du jour » ne peut dépasser 5000 caractères (actuellement 5001).",
        ),
    ],
)
def test_bad_meeting_input_is_shown_on_its_field_and_nothing_is_saved(
    login, coordinator, changes, field, message
):
    group = GroupFactory()
    response = login(coordinator).post(
        reverse("plateformes:meeting_create", args=[group.pk]), meeting_data(**changes)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in text(response)
    assert not Meeting.objects.exists()


def test_attendee_with_an_unknown_operator_is_refused_and_nothing_is_saved(login, coordinator):
    group = GroupFactory()
    data = meeting_data(
        attendees=[{"member": "", "name": "Luc", "operator": "999999", "organisation": ""}],
        follow_ups=[{"description": "Écrire", "owner": "", "due_on": ""}],
    )
    response = login(coordinator).post(reverse("plateformes:meeting_create", args=[group.pk]), data)
    assert response.status_code == 200
    errors = response.context["attendee_formset"].forms[0].errors
    assert errors["operator"] == [
        "Cet opérateur n'existe pas dans le répertoire : choisissez-en un de la liste."
    ]
    assert "Rien n'est enregistré" in text(response)
    assert not Meeting.objects.exists() and not FollowUpAction.objects.exists()


def test_guest_without_a_name_is_refused_by_the_service_and_nothing_is_saved(login, coordinator):
    group = GroupFactory()
    data = meeting_data(attendees=[{"member": "", "name": "", "operator": "", "organisation": "CPAS"}])
    response = login(coordinator).post(reverse("plateformes:meeting_create", args=[group.pk]), data)
    assert response.status_code == 200
    assert "Participant·e n° 1 — nom : Indiquez le nom" in text(response)
    assert not Meeting.objects.exists() and not MeetingAttendee.objects.exists()


def test_a_member_of_another_group_is_not_offered(login, coordinator):
    stranger = GroupMemberFactory()
    group = GroupFactory()
    data = meeting_data(attendees=[{"member": stranger.pk, "name": "", "operator": "", "organisation": ""}])
    response = login(coordinator).post(reverse("plateformes:meeting_create", args=[group.pk]), data)
    assert response.context["attendee_formset"].forms[0].errors["member"] == [
        "Choisissez un membre de ce groupe."
    ]
    assert not Meeting.objects.exists()


def test_meeting_edit_updates_and_removes_rows(login, coordinator):
    meeting = MeetingFactory(starts_at=in_days(10))
    kept = FollowUpActionFactory(meeting=meeting, description="Garder")
    dropped = FollowUpActionFactory(meeting=meeting, description="Retirer")
    data = meeting_data(minutes="Compte rendu rédigé")
    data.update(
        formset_data(
            "follow_ups",
            [
                {"id": kept.pk, "description": "Garder", "owner": "Chloé", "due_on": "", "done": "on"},
                {"id": dropped.pk, "description": "Retirer", "owner": "", "due_on": "", "DELETE": "on"},
            ],
            initial=2,
        )
    )
    response = login(coordinator).post(reverse("plateformes:meeting_update", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Compte rendu rédigé"
    assert list(meeting.follow_ups.values_list("pk", "owner", "done")) == [(kept.pk, "Chloé", True)]


def test_meeting_page_shows_agenda_attendees_and_follow_ups(login, coordinator):
    meeting = MeetingFactory(agenda="Point unique : la rentrée")
    meeting.attendees.create(name="Awa Diallo", organisation="CPAS", is_guest=True)
    FollowUpActionFactory(meeting=meeting, description="Envoyer l'invitation")
    content = text(login(coordinator).get(meeting.get_absolute_url()))
    for expected in ("Point unique : la rentrée", "Awa Diallo", "Envoyer l'invitation", "invité·e"):
        assert expected in content


def test_follow_up_is_ticked_off_with_htmx(login, coordinator):
    action = FollowUpActionFactory()
    response = login(coordinator).post(
        reverse("plateformes:follow_up_toggle", args=[action.pk]), {"done": "1"}, **HTMX
    )
    assert response.status_code == 200
    assert "<html" not in text(response) and f'id="suivi-{action.pk}"' in text(response)
    assert "À refaire" in text(response)
    assert FollowUpAction.objects.get(pk=action.pk).done is True


def test_follow_up_toggle_without_htmx_redirects_to_the_meeting(login, coordinator):
    action = FollowUpActionFactory(done=True)
    response = login(coordinator).post(
        reverse("plateformes:follow_up_toggle", args=[action.pk]), {"done": "0"}
    )
    assert response.status_code == 302 and response["Location"].startswith(action.meeting.get_absolute_url())
    assert FollowUpAction.objects.get(pk=action.pk).done is False


# The calendar


def test_calendar_lists_the_next_90_days_grouped_by_month(login, coordinator):
    soon = MeetingFactory(starts_at=in_days(2), group__name="GT Proche")
    later = MeetingFactory(starts_at=in_days(80), group__name="GT Plus tard")
    MeetingFactory(starts_at=in_days(-3), group__name="GT Passé")
    MeetingFactory(starts_at=in_days(95), group__name="GT Trop loin")
    response = login(coordinator).get(CALENDAR_URL)
    meetings = [m for _month, rows in response.context["months"] for m in rows]
    assert meetings == [soon, later]
    months = [month for month, _rows in response.context["months"]]
    assert months == sorted(months) and len(months) >= 2
    content = text(response)
    assert "GT Proche" in content and "GT Passé" not in content and "GT Trop loin" not in content


def test_empty_calendar_says_what_to_do(login, coordinator):
    content = text(login(coordinator).get(CALENDAR_URL))
    assert "Aucune réunion n'est prévue dans les 90 prochains jours." in content
    assert LIST_URL in content


@pytest.mark.parametrize("persona", ["counsellor_a", "commune_agent"])
def test_groups_and_meetings_are_closed_to_counsellors_and_commune_agents(login, request, persona):
    meeting = MeetingFactory()
    client = login(request.getfixturevalue(persona))
    for url in (LIST_URL, CALENDAR_URL, meeting.get_absolute_url(), meeting.group.get_absolute_url()):
        assert client.get(url).status_code == 403
    response = client.post(
        reverse("plateformes:group_member_add", args=[meeting.group.pk]), {"member-name": "X"}
    )
    assert response.status_code == 403
    assert not GroupMember.objects.exists()
