"""The accompagnement endpoints, registered on the one router of ``cai/api.py``."""

from . import views

# (URL prefix, viewset, basename): URL names are ``api-<basename>-list`` / ``api-<basename>-detail``.
ROUTES = [
    ("people", views.PersonViewSet, "api-person"),
    ("appointments", views.AppointmentViewSet, "api-appointment"),
    ("offices", views.OfficeViewSet, "api-office"),
    ("communes", views.CommuneViewSet, "api-commune"),
    ("request-types", views.RequestTypeViewSet, "api-request-type"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)
