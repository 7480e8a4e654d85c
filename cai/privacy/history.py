"""Rectification history of a person's file (GDPR art. 16): every change to the file and to the records
linked to it (appointments, path, hours, tests, duos…), readable: when, who, which field (French label),
before → after. Reads are left out: they are the access log of the subject-access package."""

import datetime as dt
from collections import defaultdict

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from accompagnement.selectors import can_read_confidential_notes

from .selectors import ACTION_LABELS, access_log_queryset
from .subject_access import REGISTRY

# Recorded by auditlog but saying nothing to a reader.
HIDDEN_FIELDS = frozenset({"id", "created_at", "updated_at", "search_text"})
# Fields only the counsellors of the person's office read (see ``can_read_confidential_notes``).
CONFIDENTIAL_FIELDS = {"accompagnement.Appointment": frozenset({"confidential_notes"})}
CONFIDENTIAL_MASK = _("contenu confidentiel masqué")

# The filter of the page: a data class key (subject_access.REGISTRY) → its title.
OBJECT_CHOICES = [(entry.key, entry.title) for entry in REGISTRY]


def person_change_log(person, *, object_key: str = "", oldest_first: bool = False):
    """The audit entries that changed the file or a linked record (creations, changes, deletions),
    newest first unless ``oldest_first``; ``object_key`` keeps one data class. One query."""
    queryset = access_log_queryset(person).exclude(action=LogEntry.Action.ACCESS)
    entry = next((e for e in REGISTRY if e.key == object_key), None)
    if entry is not None:
        queryset = queryset.filter(
            content_type__app_label=entry.model._meta.app_label,
            content_type__model=entry.model._meta.model_name,
        )
    if oldest_first:
        queryset = queryset.order_by("timestamp", "id")
    return queryset


def _field(model, name):
    """The concrete (or many-to-many) field an audit change names; None for reverse relations and
    names no longer on the model."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.concrete or field.many_to_many else None


def _related_labels(entries) -> dict:
    """{related model: {pk as text: label}} for every foreign key value the entries mention: one query
    per related model, whatever the number of entries."""
    wanted = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, change in (entry.changes_dict or {}).items():
            field = _field(model, name)
            if field is not None and field.many_to_one and isinstance(change, list | tuple):
                wanted[field.related_model].update(str(v) for v in change if v not in (None, "None", ""))
    labels = {}
    for related_model, pks in wanted.items():
        valid = [pk for pk in pks if pk.isdigit()]
        queryset = related_model._base_manager.filter(pk__in=valid)
        # Labels that read further relations (an interview names its person) are fetched with them.
        if related_model._meta.label == "parcours.EvaluationInterview":
            queryset = queryset.select_related("path__person")
        labels[related_model] = {str(obj.pk): str(obj) for obj in queryset}
    return labels


def display_value(field, value, labels) -> str:
    """A recorded value as the page shows it ("" for nothing)."""
    if value in (None, "None", ""):
        return ""
    if field.many_to_one:
        return labels.get(field.related_model, {}).get(str(value), str(value))
    if isinstance(field, CountryField):
        return str(countries.name(str(value)) or value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("Oui") if value in (True, "True", "true", "1", 1) else _("Non"))
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is None:
            return str(value)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, dt.UTC)
        return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
    if isinstance(field, models.DateField):
        try:
            return dt.date.fromisoformat(str(value)[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    return str(value)


M2M_OPERATIONS = {"add": _("ajout"), "delete": _("retrait"), "clear": _("tout retiré")}


def change_history_rows(entries, *, user, person) -> list[dict]:
    """Audit entries as rows: when, who (name, role), what (object), and each field changed in words.
    Confidential fields are masked for a user who may not read them. No query per entry."""
    entries = list(entries)
    labels = _related_labels(entries)
    show_confidential = can_read_confidential_notes(user=user, person=person)
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        confidential = CONFIDENTIAL_FIELDS.get(model._meta.label, frozenset()) if model else frozenset()
        changes = []
        for name, change in (entry.changes_dict or {}).items():
            field = _field(model, name)
            if name in HIDDEN_FIELDS or field is None:
                continue
            label = field.verbose_name
            if name in confidential and not show_confidential:
                changes.append({"field": label, "summary": CONFIDENTIAL_MASK})
                continue
            if isinstance(change, dict):  # many-to-many
                operation = M2M_OPERATIONS.get(change.get("operation"), change.get("operation", ""))
                objects = ", ".join(map(str, change.get("objects", [])))
                changes.append({"field": label, "summary": f"{operation} : {objects}"})
                continue
            old, new = (list(change) + [None, None])[:2]
            old, new = display_value(field, old, labels), display_value(field, new, labels)
            if old or new:
                changes.append({"field": label, "old": old, "new": new})
        rows.append(
            {
                "timestamp": entry.timestamp,
                "actor": str(entry.actor) if entry.actor else (entry.actor_email or ""),
                "actor_role": entry.actor.get_role_display() if entry.actor else "",
                "action": ACTION_LABELS.get(entry.action, entry.action),
                "object_type": model._meta.verbose_name if model else "",
                "object": entry.object_repr,
                "changes": changes,
            }
        )
    return rows
