"""The report endpoints, registered on the one router of ``cai/api.py``."""

from . import views

# (URL prefix, viewset, basename): URL names are ``api-report-list`` / ``api-report-detail`` /
# ``api-report-pdf``.
ROUTES = [
    ("reports", views.ReportJobViewSet, "api-report"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)
