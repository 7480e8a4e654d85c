"""Writes of the privacy app: the weekly access review (compute, mail, mark reviewed)."""

import datetime as dt
import logging

from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cai.choices import Role

from . import retention
from .choices import DataClass, RunStatus, RunTrigger
from .models import (
    AccessReview,
    BreachRecord,
    ProcessingActivity,
    RetentionRule,
    RetentionRun,
    SubjectAccessRequest,
)
from .package import package_filename, package_zip
from .selectors import SCHEMA_VERSION, subject_access_data, weekly_access_findings


def previous_week_start(today: dt.date) -> dt.date:
    """The Monday of the week (Monday to Sunday) before the one ``today`` is in."""
    return today - dt.timedelta(days=today.weekday() + 7)


def access_review_compute(*, week_start: dt.date) -> tuple[AccessReview, bool]:
    """The review of the week starting on Monday ``week_start``; computed once (a second call for the
    same week returns the stored review, ``created`` False).

    Side effects: one ``AccessReview`` row on the first call.
    """
    existing = AccessReview.objects.filter(week_start=week_start).first()
    if existing is not None:
        return existing, False
    findings = weekly_access_findings(week_start=week_start)
    review = AccessReview(
        week_start=week_start,
        computed_at=timezone.now(),
        findings=findings,
        flagged_count=sum(1 for row in findings["users"] if row["flagged"]),
        override_count=len(findings["overrides"]),
    )
    review.full_clean()
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:  # a concurrent run stored it first
        return AccessReview.objects.get(week_start=week_start), False
    return review, True


def review_message(review: AccessReview, recipients: list[str]) -> EmailMessage:
    """The French summary for the director: user names and counts only, no person file named."""
    findings = review.findings
    start = dt.date.fromisoformat(findings["week_start"]).strftime("%d/%m/%Y")
    end = dt.date.fromisoformat(findings["week_end"]).strftime("%d/%m/%Y")
    lines = [
        _("Bonjour,"),
        _("Revue des accès aux dossiers de la semaine du %(start)s au %(end)s.")
        % {"start": start, "end": end},
    ]
    flagged = [row for row in findings["users"] if row["flagged"]]
    if flagged:
        lines.append(
            ngettext(
                "%(count)d utilisateur·rice a ouvert bien plus de dossiers que d'habitude :",
                "%(count)d utilisateur·rice·s ont ouvert bien plus de dossiers que d'habitude :",
                len(flagged),
            )
            % {"count": len(flagged)}
            + "\n"
            + "\n".join(
                _("- %(name)s : %(files)d dossiers (habituellement %(usual)s)")
                % {"name": row["name"], "files": row["files"], "usual": _number(row["usual"])}
                for row in flagged
            )
        )
    else:
        lines.append(_("Aucun volume de consultation inhabituel."))
    overrides = findings["overrides"]
    if overrides:
        per_user: dict[str, int] = {}
        for row in overrides:
            per_user[row["user_name"]] = per_user.get(row["user_name"], 0) + 1
        lines.append(
            ngettext(
                "%(count)d accès exceptionnel à un dossier d'un autre bureau :",
                "%(count)d accès exceptionnels à des dossiers d'autres bureaux :",
                len(overrides),
            )
            % {"count": len(overrides)}
            + "\n"
            + "\n".join(
                _("- %(name)s : %(count)d") % {"name": name, "count": count}
                for name, count in sorted(per_user.items())
            )
        )
    else:
        lines.append(_("Aucun accès exceptionnel."))
    link = settings.CAI_SITE_URL.rstrip("/") + reverse("privacy:access_review_detail", args=[review.pk])
    lines.append(
        _("Le détail et les motifs sont dans l'application, à marquer comme vus : %(link)s") % {"link": link}
    )
    lines.append(_("Merci,\n%(centre)s") % {"centre": settings.CAI_CENTRE_NAME})
    return EmailMessage(
        subject=_("Revue des accès du %(start)s au %(end)s") % {"start": start, "end": end},
        body="\n\n".join(lines),
        to=recipients,
    )


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def access_review_mail(*, review: AccessReview) -> int:
    """Send the summary to the active directors with an address, once per review: the run that claims
    ``mailed_at`` (conditional update) sends; any other run sends nothing. Returns the messages sent."""
    recipients = sorted(
        get_user_model()
        .objects.filter(role=Role.DIRECTOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    claimed = AccessReview.objects.filter(pk=review.pk, mailed_at__isnull=True).update(
        mailed_at=timezone.now()
    )
    if not claimed:
        return 0
    return review_message(review, recipients).send()


@transaction.atomic
def access_review_mark_reviewed(*, review: AccessReview, actor, comment: str = "") -> AccessReview:
    """The director (or an administrator) marks the review as seen, with an optional comment.

    Side effects: ``reviewed_by``, ``reviewed_at`` and ``comment`` saved. Refused when already seen.
    """
    if not (actor.is_active and (actor.is_director or actor.is_administrator)):
        raise PermissionDenied
    review = AccessReview.objects.select_for_update().get(pk=review.pk)
    if review.is_reviewed:
        raise ValidationError({"comment": _("Cette revue a déjà été marquée comme vue.")})
    review.reviewed_by = actor
    review.reviewed_at = timezone.now()
    review.comment = (comment or "").strip()
    review.full_clean()
    review.save(update_fields=["reviewed_by", "reviewed_at", "comment", "updated_at"])
    return review


def answers_access_requests(user) -> bool:
    """The controller answers access requests: the director and administrators."""
    return user.is_active and (user.is_director or user.is_administrator)


@transaction.atomic
def subject_access_package_build(*, actor, person) -> tuple[str, bytes]:
    """The subject-access package of a person as (file name, ZIP bytes).

    Side effects: one audit entry (ACCESS on the person, ``additional_data.event =
    "subject_access_package"``) naming the actor, so that the file's access log shows who produced
    the package and when. Nothing else is written."""
    if not answers_access_requests(actor):
        raise PermissionDenied
    data = subject_access_data(person)
    content = package_zip(data)
    LogEntry.objects.log_create(
        person,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        additional_data={
            "event": "subject_access_package",
            "schema_version": SCHEMA_VERSION,
            "records": sum(len(section["records"]) for section in data["sections"]),
            "documents": len(data["documents"]),
        },
    )
    return package_filename(person, timezone.localdate()), content


def access_request_due_on(received_on: dt.date) -> dt.date:
    """One month after receipt (art. 12.3; the end of a shorter month when the day does not exist)."""
    return received_on + relativedelta(months=1)


@transaction.atomic
def subject_access_request_record(
    *, actor, person, received_on: dt.date, requester_name: str = "", notes: str = ""
) -> SubjectAccessRequest:
    """Register an access request received for a person, with its answer deadline.

    Side effects: an audit row (the model is registered with django-auditlog)."""
    if not answers_access_requests(actor):
        raise PermissionDenied
    if received_on and received_on > timezone.localdate():
        raise ValidationError({"received_on": _("La date de réception ne peut pas être dans le futur.")})
    request = SubjectAccessRequest(
        person=person,
        requester_name=(requester_name or "").strip() or str(person),
        received_on=received_on,
        due_on=access_request_due_on(received_on) if received_on else None,
        notes=notes,
        recorded_by=actor,
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def subject_access_request_deliver(*, actor, request: SubjectAccessRequest, delivered_on: dt.date):
    """Record the day the answer was given. Side effects: an audit row."""
    if not answers_access_requests(actor):
        raise PermissionDenied
    if delivered_on and delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("La date de remise ne peut pas être dans le futur.")})
    request.delivered_on = delivered_on
    request.full_clean()
    request.save(update_fields=["delivered_on", "updated_at"])
    return request


logger = logging.getLogger("cai.privacy")

RULE_FIELDS = ("term_months", "action_description", "active")
ACTIVITY_FIELDS = (
    "name",
    "purposes",
    "legal_basis",
    "legal_basis_detail",
    "special_categories",
    "special_categories_detail",
    "special_condition",
    "subject_categories",
    "data_categories",
    "recipients",
    "transfers_outside_eu",
    "transfer_safeguards",
    "retention_rule",
    "retention_text",
    "security_measures",
    "last_reviewed_on",
)
BREACH_FIELDS = (
    "title",
    "discovered_at",
    "occurred_from",
    "occurred_to",
    "description",
    "affects_confidentiality",
    "affects_integrity",
    "affects_availability",
    "subject_categories",
    "subjects_count",
    "record_categories",
    "records_count",
    "likely_consequences",
    "measures_taken",
    "measures_proposed",
    "notified_authority",
    "notified_at",
    "authority_reference",
    "not_notified_reason",
    "late_notification_reason",
    "subjects_informed",
    "subjects_informed_on",
    "subjects_not_informed_reason",
)


# --- Retention ------------------------------------------------------------------------------------


@transaction.atomic
def retention_rule_update(
    *, actor, rule: RetentionRule, term_months: int, action_description: str, active: bool
):
    """Change a rule's term, description or active flag. Side effects: none beyond the row (the next
    run applies it)."""
    rule.term_months = term_months
    rule.action_description = action_description
    rule.active = active
    rule.updated_by = actor
    rule.full_clean()
    rule.save(update_fields=[*RULE_FIELDS, "updated_by", "updated_at"])
    return rule


def retention_apply(
    *, as_of: dt.date | None = None, dry_run: bool = False, user=None, run: RetentionRun | None = None
) -> RetentionRun:
    """Apply the active retention rules as of ``as_of`` (today in Brussels by default) and record the
    run. Each class runs in its own transaction, in SQL batches; a failing class marks the run failed
    (classes already done stay done) and the error is re-raised.

    ``dry_run``: count what each class would change, change nothing. ``run``: a pending run to carry
    out (requested from the page, see ``retention_run_request``); otherwise a new one is recorded.

    Side effects: records anonymised, blanked or deleted per class (see ``retention.py``), their audit
    entries scrubbed, the stored PDF documents of anonymised files deleted from storage after commit."""
    as_of = as_of or timezone.localdate()
    now = timezone.now()
    if run is None:
        run = RetentionRun.objects.create(
            as_of=as_of,
            dry_run=dry_run,
            trigger=RunTrigger.MANUAL if user is not None else RunTrigger.SCHEDULE,
            triggered_by=user,
            status=RunStatus.RUNNING,
            started_at=now,
        )
    else:
        as_of, dry_run = run.as_of, run.dry_run
    counts: dict[str, int] = {}
    try:
        for rule in _in_class_order(RetentionRule.objects.filter(active=True)):
            cutoff = retention.cutoff_for(as_of, rule.term_months)
            if dry_run:
                counts[rule.data_class] = retention.count_expired(rule.data_class, cutoff)
                continue
            with transaction.atomic():
                counts[rule.data_class], files = retention.apply_class(rule.data_class, cutoff, now=now)
            _delete_stored_files(files)
    except Exception as error:
        RetentionRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, counts=counts, error=str(error)[:2000], finished_at=timezone.now()
        )
        logger.exception("Retention run %s failed", run.pk)
        raise
    RetentionRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, counts=counts, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


def _in_class_order(rules) -> list[RetentionRule]:
    """Whole files first: their notes and contact details then no longer count in the later classes."""
    order = {value: position for position, value in enumerate(DataClass.values)}
    return sorted(rules, key=lambda rule: order.get(rule.data_class, len(order)))


def _delete_stored_files(names: list[str]) -> None:
    """Delete documents whose rows are gone (a file already missing is not an error)."""
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Stored document %s could not be deleted", name)


@transaction.atomic
def retention_run_request(*, actor, as_of: dt.date | None = None) -> RetentionRun:
    """Record a pending run asked from the page and hand it to the worker after commit.
    Side effects: a Celery task (``retention_apply_task``) once the transaction commits."""
    from .tasks import retention_apply_task

    run = RetentionRun(
        as_of=as_of or timezone.localdate(), dry_run=False, trigger=RunTrigger.MANUAL, triggered_by=actor
    )
    run.full_clean()
    run.save()
    transaction.on_commit(lambda: retention_apply_task.delay(run_id=run.pk))
    return run


def retention_run_claim(*, run_id: int) -> RetentionRun | None:
    """Claim a pending run for this worker (a conditional update: a second worker gets None)."""
    claimed = RetentionRun.objects.filter(pk=run_id, status=RunStatus.PENDING).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    return RetentionRun.objects.get(pk=run_id) if claimed else None


# --- Processing register ----------------------------------------------------------------------------


@transaction.atomic
def processing_activity_create(*, actor, **fields) -> ProcessingActivity:
    """A new entry of the register. Side effects: an audit entry (django-auditlog)."""
    activity = ProcessingActivity(**{name: fields[name] for name in ACTIVITY_FIELDS if name in fields})
    activity.updated_by = actor
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def processing_activity_update(*, actor, activity: ProcessingActivity, **fields) -> ProcessingActivity:
    """Change an entry of the register. Side effects: an audit entry with the changes."""
    for name in ACTIVITY_FIELDS:
        if name in fields:
            setattr(activity, name, fields[name])
    activity.updated_by = actor
    activity.full_clean()
    activity.save()
    return activity


# --- Breach log -------------------------------------------------------------------------------------


@transaction.atomic
def breach_create(*, actor, **fields) -> BreachRecord:
    """Record a breach. Side effects: an audit entry (django-auditlog)."""
    breach = BreachRecord(**{name: fields[name] for name in BREACH_FIELDS if name in fields})
    breach.recorded_by = actor
    _normalise_breach(breach)
    breach.full_clean()
    breach.save()
    return breach


@transaction.atomic
def breach_update(*, actor, breach: BreachRecord, **fields) -> BreachRecord:
    """Change a breach record (the one who first recorded it stays). Side effects: an audit entry."""
    for name in BREACH_FIELDS:
        if name in fields:
            setattr(breach, name, fields[name])
    _normalise_breach(breach)
    breach.full_clean()
    breach.save()
    return breach


def _normalise_breach(breach: BreachRecord) -> None:
    """Reasons that no longer apply are dropped (a notified breach has no reason for not notifying)."""
    if breach.notified_authority:
        breach.not_notified_reason = ""
        if not breach.notified_late:
            breach.late_notification_reason = ""
    else:
        breach.late_notification_reason = ""
    if breach.subjects_informed:
        breach.subjects_not_informed_reason = ""
    else:
        breach.subjects_informed_on = None
