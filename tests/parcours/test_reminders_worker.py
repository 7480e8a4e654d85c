"""The monthly reminder run by a real Celery worker on Redis (not eagerly in the test process): the
task travels through the broker, the worker reads the test database and sends the e-mails."""

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from parcours import list_services
from parcours.models import ListReminderRun
from parcours.reminders import previous_month
from parcours.tasks import send_missing_list_reminders_task
from tests.factories import commune
from tests.worker import celery_worker_process  # noqa: F401 - the fixture

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_reminds_the_communes_without_a_list_once(
    celery_worker_process,  # noqa: F811
    commune_agent,
    commune_agent_other,
):
    start, end = previous_month(timezone.localdate())
    list_services.newcomer_list_submit(
        actor=commune_agent,
        commune=commune("Namur"),
        period_start=start,
        period_end=end,
        rows=[
            {
                "last_name": "HADDAD",
                "first_name": "Yara",
                "birth_date": "30/07/1985",
                "sex": "M",
                "nationality": "Syrie",
                "registration_date": start.strftime("%d/%m/%Y"),
            }
        ],
        source="api",
    )

    send_missing_list_reminders_task.apply_async(queue=celery_worker_process.queue)
    celery_worker_process.wait_for(
        lambda: ListReminderRun.objects.filter(month=start).exists(), what="the reminder run"
    )

    run = ListReminderRun.objects.get()
    assert run.communes_reminded == 1
    assert {entry["name"]: entry["agents"] for entry in run.communes}["Dinant"] == 1
    mails = celery_worker_process.sent_mail()
    assert [message["To"] for message in mails] == [commune_agent_other.email]  # Namur sent its list
    assert mails[0]["Subject"] == f"Liste des primo-arrivants de {date_format(start, 'F Y')}"
    assert "Dinant" in mails[0].get_body().get_content()

    # A second run for the same month (a retry, a second beat) sends nothing more.
    send_missing_list_reminders_task.apply_async(queue=celery_worker_process.queue)
    celery_worker_process.wait_for(
        lambda: celery_worker_process.tasks_succeeded() == 2, what="the second run"
    )
    assert "'already_done': True" in celery_worker_process.log()
    assert len(celery_worker_process.sent_mail()) == 1 and ListReminderRun.objects.count() == 1
