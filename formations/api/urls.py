"""The trainings endpoints, registered on the one router of ``cai/api.py``."""

from . import views

# (URL prefix, viewset, basename): URL names are ``api-<basename>-list`` / ``api-<basename>-detail``.
ROUTES = [
    ("trainings", views.TrainingViewSet, "api-training"),
    ("training-sessions", views.TrainingSessionViewSet, "api-training-session"),
    ("registrations", views.RegistrationViewSet, "api-registration"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)
