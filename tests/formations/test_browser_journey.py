"""Journey (issue 5 §4): a coordinator adds a training, plans a session with two places, registers
three professionals (the third goes to the waiting list), and marks one present without a reload."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from cai.choices import Role
from formations.choices import RegistrationStatus
from formations.models import Registration, TrainingSession
from tests.e2e.helpers import sign_in
from tests.factories import UserFactory

PASSWORD = "motdepasse-de-test-solide"  # tests.factories.UserFactory
SCREENSHOTS = os.environ.get("CAI_SCREENSHOTS_DIR", "")  # set it to look at the pages


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_coordinator_plans_a_session_registers_and_marks_attendance(live_server, page):
    coordinator = UserFactory(username="chloe", first_name="Chloé", last_name="Dubois", role=Role.COORDINATOR)
    sign_in(page, live_server.url, coordinator, PASSWORD)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Formations").first.click()
    page.get_by_role("link", name="Nouvelle formation").first.click()
    page.fill("#id_title", "Communication interculturelle")
    page.fill("#id_theme", "Interculturalité")
    page.fill("#id_modules", "Représentations\nChocs culturels")
    page.get_by_role("button", name="Enregistrer la formation").click()
    page.get_by_role("link", name="Nouvelle session").click()

    start = timezone.localtime() - dt.timedelta(days=1)
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT09:30"))
    page.fill("#id_ends_at", start.strftime("%Y-%m-%dT12:30"))
    page.fill("#id_capacity", "2")
    page.fill("#id_place", "Namur, rue Docteur Haibe 2")
    page.get_by_role("button", name="Enregistrer la session").click()
    page.wait_for_url("**/formations/sessions/*/")
    session = TrainingSession.objects.get()

    for name in ("Anne Lemaire", "Bruno Collard", "Chantal Dufour"):
        page.fill("#inscription_name", name)
        page.fill("#inscription_email", f"{name.split()[0].lower()}@example.org")
        page.get_by_role("button", name="Inscrire", exact=True).click()
        page.wait_for_load_state("load")
    assert page.get_by_text("Chantal Dufour est placé·e sur la liste d'attente").is_visible()
    assert Registration.objects.get(name="Chantal Dufour").status == RegistrationStatus.WAITING

    anne = Registration.objects.get(name="Anne Lemaire")
    row = page.locator(f"#registration-{anne.pk}")
    row.get_by_role("button", name="Marquer présent·e").click()
    row.get_by_role("button", name="Marquer absent·e").wait_for()  # swapped in place by HTMX
    anne.refresh_from_db()
    assert anne.attended
    shot(page, "session_detail")

    page.goto(f"{live_server.url}/formations/sessions/")
    assert (
        page.locator("tbody tr", has_text="Communication interculturelle").get_by_text("2 / 2").is_visible()
    )
    shot(page, "session_list")
    assert session.registrations.count() == 3
