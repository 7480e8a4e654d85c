"""Sign-in in two steps: the password (``SignInView``), then a second factor (``TwoFactorVerifyView``),
or, for an account without one yet, the enrolment of an authenticator app (``TwoFactorEnrolView``).

Until the second step succeeds, ``cai.middleware.TwoFactorMiddleware`` keeps the session on these pages.
Failures of both steps count towards the django-axes lockout (same username, same address); they are
forgotten only after a complete sign-in (``complete_sign_in``).
"""

from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from . import twofactor
from .audit_receivers import record_security_event
from .forms import EnrolmentForm, SecondFactorForm, SignInForm
from .models import SecurityEvent

OTP_FAILURES_SESSION_KEY = "_cai_otp_failures"


def lockout_client_ip(request) -> str | None:
    """The address django-axes counts failures for (``AXES_CLIENT_IP_CALLABLE``).

    Behind ``CAI_TRUSTED_PROXY_COUNT`` reverse proxies, each appending to X-Forwarded-For, the address the
    outermost trusted proxy saw; otherwise REMOTE_ADDR. Earlier X-Forwarded-For entries are written by the
    client and could be changed at every attempt to escape the lockout, so they are never used.
    """
    count = settings.CAI_TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR") or None


def lockout_response(request, original_response=None, credentials=None):
    """The French page answered while a username is locked out at this address (``AXES_LOCKOUT_CALLABLE``);
    API clients (the token endpoint) get the same refusal in JSON, as the schema documents."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": lockout_message(minutes)}, status=429)
    return render(
        request,
        "registration/lockout.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


def lockout_message(minutes: int) -> str:
    return ngettext(
        "Trop de tentatives ont échoué : la connexion est bloquée pendant %(minutes)d minute.",
        "Trop de tentatives ont échoué : la connexion est bloquée pendant %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _safe_next(request, default: str | None = None) -> str:
    """The ``next`` URL of the request if it stays on this site, else ``default`` (the landing page)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


def _credentials(user) -> dict:
    return {"username": user.get_username()}


def complete_sign_in(request, device) -> None:
    """Mark the session verified by ``device``, give it a new key and forget the failed attempts."""
    otp_login(request, device)
    request.session.cycle_key()
    request.session.pop(OTP_FAILURES_SESSION_KEY, None)
    AxesProxyHandler.reset_attempts(
        ip_address=get_client_ip_address(request), username=request.user.get_username()
    )


@method_decorator(login_not_required, name="dispatch")
class SignInView(LoginView):
    """The password step; success leads to the second-factor page, keeping the page asked for."""

    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        return _with_next(reverse("twofactor_verify"), super().get_success_url())


class TwoFactorVerifyView(FormView):
    """The second step: a code of the authenticator app or a recovery code.

    A wrong code is recorded (``otp_failed``) and counts towards the lockout; after
    ``CAI_OTP_MAX_FAILURES`` wrong codes, or when the lockout is reached, the session is ended.
    """

    form_class = SecondFactorForm
    template_name = "cai/twofactor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        if user.is_verified():
            return redirect(_safe_next(request))
        if not twofactor.has_second_factor(user):
            return redirect(_with_next(reverse("twofactor_enrol"), _safe_next(request)))
        if AxesProxyHandler.is_locked(request, _credentials(user)):
            logout(request)
            return lockout_response(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = _safe_next(self.request)
        context["has_authenticator"] = twofactor.has_authenticator(self.request.user)
        return context

    def form_valid(self, form):
        request = self.request
        user = request.user
        throttled = twofactor.is_throttled(user)
        device = twofactor.verify_second_factor(user, form.cleaned_data["code"])
        if device is None:
            return self.code_refused(form, throttled=throttled)
        complete_sign_in(request, device)
        next_url = _safe_next(request)
        if isinstance(device, StaticDevice):
            left = twofactor.remaining_recovery_codes(user)
            messages.warning(
                request,
                ngettext(
                    "Code de secours accepté. Il vous reste %(count)d code de secours.",
                    "Code de secours accepté. Il vous reste %(count)d codes de secours.",
                    left,
                )
                % {"count": left},
            )
            if not twofactor.has_authenticator(user):
                messages.info(
                    request,
                    _("Configurez maintenant une application d'authentification sur votre téléphone."),
                )
                return redirect(_with_next(reverse("twofactor_enrol"), next_url))
        return redirect(next_url)

    def code_refused(self, form, *, throttled: bool):
        request = self.request
        user = request.user
        record_security_event(SecurityEvent.Kind.OTP_FAILED, request, user)
        failures = request.session.get(OTP_FAILURES_SESSION_KEY, 0) + 1
        request.session[OTP_FAILURES_SESSION_KEY] = failures
        AxesProxyHandler.user_login_failed(sender=type(self), credentials=_credentials(user), request=request)
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return lockout_response(request)
        if failures >= settings.CAI_OTP_MAX_FAILURES:
            logout(request)
            messages.error(request, _("Trop de codes erronés : la session a été fermée. Reconnectez-vous."))
            return redirect(settings.LOGIN_URL)
        if throttled:
            form.add_error(
                "code", _("Code refusé. Après une erreur, patientez quelques secondes avant de réessayer.")
            )
        else:
            form.add_error("code", _("Code incorrect ou déjà utilisé."))
        return self.form_invalid(form)


class TwoFactorEnrolView(FormView):
    """Set up an authenticator app: QR code and secret, then a first code to confirm; the page then shows
    10 recovery codes, once. Reachable after the password step only by accounts without a second factor
    (a password alone must never add a device); verified users come here to replace their phone."""

    form_class = EnrolmentForm
    template_name = "cai/twofactor_enrol.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        if not user.is_verified() and twofactor.has_second_factor(user):
            return redirect(_with_next(reverse("twofactor_verify"), _safe_next(request)))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = twofactor.enrolment_device(self.request.user)
        context.update(
            qr_code=twofactor.qr_code_data_uri(device),
            secret=twofactor.secret_for_display(device),
            next=_safe_next(self.request),
            replacing=twofactor.has_authenticator(self.request.user),
        )
        return context

    def form_valid(self, form):
        request = self.request
        device = twofactor.enrolment_device(request.user)
        confirmed = twofactor.enrolment_confirm(
            user=request.user, device_id=device.pk, raw_code=form.cleaned_data["code"]
        )
        if confirmed is None:
            form.add_error(
                "code",
                _(
                    "Code incorrect. Vérifiez que l'heure de votre téléphone est exacte et saisissez le code affiché."
                ),
            )
            return self.form_invalid(form)
        device, codes = confirmed
        complete_sign_in(request, device)
        return render(
            request,
            "cai/twofactor_recovery_codes.html",
            {"codes": codes, "next": _safe_next(request), "enrolled": True},
        )


class TwoFactorManageView(TemplateView):
    """The user's second factor: state, replacing the phone, new recovery codes (POST, shown once)."""

    template_name = "cai/twofactor_manage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["has_authenticator"] = twofactor.has_authenticator(user)
        context["recovery_codes_left"] = twofactor.remaining_recovery_codes(user)
        return context

    def post(self, request, *args, **kwargs):
        codes = twofactor.issue_recovery_codes(request.user)
        return render(
            request,
            "cai/twofactor_recovery_codes.html",
            {"codes": codes, "next": reverse("twofactor_manage")},
        )
