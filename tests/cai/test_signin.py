"""Strong sign-in: password + second factor, enrolment, recovery codes, lockout, session limits, audit."""

import base64
import datetime as dt
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cai.auth_views import lockout_client_ip
from cai.middleware import SessionLifetimeMiddleware, TwoFactorMiddleware
from cai.models import SecurityEvent
from cai.twofactor import issue_recovery_codes
from tests.factories import UserFactory

PASSWORD = "motdepasse-de-test-solide"  # tests.factories.UserFactory


@pytest.fixture
def user(office_a):
    return UserFactory(username="marie", role="counsellor", offices=[office_a])


@pytest.fixture
def device(user):
    return TOTPDevice.objects.create(user=user, name="telephone", confirmed=True)


def current_code(device) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key):06d}"


def allow_next_code(device) -> None:
    """django-otp slows down codes for a few seconds after a failure; tests move that moment back."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(hours=1)
    )


def password_step(client, username="marie", password=PASSWORD, next_url="", **extra):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data, **extra)


def code_step(client, code, next_url="", **extra):
    data = {"code": code}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("twofactor_verify"), data, **extra)


def is_fully_signed_in(client) -> bool:
    """A page behind both factors answers (the landing page redirects elsewhere than the code page)."""
    response = client.get(reverse("profile"))
    return response.status_code == 200


# --- Passwords -------------------------------------------------------------------------------------


def test_new_password_hash_is_argon2id(settings):
    from cai.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    assert make_password("une phrase de passe assez longue").startswith("argon2$argon2id$")


@pytest.mark.parametrize(
    "password", ["court-1234", "123456789012345", "qwerty123456"], ids=["too-short", "numeric", "common"]
)
def test_weak_passwords_are_refused(settings, password):
    from cai.settings import base

    settings.AUTH_PASSWORD_VALIDATORS = base.AUTH_PASSWORD_VALIDATORS
    with pytest.raises(ValidationError):
        validate_password(password)


# --- Password step and the deny-by-default middleware ----------------------------------------------


def test_sign_in_page_is_in_french(db):
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert "Identifiant" in response.text and "Mot de passe" in response.text


def test_wrong_password_shows_french_error_and_signs_nobody_in(user):
    client = Client()
    response = password_step(client, password="pas-le-bon-mot-de-passe")
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.text
    assert client.get(reverse("profile")).status_code == 302


def test_password_step_leads_to_code_page_keeping_next(user, device):
    client = Client()
    response = password_step(client, next_url="/profil/")
    assert response.status_code == 302
    assert response.url == reverse("twofactor_verify") + "?next=%2Fprofil%2F"
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Vérification en deux étapes" in page.text


@pytest.mark.parametrize(
    "url_name", ["home", "profile", "audit_log", "accompagnement:person_list", "admin:index", "api-docs"]
)
def test_password_alone_reaches_no_page(user, device, url_name):
    client = Client()
    password_step(client)
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("twofactor_verify") + "?next=")


def test_password_alone_gets_no_api_data(user, device):
    client = Client()
    password_step(client)
    response = client.get("/api/people/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 302
    assert response.url.startswith(reverse("twofactor_verify"))


def test_htmx_request_without_second_factor_is_told_to_navigate(user, device):
    client = Client()
    password_step(client)
    response = client.get(reverse("profile"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("twofactor_verify")


def test_sign_out_and_static_files_stay_reachable_before_the_code(user, device):
    client = Client()
    password_step(client)
    static = client.get("/static/js/app.js")
    assert not (static.status_code == 302 and reverse("twofactor_verify") in static.url)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(reverse("twofactor_verify")).url.startswith(reverse("login"))


def test_token_client_without_session_is_not_sent_to_code_page(db):
    """DRF authenticates tokens inside the view: without a session the middleware lets the request pass."""
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/api/people/", HTTP_AUTHORIZATION="Token abc")
    request.user = AnonymousUser()
    reached = []
    TwoFactorMiddleware(lambda r: reached.append(r) or "view")(request)
    assert reached == [request]


def test_account_without_second_factor_is_sent_to_enrolment(user):
    client = Client()
    response = password_step(client)
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("twofactor_enrol"))


# --- Second factor ---------------------------------------------------------------------------------


def test_authenticator_code_completes_sign_in_and_goes_to_next(user, device):
    client = Client()
    password_step(client, next_url="/profil/")
    response = code_step(client, current_code(device), next_url="/profil/")
    assert response.status_code == 302 and response.url == "/profil/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert is_fully_signed_in(client)
    assert client.get(reverse("twofactor_verify")).status_code == 302  # already verified


def test_code_step_renews_the_session_key(user, device):
    client = Client()
    password_step(client)
    before = client.session.session_key
    code_step(client, current_code(device))
    assert client.session.session_key != before


def test_next_pointing_elsewhere_is_ignored(user, device):
    client = Client()
    password_step(client)
    response = code_step(client, current_code(device), next_url="https://evil.example/")
    assert response.url == reverse("home")


def test_replayed_authenticator_code_is_refused(user, device):
    first = Client()
    password_step(first)
    code = current_code(device)
    assert code_step(first, code).status_code == 302

    second = Client()
    password_step(second)
    response = code_step(second, code)
    assert response.status_code == 200
    assert "Code incorrect ou déjà utilisé" in response.text
    assert not is_fully_signed_in(second)


def test_wrong_code_is_refused_recorded_and_counted(user, device):
    client = Client()
    password_step(client)
    good = current_code(device)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = code_step(client, wrong)
    assert response.status_code == 200
    assert "Code incorrect ou déjà utilisé" in response.text
    assert not is_fully_signed_in(client)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OTP_FAILED, user=user).count() == 1
    assert AccessAttempt.objects.get(username="marie").failures_since_start == 1


@pytest.mark.parametrize("code", ["", "12345", "abc", "1" * 40])
def test_malformed_code_gets_a_french_message(user, device, code):
    client = Client()
    password_step(client)
    response = code_step(client, code)
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert not is_fully_signed_in(client)


def test_five_wrong_codes_end_the_session_and_lock(user, device):
    client = Client()
    password_step(client)
    for _ in range(4):
        allow_next_code(device)
        assert code_step(client, "000000").status_code == 200
    allow_next_code(device)
    response = code_step(client, "000000")
    assert response.status_code == 429
    assert "Connexion bloquée" in response.text
    assert client.get(reverse("twofactor_verify")).url.startswith(reverse("login"))  # signed out
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OTP_FAILED).count() == 5
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKOUT, username="marie").exists()
    assert password_step(Client()).status_code == 429  # the password no longer opens a session from here


def test_five_wrong_codes_sign_out_even_if_lockout_is_off(user, device, settings):
    settings.AXES_ENABLED = False
    client = Client()
    password_step(client)
    for _ in range(5):
        allow_next_code(device)
        response = code_step(client, "000000")
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(reverse("twofactor_verify")).url.startswith(reverse("login"))


def test_recovery_code_works_once_only(user, device):
    codes = issue_recovery_codes(user)
    client = Client()
    password_step(client)
    response = code_step(client, codes[0].upper())  # case and spaces do not matter
    assert response.status_code == 302
    assert is_fully_signed_in(client)
    assert StaticToken.objects.filter(device__user=user).count() == 9

    again = Client()
    password_step(again)
    allow_next_code(device)
    response = code_step(again, codes[0])
    assert response.status_code == 200
    assert not is_fully_signed_in(again)


def test_recovery_code_alone_signs_in_then_suggests_an_authenticator(user):
    """Accounts created with recovery codes only (the demo accounts) sign in with one, then are invited to enrol."""
    codes = issue_recovery_codes(user)
    client = Client()
    response = client.get(password_step(client).url)
    assert response.status_code == 200  # the code page, not enrolment: the account has a second factor
    response = code_step(client, codes[3])
    assert response.status_code == 302
    assert response.url.startswith(reverse("twofactor_enrol"))
    assert is_fully_signed_in(client)


# --- Enrolment -------------------------------------------------------------------------------------


def test_enrolment_page_shows_qr_code_and_secret(user):
    client = Client()
    password_step(client)
    response = client.get(reverse("twofactor_enrol"))
    assert response.status_code == 200
    qr = response.context["qr_code"]
    assert qr.startswith("data:image/svg+xml;base64,")
    assert b"<svg" in base64.b64decode(qr.split(",", 1)[1])
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert base64.b32encode(device.bin_key).decode().rstrip("=")[:4] in response.text
    assert "http" not in qr
    # Reloading keeps the same secret, so the phone already scanned still matches.
    client.get(reverse("twofactor_enrol"))
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_enrolment_confirms_with_a_code_and_shows_ten_recovery_codes_once(user):
    client = Client()
    password_step(client)
    client.get(reverse("twofactor_enrol"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("twofactor_enrol"), {"code": current_code(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(codes)
    assert all(code in response.text for code in codes)
    assert is_fully_signed_in(client)
    assert not any(code in client.get(reverse("twofactor_manage")).text for code in codes)


def test_enrolment_with_wrong_code_confirms_nothing(user):
    client = Client()
    password_step(client)
    client.get(reverse("twofactor_enrol"))
    response = client.post(reverse("twofactor_enrol"), {"code": "12"})
    assert response.status_code == 200
    assert "6 chiffres" in response.text
    response = client.post(reverse("twofactor_enrol"), {"code": "000000"})
    assert "Code incorrect" in response.text
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert not is_fully_signed_in(client)


def test_password_alone_cannot_add_a_device_to_an_account_that_has_one(user, device):
    client = Client()
    password_step(client)
    assert client.get(reverse("twofactor_enrol")).url.startswith(reverse("twofactor_verify"))
    response = client.post(reverse("twofactor_enrol"), {"code": "123456"})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=user)) == [device]


def test_verified_user_replaces_phone_and_stays_signed_in(user, login):
    client = login(user)
    old = TOTPDevice.objects.get(user=user)
    client.get(reverse("twofactor_enrol"))
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("twofactor_enrol"), {"code": current_code(new)})
    assert response.status_code == 200
    assert list(TOTPDevice.objects.filter(user=user)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert is_fully_signed_in(client)


def test_manage_page_issues_new_recovery_codes(user, login):
    old = issue_recovery_codes(user)
    client = login(user)
    page = client.get(reverse("twofactor_manage"))
    assert page.status_code == 200 and "Codes de secours restants" in page.text
    response = client.post(reverse("twofactor_manage"))
    new = response.context["codes"]
    assert len(new) == 10
    tokens = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert tokens == set(new) and not tokens & set(old)


# --- Lockout (django-axes) -------------------------------------------------------------------------


def fail_password(client, times, **extra):
    responses = [password_step(client, password="mauvais-mot-de-passe", **extra) for _ in range(times)]
    return responses[-1]


def test_sixth_attempt_is_locked_even_with_the_right_password(user, device):
    client = Client()
    for _ in range(4):
        assert password_step(client, password="mauvais-mot-de-passe").status_code == 200
    assert password_step(client, password="mauvais-mot-de-passe").status_code == 429  # 5th failure locks
    response = password_step(client)
    assert response.status_code == 429
    assert "Connexion bloquée" in response.text and "30 minutes" in response.text
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKOUT, username="marie", user=user).exists()


def test_lock_lifts_after_the_cool_off(user, device):
    client = Client()
    fail_password(client, 5)
    assert password_step(client).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    response = password_step(client)
    assert response.status_code == 302 and response.url.startswith(reverse("twofactor_verify"))


def test_lock_still_holds_before_the_cool_off_ends(user, device):
    client = Client()
    fail_password(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=29))
    assert password_step(client).status_code == 429


def test_same_username_from_another_address_is_not_locked(user, device):
    fail_password(Client(), 5, REMOTE_ADDR="10.0.0.1")
    assert password_step(Client(), REMOTE_ADDR="10.0.0.1").status_code == 429
    response = password_step(Client(), REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


def test_other_users_at_the_same_address_are_not_locked(user, device):
    UserFactory(username="paul")
    fail_password(Client(), 5)
    assert password_step(Client(), username="paul").status_code == 302


def test_failures_are_forgotten_after_a_complete_sign_in_only(user, device):
    client = Client()
    fail_password(client, 4)
    password_step(client)
    assert (
        AccessAttempt.objects.get(username="marie").failures_since_start == 4
    )  # the password alone resets nothing
    code_step(client, current_code(device))
    assert not AccessAttempt.objects.filter(username="marie").exists()


def test_wrong_passwords_and_wrong_codes_add_up(user, device):
    client = Client()
    fail_password(client, 3)
    password_step(client)
    allow_next_code(device)
    assert code_step(client, "000000").status_code == 200
    allow_next_code(device)
    assert code_step(client, "000000").status_code == 429


def test_lockout_address_ignores_forged_forwarded_for_without_trusted_proxy(settings):
    settings.CAI_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert lockout_client_ip(request) == "10.1.1.1"


def test_lockout_address_behind_one_trusted_proxy_is_the_address_it_saw(settings):
    settings.CAI_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 81.2.3.4")
    assert lockout_client_ip(request) == "81.2.3.4"


# --- Sessions --------------------------------------------------------------------------------------


def test_session_expires_after_30_idle_minutes(user, login, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    client = login(user)
    assert client.get(reverse("profile")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_each_request_slides_the_idle_expiry(user, login):
    client = login(user)
    client.get(reverse("profile"))
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=2))
    assert client.get(reverse("profile")).status_code == 200
    assert Session.objects.get(pk=key).expire_date > timezone.now() + dt.timedelta(minutes=29)


def test_session_ends_ten_hours_after_sign_in_whatever_the_activity(user, login):
    client = login(user)
    assert client.get(reverse("profile")).status_code == 200
    session = client.session
    assert session[SessionLifetimeMiddleware.KEY] <= time.time()
    session[SessionLifetimeMiddleware.KEY] = int(time.time()) - 10 * 60 * 60 + 60  # 9 h 59
    session.save()
    assert client.get(reverse("profile")).status_code == 200
    session = client.session
    session[SessionLifetimeMiddleware.KEY] = int(time.time()) - 10 * 60 * 60 - 1
    session.save()
    response = client.get(reverse("profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGOUT, user=user).exists()


def test_disabled_user_loses_access_on_next_request(user, login):
    client = login(user)
    assert client.get(reverse("profile")).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(reverse("profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_disabled_user_cannot_sign_in(user, device):
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = password_step(Client())
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.text


# --- Security log ----------------------------------------------------------------------------------


def test_sign_in_sign_out_and_failures_are_recorded(user, device):
    client = Client(HTTP_USER_AGENT="Navigateur de test")
    password_step(client, password="mauvais-mot-de-passe", REMOTE_ADDR="192.0.2.7")
    failed = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED)
    assert (failed.username, failed.user, failed.ip_address) == ("marie", None, "192.0.2.7")
    assert failed.user_agent == "Navigateur de test"

    password_step(client, REMOTE_ADDR="192.0.2.7")
    login_event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN)
    assert (login_event.user, login_event.ip_address) == (user, "192.0.2.7")

    code_step(client, current_code(device))
    client.post(reverse("logout"))
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGOUT, user=user).count() == 1


def test_failed_sign_in_with_unknown_username_is_recorded_with_what_was_typed(db):
    password_step(Client(), username="inconnu", password="peu-importe-ici")
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED, username="inconnu").exists()


def test_signed_in_client_fixture_is_fully_verified(user, login):
    """Every other test relies on it: the client it returns passes the second-factor middleware."""
    assert is_fully_signed_in(login(user))
