from django.urls import path  # noqa: F401

from .views import commune_portal as portal_views  # commune lists (L1)
from .views import documents as document_views  # documents
from .views import duos, sessions  # sessions and duos
from .views import path as path_views  # path (person's path, deadlines)
from .views import reconciliation as reconcile_views  # commune lists (L2)

app_name = "parcours"

urlpatterns = [
    # path (person's path, deadlines)
    path("personnes/<int:pk>/parcours/", path_views.PathDetailView.as_view(), name="path_detail"),
    path("personnes/<int:pk>/parcours/ouvrir/", path_views.PathOpenView.as_view(), name="path_open"),
    path("personnes/<int:pk>/parcours/situation/", path_views.PathFactsView.as_view(), name="path_facts"),
    path(
        "personnes/<int:pk>/parcours/derogation/", path_views.PathOverrideView.as_view(), name="path_override"
    ),
    path(
        "personnes/<int:pk>/parcours/derogation/annuler/",
        path_views.PathOverrideClearView.as_view(),
        name="path_override_clear",
    ),
    path(
        "personnes/<int:pk>/parcours/composante/<str:kind>/",
        path_views.PathComponentView.as_view(),
        name="path_component",
    ),
    path("personnes/<int:pk>/parcours/heures/", path_views.PathHoursAddView.as_view(), name="path_hours_add"),
    path("personnes/<int:pk>/parcours/test/", path_views.PathTestAddView.as_view(), name="path_test_add"),
    path(
        "personnes/<int:pk>/parcours/convention/",
        path_views.PathConventionView.as_view(),
        name="path_convention",
    ),
    path(
        "personnes/<int:pk>/parcours/entretiens/",
        path_views.PathEvaluationAddView.as_view(),
        name="path_evaluation_add",
    ),
    path(
        "personnes/<int:pk>/parcours/entretiens/<int:evaluation_pk>/tenu/",
        path_views.PathEvaluationHoldView.as_view(),
        name="path_evaluation_hold",
    ),
    path(
        "personnes/<int:pk>/parcours/attestation/",
        path_views.PathAttestationView.as_view(),
        name="path_attestation",
    ),
    path("echeances/", path_views.DeadlinesView.as_view(), name="deadlines"),
    # sessions and duos
    path("seances/", sessions.SessionListView.as_view(), name="session_list"),
    path("seances/nouvelle/", sessions.SessionCreateView.as_view(), name="session_create"),
    path("seances/<int:pk>/", sessions.SessionDetailView.as_view(), name="session_detail"),
    path("seances/<int:pk>/presences/", sessions.SessionAttendanceView.as_view(), name="session_attendance"),
    path("duos/", duos.DuoListView.as_view(), name="duo_list"),
    path("duos/nouveau/", duos.DuoCreateView.as_view(), name="duo_create"),
    path("duos/<int:pk>/", duos.DuoDetailView.as_view(), name="duo_detail"),
    path("duos/<int:pk>/rencontres/", duos.DuoMeetingAddView.as_view(), name="duo_meeting_add"),
    # documents
    path("personnes/<int:pk>/documents/", document_views.DocumentListView.as_view(), name="document_list"),
    path(
        "personnes/<int:pk>/documents/<str:kind>/",
        document_views.DocumentCreateView.as_view(),
        name="document_create",
    ),
    path("documents/<int:pk>/", document_views.DocumentDownloadView.as_view(), name="document_download"),
    # commune lists (L2): reconciliation by the centre, figures
    path("listes-communales/", reconcile_views.ReconcileListView.as_view(), name="reconcile_list"),
    path(
        "listes-communales/chiffres/",
        reconcile_views.ReconcileFiguresView.as_view(),
        name="reconcile_figures",
    ),
    path(
        "listes-communales/chiffres.csv",
        reconcile_views.ReconcileFiguresCsvView.as_view(),
        name="reconcile_figures_csv",
    ),
    path(
        "listes-communales/<int:pk>/", reconcile_views.ReconcileDetailView.as_view(), name="reconcile_detail"
    ),
    path(
        "listes-communales/<int:pk>/lignes/<int:row_pk>/",
        reconcile_views.ReconcileRowView.as_view(),
        name="reconcile_row",
    ),
    path(
        "listes-communales/<int:pk>/nouveaux-dossiers/",
        reconcile_views.ReconcileBulkCreateView.as_view(),
        name="reconcile_bulk_create",
    ),
    # commune lists (L1): the commune portal
    path("commune/", portal_views.PortalHomeView.as_view(), name="portal_home"),
    path("commune/modele.<str:fmt>", portal_views.PortalTemplateView.as_view(), name="portal_template"),
    path("commune/liste/saisie/", portal_views.PortalFormView.as_view(), name="portal_form"),
    path("commune/liste/fichier/", portal_views.PortalUploadView.as_view(), name="portal_upload"),
    path("commune/listes/<int:pk>/", portal_views.PortalListDetailView.as_view(), name="portal_list_detail"),
]
