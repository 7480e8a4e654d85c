"""Collective session pages: the list, planning a session, the attendance list, registering people
and marking them present (HTMX row toggle), and what the roles and scopes allow."""

import datetime as dt
import re
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from parcours import services
from parcours.choices import ComponentKind, ComponentState, SessionKind
from parcours.models import CollectiveSession, SessionAttendance
from parcours.views.sessions import person_session_rows
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    """The page as a reader sees it (entities such as &#x27; decoded)."""
    return unescape(response.content.decode())


def local_input(moment: dt.datetime) -> str:
    """A datetime as the ``datetime-local`` input sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def make_session(actor, office, *, kind=SessionKind.SIDD, days=7, **fields):
    fields.setdefault("place", "Rue de Fer 42, Namur")
    return services.session_create(
        actor=actor,
        kind=kind,
        starts_at=timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=days),
        office=office,
        **fields,
    )


def newcomer(office, **fields):
    """An obliged Syrian newcomer: title ordered two months ago."""
    defaults = {
        "nationality": "SY",
        "birth_date": dt.date(1990, 3, 4),
        "residence_card": "B",
        "residence_ordered_on": TODAY - dt.timedelta(days=60),
        "arrival_date": TODAY - dt.timedelta(days=120),
        "registration_date": TODAY - dt.timedelta(days=100),
    }
    return PersonFactory(office=office, **{**defaults, **fields})


@pytest.fixture
def session_a(counsellor_a, office_a):
    return make_session(counsellor_a, office_a)


@pytest.fixture
def session_b(counsellor_b, office_b):
    return make_session(counsellor_b, office_b, place="Rue Grande 1, Dinant")


def valid_session_data(office_, **changes):
    data = {
        "kind": SessionKind.SIDD,
        "title": "",
        "starts_at": local_input(timezone.now() + dt.timedelta(days=10)),
        "duration_minutes": "180",
        "office": str(office_.pk),
        "place": "Rue de Fer 42, Namur",
        "language": "",
        "facilitator": "",
        "facilitator_name": "Maître Dupont",
    }
    data.update(changes)
    return data


# Planning a session


def test_counsellor_plans_a_session_of_their_office(login, counsellor_a, office_a):
    response = login(counsellor_a).post(reverse("parcours:session_create"), valid_session_data(office_a))
    session = CollectiveSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("parcours:session_detail", args=[session.pk])
    assert (session.kind, session.office, session.facilitator_name) == ("sidd", office_a, "Maître Dupont")
    assert session.duration_minutes == 180


def test_new_session_form_offers_only_the_counsellors_offices(login, counsellor_a, office_a, office_b):
    response = login(counsellor_a).get(reverse("parcours:session_create"))
    offices = list(response.context["form"].fields["office"].queryset)
    assert offices == [office_a]
    assert response.context["form"].initial["facilitator"] == counsellor_a.pk


def test_online_session_needs_no_place_and_a_staff_facilitator_is_accepted(login, counsellor_a, office_a):
    data = valid_session_data(
        office_a, place="", online="on", facilitator=str(counsellor_a.pk), facilitator_name=""
    )
    response = login(counsellor_a).post(reverse("parcours:session_create"), data)
    assert response.status_code == 302
    session = CollectiveSession.objects.get()
    assert (session.online, session.place, session.facilitator) == (True, "", counsellor_a)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"starts_at": ""}, "starts_at", "Indiquez la date et l'heure de la séance."),
        (
            {"starts_at": "2026-03-01"},
            "starts_at",
            "Indiquez la date et l'heure de la séance (jj/mm/aaaa hh:mm).",
        ),
        ({"starts_at": "0202-03-01T10:00"}, "starts_at", "La date de la séance doit se situer entre"),
        (
            {"duration_minutes": "0"},
            "duration_minutes",
            "La durée doit être comprise entre 15 et 600 minutes.",
        ),
        ({"duration_minutes": "abc"}, "duration_minutes", "La durée doit être un nombre entier de minutes."),
        ({"office": ""}, "office", "Choisissez le bureau qui organise la séance."),
        ({"office": "999999"}, "office", "Ce bureau n'existe pas ou ne fait pas partie de vos bureaux."),
        ({"kind": "atelier"}, "kind", "Choisissez un type de séance de la liste."),
        ({"place": ""}, "place", "Indiquez le lieu de la séance, ou cochez « En ligne »."),
        ({"kind": SessionKind.THEMATIC}, "title", "Indiquez le thème de la séance thématique."),
        ({"title": "x" * 201}, "title", "L'intitulé ne peut dépasser 200 caractères."),
        (
            {"facilitator_name": ""},
            "facilitator",
            "Choisissez l'animateur·rice de l'équipe ou indiquez un nom externe.",
        ),
        ({"language": "999999"}, "language", "Choisissez une langue de la liste."),
    ],
)
def test_bad_session_input_names_the_field_in_french_and_saves_nothing(
    login, counsellor_a, office_a, changes, field, message
):
    response = login(counsellor_a).post(
        reverse("parcours:session_create"), valid_session_data(office_a, **changes)
    )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert "La séance n'est pas enregistrée" in text(response)
    assert not CollectiveSession.objects.exists()


def test_counsellor_cannot_plan_a_session_for_another_office(login, counsellor_a, office_b):
    response = login(counsellor_a).post(reverse("parcours:session_create"), valid_session_data(office_b))
    assert response.status_code == 200
    assert "Ce bureau n'existe pas ou ne fait pas partie de vos bureaux." in text(response)
    assert not CollectiveSession.objects.exists()


def test_administrator_plans_a_session_for_any_office(login, administrator, office_b):
    response = login(administrator).post(reverse("parcours:session_create"), valid_session_data(office_b))
    assert response.status_code == 302
    assert CollectiveSession.objects.get().office == office_b


@pytest.mark.parametrize("persona", ["director", "coordinator", "commune_agent"])
def test_roles_that_do_not_run_sessions_cannot_plan_one(persona_client, office_a, persona):
    response = persona_client(persona).post(reverse("parcours:session_create"), valid_session_data(office_a))
    assert response.status_code == 403
    assert not CollectiveSession.objects.exists()


# Registering and attendance


def test_registering_two_people_and_marking_one_present(login, counsellor_a, office_a, session_a):
    amina, omar = PersonFactory(office=office_a), PersonFactory(office=office_a)
    client = login(counsellor_a)
    url = reverse("parcours:session_attendance", args=[session_a.pk])
    for person in (amina, omar):
        response = client.post(url, {"person": person.pk, "attended": "0"})
        assert response.status_code == 302
    response = client.post(url, {"person": amina.pk, "attended": "1", "toggle": "1"}, **HTMX)
    assert response.status_code == 200
    rows = dict(SessionAttendance.objects.filter(session=session_a).values_list("person_id", "attended"))
    assert rows == {amina.pk: True, omar.pk: False}
    page = unescape(client.get(reverse("parcours:session_detail", args=[session_a.pk])).content.decode())
    assert str(amina) in page and str(omar) in page
    assert "2 personnes inscrites" in page and "1 présente" in page


def test_register_button_says_who_was_registered(login, counsellor_a, office_a, session_a):
    person = PersonFactory(office=office_a, first_name="Amina", last_name="Haddad")
    client = login(counsellor_a)
    response = client.post(
        reverse("parcours:session_attendance", args=[session_a.pk]),
        {"person": person.pk, "attended": "0"},
        follow=True,
    )
    assert "HADDAD Amina est inscrit·e à la séance." in text(response)


def test_htmx_toggle_answers_with_the_updated_row_only(login, counsellor_a, office_a, session_a):
    person = PersonFactory(office=office_a)
    services.attendance_set(actor=counsellor_a, session=session_a, person=person, attended=False)
    response = login(counsellor_a).post(
        reverse("parcours:session_attendance", args=[session_a.pk]),
        {"person": person.pk, "attended": "1", "toggle": "1"},
        **HTMX,
    )
    html = text(response)
    assert html.lstrip().startswith("<tr")
    assert "<html" not in html
    assert "Présent·e" in html and "Marquer absent·e" in html


def test_marking_a_person_absent_again(login, counsellor_a, office_a, session_a):
    person = PersonFactory(office=office_a)
    services.attendance_set(actor=counsellor_a, session=session_a, person=person, attended=True)
    response = login(counsellor_a).post(
        reverse("parcours:session_attendance", args=[session_a.pk]),
        {"person": person.pk, "attended": "0", "toggle": "1"},
        follow=True,
    )
    assert "est noté·e absent·e" in text(response)
    assert SessionAttendance.objects.get(person=person).attended is False


def test_attending_a_sidd_completes_rights_and_duties_for_a_person_with_a_path(
    login, counsellor_a, office_a, session_a
):
    person = newcomer(office_a)
    path = services.path_open(actor=counsellor_a, person=person)
    client = login(counsellor_a)
    client.post(reverse("parcours:session_attendance", args=[session_a.pk]), {"person": person.pk})
    assert path.components.get(kind=ComponentKind.RIGHTS_DUTIES).state == ComponentState.TODO
    response = client.post(
        reverse("parcours:session_attendance", args=[session_a.pk]),
        {"person": person.pk, "attended": "1", "toggle": "1"},
        **HTMX,
    )
    assert path.components.get(kind=ComponentKind.RIGHTS_DUTIES).state == ComponentState.DONE
    assert "« Information droits et devoirs » faite" in text(response)


def test_sidd_page_explains_that_attendance_completes_the_path(login, counsellor_a, office_a, session_a):
    without_path = PersonFactory(office=office_a)
    services.attendance_set(actor=counsellor_a, session=session_a, person=without_path, attended=True)
    page = unescape(
        login(counsellor_a).get(reverse("parcours:session_detail", args=[session_a.pk])).content.decode()
    )
    assert "complète la composante « Information droits et devoirs »" in page
    assert "Pas de parcours ouvert" in page


def test_counsellor_cannot_mark_attendance_at_a_session_of_another_office(
    login, counsellor_a, office_a, session_b
):
    person = PersonFactory(office=office_a)
    response = login(counsellor_a).post(
        reverse("parcours:session_attendance", args=[session_b.pk]), {"person": person.pk, "attended": "1"}
    )
    assert response.status_code == 404
    assert not SessionAttendance.objects.exists()


def test_registering_a_person_of_another_office_is_refused_in_french(
    login, counsellor_a, office_b, session_a
):
    outsider = PersonFactory(office=office_b)
    client = login(counsellor_a)
    url = reverse("parcours:session_attendance", args=[session_a.pk])
    response = client.post(url, {"person": outsider.pk, "attended": "0"}, follow=True)
    assert "Cette personne n'est pas suivie par vos bureaux." in text(response)
    response = client.post(url, {"person": outsider.pk, "attended": "1"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#attendance-messages"
    assert "Cette personne n'est pas suivie par vos bureaux." in text(response)
    assert not SessionAttendance.objects.exists()


@pytest.mark.parametrize("person", ["", "abc", "999999"])
def test_attendance_without_a_valid_person_is_refused(login, counsellor_a, session_a, person):
    response = login(counsellor_a).post(
        reverse("parcours:session_attendance", args=[session_a.pk]), {"person": person}, follow=True
    )
    html = text(response)
    assert "Choisissez la personne à inscrire." in html or "n'est pas suivie par vos bureaux" in html
    assert not SessionAttendance.objects.exists()


def test_attendance_with_an_unknown_presence_value_is_refused(login, counsellor_a, office_a, session_a):
    person = PersonFactory(office=office_a)
    response = login(counsellor_a).post(
        reverse("parcours:session_attendance", args=[session_a.pk]),
        {"person": person.pk, "attended": "peut-être"},
        follow=True,
    )
    assert "Indiquez « présent·e » ou « absent·e »." in text(response)
    assert not SessionAttendance.objects.exists()


def test_director_reads_a_session_but_cannot_register_anyone(login, director, office_a, session_a):
    person = PersonFactory(office=office_a)
    client = login(director)
    assert client.get(reverse("parcours:session_detail", args=[session_a.pk])).status_code == 200
    response = client.post(
        reverse("parcours:session_attendance", args=[session_a.pk]), {"person": person.pk, "attended": "1"}
    )
    assert response.status_code == 403
    assert client.post(reverse("parcours:session_detail", args=[session_a.pk]), {"q": "x"}).status_code == 403
    assert not SessionAttendance.objects.exists()


def test_counsellor_of_another_office_gets_404_on_the_session(login, counsellor_b, session_a):
    assert login(counsellor_b).get(reverse("parcours:session_detail", args=[session_a.pk])).status_code == 404


def test_attendance_toggle_checks_the_csrf_token(counsellor_a, office_a, session_a):
    from tests.conftest import signed_in_client

    person = PersonFactory(office=office_a)
    services.attendance_set(actor=counsellor_a, session=session_a, person=person, attended=False)
    client = signed_in_client(counsellor_a, enforce_csrf_checks=True)
    url = reverse("parcours:session_attendance", args=[session_a.pk])
    assert client.post(url, {"person": person.pk, "attended": "1"}).status_code == 403
    page = client.get(reverse("parcours:session_detail", args=[session_a.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(url, {"person": person.pk, "attended": "1", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert SessionAttendance.objects.get(person=person).attended is True


def test_attendees_of_other_offices_are_counted_but_not_named(
    login, counsellor_a, administrator, office_a, office_b, session_a
):
    ours, theirs = PersonFactory(office=office_a), PersonFactory(office=office_b, last_name="Zyxwvuts")
    services.attendance_set(actor=counsellor_a, session=session_a, person=ours, attended=True)
    services.attendance_set(actor=administrator, session=session_a, person=theirs, attended=True)
    page = unescape(
        login(counsellor_a).get(reverse("parcours:session_detail", args=[session_a.pk])).content.decode()
    )
    assert str(ours) in page
    assert "Zyxwvuts" not in page
    assert "Et 1 personne d'un autre bureau" in page


# Searching a person to register (a POST: a national number never lands in a URL)


def test_search_lists_only_people_the_user_follows(login, counsellor_a, office_a, office_b, session_a):
    mine = PersonFactory(office=office_a, first_name="Amina", last_name="Haddad")
    PersonFactory(office=office_b, first_name="Amira", last_name="Haddad")
    response = login(counsellor_a).post(
        reverse("parcours:session_detail", args=[session_a.pk]), {"q": "haddad"}, **HTMX
    )
    html = text(response)
    assert "<html" not in html
    assert "HADDAD Amina" in html and "Amira" not in html
    assert "Inscrire" in html
    assert f'name="person" value="{mine.pk}"' in html


def test_search_marks_people_already_registered(login, counsellor_a, office_a, session_a):
    person = PersonFactory(office=office_a, first_name="Amina", last_name="Haddad")
    services.attendance_set(actor=counsellor_a, session=session_a, person=person, attended=False)
    page = (
        login(counsellor_a)
        .post(reverse("parcours:session_detail", args=[session_a.pk]), {"q": "Haddad"})
        .content.decode()
    )
    assert "<html" in page  # without HTMX: the whole page, with the results
    assert "déjà inscrit·e" in page


def test_search_without_match_says_what_to_do(login, counsellor_a, session_a):
    html = (
        login(counsellor_a)
        .post(reverse("parcours:session_detail", args=[session_a.pk]), {"q": "Inconnu"}, **HTMX)
        .content.decode()
    )
    assert "Aucune personne suivie par vos bureaux ne correspond" in html


# The list


def test_list_shows_the_sessions_of_the_counsellors_offices_with_their_counts(
    login, counsellor_a, office_a, session_a, session_b
):
    for attended in (True, False, False):
        services.attendance_set(
            actor=counsellor_a, session=session_a, person=PersonFactory(office=office_a), attended=attended
        )
    response = login(counsellor_a).get(reverse("parcours:session_list"))
    sessions = list(response.context["sessions"])
    assert sessions == [session_a]
    assert (sessions[0].registered_count, sessions[0].present_count) == (3, 1)
    assert timezone.localtime(session_a.starts_at).strftime("%d/%m/%Y %H:%M") in text(response)


def test_director_lists_every_office(login, director, session_a, session_b):
    response = login(director).get(reverse("parcours:session_list"))
    assert set(response.context["sessions"]) == {session_a, session_b}


@pytest.mark.parametrize("persona", ["coordinator", "commune_agent"])
def test_list_is_refused_to_roles_outside_the_first_line(persona_client, persona):
    assert persona_client(persona).get(reverse("parcours:session_list")).status_code == 403


def test_list_filters_by_kind_period_and_dates(login, counsellor_a, office_a):
    sidd = make_session(counsellor_a, office_a, kind=SessionKind.SIDD, days=5)
    isp_past = make_session(counsellor_a, office_a, kind=SessionKind.ISP, days=-20)
    client = login(counsellor_a)
    url = reverse("parcours:session_list")
    assert list(client.get(url, {"kind": "isp"}).context["sessions"]) == [isp_past]
    assert list(client.get(url, {"when": "a_venir"}).context["sessions"]) == [sidd]
    assert list(client.get(url, {"when": "passees"}).context["sessions"]) == [isp_past]
    day = timezone.localtime(isp_past.starts_at).date().isoformat()
    assert list(client.get(url, {"date_from": day, "date_to": day}).context["sessions"]) == [isp_past]


def test_list_sorts_by_registered_count(login, counsellor_a, office_a):
    small = make_session(counsellor_a, office_a, days=1)
    big = make_session(counsellor_a, office_a, days=2)
    for _ in range(2):
        services.attendance_set(
            actor=counsellor_a, session=big, person=PersonFactory(office=office_a), attended=False
        )
    client = login(counsellor_a)
    url = reverse("parcours:session_list")
    assert list(client.get(url, {"tri": "-inscrits"}).context["sessions"]) == [big, small]
    assert list(client.get(url, {"tri": "inscrits"}).context["sessions"]) == [small, big]


def test_list_paginates_by_25(login, counsellor_a, office_a):
    for day in range(27):
        make_session(counsellor_a, office_a, days=day + 1)
    client = login(counsellor_a)
    assert len(client.get(reverse("parcours:session_list")).context["sessions"]) == 25
    assert len(client.get(reverse("parcours:session_list"), {"page": 2}).context["sessions"]) == 2


def test_empty_list_offers_to_plan_a_session(login, counsellor_a):
    page = unescape(login(counsellor_a).get(reverse("parcours:session_list")).content.decode())
    assert "Aucune séance collective n'est encore enregistrée" in page
    assert reverse("parcours:session_create") in page
    assert "Tous les types" in page and "À venir et passées" in page and "---------" not in page


def test_htmx_filter_answers_with_the_results_fragment(login, counsellor_a, session_a):
    html = (
        login(counsellor_a).get(reverse("parcours:session_list"), {"kind": "sidd"}, **HTMX).content.decode()
    )
    assert 'id="session-results"' in html and "<html" not in html


def test_list_and_pages_have_no_inline_script_or_handler(login, counsellor_a, office_a, session_a):
    client = login(counsellor_a)
    services.attendance_set(
        actor=counsellor_a, session=session_a, person=PersonFactory(office=office_a), attended=False
    )
    for url in (
        reverse("parcours:session_list"),
        reverse("parcours:session_create"),
        reverse("parcours:session_detail", args=[session_a.pk]),
    ):
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert not re.search(r"\son[a-z]+=", html)
        assert " style=" not in html


# Query budgets: the same with a few rows and many. Sign-in and session (4), the count, the office
# choices of the filters, the page of rows (or the session and its attendances), the session save.
QUERY_BUDGET = 9


def _sessions_with_attendees(counsellor, office, count):
    people = PersonFactory.create_batch(3, office=office)
    facilitator = UserFactory(role="counsellor", offices=[office])
    for index in range(count):
        session = make_session(counsellor, office, days=index + 1, facilitator=facilitator)
        for person in people:
            SessionAttendance.objects.create(session=session, person=person, attended=index % 2 == 0)


@pytest.mark.parametrize("count", [3, 40])
def test_session_list_query_count_does_not_grow_with_rows(
    login, counsellor_a, office_a, django_assert_max_num_queries, count
):
    _sessions_with_attendees(counsellor_a, office_a, count)
    client = login(counsellor_a)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(reverse("parcours:session_list"))
    assert len(response.context["sessions"]) == min(count, 25)


@pytest.mark.parametrize("count", [3, 40])
def test_session_detail_query_count_does_not_grow_with_attendees(
    login, counsellor_a, office_a, django_assert_max_num_queries, count
):
    session = make_session(counsellor_a, office_a)
    for person in PersonFactory.create_batch(count, office=office_a):
        SessionAttendance.objects.create(session=session, person=person, attended=True)
    client = login(counsellor_a)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(reverse("parcours:session_detail", args=[session.pk]))
    assert len(response.context["attendances"]) == count


# The partial for the person file


def test_person_sessions_partial_lists_the_sessions_with_links_only_when_visible(
    counsellor_a,
    counsellor_b,
    administrator,
    office_a,
    office_b,
    session_a,
    session_b,
    django_assert_max_num_queries,
):
    person = PersonFactory(office=office_a)
    services.attendance_set(actor=counsellor_a, session=session_a, person=person, attended=True)
    services.attendance_set(actor=administrator, session=session_b, person=person, attended=False)
    request = RequestFactory().get("/")
    request.user = counsellor_a
    with django_assert_max_num_queries(2):
        html = render_to_string(
            "parcours/partials/person_sessions.html",
            {"person": person, "person_sessions": person_session_rows(user=counsellor_a, person=person)},
            request=request,
        )
    assert session_a.get_absolute_url() in html
    assert session_b.get_absolute_url() not in html  # another office's session: no link that would 404
    assert "Dinant" in html and "présent·e" in html
