"""Operator pages (list, page, create and edit with contacts, deactivate), offer pages, the offer search
"Trouver une offre" and its CSV / XLSX export."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plateformes.models import Offer, Operator, OperatorContact
from tests.factories import commune
from tests.plateformes.factories import (
    GroupMemberFactory,
    OfferFactory,
    OperatorContactFactory,
    OperatorFactory,
    SupportActionFactory,
)
from tests.plateformes.helpers import HTMX, csrf_client, csrf_token, formset_data, text

pytestmark = pytest.mark.django_db
LIST_URL = reverse("plateformes:operator_list")
CREATE_URL = reverse("plateformes:operator_create")
SEARCH_URL = reverse("plateformes:offer_search")


def operator_data(**changes) -> dict:
    data = {
        "name": "Lire et Écrire Namur",
        "kind": "association",
        "recognition": "reconnu",
        "subsidy_status": "",
        "address": "Rue Relis Namurs 1",
        "commune": str(commune("Namur").pk),
        "phone": "081 74 10 04",
        "email": "namur@example.org",
        "website": "",
    }
    data.update(changes)
    return data


def contacts(rows, *, initial=0) -> dict:
    return formset_data("contacts", rows, initial=initial)


# The list


def test_coordinator_lists_operators_with_their_offer_count(login, coordinator, office_a):
    operator = OperatorFactory(name="ILI de Ciney", territories=[office_a])
    OfferFactory.create_batch(2, operator=operator)
    OfferFactory(operator=operator, active=False)
    response = login(coordinator).get(LIST_URL)
    assert response.status_code == 200
    row = next(o for o in response.context["object_list"] if o.pk == operator.pk)
    assert row.offer_count == 2
    assert "ILI de Ciney" in text(response) and "Namur" in text(response)


def test_operator_list_filters_by_kind_territory_and_name(login, coordinator, office_a, office_b):
    ili = OperatorFactory(name="ILI de Namur", kind="ili", territories=[office_a])
    OperatorFactory(name="ILI de Dinant", kind="ili", territories=[office_b])
    OperatorFactory(name="CPAS de Namur", kind="cpas", territories=[office_a])
    client = login(coordinator)
    response = client.get(LIST_URL, {"kind": "ili", "territory": office_a.pk})
    assert list(response.context["object_list"]) == [ili]
    response = client.get(LIST_URL, {"q": "namur cpas"})
    assert [o.name for o in response.context["object_list"]] == ["CPAS de Namur"]


def test_operator_list_sorts_and_paginates(login, coordinator):
    OperatorFactory.create_batch(30)
    client = login(coordinator)
    first_page = client.get(LIST_URL, {"tri": "-nom"})
    names = [o.name for o in first_page.context["object_list"]]
    assert len(names) == 25 and names == sorted(names, reverse=True)
    assert len(client.get(LIST_URL, {"tri": "-nom", "page": 2}).context["object_list"]) == 5
    assert client.get(LIST_URL, {"page": 99}).status_code == 200  # the nearest page, not a 404


def test_operator_list_answers_htmx_with_the_results_only(login, coordinator):
    OperatorFactory(name="ILI de Ciney")
    response = login(coordinator).get(LIST_URL, {"kind": "association"}, **HTMX)
    assert response.status_code == 200
    assert "<html" not in text(response)
    assert 'id="network-results"' in text(response) and "ILI de Ciney" in text(response)
    assert "HX-Request" in response["Vary"]


def test_empty_directory_says_what_to_do(login, coordinator):
    content = text(login(coordinator).get(LIST_URL))
    assert "Le répertoire des opérateurs est encore vide." in content
    assert CREATE_URL in content


def test_bad_filter_is_reported_not_a_500(login, coordinator):
    response = login(coordinator).get(LIST_URL, {"territory": "999999"})
    assert response.status_code == 200
    assert "Certains filtres ne sont pas valides" in text(response)


# The operator's page


def test_operator_page_shows_contacts_offer_memberships_and_support(login, coordinator):
    operator = OperatorFactory(name="ILI de Ciney")
    OperatorContactFactory(operator=operator, name="Anne Colin")
    OfferFactory(operator=operator, title="FLE débutants")
    member = GroupMemberFactory(operator=operator, group__name="GT Santé mentale test")
    SupportActionFactory(operator=operator, topic="Renouvellement 2025")
    content = text(login(coordinator).get(operator.get_absolute_url()))
    for expected in ("Anne Colin", "FLE débutants", member.group.name, "Renouvellement 2025"):
        assert expected in content


def test_missing_operator_answers_404(login, coordinator):
    assert login(coordinator).get(reverse("plateformes:operator_detail", args=[999999])).status_code == 404


# Create and edit


def test_coordinator_creates_an_operator_with_its_contacts(login, coordinator, office_a):
    data = {
        **operator_data(territories=[str(office_a.pk)]),
        **contacts([{"name": "Anne Colin", "email": "anne@example.org"}, {"name": ""}]),
    }
    response = login(coordinator).post(CREATE_URL, data)
    operator = Operator.objects.get(name="Lire et Écrire Namur")
    assert response.status_code == 302 and response["Location"] == operator.get_absolute_url()
    assert list(operator.territories.all()) == [office_a]
    assert list(operator.contacts.values_list("name", flat=True)) == [
        "Anne Colin"
    ]  # the blank row is skipped


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Indiquez « Nom »."),
        ({"name": "x" * 201}, "name", "« Nom » ne peut dépasser 200 caractères (actuellement 201)."),
        ({"kind": "inconnu"}, "kind", "« Type » : choisissez une valeur de la liste."),
        ({"commune": "999999"}, "commune", "« Commune » : choisissez une valeur de la liste."),
        ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse e-mail valide."),
    ],
)
def test_bad_operator_input_is_shown_on_its_field_and_nothing_is_saved(
    login, coordinator, changes, field, message
):
    response = login(coordinator).post(CREATE_URL, {**operator_data(**changes), **contacts([])})
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in text(response)
    assert not Operator.objects.exists()


def test_bad_contact_saves_neither_the_operator_nor_its_contacts(login, coordinator):
    data = {**operator_data(), **contacts([{"name": "Anne"}, {"name": "Marc", "email": "pas-une-adresse"}])}
    response = login(coordinator).post(CREATE_URL, data)
    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide." in text(response)
    assert "Rien n'est enregistré" in text(response)
    assert not Operator.objects.exists() and not OperatorContact.objects.exists()


def test_duplicate_operator_name_is_shown_on_the_name(login, coordinator):
    OperatorFactory(name="Lire et Écrire Namur")
    response = login(coordinator).post(
        CREATE_URL, {**operator_data(name="LIRE ET ÉCRIRE NAMUR"), **contacts([])}
    )
    assert response.context["form"].errors["name"] == ["Un opérateur porte déjà ce nom dans le répertoire."]
    assert Operator.objects.count() == 1


def test_edit_updates_one_contact_and_removes_another(login, coordinator):
    operator = OperatorFactory(name="ILI de Ciney", kind="ili")
    kept = OperatorContactFactory(operator=operator, name="Anne")
    removed = OperatorContactFactory(operator=operator, name="Marc")
    rows = [
        {"id": str(kept.pk), "name": "Anne Colin", "phone": "083 21 00 00"},
        {"id": str(removed.pk), "name": "Marc", "DELETE": "on"},
    ]
    data = {**operator_data(name="ILI de Ciney", kind="ili"), **contacts(rows, initial=2)}
    response = login(coordinator).post(reverse("plateformes:operator_update", args=[operator.pk]), data)
    assert response.status_code == 302
    assert list(OperatorContact.objects.filter(operator=operator).values_list("pk", "name", "phone")) == [
        (kept.pk, "Anne Colin", "083 21 00 00")
    ]


def test_edit_form_shows_the_current_values(login, coordinator):
    operator = OperatorFactory(name="ILI de Ciney")
    OperatorContactFactory(operator=operator, name="Anne Colin")
    content = text(login(coordinator).get(reverse("plateformes:operator_update", args=[operator.pk])))
    assert 'value="ILI de Ciney"' in content and 'value="Anne Colin"' in content
    assert "plateformes-formset.js" in content and "<script>" not in content


def test_deactivation_is_a_csrf_protected_post(coordinator):
    operator = OperatorFactory()
    url = reverse("plateformes:operator_deactivate", args=[operator.pk])
    client = csrf_client(coordinator)
    assert client.post(url).status_code == 403
    assert client.post(url, {"csrfmiddlewaretoken": csrf_token(client)}).status_code == 302
    assert Operator.objects.get(pk=operator.pk).active is False
    client.post(
        reverse("plateformes:operator_reactivate", args=[operator.pk]),
        {"csrfmiddlewaretoken": csrf_token(client)},
    )
    assert Operator.objects.get(pk=operator.pk).active is True


def test_counsellor_cannot_deactivate_an_operator(login, counsellor_a):
    operator = OperatorFactory()
    assert (
        login(counsellor_a).post(reverse("plateformes:operator_deactivate", args=[operator.pk])).status_code
        == 403
    )
    assert Operator.objects.get(pk=operator.pk).active is True


# Offer


def test_offer_is_created_from_the_operator_page_with_its_territories(login, coordinator, office_a):
    operator = OperatorFactory(territories=[office_a])
    url = reverse("plateformes:offer_create", args=[operator.pk])
    client = login(coordinator)
    assert client.get(url).context["form"].initial["territories"] == [office_a]
    data = {
        "kind": "citoyennete",
        "title": "FIC du jeudi",
        "citizenship_format": "FIC",
        "territories": [office_a.pk],
        "active": "on",
    }
    response = client.post(url, data)
    offer = Offer.objects.get()
    assert response.status_code == 302
    assert (offer.operator, offer.citizenship_format, list(offer.territories.all())) == (
        operator,
        "FIC",
        [office_a],
    )


def test_offer_rule_error_is_shown_on_its_field(login, coordinator):
    operator = OperatorFactory()
    data = {"kind": "francais", "title": "FLE", "citizenship_format": "AOC", "active": "on"}
    response = login(coordinator).post(reverse("plateformes:offer_create", args=[operator.pk]), data)
    assert response.context["form"].errors["citizenship_format"] == [
        "Le format FIC ou AOC ne concerne que les formations à la citoyenneté."
    ]
    assert not Offer.objects.exists()


def test_offer_is_edited(login, coordinator):
    offer = OfferFactory(title="FLE A1", level="A1")
    data = {"kind": "francais", "title": "FLE A1", "level": "A2", "active": ""}
    login(coordinator).post(reverse("plateformes:offer_update", args=[offer.pk]), data)
    offer.refresh_from_db()
    assert (offer.level, offer.active) == ("A2", False)


# Offer search and export


@pytest.fixture
def offers(office_a, office_b):
    """French courses in Namur (listed territory), in Namur (by commune only), in Dinant; an ended one."""
    listed = OfferFactory(title="FLE Namur", territories=[office_a], operator__name="ILI Namur")
    by_commune = OfferFactory(title="FLE Jambes", commune=commune("Namur"), operator__name="Asbl Jambes")
    dinant = OfferFactory(title="FLE Dinant", territories=[office_b], operator__name="ILI Dinant")
    ended = OfferFactory(title="FLE terminé", territories=[office_a], active=False)
    return {"listed": listed, "by_commune": by_commune, "dinant": dinant, "ended": ended}


def test_offer_search_by_territory_returns_only_that_territorys_offer(login, counsellor_a, office_a, offers):
    response = login(counsellor_a).get(SEARCH_URL, {"territory": office_a.pk})
    assert response.status_code == 200
    assert set(response.context["object_list"]) == {offers["listed"], offers["by_commune"]}
    assert "FLE Dinant" not in text(response)


def test_counsellors_see_only_the_current_offer(login, counsellor_a, office_a, offers):
    offers["listed"].operator.active = False
    offers["listed"].operator.save()
    response = login(counsellor_a).get(SEARCH_URL, {"territory": office_a.pk, "active": "false"})
    assert list(response.context["object_list"]) == [offers["by_commune"]]
    assert "active" not in response.context["filter"].form.fields


def test_offer_search_filters_by_kind_level_and_commune(login, coordinator, offers):
    citizenship = OfferFactory(kind="citoyennete", title="AOC", level="", commune=commune("Dinant"))
    client = login(coordinator)
    assert list(client.get(SEARCH_URL, {"kind": "citoyennete"}).context["object_list"]) == [citizenship]
    assert list(client.get(SEARCH_URL, {"commune": commune("Dinant").pk}).context["object_list"]) == [
        citizenship
    ]
    offers["dinant"].level = "B1"
    offers["dinant"].save()
    assert list(client.get(SEARCH_URL, {"level": "b1"}).context["object_list"]) == [offers["dinant"]]


def test_offer_search_links_the_export_with_the_same_filters(login, counsellor_a, office_a, offers):
    content = text(login(counsellor_a).get(SEARCH_URL, {"territory": office_a.pk, "page": 1}))
    assert f"{reverse('plateformes:offer_export', args=['csv'])}?territory={office_a.pk}" in content
    assert f"{reverse('plateformes:offer_export', args=['xlsx'])}?territory={office_a.pk}" in content


def test_htmx_results_carry_export_links_that_follow_the_filters(login, counsellor_a, office_a, offers):
    response = login(counsellor_a).get(SEARCH_URL, {"territory": office_a.pk, "kind": "francais"}, **HTMX)
    content = text(response)
    assert "<html" not in content
    query = f"?territory={office_a.pk}&kind=francais"
    assert reverse("plateformes:offer_export", args=["csv"]) + query in content.replace("&amp;", "&")


def test_csv_export_contains_the_filtered_rows_and_neutralises_formulas(
    login, counsellor_a, office_a, offers
):
    offers["listed"].title = "=cmd|' /C calc'!A0"
    offers["listed"].save()
    offers["by_commune"].place = "@SUM(1+1)"
    offers["by_commune"].save()
    response = login(counsellor_a).get(
        reverse("plateformes:offer_export", args=["csv"]), {"territory": office_a.pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Opérateur", "Type d'offre", "Intitulé"]
    body = {row[0]: row for row in rows[1:]}
    assert set(body) == {"ILI Namur", "Asbl Jambes"}
    assert body["ILI Namur"][2] == "'=cmd|' /C calc'!A0"
    assert body["Asbl Jambes"][6] == "'@SUM(1+1)"
    assert body["ILI Namur"][8] == "Namur"  # territories


def test_xlsx_export_contains_the_filtered_rows_as_inert_text(login, coordinator, office_a, offers):
    offers["listed"].title = '=HYPERLINK("http://evil")'
    offers["listed"].save()
    offers["listed"].operator.name = "-2+3"
    offers["listed"].operator.save()
    response = login(coordinator).get(
        reverse("plateformes:offer_export", args=["xlsx"]), {"territory": office_a.pk}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    titles = sorted(row[2] for row in rows[1:])
    assert titles == ['\'=HYPERLINK("http://evil")', "FLE Jambes", "FLE terminé"]
    assert "'-2+3" in [row[0] for row in rows[1:]]
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value)


def test_unknown_export_format_is_a_404_and_a_bad_filter_a_message(login, coordinator):
    client = login(coordinator)
    assert client.get(reverse("plateformes:offer_export", args=["pdf"])).status_code == 404
    response = client.get(reverse("plateformes:offer_export", args=["csv"]), {"territory": "abc"})
    assert response.status_code == 302 and response["Location"] == SEARCH_URL


@pytest.mark.parametrize("persona", ["commune_agent", "commune_agent_other"])
def test_commune_agents_cannot_search_or_export_the_offer(login, request, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(SEARCH_URL).status_code == 403
    assert client.get(reverse("plateformes:offer_export", args=["csv"])).status_code == 403


def test_counsellor_offer_page_does_not_link_to_network_pages(login, counsellor_a, office_a, offers):
    content = text(login(counsellor_a).get(SEARCH_URL))
    assert offers["listed"].operator.get_absolute_url() not in content
    assert LIST_URL not in content  # no network sections for counsellors


def test_navigation_matches_the_roles(login, counsellor_a, coordinator):
    counsellor_nav = text(login(counsellor_a).get(SEARCH_URL))
    assert "Offre des opérateurs" in counsellor_nav and "Plateformes et groupes" not in counsellor_nav
    coordinator_nav = text(login(coordinator).get(SEARCH_URL))
    for label in (
        "Réseau",
        "Offre des opérateurs",
        "Plateformes et groupes",
        "Sensibilisation et interpellations",
    ):
        assert label in coordinator_nav
