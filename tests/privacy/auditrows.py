"""Hand-built audit rows for the access-accountability tests (known true values, set timestamps)."""

import datetime as dt

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accompagnement.models import Person


def local(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def open_file(user, person, at: dt.datetime, **data) -> LogEntry:
    """One ACCESS row: ``user`` opened ``person``'s file at ``at``."""
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Person),
        object_pk=str(person.pk),
        object_id=person.pk,
        object_repr=str(person),
        action=LogEntry.Action.ACCESS,
        actor=user,
        timestamp=at,
        remote_addr="192.0.2.10",
        additional_data=data or None,
    )


def open_files(user, people, at: dt.datetime) -> None:
    LogEntry.objects.bulk_create(
        LogEntry(
            content_type=ContentType.objects.get_for_model(Person),
            object_pk=str(person.pk),
            object_id=person.pk,
            object_repr=str(person),
            action=LogEntry.Action.ACCESS,
            actor=user,
            timestamp=at,
        )
        for person in people
    )
