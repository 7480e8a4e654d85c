"""The director's dashboard: the year's figures through the report's selectors, its charts, the year
selector, the cache and its refresh, and a fixed number of queries."""

import datetime as dt
import html as html_module
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accompagnement.models import Appointment
from cai.navigation import navigation_for
from rapports.selectors import figures_to_date, year_end
from tests.conftest import signed_in_client
from tests.factories import AppointmentFactory, PersonFactory
from tests.rapports.dashboard_data import KNOWN, at, build_known_year

pytestmark = pytest.mark.django_db

URL = reverse("rapports:dashboard")
YEAR = timezone.localdate().year - 1


@pytest.fixture(autouse=True)
def _empty_cache():
    """The figures are cached per year in the process's cache: every test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def known(office_a, office_b, counsellor_a):
    return build_known_year(year=YEAR, namur=office_a, dinant=office_b, counsellor=counsellor_a)


def key_figure(html: str, label: str) -> str:
    """The big number of the key-figure card labelled ``label``."""
    match = re.search(re.escape(label) + r'</p>\s*<p class="h3 mb-0" data-figure="\d+">([^<]+)</p>', html)
    assert match, f"no key figure « {label} »"
    return match.group(1)


def test_the_dashboard_shows_the_known_figures_of_the_year(director, known):
    response = signed_in_client(director).get(URL, {"annee": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert key_figure(html, "Personnes suivies") == str(KNOWN["followed"])
    assert key_figure(html, "Rendez-vous individuels") == str(KNOWN["appointments"])
    assert key_figure(html, "Séances SIDD") == str(KNOWN["sidd_sessions"])
    assert key_figure(html, "Participant·e·s aux SIDD") == str(KNOWN["sidd_participants"])
    assert key_figure(html, "Attestations délivrées") == str(KNOWN["attestations"])
    assert key_figure(html, "Personnes obligées suivies") == str(KNOWN["obliged"])
    assert key_figure(html, "Interpellations") == str(KNOWN["interpellations"])
    assert key_figure(html, "Sessions de formation tenues") == str(KNOWN["trainings_held"])
    # the year before beside this year's: one person followed, one appointment
    assert f"{YEAR - 1} : {KNOWN['followed_previous']} (+300\u00a0%)" in html
    # the per-office comparison, and the report's charts as data-URI images (the CSP allows data:)
    assert re.search(
        r'<th scope="row" class="fw-normal">Namur</th>.*?<td class="text-end">3</td>', html, re.S
    )
    assert html.count('src="data:image/svg+xml;base64,') >= 5
    assert "Chiffres calculés le" in html


def test_the_current_year_is_shown_by_default_as_figures_to_date(director, counsellor_a, office_a):
    """This year up to today (an appointment booked for later does not count yet), the year before up to
    the same day."""
    now = timezone.localtime()
    this_year = now.year
    leap_day = (now.month, now.day) == (2, 29)
    last_year = now.replace(year=this_year - 1, day=28) if leap_day else now.replace(year=this_year - 1)
    seen, booked, before_same_day, before_later = (PersonFactory(office=office_a) for _ in range(4))
    AppointmentFactory(person=seen, counsellor=counsellor_a, starts_at=now.replace(hour=0, minute=5))
    AppointmentFactory(person=before_same_day, counsellor=counsellor_a, starts_at=last_year.replace(hour=0))
    if (now.month, now.day) != (12, 31):
        AppointmentFactory(person=booked, counsellor=counsellor_a, starts_at=now + dt.timedelta(days=1))
        AppointmentFactory(
            person=before_later, counsellor=counsellor_a, starts_at=last_year + dt.timedelta(days=1)
        )
    html = signed_in_client(director).get(URL).content.decode()
    assert f"Tableau de bord {this_year}" in html and "à ce jour" in html
    assert key_figure(html, "Personnes suivies") == "1"
    assert key_figure(html, "Rendez-vous individuels") == "1"
    assert f"{this_year - 1} : 1" in html  # followed the year before, by the same date
    assert f"comparée à {this_year - 1} à la même date" in html_module.unescape(html)
    assert f'<option value="{this_year}" selected>' in html


def test_a_year_to_date_ends_on_the_same_day_of_every_earlier_year():
    assert year_end(2025) == dt.date(2026, 1, 1)  # the report: whole years
    with figures_to_date(dt.date(2024, 2, 29)):
        assert year_end(2024) == dt.date(2024, 3, 1)
        assert year_end(2023) == dt.date(2023, 3, 1)  # through 28 February
        assert year_end(2025) == dt.date(2026, 1, 1)  # a later year (next year's programme) is whole
    with figures_to_date(dt.date(2026, 12, 31)):
        assert year_end(2025) == dt.date(2026, 1, 1)


@pytest.mark.parametrize("bad", ["1999", "abc", str(timezone.localdate().year + 1)])
def test_a_bad_year_is_refused_with_a_french_message_on_the_field(director, bad):
    response = signed_in_client(director).get(URL, {"annee": bad})
    assert response.status_code == 400
    html = html_module.unescape(response.content.decode())
    assert "Année : " in html
    assert "L'année doit être comprise entre 2000 et" in html or "Indiquez une année en chiffres" in html
    assert "Chiffres clés" not in html


def test_figures_are_cached_and_the_refresh_button_computes_them_again(director, known, counsellor_a):
    client = signed_in_client(director)
    client.get(URL, {"annee": YEAR})
    AppointmentFactory(person=known["people"][0], counsellor=counsellor_a, starts_at=at(YEAR, 7, 7))
    assert Appointment.objects.count() == KNOWN["appointments"] + KNOWN["appointments_previous"] + 1

    polled = client.get(URL, {"annee": YEAR}, headers={"HX-Request": "true"})
    fragment = polled.content.decode()
    assert fragment.lstrip().startswith('<div id="dashboard-figures"')  # the fragment only
    assert key_figure(fragment, "Rendez-vous individuels") == "5"  # from the cache

    refreshed = client.get(URL, {"annee": YEAR, "actualiser": "1"}, headers={"HX-Request": "true"})
    assert key_figure(refreshed.content.decode(), "Rendez-vous individuels") == "6"
    assert 'hx-trigger="every 300s"' in refreshed.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("director", 200),
        ("administrator", 200),
        ("counsellor_a", 403),
        ("coordinator", 403),
        ("commune_agent", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_director_and_administrators_see_the_dashboard(persona_client, persona, status):
    assert persona_client(persona).get(URL).status_code == status


def test_the_dashboard_comes_first_in_the_directors_navigation_and_is_linked_from_the_report(
    director, counsellor_a
):
    assert navigation_for(director)[0]["url_name"] == "rapports:dashboard"
    assert "rapports:dashboard" not in [item["url_name"] for item in navigation_for(counsellor_a)]
    home = signed_in_client(director).get(reverse("rapports:report_home")).content.decode()
    assert f'href="{URL}"' in home


def test_the_number_of_queries_does_not_depend_on_the_number_of_people(
    director, office_a, counsellor_a, django_assert_max_num_queries
):
    client = signed_in_client(director)

    def add_people(count):
        for index in range(count):
            person = PersonFactory(office=office_a)
            AppointmentFactory(person=person, counsellor=counsellor_a, starts_at=at(YEAR, 1 + index % 12, 5))

    add_people(10)
    client.get(URL, {"annee": YEAR})  # the session and the user once
    with django_assert_max_num_queries(80) as small:
        response = client.get(URL, {"annee": YEAR, "actualiser": "1"})
    assert key_figure(response.content.decode(), "Personnes suivies") == "10"
    add_people(90)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL, {"annee": YEAR, "actualiser": "1"})
    assert key_figure(response.content.decode(), "Personnes suivies") == "100"
    with django_assert_max_num_queries(len(small.captured_queries) - 20):  # from the cache
        client.get(URL, {"annee": YEAR})
