from celery import shared_task


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=15 * 60,
    soft_time_limit=14 * 60,
    max_retries=0,
)
def build_report_task(job_id: int) -> str:
    """Build a report job (thin: the work is in ``builder.build_report``)."""
    from .builder import build_report

    return build_report(job_id)
