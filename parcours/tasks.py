"""Background jobs of the parcours app. Thin: they compute their arguments and call a service."""

from celery import shared_task
from django.utils import timezone

from . import reminders


@shared_task(acks_late=True)
def send_missing_list_reminders_task() -> dict:
    """Monthly (see ``CELERY_BEAT_SCHEDULE``): remind the communes that sent no list last month.

    Safe to run twice: the second run for a month sends nothing (``reminders.send_missing_list_reminders``).
    """
    return reminders.send_missing_list_reminders(today=timezone.localdate())
