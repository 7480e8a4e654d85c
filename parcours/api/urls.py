"""The parcours endpoints, registered on the one router of ``cai/api.py``."""

from . import views

# (URL prefix, viewset, basename): URL names are ``api-<basename>-list`` / ``api-<basename>-detail``.
ROUTES = [
    ("newcomer-lists", views.NewcomerListViewSet, "api-newcomer-list"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)
