"""The files of a subject-access package: ``donnees.json``, ``dossier.pdf`` and ``documents/``.

``donnees.json`` (schema ``cai.subject-access``, version in ``schema_version``)::

    {
      "schema": "cai.subject-access", "schema_version": 1,
      "generated_at": "2026-11-22T15:04:05+01:00",          # ISO 8601, Europe/Brussels
      "controller": {"name": "...", "short_name": "CAI"},   # the data controller
      "person": {"id": 12, "name": "NOM Prénom"},
      "sections": [                                         # one per data class (subject_access.REGISTRY)
        {"key": "appointments", "model": "accompagnement.Appointment", "title": "Rendez-vous",
         "fields": [{"name": "starts_at", "label": "date et heure"}, ...],
         "records": [{"starts_at": "2026-03-02T10:00:00+01:00", "mode": "En présentiel", ...}]}
      ],
      "documents": [{"id": 3, "kind": "Convocation", "archive_name": "documents/3-....pdf",
                     "stored_name": "...", "sha256": "...", "created_at": "..."}],
      "access_log": [{"timestamp": "...", "actor": "...", "actor_role": "...", "action": "Consultation",
                      "object_type": "personne", "object": "...", "remote_addr": "...",
                      "changes": [{"field": "phone", "label": "téléphone", "old": "...", "new": "..."}],
                      "details": {}}]
    }

Dates are ISO (``YYYY-MM-DD``), date-times ISO with their offset, decimals strings, choices and
related rows their French label, booleans ``true``/``false``, absent values ``null`` or ``""``.
"""

import datetime as dt
import decimal
import io
import json
import zipfile

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from cai.pdf import long_date, render_pdf


class PackageJSONEncoder(DjangoJSONEncoder):
    """Date-times in the centre's time zone, decimals as exact strings."""

    def default(self, o):
        if isinstance(o, dt.datetime) and timezone.is_aware(o):
            return timezone.localtime(o).isoformat()
        if isinstance(o, decimal.Decimal):
            return str(o)
        return super().default(o)


def package_json(data: dict) -> bytes:
    return json.dumps(data, cls=PackageJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def display(value) -> str:
    """A value as the PDF writes it: long French dates, Oui/Non, lists joined, "—" for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return _("%(day)s à %(time)s") % {"day": long_date(local.date()), "time": local.strftime("%H:%M")}
    if isinstance(value, dt.date):
        return long_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(display(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, cls=PackageJSONEncoder, ensure_ascii=False)
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    return str(value)


def pdf_context(data: dict) -> dict:
    """What the PDF shows. The identity is a full table; the other records are one paragraph each with
    their filled fields only, and the access log details the changes of modifications only (a
    creation's values are the records above): the PDF stays readable, and fast to lay out, for a file
    of hundreds of appointments. ``donnees.json`` keeps every field and every change."""
    sections = []
    for section in data["sections"]:
        records = []
        for record in section["records"]:
            pairs = [(field["label"], display(record[field["name"]])) for field in section["fields"]]
            records.append(pairs if section["key"] == "person" else [p for p in pairs if p[1] != "—"])
        sections.append(
            {"title": section["title"], "key": section["key"], "records": records, "count": len(records)}
        )
    access_log = [
        {
            **row,
            "timestamp": display(row["timestamp"]),
            "changes": [
                {
                    "label": change["label"],
                    "text": display(change["summary"])
                    if "summary" in change
                    else f"{display(change['old'])} → {display(change['new'])}",
                }
                for change in row["changes"]
            ]
            if row["action_code"] == "update"
            else [],
        }
        for row in data["access_log"]
    ]
    return {
        "data": data,
        "centre_name": data["controller"]["name"],
        "centre_short_name": data["controller"]["short_name"],
        "generated_on": display(data["generated_at"]),
        "sections": sections,
        "documents": data["documents"],
        "access_log": access_log,
    }


def package_pdf(data: dict) -> bytes:
    return render_pdf("privacy/pdf/subject_access.html", pdf_context(data))


def package_zip(data: dict) -> bytes:
    """The ZIP: ``donnees.json``, ``dossier.pdf`` and each stored path document under ``documents/``
    (a document whose file is missing from the storage is listed in the JSON and skipped)."""
    files = {}
    for document in data["documents"]:
        try:
            with default_storage.open(document["stored_name"], "rb") as handle:
                files[document["archive_name"]] = handle.read()
        except OSError:
            document["missing"] = True
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("donnees.json", package_json(data))
        archive.writestr("dossier.pdf", package_pdf(data))
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def package_filename(person, on: dt.date) -> str:
    return f"acces-personne-{person.pk}-{on.isoformat()}.zip"
