"""Writes of the accompagnement app. Views, API, admin and commands call these, never ``save()``.

Every change to a person or an appointment is recorded by django-auditlog (registered in
``audit.py``) with the actor the request middleware sets; callers outside a request wrap their
call in ``auditlog.context.set_actor``.
"""

import datetime as dt

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AccessOverride, Appointment, Person, PersonMerge
from .numbers import check_national_number, consistency_errors
from .text import person_search_text

PERSON_M2M = ("languages",)


def _require_office_in_scope(actor, office, field="office"):
    # A missing office is reported by full_clean. Path coordinators open files in any office when
    # they accept a row of a commune's list (parcours.list_services).
    if actor.reads_all_people or actor.can_coordinate_path or office is None:
        return
    if not (actor.is_counsellor and actor.offices.filter(pk=office.pk).exists()):
        raise ValidationError({field: _("Vous ne pouvez pas enregistrer de dossier pour ce bureau.")})


def _normalise_person(person: Person) -> None:
    """Keep the derived fields true: normalised number and its kind, search key."""
    if person.national_number:
        checked = check_national_number(person.national_number)  # raises a French ValidationError
        errors = consistency_errors(checked, birth_date=person.birth_date, sex=person.sex)
        if errors:
            raise ValidationError(errors)
        person.national_number = checked.number
        person.number_kind = checked.kind
        if person.birth_date is None and checked.birth_date:
            person.birth_date = checked.birth_date
    else:
        person.national_number = None
        person.number_kind = ""
    person.search_text = person_search_text(person.first_name, person.last_name)


def _set_person_fields(person: Person, fields: dict) -> dict:
    m2m = {name: fields.pop(name) for name in PERSON_M2M if name in fields}
    for name, value in fields.items():
        setattr(person, name, value)
    return m2m


def _validate_person(person: Person) -> None:
    try:
        _normalise_person(person)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            error = ValidationError({"national_number": error.messages})
        raise error
    person.full_clean(exclude=["search_text"])


@transaction.atomic
def person_create(*, actor, **fields) -> Person:
    """Open a file. The office must be one of the actor's (unless the actor reads every file).

    Side effects: an audit row (creation) through django-auditlog.
    """
    fields.setdefault("file_opened_on", timezone.localdate())
    person = Person()
    m2m = _set_person_fields(person, dict(fields))
    _require_office_in_scope(actor, person.office if person.office_id else None)
    _validate_person(person)
    person.save()
    for name, values in m2m.items():
        getattr(person, name).set(values)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **fields) -> Person:
    """Edit a file. A counsellor may move a file only between their own offices.

    Side effects: an audit row with the fields before and after.
    """
    m2m = _set_person_fields(person, dict(fields))
    if "office" in fields:
        _require_office_in_scope(actor, person.office)
    _validate_person(person)
    person.save()
    for name, values in m2m.items():
        getattr(person, name).set(values)
    return person


@transaction.atomic
def person_merge(*, actor, kept: Person, duplicate: Person) -> Person:
    """Merge ``duplicate`` into ``kept``: every record pointing at the duplicate (appointments, and
    whatever later apps link to a person) moves to the kept file, blank fields of the kept file are
    filled from the duplicate, the duplicate's audit history is re-attached to the kept file, a
    ``PersonMerge`` row keeps a snapshot of the duplicate, and the duplicate is deleted.

    Only administrators may merge.
    """
    if not actor.is_administrator:
        raise PermissionDenied(_("Seul·e un·e administrateur·rice peut fusionner des dossiers."))
    if kept.pk == duplicate.pk:
        raise ValidationError(_("Choisissez deux dossiers différents."))
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    snapshot = model_to_dict(duplicate, exclude=["search_text", *PERSON_M2M])
    snapshot = {
        k: (v.isoformat() if hasattr(v, "isoformat") else str(v) if v is not None else None)
        for k, v in snapshot.items()
    }
    duplicate_number = duplicate.national_number

    for relation in Person._meta.related_objects:
        if relation.related_model is PersonMerge:
            continue
        if relation.many_to_many:
            accessor = relation.get_accessor_name()
            for related in getattr(duplicate, accessor).all():
                getattr(kept, accessor).add(related)
        elif relation.one_to_many or relation.one_to_one:
            relation.related_model._base_manager.filter(**{relation.field.name: duplicate}).update(
                **{relation.field.name: kept}
            )
    kept.languages.add(*duplicate.languages.all())

    for field in Person._meta.concrete_fields:
        if field.name in {"id", "search_text", "created_at", "updated_at", "national_number"}:
            continue
        if getattr(kept, field.attname) in (None, "") and getattr(duplicate, field.attname) not in (None, ""):
            setattr(kept, field.attname, getattr(duplicate, field.attname))

    content_type = ContentType.objects.get_for_model(Person)
    LogEntry.objects.filter(content_type=content_type, object_id=duplicate.pk).update(
        object_id=kept.pk, object_pk=str(kept.pk)
    )
    PersonMerge.objects.create(
        kept=kept, merged_person_id=duplicate.pk, merged_snapshot=snapshot, merged_by=actor
    )
    duplicate.delete()
    if not kept.national_number and duplicate_number:
        kept.national_number = duplicate_number
    _validate_person(kept)
    kept.save()
    return kept


def _require_person_in_scope(actor, person: Person):
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person": _("Cette personne n'est pas suivie par vos bureaux.")})


@transaction.atomic
def appointment_create(*, actor, request_types, **fields) -> Appointment:
    """Log an appointment. The person must be visible to the actor; the counsellor defaults to the actor.

    Side effects: an audit row through django-auditlog.
    """
    fields.setdefault("counsellor", actor)
    appointment = Appointment(**fields)
    if appointment.person_id:
        _require_person_in_scope(actor, appointment.person)
    _validate_appointment(appointment, request_types)
    appointment.save()
    appointment.request_types.set(request_types)
    return appointment


@transaction.atomic
def appointment_update(*, actor, appointment: Appointment, request_types=None, **fields) -> Appointment:
    for name, value in fields.items():
        setattr(appointment, name, value)
    _require_person_in_scope(actor, appointment.person)
    _validate_appointment(
        appointment, request_types if request_types is not None else list(appointment.request_types.all())
    )
    appointment.save()
    if request_types is not None:
        appointment.request_types.set(request_types)
    return appointment


@transaction.atomic
def appointment_delete(*, actor, appointment: Appointment) -> None:
    _require_person_in_scope(actor, appointment.person)
    appointment.delete()


def _validate_appointment(appointment: Appointment, request_types) -> None:
    errors = {}
    if not request_types:
        errors["request_types"] = _("Choisissez au moins un type de demande.")
    if not appointment.office_id and not appointment.place_other.strip():
        errors["office"] = _("Indiquez le bureau ou un autre lieu.")
    if appointment.interpreter_language_id and not appointment.interpreter_service:
        errors["interpreter_service"] = _("Indiquez le service d'interprétation (SeTIS ou autre).")
    if appointment.interpreter_service and not appointment.interpreter_language_id:
        errors["interpreter_language"] = _("Indiquez la langue d'interprétation.")
    try:
        appointment.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def person_record_referral(*, actor, person: Person, referral: str, detail: str = "") -> Person:
    """Record how the person came to the centre (e.g. relayed by their commune's list).

    Side effects: an audit row through django-auditlog.
    """
    person.referral = referral
    person.referral_detail = detail[:200]
    person.full_clean(exclude=["search_text"])
    person.save(update_fields=["referral", "referral_detail", "updated_at"])
    return person


# The reason of an out-of-office access must say something: at least this many characters.
ACCESS_OVERRIDE_MIN_REASON = 10


@transaction.atomic
def access_override_grant(*, user, person: Person, reason: str) -> AccessOverride:
    """Open a file of another office to a counsellor for ``ACCESS_OVERRIDE_HOURS`` (break the glass).

    Counsellors only (the other roles already read every file or none). Side effects: one
    ``AccessOverride`` row (its creation is in the audit log); the gate (``visible_to``) then lets the
    counsellor see the file and its appointments until it expires. Nothing is written on refusal.
    """
    if not (user.is_active and user.is_counsellor):
        raise PermissionDenied
    if user.offices.filter(pk=person.office_id).exists():
        raise ValidationError({"person": _("Ce dossier est suivi par votre bureau : ouvrez-le directement.")})
    reason = (reason or "").strip()
    if len(reason) < ACCESS_OVERRIDE_MIN_REASON:
        raise ValidationError(
            {
                "reason": _("Indiquez le motif de l'accès exceptionnel (au moins %(count)d caractères).")
                % {"count": ACCESS_OVERRIDE_MIN_REASON}
            }
        )
    now = timezone.now()
    override = AccessOverride(
        user=user,
        person=person,
        reason=reason,
        granted_at=now,
        expires_at=now + dt.timedelta(hours=settings.ACCESS_OVERRIDE_HOURS),
    )
    override.full_clean()
    override.save()
    return override


def person_access_record(*, actor, person: Person, **details) -> LogEntry:
    """One ACCESS row in the audit log for a look at ``person``'s file (the page, a document).

    ``details`` go to the row's ``additional_data`` (for instance ``document=<id>``). When a counsellor
    reaches a file outside their offices, the row names the override that let them in
    (``additional_data["override"]``). The request's address is added by auditlog's middleware.
    """
    data = dict(details)
    if actor.is_counsellor and not actor.offices.filter(pk=person.office_id).exists():
        override_id = (
            AccessOverride.objects.active()
            .filter(user=actor, person=person)
            .order_by("-expires_at")
            .values_list("pk", flat=True)
            .first()
        )
        if override_id is not None:
            data["override"] = override_id
    return LogEntry.objects.log_create(
        person,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        changes=None,
        actor=actor,
        additional_data=data or None,
    )


def person_export_record(*, actor, export: str, people_ids) -> LogEntry:
    """One ACCESS row in the audit log for an export (CSV, XLSX, PDF list) that contains personal data.

    ``export`` names the export (shown in the access logs); ``people_ids`` are the files it contains, so
    that each file's access log lists the export (``additional_data["people"]``). Call it from every
    view or job that hands out such a list.
    """
    ids = sorted({int(pk) for pk in people_ids})
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Person),
        object_pk="",
        object_id=None,
        object_repr=export[:200],
        action=LogEntry.Action.ACCESS,
        actor=actor,
        actor_email=getattr(actor, "email", None),
        additional_data={"export": export, "people": ids, "count": len(ids)},
    )
