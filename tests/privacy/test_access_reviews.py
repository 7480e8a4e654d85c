"""The weekly access review: stored once per week, mailed once to the director with names and counts
only, listed and marked as seen by the director."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cai.choices import Role
from cai.privacy import services
from cai.privacy.models import AccessReview
from cai.privacy.tasks import weekly_access_review_task
from tests.factories import PersonFactory, UserFactory
from tests.privacy.auditrows import local, open_files

pytestmark = pytest.mark.django_db


def last_week() -> dt.date:
    return services.previous_week_start(timezone.localdate())


def test_previous_week_start_is_the_monday_of_the_week_before():
    assert services.previous_week_start(dt.date(2026, 11, 16)) == dt.date(2026, 11, 9)  # a Monday
    assert services.previous_week_start(dt.date(2026, 11, 22)) == dt.date(2026, 11, 9)  # a Sunday


def test_the_task_stores_the_review_and_mails_the_director_once(director, counsellor_a, office_a):
    UserFactory(username="ex", role=Role.DIRECTOR, is_active=False)  # a former director: no mail
    people = [PersonFactory(office=office_a, last_name=f"Secretnom{i}") for i in range(25)]
    open_files(counsellor_a, people, local(last_week() + dt.timedelta(days=2)))  # 25 > 3 × 5 and > 20

    result = weekly_access_review_task()
    assert result == {"week_start": last_week().isoformat(), "created": True, "mailed": 1}
    review = AccessReview.objects.get()
    assert (review.week_start, review.flagged_count, review.override_count) == (last_week(), 1, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [director.email]
    assert message.subject.startswith("Revue des accès du ")
    assert "Alice Martin : 25 dossiers (habituellement 0)" in message.body
    assert f"{settings.CAI_SITE_URL.rstrip('/')}{review.get_absolute_url()}" in message.body
    assert "Secretnom" not in message.body  # no person file named in the mail

    assert weekly_access_review_task() == {
        "week_start": last_week().isoformat(),
        "created": False,
        "mailed": 0,
    }
    assert AccessReview.objects.count() == 1 and len(mail.outbox) == 1


def test_a_quiet_week_still_gets_a_review(director):
    weekly_access_review_task()
    review = AccessReview.objects.get()
    assert review.findings["users"] == [] and review.flagged_count == 0
    assert "Aucun volume de consultation inhabituel." in mail.outbox[0].body


def test_the_director_lists_and_marks_a_review_as_seen(login, director, counsellor_a, office_a):
    open_files(counsellor_a, PersonFactory.create_batch(2, office=office_a), local(last_week()))
    review, _created = services.access_review_compute(week_start=last_week())
    client = login(director)
    listing = client.get(reverse("privacy:access_review_list"))
    assert listing.status_code == 200 and list(listing.context["reviews"]) == [review]
    detail = client.get(review.get_absolute_url())
    assert "Alice Martin" in detail.content.decode() and "Marquer comme vue" in detail.content.decode()

    url = reverse("privacy:access_review_mark_reviewed", args=[review.pk])
    response = client.post(url, {"comment": "Vu avec Alice : permanence chargée."}, follow=True)
    review.refresh_from_db()
    assert (review.reviewed_by, review.comment) == (director, "Vu avec Alice : permanence chargée.")
    assert "La revue est marquée comme vue." in response.content.decode()

    again = client.post(url, {"comment": "autre"}, follow=True)
    assert "Cette revue a déjà été marquée comme vue." in again.content.decode()
    review.refresh_from_db()
    assert review.comment == "Vu avec Alice : permanence chargée."


def test_only_the_director_and_administrators_mark_a_review(login, counsellor_a, coordinator):
    review, _created = services.access_review_compute(week_start=last_week())
    url = reverse("privacy:access_review_mark_reviewed", args=[review.pk])
    for user in (counsellor_a, coordinator):
        assert login(user).post(url, {"comment": ""}).status_code == 403
    review.refresh_from_db()
    assert not review.is_reviewed


def test_the_review_list_is_a_fixed_number_of_queries(django_assert_max_num_queries, login, director):
    client = login(director)
    services.access_review_compute(week_start=last_week())
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("privacy:access_review_list"))
    for weeks_ago in range(1, 15):
        review, _created = services.access_review_compute(
            week_start=last_week() - dt.timedelta(weeks=weeks_ago)
        )
        services.access_review_mark_reviewed(review=review, actor=director)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("privacy:access_review_list"))
    assert len(response.context["reviews"]) == 15


def test_the_beat_schedule_runs_the_review_on_monday_at_seven():
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-weekly-access-review"]
    assert entry["task"] == "cai.privacy.tasks.weekly_access_review_task"
    assert (
        entry["schedule"].hour == {7}
        and entry["schedule"].minute == {0}
        and entry["schedule"].day_of_week == {1}
    )
