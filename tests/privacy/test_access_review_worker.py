"""The weekly access review run by a real Celery worker on Redis: the task travels through the broker,
the worker reads the test database, stores the review once and mails the director once."""

import datetime as dt

import pytest
from django.utils import timezone

from cai.privacy.models import AccessReview
from cai.privacy.services import previous_week_start
from cai.privacy.tasks import weekly_access_review_task
from tests.factories import PersonFactory
from tests.privacy.auditrows import local, open_files
from tests.worker import celery_worker_process  # noqa: F401 - the fixture

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_computes_and_mails_the_weekly_review_once(
    celery_worker_process,  # noqa: F811
    director,
    counsellor_a,
    office_a,
):
    week = previous_week_start(timezone.localdate())
    open_files(
        counsellor_a, PersonFactory.create_batch(25, office=office_a), local(week + dt.timedelta(days=1))
    )

    weekly_access_review_task.apply_async(queue=celery_worker_process.queue)
    celery_worker_process.wait_for(
        lambda: AccessReview.objects.filter(week_start=week).exists(), what="the review"
    )
    celery_worker_process.wait_for(lambda: celery_worker_process.tasks_succeeded() == 1, what="the first run")

    review = AccessReview.objects.get()
    assert review.flagged_count == 1 and review.mailed_at is not None
    mails = celery_worker_process.sent_mail()
    assert [message["To"] for message in mails] == [director.email]
    assert "Alice Martin : 25 dossiers" in mails[0].get_body().get_content()

    weekly_access_review_task.apply_async(queue=celery_worker_process.queue)
    celery_worker_process.wait_for(
        lambda: celery_worker_process.tasks_succeeded() == 2, what="the second run"
    )
    assert "'created': False" in celery_worker_process.log()
    assert len(celery_worker_process.sent_mail()) == 1 and AccessReview.objects.count() == 1
