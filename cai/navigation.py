"""The main navigation, adapted to the role. Each entry names the roles that see it."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .choices import Role

STAFF_READING_PEOPLE = (Role.COUNSELLOR, Role.DIRECTOR, Role.ADMIN)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    roles: tuple


NAV_ITEMS = [
    NavItem(_("Ma journée"), "accompagnement:my_day", "calendar-day", (Role.COUNSELLOR,)),
    NavItem(_("Personnes"), "accompagnement:person_list", "people", STAFF_READING_PEOPLE),
    NavItem(_("Rendez-vous"), "accompagnement:appointment_list", "journal-text", STAFF_READING_PEOPLE),
    NavItem(_("Échéances"), "parcours:deadlines", "alarm", STAFF_READING_PEOPLE),
    NavItem(_("Séances collectives"), "parcours:session_list", "people-fill", STAFF_READING_PEOPLE),
    NavItem(
        _("Bureaux d'accueil"),
        "accompagnement:office_list",
        "building",
        (Role.COUNSELLOR, Role.COORDINATOR, Role.DIRECTOR, Role.ADMIN),
    ),
    NavItem(_("Journal d'audit"), "audit_log", "shield-check", (Role.DIRECTOR, Role.ADMIN)),
    NavItem(_("Administration"), "admin:index", "gear", (Role.ADMIN,)),
]


def navigation_for(user) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if user.role not in item.roles and not (user.is_superuser and Role.ADMIN in item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "icon": item.icon, "url_name": item.url_name})
    return items
