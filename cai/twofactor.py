"""Second factor helpers (django-otp): recovery codes are single-use static tokens."""

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

RECOVERY_DEVICE_NAME = "recovery"


def issue_recovery_codes(user, count: int = 10) -> list[str]:
    """Replace the user's recovery codes with ``count`` new single-use ones and return them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(count)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes
