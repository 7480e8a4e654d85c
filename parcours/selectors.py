"""Reads of the integration path. Everything depending on who asks takes ``user=``."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


def deadline_paths(*, user, horizon: dt.date, office=None) -> QuerySet:
    """Paths of obliged people with at least one deadline on or before ``horizon`` still open.

    One query (plus the gate's subquery); ``has_appointment`` tells whether the person has come."""
    came = Appointment.objects.filter(person_id=OuterRef("person_id"))
    qs = (
        Path.objects.visible_to(user)
        .filter(status=PathStatus.OBLIGED, attestation_delivered_on__isnull=True)
        .annotate(has_appointment=Exists(came))
        .filter(
            Q(attestation_due__lte=horizon)
            | Q(next_evaluation_due__lte=horizon)
            | Q(presentation_due__lte=horizon, has_appointment=False)
        )
        .select_related("person", "person__office")
    )
    if office is not None:
        qs = qs.filter(person__office=office)
    return qs


def deadline_items(paths, *, horizon: dt.date) -> list[DeadlineItem]:
    """The open deadlines of the given paths (from ``deadline_paths``), soonest first. No query."""
    items = []
    for path in paths:
        if path.presentation_due and path.presentation_due <= horizon and not path.has_appointment:
            items.append(DeadlineItem(path, "presentation", path.presentation_due))
        if path.next_evaluation_due and path.next_evaluation_due <= horizon:
            items.append(DeadlineItem(path, "evaluation", path.next_evaluation_due))
        if path.attestation_due and path.attestation_due <= horizon:
            items.append(DeadlineItem(path, "attestation", path.attestation_due))
    items.sort(key=lambda item: (item.due, item.path.person.last_name, item.kind))
    return items


def session_list(*, user) -> QuerySet:
    return CollectiveSession.objects.visible_to(user).select_related("office", "facilitator", "language")
