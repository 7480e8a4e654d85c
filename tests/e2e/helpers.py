"""Browser-test helpers: sign in through the real pages (password, then the second factor)."""

import re
import time

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator_for(user) -> TOTPDevice:
    """The user's confirmed authenticator app, created if the user has none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="navigateur de test", confirmed=True)
    return device


def fresh_code(device: TOTPDevice) -> str:
    """A code the device will accept now: the current time step, or the next one when the current code
    was already used (a code is never accepted twice), waiting for it if it is not yet valid."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now_step = totp.t()
    target = max(now_step, device.last_t + 1)
    if target > now_step + device.tolerance:  # pragma: no cover (two sign-ins within the same step)
        time.sleep((target - device.tolerance) * device.step + device.t0 - time.time() + 0.5)
    totp.time = target * device.step + device.t0
    return f"{totp.token():0{device.digits}d}"


def sign_in(page, base_url: str, user, password: str) -> None:
    """Fill the real sign-in form, then the code page with a code of the user's authenticator app, and
    wait for the landing page."""
    device = authenticator_for(user)
    page.goto(f"{base_url}{reverse('login')}")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", password)
    page.click("form[action$='/connexion/'] button[type=submit]")
    page.wait_for_url(re.compile(re.escape(reverse("twofactor_verify"))))
    page.fill("#id_code", fresh_code(device))
    page.click("form[action$='/connexion/verification/'] button[type=submit]")
    page.wait_for_url(lambda url: "/connexion/" not in url)
    page.wait_for_load_state("load")
