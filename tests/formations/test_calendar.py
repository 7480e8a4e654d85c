"""Training sessions on the network calendar (``plateformes:meeting_calendar``, issue 5 item 9):
planned and postponed sessions appear among the meetings at the date they take place, cancelled and
held ones do not, and the page keeps a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from formations import services
from formations.selectors import calendar_sessions
from tests.formations.conftest import make_registration, make_session, make_training
from tests.plateformes.factories import MeetingFactory
from tests.plateformes.helpers import text

pytestmark = pytest.mark.django_db
CALENDAR_URL = reverse("plateformes:meeting_calendar")


def in_days(days: int, hour: int = 9) -> dt.datetime:
    return timezone.localtime().replace(hour=hour, minute=30, second=0, microsecond=0) + dt.timedelta(
        days=days
    )


def entries(response) -> list:
    return [entry for _month, rows in response.context["months"] for entry in rows]


def test_calendar_shows_sessions_among_meetings_at_their_date(login, coordinator):
    meeting = MeetingFactory(starts_at=in_days(10), group__name="Plateforme FLE")
    planned = make_session(make_training("Communication interculturelle"), starts_at=in_days(5))
    make_registration(planned)
    moved = make_session(make_training("Droit des étrangers"), starts_at=in_days(3))
    services.session_postpone(actor=coordinator, session=moved, new_date=in_days(20, hour=14))
    cancelled = make_session(make_training("Formation annulée"), starts_at=in_days(7))
    services.session_cancel(actor=coordinator, session=cancelled, reason="Formatrice malade")
    make_session(make_training("Session passée"), starts_at=in_days(-2))
    make_session(make_training("Session trop lointaine"), starts_at=in_days(95))
    postponed_too_far = make_session(make_training("Reportée trop loin"), starts_at=in_days(4))
    services.session_postpone(actor=coordinator, session=postponed_too_far, new_date=in_days(100))

    response = login(coordinator).get(CALENDAR_URL)

    rows = entries(response)
    assert [getattr(row, "title", None) or row.group.name for row in rows] == [
        "Communication interculturelle",
        "Plateforme FLE",
        "Droit des étrangers",
    ]
    assert rows[1] == meeting
    assert rows[0].participants == 1 and rows[0].url == planned.get_absolute_url()
    assert rows[2].starts_at == in_days(20, hour=14)
    content = text(response)
    assert "Session de formation" in content
    assert f"reportée (prévue le {in_days(3):%d/%m/%Y} 09:30)" in content
    for absent in ("Formation annulée", "Session passée", "Session trop lointaine", "Reportée trop loin"):
        assert absent not in content


def test_only_the_trainings_managers_get_sessions_for_the_calendar(counsellor_a, coordinator):
    make_session(starts_at=in_days(5))
    window = {"start": timezone.now(), "end": timezone.now() + dt.timedelta(days=90)}
    assert calendar_sessions(user=counsellor_a, **window) == []
    assert len(calendar_sessions(user=coordinator, **window)) == 1


@pytest.mark.parametrize("count", [3, 40])
def test_calendar_with_sessions_has_a_fixed_query_count(
    login, coordinator, django_assert_max_num_queries, count
):
    for index in range(count):
        MeetingFactory(starts_at=in_days(1 + index % 80))
        session = make_session(starts_at=in_days(2 + index % 80))
        make_registration(session)
        if index % 2:
            services.session_postpone(actor=coordinator, session=session, new_date=in_days(3 + index % 80))
    client = login(coordinator)
    with django_assert_max_num_queries(14):  # tests/plateformes/test_queries.py PAGE_BUDGET
        response = client.get(CALENDAR_URL)
    assert len(entries(response)) == 2 * count
