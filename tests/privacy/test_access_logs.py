"""The director's access logs: per file and per user (who, role, office, when, IP, override and reason)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accompagnement import services as people_services
from accompagnement.models import AccessOverride
from tests.factories import PersonFactory
from tests.privacy.auditrows import local, open_file, open_files

pytestmark = pytest.mark.django_db

REASON = "La personne se présente à la permanence de Namur."


def person_log_url(person, **params):
    from urllib.parse import urlencode

    url = reverse("privacy:person_access_log", args=[person.pk])
    return f"{url}?{urlencode(params)}" if params else url


USER_LOG_URL = reverse("privacy:user_access_log")


@pytest.fixture
def dinant_file(office_b):
    return PersonFactory(office=office_b, first_name="Yara", last_name="Haddad")


def test_the_file_log_names_who_opened_it_and_the_override_reason(
    login, director, counsellor_a, counsellor_b, dinant_file
):
    override = people_services.access_override_grant(user=counsellor_a, person=dinant_file, reason=REASON)
    assert (
        login(counsellor_a).get(reverse("accompagnement:person_detail", args=[dinant_file.pk])).status_code
        == 200
    )
    open_file(counsellor_b, dinant_file, timezone.now() - dt.timedelta(hours=1))

    response = login(director).get(person_log_url(dinant_file, type="consultation"))
    content = response.content.decode()
    assert response.status_code == 200
    entries = list(response.context["entries"])
    assert [entry.actor for entry in entries] == [counsellor_a, counsellor_b]
    assert entries[0].override == override and entries[1].override is None
    assert REASON in content
    assert "Alice Martin" in content and "Bob Lambert" in content
    assert (
        "Conseiller" in content or "Accompagnat" in content or entries[0].actor.get_role_display() in content
    )
    assert "Namur" in content and "Dinant" in content  # the openers' offices
    assert "192.0.2.10" in content


def test_the_file_log_lists_the_exports_that_contained_it(login, director, counsellor_b, dinant_file):
    other = PersonFactory(office=dinant_file.office)
    people_services.person_export_record(actor=counsellor_b, export="Liste test", people_ids=[dinant_file.pk])
    people_services.person_export_record(actor=counsellor_b, export="Autre liste", people_ids=[other.pk])
    open_file(counsellor_b, dinant_file, timezone.now())

    response = login(director).get(person_log_url(dinant_file, type="export"))
    entries = list(response.context["entries"])
    assert [entry.export for entry in entries] == ["Liste test"]
    assert "Liste test" in response.content.decode()


def test_the_file_log_filters_by_period(login, director, counsellor_b, dinant_file):
    open_file(counsellor_b, dinant_file, local(dt.date(2026, 10, 5)))
    open_file(counsellor_b, dinant_file, local(dt.date(2026, 11, 5)))
    response = login(director).get(person_log_url(dinant_file, du="01/11/2026", au="10/11/2026"))
    assert [entry.timestamp.date() for entry in response.context["entries"]] == [dt.date(2026, 11, 5)]


def test_a_bad_period_says_which_field(login, director, dinant_file):
    response = login(director).get(person_log_url(dinant_file, du="demain", au="01/01/2026"))
    assert response.status_code == 200
    assert "Saisissez une date au format jj/mm/aaaa." in response.content.decode()


def test_the_logs_are_for_the_director_and_administrators(login, counsellor_b, coordinator, dinant_file):
    for user in (counsellor_b, coordinator):
        assert login(user).get(person_log_url(dinant_file)).status_code == 403
        assert login(user).get(USER_LOG_URL).status_code == 403


def test_a_missing_file_log_answers_404(login, director):
    assert login(director).get(reverse("privacy:person_access_log", args=[999999])).status_code == 404


def test_the_file_log_is_a_fixed_number_of_queries(
    django_assert_max_num_queries, login, director, dinant_file
):
    from cai.choices import Role
    from tests.factories import UserFactory, office

    client = login(director)
    users = [
        UserFactory(username=f"u{i}", role=Role.COUNSELLOR, offices=[office("namur"), office("dinant")])
        for i in range(15)
    ]

    def override_for(user):
        return AccessOverride.objects.create(
            user=user,
            person=dinant_file,
            reason=REASON,
            granted_at=timezone.now(),
            expires_at=timezone.now() + dt.timedelta(hours=1),
        )

    open_file(users[0], dinant_file, timezone.now(), override=override_for(users[0]).pk)
    with django_assert_max_num_queries(14) as few:
        assert client.get(person_log_url(dinant_file)).status_code == 200
    for user in users:
        open_file(user, dinant_file, timezone.now(), override=override_for(user).pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(person_log_url(dinant_file))
    assert len(response.context["entries"]) == 17  # 16 openings and the file's creation


def test_the_user_log_has_a_staff_picker_and_counts_per_week(
    login, director, counsellor_a, commune_agent, office_a
):
    people = PersonFactory.create_batch(3, office=office_a)
    open_files(counsellor_a, people, local(dt.date(2026, 11, 10)))  # week of Monday 9 November
    open_files(counsellor_a, people[:1], local(dt.date(2026, 11, 11)))
    open_files(counsellor_a, people[:2], local(dt.date(2026, 11, 2)))  # week of Monday 2 November

    client = login(director)
    page = client.get(USER_LOG_URL)
    assert page.status_code == 200
    choices = [str(label) for _value, label in page.context["filter_form"].fields["utilisateur"].choices]
    assert "Alice Martin" in choices and str(commune_agent) not in choices
    assert "Choisissez une personne de l'équipe" in page.content.decode()

    response = client.get(USER_LOG_URL, {"utilisateur": counsellor_a.pk})
    weeks = {row["week"]: (row["files"], row["openings"]) for row in response.context["weeks"]}
    assert weeks == {dt.date(2026, 11, 9): (3, 4), dt.date(2026, 11, 2): (2, 2)}
    assert len(response.context["entries"]) == 6
    assert all(entry.person.office == office_a for entry in response.context["entries"])


def test_the_user_log_rejects_an_unknown_user_with_a_message(login, director, commune_agent):
    response = login(director).get(USER_LOG_URL, {"utilisateur": commune_agent.pk})
    assert response.status_code == 200
    assert "Choisissez une personne de l&#x27;équipe dans la liste." in response.content.decode()
    assert list(response.context["entries"]) == []


def test_the_user_log_is_a_fixed_number_of_queries(
    django_assert_max_num_queries, login, director, counsellor_a, office_a
):
    client = login(director)
    open_files(counsellor_a, PersonFactory.create_batch(2, office=office_a), timezone.now())
    with django_assert_max_num_queries(16) as few:
        client.get(USER_LOG_URL, {"utilisateur": counsellor_a.pk})
    open_files(counsellor_a, PersonFactory.create_batch(40, office=office_a), timezone.now())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(USER_LOG_URL, {"utilisateur": counsellor_a.pk})
    assert len(response.context["entries"]) == 42


def test_an_export_writes_one_audit_row_naming_its_files(counsellor_a, office_a):
    from auditlog.models import LogEntry

    people = PersonFactory.create_batch(3, office=office_a)
    row = people_services.person_export_record(
        actor=counsellor_a, export="Personnes (CSV)", people_ids=[p.pk for p in people]
    )
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == 1
    assert row.actor == counsellor_a
    assert row.additional_data == {
        "export": "Personnes (CSV)",
        "people": sorted(p.pk for p in people),
        "count": 3,
    }


def test_the_api_audits_each_file_read_and_each_page_of_people(counsellor_a, office_a):
    from auditlog.models import LogEntry
    from rest_framework.test import APIClient

    from accompagnement.api.views import API_LIST_EXPORT, API_SEARCH_EXPORT

    people = PersonFactory.create_batch(3, office=office_a, last_name="Haddad")
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=counsellor_a)[0].key}")
    accesses = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)

    assert client.get(f"/api/people/{people[0].pk}/").status_code == 200
    opened = accesses.get()
    assert (opened.object_id, opened.actor, opened.additional_data) == (
        people[0].pk,
        counsellor_a,
        {"api": True},
    )

    assert client.get("/api/people/").status_code == 200
    listed = accesses.get(object_id__isnull=True)
    assert listed.additional_data["export"] == API_LIST_EXPORT
    assert listed.additional_data["people"] == sorted(p.pk for p in people)

    assert client.post("/api/people/search/", {"q": "Haddad"}, format="json").status_code == 200
    assert accesses.filter(additional_data__export=API_SEARCH_EXPORT).count() == 1
    assert accesses.count() == 3


def test_the_audit_log_filters_on_a_user_picked_from_a_list(
    login, director, counsellor_a, counsellor_b, dinant_file
):
    open_file(counsellor_a, dinant_file, timezone.now())
    open_file(counsellor_b, dinant_file, timezone.now())
    response = login(director).get(reverse("audit_log"), {"acteur": counsellor_a.pk})
    content = response.content.decode()
    assert f'<option value="{counsellor_a.pk}" selected>Alice Martin</option>' in content
    assert {entry.actor for entry in response.context["entries"]} == {counsellor_a}
