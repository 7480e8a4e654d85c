"""The newcomer-list API: communes send lists (JSON or file) with an agent's token; agents read their own
lists back, the path coordination reads all of them; every refusal stores nothing and says why in French."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from parcours import list_services
from parcours.list_files import MAX_FILE_BYTES, MAX_ROWS
from parcours.models import NewcomerList, NewcomerListRow
from tests.conftest import signed_in_client
from tests.factories import AppointmentFactory, PersonFactory, commune

pytestmark = pytest.mark.django_db
URL = "/api/newcomer-lists/"
NAMUR_NIS = "92094"


def row(**overrides):
    base = {
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
    base.update(overrides)
    return base


def person(number: int) -> dict:
    """A valid row, a different person for each ``number`` (no national number)."""
    return row(first_name=f"Personne {number}", national_number="", sex="F")


AMINA = row(
    last_name="DIALLO",
    first_name="Amina",
    birth_date="02/01/1990",
    sex="F",
    nationality="Guinée",
    national_number="",
    registration_date="10/03/2026",
    residence_card="A",
    residence_ordered_on="01/03/2026",
)


def payload(rows, **overrides):
    return {
        "commune": NAMUR_NIS,
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "rows": rows,
        **overrides,
    }


def token_client(user) -> APIClient:
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def send(client, body):
    return client.post(URL, body, format="json")


def stored_list(agent, rows, name="Namur"):
    """A list stored through the service (set-up for the read tests)."""
    newcomer_list, _created = list_services.newcomer_list_submit(
        actor=agent,
        commune=commune(name),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        rows=rows,
        source="form",
    )
    return newcomer_list


@pytest.fixture
def path_coordinator(coordinator):
    coordinator.path_coordination = True
    coordinator.save(update_fields=["path_coordination"])
    return coordinator


# --- Sending a list ----------------------------------------------------------------------------------


def test_agent_sends_a_json_list_with_a_token_and_it_is_stored_whole(commune_agent):
    response = send(token_client(commune_agent), payload([row(), AMINA]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["deja_transmise"] is False and body["row_count"] == 2
    assert body["commune"] == {"id": commune("Namur").pk, "nis_code": NAMUR_NIS, "name": "Namur"}
    stored = NewcomerList.objects.get(pk=body["id"])
    assert stored.source == "api" and stored.submitted_by == commune_agent
    assert set(stored.rows.values_list("last_name", flat=True)) == {"HADDAD", "DIALLO"}
    assert stored.rows.get(last_name="HADDAD").national_number == "85073003328"


def test_commune_may_be_given_by_its_id_and_dates_as_dd_mm_yyyy(commune_agent):
    body = payload([row()], commune=commune("Namur").pk, period_start="01/01/2026", period_end="31/03/2026")
    response = send(token_client(commune_agent), body)
    assert response.status_code == 201, response.content
    assert NewcomerList.objects.get().period_end == dt.date(2026, 3, 31)


def test_sending_the_same_list_again_answers_200_and_adds_nothing(commune_agent):
    client = token_client(commune_agent)
    first = send(client, payload([row(), AMINA]))
    again = send(client, payload([AMINA, row()]))  # other order, same people
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and again.json()["deja_transmise"] is True
    assert NewcomerList.objects.count() == 1 and NewcomerListRow.objects.count() == 2


def test_a_faulty_national_number_answers_400_naming_row_and_column_and_stores_nothing(commune_agent):
    response = send(token_client(commune_agent), payload([AMINA, row(national_number="85.07.30-033.29")]))
    assert response.status_code == 400
    body = response.json()
    assert len(body["erreurs"]) == 1
    assert body["erreurs"][0].startswith("Ligne 2, colonne « Numéro national » : ")
    assert "chiffres de contrôle" in body["erreurs"][0]
    assert [(line["ligne"], list(line["erreurs"])) for line in body["lignes"]] == [(2, ["national_number"])]
    assert NewcomerList.objects.count() == 0 and NewcomerListRow.objects.count() == 0


def test_missing_and_unreadable_cells_are_all_named(commune_agent):
    rows = [row(birth_date="31/02/1985"), row(first_name="", last_name="AUTRE", national_number="")]
    response = send(token_client(commune_agent), payload(rows))
    assert response.status_code == 400
    assert (
        "Ligne 1, colonne « Date de naissance » : Date illisible : écrivez-la jj/mm/aaaa."
        in response.json()["erreurs"]
    )
    assert "Ligne 2, colonne « Prénom » : Champ obligatoire." in response.json()["erreurs"]
    assert NewcomerList.objects.count() == 0


def test_an_unknown_row_key_is_refused_with_its_line(commune_agent):
    response = send(token_client(commune_agent), payload([row(), {**AMINA, "religion": "x"}]))
    assert response.status_code == 400
    assert response.json()["erreurs"] == [
        "Ligne 2, colonne « religion » : Colonne inconnue : les clés admises sont celles du modèle de liste."
    ]
    assert NewcomerList.objects.count() == 0


def test_a_row_that_is_not_an_object_is_refused(commune_agent):
    response = send(token_client(commune_agent), payload([row(), "HADDAD;Yara"]))
    assert response.status_code == 400
    assert response.json()["erreurs"][0].startswith("Ligne 2 : ")


def test_period_ending_before_it_starts_is_refused_in_french(commune_agent):
    response = send(
        token_client(commune_agent), payload([row()], period_start="2026-03-31", period_end="2026-01-01")
    )
    assert response.status_code == 400
    body = response.json()
    assert body["period_end"] == ["La fin de la période ne peut précéder son début."]
    assert body["erreurs"] == ["Fin de la période : La fin de la période ne peut précéder son début."]
    assert NewcomerList.objects.count() == 0


def test_missing_period_and_unknown_commune_are_named(commune_agent):
    response = send(token_client(commune_agent), {"commune": "99999", "rows": [row()]})
    assert response.status_code == 400
    lines = response.json()["erreurs"]
    assert "Commune : Commune inconnue : indiquez son code INS (5 chiffres) ou son identifiant." in lines
    assert any(line.startswith("Début de la période : ") for line in lines)
    assert any(line.startswith("Fin de la période : ") for line in lines)


def test_an_empty_list_is_refused(commune_agent):
    response = send(token_client(commune_agent), payload([]))
    assert response.status_code == 400
    assert response.json()["erreurs"] == ["Lignes : La liste ne contient aucune personne."]


def test_more_than_the_maximum_of_rows_is_refused_before_validation(commune_agent):
    response = send(token_client(commune_agent), payload([{"last_name": "X"}] * (MAX_ROWS + 1)))
    assert response.status_code == 400
    assert response.json()["erreurs"] == [
        f"Lignes : La liste compte plus de {MAX_ROWS} lignes : scindez-la en plusieurs envois."
    ]
    assert NewcomerList.objects.count() == 0


def test_an_oversized_body_is_refused_before_it_is_read(commune_agent):
    huge = payload([row(street="x" * (6 * 1024 * 1024))])
    response = token_client(commune_agent).post(URL, json.dumps(huge), content_type="application/json")
    assert response.status_code == 400
    assert "scindez la liste" in response.json()["erreurs"][0]
    assert NewcomerList.objects.count() == 0


def test_invalid_json_is_refused_in_french(commune_agent):
    response = token_client(commune_agent).post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["erreurs"] == ["Le contenu envoyé n'est pas du JSON valide."]


def test_too_long_text_is_refused_with_its_cell(commune_agent):
    response = send(token_client(commune_agent), payload([row(street="r" * 151)]))
    assert response.status_code == 400
    assert response.json()["erreurs"] == [
        "Ligne 1, colonne « Rue » : Texte trop long (150 caractères au plus)."
    ]


# --- Sending a file ----------------------------------------------------------------------------------

SEMICOLON_CSV = (
    "Nom;Prénom;Date de naissance;Sexe;Nationalité;Numéro national;Code postal;Date d'inscription;"
    "Type de carte de séjour;Date de délivrance ordonnée du titre\n"
    "HADDAD;Yara;30/07/1985;M;Syrie;85.07.30-033.28;5000;03/02/2026;B;15/01/2026\n"
    "DIALLO;Amina;02/01/1990;F;Guinée;;5000;10/03/2026;A;01/03/2026\n"
).encode("cp1252")


def upload(client, content: bytes, name="liste.csv", **fields):
    data = {"commune": NAMUR_NIS, "period_start": "2026-01-01", "period_end": "2026-03-31", **fields}
    data["file"] = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(URL, data, format="multipart")


def test_agent_uploads_a_semicolon_csv_in_windows_1252(commune_agent):
    response = upload(token_client(commune_agent), SEMICOLON_CSV, name="janvier.csv")
    assert response.status_code == 201, response.content
    stored = NewcomerList.objects.get(pk=response.json()["id"])
    assert stored.source == "api" and stored.file_name == "janvier.csv" and stored.row_count == 2
    assert stored.rows.get(last_name="DIALLO").nationality == "GN"


def test_the_same_file_sent_as_json_is_already_known(commune_agent):
    client = token_client(commune_agent)
    assert upload(client, SEMICOLON_CSV).status_code == 201
    same_people = [{k: v for k, v in r.items() if k != "locality"} for r in (AMINA, row())]  # no such column
    again = send(client, payload(same_people))
    assert again.status_code == 200 and again.json()["deja_transmise"] is True


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "liste.pdf",
            b"%PDF-1.7",
            "Format non reconnu : envoyez un fichier CSV ou XLSX (modèle téléchargeable).",
        ),
        (
            "liste.csv",
            b"Nom;Prenom\nA;B\n",
            "Colonnes obligatoires absentes : Date de naissance, Nationalité.",
        ),
        (
            "liste.csv",
            b"x" * (MAX_FILE_BYTES + 1),
            "Le fichier dépasse 3 Mo : scindez la liste en plusieurs envois.",
        ),
    ],
)
def test_an_unreadable_file_answers_400_with_the_french_message(commune_agent, name, content, message):
    response = upload(token_client(commune_agent), content, name=name)
    assert response.status_code == 400
    assert message in response.json()["erreurs"][0]
    assert response.json()["file"] == response.json()["erreurs"]
    assert NewcomerList.objects.count() == 0


def test_a_file_with_too_many_rows_is_refused(commune_agent):
    header = b"Nom;Prenom;Date de naissance;Nationalite\n"
    response = upload(token_client(commune_agent), header + b"A;B;01/01/1990;Syrie\n" * (MAX_ROWS + 1))
    assert response.status_code == 400
    assert f"plus de {MAX_ROWS} lignes" in response.json()["erreurs"][0]


def test_a_file_with_a_faulty_row_names_it(commune_agent):
    content = SEMICOLON_CSV.replace(b"85.07.30-033.28", b"85.07.30-033.29")
    response = upload(token_client(commune_agent), content)
    assert response.status_code == 400
    assert response.json()["erreurs"][0].startswith("Ligne 1, colonne « Numéro national » : ")
    assert NewcomerList.objects.count() == 0


# --- Who may send --------------------------------------------------------------------------------


def test_an_agent_cannot_send_for_another_commune(commune_agent_other):
    response = send(token_client(commune_agent_other), payload([row()]))
    assert response.status_code == 403
    assert response.json()["detail"] == "Vous ne pouvez transmettre des listes que pour votre commune."
    assert NewcomerList.objects.count() == 0


@pytest.mark.parametrize("persona", ["counsellor_a", "coordinator", "director"])
def test_other_roles_cannot_send_a_list(request, persona):
    response = send(token_client(request.getfixturevalue(persona)), payload([row()]))
    assert response.status_code == 403
    assert NewcomerList.objects.count() == 0


def test_anonymous_callers_get_401(db):
    assert send(APIClient(), payload([row()])).status_code == 401
    assert APIClient().get(URL).status_code == 401


def test_a_browser_session_without_csrf_token_cannot_send(commune_agent):
    client = signed_in_client(commune_agent, enforce_csrf_checks=True)
    response = client.post(URL, json.dumps(payload([row()])), content_type="application/json")
    assert response.status_code == 403
    assert NewcomerList.objects.count() == 0


def test_an_administrator_may_send_for_any_commune(administrator):
    rows = [row(postal_code="5500", locality="Dinant")]
    response = send(token_client(administrator), payload(rows, commune="91034"))  # Dinant
    assert response.status_code == 201, response.content
    assert NewcomerList.objects.get().commune.name == "Dinant"


# --- Reading lists -------------------------------------------------------------------------------


def test_each_agent_sees_only_the_lists_of_their_commune(commune_agent, commune_agent_other):
    namur = stored_list(commune_agent, [row()])
    dinant = stored_list(commune_agent_other, [AMINA | {"postal_code": "5500"}], name="Dinant")
    seen_by_namur = token_client(commune_agent).get(URL).json()
    seen_by_dinant = token_client(commune_agent_other).get(URL).json()
    assert [item["id"] for item in seen_by_namur["results"]] == [namur.pk]
    assert [item["id"] for item in seen_by_dinant["results"]] == [dinant.pk]
    assert "pending_count" not in seen_by_namur["results"][0]


def test_an_agent_gets_404_on_another_communes_list(commune_agent, commune_agent_other):
    namur = stored_list(commune_agent, [row()])
    assert token_client(commune_agent_other).get(f"{URL}{namur.pk}/").status_code == 404
    assert token_client(commune_agent).get(f"{URL}{namur.pk + 1000}/").status_code == 404


def test_an_agent_sees_of_each_row_only_name_birth_date_and_whether_the_person_came(
    commune_agent, path_coordinator, office_a
):
    newcomer_list = stored_list(commune_agent, [row(), AMINA])
    came = PersonFactory(
        national_number="85073003328", birth_date=dt.date(1985, 7, 30), sex="M", office=office_a
    )
    AppointmentFactory(person=came)
    list_services.row_link(
        actor=path_coordinator, row=newcomer_list.rows.get(last_name="HADDAD"), person=came
    )
    body = token_client(commune_agent).get(f"{URL}{newcomer_list.pk}/").json()
    assert [set(r) for r in body["rows"]] == [{"number", "last_name", "first_name", "birth_date", "came"}] * 2
    assert {r["last_name"]: r["came"] for r in body["rows"]} == {"HADDAD": True, "DIALLO": False}
    assert body["rows"][0]["birth_date"] == "1985-07-30"


def test_a_path_coordinator_sees_every_list_with_the_reconciliation_state(
    commune_agent, commune_agent_other, path_coordinator
):
    namur = stored_list(commune_agent, [row(), AMINA])
    stored_list(commune_agent_other, [AMINA | {"postal_code": "5500"}], name="Dinant")
    client = token_client(path_coordinator)
    listed = client.get(URL).json()
    assert listed["count"] == 2
    by_commune = {item["commune"]["name"]: item for item in listed["results"]}
    assert by_commune["Namur"]["pending_count"] == 2 and by_commune["Namur"]["obliged_count"] >= 1
    detail = client.get(f"{URL}{namur.pk}/").json()
    assert {r["match"] for r in detail["rows"]} == {"pending"}
    assert {"computed_status", "office", "person", "came"} <= set(detail["rows"][0])
    assert "national_number" not in detail["rows"][0]


def test_lists_filter_by_commune_and_sort(commune_agent, commune_agent_other, director):
    stored_list(commune_agent, [row()])
    dinant = stored_list(commune_agent_other, [AMINA | {"postal_code": "5500"}], name="Dinant")
    client = token_client(director)
    filtered = client.get(URL, {"commune": commune("Dinant").pk}).json()
    assert [item["id"] for item in filtered["results"]] == [dinant.pk]
    ordered = client.get(URL, {"ordering": "submitted_at"}).json()
    assert ordered["results"][-1]["id"] == dinant.pk


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("counsellor_a", 403),
        ("counsellor_b", 403),
        ("coordinator", 403),  # no path-coordination right
        ("path_coordinator", 200),
        ("director", 200),
        ("administrator", 200),
        ("commune_agent", 200),
        ("commune_agent_other", 404),
    ],
)
def test_who_may_read_a_list(request, commune_agent, persona, expected):
    newcomer_list = stored_list(commune_agent, [row()])
    client = token_client(request.getfixturevalue(persona))
    assert client.get(f"{URL}{newcomer_list.pk}/").status_code == expected
    assert client.get(URL).status_code == (403 if expected == 403 else 200)


# --- Query budgets -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 40])
def test_list_detail_reads_a_fixed_number_of_queries(
    django_assert_max_num_queries, commune_agent, path_coordinator, size
):
    newcomer_list = stored_list(commune_agent, [person(n) for n in range(size)])
    for user in (commune_agent, path_coordinator):
        client = token_client(user)
        with django_assert_max_num_queries(4):  # token + user, the list with its counts, its rows
            response = client.get(f"{URL}{newcomer_list.pk}/")
        assert response.status_code == 200 and len(response.json()["rows"]) == size


@pytest.mark.parametrize("size", [2, 15])
def test_lists_page_reads_a_fixed_number_of_queries(
    django_assert_max_num_queries, commune_agent, director, size
):
    for n in range(size):
        stored_list(commune_agent, [person(n)])
    client = token_client(director)
    with django_assert_max_num_queries(4):  # token + user, count, page
        response = client.get(URL)
    assert response.status_code == 200 and response.json()["count"] == size


# --- Documentation -------------------------------------------------------------------------------


def test_the_schema_documents_both_ways_of_sending(counsellor_a):
    schema = signed_in_client(counsellor_a).get("/api/schema/?format=json").json()
    operations = schema["paths"]["/api/newcomer-lists/"]
    assert set(operations) == {"get", "post"}
    assert set(operations["post"]["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert {"200", "201", "400", "403"} <= set(operations["post"]["responses"])
    assert set(schema["paths"]["/api/newcomer-lists/{id}/"]) == {"get"}
    row_schema = schema["components"]["schemas"]["NewcomerListRowInputRequest"]["properties"]
    assert {"last_name", "national_number", "residence_ordered_on"} <= set(row_schema)
