from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import auth_views as signin_views
from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", signin_views.SignInView.as_view(), name="login"),
    path("connexion/verification/", signin_views.TwoFactorVerifyView.as_view(), name="twofactor_verify"),
    path(
        "connexion/double-authentification/",
        signin_views.TwoFactorEnrolView.as_view(),
        name="twofactor_enrol",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path(
        "profil/double-authentification/", signin_views.TwoFactorManageView.as_view(), name="twofactor_manage"
    ),
    path("audit/", views.AuditLogView.as_view(), name="audit_log"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("cai.api")),
    path("", include("accompagnement.urls")),
    path("", include("formations.urls")),
    path("", include("plateformes.urls")),
    path("", include("parcours.urls")),
    path("", include("rapports.urls")),
    path("", include("cai.privacy.urls")),
]
