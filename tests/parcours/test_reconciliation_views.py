"""Reconciliation of the communes' lists by the centre: the incoming lists with the communes that sent
none, one list with its rows and candidate files, linking / opening a file / setting aside a row (HTMX
and plain POST), the bulk action, the yearly figures and their CSV export, and who may do what."""

import csv
import datetime as dt
import io
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accompagnement.models import Commune, Person
from cai.choices import Role
from cai.navigation import navigation_for
from parcours import list_services
from parcours.models import ListStatus, NewcomerList, NewcomerListRow, RowMatch
from tests.conftest import signed_in_client
from tests.factories import AppointmentFactory, PersonFactory, UserFactory, commune, office

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
YEAR = timezone.localdate().year
START, END = dt.date(YEAR, 1, 1), dt.date(YEAR, 1, 31)
LIST_URL = reverse("parcours:reconcile_list")
FIGURES_URL = reverse("parcours:reconcile_figures")
CSV_URL = reverse("parcours:reconcile_figures_csv")
LIST_QUERY_BUDGET = 15  # session, user, device, counts, 2 x (communes + agents), 2 selects, page, save
DETAIL_QUERY_BUDGET = (
    14  # session, user, device, list, count, page, pending, 2 candidates, offices, counts, save
)

HADDAD = {
    "last_name": "HADDAD",
    "first_name": "Yara",
    "birth_date": "30/07/1985",
    "sex": "M",
    "nationality": "Syrie",
    "national_number": "85.07.30-033.28",
    "postal_code": "5000",
    "locality": "Namur",
    "registration_date": f"03/01/{YEAR}",
    "residence_card": "B",
    "residence_ordered_on": f"02/01/{YEAR}",
}
DIALLO = {
    "last_name": "DIALLO",
    "first_name": "Amina",
    "birth_date": "02/01/1990",
    "sex": "F",
    "nationality": "Guinée",
    "postal_code": "5000",
    "registration_date": f"10/01/{YEAR}",
    "residence_card": "A",
    "residence_ordered_on": f"05/01/{YEAR}",
}
NGUYEN = {
    "last_name": "NGUYEN",
    "first_name": "Minh",
    "birth_date": "14/11/1992",
    "sex": "F",
    "nationality": "Viêt Nam",
    "postal_code": "5000",
    "registration_date": f"12/01/{YEAR}",
    "residence_card": "A",
    "residence_ordered_on": f"08/01/{YEAR}",
}


def in_dinant(row: dict) -> dict:
    return {**row, "postal_code": "5500", "locality": "Dinant"}


def text(response) -> str:
    return unescape(response.content.decode())


def submit(agent, rows, *, commune_name="Namur", start=START, end=END) -> NewcomerList:
    newcomer_list, _ = list_services.newcomer_list_submit(
        actor=agent,
        commune=commune(commune_name),
        period_start=start,
        period_end=end,
        rows=rows,
        source="form",
    )
    return newcomer_list


def rows_by_name(newcomer_list) -> dict[str, NewcomerListRow]:
    return {row.last_name: row for row in newcomer_list.rows.all()}


def make_list(*, by, commune_name="Namur", count=3, start=START, end=END) -> NewcomerList:
    """A list built directly (no validation), for the tests that need many rows or lists."""
    place = commune(commune_name)
    newcomer_list = NewcomerList.objects.create(
        commune=place,
        period_start=start,
        period_end=end,
        source="file",
        file_name="liste.csv",
        submitted_by=by,
        submitted_at=timezone.now(),
        row_count=count,
    )
    NewcomerListRow.objects.bulk_create(
        NewcomerListRow(
            newcomer_list=newcomer_list,
            number=number,
            last_name=f"Nom{chr(65 + number % 26)}{chr(65 + number // 26)}",
            first_name="Personne",
            birth_date=dt.date(1970 + number % 30, 1 + number % 12, 1 + number % 28),
            sex="F",
            nationality="SY",
            national_number=f"{number:011d}" if number % 4 == 0 else "",
            registration_date=start,
            computed_status="oblige",
            computed_reason="primo_arrivant_majeur",
            office=place.office,
        )
        for number in range(1, count + 1)
    )
    return newcomer_list


@pytest.fixture
def path_coordinator(db):
    return UserFactory(username="paula", role=Role.COORDINATOR, path_coordination=True)


@pytest.fixture
def coordinator_client(path_coordinator):
    return signed_in_client(path_coordinator)


@pytest.fixture
def namur_list(commune_agent):
    return submit(commune_agent, [HADDAD, DIALLO, NGUYEN])


@pytest.fixture
def existing_haddad(office_b):
    """A file of another office with the same national number as the HADDAD row, and details the
    coordinator must never see."""
    return PersonFactory(
        last_name="Haddad",
        first_name="Yara",
        national_number="85073003328",
        birth_date=dt.date(1985, 7, 30),
        sex="M",
        office=office_b,
        phone="0470 99 88 77",
        street="Rue Secrète",
        email="yara.haddad@example.org",
    )


@pytest.fixture
def existing_diallo(office_a):
    """A file whose name is close to the DIALLO row's, with the same birth date."""
    return PersonFactory(
        last_name="Dialo", first_name="Aminah", birth_date=dt.date(1990, 1, 2), office=office_a
    )


def row_url(newcomer_list, row) -> str:
    return reverse("parcours:reconcile_row", args=[newcomer_list.pk, row.pk])


# Who may see the pages


@pytest.mark.parametrize("persona", ["counsellor_a", "coordinator", "commune_agent", "commune_agent_other"])
def test_other_roles_get_403_on_every_page(persona, request, namur_list):
    client = signed_in_client(request.getfixturevalue(persona))
    row = namur_list.rows.first()
    for url in (
        LIST_URL,
        reverse("parcours:reconcile_detail", args=[namur_list.pk]),
        FIGURES_URL,
        CSV_URL,
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(row_url(namur_list, row), {"action": "ecarter"}).status_code == 403
    assert client.post(reverse("parcours:reconcile_bulk_create", args=[namur_list.pk])).status_code == 403
    row.refresh_from_db()
    assert row.match == RowMatch.PENDING


def test_anonymous_is_sent_to_the_sign_in_page():
    response = Client().get(LIST_URL)
    assert response.status_code == 302 and response.url.startswith("/connexion/")


@pytest.mark.parametrize("persona", ["path_coordinator", "director", "administrator"])
def test_path_coordinators_and_administrators_open_every_page(persona, request, namur_list):
    client = signed_in_client(request.getfixturevalue(persona))
    for url in (LIST_URL, reverse("parcours:reconcile_detail", args=[namur_list.pk]), FIGURES_URL, CSV_URL):
        assert client.get(url).status_code == 200, url


def test_a_missing_list_or_a_row_of_another_list_answers_404(
    coordinator_client, namur_list, commune_agent_other
):
    other = submit(commune_agent_other, [in_dinant(DIALLO)], commune_name="Dinant")
    assert coordinator_client.get(reverse("parcours:reconcile_detail", args=[999999])).status_code == 404
    foreign_row = other.rows.get()
    response = coordinator_client.post(row_url(namur_list, foreign_row), {"action": "ecarter"})
    assert response.status_code == 404
    foreign_row.refresh_from_db()
    assert foreign_row.match == RowMatch.PENDING


def test_the_menu_shows_the_lists_only_to_those_who_reconcile(coordinator, path_coordinator, director):
    def labels(user):
        return [str(item["label"]) for item in navigation_for(user)]

    assert "Listes communales" not in labels(coordinator)
    assert "Listes communales" in labels(path_coordinator)
    assert "Listes communales" in labels(director)


# The incoming lists


def test_list_page_shows_the_lists_the_pending_total_and_the_communes_without_a_list(
    coordinator_client, commune_agent, commune_agent_other
):
    today = timezone.localdate()
    month_start = today.replace(day=1)
    submit(commune_agent, [HADDAD, DIALLO], start=month_start, end=today)
    response = coordinator_client.get(LIST_URL)
    page = text(response)
    assert response.status_code == 200
    assert "Namur" in page and f"{month_start:%d/%m/%Y} – {today:%d/%m/%Y}" in page
    assert response.context["pending_total"] == 2
    current, previous = response.context["missing_months"]
    current_names = [c.name for c in current["communes"]]
    assert "Namur" not in current_names and "Dinant" in current_names
    assert "Namur" in [c.name for c in previous["communes"]]
    dinant = next(c for c in current["communes"] if c.name == "Dinant")
    assert dinant.office.name == "Dinant" and len(dinant.agents.all()) == 1
    assert "Communes sans liste" in page


def test_lists_filter_by_commune_office_period_and_state(
    coordinator_client, commune_agent, commune_agent_other, administrator
):
    namur = submit(commune_agent, [HADDAD])
    dinant = submit(
        commune_agent_other,
        [in_dinant(DIALLO)],
        commune_name="Dinant",
        start=dt.date(YEAR, 3, 1),
        end=dt.date(YEAR, 3, 31),
    )
    last_year = make_list(
        by=administrator, count=1, start=dt.date(YEAR - 1, 6, 1), end=dt.date(YEAR - 1, 6, 30)
    )
    list_services.row_reject(actor=administrator, row=dinant.rows.get())

    def shown(**params):
        response = coordinator_client.get(LIST_URL, params)
        assert response.status_code == 200
        return {item.pk for item in response.context["lists"]}

    assert shown() == {namur.pk, dinant.pk, last_year.pk}
    assert shown(commune=commune("Dinant").pk) == {dinant.pk}
    assert shown(office=office("namur").pk) == {namur.pk, last_year.pk}
    assert shown(annee=YEAR) == {namur.pk, dinant.pk}
    assert shown(annee=YEAR, mois=3) == {dinant.pk}
    assert shown(etat="a_traiter") == {namur.pk, last_year.pk}
    assert shown(etat="traitees") == {dinant.pk}


def test_an_invalid_filter_is_reported_in_french_not_a_500(coordinator_client, namur_list):
    response = coordinator_client.get(LIST_URL, {"annee": "deux-mille", "etat": "n'importe"})
    assert response.status_code == 200
    assert "Certains filtres ne sont pas valides" in text(response)


def test_lists_sort_by_pending_rows_and_paginate_by_25(coordinator_client, administrator):
    lists = [make_list(by=administrator, count=1 + n % 3) for n in range(27)]
    response = coordinator_client.get(LIST_URL, {"tri": "-a_traiter"})
    shown = list(response.context["lists"])
    assert len(shown) == 25 and response.context["paginator"].count == 27
    assert shown[0].pending_count == 3 and shown[-1].pending_count <= shown[0].pending_count
    second = coordinator_client.get(LIST_URL, {"tri": "-a_traiter", "page": 2})
    assert len(second.context["lists"]) == 2
    assert {item.pk for item in shown} | {item.pk for item in second.context["lists"]} == {
        item.pk for item in lists
    }


def test_an_htmx_filter_request_returns_only_the_results(coordinator_client, namur_list):
    response = coordinator_client.get(LIST_URL, {"etat": "a_traiter"}, **HTMX)
    page = text(response)
    assert 'id="reconcile-results"' in page and "<html" not in page and "Communes sans liste" not in page


def test_the_empty_list_page_says_what_comes_next(coordinator_client):
    page = text(coordinator_client.get(LIST_URL))
    assert "Aucune commune n'a encore transmis de liste." in page


@pytest.mark.parametrize("count", [3, 40])
def test_list_page_query_count_does_not_grow_with_lists(
    coordinator_client, administrator, django_assert_max_num_queries, count
):
    for _ in range(count):
        make_list(by=administrator, count=2)
    with django_assert_max_num_queries(LIST_QUERY_BUDGET):
        response = coordinator_client.get(LIST_URL)
    assert len(response.context["lists"]) == min(count, 25)


# One list


def test_detail_shows_rows_statuses_proposed_office_and_candidates_with_their_reason(
    coordinator_client, namur_list, existing_haddad, existing_diallo
):
    response = coordinator_client.get(reverse("parcours:reconcile_detail", args=[namur_list.pk]))
    page = text(response)
    assert response.status_code == 200
    assert "HADDAD" in page and "DIALLO" in page and "NGUYEN" in page
    assert "Obligé·e" in page and "Primo-arrivant·e de 18 à 64 ans" in page
    assert "même numéro" in page
    assert re.search(r"nom proche, même date de naissance \(0,\d\d\)", page)
    assert "Aucun dossier existant ne correspond." in page  # NGUYEN
    assert "bureau de Dinant" in page  # the office of the HADDAD candidate
    items = {item["row"].last_name: item for item in response.context["items"]}
    assert [c["id"] for c in items["HADDAD"]["candidates"]] == [existing_haddad.pk]
    assert [c["id"] for c in items["DIALLO"]["candidates"]] == [existing_diallo.pk]
    assert response.context["without_candidate"] == 1


def test_detail_never_shows_other_fields_of_existing_files(coordinator_client, namur_list, existing_haddad):
    page = text(coordinator_client.get(reverse("parcours:reconcile_detail", args=[namur_list.pk])))
    assert "bureau de Dinant" in page  # the candidate's office is shown
    for secret in ("0470 99 88 77", "Rue Secrète", "yara.haddad@example.org"):
        assert secret not in page


def test_detail_page_has_no_inline_script_or_handler(coordinator_client, namur_list):
    page = text(coordinator_client.get(reverse("parcours:reconcile_detail", args=[namur_list.pk])))
    assert "<script>" not in page and "onclick" not in page and "style=" not in page


@pytest.mark.parametrize("count", [3, 40])
def test_detail_query_count_does_not_grow_with_rows(
    coordinator_client, administrator, office_a, django_assert_max_num_queries, count
):
    newcomer_list = make_list(by=administrator, count=count)
    rows = list(newcomer_list.rows.all())
    for row in rows[::3]:  # candidates by name and birth date
        PersonFactory(
            last_name=row.last_name, first_name="Personne", birth_date=row.birth_date, office=office_a
        )
    for row in rows:
        if row.national_number:  # and by number
            PersonFactory(
                national_number=row.national_number, birth_date=dt.date(1960, 1, 1), office=office_a
            )
    list_services.row_reject(actor=administrator, row=rows[1])  # a processed row, with who and when
    with django_assert_max_num_queries(DETAIL_QUERY_BUDGET):
        response = coordinator_client.get(reverse("parcours:reconcile_detail", args=[newcomer_list.pk]))
    assert len(response.context["items"]) == count
    assert any(item["candidates"] for item in response.context["items"])


def test_a_long_list_is_paged_with_the_rows_to_process_first(coordinator_client, administrator):
    newcomer_list = make_list(by=administrator, count=120)
    processed = list(newcomer_list.rows.order_by("number")[:10])
    for row in processed:
        list_services.row_reject(actor=administrator, row=row)
    url = reverse("parcours:reconcile_detail", args=[newcomer_list.pk])
    first = coordinator_client.get(url)
    numbers = [item["row"].number for item in first.context["items"]]
    assert numbers == list(range(11, 61))  # 50 a page, pending rows first, in list order
    assert "Page 1 sur 3" in text(first)
    last = coordinator_client.get(url, {"page": 3})
    assert [item["row"].number for item in last.context["items"]] == [*range(111, 121), *range(1, 11)]
    # the button acts on every pending row without a candidate, not only on those of the page
    assert first.context["without_candidate"] == 110
    assert coordinator_client.get(url, {"page": 99}).context["page_obj"].number == 3  # the nearest page


def test_the_rows_shown_can_be_only_those_to_process_or_only_those_processed(
    coordinator_client, administrator
):
    newcomer_list = make_list(by=administrator, count=4)
    first_row = newcomer_list.rows.get(number=1)
    list_services.row_reject(actor=administrator, row=first_row)
    url = reverse("parcours:reconcile_detail", args=[newcomer_list.pk])

    def shown(**params):
        return [item["row"].number for item in coordinator_client.get(url, params).context["items"]]

    assert shown(lignes="a-traiter") == [2, 3, 4]
    assert shown(lignes="traitees") == [1]
    assert shown(lignes="n-importe-quoi") == [2, 3, 4, 1]
    for row in newcomer_list.rows.exclude(pk=first_row.pk):
        list_services.row_reject(actor=administrator, row=row)
    page = text(coordinator_client.get(url, {"lignes": "a-traiter"}))
    assert "Toutes les lignes de cette liste ont été traitées." in page


# Row actions


def test_linking_a_row_to_a_candidate_through_htmx_returns_the_updated_row(
    coordinator_client, path_coordinator, namur_list, existing_haddad
):
    row = rows_by_name(namur_list)["HADDAD"]
    response = coordinator_client.post(
        row_url(namur_list, row), {"action": "rattacher", "candidate": existing_haddad.pk}, **HTMX
    )
    page = text(response)
    assert response.status_code == 200
    assert f'id="row-{row.pk}"' in page and "Rattachée à un dossier existant" in page
    assert 'hx-swap-oob="true"' in page and "2 lignes à traiter" in page
    row.refresh_from_db()
    existing_haddad.refresh_from_db()
    assert (
        row.match == RowMatch.LINKED and row.person == existing_haddad and row.matched_by == path_coordinator
    )
    assert existing_haddad.referral == "commune" and existing_haddad.referral_detail == "Namur"


def test_a_forged_candidate_id_is_refused_and_nothing_is_saved(
    coordinator_client, namur_list, existing_haddad, office_a
):
    stranger = PersonFactory(office=office_a, last_name="Autre")
    row = rows_by_name(namur_list)["HADDAD"]
    response = coordinator_client.post(
        row_url(namur_list, row), {"action": "rattacher", "candidate": stranger.pk}, **HTMX
    )
    assert response.status_code == 200
    assert "Cette personne ne fait pas partie des dossiers proposés pour cette ligne." in text(response)
    row.refresh_from_db()
    stranger.refresh_from_db()
    assert row.match == RowMatch.PENDING and row.person is None and stranger.referral != "commune"


def test_linking_without_a_candidate_or_with_a_bad_one_names_the_problem(coordinator_client, namur_list):
    row = rows_by_name(namur_list)["NGUYEN"]
    for data, message in (
        ({"action": "rattacher"}, "Choisissez le dossier auquel rattacher la ligne."),
        ({"action": "rattacher", "candidate": "abc"}, "Choisissez un des dossiers proposés."),
        ({"action": "supprimer"}, "Cette action n'existe pas."),
        ({}, "Choisissez une action."),
    ):
        response = coordinator_client.post(row_url(namur_list, row), data, **HTMX)
        assert response.status_code == 200 and message in text(response), data
    row.refresh_from_db()
    assert row.match == RowMatch.PENDING


def test_opening_a_file_from_a_row_in_the_chosen_office(coordinator_client, namur_list, office_b):
    row = rows_by_name(namur_list)["NGUYEN"]
    response = coordinator_client.post(
        row_url(namur_list, row), {"action": "ouvrir", "office": office_b.pk}, **HTMX
    )
    assert response.status_code == 200 and "Nouveau dossier ouvert" in text(response)
    row.refresh_from_db()
    person = Person.objects.get(last_name="NGUYEN")
    assert row.match == RowMatch.CREATED and row.person == person
    assert person.office == office_b and person.referral == "commune" and person.commune.name == "Namur"


def test_opening_a_file_defaults_to_the_proposed_office(coordinator_client, namur_list):
    row = rows_by_name(namur_list)["NGUYEN"]
    detail = text(coordinator_client.get(reverse("parcours:reconcile_detail", args=[namur_list.pk])))
    assert re.search(rf'<option value="{row.office_id}" selected>Namur</option>', detail)
    coordinator_client.post(row_url(namur_list, row), {"action": "ouvrir"})
    assert Person.objects.get(last_name="NGUYEN").office.slug == "namur"


def test_an_unknown_office_is_refused_in_french(coordinator_client, namur_list):
    row = rows_by_name(namur_list)["NGUYEN"]
    response = coordinator_client.post(
        row_url(namur_list, row), {"action": "ouvrir", "office": 999999}, **HTMX
    )
    assert "Ce bureau n'existe pas." in text(response)
    assert not Person.objects.filter(last_name="NGUYEN").exists()


def test_rejecting_a_row_with_a_plain_post_redirects_with_a_message(coordinator_client, namur_list):
    row = rows_by_name(namur_list)["NGUYEN"]
    response = coordinator_client.post(row_url(namur_list, row), {"action": "ecarter"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("parcours:reconcile_detail", args=[namur_list.pk])
    assert f"Ligne {row.number} traitée." in text(response)
    row.refresh_from_db()
    assert row.match == RowMatch.REJECTED


def test_a_processed_row_cannot_be_processed_again(coordinator_client, namur_list, existing_haddad):
    row = rows_by_name(namur_list)["HADDAD"]
    coordinator_client.post(row_url(namur_list, row), {"action": "ecarter"})
    for data in (
        {"action": "ecarter"},
        {"action": "ouvrir"},
        {"action": "rattacher", "candidate": existing_haddad.pk},
    ):
        response = coordinator_client.post(row_url(namur_list, row), data, **HTMX)
        assert "Cette ligne a déjà été traitée." in text(response), data
    row.refresh_from_db()
    assert row.match == RowMatch.REJECTED and row.person is None
    assert not Person.objects.filter(last_name="HADDAD").exists()


def test_processing_the_last_row_closes_the_list(coordinator_client, commune_agent):
    newcomer_list = submit(commune_agent, [NGUYEN])
    coordinator_client.post(row_url(newcomer_list, newcomer_list.rows.get()), {"action": "ecarter"})
    newcomer_list.refresh_from_db()
    assert newcomer_list.status == ListStatus.RECONCILED


def test_row_actions_need_the_csrf_token(path_coordinator, namur_list):
    client = signed_in_client(path_coordinator, enforce_csrf_checks=True)
    row = rows_by_name(namur_list)["NGUYEN"]
    assert client.post(row_url(namur_list, row), {"action": "ecarter"}).status_code == 403
    row.refresh_from_db()
    assert row.match == RowMatch.PENDING


# Bulk action


def test_bulk_opens_a_file_for_every_row_without_a_candidate_only(
    coordinator_client, namur_list, existing_haddad, existing_diallo
):
    response = coordinator_client.post(
        reverse("parcours:reconcile_bulk_create", args=[namur_list.pk]), follow=True
    )
    assert "1 dossier ouvert." in text(response)
    rows = rows_by_name(namur_list)
    assert rows["NGUYEN"].match == RowMatch.CREATED
    assert rows["HADDAD"].match == RowMatch.PENDING and rows["DIALLO"].match == RowMatch.PENDING


def test_bulk_is_all_or_nothing(coordinator_client, commune_agent):
    newcomer_list = submit(commune_agent, [DIALLO, NGUYEN])
    Commune.objects.filter(name="Namur").update(office=None)
    newcomer_list.rows.filter(last_name="NGUYEN").update(office=None)  # no office to open the file in
    response = coordinator_client.post(
        reverse("parcours:reconcile_bulk_create", args=[newcomer_list.pk]), follow=True
    )
    page = text(response)
    assert "Choisissez le bureau qui suivra la personne." in page and "Aucun dossier n'a été ouvert." in page
    assert not Person.objects.filter(last_name__in=["DIALLO", "NGUYEN"]).exists()
    assert set(newcomer_list.rows.values_list("match", flat=True)) == {RowMatch.PENDING}


# Figures


@pytest.fixture
def figures_data(commune_agent, commune_agent_other, administrator, office_a):
    """Namur (office Namur): 3 rows. HADDAD (obliged) linked to a file with two appointments (came),
    DIALLO (obliged) pending, a French citizen (outside the path) opened as a new file without an
    appointment. Dinant (office Dinant): DIALLO (obliged), pending. A list of last year (5 rows),
    which the current year leaves out."""
    french = {**NGUYEN, "nationality": "France"}
    namur = submit(commune_agent, [HADDAD, DIALLO, french])
    rows = rows_by_name(namur)
    assert [rows[name].computed_status for name in ("HADDAD", "DIALLO", "NGUYEN")] == [
        "oblige",
        "oblige",
        "hors_champ",
    ]
    known = PersonFactory(
        national_number="85073003328", birth_date=dt.date(1985, 7, 30), sex="M", office=office_a
    )
    AppointmentFactory(person=known)
    AppointmentFactory(person=known)
    list_services.row_link(actor=administrator, row=rows["HADDAD"], person=known)
    list_services.row_create_person(actor=administrator, row=rows["NGUYEN"])
    submit(commune_agent_other, [in_dinant(DIALLO)], commune_name="Dinant")
    make_list(by=administrator, count=5, start=dt.date(YEAR - 1, 3, 1), end=dt.date(YEAR - 1, 3, 31))


def test_figures_per_office_and_commune_with_subtotals_and_total(coordinator_client, figures_data):
    response = coordinator_client.get(FIGURES_URL)
    assert response.status_code == 200 and response.context["year"] == YEAR
    table = response.context["table"]
    offices = {office["name"]: office for office in table["offices"]}
    assert list(offices) == ["Dinant", "Namur"]
    keys = ("received", "linked", "created", "came_count", "obliged", "obliged_came")
    [namur] = offices["Namur"]["communes"]
    assert namur["name"] == "Namur" and [namur[k] for k in keys] == [3, 1, 1, 1, 2, 1]
    assert [offices["Namur"]["subtotal"][k] for k in keys] == [3, 1, 1, 1, 2, 1]
    assert [offices["Dinant"]["subtotal"][k] for k in keys] == [1, 0, 0, 0, 1, 0]
    assert [table["total"][k] for k in keys] == [4, 1, 1, 1, 3, 1]
    page = text(response)
    assert "Sous-total Namur" in page and "Sous-total Dinant" in page and "<svg" in page
    assert "Namur : 3 lignes reçues" in page and "Namur : 1 personne venue" in page
    assert "style=" not in page and "<script>" not in page


def test_figures_of_another_year_and_a_bad_year(coordinator_client, figures_data):
    last_year = coordinator_client.get(FIGURES_URL, {"annee": YEAR - 1})
    assert last_year.context["table"]["total"]["received"] == 5
    bad = coordinator_client.get(FIGURES_URL, {"annee": "1900"})
    assert bad.status_code == 200 and bad.context["year"] == YEAR
    assert "Choisissez une année de la liste" in text(bad)


def test_figures_without_lists_say_so(coordinator_client):
    page = text(coordinator_client.get(FIGURES_URL))
    assert f"Aucune liste communale reçue pour {YEAR}." in page


def test_the_chart_numbers_are_not_localised(coordinator_client, figures_data):
    page = text(coordinator_client.get(FIGURES_URL))
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert not re.search(r'(x|y|width|height)="[0-9]+,[0-9]+"', svg)


def test_csv_export_has_the_table_and_neutralises_formulas(coordinator_client, figures_data):
    Commune.objects.filter(name="Dinant").update(name="=cmd|' /C calc'!A0")
    response = coordinator_client.get(CSV_URL, {"annee": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="listes-communales-chiffres-{YEAR}.csv"'
    content = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0][:3] == ["Bureau", "Commune", "Lignes reçues"]
    assert ["Dinant", "'=cmd|' /C calc'!A0", "1", "0", "0", "0"] == rows[1][:6]
    assert not any(cell.startswith("=") for row in rows for cell in row)
    assert rows[-1][:3] == ["Total", "", "4"]
