"""Query budgets: every list, page, export and endpoint of the network issues the same number of
queries with 3 rows as with 40 (no N+1)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from plateformes.models import Acronym
from tests.factories import commune
from tests.plateformes.factories import (
    AwarenessActionFactory,
    FollowUpActionFactory,
    GovernanceMeetingFactory,
    GroupFactory,
    GroupMemberFactory,
    InterpellationFactory,
    MeetingAttendeeFactory,
    MeetingFactory,
    OfferFactory,
    OperatorContactFactory,
    OperatorFactory,
    StaffMemberFactory,
    SupportActionFactory,
)

pytestmark = pytest.mark.django_db
COUNTS = [3, 40]
# Session, user, second factor, the page's own queries, pagination count: fixed, whatever the rows.
PAGE_BUDGET = 14
API_BUDGET = 10


def soon(days=5):
    return timezone.now() + dt.timedelta(days=days)


def make_operators(count, offices):
    for operator in OperatorFactory.create_batch(count, territories=offices, commune=commune("Namur")):
        OperatorContactFactory(operator=operator)
        OfferFactory(operator=operator, territories=offices, commune=commune("Namur"))


def make_rows(kind, count, offices):
    """``count`` rows of one kind, each with the related rows its page or endpoint shows."""
    if kind in ("operators", "offers"):
        make_operators(count, offices)
    elif kind == "support":
        SupportActionFactory.create_batch(count)
    elif kind == "groups":
        for group in GroupFactory.create_batch(count, office=offices[0]):
            GroupMemberFactory(group=group)
            MeetingFactory(group=group)
    elif kind == "meetings":
        for meeting in MeetingFactory.create_batch(count):
            MeetingAttendeeFactory(meeting=meeting)
            FollowUpActionFactory(meeting=meeting)
    elif kind == "awareness":
        AwarenessActionFactory.create_batch(count)
    elif kind == "interpellations":
        InterpellationFactory.create_batch(count, level="commune", commune=commune("Namur"))
    elif kind == "governance":
        GovernanceMeetingFactory.create_batch(count)
    elif kind == "staff":
        StaffMemberFactory.create_batch(count)
    elif kind == "acronyms":
        Acronym.objects.bulk_create(Acronym(acronym=f"SIG{i}", meaning=f"Sigle {i}") for i in range(count))


PAGES = [
    ("plateformes:operator_list", "operators"),
    ("plateformes:offer_search", "offers"),
    ("plateformes:support_action_list", "support"),
    ("plateformes:group_list", "groups"),
    ("plateformes:meeting_calendar", "meetings"),
    ("plateformes:awareness_action_list", "awareness"),
    ("plateformes:interpellation_list", "interpellations"),
    ("plateformes:governance_meeting_list", "governance"),
    ("plateformes:staff_member_list", "staff"),
    ("plateformes:acronym_list", "acronyms"),
]


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize(("url_name", "kind"), PAGES)
def test_list_pages_have_a_fixed_query_count(
    login, coordinator, office_a, office_b, django_assert_max_num_queries, url_name, kind, count
):
    make_rows(kind, count, [office_a, office_b])
    client = login(coordinator)
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    rows = response.context.get("object_list")
    if rows is None:  # the calendar
        rows = [m for _month, meetings in response.context["months"] for m in meetings]
    assert len(rows) >= min(count, 25)


@pytest.mark.parametrize("count", COUNTS)
def test_offer_search_of_a_counsellor_has_a_fixed_query_count(
    login, counsellor_a, office_a, office_b, django_assert_max_num_queries, count
):
    make_operators(count, [office_a, office_b])
    client = login(counsellor_a)
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(reverse("plateformes:offer_search"), {"territory": office_a.pk})
    assert len(response.context["object_list"]) == min(count, 25)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_has_the_same_query_count_for_3_and_40_offers(login, counsellor_a, office_a, office_b, fmt):
    client = login(counsellor_a)
    counts = []
    for count in COUNTS:
        make_operators(count if not counts else count - COUNTS[0], [office_a, office_b])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("plateformes:offer_export", args=[fmt]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("count", COUNTS)
def test_operator_page_has_a_fixed_query_count(
    login, coordinator, office_a, django_assert_max_num_queries, count
):
    operator = OperatorFactory(territories=[office_a])
    OperatorContactFactory.create_batch(count, operator=operator)
    OfferFactory.create_batch(count, operator=operator, territories=[office_a])
    GroupMemberFactory.create_batch(count, operator=operator)
    SupportActionFactory.create_batch(count, operator=operator)
    client = login(coordinator)
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(operator.get_absolute_url())
    assert len(response.context["operator"].offers.all()) == count


@pytest.mark.parametrize("count", COUNTS)
def test_group_page_has_a_fixed_query_count(login, coordinator, django_assert_max_num_queries, count):
    group = GroupFactory()
    GroupMemberFactory.create_batch(count, group=group)
    for meeting in MeetingFactory.create_batch(count, group=group):
        MeetingAttendeeFactory(meeting=meeting)
    client = login(coordinator)
    with django_assert_max_num_queries(PAGE_BUDGET + 2):  # the member form's operator choices
        response = client.get(group.get_absolute_url())
    assert len(response.context["group"].members.all()) == count


@pytest.mark.parametrize("count", COUNTS)
def test_meeting_page_and_form_have_a_fixed_query_count(
    login, coordinator, django_assert_max_num_queries, count
):
    meeting = MeetingFactory(starts_at=soon())
    for member in GroupMemberFactory.create_batch(count, group=meeting.group):
        MeetingAttendeeFactory(meeting=meeting, member=member)
    FollowUpActionFactory.create_batch(count, meeting=meeting)
    client = login(coordinator)
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(meeting.get_absolute_url())
    assert len(response.context["meeting"].attendees.all()) == count
    with django_assert_max_num_queries(PAGE_BUDGET + 2):  # the rows' choices: members and operators, once
        response = client.get(reverse("plateformes:meeting_update", args=[meeting.pk]))
    assert len(response.context["attendee_formset"].forms) == count + 2


API_ENDPOINTS = [
    ("/api/operators/", "operators"),
    ("/api/offers/", "offers"),
    ("/api/support-actions/", "support"),
    ("/api/groups/", "groups"),
    ("/api/meetings/", "meetings"),
    ("/api/awareness-actions/", "awareness"),
    ("/api/interpellations/", "interpellations"),
    ("/api/governance-meetings/", "governance"),
    ("/api/staff-members/", "staff"),
    ("/api/acronyms/", "acronyms"),
]


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize(("endpoint", "kind"), API_ENDPOINTS)
def test_api_lists_have_a_fixed_query_count(
    coordinator, office_a, office_b, django_assert_max_num_queries, endpoint, kind, count
):
    make_rows(kind, count, [office_a, office_b])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=coordinator).key}")
    with django_assert_max_num_queries(API_BUDGET):
        response = client.get(endpoint)
    assert response.status_code == 200
    assert len(response.json()["results"]) >= min(count, 50)
