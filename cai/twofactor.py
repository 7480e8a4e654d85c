"""Second factor helpers (django-otp): an authenticator app (TOTP) for every account, and recovery codes,
which are single-use static tokens. The sign-in views (``cai.auth_views``) call these; they hold the writes."""

import re
from base64 import b32encode, b64encode

import qrcode
from django.db import transaction
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

RECOVERY_DEVICE_NAME = "recovery"
AUTHENTICATOR_DEVICE_NAME = "authenticator"
_SEPARATORS = re.compile(r"[\s\-]+")


def issue_recovery_codes(user, count: int = 10) -> list[str]:
    """Replace the user's recovery codes with ``count`` new single-use ones and return them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(count)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def normalize_code(raw: str) -> str:
    """What the user typed, without spaces or dashes, lower case (recovery codes are lower-case base32)."""
    return _SEPARATORS.sub("", raw or "").lower()


def is_authenticator_code(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def has_second_factor(user) -> bool:
    """Whether the user can give a second factor: a confirmed authenticator app or an unused recovery code.
    A user who cannot is sent to enrolment after the password step."""
    return has_authenticator(user) or remaining_recovery_codes(user) > 0


def verify_second_factor(user, raw_code: str):
    """The device that accepts ``raw_code`` for ``user``, or None.

    Six digits are checked against the authenticator app: django-otp's TOTPDevice remembers the time step
    of the last accepted code (``last_t``), so a code is never accepted twice, and it slows down repeated
    failures. Anything else is checked against the recovery codes; an accepted one is deleted.
    """
    code = normalize_code(raw_code)
    if not code or len(code) > 16:
        return None
    model = TOTPDevice if is_authenticator_code(code) else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True):
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def is_throttled(user) -> bool:
    """Whether the authenticator app refuses codes for a few seconds after recent failures."""
    return any(
        not device.verify_is_allowed()[0] for device in TOTPDevice.objects.filter(user=user, confirmed=True)
    )


def enrolment_device(user) -> TOTPDevice:
    """The authenticator being set up for ``user``: unconfirmed, the same one across page loads (so the
    QR code does not change under the user's phone) until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def enrolment_confirm(*, user, device_id: int, raw_code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the authenticator being set up if ``raw_code`` is its current code.

    Side effects on success: the device becomes confirmed, the user's other authenticators are deleted
    (an enrolment replaces the previous phone) and 10 new recovery codes replace the old ones.
    Returns (device, recovery codes to show once), or None when the code is wrong (nothing changes).
    """
    device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
    code = normalize_code(raw_code)
    if device is None or not is_authenticator_code(code) or not device.verify_token(code):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return device, issue_recovery_codes(user)


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` URL as a QR code, an SVG drawn here (no outside service), as a data URI."""
    image = qrcode.make(device.config_url, image_factory=SvgPathImage, box_size=8, border=2)
    return "data:image/svg+xml;base64," + b64encode(image.to_string()).decode("ascii")


def secret_for_display(device: TOTPDevice) -> str:
    """The shared secret in base32, in groups of four, for users who type it instead of scanning."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
