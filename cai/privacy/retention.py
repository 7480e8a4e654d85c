"""The retention policy: which records each data class covers, when their term is reached, and how
they are anonymised. ``services.retention_apply`` runs these per class, each in its own transaction.

**Last activity on a file** (the clock of the person classes and of contact details) is the latest of:
the file's opening (``Person.file_opened_on``), its appointments (``Appointment.starts_at``), its path
milestones (opened, convention signed, attestation delivered), its evaluation interviews held, its
training hours (end of the period), its language tests, its collective sessions and its mentoring duos
(start and meetings). Editing the file alone is not activity: a correction of an old file does not
restart its term.

A record is **past its term** on day ``as_of`` when its reference date is strictly before
``as_of`` minus the term (in calendar months): a file last active on 15 March 1996 with a 30-year
term is anonymised from 16 March 2026.

The classes:

- ``path_file`` (30 years): a person with an integration path, and everything linked. The Walloon
  Region may check attestations and the path long after it ends; 30 years follows the Brussels
  practice for path files.
- ``person_file`` (10 years): a person without a path (one-off social help): the common limitation
  period of personal actions (Civil Code art. 2262bis).
- ``contact_details`` (2 years): address, phone and e-mail of a file without activity; the file stays,
  only the means to reach the person go (they are likely outdated and no longer needed).
- ``confidential_notes`` (5 years): the confidential notes of an appointment, after the appointment.
- ``unmatched_list_rows`` (12 months): rows of a commune's newcomer list that were never linked to a
  file (pending or set aside), after the list was sent: the identity columns are blanked, the row
  (with its year of birth, sex, nationality and status) stays for the reconciliation figures.
- ``security_events`` (13 months): sign-in log (``SecurityEvent``, django-axes logs), deleted; a year
  of history plus a month to compare the same period of the previous year.

**Anonymising a file** keeps what the yearly report counts (year of birth, sex, nationality and
country of birth, commune, office, dates of the path and appointments, request types) and removes
what identifies the person: names become "Anonyme <id>", the national number, phone, e-mail,
address, household notes and every free text of the file (appointment notes, path notes, duo notes)
are cleared, the birth date becomes 1 January of its year, the stored PDF documents are deleted
(rows and files), the commune list rows linked to the file are blanked, merge snapshots emptied, and
the django-auditlog entries of the file and of its linked records lose their old values.
"""

import datetime as dt
from collections.abc import Iterable

from auditlog.models import LogEntry
from axes.models import AccessFailureLog, AccessLog
from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, DateField, Max, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Concat, Greatest, TruncDate, TruncYear
from django.utils import timezone

from accompagnement.models import AccessOverride, Appointment, Person, PersonMerge
from cai.models import SecurityEvent
from parcours.models import (
    Duo,
    DuoMeeting,
    EvaluationInterview,
    HoursRecord,
    LanguageTest,
    NewcomerListRow,
    Path,
    PathComponent,
    PathDocument,
    RowMatch,
    SessionAttendance,
)

from .choices import DataClass
from .models import SubjectAccessRequest

PLACEHOLDER = "Anonyme"
BATCH_SIZE = 500
CONTACT_FIELDS = ("phone", "email", "street", "house_number", "postal_code", "locality")


def cutoff_for(as_of: dt.date, term_months: int) -> dt.date:
    """Records whose reference date is strictly before this day are past their term."""
    return as_of - relativedelta(months=term_months)


def _latest(model, person_lookup: str, expression):
    """The latest value of ``expression`` over the rows of ``model`` linked to the outer person."""
    return Subquery(
        model.objects.filter(**{person_lookup: OuterRef("pk")})
        .order_by()
        .values(person_lookup)
        .annotate(latest=Max(expression))
        .values("latest")[:1],
        output_field=DateField(),
    )


def with_last_activity(queryset):
    """``queryset`` of people annotated with ``last_activity`` (see the module docstring)."""
    opened = "file_opened_on"
    sources = [
        _latest(Appointment, "person", TruncDate("starts_at")),
        "path__opened_on",
        "path__convention_signed_on",
        "path__attestation_delivered_on",
        _latest(EvaluationInterview, "path__person", "held_on"),
        _latest(HoursRecord, "path__person", "period_end"),
        _latest(LanguageTest, "person", "taken_on"),
        _latest(SessionAttendance, "person", TruncDate("session__starts_at")),
        _latest(Duo, "mentee", "starts_on"),
        _latest(DuoMeeting, "duo__mentee", "met_on"),
    ]
    # Coalesce each with the opening date: GREATEST ignores NULLs on PostgreSQL, not everywhere.
    return queryset.annotate(
        last_activity=Greatest(
            opened, *(Coalesce(source, opened, output_field=DateField()) for source in sources)
        )
    )


def expired_people(data_class: str, cutoff: dt.date):
    """People of a person class (with or without a path) not yet anonymised, past their term."""
    people = Person.objects.filter(anonymised_at__isnull=True)
    people = people.filter(path__isnull=data_class == DataClass.PERSON_FILE)
    return with_last_activity(people).filter(last_activity__lt=cutoff)


def expired_contacts(cutoff: dt.date):
    """Files not anonymised, inactive since before the cutoff, that still hold a contact detail."""
    people = Person.objects.filter(anonymised_at__isnull=True).exclude(**dict.fromkeys(CONTACT_FIELDS, ""))
    return with_last_activity(people).filter(last_activity__lt=cutoff)


def expired_confidential_notes(cutoff: dt.date):
    start_of_cutoff = _start_of_day(cutoff)
    return Appointment.objects.filter(starts_at__lt=start_of_cutoff).exclude(confidential_notes="")


def unmatched_row_filter() -> Q:
    return Q(person__isnull=True, match__in=[RowMatch.PENDING, RowMatch.REJECTED])


def expired_list_rows(cutoff: dt.date):
    already_blank = Q(last_name=PLACEHOLDER, first_name="", national_number="")
    return (
        NewcomerListRow.objects.filter(unmatched_row_filter())
        .filter(newcomer_list__submitted_at__lt=_start_of_day(cutoff))
        .exclude(already_blank)
    )


def expired_security_logs(cutoff: dt.date) -> list:
    start = _start_of_day(cutoff)
    return [
        SecurityEvent.objects.filter(occurred_at__lt=start),
        AccessLog.objects.filter(attempt_time__lt=start),
        AccessFailureLog.objects.filter(attempt_time__lt=start),
    ]


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def count_expired(data_class: str, cutoff: dt.date) -> int:
    """How many records of the class the policy would change (the dry run)."""
    if data_class in (DataClass.PATH_FILE, DataClass.PERSON_FILE):
        return expired_people(data_class, cutoff).count()
    if data_class == DataClass.CONTACT_DETAILS:
        return expired_contacts(cutoff).count()
    if data_class == DataClass.CONFIDENTIAL_NOTES:
        return expired_confidential_notes(cutoff).count()
    if data_class == DataClass.UNMATCHED_LIST_ROWS:
        return expired_list_rows(cutoff).count()
    if data_class == DataClass.SECURITY_EVENTS:
        return sum(queryset.count() for queryset in expired_security_logs(cutoff))
    raise ValueError(data_class)


def apply_class(data_class: str, cutoff: dt.date, *, now: dt.datetime) -> tuple[int, list[str]]:
    """Anonymise (or delete) what the class holds past its term. Returns the number of records changed
    and the names of stored files to delete once the transaction is committed. The caller holds the
    transaction."""
    if data_class in (DataClass.PATH_FILE, DataClass.PERSON_FILE):
        ids = list(expired_people(data_class, cutoff).values_list("pk", flat=True))
        files = []
        for batch in _batches(ids):
            files += anonymise_people(batch, now=now)
        return len(ids), files
    if data_class == DataClass.CONTACT_DETAILS:
        ids = list(expired_contacts(cutoff).values_list("pk", flat=True))
        for batch in _batches(ids):
            Person.objects.filter(pk__in=batch).update(**dict.fromkeys(CONTACT_FIELDS, ""))
            scrub_audit_fields(Person, batch, CONTACT_FIELDS)
        return len(ids), []
    if data_class == DataClass.CONFIDENTIAL_NOTES:
        ids = list(expired_confidential_notes(cutoff).values_list("pk", flat=True))
        for batch in _batches(ids):
            Appointment.objects.filter(pk__in=batch).update(confidential_notes="")
            scrub_audit_fields(Appointment, batch, ["confidential_notes"])
        return len(ids), []
    if data_class == DataClass.UNMATCHED_LIST_ROWS:
        return blank_list_rows(expired_list_rows(cutoff)), []
    if data_class == DataClass.SECURITY_EVENTS:
        return sum(queryset.delete()[0] for queryset in expired_security_logs(cutoff)), []
    raise ValueError(data_class)


def _batches(ids: list, size: int = BATCH_SIZE) -> Iterable[list]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def blank_list_rows(rows) -> int:
    """Blank the identity columns of commune list rows (the row and its statistics stay)."""
    return rows.update(
        last_name=PLACEHOLDER,
        first_name="",
        national_number="",
        birth_date=TruncYear("birth_date", output_field=DateField()),
        street="",
        house_number="",
        postal_code="",
        locality="",
        phone="",
        email="",
        language="",
    )


def anonymise_people(ids: list[int], *, now: dt.datetime) -> list[str]:
    """Anonymise the files ``ids`` and everything linked (see the module docstring), in a few
    statements per batch. Returns the names of the stored documents to delete from storage."""
    people = Person.objects.filter(pk__in=ids)
    paths = Path.objects.filter(person__in=ids)
    appointments = Appointment.objects.filter(person__in=ids)
    duos = Duo.objects.filter(mentee__in=ids)
    documents = PathDocument.objects.filter(person__in=ids)
    linked = {
        Appointment: appointments,
        Path: paths,
        PathComponent: PathComponent.objects.filter(path__person__in=ids),
        EvaluationInterview: EvaluationInterview.objects.filter(path__person__in=ids),
        HoursRecord: HoursRecord.objects.filter(path__person__in=ids),
        LanguageTest: LanguageTest.objects.filter(person__in=ids),
        SessionAttendance: SessionAttendance.objects.filter(person__in=ids),
        Duo: duos,
    }
    # Documents first: deleting them writes audit entries (with the person's name) scrubbed below.
    stored = list(documents.values_list("pk", "file"))
    documents.delete()
    scrub_audit(PathDocument, [pk for pk, _name in stored])
    for model, queryset in linked.items():
        scrub_audit(model, queryset.values_list("pk", flat=True))
    scrub_audit(Person, ids, repr_prefix=PLACEHOLDER + " ")

    files = [name for _pk, name in stored if name]
    appointments.update(notes="", confidential_notes="", place_other="")
    paths.update(dispensation_note="", override_reason="")
    PathComponent.objects.filter(path__person__in=ids).update(notes="", not_required_reason="")
    EvaluationInterview.objects.filter(path__person__in=ids).update(notes="")
    DuoMeeting.objects.filter(duo__mentee__in=ids).update(notes="")
    duos.update(notes="", mentor_name="—", mentor_organisation="")
    blank_list_rows(NewcomerListRow.objects.filter(person__in=ids))
    PersonMerge.objects.filter(kept__in=ids).update(merged_snapshot={})
    AccessOverride.objects.filter(person__in=ids).update(reason="")
    SubjectAccessRequest.objects.filter(person__in=ids).update(requester_name="")
    placeholder = Concat(Value(PLACEHOLDER + " "), Cast("pk", CharField()))
    people.update(
        last_name=placeholder,
        first_name="",
        search_text=Concat(Value(PLACEHOLDER.lower() + " "), Cast("pk", CharField())),
        national_number=None,
        number_kind="",
        birth_date=TruncYear("birth_date", output_field=DateField()),
        **dict.fromkeys(CONTACT_FIELDS, ""),
        household_notes="",
        referral_detail="",
        is_active=False,
        anonymised_at=now,
    )
    return files


def _audit_entries(model, pks):
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return LogEntry.objects.filter(content_type=content_type, object_id__in=pks)


def scrub_audit(model, pks, *, repr_prefix: str = "") -> int:
    """Remove the old values from the audit entries of these objects: the entries stay (who did
    what, when), their content goes. ``object_repr`` becomes "<prefix><pk>" (or "Anonymisé #<pk>")."""
    prefix = repr_prefix or "Anonymisé #"
    return _audit_entries(model, pks).update(
        changes=None,
        changes_text="",
        serialized_data=None,
        additional_data=None,
        object_repr=Concat(Value(prefix), "object_pk"),
    )


def scrub_audit_fields(model, pks, fields) -> int:
    """Remove only ``fields`` from the JSON changes of these objects' audit entries (PostgreSQL's
    ``jsonb - text[]``), keeping the rest of their history."""
    if connection.vendor == "postgresql":
        without = RawSQL('"changes" - %s::text[]', (list(fields),))  # noqa: S611 (constant SQL)
    else:  # SQLite, the embedded demo database: JSON1's json_remove
        paths = ", ".join("%s" for _field in fields)
        without = RawSQL(f'json_remove("changes", {paths})', tuple(f"$.{f}" for f in fields))  # noqa: S611
    return _audit_entries(model, pks).filter(changes__isnull=False).update(changes=without, changes_text="")
