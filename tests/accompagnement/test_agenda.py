"""Ma journée (today, the rest of the week, the next permanences, the calendar link) and the ICS feed
(initials only, the user's own appointments, the window, rotation of the link)."""

import datetime as dt
import html

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from accompagnement.models import PermanenceRule, RequestType
from accompagnement.views import agenda
from tests.conftest import PERSONAS
from tests.factories import AppointmentFactory, PersonFactory, UserFactory, aware

pytestmark = pytest.mark.django_db

MY_DAY_URL = reverse("accompagnement:my_day")
ROTATE_URL = reverse("accompagnement:calendar_token_rotate")
# A Wednesday: the week runs from Monday 7 to Sunday 13 December 2026.
TODAY = dt.date(2026, 12, 9)


def feed_url(user):
    return reverse("accompagnement:calendar_feed", args=[user.calendar_token])


@pytest.fixture
def pinned_today(monkeypatch):
    monkeypatch.setattr(agenda, "local_today", lambda: TODAY)
    return TODAY


@pytest.fixture
def yara(office_a):
    return PersonFactory(
        first_name="Yara", last_name="Haddad", office=office_a, national_number="85073003328"
    )


@pytest.fixture
def omar(office_b):
    return PersonFactory(first_name="Omar", last_name="Kassem", office=office_b)


def body(response) -> str:
    return html.unescape(response.content.decode())


# --- Who may see what --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_my_day_is_for_counsellors_only(persona, persona_client):
    response = persona_client(persona).get(MY_DAY_URL)
    expected = {"counsellor_a": 200, "counsellor_b": 200, "anonymous": 302}.get(persona, 403)
    assert response.status_code == expected
    if persona == "anonymous":
        assert response["Location"].startswith("/connexion/")


@pytest.mark.parametrize("persona", PERSONAS)
def test_feed_with_a_valid_token_answers_whoever_asks_and_an_invalid_one_404(
    persona, persona_client, counsellor_a
):
    client = persona_client(persona)
    # A signed-in commune agent reaches only the commune portal (cai.middleware, L1): 403 here.
    closed = persona == "commune_agent"
    assert client.get(feed_url(counsellor_a)).status_code == (403 if closed else 200)
    wrong = reverse("accompagnement:calendar_feed", args=["pas-le-bon-jeton"])
    assert client.get(wrong).status_code == (403 if closed else 404)


def test_feed_of_an_inactive_user_answers_404(client, counsellor_a):
    counsellor_a.is_active = False
    counsellor_a.save(update_fields=["is_active"])
    assert client.get(feed_url(counsellor_a)).status_code == 404


@pytest.mark.parametrize(
    ("persona", "expected"), [("counsellor_a", 302), ("director", 403), ("coordinator", 403)]
)
def test_only_counsellors_renew_their_link(persona, expected, persona_client, request):
    user = request.getfixturevalue(persona)
    before = user.calendar_token
    assert persona_client(persona).post(ROTATE_URL).status_code == expected
    user.refresh_from_db()
    assert (user.calendar_token != before) == (expected == 302)


def test_renewing_the_link_needs_a_post(login, counsellor_a):
    before = counsellor_a.calendar_token
    assert login(counsellor_a).get(ROTATE_URL).status_code == 405
    counsellor_a.refresh_from_db()
    assert counsellor_a.calendar_token == before


# --- Ma journée --------------------------------------------------------------------------------


def test_my_day_shows_my_appointments_of_today_and_not_another_counsellors(
    login, counsellor_a, counsellor_b, pinned_today, yara, omar, office_a
):
    AppointmentFactory(person=yara, counsellor=counsellor_a, starts_at=aware(2026, 12, 9, 14, 30))
    colleague = UserFactory(offices=[office_a])
    AppointmentFactory(
        person=PersonFactory(last_name="Collegue", office=office_a),
        counsellor=colleague,
        starts_at=aware(2026, 12, 9, 10),
    )
    AppointmentFactory(person=omar, counsellor=counsellor_b, starts_at=aware(2026, 12, 9, 11))
    response = login(counsellor_a).get(MY_DAY_URL)
    page = body(response)
    assert [a.person for a in response.context["today_appointments"]] == [yara]
    assert "14:30" in page
    assert "HADDAD Yara" in page
    assert yara.get_absolute_url() in page
    assert "COLLEGUE" not in page
    assert "KASSEM" not in page


def test_my_day_shows_the_rest_of_the_week_until_sunday_only(
    login, counsellor_a, pinned_today, yara, office_b
):
    friday = AppointmentFactory(person=yara, counsellor=counsellor_a, starts_at=aware(2026, 12, 11, 9))
    sunday = AppointmentFactory(person=yara, counsellor=counsellor_a, starts_at=aware(2026, 12, 13, 23, 30))
    AppointmentFactory(person=yara, counsellor=counsellor_a, starts_at=aware(2026, 12, 14, 9))  # next week
    AppointmentFactory(person=yara, counsellor=counsellor_a, starts_at=aware(2026, 12, 8, 9))  # yesterday
    # An appointment at another of my offices shows too.
    office_b.staff.add(counsellor_a)
    elsewhere = AppointmentFactory(
        person=PersonFactory(office=office_b), counsellor=counsellor_a, starts_at=aware(2026, 12, 12, 10)
    )
    response = login(counsellor_a).get(MY_DAY_URL)
    assert response.context["today_appointments"] == []
    week = response.context["week_days"]
    assert [(day, [a.pk for a in items]) for day, items in week] == [
        (dt.date(2026, 12, 11), [friday.pk]),
        (dt.date(2026, 12, 12), [elsewhere.pk]),
        (dt.date(2026, 12, 13), [sunday.pk]),
    ]
    page = body(response)
    assert "vendredi 11/12/2026" in page
    assert "Aucun rendez-vous aujourd'hui" in page
    assert reverse("accompagnement:person_list") in page


def test_my_day_shows_the_next_permanences_of_my_offices(
    login, counsellor_a, counsellor_b, office_a, pinned_today
):
    # Dinant: 2nd and 4th Thursdays (reference data). Namur receives by appointment: give it a rule here.
    PermanenceRule.objects.create(
        office=office_a, kind="monthly", weekday=1, nth=3, start_time=dt.time(9), end_time=dt.time(12)
    )
    dinant_page = body(login(counsellor_b).get(MY_DAY_URL))
    assert "jeudi 10/12/2026" in dinant_page
    assert "jeudi 24/12/2026" in dinant_page
    assert "mardi 15/12/2026" not in dinant_page
    namur_page = body(login(counsellor_a).get(MY_DAY_URL))
    assert "mardi 15/12/2026" in namur_page
    assert "jeudi 10/12/2026" not in namur_page


def test_my_day_without_permanences_says_the_office_receives_by_appointment(
    login, counsellor_a, pinned_today
):
    page = body(login(counsellor_a).get(MY_DAY_URL))
    assert "Aucune permanence dans les quatre prochaines semaines" in page


def test_my_day_shows_the_personal_feed_link_and_a_renew_button(login, counsellor_a):
    page = body(login(counsellor_a).get(MY_DAY_URL))
    assert "Mon agenda dans mon calendrier" in page
    assert f"http://testserver{feed_url(counsellor_a)}" in page
    assert f'action="{ROTATE_URL}"' in page
    assert "<script>" not in page and "onclick" not in page


def make_week(count, counsellor, office):
    parcours = RequestType.objects.get(code="parcours")
    for index in range(count):
        AppointmentFactory(
            person=PersonFactory(office=office),
            counsellor=counsellor,
            starts_at=aware(2026, 12, 9 + index % 5, 8 + index % 10),
            request_types=[parcours],
        )


@pytest.mark.parametrize("count", [3, 40])
def test_my_day_query_count_does_not_grow_with_the_rows(
    login, counsellor_a, office_a, pinned_today, django_assert_max_num_queries, count
):
    make_week(count, counsellor_a, office_a)
    client = login(counsellor_a)
    # Session, user, second factor and session save (6) + agenda, its request types, my office ids, my
    # offices, their rules, exceptions and communes (7).
    with django_assert_max_num_queries(13):
        response = client.get(MY_DAY_URL)
    shown = len(response.context["today_appointments"]) + sum(
        len(items) for _day, items in response.context["week_days"]
    )
    assert shown == count


# --- The ICS feed ------------------------------------------------------------------------------


def parse(response) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(response.content)


def test_feed_holds_my_appointments_with_initials_only(client, counsellor_a, counsellor_b, yara, omar):
    now = timezone.localtime().replace(second=0, microsecond=0)
    mine = AppointmentFactory(
        person=yara,
        counsellor=counsellor_a,
        starts_at=now + dt.timedelta(days=2),
        mode="phone",
        notes="Apporter le passeport",
        confidential_notes="Situation médicale",
    )
    theirs = AppointmentFactory(person=omar, counsellor=counsellor_b, starts_at=now + dt.timedelta(days=2))
    response = client.get(feed_url(counsellor_a))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "no-store"
    content = response.content.decode()
    for private in ("85073003328", "Haddad", "HADDAD", "Yara", "passeport", "médicale", "Kassem", "KASSEM"):
        assert private not in content, private
    events = {str(e["uid"]): e for e in parse(response).walk("VEVENT")}
    event = events[f"rendez-vous-{mine.pk}@cai-agenda"]
    assert str(event["summary"]) == "RDV Y. H. — téléphone"
    assert str(event["location"]) == "Namur"
    assert event.decoded("dtstart") == mine.starts_at
    assert event.decoded("dtend") == mine.starts_at + dt.timedelta(minutes=30)
    assert f"rendez-vous-{theirs.pk}@cai-agenda" not in events


def test_feed_covers_30_days_back_and_90_days_ahead(client, counsellor_a, yara):
    now = timezone.now()
    inside = [
        AppointmentFactory(person=yara, counsellor=counsellor_a, starts_at=now - dt.timedelta(days=29)),
        AppointmentFactory(person=yara, counsellor=counsellor_a, starts_at=now + dt.timedelta(days=89)),
    ]
    outside = [
        AppointmentFactory(person=yara, counsellor=counsellor_a, starts_at=now - dt.timedelta(days=32)),
        AppointmentFactory(person=yara, counsellor=counsellor_a, starts_at=now + dt.timedelta(days=92)),
    ]
    uids = {str(e["uid"]) for e in parse(client.get(feed_url(counsellor_a))).walk("VEVENT")}
    assert {f"rendez-vous-{a.pk}@cai-agenda" for a in inside} <= uids
    assert not {f"rendez-vous-{a.pk}@cai-agenda" for a in outside} & uids


def test_feed_holds_the_permanences_of_my_offices(client, counsellor_b):
    events = list(parse(client.get(feed_url(counsellor_b))).walk("VEVENT"))
    summaries = {str(e["summary"]) for e in events}
    assert summaries == {"Permanence — Dinant"}
    first = min(events, key=lambda e: e.decoded("dtstart"))
    start = timezone.localtime(first.decoded("dtstart"))
    assert start.weekday() == 3  # a Thursday
    assert start.time() == dt.time(9)


def test_feed_uids_are_stable_between_fetches(client, counsellor_a, yara):
    AppointmentFactory(person=yara, counsellor=counsellor_a, starts_at=timezone.now() + dt.timedelta(days=1))

    def uids():
        return sorted(str(e["uid"]) for e in parse(client.get(feed_url(counsellor_a))).walk("VEVENT"))

    assert uids() == uids()


def test_after_renewing_the_link_the_old_token_answers_404(login, client, counsellor_a):
    old_url = feed_url(counsellor_a)
    assert client.get(old_url).status_code == 200
    response = login(counsellor_a).post(ROTATE_URL)
    assert response.status_code == 302
    assert response["Location"] == MY_DAY_URL
    counsellor_a.refresh_from_db()
    assert client.get(old_url).status_code == 404
    assert client.get(feed_url(counsellor_a)).status_code == 200
