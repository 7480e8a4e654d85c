"""Reads of the accompagnement app. Everything that depends on who asks takes ``user=``."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from .models import Appointment, Office, Person
from .numbers import check_national_number
from .text import fold, person_search_text

# Below this word similarity a name is not a match (pg_trgm's %> uses the same value, set per
# connection in settings, see DATABASES OPTIONS).
NAME_SIMILARITY_THRESHOLD = 0.45
SEARCH_LIMIT = 50
DATE_RE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
ISO_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def person_list(*, user) -> QuerySet:
    """People the user may see, with what the list page shows, in one query.

    The last appointment is a correlated subquery (one index probe per row shown), not an aggregate:
    an aggregate groups every matching person with all their appointments before the page is cut
    (up to 1.8 s for a page of 100,000 files, see bench/README.md) and drops Meta.ordering from the query.
    """
    latest = Appointment.objects.filter(person=OuterRef("pk")).order_by("-starts_at").values("starts_at")[:1]
    return (
        Person.objects.visible_to(user)
        .select_related("office", "commune")
        .annotate(last_appointment_at=Subquery(latest))
    )


def get_person_for_user(*, user, pk) -> Person:
    """The person file if the user may see it; 404 when out of scope or missing (same answer)."""
    try:
        return (
            Person.objects.visible_to(user)
            .select_related("office", "commune", "interpreter_language")
            .prefetch_related("languages")
            .get(pk=pk)
        )
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def file_held_elsewhere(*, user, national_number: str) -> Person | None:
    """For a counsellor who typed a full national / BIS number: the file with that number when another
    office holds it and the counsellor cannot see it (yet), for the out-of-office access offer. The
    caller shows only its office. None for the other roles, an unknown or malformed number."""
    if not (user.is_active and user.is_counsellor):
        return None
    try:
        number = check_national_number(national_number).number
    except ValidationError:  # a malformed number matches no file
        return None
    return (
        Person.objects.filter(national_number=number)
        .exclude(pk__in=Person.objects.visible_to(user).values("pk"))
        .select_related("office")
        .first()
    )


def parse_search_date(query: str) -> dt.date | None:
    """A birth date typed as dd/mm/yyyy (or with . or -), or yyyy-mm-dd; None otherwise."""
    match = DATE_RE.match(query)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = ISO_DATE_RE.match(query)
        if not match:
            return None
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def person_search(*, user, query: str) -> QuerySet:
    """Find people by name (accents, case, typos and swapped names tolerated), birth date
    (dd/mm/yyyy) or national register / BIS number. At most ``SEARCH_LIMIT`` results, best first.
    """
    base = person_list(user=user)
    query = (query or "").strip()
    if not query:
        return base.none()
    digits = re.sub(r"[\s.\-]", "", query)
    if digits.isdigit() and len(digits) == 11:
        return base.filter(national_number=digits)
    day = parse_search_date(query)
    if day is not None:
        return base.filter(birth_date=day)
    folded = fold(query)
    if len(folded) < 2:
        return base.none()
    return name_matches(base, folded)[:SEARCH_LIMIT]


def name_matches(queryset: QuerySet, folded: str) -> QuerySet:
    from django.contrib.postgres.search import TrigramWordSimilarity

    ranked = queryset.annotate(rank=TrigramWordSimilarity(folded, "search_text"))
    if connection.vendor == "postgresql":
        # %> uses the trigram GIN index; the threshold is the connection's
        # pg_trgm.word_similarity_threshold (see settings).
        ranked = ranked.filter(search_text__trigram_word_similar=folded)
    else:
        ranked = ranked.filter(rank__gte=NAME_SIMILARITY_THRESHOLD)
    return ranked.order_by("-rank", "last_name", "first_name", "pk")


def duplicate_offices(
    *, national_number: str = "", first_name: str = "", last_name: str = "", birth_date=None, exclude_pk=None
) -> list[str]:
    """Names of the offices that already hold a file for this person (same number; or similar name
    and same birth date), across all offices. Says nothing else about the existing file."""
    candidates = Q(pk__in=[])
    number = ""
    if national_number:
        try:
            number = check_national_number(national_number).number
        except Exception:  # noqa: BLE001 - an invalid number cannot match an existing one
            number = ""
    if number:
        candidates |= Q(national_number=number)
    matches = Person.objects.none()
    if birth_date and (first_name or last_name):
        folded = person_search_text(first_name, last_name)
        matches = name_matches(Person.objects.filter(birth_date=birth_date), folded).values("pk")
        candidates |= Q(pk__in=matches)
    if not number and not (birth_date and (first_name or last_name)):
        return []
    found = Person.objects.filter(candidates)
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return sorted(set(found.values_list("office__name", flat=True)))


def person_timeline(*, user, person: Person) -> QuerySet:
    """The appointments of a file, newest first, with what the timeline shows, in a fixed number of queries."""
    return (
        Appointment.objects.visible_to(user)
        .filter(person=person)
        .select_related("counsellor", "office", "interpreter_language", "esf_action_type")
        .prefetch_related("request_types")
        .order_by("-starts_at", "-id")
    )


def appointment_list(*, user) -> QuerySet:
    return (
        Appointment.objects.visible_to(user)
        .select_related(
            "person", "person__office", "counsellor", "office", "interpreter_language", "esf_action_type"
        )
        .prefetch_related("request_types")
    )


def get_appointment_for_user(*, user, pk) -> Appointment:
    try:
        return appointment_list(user=user).get(pk=pk)
    except (Appointment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_read_confidential_notes(*, user, person: Person) -> bool:
    """Confidential notes: only the counsellors of the person's office."""
    return user.is_counsellor and user.is_active and any(o.pk == person.office_id for o in user.offices.all())


def counsellor_agenda(*, user, start: dt.datetime, end: dt.datetime) -> QuerySet:
    """The user's own appointments in [start, end), across their offices, in time order."""
    return (
        appointment_list(user=user)
        .filter(counsellor=user, starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "id")
    )


def offices_with_schedules(*, offices=None) -> QuerySet:
    qs = Office.objects.prefetch_related("permanence_rules", "permanence_exceptions", "communes")
    if offices is not None:
        qs = qs.filter(pk__in=[o.pk for o in offices])
    return qs


def office_list(*, user) -> QuerySet:
    return offices_with_schedules().annotate(
        people_count=Count("people", filter=Q(people__is_active=True), distinct=True)
    )


def local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)
