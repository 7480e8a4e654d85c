"""Journey (issue 5, item 9): a coordinator records a platform meeting with attendees from three
operators, marks a training session postponed to a new date, and finds both on the calendar
("Prochaines réunions", which lists the training sessions too)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cai.choices import Role
from formations.choices import SessionStatus
from formations.models import TrainingSession
from plateformes.choices import GroupKind
from plateformes.models import Meeting
from tests.e2e.helpers import sign_in
from tests.factories import UserFactory
from tests.formations.conftest import make_registration, make_session, make_training
from tests.plateformes.factories import GroupFactory, GroupMemberFactory, OperatorFactory

PASSWORD = "motdepasse-de-test-solide"  # tests.factories.UserFactory
MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()


def at(days: int, hour: int) -> dt.datetime:
    """A local time ``days`` days from today, on the hour."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def month_section(page, moment: dt.datetime):
    """The calendar's section of the month of ``moment`` (its heading reads e.g. "décembre 2026")."""
    heading = f"{MONTHS[moment.month - 1]} {moment.year}"
    return page.locator("section", has=page.get_by_role("heading", name=heading, exact=False))


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_coordinator_records_a_platform_meeting_postpones_a_session_and_finds_both_on_calendar(
    live_server, page
):
    coordinator = UserFactory(username="chloe", first_name="Chloé", last_name="Dubois", role=Role.COORDINATOR)
    platform = GroupFactory(name="Plateforme FLE Namur", kind=GroupKind.PLATFORM)
    cpas, lee, forem = (
        OperatorFactory(name=name) for name in ("CPAS de Namur", "Lire et Écrire Namur", "Forem Namur")
    )
    for person, operator in (
        ("Sophie Renard", cpas),
        ("Karim Benali", lee),
        ("Julie Masson", forem),
        ("Marc Dupont", cpas),
    ):
        GroupMemberFactory(group=platform, name=person, operator=operator)
    training = make_training("Communication interculturelle")
    session = make_session(training, starts_at=at(10, 9))
    make_registration(session, name="Anne Lemaire")
    meeting_at = at(21, 14)
    new_date = at(45, 9)

    sign_in(page, live_server.url, coordinator, PASSWORD)

    # A meeting of the platform, with three attendees from three operators.
    page.get_by_role("link", name="Plateformes et groupes").first.click()
    page.wait_for_url(f"**{reverse('plateformes:group_list')}")
    page.get_by_role("link", name="Plateforme FLE Namur").click()
    page.wait_for_url(f"**{platform.get_absolute_url()}")
    page.get_by_role("link", name="Nouvelle réunion").first.click()
    page.wait_for_url(f"**{reverse('plateformes:meeting_create', args=[platform.pk])}")
    page.fill("#id_starts_at", f"{meeting_at:%Y-%m-%dT%H:%M}")
    page.fill("#id_ends_at", f"{meeting_at + dt.timedelta(hours=2):%Y-%m-%dT%H:%M}")
    page.fill("#id_place", "Rue Docteur Haibe 2, Namur")
    page.fill("#id_agenda", "1. Offre de cours de français 2027\n2. Listes d'attente")
    page.get_by_role("button", name="Ajouter un·e participant·e").click()  # a third row
    for index, name in enumerate(("Sophie Renard", "Karim Benali", "Julie Masson")):
        page.select_option(f"#id_attendees-{index}-member", label=name)
    page.get_by_role("button", name="Enregistrer la réunion").click()
    page.wait_for_url(re.compile(r"/reseau/reunions/\d+/$"))
    expect(page.get_by_text("Réunion « ")).to_be_visible()
    for name in ("Sophie Renard", "Karim Benali", "Julie Masson"):
        expect(page.get_by_text(name).first).to_be_visible()

    meeting = Meeting.objects.get(group=platform)
    assert meeting.starts_at == meeting_at
    attendees = list(meeting.attendees.select_related("operator"))
    assert len(attendees) == 3
    assert {attendee.operator for attendee in attendees} == {cpas, lee, forem}

    # The training session, postponed to a new date.
    page.get_by_role("link", name="Formations").first.click()
    page.wait_for_url(f"**{reverse('formations:training_list')}")
    page.get_by_role("link", name="Communication interculturelle").click()
    page.wait_for_url(f"**{training.get_absolute_url()}")
    page.locator(f"a[href='{session.get_absolute_url()}']").first.click()
    page.wait_for_url(f"**{session.get_absolute_url()}")
    page.get_by_role("link", name="Reporter").click()
    page.wait_for_url(f"**{reverse('formations:session_postpone', args=[session.pk])}")
    page.fill("#id_new_date", f"{new_date:%Y-%m-%dT%H:%M}")
    page.get_by_role("button", name="Reporter la session").click()
    page.wait_for_url(f"**{session.get_absolute_url()}")
    expect(page.get_by_text(f"Session reportée au {new_date:%d/%m/%Y %H:%M}.")).to_be_visible()

    session.refresh_from_db()
    assert session.status == SessionStatus.POSTPONED
    assert session.postponed_to == new_date
    assert TrainingSession.objects.get(pk=session.pk).starts_at == at(10, 9)  # the planned date is kept

    # The calendar: the meeting and the session, each in its month, at its date.
    page.get_by_role("link", name="Réseau").first.click()
    page.get_by_role("link", name="Prochaines réunions").click()
    page.wait_for_url(f"**{reverse('plateformes:meeting_calendar')}")
    meeting_row = month_section(page, meeting_at).locator("tbody tr", has_text="Plateforme FLE Namur")
    expect(meeting_row).to_contain_text(f"{meeting_at:%d/%m/%Y} 14:00")
    expect(meeting_row).to_contain_text("Plateforme")
    expect(meeting_row.locator("td").last).to_have_text("3")
    session_row = month_section(page, new_date).locator("tbody tr", has_text="Communication interculturelle")
    expect(session_row).to_contain_text(f"{new_date:%d/%m/%Y} 09:00")
    expect(session_row).to_contain_text("Session de formation")
    expect(session_row).to_contain_text(f"reportée (prévue le {at(10, 9):%d/%m/%Y} 09:00)")
    assert page.locator("tbody tr", has_text="Communication interculturelle").count() == 1  # not twice

    # Each line leads to its record.
    session_row.get_by_role("link", name="Communication interculturelle").click()
    page.wait_for_url(f"**{session.get_absolute_url()}")
