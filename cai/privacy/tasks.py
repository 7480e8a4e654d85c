"""Background jobs of the privacy app. Thin: they compute their arguments and call a service."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(acks_late=True)
def weekly_access_review_task() -> dict:
    """Monday 07:00 (see ``CELERY_BEAT_SCHEDULE``): the unusual-access review of the week that ended,
    mailed to the director. Safe to run twice: the review is stored once per week and mailed once."""
    week_start = services.previous_week_start(timezone.localdate())
    review, created = services.access_review_compute(week_start=week_start)
    sent = services.access_review_mail(review=review)
    return {"week_start": week_start.isoformat(), "created": created, "mailed": sent}


@shared_task(
    acks_late=True, reject_on_worker_lost=True, time_limit=60 * 60, soft_time_limit=55 * 60, max_retries=0
)
def retention_apply_task(run_id: int | None = None) -> int | None:
    """Apply the retention policy: the weekly schedule (no ``run_id``) or a run asked from the page,
    claimed first so that a second delivery of the same message does nothing."""
    from . import services

    if run_id is None:
        return services.retention_apply().pk
    run = services.retention_run_claim(run_id=run_id)
    if run is None:
        return None
    return services.retention_apply(run=run).pk
