"""The commune portal: a commune agent sends the list of newcomers (typed in, or as a file with a
preview to correct) and sees, per list, who came to a reception office. Nothing is stored before the
agent sends; faulty cells are named in French; other communes' lists answer 404; other roles 403."""

import datetime as dt
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parcours import list_services
from parcours.forms.commune_lists import GRID_MAX, ROW_KEYS
from parcours.list_files import COLUMNS
from parcours.models import NewcomerList, NewcomerListRow
from tests.conftest import signed_in_client
from tests.factories import AppointmentFactory, PersonFactory, UserFactory, commune
from tests.parcours.test_list_files import GOOD, GOOD2, HEADER, REFUSED, csv_bytes

pytestmark = pytest.mark.django_db

HOME = reverse("parcours:portal_home")
FORM = reverse("parcours:portal_form")
UPLOAD = reverse("parcours:portal_upload")
START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)

HADDAD = {
    "last_name": "HADDAD",
    "first_name": "Yara",
    "birth_date": "30/07/1985",
    "sex": "M",
    "nationality": "Syrie",
    "national_number": "85.07.30-033.28",
    "postal_code": "5000",
    "locality": "Namur",
    "registration_date": "03/02/2026",
    "residence_card": "B",
    "residence_ordered_on": "15/01/2026",
}
DIALLO = {
    "last_name": "DIALLO",
    "first_name": "Amina",
    "birth_date": "02/01/1990",
    "sex": "F",
    "nationality": "Guinée",
    "postal_code": "5000",
    "registration_date": "10/03/2026",
    "residence_card": "A",
}


def person_row(index: int) -> dict:
    """A valid row without a national number (the name makes it unique)."""
    return {**DIALLO, "last_name": f"DIALLO{index}", "first_name": f"Amina{index}"}


def list_data(rows, *, commune_pk=None, start=START, end=END, **extra) -> dict:
    """The POST of the list form: period, commune and the grid of rows (a formset, prefix ``rows``)."""
    data = {
        "commune": commune_pk if commune_pk is not None else commune("Namur").pk,
        "period_start": start.isoformat() if isinstance(start, dt.date) else start,
        "period_end": end.isoformat() if isinstance(end, dt.date) else end,
        "source": "form",
        "file_name": "",
        "kept_rows": "",
        "action": "send",
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": str(GRID_MAX),
    }
    for index, row in enumerate(rows):
        for key in ROW_KEYS:
            data[f"rows-{index}-{key}"] = row.get(key, "")
    data.update(extra)
    return data


def submit(agent, rows, **kwargs):
    defaults = {"commune": commune("Namur"), "period_start": START, "period_end": END, "source": "form"}
    return list_services.newcomer_list_submit(actor=agent, rows=rows, **{**defaults, **kwargs})


def upload(client, content: bytes, name="liste.csv", start=START, end=END, **extra):
    data = {
        "commune": commune("Namur").pk,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "file": SimpleUploadedFile(name, content),
        **extra,
    }
    return client.post(UPLOAD, data)


def grid_post_data(response) -> dict:
    """What the browser would post back from a preview or a re-rendered form: every input of the grid
    form with its value (checkboxes left unchecked)."""
    form = response.context["form"]
    grid = response.context["grid"]
    data = {
        "commune": form["commune"].value(),
        "period_start": form["period_start"].value(),
        "period_end": form["period_end"].value(),
        "source": form["source"].value(),
        "file_name": form["file_name"].value() or "",
        "kept_rows": grid.kept_json,
        "action": "send",
    }
    formset = grid.formset
    data.update({f"rows-{key}": value for key, value in formset.management_form.initial.items()})
    data.update({key: value for key, value in formset.data.items() if key.startswith("rows-")})
    return data


@pytest.fixture
def agent(commune_agent):
    return signed_in_client(commune_agent)


@pytest.fixture
def other_agent(commune_agent_other):
    return signed_in_client(commune_agent_other)


def text(response) -> str:
    return response.content.decode()


# --- Who may come in -------------------------------------------------------------------------------


def test_commune_agent_lands_on_the_portal(agent):
    response = agent.get(reverse("home"))
    assert response.status_code == 302 and response.url == HOME


def test_navigation_shows_my_lists_to_the_agent_only(agent, persona_client):
    assert 'href="/commune/"' in text(agent.get(HOME)) and "Mes listes" in text(agent.get(HOME))
    assert "Mes listes" not in text(persona_client("director").get(reverse("profile")))


@pytest.mark.parametrize("persona", ["counsellor_a", "coordinator", "director", "administrator"])
@pytest.mark.parametrize(
    "url", [HOME, FORM, UPLOAD, reverse("parcours:portal_template", args=["csv"])], ids=lambda u: u
)
def test_other_roles_cannot_use_the_portal(persona_client, persona, url):
    assert persona_client(persona).get(url).status_code == 403


def test_other_roles_cannot_post_a_list(persona_client, commune_agent):
    response = persona_client("administrator").post(FORM, list_data([HADDAD]))
    assert response.status_code == 403 and NewcomerList.objects.count() == 0


def test_anonymous_visitor_is_sent_to_sign_in():
    from django.test import Client

    response = Client().get(HOME)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- Home ------------------------------------------------------------------------------------------


def test_home_without_lists_explains_the_duty_and_what_to_do(agent):
    page = text(agent.get(HOME))
    assert "Aucune liste transmise pour l'instant" in page
    assert "liste des primo-arrivants qui se sont installés sur son territoire" in page
    for label in ("Saisir une liste", "Envoyer un fichier", "Modèle XLSX", "Modèle CSV"):
        assert label in page


def test_home_lists_the_agent_lists_with_who_came_and_hides_other_communes(
    agent, commune_agent, commune_agent_other, office_a
):
    newcomer_list, _ = submit(commune_agent, [HADDAD, DIALLO], source="file", file_name="janvier.csv")
    submit(commune_agent_other, [{**DIALLO, "postal_code": "5500"}], commune=commune("Dinant"))
    row = newcomer_list.rows.get(last_name="HADDAD")
    row.person = PersonFactory(office=office_a)
    row.save(update_fields=["person"])
    AppointmentFactory(person=row.person)

    response = agent.get(HOME)
    page = text(response)
    assert "du 01/01/2026 au 31/03/2026" in page and "janvier.csv" in page and "Fichier" in page
    [shown] = response.context["lists"]
    assert shown.pk == newcomer_list.pk and shown.row_count == 2 and shown.came_count == 1
    assert "Dinant" not in page


def test_agent_of_two_communes_filters_by_commune(commune_agent):
    commune("Gesves").agents.add(commune_agent)
    namur_list, _ = submit(commune_agent, [HADDAD])
    gesves_list, _ = submit(commune_agent, [{**DIALLO, "postal_code": "5340"}], commune=commune("Gesves"))
    client = signed_in_client(commune_agent)

    assert {nl.pk for nl in client.get(HOME).context["lists"]} == {namur_list.pk, gesves_list.pk}
    filtered = client.get(HOME, {"commune": commune("Gesves").pk})
    assert [nl.pk for nl in filtered.context["lists"]] == [gesves_list.pk]
    # A commune that is not theirs is ignored, never shown.
    assert len(client.get(HOME, {"commune": commune("Dinant").pk}).context["lists"]) == 2


def test_home_paginates_and_sorts_the_lists(commune_agent):
    for month in range(1, 4):
        submit(commune_agent, [person_row(month)], period_start=dt.date(2026, month, 1))
    client = signed_in_client(commune_agent)
    oldest_first = client.get(HOME, {"tri": "period_start"}).context["lists"]
    assert [nl.period_start.month for nl in oldest_first] == [1, 2, 3]
    assert [nl.period_start.month for nl in client.get(HOME).context["lists"]] == [3, 2, 1]
    assert client.get(HOME, {"tri": "password"}).status_code == 200  # an unknown sort is ignored


def lists_of(agent_user, count):
    for index in range(count):
        submit(agent_user, [person_row(index)], period_start=dt.date(2026, 1, 1) + dt.timedelta(days=index))


@pytest.mark.parametrize("count", [3, 40])
def test_home_runs_a_fixed_number_of_queries(commune_agent, django_assert_max_num_queries, count):
    lists_of(commune_agent, count)
    client = signed_in_client(commune_agent)
    with django_assert_max_num_queries(9):
        response = client.get(HOME)
    assert response.status_code == 200 and len(response.context["lists"]) == min(count, 25)


# --- Templates -------------------------------------------------------------------------------------


def test_csv_template_downloads_with_the_columns(agent):
    response = agent.get(reverse("parcours:portal_template", args=["csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="modele-liste-primo-arrivants.csv"' == response["Content-Disposition"]
    assert response.content.decode("utf-8-sig").startswith("Nom;Prénom;Date de naissance")


def test_xlsx_template_downloads_with_the_columns(agent):
    response = agent.get(reverse("parcours:portal_template", args=["xlsx"]))
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == [label for _key, label, _s in COLUMNS]


def test_unknown_template_format_is_404(agent):
    assert agent.get(reverse("parcours:portal_template", args=["pdf"])).status_code == 404


# --- Typing a list in ------------------------------------------------------------------------------


def test_form_offers_one_empty_row_and_the_agent_commune(agent):
    response = agent.get(FORM)
    assert response.status_code == 200
    assert response.context["grid"].formset.total_form_count() == 1
    page = text(response)
    assert "Namur" in page and 'name="commune"' in page and 'type="hidden"' in page
    assert 'name="rows-0-last_name"' in page and "__prefix__" in page  # the row to clone in the browser
    assert "js/portal.js" in page and "<script>" not in page and "onclick" not in page


def test_agent_of_two_communes_chooses_among_theirs_only(commune_agent):
    commune("Gesves").agents.add(commune_agent)
    page = text(signed_in_client(commune_agent).get(FORM))
    options = re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", page)
    assert sorted(options) == ["Gesves", "Namur"]


def test_a_valid_list_is_sent_and_shown(agent):
    response = agent.post(FORM, list_data([HADDAD, DIALLO]))
    newcomer_list = NewcomerList.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("parcours:portal_list_detail", args=[newcomer_list.pk])
    assert newcomer_list.source == "form" and newcomer_list.row_count == 2
    assert newcomer_list.commune.name == "Namur"
    page = text(agent.get(response.url))
    assert "Liste transmise : 2 personnes pour Namur. Merci." in page
    assert "HADDAD" in page and "DIALLO" in page


def test_a_faulty_cell_is_marked_in_french_and_nothing_is_stored(agent):
    bad = {**HADDAD, "national_number": "85.07.30-033.29"}
    response = agent.post(
        FORM, list_data([DIALLO, bad, {**DIALLO, "last_name": "X", "birth_date": "31/02/1990"}])
    )
    assert response.status_code == 200
    assert NewcomerList.objects.count() == 0 and NewcomerListRow.objects.count() == 0
    page = text(response)
    assert "2 lignes à corriger" in page
    assert "Date illisible : écrivez-la jj/mm/aaaa." in page
    number_cell = re.search(r'<input[^>]*name="rows-1-national_number"[^>]*>', page).group(0)
    assert "is-invalid" in number_cell and 'value="85.07.30-033.29"' in number_cell
    assert 'aria-describedby="id_rows-1-national_number_message"' in number_cell
    assert "is-invalid" not in re.search(r'<input[^>]*name="rows-0-last_name"[^>]*>', page).group(0)


def test_a_warning_does_not_block_and_the_list_is_sent(agent):
    response = agent.post(FORM, list_data([{**DIALLO, "postal_code": "1000"}]))
    assert response.status_code == 302 and NewcomerList.objects.get().rows.get().postal_code == "1000"


def test_a_warning_is_shown_in_yellow_beside_an_error(agent):
    rows = [{**DIALLO, "postal_code": "1000"}, {**HADDAD, "sex": "?"}]
    page = text(agent.post(FORM, list_data(rows)))
    assert "Code postal 1000 inconnu pour Namur : à vérifier." in page and "text-warning-emphasis" in page
    assert "1 ligne à vérifier (en jaune)" in page and "1 ligne à corriger" in page
    assert "border-warning" in re.search(r'<input[^>]*name="rows-0-postal_code"[^>]*>', page).group(0)
    assert NewcomerList.objects.count() == 0


def test_sending_the_same_list_again_adds_nothing_and_says_when(agent):
    first = agent.post(FORM, list_data([HADDAD, DIALLO]))
    again = agent.post(FORM, list_data([DIALLO, HADDAD]), follow=True)
    newcomer_list = NewcomerList.objects.get()
    assert again.redirect_chain[-1][0] == first.url
    sent_on = timezone.localtime(newcomer_list.submitted_at).strftime("%d/%m/%Y")
    assert f"Cette liste avait déjà été transmise le {sent_on} : rien n&#x27;a été ajouté." in text(again)
    assert NewcomerListRow.objects.count() == 2


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (END, START, "period_end", "La fin de la période ne peut précéder son début."),
        (
            dt.date(2099, 1, 1),
            dt.date(2099, 1, 31),
            "period_start",
            "La période ne peut pas commencer dans le futur.",
        ),
        ("", END, "period_start", "Indiquez le début de la période couverte."),
        (START, "", "period_end", "Indiquez la fin de la période couverte."),
        ("31/31/2026", END, "period_start", "Date illisible : écrivez-la jj/mm/aaaa."),
    ],
    ids=["end-before-start", "future-start", "no-start", "no-end", "unreadable-start"],
)
def test_a_bad_period_is_named_and_nothing_is_stored(agent, start, end, field, message):
    response = agent.post(FORM, list_data([HADDAD], start=start, end=end))
    assert response.status_code == 200 and NewcomerList.objects.count() == 0
    assert response.context["form"].errors[field] == [message]
    assert message.replace("'", "&#x27;") in text(response)


def test_agent_of_namur_cannot_send_for_dinant(agent):
    response = agent.post(
        FORM, list_data([{**DIALLO, "postal_code": "5500"}], commune_pk=commune("Dinant").pk)
    )
    assert response.status_code == 200 and NewcomerList.objects.count() == 0
    assert "Vous ne pouvez transmettre une liste que pour votre commune." in text(response)


def test_a_list_without_anyone_is_refused(agent):
    response = agent.post(FORM, list_data([{}]))
    assert "La liste ne contient aucune personne." in text(response) and NewcomerList.objects.count() == 0


def test_oversized_text_is_named_on_its_cell(agent):
    response = agent.post(FORM, list_data([{**DIALLO, "first_name": "A" * 5000}]))
    assert "Texte trop long (100 caractères au plus)." in text(response)
    assert NewcomerList.objects.count() == 0


def test_rows_marked_for_removal_are_not_sent(agent):
    data = list_data([HADDAD, {**DIALLO, "national_number": "faux"}], **{"rows-1-DELETE": "on"})
    response = agent.post(FORM, data)
    assert response.status_code == 302
    assert list(NewcomerList.objects.get().rows.values_list("last_name", flat=True)) == ["HADDAD"]


def test_adding_a_row_without_javascript_keeps_the_rows_and_stores_nothing(agent):
    response = agent.post(FORM, list_data([HADDAD], action="add"))
    assert response.status_code == 200 and NewcomerList.objects.count() == 0
    formset = response.context["grid"].formset
    assert formset.total_form_count() == 2 and formset.data["rows-0-last_name"] == "HADDAD"


def test_more_rows_than_the_grid_holds_are_refused_in_french(agent):
    response = agent.post(FORM, list_data([person_row(i) for i in range(GRID_MAX + 1)]))
    assert response.status_code == 200 and NewcomerList.objects.count() == 0
    assert "Au plus 50 lignes à la fois dans le formulaire" in text(response)


def test_a_tampered_form_gets_a_french_message_not_an_error(agent):
    data = list_data([HADDAD])
    del data["rows-TOTAL_FORMS"]
    response = agent.post(FORM, data)
    assert response.status_code == 200 and NewcomerList.objects.count() == 0
    assert "ManagementForm" in text(response)
    response = agent.post(FORM, list_data([HADDAD], kept_rows="[[1, 2]]"))
    assert "Les lignes conservées du fichier sont illisibles" in text(response)
    assert NewcomerList.objects.count() == 0


def test_htmx_gets_the_form_fragment_then_a_redirect(agent):
    bad = agent.post(FORM, list_data([{**HADDAD, "sex": "?"}]), HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and "<html" not in text(bad)
    assert 'id="portal-list-form"' in text(bad) and "Sexe non reconnu : M, F ou X." in text(bad)
    good = agent.post(FORM, list_data([HADDAD]), HTTP_HX_REQUEST="true")
    newcomer_list = NewcomerList.objects.get()
    assert good["HX-Redirect"] == reverse("parcours:portal_list_detail", args=[newcomer_list.pk])


def test_sending_needs_the_csrf_token(commune_agent):
    client = signed_in_client(commune_agent, enforce_csrf_checks=True)
    assert client.post(FORM, list_data([HADDAD])).status_code == 403
    client.get(FORM)
    token = client.cookies["csrftoken"].value
    response = client.post(FORM, {**list_data([HADDAD]), "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and NewcomerList.objects.count() == 1


# --- Sending a file --------------------------------------------------------------------------------


def test_upload_page_offers_the_period_and_the_file(agent):
    page = text(agent.get(UPLOAD))
    assert 'type="file"' in page and 'name="period_start"' in page and "3 Mo" in page


def test_a_clean_file_is_previewed_then_sent_with_its_name(agent):
    preview = upload(agent, csv_bytes(HEADER, GOOD, GOOD2), name="janvier.csv")
    assert preview.status_code == 200 and NewcomerList.objects.count() == 0
    page = text(preview)
    assert "Aucune erreur : 2 lignes prêtes à être transmises." in page and "Transmettre 2 lignes" in page
    assert "janvier.csv" in page

    response = agent.post(FORM, grid_post_data(preview))
    newcomer_list = NewcomerList.objects.get()
    assert response.status_code == 302
    assert (newcomer_list.source, newcomer_list.file_name, newcomer_list.row_count) == (
        "file",
        "janvier.csv",
        2,
    )


def test_a_faulty_file_row_is_marked_corrected_and_sent(agent):
    faulty = GOOD.replace("30/07/1985", "30-07-85")
    preview = upload(agent, csv_bytes(HEADER, GOOD2, faulty))
    page = text(preview)
    assert "1 ligne à corriger" in page and "Date illisible : écrivez-la jj/mm/aaaa." in page
    assert "is-invalid" in re.search(r'<input[^>]*name="rows-1-birth_date"[^>]*>', page).group(0)
    assert NewcomerList.objects.count() == 0

    data = grid_post_data(preview)
    data["rows-1-birth_date"] = "30/07/1985"
    response = agent.post(FORM, data)
    assert response.status_code == 302
    stored = NewcomerList.objects.get()
    assert stored.source == "file" and stored.rows.get(number=2).birth_date == dt.date(1985, 7, 30)


def test_an_unknown_postal_code_is_a_warning_in_the_preview(agent):
    preview = upload(agent, csv_bytes(HEADER, GOOD2.replace(";5000;", ";1000;")))
    page = text(preview)
    assert "Code postal 1000 inconnu pour Namur : à vérifier." in page and "Transmettre 1 ligne" in page
    assert "lignes à corriger" not in page and "ligne à corriger" not in page


@pytest.mark.parametrize(("name", "content", "words"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_a_refused_file_names_the_problem_on_the_file_field(agent, name, content, words):
    response = upload(agent, content, name=name)
    assert response.status_code == 200 and NewcomerList.objects.count() == 0
    assert words in str(response.context["form"].errors["file"])
    assert "is-invalid" in re.search(r'<input[^>]*name="file"[^>]*>', text(response)).group(0)


def test_a_file_without_file_is_asked_for(agent):
    response = agent.post(UPLOAD, {"commune": commune("Namur").pk, "period_start": "2026-01-01"})
    assert response.context["form"].errors["file"] == ["Choisissez le fichier à envoyer."]


def test_a_file_with_a_bad_period_shows_the_preview_with_the_period_error(agent):
    preview = upload(agent, csv_bytes(HEADER, GOOD), start=END, end=START)
    assert preview.context["form"].errors["period_end"] == [
        "La fin de la période ne peut précéder son début."
    ]
    assert preview.context["grid"].total == 1 and NewcomerList.objects.count() == 0


def test_a_file_for_another_commune_stays_on_the_upload_page(agent):
    response = upload(agent, csv_bytes(HEADER, GOOD), commune=commune("Dinant").pk)
    assert "Vous ne pouvez transmettre une liste que pour votre commune." in text(response)
    assert response.templates[0].name == "parcours/portal_upload.html" and NewcomerList.objects.count() == 0


def test_a_long_file_shows_its_faulty_rows_and_keeps_the_others(agent):
    lines = [GOOD.replace("HADDAD", f"HADDAD{i}").replace("85.07.30-033.28", "") for i in range(60)]
    lines[10] = lines[10].replace(";M;", ";?;")
    lines[42] = lines[42].replace("Syrie", "Atlantide")
    preview = upload(agent, csv_bytes(HEADER, *lines))
    grid = preview.context["grid"]
    assert grid.total == 60 and grid.is_partial and grid.kept_count == 58
    assert [form.number for form in grid.formset.forms] == [11, 43]
    page = text(preview)
    assert "2 lignes à corriger" in page and "les 58 autres, sans erreur, sont conservées" in page
    assert "Nationalité inconnue : « Atlantide »." in page

    data = grid_post_data(preview)
    data["rows-0-sex"], data["rows-1-nationality"] = "M", "Syrie"
    response = agent.post(FORM, data)
    assert response.status_code == 302
    stored = NewcomerList.objects.get()
    assert stored.row_count == 60
    assert list(stored.rows.filter(number__in=[11, 43]).values_list("last_name", flat=True)) == [
        "HADDAD10",
        "HADDAD42",
    ]


def test_a_long_file_with_many_faulty_rows_shows_them_in_batches(agent):
    lines = [GOOD.replace("HADDAD", f"HADDAD{i}").replace("85.07.30-033.28", "") for i in range(70)]
    lines = [line.replace(";M;", ";?;") if i < 60 else line for i, line in enumerate(lines)]
    preview = upload(agent, csv_bytes(HEADER, *lines))
    grid = preview.context["grid"]
    assert grid.formset.total_form_count() == GRID_MAX and grid.hidden_faulty_count == 10
    assert "10 autres lignes à corriger s'afficheront" in text(preview)
    # The kept rows (10 faulty, 10 valid) travel in one field: the request stays under Django's field limit.
    assert len(json.loads(grid.kept_json)) == 20 and len(grid_post_data(preview)) < 1000


# --- A list sent -----------------------------------------------------------------------------------


def test_list_detail_shows_each_row_and_whether_the_person_came(agent, commune_agent, office_a):
    newcomer_list, _ = submit(commune_agent, [HADDAD, DIALLO])
    row = newcomer_list.rows.get(last_name="HADDAD")
    row.person = PersonFactory(office=office_a)
    row.save(update_fields=["person"])
    AppointmentFactory(person=row.person)

    response = agent.get(reverse("parcours:portal_list_detail", args=[newcomer_list.pk]))
    assert response.status_code == 200
    came = {r.last_name: r.came for r in response.context["rows"]}
    assert came == {"HADDAD": True, "DIALLO": False}
    page = text(response)
    assert "S'est présenté·e au bureau" in page and "30/07/1985" in page
    assert "85073003328" not in page and "Syrie" not in page  # nothing else of the file


def test_another_commune_agent_gets_404_on_the_list(commune_agent, other_agent):
    newcomer_list, _ = submit(commune_agent, [HADDAD])
    assert other_agent.get(reverse("parcours:portal_list_detail", args=[newcomer_list.pk])).status_code == 404
    assert other_agent.get(reverse("parcours:portal_list_detail", args=[999999])).status_code == 404


def test_an_agent_without_commune_is_told_what_to_do(db):
    from cai.choices import Role

    lonely = signed_in_client(UserFactory(username="zoe", role=Role.COMMUNE_AGENT))
    for url in (HOME, FORM, UPLOAD):
        assert "Aucune commune ne vous est encore attribuée" in text(lonely.get(url))


@pytest.mark.parametrize("count", [3, 40])
def test_list_detail_runs_a_fixed_number_of_queries(
    commune_agent, office_a, django_assert_max_num_queries, count
):
    newcomer_list, _ = submit(commune_agent, [person_row(i) for i in range(count)])
    for row in newcomer_list.rows.all()[:2]:
        row.person = PersonFactory(office=office_a)
        row.save(update_fields=["person"])
    client = signed_in_client(commune_agent)
    url = reverse("parcours:portal_list_detail", args=[newcomer_list.pk])
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200 and len(response.context["rows"]) == count
