"""The one API router: every app registers its viewsets here.

API views authenticate by session or ``Authorization: Token`` (see ``cai.api_auth``). The schema is
open to any signed-in caller (token clients included); the Swagger page loads its JS and CSS from our
own static files (drf-spectacular-sidecar) and its start-up script from a URL, not inline (CSP).
ReDoc is not served: its template loads fonts from Google.
"""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import APIRootView, DefaultRouter

from accompagnement.api.urls import register as register_accompagnement
from formations.api.urls import register as register_formations
from parcours.api.urls import register as register_parcours
from plateformes.api.urls import register as register_plateformes
from rapports.api.urls import register as register_rapports

from .api_auth import ApiViewMixin, TokenObtainView


class ApiRootView(ApiViewMixin, APIRootView):
    """The list of endpoints, for session and token callers alike."""


class Router(DefaultRouter):
    APIRootView = ApiRootView


router = Router()
register_accompagnement(router)
register_formations(router)
register_parcours(router)
register_plateformes(router)
register_rapports(router)

schema_view = SpectacularAPIView.as_view(
    authentication_classes=[TokenAuthentication, SessionAuthentication], permission_classes=[IsAuthenticated]
)

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("schema/", schema_view, name="api-schema"),
    # A page for people: anonymous visitors go to the sign-in page (DRF views are exempt from
    # LoginRequiredMiddleware, so say it here).
    path(
        "docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"
    ),
    path("", include(router.urls)),
]
