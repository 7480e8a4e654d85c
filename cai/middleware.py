import time

from django.conf import settings
from django.contrib.auth import logout


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
