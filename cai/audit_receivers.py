"""Sign-in events go to the security log. Receivers only record; they decide nothing."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import SecurityEvent
from .requests import client_ip


def record_security_event(kind, request, user=None, username=""):
    """One row of the security log: what, who (or the username typed), from which address and browser."""
    SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=client_ip(request) if request is not None else None,
        user_agent=(request.headers.get("User-Agent", "") if request is not None else "")[:300],
    )


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    record_security_event(SecurityEvent.Kind.LOGIN, request, user)


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs):
    if user is not None:
        record_security_event(SecurityEvent.Kind.LOGOUT, request, user)


@receiver(user_login_failed)
def record_login_failed(sender, credentials, request=None, **kwargs):
    record_security_event(SecurityEvent.Kind.LOGIN_FAILED, request, None, credentials.get("username", ""))


@receiver(user_locked_out)
def record_lockout(sender, request, username, ip_address=None, **kwargs):
    """django-axes refused or stopped a sign-in: too many failures for this username from this address."""
    user = get_user_model().objects.filter(username=username).first() if username else None
    record_security_event(SecurityEvent.Kind.LOCKOUT, request, user, username or "")
