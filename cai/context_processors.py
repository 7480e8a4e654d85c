from django.conf import settings

from .navigation import navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_items": navigation_for(user, request.path) if user is not None and user.is_authenticated else [],
        "centre_name": settings.CAI_CENTRE_NAME,
        "centre_short_name": settings.CAI_CENTRE_SHORT_NAME,
    }
