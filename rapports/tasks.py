from celery import shared_task
from celery.signals import worker_process_init, worker_ready


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


@worker_process_init.connect  # each process of a prefork pool
@worker_ready.connect  # the worker itself (the solo pool of ``make demo`` runs the jobs there)
def prepare_worker_process(**kwargs) -> None:
    """Pay once, when the worker starts, what the first report would otherwise pay."""
    from .builder import prepare_process

    prepare_process()
