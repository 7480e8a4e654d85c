"""Writes of the report app: narrative blocks, and the report jobs' life cycle.

A job is claimed by a conditional UPDATE (``job_claim``): only a pending job, or a running one whose
lease has expired (its worker died), can be taken, and each claim gets a fresh token. Progress and
the final result are written only under that token, so a job is finished exactly once even when
its message is delivered twice.
"""

import datetime as dt
import logging
import secrets

import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import JobStatus, NarrativeBlock, ReportJob
from .sections import SECTION_KEYS

logger = logging.getLogger(__name__)

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "h3", "h4", "blockquote", "a"}
MIN_YEAR = 2000


class ReportQueueUnavailable(Exception):
    """The job queue (Redis) cannot be reached: the job was recorded as failed."""


def can_request_report(user) -> bool:
    return user.is_active and (user.is_director or user.is_administrator)


def can_write_narrative(user) -> bool:
    return user.is_active and not user.is_commune_agent


def lease_seconds() -> int:
    return getattr(settings, "CAI_REPORT_LEASE_SECONDS", 120)


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Indiquez une année (par exemple 2026).")}) from None
    if not MIN_YEAR <= year <= timezone.localdate().year:
        raise ValidationError(
            {"year": _("L'année doit être comprise entre %(min)s et l'année en cours.") % {"min": MIN_YEAR}}
        )
    return year


@transaction.atomic
def narrative_save(*, actor, year, section: str, text: str) -> NarrativeBlock:
    """Save the text of a section (sanitised: a few formatting tags, no script, no style)."""
    if not can_write_narrative(actor):
        raise PermissionDenied(_("Votre rôle ne permet pas de rédiger le rapport."))
    year = _check_year(year)
    if section not in SECTION_KEYS:
        raise ValidationError({"section": _("Section inconnue.")})
    clean = nh3.clean(
        text or "", tags=ALLOWED_TAGS, attributes={"a": {"href"}}, url_schemes={"https", "http", "mailto"}
    ).strip()
    block, _created = NarrativeBlock.objects.get_or_create(year=year, section=section)
    block.text = clean
    block.updated_by = actor
    block.full_clean()
    block.save()
    return block


def report_request(*, actor, year) -> ReportJob:
    """Record a new version of a year's report and queue its build after the commit.

    Raises ``ReportQueueUnavailable`` when the queue cannot be reached (the job is then marked failed
    with a French message), ``PermissionDenied`` for other roles, ``ValidationError`` for a bad year.
    """
    if not can_request_report(actor):
        raise PermissionDenied(_("Seules la direction et l'administration peuvent générer le rapport."))
    year = _check_year(year)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                version = (
                    ReportJob.objects.filter(year=year).aggregate(last=Max("version"))["last"] or 0
                ) + 1
                job = ReportJob.objects.create(
                    year=year, version=version, requested_by=actor, step=_("En file d'attente")
                )
            break
        except IntegrityError:  # two requests at the same moment: take the next number
            continue
    else:
        raise ValidationError({"year": _("Réessayez dans un instant.")})
    if not enqueue(job):
        raise ReportQueueUnavailable(
            _("Le service de génération est momentanément indisponible. Réessayez plus tard.")
        )
    return job


def enqueue(job: ReportJob) -> bool:
    """Send the build task; on a broker failure, mark the job failed and return False."""
    from .tasks import build_report_task

    try:
        if build_report_task.app.conf.task_always_eager:
            build_report_task.apply_async(args=[job.pk])
        else:
            # Connect once, without kombu's own retries, so that a broker that is down fails the
            # request in a fraction of a second instead of blocking it for seconds.
            with build_report_task.app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
                build_report_task.apply_async(args=[job.pk], retry=False, connection=connection)
    except Exception as error:  # noqa: BLE001 - kombu raises several connection errors
        logger.warning("Report job %s could not be queued: %s", job.pk, error)
        ReportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            error=_("Le service de génération (file d'attente) est indisponible."),
            finished_at=timezone.now(),
        )
        return False
    return True


def job_claim(job_id: int) -> str | None:
    """Take the job for this worker. Returns the claim token, or None when the job is finished or
    held by a live worker."""
    now = timezone.now()
    token = secrets.token_hex(16)
    taken = ReportJob.objects.filter(
        Q(status=JobStatus.PENDING) | Q(status=JobStatus.RUNNING, lease_expires_at__lt=now), pk=job_id
    ).update(
        status=JobStatus.RUNNING,
        claim_token=token,
        lease_expires_at=now + dt.timedelta(seconds=lease_seconds()),
        started_at=now,
        attempts=F("attempts") + 1,
        progress=0,
        error="",
    )
    return token if taken else None


def job_progress(job_id: int, token: str, *, progress: int, step: str) -> bool:
    """Record progress and renew the lease; False when the job was taken over meanwhile."""
    return bool(
        ReportJob.objects.filter(pk=job_id, claim_token=token, status=JobStatus.RUNNING).update(
            progress=max(0, min(100, progress)),
            step=step[:200],
            lease_expires_at=timezone.now() + dt.timedelta(seconds=lease_seconds()),
        )
    )


def job_finish(
    job_id: int,
    token: str,
    *,
    pdf: bytes,
    xlsx: bytes,
    fingerprint: str,
    pages: int,
    timings: dict,
    figures: dict | None = None,
) -> bool:
    """Store the result if this worker still holds the job (exactly one finish per job). ``figures``
    are kept on the job so that the CSV download is made from the very figures of the PDF."""
    job = ReportJob.objects.get(pk=job_id)
    if job.claim_token != token or job.status != JobStatus.RUNNING:
        return False
    stem = f"rapport-{job.year}-v{job.version}"
    job.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    job.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
    finished = ReportJob.objects.filter(pk=job_id, claim_token=token, status=JobStatus.RUNNING).update(
        status=JobStatus.DONE,
        progress=100,
        step=_("Terminé"),
        pdf=job.pdf.name,
        xlsx=job.xlsx.name,
        figures_fingerprint=fingerprint,
        pages=pages,
        timings=timings,
        figures=figures or {},
        finished_at=timezone.now(),
        lease_expires_at=None,
    )
    if not finished:
        job.pdf.delete(save=False)
        job.xlsx.delete(save=False)
    return bool(finished)


def job_fail(job_id: int, token: str, *, error: str) -> bool:
    return bool(
        ReportJob.objects.filter(pk=job_id, claim_token=token, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, error=error[:2000], finished_at=timezone.now(), lease_expires_at=None
        )
    )
