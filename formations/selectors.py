"""Reads of the trainings app. Everything depending on who asks takes ``user=``.

Who may see what (issue 5 §7): coordinators, the director and administrators read (and write) every
training, session and registration; nobody else sees any of it (their querysets are empty, and the
pages and endpoints answer 403 before looking anything up).
"""

import datetime as dt

from django.db.models import Case, Count, Min, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from plateformes.calendar import CalendarEvent

from .choices import RegistrationStatus, SessionStatus
from .models import Registration, Trainer, Training, TrainingSession

# When a session takes place: its new date once postponed, else its planned start.
SCHEDULED_AT = Coalesce("postponed_to", "starts_at")


def manages_trainings(user) -> bool:
    """Coordinators, the director and administrators manage the trainings; nobody else sees them."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_coordinator or user.is_director or user.is_administrator)
    )


def scheduled_start(session: TrainingSession) -> dt.datetime:
    """When the session takes place: the new date of a postponed session, else its planned start."""
    return session.postponed_to or session.starts_at


def default_programme_year() -> int:
    """The programme is prepared for the coming year."""
    return timezone.localdate().year + 1


def training_queryset(*, user) -> QuerySet:
    """The trainings the user may see, with their number of sessions and the next planned one."""
    if not manages_trainings(user):
        return Training.objects.none()
    return Training.objects.select_related("on_request_for").annotate(
        sessions_count=Count("sessions"),
        next_session_at=Min(
            "sessions__starts_at",
            filter=Q(sessions__status=SessionStatus.PLANNED, sessions__starts_at__gte=timezone.now()),
        ),
    )


def get_training_for_user(*, user, pk) -> Training:
    """The training if the user may see it; 404 when missing or not theirs to see (same answer)."""
    try:
        return training_queryset(user=user).get(pk=pk)
    except (Training.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def trainers_prefetch() -> Prefetch:
    """The trainers of sessions with their staff member and organisation, in one query for any number."""
    return Prefetch("trainers", queryset=Trainer.objects.select_related("user", "operator").order_by("id"))


def session_queryset(*, user) -> QuerySet:
    """The sessions the user may see, with their training, trainers (prefetched) and counts: places
    taken (``registered_count``), waiting list (``waiting_count``) and attendance (``attended_count``)."""
    if not manages_trainings(user):
        return TrainingSession.objects.none()
    return (
        TrainingSession.objects.select_related("training")
        .prefetch_related(trainers_prefetch())
        .annotate(
            registered_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
            ),
            waiting_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
            attended_count=Count("registrations", filter=Q(registrations__attended=True)),
        )
    )


def calendar_sessions(*, user, start: dt.datetime, end: dt.datetime) -> list[CalendarEvent]:
    """The sessions that take place between ``start`` and ``end`` (at their new date once postponed;
    cancelled and held ones left out), as events of the network calendar, in one query. Nobody but
    the trainings' managers gets any."""
    if not manages_trainings(user):
        return []
    sessions = (
        TrainingSession.objects.select_related("training")
        .annotate(
            scheduled_at=SCHEDULED_AT,
            registered_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
            ),
        )
        .filter(
            status__in=(SessionStatus.PLANNED, SessionStatus.POSTPONED),
            scheduled_at__gte=start,
            scheduled_at__lt=end,
        )
        .order_by("scheduled_at", "id")
    )
    return [
        CalendarEvent(
            starts_at=session.scheduled_at,
            title=session.training.title,
            kind_label=_("Session de formation"),
            url=session.get_absolute_url(),
            place=session.place,
            online=session.online,
            participants=session.registered_count,
            note=_("reportée (prévue le %(date)s)")
            % {"date": timezone.localtime(session.starts_at).strftime("%d/%m/%Y %H:%M")}
            if session.status == SessionStatus.POSTPONED
            else "",
        )
        for session in sessions
    ]


def get_session_for_user(*, user, pk) -> TrainingSession:
    try:
        return session_queryset(user=user).get(pk=pk)
    except (TrainingSession.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def training_sessions(*, user, training: Training) -> QuerySet:
    """The sessions of one training, the latest first."""
    return session_queryset(user=user).filter(training=training).order_by("-starts_at", "-id")


def session_registrations(*, session: TrainingSession) -> QuerySet:
    """The registrations of a session: registered first, then the waiting list in order of arrival,
    then the cancelled ones."""
    return (
        Registration.objects.filter(session=session)
        .select_related("operator")
        .annotate(
            status_rank=Case(
                When(status=RegistrationStatus.REGISTERED, then=Value(0)),
                When(status=RegistrationStatus.WAITING, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("status_rank", "created_at", "id")
    )


def registration_queryset(*, user) -> QuerySet:
    if not manages_trainings(user):
        return Registration.objects.none()
    return Registration.objects.select_related("session", "session__training", "operator")


def get_registration_for_user(*, user, pk) -> Registration:
    try:
        return registration_queryset(user=user).get(pk=pk)
    except (Registration.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def programme_sessions(*, user, year: int) -> QuerySet:
    """The programme of a year: every session that takes place that year (a postponed one at its new
    date), planned, postponed or already held, in date order. Cancelled sessions are left out."""
    return (
        session_queryset(user=user)
        .annotate(scheduled_at=SCHEDULED_AT)
        .filter(scheduled_at__year=year)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("scheduled_at", "id")
    )
