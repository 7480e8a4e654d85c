"""Journey (issue 2): a counsellor signs in, finds a person by a misspelled name, logs an appointment
with two request types and an interpreter, and sees it on the person's timeline and on "Ma journée"."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accompagnement.models import Appointment, Language
from cai.choices import Role
from tests.e2e.helpers import sign_in
from tests.factories import PersonFactory, UserFactory, office

PASSWORD = "motdepasse-de-test-solide"  # tests.factories.UserFactory


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_counsellor_finds_person_logs_appointment_and_sees_it_on_timeline_and_day(live_server, page):
    namur = office("namur")
    counsellor = UserFactory(
        username="alice", first_name="Alice", last_name="Martin", role=Role.COUNSELLOR, offices=[namur]
    )
    dari = Language.objects.get(code="prs")
    person = PersonFactory(
        first_name="Mohammed",
        last_name="Al-Hassan",
        office=namur,
        interpreter_needed=True,
        interpreter_language=dari,
    )
    PersonFactory(first_name="Zoé", last_name="Lejeune", office=namur)

    sign_in(page, live_server.url, counsellor, PASSWORD)
    assert page.url.endswith(reverse("accompagnement:my_day"))

    # Find the person by a misspelled, swapped name.
    page.goto(f"{live_server.url}{reverse('accompagnement:person_list')}")
    page.fill("form[role=search] input[name=q]", "hasan mohamed")
    page.locator("form[role=search] button[type=submit]").click()
    result = page.locator("#search-results a", has_text="AL-HASSAN Mohammed")
    result.wait_for()
    assert page.locator("#search-results a", has_text="Lejeune").count() == 0
    result.click()
    page.wait_for_url(f"**{person.get_absolute_url()}")

    # Log an appointment today with two request types and an interpreter.
    page.get_by_role("link", name="Nouveau rendez-vous").click()
    page.wait_for_url("**/rendez-vous/nouveau/**")
    today = timezone.localdate()
    page.fill("#id_starts_at", f"{today:%Y-%m-%d}T09:00")
    page.get_by_label("Parcours d'intégration").check()
    page.get_by_label("Logement").check()
    assert page.locator("#id_interpreter_language").input_value() == str(dari.pk)  # prefilled from the file
    page.select_option("#id_interpreter_service", "setis")
    page.fill("#id_notes", "Première rencontre, orientation vers un cours de français.")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**{person.get_absolute_url()}")

    appointment = Appointment.objects.get(person=person)
    assert sorted(appointment.request_types.values_list("code", flat=True)) == ["logement", "parcours"]
    assert appointment.interpreter_language == dari and appointment.interpreter_service == "setis"
    assert appointment.counsellor == counsellor

    # The timeline of the file shows it.
    assert page.get_by_text("Première rencontre, orientation vers un cours de français.").is_visible()
    assert page.get_by_text("Logement").first.is_visible()

    # And so does "Ma journée".
    page.goto(f"{live_server.url}{reverse('accompagnement:my_day')}")
    today_card = page.locator(".card", has=page.locator("#today-title"))
    assert today_card.get_by_text("AL-HASSAN Mohammed").is_visible()
    assert today_card.get_by_text("09:00").is_visible()
