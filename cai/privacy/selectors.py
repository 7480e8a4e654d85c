"""Reads of the privacy app: who looked at which person file (the access logs) and the weekly
unusual-access figures. Every list is a fixed number of queries, whatever the number of rows."""

import datetime as dt
import statistics
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.db.models import BooleanField, Count, DateField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncWeek
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accompagnement.models import AccessOverride, Person
from cai.choices import Role

from .models import BreachRecord, ProcessingActivity, RetentionRule, RetentionRun
from .subject_access import INTERNAL_FIELDS, REGISTRY, DataClass

# The kinds of rows an access log filters on (value of the ``type`` filter: label, condition).
ACCESS_KINDS = {
    "consultation": (_("Consultation"), Q(action=LogEntry.Action.ACCESS, object_id__isnull=False)),
    "export": (_("Export"), Q(action=LogEntry.Action.ACCESS, object_id__isnull=True)),
    "creation": (_("Création"), Q(action=LogEntry.Action.CREATE)),
    "modification": (_("Modification"), Q(action=LogEntry.Action.UPDATE)),
    "suppression": (_("Suppression"), Q(action=LogEntry.Action.DELETE)),
}


def _person_type() -> ContentType:
    return ContentType.objects.get_for_model(Person)


def local_bounds(start: dt.date | None, end: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """[start 00:00, day after end 00:00) in Europe/Brussels, as aware datetimes (None when open)."""
    tz = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=tz) if start else None
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if end else None
    return low, high


def _in_period(queryset: QuerySet, start, end) -> QuerySet:
    low, high = local_bounds(start, end)
    if low:
        queryset = queryset.filter(timestamp__gte=low)
    if high:
        queryset = queryset.filter(timestamp__lt=high)
    return queryset


def _export_names(person_pk: int) -> Q:
    """Export rows whose ``additional_data["people"]`` holds the person."""
    if connection.vendor == "postgresql":
        return Q(additional_data__people__contains=[person_pk])
    # SQLite (the embedded demo database) has no JSON containment lookup; json_each does the same.
    sql = "EXISTS (SELECT 1 FROM json_each(auditlog_logentry.additional_data, '$.people') WHERE value = %s)"
    return Q(RawSQL(sql, [person_pk], output_field=BooleanField()))  # noqa: S611 (constant SQL, bound id)


def person_access_log(*, person: Person, start=None, end=None, kind: str = "") -> QuerySet:
    """Every audit row about a file, newest first: openings, document downloads, changes, and the
    exports that contained it. With the actor and their offices (prefetched)."""
    person_type = _person_type()
    rows = LogEntry.objects.filter(
        Q(content_type=person_type, object_id=person.pk)
        | Q(content_type=person_type, object_id__isnull=True) & _export_names(person.pk)
    )
    if kind in ACCESS_KINDS:
        rows = rows.filter(ACCESS_KINDS[kind][1])
    return (
        _in_period(rows, start, end)
        .select_related("actor")
        .prefetch_related("actor__offices")
        .order_by("-timestamp", "-id")
    )


def user_access_log(*, user, start=None, end=None) -> QuerySet:
    """The files (and exports) a user opened, newest first."""
    rows = LogEntry.objects.filter(content_type=_person_type(), action=LogEntry.Action.ACCESS, actor=user)
    return _in_period(rows, start, end).order_by("-timestamp", "-id")


def user_weekly_counts(*, user, start=None, end=None) -> list[dict]:
    """Per week (Monday, Europe/Brussels), newest first: openings, distinct files, openings through an
    out-of-office access. One aggregate query."""
    rows = LogEntry.objects.filter(
        content_type=_person_type(), action=LogEntry.Action.ACCESS, actor=user, object_id__isnull=False
    )
    return list(
        _in_period(rows, start, end)
        .annotate(
            week=TruncWeek("timestamp", output_field=DateField(), tzinfo=timezone.get_current_timezone())
        )
        .values("week")
        .annotate(
            openings=Count("id"),
            files=Count("object_id", distinct=True),
            overrides=Count("id", filter=Q(additional_data__has_key="override")),
        )
        .order_by("-week")
    )


def staff_users() -> QuerySet:
    """The users whose access a director may look at (everyone but the commune agents, who open no file)."""
    return (
        get_user_model()
        .objects.exclude(role=Role.COMMUNE_AGENT)
        .order_by("last_name", "first_name", "username")
    )


def decorate_entries(entries: list, *, with_people: bool = False) -> list:
    """Add to each audit row what the logs show, in a fixed number of queries for the whole page:
    ``kind`` (label), ``override`` (the AccessOverride used, or None), ``document_id``, ``export``,
    and with ``with_people`` the ``person`` opened (with its office) when it still exists."""
    override_ids = {
        (entry.additional_data or {}).get("override")
        for entry in entries
        if isinstance(entry.additional_data, dict)
    } - {None}
    overrides = AccessOverride.objects.in_bulk([pk for pk in override_ids if isinstance(pk, int)])
    people = {}
    if with_people:
        ids = {entry.object_id for entry in entries if entry.object_id is not None}
        people = Person.objects.select_related("office").in_bulk(ids)
    for entry in entries:
        data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
        entry.override = overrides.get(data.get("override"))
        entry.document_id = data.get("document")
        entry.export = data.get("export", "")
        entry.export_count = data.get("count")
        entry.kind = _kind_label(entry, data)
        if with_people:
            entry.person = people.get(entry.object_id)
    return entries


def _kind_label(entry, data) -> str:
    if entry.action == LogEntry.Action.ACCESS:
        if entry.object_id is None:
            return str(_("Export"))
        if data.get("document"):
            return str(_("Téléchargement d'un document"))
        return str(_("Consultation"))
    return str(
        ACCESS_KINDS.get({0: "creation", 1: "modification", 2: "suppression"}.get(entry.action), ("",))[0]
    )


# --- The weekly unusual-access review -------------------------------------------------------------


@dataclass(frozen=True)
class UnusualRule:
    """A user's week is unusual when the distinct files they opened exceed both ``ratio`` × their usual
    weekly number and their usual number + ``margin``. The usual number is the median of the previous
    ``history_weeks`` weeks (a week without any opening counts as 0), never taken below ``floor``: a new
    user, or one who rarely opens files, is compared with ``floor`` files a week, so that a handful of
    openings does not raise an alarm."""

    ratio: int = 3
    margin: int = 15
    floor: int = 5
    history_weeks: int = 8

    def baseline(self, usual: float) -> float:
        return max(usual, self.floor)

    def is_unusual(self, files: int, usual: float) -> bool:
        baseline = self.baseline(usual)
        return files > self.ratio * baseline and files > baseline + self.margin

    def as_dict(self) -> dict:
        return {
            "ratio": self.ratio,
            "margin": self.margin,
            "floor": self.floor,
            "history_weeks": self.history_weeks,
        }


UNUSUAL_RULE = UnusualRule()


def week_bounds(week_start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to the next Monday 00:00, Europe/Brussels (aware)."""
    return local_bounds(week_start, week_start + dt.timedelta(days=6))


def weekly_access_findings(*, week_start: dt.date, rule: UnusualRule = UNUSUAL_RULE) -> dict:
    """For the week starting on Monday ``week_start``: per user who opened files, the distinct files
    opened, their usual weekly number (median of the previous weeks) and whether the week is unusual
    (``rule``); and every out-of-office access granted or used that week. JSON-ready.

    Four queries: the per-user-per-week aggregate over the week and its history, the users' names, the
    override uses of the week, the overrides themselves.
    """
    if week_start.weekday() != 0:
        raise ValueError("week_start must be a Monday")
    tz = timezone.get_current_timezone()
    history_start = week_start - dt.timedelta(weeks=rule.history_weeks)
    low, high = local_bounds(history_start, week_start + dt.timedelta(days=6))
    person_type = _person_type()
    openings = LogEntry.objects.filter(
        content_type=person_type,
        action=LogEntry.Action.ACCESS,
        object_id__isnull=False,
        actor__isnull=False,
        timestamp__gte=low,
        timestamp__lt=high,
    )
    per_week = (
        openings.annotate(week=TruncWeek("timestamp", output_field=DateField(), tzinfo=tz))
        .values("actor_id", "week")
        .annotate(files=Count("object_id", distinct=True))
    )
    counts: dict[int, dict[dt.date, int]] = {}
    for row in per_week:
        counts.setdefault(row["actor_id"], {})[row["week"]] = row["files"]
    previous_weeks = [week_start - dt.timedelta(weeks=n) for n in range(1, rule.history_weeks + 1)]
    active = {actor: weeks for actor, weeks in counts.items() if weeks.get(week_start)}
    users = get_user_model().objects.in_bulk(list(active))
    findings_users = []
    for actor_id, weeks in active.items():
        usual = statistics.median(weeks.get(week, 0) for week in previous_weeks)
        files = weeks[week_start]
        user = users.get(actor_id)
        findings_users.append(
            {
                "user_id": actor_id,
                "name": str(user) if user else str(actor_id),
                "role": user.get_role_display() if user else "",
                "files": files,
                "usual": usual,
                "flagged": rule.is_unusual(files, usual),
            }
        )
    findings_users.sort(key=lambda row: (not row["flagged"], -row["files"], row["name"]))

    week_low, week_high = week_bounds(week_start)
    use_rows = (
        LogEntry.objects.filter(
            content_type=person_type,
            action=LogEntry.Action.ACCESS,
            timestamp__gte=week_low,
            timestamp__lt=week_high,
            additional_data__has_key="override",
        )
        .values("additional_data__override")
        .annotate(n=Count("id"))
    )
    uses = {row["additional_data__override"]: row["n"] for row in use_rows}
    overrides = (
        AccessOverride.objects.filter(
            Q(granted_at__gte=week_low, granted_at__lt=week_high)
            | Q(pk__in=[pk for pk in uses if isinstance(pk, int)])
        )
        .select_related("user", "person__office")
        .order_by("granted_at", "pk")
    )
    findings_overrides = [
        {
            "override_id": override.pk,
            "user_id": override.user_id,
            "user_name": str(override.user),
            "person_id": override.person_id,
            "office": override.person.office.name if override.person.office else "",
            "reason": override.reason,
            "granted_at": override.granted_at.isoformat(),
            "expires_at": override.expires_at.isoformat(),
            "uses": uses.get(override.pk, 0),
        }
        for override in overrides
    ]
    return {
        "week_start": week_start.isoformat(),
        "week_end": (week_start + dt.timedelta(days=6)).isoformat(),
        "rule": rule.as_dict(),
        "users": findings_users,
        "overrides": findings_overrides,
    }


SCHEMA = "cai.subject-access"
SCHEMA_VERSION = 1

ACTION_CODES = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
    LogEntry.Action.ACCESS: "access",
}
ACTION_LABELS = {
    LogEntry.Action.CREATE: _("Création"),
    LogEntry.Action.UPDATE: _("Modification"),
    LogEntry.Action.DELETE: _("Suppression"),
    LogEntry.Action.ACCESS: _("Consultation"),
}


def export_fields(entry: DataClass) -> list[models.Field]:
    """The fields of a data class that the package exports: every concrete field and many-to-many,
    except internals, the declared exclusions and the link to the person (the package is about them)."""
    model = entry.model
    left_out = INTERNAL_FIELDS | set(entry.exclude) | {entry.link_field}
    fields = [f for f in model._meta.concrete_fields if f.name not in left_out]
    fields += [f for f in model._meta.many_to_many if f.name not in left_out]
    return fields


def _section_queryset(entry: DataClass, person_pk: int):
    model = entry.model
    fields = export_fields(entry)
    queryset = model._base_manager.filter(**{entry.person_lookup: person_pk})
    related = [f.name for f in fields if f.many_to_one or f.one_to_one]
    queryset = queryset.select_related(*related, *entry.related)
    m2m = [f.name for f in fields if f.many_to_many]
    if m2m:
        queryset = queryset.prefetch_related(*m2m)
    return queryset.order_by(*(entry.ordering or model._meta.ordering or ["pk"]))


def field_value(obj, field: models.Field):
    """A field's value as the package shows it: related rows and choices by their French label,
    countries by name, files by their stored name; dates and numbers stay native (formatted later)."""
    if field.many_to_many:
        return [str(related) for related in getattr(obj, field.name).all()]
    if field.many_to_one or field.one_to_one:
        related = getattr(obj, field.name)
        return str(related) if related is not None else None
    value = getattr(obj, field.name)
    if isinstance(field, CountryField):
        return str(value.name) if value else ""
    if isinstance(field, models.FileField):
        return value.name if value else ""
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    return value


def _label(field) -> str:
    return str(field.verbose_name)


def subject_access_data(person) -> dict:
    """Everything the centre holds about a person, by data class (``REGISTRY``), with the log of who
    read or changed the file and its linked records. A fixed number of queries whatever the number
    of records: one per data class (two with many-to-manys), one for the content types, one for the
    access log.

    Values are native Python (dates, datetimes, decimals); ``cai.privacy.package`` writes them as
    JSON (ISO dates) and as the PDF (French long dates)."""
    sections = []
    documents = []
    for entry in REGISTRY:
        fields = export_fields(entry)
        rows = list(_section_queryset(entry, person.pk))
        records = [{f.name: field_value(row, f) for f in fields} for row in rows]
        sections.append(
            {
                "key": entry.key,
                "model": entry.model_label,
                "title": str(entry.title),
                "fields": [{"name": f.name, "label": _label(f)} for f in fields],
                "records": records,
            }
        )
        if entry.key == "path_documents":
            documents = [
                {
                    "id": row.pk,
                    "kind": row.get_kind_display(),
                    "stored_name": row.file.name,
                    "archive_name": f"documents/{row.pk}-{row.file.name.rsplit('/', 1)[-1]}",
                    "sha256": row.sha256,
                    "created_at": row.created_at,
                }
                for row in rows
                if row.file
            ]
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.now(),
        "controller": {"name": settings.CAI_CENTRE_NAME, "short_name": settings.CAI_CENTRE_SHORT_NAME},
        "person": {"id": person.pk, "name": str(person)},
        "sections": sections,
        "documents": documents,
        "access_log": access_log(person),
    }


def access_log_queryset(person):
    """Every audit entry about the person's file and the records linked to it (reads and changes),
    including records since deleted whose entries name the person. One query (subqueries inside)."""
    content_types = ContentType.objects.get_for_models(*(entry.model for entry in REGISTRY))
    condition = Q()
    for entry in REGISTRY:
        content_type = content_types[entry.model]
        if entry.person_lookup == "pk":
            condition |= Q(content_type=content_type, object_id=person.pk)
            continue
        linked = entry.model._base_manager.filter(**{entry.person_lookup: person.pk}).values("pk")
        condition |= Q(content_type=content_type, object_id__in=linked)
        if "__" not in entry.person_lookup:
            # Rows since deleted: their creation (or deletion) entry recorded the link to the person;
            # every entry about those rows belongs to the person's log.
            # ``changes`` holds ``{field: [before, after]}``: the person is the value before (a
            # deletion) or after (a creation). Index lookups work on PostgreSQL and SQLite alike.
            field = f"changes__{entry.person_lookup}"
            named = Q()
            for value in (person.pk, str(person.pk)):
                named |= Q(**{f"{field}__0": value}) | Q(**{f"{field}__1": value})
            recorded = LogEntry.objects.filter(named, content_type=content_type).values("object_id")
            condition |= Q(content_type=content_type, object_id__in=recorded)
    return (
        LogEntry.objects.filter(condition)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")
    )


def access_log(person) -> list[dict]:
    rows = []
    for log in access_log_queryset(person):
        model = log.content_type.model_class() if log.content_type_id else None
        rows.append(
            {
                "timestamp": log.timestamp,
                "actor": str(log.actor) if log.actor else (log.actor_email or ""),
                "actor_role": log.actor.get_role_display() if log.actor else "",
                "action": str(ACTION_LABELS.get(log.action, log.action)),
                "action_code": ACTION_CODES.get(log.action, str(log.action)),
                "object_type": str(model._meta.verbose_name) if model else "",
                "object": log.object_repr,
                "changes": change_rows(model, log.changes_dict or {}),
                "remote_addr": log.remote_addr or "",
                "details": log.additional_data or {},
            }
        )
    return rows


def change_rows(model, changes: dict) -> list[dict]:
    """Each recorded change with the field's French label (the raw name when the field is gone);
    reverse relations auditlog notes on creation (``duos: parcours.Duo.None``) say nothing and are
    left out."""
    rows = []
    for name, change in changes.items():
        label = name
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            if field is not None:
                if not (field.concrete or field.many_to_many):
                    continue
                label = str(field.verbose_name)
        if isinstance(change, dict):
            rows.append({"field": name, "label": label, "summary": change})
        else:
            old, new = (list(change) + [None, None])[:2]
            rows.append({"field": name, "label": label, "old": old, "new": new})
    return rows


def manages_privacy(user) -> bool:
    """The director and administrators keep the register, the breach log and the retention policy."""
    return bool(
        user and user.is_authenticated and user.is_active and (user.is_director or user.is_administrator)
    )


def retention_rules():
    return RetentionRule.objects.select_related("updated_by").order_by("id")


def retention_runs():
    return RetentionRun.objects.select_related("triggered_by").order_by("-created_at", "-id")


def activity_queryset():
    return ProcessingActivity.objects.select_related("retention_rule", "updated_by")


def get_activity(*, pk: int) -> ProcessingActivity:
    return get_object_or_404(activity_queryset(), pk=pk)


def breach_queryset():
    return BreachRecord.objects.select_related("recorded_by")


def get_breach(*, pk: int) -> BreachRecord:
    return get_object_or_404(breach_queryset(), pk=pk)
