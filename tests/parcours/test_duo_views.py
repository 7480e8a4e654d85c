"""Duo pages (mentoring Net2Work / MIN, conversation tables): the list, a new duo, a duo and its
meetings, and what the roles and scopes allow."""

import datetime as dt
import re
from html import unescape

import pytest
from dateutil.relativedelta import relativedelta
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from parcours import services
from parcours.choices import DuoKind
from parcours.models import Duo, DuoMeeting
from parcours.views.duos import person_duo_rows
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    """The page as a reader sees it (entities such as &#x27; decoded)."""
    return unescape(response.content.decode())


def make_duo(actor, mentee, *, kind=DuoKind.NET2WORK, starts_on=None, ends_on=None, **fields):
    return services.duo_create(
        actor=actor,
        mentee=mentee,
        kind=kind,
        mentor_name=fields.pop("mentor_name", "Jeanne Bénévole"),
        starts_on=starts_on or TODAY - dt.timedelta(days=30),
        ends_on=ends_on,
        **fields,
    )


@pytest.fixture
def mentee_a(office_a):
    return PersonFactory(office=office_a, first_name="Amina", last_name="Haddad")


@pytest.fixture
def duo_a(counsellor_a, mentee_a):
    return make_duo(counsellor_a, mentee_a, ends_on=TODAY + dt.timedelta(days=60))


def duo_data(**changes):
    data = {
        "kind": DuoKind.MIN,
        "mentor_name": "Paul Mentor",
        "mentor_organisation": "Réseau MIN",
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + relativedelta(months=6)).isoformat(),
        "notes": "",
    }
    data.update(changes)
    return data


# A new duo


def test_counsellor_creates_a_duo_for_a_person_of_their_office(login, counsellor_a, mentee_a):
    url = reverse("parcours:duo_create") + f"?personne={mentee_a.pk}"
    response = login(counsellor_a).post(url, duo_data())
    duo = Duo.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("parcours:duo_detail", args=[duo.pk])
    assert (duo.mentee, duo.kind, duo.mentor_name, duo.mentor_organisation) == (
        mentee_a,
        "min",
        "Paul Mentor",
        "Réseau MIN",
    )


def test_duo_form_without_a_person_offers_only_the_people_followed(login, counsellor_a, mentee_a, office_b):
    outsider = PersonFactory(office=office_b)
    client = login(counsellor_a)
    response = client.get(reverse("parcours:duo_create"))
    assert list(response.context["form"].fields["mentee"].queryset) == [mentee_a]
    assert "2 rencontres par mois, 6 mois au plus" in text(response)
    response = client.post(reverse("parcours:duo_create"), duo_data(mentee=str(outsider.pk)))
    assert response.status_code == 200
    assert "Choisissez une personne suivie par vos bureaux." in text(response)
    assert not Duo.objects.exists()


def test_counsellor_of_another_office_gets_404_for_a_duo_of_that_person(login, counsellor_b, mentee_a):
    url = reverse("parcours:duo_create") + f"?personne={mentee_a.pk}"
    client = login(counsellor_b)
    assert client.get(url).status_code == 404
    assert client.post(url, duo_data()).status_code == 404
    assert not Duo.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"starts_on": "2026-05-10", "ends_on": "2026-05-01"},
            "ends_on",
            "La fin du duo ne peut précéder son début.",
        ),
        ({"starts_on": ""}, "starts_on", "Indiquez la date de début du duo."),
        ({"starts_on": "31/02/2026"}, "starts_on", "La date de début n'est pas valide (jj/mm/aaaa)."),
        ({"starts_on": "0026-01-01"}, "starts_on", "La date de début doit se situer entre"),
        ({"mentor_name": ""}, "mentor_name", "Indiquez le nom du mentor·e ou du bénévole."),
        ({"mentor_name": "x" * 151}, "mentor_name", "Le nom ne peut dépasser 150 caractères."),
        ({"kind": "parrainage"}, "kind", "Choisissez un type de duo de la liste."),
        ({"notes": "x" * 2001}, "notes", "Les notes ne peuvent dépasser 2000 caractères"),
    ],
)
def test_bad_duo_input_names_the_field_in_french_and_saves_nothing(
    login, counsellor_a, mentee_a, changes, field, message
):
    url = reverse("parcours:duo_create") + f"?personne={mentee_a.pk}"
    response = login(counsellor_a).post(url, duo_data(**changes))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert "Le duo n'est pas enregistré" in text(response)
    assert not Duo.objects.exists()


@pytest.mark.parametrize("persona", ["director", "coordinator", "commune_agent"])
def test_roles_that_do_not_write_cannot_create_a_duo(persona_client, mentee_a, persona):
    url = reverse("parcours:duo_create") + f"?personne={mentee_a.pk}"
    assert persona_client(persona).post(url, duo_data()).status_code == 403
    assert not Duo.objects.exists()


# Meetings


def test_counsellor_records_a_meeting_within_the_duo(login, counsellor_a, duo_a):
    met_on = TODAY - dt.timedelta(days=3)
    response = login(counsellor_a).post(
        reverse("parcours:duo_meeting_add", args=[duo_a.pk]),
        {"met_on": met_on.isoformat(), "notes": "Simulation d'entretien"},
        follow=True,
    )
    meeting = DuoMeeting.objects.get()
    assert (meeting.duo, meeting.met_on, meeting.notes) == (duo_a, met_on, "Simulation d'entretien")
    page = text(response)
    assert f"Rencontre du {met_on:%d/%m/%Y} enregistrée." in page
    assert "1 rencontre" in page


def test_htmx_meeting_answers_with_the_meetings_section(login, counsellor_a, duo_a):
    response = login(counsellor_a).post(
        reverse("parcours:duo_meeting_add", args=[duo_a.pk]), {"met_on": TODAY.isoformat()}, **HTMX
    )
    html = text(response)
    assert html.lstrip().startswith("<section") and "<html" not in html
    assert "1 rencontre" in html and TODAY.strftime("%d/%m/%Y") in html
    assert DuoMeeting.objects.count() == 1


@pytest.mark.parametrize(
    ("met_on", "message"),
    [
        (TODAY - dt.timedelta(days=60), "La rencontre doit avoir lieu pendant le duo."),
        (TODAY + dt.timedelta(days=1), "La rencontre ne peut pas être dans le futur"),
        ("", "Indiquez la date de la rencontre."),
        ("hier", "La date de la rencontre n'est pas valide (jj/mm/aaaa)."),
    ],
)
def test_bad_meeting_input_is_refused_in_french_and_nothing_is_saved(
    login, counsellor_a, duo_a, met_on, message
):
    value = met_on.isoformat() if isinstance(met_on, dt.date) else met_on
    client = login(counsellor_a)
    url = reverse("parcours:duo_meeting_add", args=[duo_a.pk])
    response = client.post(url, {"met_on": value})
    assert response.status_code == 200
    assert message in text(response)
    assert "<html" in text(response)  # without HTMX: the duo page with the errors
    response = client.post(url, {"met_on": value}, **HTMX)
    assert message in text(response) and "<html" not in text(response)
    assert not DuoMeeting.objects.exists()


def test_meeting_after_the_end_of_the_duo_is_refused(login, counsellor_a, mentee_a):
    duo = make_duo(
        counsellor_a, mentee_a, starts_on=TODAY - dt.timedelta(days=90), ends_on=TODAY - dt.timedelta(days=30)
    )
    response = login(counsellor_a).post(
        reverse("parcours:duo_meeting_add", args=[duo.pk]), {"met_on": TODAY.isoformat()}
    )
    assert "La rencontre doit avoir lieu pendant le duo." in text(response)
    assert not DuoMeeting.objects.exists()


def test_oversized_meeting_notes_are_refused(login, counsellor_a, duo_a):
    response = login(counsellor_a).post(
        reverse("parcours:duo_meeting_add", args=[duo_a.pk]),
        {"met_on": TODAY.isoformat(), "notes": "x" * 501},
    )
    assert "Les notes ne peuvent dépasser 500 caractères" in text(response)
    assert not DuoMeeting.objects.exists()


def test_counsellor_of_another_office_cannot_see_or_add_to_the_duo(login, counsellor_b, duo_a):
    client = login(counsellor_b)
    assert client.get(reverse("parcours:duo_detail", args=[duo_a.pk])).status_code == 404
    response = client.post(
        reverse("parcours:duo_meeting_add", args=[duo_a.pk]), {"met_on": TODAY.isoformat()}
    )
    assert response.status_code == 404
    assert not DuoMeeting.objects.exists()


def test_director_reads_a_duo_but_cannot_add_a_meeting(login, director, duo_a):
    client = login(director)
    page = client.get(reverse("parcours:duo_detail", args=[duo_a.pk]))
    assert page.status_code == 200
    assert "Noter la rencontre" not in text(page)
    response = client.post(
        reverse("parcours:duo_meeting_add", args=[duo_a.pk]), {"met_on": TODAY.isoformat()}
    )
    assert response.status_code == 403
    assert not DuoMeeting.objects.exists()


def test_duo_page_shows_the_mentoring_guidance(login, counsellor_a, mentee_a):
    duo = make_duo(counsellor_a, mentee_a, starts_on=TODAY - relativedelta(months=1, days=5))
    page = text(login(counsellor_a).get(reverse("parcours:duo_detail", args=[duo.pk])))
    assert "2 rencontres par mois, 6 mois au plus" in page
    assert "Sur 2 mois entamés, environ 4 rencontres attendues." in page


# Six months at most for mentoring


def test_mentoring_longer_than_six_months_is_flagged_but_a_conversation_table_is_not(
    login, counsellor_a, office_a
):
    start = TODAY - relativedelta(months=7)
    long_mentoring = make_duo(
        counsellor_a, PersonFactory(office=office_a, last_name="Mentorat"), starts_on=start
    )
    make_duo(
        counsellor_a,
        PersonFactory(office=office_a, last_name="Conversation"),
        kind=DuoKind.CONVERSATION,
        starts_on=start,
    )
    client = login(counsellor_a)
    response = client.get(reverse("parcours:duo_list"))
    flags = {duo.mentee.last_name: duo.exceeds_limit for duo in response.context["duos"]}
    assert flags == {"Mentorat": True, "Conversation": False}
    assert text(response).count("plus de 6 mois") == 1
    detail = text(client.get(reverse("parcours:duo_detail", args=[long_mentoring.pk])))
    assert "Ce mentorat dépasse 6 mois" in detail


# The list


def test_list_shows_only_the_duos_of_people_followed(login, counsellor_a, counsellor_b, office_b, duo_a):
    make_duo(counsellor_b, PersonFactory(office=office_b))
    response = login(counsellor_a).get(reverse("parcours:duo_list"))
    assert [duo.pk for duo in response.context["duos"]] == [duo_a.pk]
    assert "HADDAD Amina" in text(response)


def test_director_lists_every_duo(login, director, counsellor_b, office_b, duo_a):
    make_duo(counsellor_b, PersonFactory(office=office_b))
    assert len(login(director).get(reverse("parcours:duo_list")).context["duos"]) == 2


@pytest.mark.parametrize("persona", ["coordinator", "commune_agent"])
def test_duo_list_is_refused_to_roles_outside_the_first_line(persona_client, persona):
    assert persona_client(persona).get(reverse("parcours:duo_list")).status_code == 403


def test_list_filters_by_kind_and_running_or_ended(login, counsellor_a, office_a):
    running = make_duo(counsellor_a, PersonFactory(office=office_a), kind=DuoKind.NET2WORK)
    ended = make_duo(
        counsellor_a,
        PersonFactory(office=office_a),
        kind=DuoKind.CONVERSATION,
        starts_on=TODAY - dt.timedelta(days=100),
        ends_on=TODAY - dt.timedelta(days=10),
    )
    client = login(counsellor_a)
    url = reverse("parcours:duo_list")
    assert [d.pk for d in client.get(url, {"kind": "table_conversation"}).context["duos"]] == [ended.pk]
    assert [d.pk for d in client.get(url, {"state": "en_cours"}).context["duos"]] == [running.pk]
    assert [d.pk for d in client.get(url, {"state": "termines"}).context["duos"]] == [ended.pk]


def test_list_sorts_by_meeting_count(login, counsellor_a, office_a):
    quiet = make_duo(counsellor_a, PersonFactory(office=office_a))
    busy = make_duo(counsellor_a, PersonFactory(office=office_a))
    for days in (1, 2):
        services.duo_meeting_add(actor=counsellor_a, duo=busy, met_on=TODAY - dt.timedelta(days=days))
    client = login(counsellor_a)
    url = reverse("parcours:duo_list")
    assert [d.pk for d in client.get(url, {"tri": "-rencontres"}).context["duos"]] == [busy.pk, quiet.pk]
    assert [d.pk for d in client.get(url, {"tri": "rencontres"}).context["duos"]] == [quiet.pk, busy.pk]


def test_empty_duo_list_offers_to_create_one(login, counsellor_a):
    page = text(login(counsellor_a).get(reverse("parcours:duo_list")))
    assert "Aucun duo n'est encore enregistré" in page
    assert reverse("parcours:duo_create") in page
    assert "Tous les types" in page and "En cours et terminés" in page and "---------" not in page


def test_htmx_filter_answers_with_the_results_fragment(login, counsellor_a, duo_a):
    html = text(login(counsellor_a).get(reverse("parcours:duo_list"), {"kind": "net2work"}, **HTMX))
    assert 'id="duo-results"' in html and "<html" not in html


def test_duo_pages_have_no_inline_script_or_handler(login, counsellor_a, duo_a):
    client = login(counsellor_a)
    for url in (
        reverse("parcours:duo_list"),
        reverse("parcours:duo_create"),
        reverse("parcours:duo_detail", args=[duo_a.pk]),
    ):
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert not re.search(r"\son[a-z]+=", html)
        assert " style=" not in html


# Query budgets: the same with a few rows and many. Sign-in and session (4), the count, the page of
# rows (or the duo, then its meetings), the session save.
QUERY_BUDGET = 9


@pytest.mark.parametrize("count", [3, 40])
def test_duo_list_query_count_does_not_grow_with_rows(
    login, counsellor_a, office_a, django_assert_max_num_queries, count
):
    for person in PersonFactory.create_batch(count, office=office_a):
        duo = Duo.objects.create(kind=DuoKind.MIN, mentee=person, mentor_name="M", starts_on=TODAY)
        DuoMeeting.objects.create(duo=duo, met_on=TODAY)
    client = login(counsellor_a)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(reverse("parcours:duo_list"))
    assert len(response.context["duos"]) == min(count, 25)


@pytest.mark.parametrize("count", [3, 40])
def test_duo_detail_query_count_does_not_grow_with_meetings(
    login, counsellor_a, mentee_a, django_assert_max_num_queries, count
):
    duo = make_duo(counsellor_a, mentee_a, starts_on=TODAY - dt.timedelta(days=count))
    DuoMeeting.objects.bulk_create(
        [DuoMeeting(duo=duo, met_on=TODAY - dt.timedelta(days=day)) for day in range(count)]
    )
    client = login(counsellor_a)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(reverse("parcours:duo_detail", args=[duo.pk]))
    assert len(response.context["meetings"]) == count


# The partial for the person file


def test_person_duos_partial_lists_the_duos_in_one_query(
    counsellor_a, mentee_a, duo_a, django_assert_max_num_queries
):
    services.duo_meeting_add(actor=counsellor_a, duo=duo_a, met_on=TODAY)
    request = RequestFactory().get("/")
    request.user = counsellor_a
    with django_assert_max_num_queries(1):
        html = render_to_string(
            "parcours/partials/person_duos.html",
            {
                "person": mentee_a,
                "person_duos": person_duo_rows(user=counsellor_a, person=mentee_a),
                "can_write_duos": True,
            },
            request=request,
        )
    assert reverse("parcours:duo_detail", args=[duo_a.pk]) in html
    assert "1 rencontre" in html and "Jeanne Bénévole" in html
    assert f"{reverse('parcours:duo_create')}?personne={mentee_a.pk}" in html
