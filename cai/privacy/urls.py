"""Records the centre keeps as a data controller (French addresses, like the rest of the site)."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("protection-des-donnees/", views.HomeView.as_view(), name="home"),
    # Retention policy
    path("protection-des-donnees/conservation/", views.RetentionView.as_view(), name="retention"),
    path(
        "protection-des-donnees/conservation/regles/<int:pk>/",
        views.RetentionRuleUpdateView.as_view(),
        name="retention_rule_update",
    ),
    path(
        "protection-des-donnees/conservation/simuler/",
        views.RetentionSimulateView.as_view(),
        name="retention_simulate",
    ),
    path(
        "protection-des-donnees/conservation/lancer/", views.RetentionRunView.as_view(), name="retention_run"
    ),
    # Register of processing activities (art. 30)
    path("protection-des-donnees/registre/", views.ActivityListView.as_view(), name="activity_list"),
    path(
        "protection-des-donnees/registre/nouveau/", views.ActivityCreateView.as_view(), name="activity_create"
    ),
    path("protection-des-donnees/registre/pdf/", views.RegisterPdfView.as_view(), name="register_pdf"),
    path(
        "protection-des-donnees/registre/<int:pk>/",
        views.ActivityDetailView.as_view(),
        name="activity_detail",
    ),
    path(
        "protection-des-donnees/registre/<int:pk>/modifier/",
        views.ActivityUpdateView.as_view(),
        name="activity_update",
    ),
    # Breach log (art. 33.5)
    path("protection-des-donnees/violations/", views.BreachListView.as_view(), name="breach_list"),
    path(
        "protection-des-donnees/violations/nouvelle/", views.BreachCreateView.as_view(), name="breach_create"
    ),
    path(
        "protection-des-donnees/violations/<int:pk>/", views.BreachDetailView.as_view(), name="breach_detail"
    ),
    path(
        "protection-des-donnees/violations/<int:pk>/modifier/",
        views.BreachUpdateView.as_view(),
        name="breach_update",
    ),
    # Access accountability (per file, per user, weekly reviews), subject access, rectification history
    path(
        "protection-des-donnees/acces/dossiers/<int:pk>/",
        views.PersonAccessLogView.as_view(),
        name="person_access_log",
    ),
    path(
        "protection-des-donnees/acces/utilisateurs/",
        views.UserAccessLogView.as_view(),
        name="user_access_log",
    ),
    path(
        "protection-des-donnees/revues-acces/",
        views.AccessReviewListView.as_view(),
        name="access_review_list",
    ),
    path(
        "protection-des-donnees/revues-acces/<int:pk>/",
        views.AccessReviewDetailView.as_view(),
        name="access_review_detail",
    ),
    path(
        "protection-des-donnees/revues-acces/<int:pk>/vue/",
        views.AccessReviewMarkReviewedView.as_view(),
        name="access_review_mark_reviewed",
    ),
    path(
        "personnes/<int:pk>/acces-donnees/",
        views.SubjectAccessPackageView.as_view(),
        name="subject_access_package",
    ),
    path("personnes/<int:pk>/historique/", views.PersonChangeHistoryView.as_view(), name="person_history"),
]
