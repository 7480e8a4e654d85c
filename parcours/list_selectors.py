"""Reads for the newcomer lists. The centre's coordinators see, of existing files, only what matching
needs (name, birth date, office); commune agents see their own lists and, per row, whether the
person came to an office."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accompagnement.dbfunctions import word_similarity
from accompagnement.models import Appointment, Commune, Person
from accompagnement.text import person_search_text

from .choices import PathStatus
from .models import NewcomerList, NewcomerListRow, RowMatch

NAME_THRESHOLD = 0.45


def list_queryset(*, user) -> QuerySet:
    return (
        NewcomerList.objects.visible_to(user)
        .select_related("commune", "commune__office", "submitted_by")
        .annotate(
            pending_count=Count("rows", filter=Q(rows__match=RowMatch.PENDING)),
            linked_count=Count("rows", filter=Q(rows__match=RowMatch.LINKED)),
            created_count=Count("rows", filter=Q(rows__match=RowMatch.CREATED)),
            obliged_count=Count("rows", filter=Q(rows__computed_status=PathStatus.OBLIGED)),
        )
    )


def get_list_for_user(*, user, pk) -> NewcomerList:
    try:
        return list_queryset(user=user).get(pk=pk)
    except (NewcomerList.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def came_to_office():
    """Whether the row's person has had at least one appointment (the only feedback a commune gets)."""
    return Exists(Appointment.objects.filter(person_id=OuterRef("person_id")))


def rows_for_agent(*, newcomer_list: NewcomerList) -> QuerySet:
    return (
        newcomer_list.rows.annotate(came=came_to_office())
        .only("id", "number", "last_name", "first_name", "birth_date", "person_id", "newcomer_list_id")
        .order_by("number")
    )


def rows_for_reconciliation(*, newcomer_list: NewcomerList) -> QuerySet:
    return newcomer_list.rows.select_related("office", "person", "person__office").annotate(
        came=came_to_office()
    )


def candidates_for_rows(rows) -> dict[int, list[dict]]:
    """Existing files that may be each row's person: the same national number, else a similar name
    with the same birth date. Two queries whatever the number of rows; only name, birth date and
    office of each file are read."""
    rows = list(rows)
    numbers = {row.national_number for row in rows if row.national_number}
    births = {row.birth_date for row in rows if row.birth_date}
    fields = ("id", "last_name", "first_name", "birth_date", "office__name", "national_number", "search_text")
    by_number = (
        {p["national_number"]: p for p in Person.objects.filter(national_number__in=numbers).values(*fields)}
        if numbers
        else {}
    )
    by_birth: dict[dt.date, list[dict]] = {}
    if births:
        for person in Person.objects.filter(birth_date__in=births).values(*fields):
            by_birth.setdefault(person["birth_date"], []).append(person)
    result = {}
    for row in rows:
        found = []
        exact = by_number.get(row.national_number) if row.national_number else None
        if exact:
            found.append({**_public(exact), "reason": "numero", "score": 1.0})
        else:
            key = person_search_text(row.first_name, row.last_name)
            scored = [(word_similarity(key, p["search_text"]), p) for p in by_birth.get(row.birth_date, [])]
            found = [
                {**_public(p), "reason": "nom", "score": round(score, 2)}
                for score, p in sorted(scored, key=lambda item: -item[0])
                if score >= NAME_THRESHOLD
            ][:3]
        result[row.pk] = found
    return result


def _public(person: dict) -> dict:
    return {k: person[k] for k in ("id", "last_name", "first_name", "birth_date", "office__name")}


def figures_by_commune(*, start: dt.date, end: dt.date) -> QuerySet:
    """Per commune, for the lists covering a period within [start, end]: rows received, linked to an
    existing file, new files, people who came to an office, obliged among the rows, and obliged who came."""
    came = came_to_office()
    return (
        NewcomerListRow.objects.filter(
            newcomer_list__period_start__gte=start, newcomer_list__period_end__lte=end
        )
        .annotate(came=came)
        .values("newcomer_list__commune__name", "office__name")
        .annotate(
            received=Count("id"),
            linked=Count("id", filter=Q(match=RowMatch.LINKED)),
            created=Count("id", filter=Q(match=RowMatch.CREATED)),
            pending=Count("id", filter=Q(match=RowMatch.PENDING)),
            came_count=Count("id", filter=Q(came=True)),
            obliged=Count("id", filter=Q(computed_status=PathStatus.OBLIGED)),
            obliged_came=Count("id", filter=Q(computed_status=PathStatus.OBLIGED, came=True)),
        )
        .order_by("office__name", "newcomer_list__commune__name")
    )


def communes_without_list(*, start: dt.date, end: dt.date) -> QuerySet:
    """Communes that sent no list covering any part of [start, end]."""
    sent = NewcomerList.objects.filter(
        commune_id=OuterRef("pk"), period_start__lte=end, period_end__gte=start
    )
    return (
        Commune.objects.annotate(sent=Exists(sent))
        .filter(sent=False)
        .select_related("office")
        .prefetch_related("agents")
    )
