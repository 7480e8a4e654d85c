"""The monthly reminder to communes that sent no newcomer list: one French e-mail per commune to its
agents, nothing for communes that sent one, nothing at all on a second run for the same month."""

import datetime as dt

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail

from cai.choices import Role
from parcours import list_services
from parcours.models import ListReminderRun
from parcours.reminders import previous_month, send_missing_list_reminders
from parcours.tasks import send_missing_list_reminders_task
from tests.factories import UserFactory, commune

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 2, 5)  # reminds about January 2026

HADDAD = {
    "last_name": "HADDAD",
    "first_name": "Yara",
    "birth_date": "30/07/1985",
    "sex": "M",
    "nationality": "Syrie",
    "postal_code": "5000",
    "registration_date": "12/01/2026",
    "residence_card": "B",
    "residence_ordered_on": "05/01/2026",
}


def send_list(agent, *, start, end, name="Namur"):
    list_services.newcomer_list_submit(
        actor=agent, commune=commune(name), period_start=start, period_end=end, rows=[HADDAD], source="form"
    )


def mails_to(address):
    return [message for message in mail.outbox if address in message.to]


def test_previous_month_crosses_the_year():
    assert previous_month(dt.date(2026, 1, 5)) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert previous_month(dt.date(2024, 3, 31)) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))


def test_communes_without_a_list_get_one_mail_each_to_their_agents(commune_agent, commune_agent_other):
    second_dinant_agent = UserFactory(username="zoe", role=Role.COMMUNE_AGENT, communes=[commune("Dinant")])
    send_list(commune_agent, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))  # Namur sent its list

    summary = send_missing_list_reminders(today=TODAY)

    assert len(mail.outbox) == 1  # Dinant only: the other communes have no agent to write to
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([commune_agent_other.email, second_dinant_agent.email])
    assert message.subject == "Liste des primo-arrivants de janvier 2026"
    assert "Dinant" in message.body and "janvier 2026" in message.body
    assert "Code wallon de l'action sociale et de la santé" in message.body
    assert settings.CAI_SITE_URL in message.body and "/api/newcomer-lists/" in message.body
    assert summary == {
        "month": "2026-01-01",
        "already_done": False,
        "communes_reminded": 1,
        "communes_without_agent": summary["communes_without_agent"],
    }
    run = ListReminderRun.objects.get()
    assert run.month == dt.date(2026, 1, 1) and run.communes_reminded == 1
    recorded = {entry["name"]: entry["agents"] for entry in run.communes}
    assert "Namur" not in recorded and recorded["Dinant"] == 2
    assert summary["communes_without_agent"] == len(recorded) - 1 > 0


def test_a_list_covering_part_of_the_month_counts_as_sent(commune_agent, commune_agent_other):
    send_list(commune_agent, start=dt.date(2025, 12, 1), end=dt.date(2026, 1, 10))
    send_missing_list_reminders(today=TODAY)
    assert mails_to(commune_agent.email) == [] and len(mails_to(commune_agent_other.email)) == 1


def test_a_list_of_another_month_does_not_count(commune_agent):
    send_list(commune_agent, start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 4))
    send_missing_list_reminders(today=TODAY)
    assert len(mails_to(commune_agent.email)) == 1


def test_inactive_agents_and_agents_without_address_get_nothing(commune_agent):
    commune_agent.is_active = False
    commune_agent.save(update_fields=["is_active"])
    UserFactory(username="sans-adresse", email="", role=Role.COMMUNE_AGENT, communes=[commune("Namur")])
    send_missing_list_reminders(today=TODAY)
    assert mail.outbox == []
    run = ListReminderRun.objects.get()
    recorded = {entry["name"]: entry["agents"] for entry in run.communes}
    assert run.communes_reminded == 0 and recorded["Namur"] == 0


def test_a_second_run_for_the_same_month_sends_nothing(commune_agent, commune_agent_other):
    send_missing_list_reminders(today=TODAY)
    assert len(mail.outbox) == 2
    summary = send_missing_list_reminders(today=dt.date(2026, 2, 20))
    assert summary["already_done"] is True and summary["communes_reminded"] == 0
    assert len(mail.outbox) == 2 and ListReminderRun.objects.count() == 1


def test_the_next_month_runs_again(commune_agent):
    send_missing_list_reminders(today=TODAY)
    send_missing_list_reminders(today=dt.date(2026, 3, 5))
    assert [m.subject for m in mail.outbox] == [
        "Liste des primo-arrivants de janvier 2026",
        "Liste des primo-arrivants de février 2026",
    ]
    assert list(ListReminderRun.objects.values_list("month", flat=True)) == [
        dt.date(2026, 2, 1),
        dt.date(2026, 1, 1),
    ]


def test_a_failed_sending_leaves_no_run_so_the_next_run_retries(commune_agent, monkeypatch):
    def broken(self, messages):
        raise ConnectionError("SMTP indisponible")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    with pytest.raises(ConnectionError):
        send_missing_list_reminders(today=TODAY)
    assert ListReminderRun.objects.count() == 0
    monkeypatch.undo()
    send_missing_list_reminders(today=TODAY)
    assert len(mails_to(commune_agent.email)) == 1


def test_the_task_reminds_about_last_month(commune_agent, time_machine_today):
    time_machine_today(dt.date(2026, 4, 5))
    summary = send_missing_list_reminders_task.delay().get()  # eager in tests
    assert summary["month"] == "2026-03-01" and mail.outbox[0].subject.endswith("mars 2026")


def test_the_beat_schedule_runs_the_task_on_the_5th_at_8_in_brussels():
    entry = settings.CELERY_BEAT_SCHEDULE["parcours-missing-list-reminders"]
    assert entry["task"] == send_missing_list_reminders_task.name
    assert entry["schedule"] == crontab(minute=0, hour=8, day_of_month=5)
    assert settings.CELERY_TIMEZONE == "Europe/Brussels"


@pytest.fixture
def time_machine_today(monkeypatch):
    """Pin ``timezone.localdate()`` as the task sees it."""

    def pin(day: dt.date):
        monkeypatch.setattr("parcours.tasks.timezone.localdate", lambda: day)

    return pin
