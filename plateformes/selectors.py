"""Reads of the partner network. Every selector takes the user who asks and returns a queryset with
its joins applied, so that pages and the API issue a fixed number of queries whatever the data size.

The gate is the role (``access.py``): a user who may not read a kind of record gets an empty
queryset. Counsellors read only the current offer: active offers of active operators. Lookups by id
answer 404 when the record is missing or out of the user's reach (same answer).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from cai.choices import Role
from cai.models import User

from .access import reads_offer, works_on_network
from .choices import SupportKind, Team
from .models import (
    Acronym,
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

CALENDAR_DAYS = 90
DETAIL_SUPPORT_LIMIT = 20


def _count(queryset: QuerySet, field: str):
    """A correlated COUNT of ``queryset`` rows whose ``field`` is the outer row: no join, no GROUP BY on
    the outer query (so filters on other relations cannot multiply it)."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), Value(0))


def get_for_user(queryset: QuerySet, pk):
    """The row of ``queryset`` with this id, or 404 (missing, out of reach or not a number alike)."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _network(queryset: QuerySet, user) -> QuerySet:
    return queryset if works_on_network(user) else queryset.none()


def staff_users() -> QuerySet:
    """Who may carry out a support action, pilot a group or hold a team account: active staff (every
    role but commune agents)."""
    return (
        User.objects.filter(is_active=True)
        .exclude(role=Role.COMMUNE_AGENT)
        .order_by("last_name", "first_name", "username")
    )


# Operators and their offer


def operator_list(*, user) -> QuerySet:
    """The directory with each operator's commune, territories and number of current offers.
    Counsellors (who only read the offer) see active operators only."""
    operators = (
        Operator.objects.select_related("commune")
        .prefetch_related("territories")
        .annotate(offer_count=_count(Offer.objects.filter(active=True), "operator"))
    )
    if works_on_network(user):
        return operators
    if reads_offer(user):
        return operators.filter(active=True)
    return operators.none()


def get_operator(*, user, pk) -> Operator:
    """An operator with everything its page shows: contacts, offer, memberships, latest support."""
    offers = Offer.objects.select_related("commune").prefetch_related("territories")
    support = SupportAction.objects.select_related("staff").order_by("-date", "-id")
    queryset = (
        operator_list(user=user)
        .annotate(support_count=_count(SupportAction.objects.all(), "operator"))
        .prefetch_related(
            Prefetch("contacts", queryset=OperatorContact.objects.order_by("name")),
            Prefetch("offers", queryset=offers.order_by("-active", "kind", "title")),
            Prefetch(
                "memberships", queryset=GroupMember.objects.select_related("group").order_by("group__name")
            ),
            Prefetch("support_actions", queryset=support[:DETAIL_SUPPORT_LIMIT], to_attr="latest_support"),
        )
    )
    return get_for_user(queryset, pk)


def offer_list(*, user) -> QuerySet:
    """The operators' offer with operator, commune and territories. Counsellors see the current offer
    only (active offers of active operators)."""
    offers = Offer.objects.select_related("operator", "commune").prefetch_related("territories")
    if works_on_network(user):
        return offers
    if reads_offer(user):
        return offers.filter(active=True, operator__active=True)
    return offers.none()


def get_offer(*, user, pk) -> Offer:
    return get_for_user(offer_list(user=user), pk)


# Support actions


def support_action_list(*, user) -> QuerySet:
    return _network(SupportAction.objects.select_related("operator", "staff"), user)


def get_support_action(*, user, pk) -> SupportAction:
    return get_for_user(support_action_list(user=user), pk)


@dataclass(frozen=True)
class SupportCounts:
    """Support actions per year and kind (one aggregate query): ``rows`` are (year, [count per kind],
    total), ``kinds`` the kind labels in column order, ``kind_totals`` and ``total`` the margins."""

    kinds: list
    rows: list
    kind_totals: list
    total: int


def support_action_counts(queryset: QuerySet) -> SupportCounts:
    cells = {}
    for row in queryset.order_by().values("date__year", "kind").annotate(n=Count("pk")):
        cells[(row["date__year"], row["kind"])] = row["n"]
    kinds = list(SupportKind)
    years = sorted({year for year, _kind in cells}, reverse=True)
    rows = []
    for year in years:
        counts = [cells.get((year, kind.value), 0) for kind in kinds]
        rows.append((year, counts, sum(counts)))
    kind_totals = [sum(cells.get((year, kind.value), 0) for year in years) for kind in kinds]
    return SupportCounts(
        kinds=[kind.label for kind in kinds], rows=rows, kind_totals=kind_totals, total=sum(kind_totals)
    )


# Groups, members, meetings


def group_list(*, user, now: dt.datetime | None = None) -> QuerySet:
    """Platforms, working groups and local coordinations with their number of members and their next
    meeting (``next_meeting_at``), each computed by a subquery."""
    now = now or timezone.now()
    upcoming = Meeting.objects.filter(group=OuterRef("pk"), starts_at__gte=now).order_by().values("group")
    groups = Group.objects.select_related("office", "pilot").annotate(
        member_count=_count(GroupMember.objects.all(), "group"),
        meeting_count=_count(Meeting.objects.all(), "group"),
        next_meeting_at=Subquery(upcoming.annotate(first=Min("starts_at")).values("first")[:1]),
    )
    return _network(groups, user)


def get_group(*, user, pk) -> Group:
    """A group with its members (and their operators) and its meetings (with attendee counts)."""
    meetings = Meeting.objects.annotate(attendee_count=_count(MeetingAttendee.objects.all(), "meeting"))
    queryset = group_list(user=user).prefetch_related(
        Prefetch("members", queryset=GroupMember.objects.select_related("operator").order_by("name", "id")),
        Prefetch("meetings", queryset=meetings.order_by("-starts_at", "-id")),
    )
    return get_for_user(queryset, pk)


def get_member(*, user, group: Group, pk) -> GroupMember:
    return get_for_user(_network(group.members.select_related("operator"), user), pk)


def meeting_list(*, user) -> QuerySet:
    meetings = Meeting.objects.select_related("group", "group__office").annotate(
        attendee_count=_count(MeetingAttendee.objects.all(), "meeting"),
        open_follow_up_count=_count(FollowUpAction.objects.filter(done=False), "meeting"),
    )
    return _network(meetings, user)


def upcoming_meetings(*, user, days: int = CALENDAR_DAYS, now: dt.datetime | None = None) -> QuerySet:
    """The meetings of every group from now to ``days`` days ahead, the soonest first."""
    now = now or timezone.now()
    return (
        meeting_list(user=user)
        .filter(starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=days))
        .order_by("starts_at", "id")
    )


def get_meeting(*, user, pk) -> Meeting:
    """A meeting with its group, attendees (member and operator) and follow-up actions."""
    queryset = meeting_list(user=user).prefetch_related(
        Prefetch(
            "attendees",
            queryset=MeetingAttendee.objects.select_related(
                "member", "member__operator", "operator"
            ).order_by("is_guest", "name", "id"),
        ),
        Prefetch("follow_ups", queryset=FollowUpAction.objects.order_by("done", "due_on", "id")),
    )
    return get_for_user(queryset, pk)


def get_follow_up(*, user, pk) -> FollowUpAction:
    return get_for_user(_network(FollowUpAction.objects.select_related("meeting"), user), pk)


# Awareness, interpellations, governance, team, glossary


def awareness_action_list(*, user) -> QuerySet:
    return _network(AwarenessAction.objects.all(), user)


def interpellation_list(*, user) -> QuerySet:
    return _network(Interpellation.objects.select_related("commune"), user)


def governance_meeting_list(*, user) -> QuerySet:
    return _network(GovernanceMeeting.objects.all(), user)


def staff_member_list(*, user) -> QuerySet:
    """The team in the report's order: direction, first line, second line, administration."""
    team_order = Case(
        *[When(team=team, then=Value(position)) for position, team in enumerate(Team.values)],
        default=Value(len(Team.values)),
        output_field=IntegerField(),
    )
    members = StaffMember.objects.select_related("user").order_by(team_order, "name", "pk")
    return _network(members, user)


def acronym_list(*, user) -> QuerySet:
    return _network(Acronym.objects.all(), user)
