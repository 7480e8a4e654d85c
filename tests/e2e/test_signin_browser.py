"""Journey: a member of staff signs in with password and authenticator code and lands on their start page,
without any Content-Security-Policy violation on the way."""

import pytest
from django.urls import reverse

from cai.choices import Role
from tests.e2e.helpers import sign_in
from tests.factories import UserFactory

PASSWORD = "motdepasse-de-test-solide"  # tests.factories.UserFactory


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_director_signs_in_with_password_and_code_without_csp_violation(live_server, page):
    director = UserFactory(username="diane", first_name="Diane", last_name="Leroy", role=Role.DIRECTOR)
    problems = []

    def on_console(message):
        # Browsers ask for /favicon.ico on their own; the application has none.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))

    sign_in(page, live_server.url, director, PASSWORD)

    assert page.url == f"{live_server.url}{reverse('accompagnement:person_list')}"
    assert page.locator("nav").get_by_text("Diane Leroy").is_visible()
    page.goto(f"{live_server.url}{reverse('profile')}")
    assert page.get_by_role("heading", name="Mon profil").is_visible()
    assert not [text for text in problems if "Content Security Policy" in text], problems
    assert not problems, problems
