"""Reads of the integration path. Everything depending on who asks takes ``user=``."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import CharField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Concat
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accompagnement.dbfunctions import natural_order
from accompagnement.models import Appointment, Person

from .choices import ComponentKind, PathStatus
from .models import CollectiveSession, HoursRecord, Path, PathComponent, SessionAttendance

DEADLINE_KINDS = {
    "presentation": _("Se présenter au bureau d'accueil"),
    "evaluation": _("Entretien d'évaluation"),
    "attestation": _("Attestation de fréquentation"),
}


def path_queryset(*, user) -> QuerySet:
    return (
        Path.objects.visible_to(user)
        .select_related("person", "person__office", "regime", "dispensation", "override_by")
        .prefetch_related(Prefetch("components", queryset=PathComponent.objects.order_by("id")))
    )


def get_path_for_user(*, user, person_pk) -> Path:
    """The path of a person the user may see; 404 when out of scope, missing, or without a path."""
    try:
        return (
            path_queryset(user=user)
            .annotate(
                french_hours=Sum(
                    "hours_records__hours", filter=Q(hours_records__component=ComponentKind.FRENCH)
                ),
                citizenship_hours=Sum(
                    "hours_records__hours", filter=Q(hours_records__component=ComponentKind.CITIZENSHIP)
                ),
            )
            .get(person_id=person_pk)
        )
    except (Path.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def hours_records(*, path: Path) -> QuerySet:
    return HoursRecord.objects.filter(path=path).select_related("recorded_by").order_by("-period_end", "-id")


def person_sessions(*, person: Person) -> QuerySet:
    return (
        SessionAttendance.objects.filter(person=person)
        .select_related("session", "session__office")
        .order_by("-session__starts_at")
    )


@dataclass(frozen=True)
class DeadlineItem:
    path: Path
    kind: str
    due: dt.date

    @property
    def label(self):
        return DEADLINE_KINDS[self.kind]

    @property
    def overdue(self) -> bool:
        return self.due < timezone.localdate()

    @property
    def days_left(self) -> int:
        return (self.due - timezone.localdate()).days


DEADLINE_DUE_FIELDS = {
    "presentation": "presentation_due",
    "evaluation": "next_evaluation_due",
    "attestation": "attestation_due",
}

# Orders of the "Échéances" table: the key of the ``tri`` parameter and its columns (then ``id``).
DEADLINE_ORDERS = {
    "echeance": ("due", "deadline_kind"),
    "personne": ("person_sort", "due"),
    "bureau": ("office_sort", "due"),
}
DEADLINE_SORT_COLUMNS = {
    "person_sort": lambda: natural_order(Concat("person__last_name", Value(" "), "person__first_name")),
    "office_sort": lambda: natural_order(F("person__office__name")),
}


def deadline_rows(
    *, user, horizon: dt.date, office=None, kind: str = "", overdue_only: bool = False, sort: str = ""
) -> QuerySet:
    """The open deadlines of the obliged people the user may see, one row per deadline.

    A UNION ALL of one SELECT per kind of deadline (presentation at the office, evaluation interview,
    attestation), so that filtering, counting, ordering and paging all happen in the database: the
    page costs the same whatever the number of paths behind it. Rows are dicts with ``id`` (the path),
    ``deadline_kind`` and ``due`` (plus the sort column when sorting by person or office);
    ``deadline_page_items`` turns a page of them into ``DeadlineItem``. A presentation deadline is open
    while the person has no appointment. ``sort``: a key of ``DEADLINE_ORDERS``, ``-`` in front for
    the reverse order. Names are only joined when the order needs them, so the default page reads
    the paths alone (through their partial indexes) and the person table only for the office gate."""
    base = Path.objects.visible_to(user).filter(
        status=PathStatus.OBLIGED, attestation_delivered_on__isnull=True
    )
    if office is not None:
        base = base.filter(person__office=office)
    upper = min(horizon, timezone.localdate() - dt.timedelta(days=1)) if overdue_only else horizon
    columns = DEADLINE_ORDERS.get(sort.lstrip("-"), DEADLINE_ORDERS["echeance"])
    sort_columns = {name: make() for name, make in DEADLINE_SORT_COLUMNS.items() if name in columns}
    kinds = [kind] if kind in DEADLINE_DUE_FIELDS else list(DEADLINE_DUE_FIELDS)
    branches = []
    for name in kinds:
        field = DEADLINE_DUE_FIELDS[name]
        branch = base.filter(**{f"{field}__lte": upper})
        if name == "presentation":
            branch = branch.filter(~Exists(Appointment.objects.filter(person_id=OuterRef("person_id"))))
        branches.append(
            branch.annotate(deadline_kind=Value(name, output_field=CharField()), due=F(field), **sort_columns)
            .values("id", "deadline_kind", "due", *sort_columns)
            .order_by()
        )
    rows = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    prefix = "-" if sort.startswith("-") else ""
    return rows.order_by(*(prefix + column for column in (*columns, "id")))


def deadline_page_items(rows) -> list[DeadlineItem]:
    """The ``DeadlineItem`` of a page of ``deadline_rows``, in the same order: one query for the paths."""
    rows = list(rows)
    paths = Path.objects.select_related("person", "person__office").in_bulk([row["id"] for row in rows])
    return [
        DeadlineItem(paths[row["id"]], row["deadline_kind"], row["due"]) for row in rows if row["id"] in paths
    ]


def session_list(*, user) -> QuerySet:
    return CollectiveSession.objects.visible_to(user).select_related("office", "facilitator", "language")
