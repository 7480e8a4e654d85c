"""API tokens: password AND second factor, one generic answer for every failure."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cai.choices import Role
from cai.models import SecurityEvent
from cai.twofactor import issue_recovery_codes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/auth/token/"
PASSWORD = "motdepasse-de-test-solide"  # UserFactory's
GENERIC = "Identifiant, mot de passe ou code incorrect."


@pytest.fixture
def device(counsellor_a):
    return TOTPDevice.objects.create(user=counsellor_a, name="t", confirmed=True)


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def ask(username="alice", password=PASSWORD, **extra):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password, **extra}, format="json")


def refused_generically(response) -> bool:
    return response.status_code == 400 and response.json() == {"non_field_errors": [GENERIC]}


def test_password_and_current_totp_code_give_a_token_that_then_authenticates(counsellor_a, device):
    response = ask(code=current_code(device))
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=counsellor_a).key == key

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/people/").status_code == 200
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN, user=counsellor_a).exists()


def test_missing_code_is_refused_with_the_generic_message(counsellor_a, device):
    assert refused_generically(ask())
    assert refused_generically(ask(code=""))
    assert not Token.objects.exists()


def test_wrong_code_is_refused_and_recorded(counsellor_a, device):
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    assert refused_generically(ask(code=wrong))
    assert not Token.objects.exists()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OTP_FAILED, user=counsellor_a).count() == 1


def test_a_totp_code_is_never_accepted_twice(counsellor_a, device):
    code = current_code(device)
    assert ask(code=code).status_code == 200
    Token.objects.all().delete()
    assert refused_generically(ask(code=code))
    assert not Token.objects.exists()


def test_wrong_password_with_a_right_code_is_refused_the_same_way(counsellor_a, device):
    assert refused_generically(ask(password="pas-le-bon-mot-de-passe", code=current_code(device)))
    assert refused_generically(ask(username="inconnu", code=current_code(device)))
    assert not Token.objects.exists()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED, username="alice").exists()


def test_missing_fields_are_refused_the_same_way(db):
    assert refused_generically(APIClient().post(TOKEN_URL, {}, format="json"))


def test_inactive_user_gets_no_token(counsellor_a, device):
    counsellor_a.is_active = False
    counsellor_a.save(update_fields=["is_active"])
    assert refused_generically(ask(code=current_code(device)))


def test_user_without_a_second_factor_is_told_to_enrol_first(counsellor_a):
    response = ask(code="123456")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Activez d'abord la double authentification dans l'application."]
    }
    assert not Token.objects.exists()


def test_unconfirmed_device_does_not_count_as_a_second_factor(counsellor_a):
    device = TOTPDevice.objects.create(user=counsellor_a, name="t", confirmed=False)
    response = ask(code=current_code(device))
    assert response.json()["non_field_errors"] == [
        "Activez d'abord la double authentification dans l'application."
    ]


def test_a_recovery_code_works_once(counsellor_a):
    codes = issue_recovery_codes(counsellor_a)
    assert ask(code=codes[0]).status_code == 200
    assert ask(code=codes[1]).status_code == 200
    Token.objects.all().delete()
    assert refused_generically(ask(code=codes[0]))
    assert not Token.objects.exists()


def test_an_unknown_token_is_refused(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert client.get("/api/people/").status_code == 401


def test_a_token_of_a_role_without_files_still_gets_403(coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="t", confirmed=True)
    key = ask(username="chloe", code=current_code(device)).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/people/").status_code == 403
    assert client.get("/api/offices/").status_code == 200


def test_token_endpoint_needs_no_csrf_and_no_session(counsellor_a, device):
    client = APIClient(enforce_csrf_checks=True)
    response = client.post(
        TOKEN_URL, {"username": "alice", "password": PASSWORD, "code": current_code(device)}, format="json"
    )
    assert response.status_code == 200


def test_token_endpoint_answers_only_post(db):
    assert APIClient().get(TOKEN_URL).status_code == 405


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.ADMIN])
def test_every_role_with_a_device_can_get_a_token(role):
    user = UserFactory(username=f"u-{role}", role=role)
    device = TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    assert ask(username=user.username, code=current_code(device)).status_code == 200


def wrong_code_for(device) -> str:
    return f"{(int(current_code(device)) + 1) % 1_000_000:06d}"


def test_wrong_codes_count_towards_the_lockout_like_on_the_sign_in_page(counsellor_a, device, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert refused_generically(ask(code=wrong_code_for(device)))
    locked = ask(code=wrong_code_for(device))
    assert locked.status_code == 429
    # An API client gets the refusal in JSON, as the schema documents (not the sign-in page's HTML).
    assert locked["Content-Type"] == "application/json"
    assert "bloquée pendant 30 minutes" in locked.json()["detail"]
    # Locked out: even the right password and code get no token now.
    device.throttle_reset()
    assert ask(code=current_code(device)).status_code == 429
    assert not Token.objects.exists()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKOUT, username="alice").exists()


def test_a_successful_token_request_forgets_earlier_failures(counsellor_a, device, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        ask(password="pas-le-bon-mot-de-passe")
    assert AccessAttempt.objects.filter(username="alice").exists()
    assert ask(code=current_code(device)).status_code == 200
    assert not AccessAttempt.objects.filter(username="alice").exists()
