import functools
import hashlib
import re
import time
from base64 import b64encode
from urllib.parse import urlencode

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext
from django.views.defaults import permission_denied


class NoStoreMiddleware:
    """Pages seen by a signed-in user may hold personal data: no browser or proxy may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response


class SessionLifetimeMiddleware:
    """Ends a session 10 hours after sign-in, whatever the activity (idle expiry is the cookie's age)."""

    KEY = "_cai_signed_in_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(self.KEY, int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_MAX_SECONDS:
                logout(request)
        return self.get_response(request)


class TwoFactorMiddleware:
    """Deny by default: a session that passed the password step but has not yet given a second-factor code
    (django-otp's ``user.is_verified()``) reaches only the code and enrolment pages, sign-out and static
    files; every other URL sends it to the code page.

    Goes after ``OTPMiddleware`` (which installs ``is_verified``) and ``SessionLifetimeMiddleware``.
    Requests authenticated by an API token carry no session: their ``request.user`` is anonymous here
    (DRF authenticates them inside the view), so they are never redirected.
    """

    EXEMPT_URL_NAMES = ("twofactor_verify", "twofactor_enrol", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not self._verified(user)
            and not self._exempt(request)
        ):
            return self._to_verification(request)
        return self.get_response(request)

    @staticmethod
    def _verified(user) -> bool:
        is_verified = getattr(user, "is_verified", None)
        return bool(is_verified and is_verified())

    def _exempt(self, request) -> bool:
        if settings.STATIC_URL and request.path.startswith(settings.STATIC_URL):
            return True
        return request.path in {reverse(name) for name in self.EXEMPT_URL_NAMES}

    @staticmethod
    def _to_verification(request):
        url = reverse("twofactor_verify")
        if request.method == "GET" and not request.headers.get("HX-Request"):
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            # An htmx request would swap the code page into a fragment: make the browser navigate instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the strict policy of ``settings.CONTENT_SECURITY_POLICY`` everywhere,
    relaxed only for the inline ``<style>`` block of the Swagger page (``api-docs``).

    Why: drf-spectacular's Swagger page (JS and CSS from the sidecar's local static files, start-up script
    from a URL with ``SpectacularSwaggerSplitView``) still carries a small inline ``<style>`` block. Rather
    than allowing any inline style, the page allows exactly that block, by its SHA-256 hash, computed
    from the installed template so that an upgrade of drf-spectacular keeps it right.
    """

    INLINE_STYLE_TEMPLATES = {"api-docs": "drf_spectacular/swagger_ui.html"}

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        match = getattr(request, "resolver_match", None)
        template_name = self.INLINE_STYLE_TEMPLATES.get(match.url_name) if match is not None else None
        if template_name and not report_only:
            update = dict(parts.update or {})
            update["style-src"] = [*update.get("style-src", []), *inline_style_hashes(template_name)]
            parts.update = update
        return parts


@functools.cache
def inline_style_hashes(template_name: str) -> tuple[str, ...]:
    """CSP sources ('sha256-…') allowing the ``<style>`` blocks of a template that has no tags inside them."""
    source = get_template(template_name).template.source
    blocks = re.findall(r"<style>(.*?)</style>", source, flags=re.DOTALL)
    return tuple(
        f"'sha256-{b64encode(hashlib.sha256(block.encode()).digest()).decode()}'" for block in blocks
    )


class CommuneAgentAllowListMiddleware:
    """An allow-list for commune agents: a signed-in agent reaches only the commune portal (URL names
    ``parcours:portal_*``), the start page, sign-in and sign-out, the profile, the two-factor pages
    (``twofactor_*``), the liveness probe, static files and the lists API (``/api/newcomer-lists/``).
    Every other URL answers 403, so a page added to the application is closed to them by default.

    It checks URL names, once the URL is resolved (``process_view``): an unknown URL stays a 404.
    Requests authenticated by an API token carry no session (``request.user`` is anonymous here):
    DRF checks those inside each view. Goes after ``TwoFactorMiddleware``.
    """

    ALLOWED_URL_NAMES = frozenset({"home", "login", "logout", "profile", "healthz"})
    ALLOWED_URL_NAME_PREFIXES = ("twofactor_",)
    PORTAL_NAMESPACE = "parcours"
    PORTAL_NAME_PREFIX = "portal_"
    ALLOWED_PATH_PREFIXES = ("/api/newcomer-lists/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_commune_agent:
            return None
        if self.allows(request):
            return None
        return self.refuse(request)

    def allows(self, request) -> bool:
        path = request.path_info
        if settings.STATIC_URL and request.path.startswith(settings.STATIC_URL):
            return True
        if path.startswith(self.ALLOWED_PATH_PREFIXES):
            return True
        match = getattr(request, "resolver_match", None)
        if match is None or not match.url_name:
            return False
        if match.namespace == self.PORTAL_NAMESPACE:
            return match.url_name.startswith(self.PORTAL_NAME_PREFIX)
        if match.namespace:
            return False
        return match.url_name in self.ALLOWED_URL_NAMES or match.url_name.startswith(
            self.ALLOWED_URL_NAME_PREFIXES
        )

    @staticmethod
    def refuse(request):
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": gettext("Les agents communaux n'ont accès qu'à leurs listes de primo-arrivants.")},
                status=403,
            )
        return permission_denied(request, PermissionDenied())
