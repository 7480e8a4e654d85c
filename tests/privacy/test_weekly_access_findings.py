"""The weekly unusual-access selector on hand-built audit rows with known true values."""

import datetime as dt

import pytest

from accompagnement import services as people_services
from cai.choices import Role
from cai.privacy.selectors import UNUSUAL_RULE, weekly_access_findings
from tests.factories import PersonFactory, UserFactory, office
from tests.privacy.auditrows import local, open_file, open_files

pytestmark = pytest.mark.django_db

WEEK = dt.date(2026, 11, 9)  # a Monday
REASON = "La personne se présente à la permanence de Namur."


def counsellor(username):
    return UserFactory(
        username=username,
        first_name=username.title(),
        last_name="Test",
        role=Role.COUNSELLOR,
        offices=[office("namur")],
    )


@pytest.fixture
def people():
    return PersonFactory.create_batch(40, office=office("namur"))


def by_user(findings):
    return {row["user_id"]: row for row in findings["users"]}


def test_a_user_at_five_a_week_then_forty_is_flagged_and_a_steady_user_is_not(people):
    jump, steady = counsellor("jump"), counsellor("steady")
    for weeks_ago in range(1, 9):
        monday = WEEK - dt.timedelta(weeks=weeks_ago)
        open_files(jump, people[:5], local(monday + dt.timedelta(days=2)))
        open_files(steady, people[:30], local(monday + dt.timedelta(days=1)))
    open_files(jump, people, local(WEEK + dt.timedelta(days=3)))
    open_files(steady, people[:30], local(WEEK + dt.timedelta(days=3)))

    rows = by_user(weekly_access_findings(week_start=WEEK))
    assert (rows[jump.pk]["files"], rows[jump.pk]["usual"], rows[jump.pk]["flagged"]) == (40, 5, True)
    assert (rows[steady.pk]["files"], rows[steady.pk]["usual"], rows[steady.pk]["flagged"]) == (30, 30, False)
    assert weekly_access_findings(week_start=WEEK)["users"][0]["user_id"] == jump.pk  # flagged first


def test_distinct_files_are_counted_not_openings(people):
    user = counsellor("repeat")
    for _ in range(30):
        open_file(user, people[0], local(WEEK))
    row = by_user(weekly_access_findings(week_start=WEEK))[user.pk]
    assert (row["files"], row["flagged"]) == (1, False)


def test_a_new_user_is_compared_with_the_floor(people):
    few, many = counsellor("few"), counsellor("many")
    open_files(few, people[:20], local(WEEK))  # 20 is not above 5 + 15
    open_files(many, people[:21], local(WEEK))  # 21 > 3 × 5 and > 5 + 15
    rows = by_user(weekly_access_findings(week_start=WEEK))
    assert (rows[few.pk]["usual"], rows[few.pk]["flagged"]) == (0, False)
    assert rows[many.pk]["flagged"] is True
    assert UNUSUAL_RULE.is_unusual(21, 0) and not UNUSUAL_RULE.is_unusual(20, 0)


def test_the_week_runs_monday_to_sunday_in_brussels(people):
    user = counsellor("edge")
    open_files(user, people[:3], local(WEEK + dt.timedelta(days=6), 23, 30))  # Sunday 23:30 (22:30 UTC)
    open_files(user, people[3:10], local(WEEK + dt.timedelta(days=7), 0, 30))  # next Monday 00:30
    open_files(user, people[10:12], local(WEEK - dt.timedelta(days=1), 23, 59))  # the Sunday before
    assert by_user(weekly_access_findings(week_start=WEEK))[user.pk]["files"] == 3


def test_every_override_is_listed_with_its_uses(counsellor_a, office_b):
    dinant = PersonFactory.create_batch(2, office=office_b)
    used = people_services.access_override_grant(user=counsellor_a, person=dinant[0], reason=REASON)
    unused = people_services.access_override_grant(user=counsellor_a, person=dinant[1], reason=REASON)
    from accompagnement.models import AccessOverride

    AccessOverride.objects.filter(pk__in=[used.pk, unused.pk]).update(
        granted_at=local(WEEK + dt.timedelta(days=1), 9), expires_at=local(WEEK + dt.timedelta(days=1), 17)
    )
    open_file(counsellor_a, dinant[0], local(WEEK + dt.timedelta(days=1), 9, 5), override=used.pk)
    open_file(counsellor_a, dinant[0], local(WEEK + dt.timedelta(days=1), 11), override=used.pk)

    findings = weekly_access_findings(week_start=WEEK)
    listed = {row["override_id"]: row for row in findings["overrides"]}
    assert set(listed) == {used.pk, unused.pk}
    assert (listed[used.pk]["uses"], listed[unused.pk]["uses"]) == (2, 0)
    assert listed[used.pk]["office"] == "Dinant" and listed[used.pk]["reason"] == REASON
    assert by_user(findings)[counsellor_a.pk]["flagged"] is False  # one file: not a volume alarm


def test_the_selector_is_a_fixed_number_of_queries(django_assert_max_num_queries, people):
    for index in range(12):
        user = counsellor(f"user{index}")
        for weeks_ago in range(0, 9):
            open_files(user, people[: 5 + index], local(WEEK - dt.timedelta(weeks=weeks_ago)))
    with django_assert_max_num_queries(5):
        findings = weekly_access_findings(week_start=WEEK)
    assert len(findings["users"]) == 12
