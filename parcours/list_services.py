"""Writes for the newcomer lists of the communes: submission (whole or nothing, idempotent) and the
centre's reconciliation of each row with a person file."""

import datetime as dt
import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accompagnement import services as people_services
from accompagnement.choices import Referral
from accompagnement.models import Person

from . import rules
from .list_validation import RowResult, RowValidator
from .models import ListSource, ListStatus, NewcomerList, NewcomerListRow, Regime, RowMatch

ROW_FIELDS = [
    "last_name",
    "first_name",
    "birth_date",
    "sex",
    "nationality",
    "national_number",
    "street",
    "house_number",
    "postal_code",
    "locality",
    "registration_date",
    "residence_card",
    "residence_ordered_on",
    "language",
    "phone",
    "email",
]


class ListRejected(Exception):
    """A list with at least one faulty row (or a bad period): nothing was stored."""

    def __init__(self, results: list[RowResult] | None = None, errors: dict | None = None):
        self.results = results or []
        self.errors = errors or {}
        super().__init__(_("La liste contient des erreurs : rien n'a été enregistré."))


def fingerprint(commune, period_start: dt.date, period_end: dt.date, rows: list[dict]) -> str:
    """The same people for the same commune and period give the same fingerprint, whatever the row
    order, the file format or the spelling of the headers."""
    normalised = sorted(
        json.dumps({k: str(row.get(k) or "") for k in ROW_FIELDS}, sort_keys=True) for row in rows
    )
    payload = json.dumps([commune.pk, period_start.isoformat(), period_end.isoformat(), normalised])
    return hashlib.sha256(payload.encode()).hexdigest()


def _check_period(period_start, period_end) -> dict:
    errors = {}
    today = timezone.localdate()
    if not period_start:
        errors["period_start"] = _("Indiquez le début de la période couverte.")
    if not period_end:
        errors["period_end"] = _("Indiquez la fin de la période couverte.")
    if period_start and period_end and period_end < period_start:
        errors["period_end"] = _("La fin de la période ne peut précéder son début.")
    if period_start and period_start > today:
        errors["period_start"] = _("La période ne peut pas commencer dans le futur.")
    return errors


def _facts(values: dict) -> rules.Facts:
    return rules.Facts(
        nationality=values.get("nationality", ""),
        birth_date=values.get("birth_date"),
        residence_card=values.get("residence_card", ""),
        residence_ordered_on=values.get("residence_ordered_on"),
        registration_date=values.get("registration_date"),
        stay_started_on=values.get("registration_date"),
    )


def validate_list(*, commune, period_start, period_end, rows: list[dict]) -> list[RowResult]:
    """Validate a list without storing anything (the preview). Raises ``ListRejected`` for a bad period."""
    errors = _check_period(period_start, period_end)
    if errors:
        raise ListRejected(errors=errors)
    if not rows:
        raise ListRejected(errors={"rows": _("La liste ne contient aucune personne.")})
    return RowValidator(commune).validate_rows(rows)


def _require_agent_of(actor, commune) -> None:
    if actor.is_administrator:
        return
    if not (
        actor.is_commune_agent and actor.is_active and actor.agent_communes.filter(pk=commune.pk).exists()
    ):
        raise PermissionDenied(_("Vous ne pouvez transmettre des listes que pour votre commune."))


@transaction.atomic
def newcomer_list_submit(
    *, actor, commune, period_start, period_end, rows: list[dict], source: str, file_name: str = ""
):
    """Store a commune's list whole, or nothing: every row is validated first.

    Returns ``(newcomer_list, created)``; sending the same content again returns the list already
    stored with ``created=False``. Each row gets the path status the rules derive from it and the
    office serving the commune. Raises ``ListRejected`` (with the row results) or ``PermissionDenied``.
    """
    _require_agent_of(actor, commune)
    if source not in ListSource.values:
        raise ListRejected(errors={"source": _("Mode d'envoi inconnu.")})
    results = validate_list(commune=commune, period_start=period_start, period_end=period_end, rows=rows)
    if any(not result.is_valid for result in results):
        raise ListRejected(results=results)
    values = [result.values for result in results]
    digest = fingerprint(commune, period_start, period_end, values)
    existing = NewcomerList.objects.filter(commune=commune, fingerprint=digest).first()
    if existing:
        return existing, False
    newcomer_list = NewcomerList(
        commune=commune,
        period_start=period_start,
        period_end=period_end,
        source=source,
        file_name=file_name[:200],
        fingerprint=digest,
        submitted_by=actor,
        submitted_at=timezone.now(),
        row_count=len(values),
    )
    newcomer_list.full_clean(exclude=["fingerprint"])
    try:
        with transaction.atomic():
            newcomer_list.save()
    except IntegrityError:  # the same list sent twice at the same moment
        return NewcomerList.objects.get(commune=commune, fingerprint=digest), False
    regimes = [regime.as_rule() for regime in Regime.objects.all()]
    today = timezone.localdate()
    rows_to_store = []
    for result in results:
        decision = rules.decide(
            _facts(result.values), on=today, regimes=regimes, dispensations_in_force=set()
        )
        rows_to_store.append(
            NewcomerListRow(
                newcomer_list=newcomer_list,
                number=result.number,
                computed_status=decision.status,
                computed_reason=decision.reason,
                office=commune.office,
                **{field: result.values.get(field) or _empty(field) for field in ROW_FIELDS},
            )
        )
    NewcomerListRow.objects.bulk_create(rows_to_store, batch_size=1000)
    return newcomer_list, True


def _empty(field):
    return None if field in ("birth_date", "registration_date", "residence_ordered_on") else ""


def _require_coordinator(actor) -> None:
    if not (actor.can_coordinate_path or actor.is_administrator):
        raise PermissionDenied(_("Le rapprochement des listes est réservé à la coordination du parcours."))


def _close_list_if_done(newcomer_list: NewcomerList) -> None:
    if not newcomer_list.rows.filter(match=RowMatch.PENDING).exists():
        NewcomerList.objects.filter(pk=newcomer_list.pk).update(status=ListStatus.RECONCILED)


def _mark(row: NewcomerListRow, *, actor, match: str, person=None) -> None:
    row.match = match
    row.person = person
    row.matched_by = actor
    row.matched_at = timezone.now()
    row.save(update_fields=["match", "person", "matched_by", "matched_at"])


@transaction.atomic
def row_link(*, actor, row: NewcomerListRow, person: Person) -> NewcomerListRow:
    """Link a row to an existing file, and record on the file that the commune relayed the person."""
    _require_coordinator(actor)
    if row.match != RowMatch.PENDING:
        raise ValidationError({"row": _("Cette ligne a déjà été traitée.")})
    people_services.person_record_referral(
        actor=actor, person=person, referral=Referral.COMMUNE, detail=row.newcomer_list.commune.name
    )
    _mark(row, actor=actor, match=RowMatch.LINKED, person=person)
    _close_list_if_done(row.newcomer_list)
    return row


@transaction.atomic
def row_create_person(*, actor, row: NewcomerListRow, office=None) -> NewcomerListRow:
    """Open a new file from a row, for the office serving the commune (or the one chosen)."""
    _require_coordinator(actor)
    if row.match != RowMatch.PENDING:
        raise ValidationError({"row": _("Cette ligne a déjà été traitée.")})
    newcomer_list = row.newcomer_list
    office = office or row.office or newcomer_list.commune.office
    if office is None:
        raise ValidationError({"office": _("Choisissez le bureau qui suivra la personne.")})
    person = people_services.person_create(
        actor=actor,
        last_name=row.last_name,
        first_name=row.first_name,
        birth_date=row.birth_date,
        sex=row.sex,
        nationality=row.nationality,
        national_number=row.national_number or None,
        street=row.street,
        house_number=row.house_number,
        postal_code=row.postal_code,
        locality=row.locality,
        commune=newcomer_list.commune,
        registration_date=row.registration_date,
        residence_card=row.residence_card,
        residence_ordered_on=row.residence_ordered_on,
        phone=row.phone,
        email=row.email,
        office=office,
        referral=Referral.COMMUNE,
        referral_detail=newcomer_list.commune.name,
    )
    _mark(row, actor=actor, match=RowMatch.CREATED, person=person)
    _close_list_if_done(newcomer_list)
    return row


@transaction.atomic
def row_reject(*, actor, row: NewcomerListRow) -> NewcomerListRow:
    """Set a row aside (e.g. a person who already left, or an error of the commune)."""
    _require_coordinator(actor)
    if row.match != RowMatch.PENDING:
        raise ValidationError({"row": _("Cette ligne a déjà été traitée.")})
    _mark(row, actor=actor, match=RowMatch.REJECTED)
    _close_list_if_done(row.newcomer_list)
    return row
