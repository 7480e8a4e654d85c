"""How API clients authenticate, and what every API view shares.

Two ways in: the browser's session (the Swagger page, HTMX) or ``Authorization: Token <key>``. A token
is obtained at ``POST /api/auth/token/`` with the password AND a second factor (the current TOTP code
or an unused recovery code), so the API is never weaker than the sign-in page.
"""

from contextlib import contextmanager

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_otp import match_token, user_has_device
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from .models import SecurityEvent
from .requests import client_ip

BAD_CREDENTIALS = _("Identifiant, mot de passe ou code incorrect.")
NO_SECOND_FACTOR = _("Activez d'abord la double authentification dans l'application.")


class ApiViewMixin:
    """Base of every API view and viewset: who is calling.

    DRF views are exempt from Django's ``LoginRequiredMiddleware`` (which only knows sessions and would
    send a token client to the sign-in page); DRF checks the caller instead. The token comes first so
    that a request without valid credentials answers 401 with ``WWW-Authenticate: Token``.
    """

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]


@contextmanager
def service_errors():
    """Turn a service's Django ``ValidationError`` into a DRF one: a 400 whose French messages are keyed
    by field (errors not tied to a field go under ``non_field_errors``)."""
    try:
        yield
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            detail = {
                (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
                for field, messages in error.message_dict.items()
            }
        else:
            detail = {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
        raise serializers.ValidationError(detail) from error


class TokenCredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("identifiant"), max_length=150)
    password = serializers.CharField(
        label=_("mot de passe"), max_length=512, style={"input_type": "password"}
    )
    code = serializers.CharField(
        label=_("code"),
        max_length=64,
        required=False,
        allow_blank=True,
        help_text=_("Le code à usage unique de l'application d'authentification, ou un code de secours."),
    )


class TokenObtainView(ApiViewMixin, APIView):
    """Exchange identifier, password and second-factor code for an API token.

    Every failure (unknown user, wrong password, missing, wrong or replayed code) gets the same 400, so
    the endpoint tells an attacker nothing; only a user who gave the right password but has no second
    factor yet is told to enrol first. As on the sign-in page, wrong passwords AND wrong codes count
    towards the django-axes lockout of that username at that address (then 429, its lockout page), a
    refused code is recorded as a security event, and the failures are forgotten only once both
    factors succeeded. django-otp also slows repeated wrong codes down (its devices' throttling).
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = TokenCredentialsSerializer

    @extend_schema(
        operation_id="auth_token_create",
        summary=_("Obtenir un jeton d'API"),
        description=_(
            "Identifiant, mot de passe et code de double authentification (code TOTP actuel ou code de "
            "secours) contre un jeton. Envoyez-le ensuite dans l'en-tête `Authorization: Token <jeton>`."
        ),
        request=TokenCredentialsSerializer,
        responses={
            200: inline_serializer("TokenResponse", fields={"token": serializers.CharField()}),
            400: inline_serializer(
                "TokenError",
                fields={"non_field_errors": serializers.ListField(child=serializers.CharField())},
            ),
            429: inline_serializer(
                "TokenLockout",
                fields={"detail": serializers.CharField()},
            ),
        },
        examples=[
            OpenApiExample(
                "Demande",
                value={"username": "alice", "password": "…", "code": "123456"},
                request_only=True,
            )
        ],
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenCredentialsSerializer(data=request.data)
        if not serializer.is_valid():
            return self._refuse(BAD_CREDENTIALS)
        data = serializer.validated_data
        # The request is required: the lockout backend (django-axes) keys its counters on it and flags a
        # locked-out attempt on the Django request, which its middleware then answers.
        http_request = request._request
        user = authenticate(request=http_request, username=data["username"], password=data["password"])
        if user is None:
            return self._refuse(BAD_CREDENTIALS)
        if not user_has_device(user, confirmed=True):
            return self._refuse(NO_SECOND_FACTOR)
        credentials = {"username": user.get_username()}
        code = data.get("code", "").strip()
        if not code or match_token(user, code) is None:
            self._record(SecurityEvent.Kind.OTP_FAILED, request, user)
            # Counts towards the lockout; on the last allowed failure axes flags the request and its
            # middleware answers the lockout page instead of this response.
            AxesProxyHandler.user_login_failed(
                sender=type(self), credentials=credentials, request=http_request
            )
            return self._refuse(BAD_CREDENTIALS)
        token, _created = Token.objects.get_or_create(user=user)
        AxesProxyHandler.reset_attempts(
            ip_address=get_client_ip_address(http_request), username=credentials["username"]
        )
        # A token is a sign-in: last_login and the security log follow the usual signal.
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        return Response({"token": token.key})

    @staticmethod
    def _refuse(message):
        return Response({api_settings.NON_FIELD_ERRORS_KEY: [message]}, status=400)

    @staticmethod
    def _record(kind, request, user):
        SecurityEvent.objects.create(
            kind=kind,
            user=user,
            username=user.get_username()[:150],
            ip_address=client_ip(request),
            user_agent=request.headers.get("User-Agent", "")[:300],
        )
