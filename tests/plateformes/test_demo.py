"""The network part of ``manage.py load_demo`` (``plateformes.demo``): realistic volumes, valid rows, built once."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from plateformes.choices import AwarenessKind, GovernanceKind, GroupKind, Level, OperatorKind, Team
from plateformes.models import (
    AwarenessAction,
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
    SupportAction,
)

pytestmark = pytest.mark.django_db

NETWORK_MODELS = [
    Operator,
    OperatorContact,
    Offer,
    SupportAction,
    GroupMember,
    Meeting,
    MeetingAttendee,
    FollowUpAction,
    AwarenessAction,
    Interpellation,
    GovernanceMeeting,
    StaffMember,
]


def load_demo(*args) -> str:
    out = StringIO()
    call_command("load_demo", "--people", "60", "--seed", "2", *args, stdout=out, verbosity=0)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in NETWORK_MODELS}


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """One demo year for the whole module (loading takes seconds), rolled back at the end; each test
    runs in its own nested transaction on top of it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def test_demo_builds_a_directory_of_over_100_operators_of_every_kind(demo_output):
    assert Operator.objects.count() >= 100
    kinds = dict(Operator.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds[OperatorKind.ILI] == 17
    for kind in (OperatorKind.CPAS, OperatorKind.COMMUNE, OperatorKind.FOREM, OperatorKind.SCHOOL):
        assert kinds[kind] >= 5
    assert kinds[OperatorKind.RECEPTION_CENTRE] >= 3
    assert not Operator.objects.filter(commune__isnull=True).exists()
    assert not Operator.objects.filter(territories__isnull=True).exists()
    assert not Operator.objects.filter(contacts__isnull=True).exists()
    assert Operator.objects.filter(offers__isnull=False).distinct().count() >= 0.75 * Operator.objects.count()
    levels = set(Offer.objects.filter(kind="francais").values_list("level", flat=True))
    assert {"alpha", "A1", "A2", "B1"} <= levels
    assert set(Offer.objects.exclude(citizenship_format="").values_list("citizenship_format", flat=True)) == {
        "FIC",
        "AOC",
    }
    assert not Offer.objects.filter(territories__isnull=True).exists()
    assert "110 opérateurs" in demo_output


def test_every_platform_working_group_and_local_coordination_has_members_and_meetings(demo_output):
    today = timezone.localdate()
    groups = Group.objects.annotate(
        n_members=Count("members", distinct=True), n_meetings=Count("meetings", distinct=True)
    )
    assert groups.filter(kind=GroupKind.PLATFORM).count() == 6
    assert groups.filter(kind=GroupKind.WORKING_GROUP).count() == 6
    assert groups.filter(kind=GroupKind.LOCAL_COORDINATION).count() == 8
    for group in groups:
        assert group.n_members >= 4, group
        assert 3 <= group.n_meetings <= 6, group
        assert group.pilot is not None
    past = Meeting.objects.filter(starts_at__lt=timezone.now())
    assert not past.filter(minutes="").exists()
    assert not past.filter(decisions="").exists()
    assert not past.filter(attendees__isnull=True).exists()
    assert MeetingAttendee.objects.filter(is_guest=True, member__isnull=True).exists()
    assert not MeetingAttendee.objects.filter(is_guest=False, member__isnull=True).exists()
    assert FollowUpAction.objects.filter(done=True).exists()
    upcoming = Meeting.objects.filter(starts_at__gte=timezone.now())
    assert upcoming.exists()
    assert all(m.starts_at.date() <= today + dt.timedelta(days=92) for m in upcoming)
    assert not upcoming.filter(attendees__isnull=False).exists()


def test_demo_records_support_awareness_interpellations_governance_and_team(demo_output):
    year = timezone.localdate().year
    assert SupportAction.objects.filter(date__year=year).count() >= 55
    assert SupportAction.objects.filter(date__year=year - 1).exists()
    assert SupportAction.objects.values("staff").distinct().count() >= 3
    assert AwarenessAction.objects.count() >= 12
    assert AwarenessAction.objects.filter(kind=AwarenessKind.DAY, date__month=3, date__day=21).exists()
    assert AwarenessAction.objects.filter(
        kind=AwarenessKind.PUBLICATION, title__startswith="CAIstiques"
    ).exists()
    assert Interpellation.objects.count() >= 10
    assert Interpellation.objects.values("level").distinct().count() >= 3
    assert not Interpellation.objects.filter(level=Level.COMMUNE, commune__isnull=True).exists()
    assert Interpellation.objects.filter(title__contains="commune hospitalière").count() >= 3
    governance = dict(GovernanceMeeting.objects.values_list("kind").annotate(n=Count("id")))
    assert governance == {
        GovernanceKind.BOARD: 6,
        GovernanceKind.BUREAU: 10,
        GovernanceKind.GENERAL_ASSEMBLY: 2,
    }
    assert StaffMember.objects.filter(user__username="direction", team=Team.DIRECTION).exists()
    assert StaffMember.objects.filter(user__username="conseiller", team=Team.FIRST_LINE).exists()
    assert not StaffMember.objects.filter(user__username="commune.namur").exists()
    assert StaffMember.objects.filter(user__isnull=True).count() >= 4
    assert set(StaffMember.objects.values_list("team", flat=True)) == set(Team.values)


def test_demo_rows_are_valid(demo_output):
    """bulk_create skips validation: every row must still pass ``full_clean`` and the services' rules."""
    for model in NETWORK_MODELS:
        for row in model.objects.all()[:60]:
            row.full_clean()
    assert not Meeting.objects.filter(online=False, place="").exists()
    assert not Meeting.objects.filter(ends_at__lte=F("starts_at")).exists()
    assert not Offer.objects.exclude(kind="citoyennete").exclude(citizenship_format="").exists()


def test_a_second_load_adds_nothing_to_the_network(demo_output):
    before = counts()
    output = load_demo()
    assert counts() == before
    assert "déjà chargées" in output


def test_reset_rebuilds_the_people_but_keeps_the_network_without_duplicates(demo_output):
    before = counts()
    output = load_demo("--reset")
    assert counts() == before
    assert "Réseau : déjà chargé" in output
