"""The partner network's endpoints, registered on the one router of ``cai/api.py``."""

from . import views

# (URL prefix, viewset, basename): URL names are ``api-<basename>-list`` / ``api-<basename>-detail``.
ROUTES = [
    ("operators", views.OperatorViewSet, "api-operator"),
    ("offers", views.OfferViewSet, "api-offer"),
    ("support-actions", views.SupportActionViewSet, "api-support-action"),
    ("groups", views.GroupViewSet, "api-group"),
    ("meetings", views.MeetingViewSet, "api-meeting"),
    ("awareness-actions", views.AwarenessActionViewSet, "api-awareness-action"),
    ("interpellations", views.InterpellationViewSet, "api-interpellation"),
    ("governance-meetings", views.GovernanceMeetingViewSet, "api-governance-meeting"),
    ("staff-members", views.StaffMemberViewSet, "api-staff-member"),
    ("acronyms", views.AcronymViewSet, "api-acronym"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)
