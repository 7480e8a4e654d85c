"""Sign-in events go to the security log. Receivers only record; they decide nothing."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import SecurityEvent
from .requests import client_ip


def _record(kind, request, user=None, username=""):
    SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=client_ip(request) if request is not None else None,
        user_agent=(request.headers.get("User-Agent", "") if request is not None else "")[:300],
    )


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    _record(SecurityEvent.Kind.LOGIN, request, user)


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs):
    if user is not None:
        _record(SecurityEvent.Kind.LOGOUT, request, user)


@receiver(user_login_failed)
def record_login_failed(sender, credentials, request=None, **kwargs):
    _record(SecurityEvent.Kind.LOGIN_FAILED, request, None, credentials.get("username", ""))
