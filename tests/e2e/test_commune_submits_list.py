"""Journey (issue 4): a commune agent signs in, sends the month's list as a CSV file with one faulty
row, sees the faulty cell named in French in the preview, corrects it in the browser (and adds a
person in a new row), sends the list and finds it in "Mes listes" with its rows."""

import re

import pytest
from django.urls import reverse

from cai.choices import Role
from parcours.models import NewcomerList
from tests.e2e.helpers import sign_in
from tests.factories import UserFactory, commune
from tests.parcours.test_list_files import GOOD, GOOD2, HEADER, csv_bytes

PASSWORD = "motdepasse-de-test-solide"  # tests.factories.UserFactory


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_commune_agent_uploads_corrects_and_sends_a_list(live_server, page):
    agent = UserFactory(
        username="xavier",
        first_name="Xavier",
        last_name="Dumont",
        role=Role.COMMUNE_AGENT,
        communes=[commune("Namur")],
    )
    problems = []

    def on_console(message):
        # Browsers ask for /favicon.ico on their own; the application has none.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))

    sign_in(page, live_server.url, agent, PASSWORD)
    assert page.url == f"{live_server.url}{reverse('parcours:portal_home')}"
    assert page.get_by_text("Aucune liste transmise pour l'instant").is_visible()

    # Upload the month's file: the second person's birth date is unreadable.
    page.get_by_role("link", name="Envoyer un fichier").first.click()
    page.wait_for_url(f"**{reverse('parcours:portal_upload')}")
    page.fill("#id_period_start", "2026-01-01")
    page.fill("#id_period_end", "2026-01-31")
    faulty = GOOD.replace("30/07/1985", "30-07-85")
    page.set_input_files(
        "#id_file",
        files=[{"name": "janvier.csv", "mimeType": "text/csv", "buffer": csv_bytes(HEADER, GOOD2, faulty)}],
    )
    page.get_by_role("button", name="Vérifier le fichier").click()

    # The preview names the faulty cell in French; nothing is stored yet.
    page.get_by_text("1 ligne à corriger").wait_for()
    cell = page.locator("input[name='rows-1-birth_date']")
    assert "is-invalid" in cell.get_attribute("class")
    assert cell.input_value() == "30-07-85"
    assert page.get_by_text("Date illisible : écrivez-la jj/mm/aaaa.").is_visible()
    assert not NewcomerList.objects.exists()

    # Correct it in the browser, add a third person in a new row, and send.
    cell.fill("30/07/1985")
    page.get_by_role("button", name="Ajouter une ligne").click()
    new_row = "rows-2-"
    page.locator(f"input[name='{new_row}last_name']").wait_for()
    for key, value in {
        "last_name": "KHAN",
        "first_name": "Sana",
        "birth_date": "12/04/1992",
        "sex": "F",
        "nationality": "Pakistan",
        "registration_date": "20/01/2026",
    }.items():
        page.fill(f"input[name='{new_row}{key}']", value)
    send = page.get_by_role("button", name=re.compile("Transmettre 3 lignes"))
    send.click()
    page.wait_for_url(re.compile(r"/commune/listes/\d+/$"))
    assert page.get_by_text("Liste transmise : 3 personnes pour Namur. Merci.").is_visible()

    newcomer_list = NewcomerList.objects.get()
    assert (newcomer_list.source, newcomer_list.file_name, newcomer_list.row_count) == (
        "file",
        "janvier.csv",
        3,
    )

    # "Mes listes" shows it; its page lists the rows, none of whom came to an office yet.
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mes listes"
    ).click()
    page.wait_for_url(f"**{reverse('parcours:portal_home')}")
    page.get_by_role("link", name="du 01/01/2026 au 31/01/2026").click()
    page.wait_for_url(f"**{reverse('parcours:portal_list_detail', args=[newcomer_list.pk])}")
    table = page.locator("table")
    for name in ("HADDAD", "DIALLO", "KHAN"):
        assert table.get_by_text(name).is_visible()
    assert table.get_by_text("30/07/1985").is_visible()
    assert table.get_by_text("Non").count() == 3
    assert not problems, problems
