"""The main navigation, adapted to the role. Each entry names the roles that see it."""

from collections.abc import Callable
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
    check: Callable | None = None  # optional finer rule on the user, beyond the role


def reconciles_lists(user) -> bool:
    """Path coordinators (the director, coordinators with the path right) and administrators."""
    return user.can_coordinate_path or user.is_administrator


NAV_ITEMS = [
    # The director's dashboard comes first: the director does not read files (no "Ma journée").
    NavItem(_("Tableau de bord"), "rapports:dashboard", "speedometer2", (Role.DIRECTOR, Role.ADMIN)),
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
    NavItem(
        _("Listes communales"),
        "parcours:reconcile_list",
        "card-checklist",
        (Role.COORDINATOR, Role.DIRECTOR, Role.ADMIN),
        check=reconciles_lists,
    ),
    NavItem(_("Mes listes"), "parcours:portal_home", "list-check", (Role.COMMUNE_AGENT,)),
    NavItem(
        _("Formations"),
        "formations:training_list",
        "mortarboard",
        (Role.COORDINATOR, Role.DIRECTOR, Role.ADMIN),
    ),
    # The partner network (plateformes, N1)
    NavItem(
        _("Réseau"),
        "plateformes:operator_list",
        "diagram-3",
        (Role.COORDINATOR, Role.DIRECTOR, Role.ADMIN),
    ),
    NavItem(
        _("Offre des opérateurs"),
        "plateformes:offer_search",
        "search",
        (Role.COUNSELLOR, Role.COORDINATOR, Role.DIRECTOR, Role.ADMIN),
    ),
    NavItem(
        _("Plateformes et groupes"),
        "plateformes:group_list",
        "people",
        (Role.COORDINATOR, Role.DIRECTOR, Role.ADMIN),
    ),
    NavItem(
        _("Sensibilisation et interpellations"),
        "plateformes:awareness_action_list",
        "megaphone",
        (Role.COORDINATOR, Role.DIRECTOR, Role.ADMIN),
    ),
    # The yearly activity report (rapports, R2)
    NavItem(
        _("Rapport d'activités"), "rapports:report_home", "file-earmark-richtext", (Role.DIRECTOR, Role.ADMIN)
    ),
    NavItem(
        _("Textes du rapport"),
        "rapports:narrative_home",
        "pencil-square",
        (Role.COUNSELLOR, Role.COORDINATOR, Role.DIRECTOR, Role.ADMIN),
    ),
    NavItem(_("Journal d'audit"), "audit_log", "shield-check", (Role.DIRECTOR, Role.ADMIN)),
    # Data protection (cai.privacy): register, breach log, retention policy
    NavItem(_("Protection des données"), "privacy:home", "shield-lock", (Role.DIRECTOR, Role.ADMIN)),
    NavItem(_("Accès aux dossiers"), "privacy:access_review_list", "eye", (Role.DIRECTOR, Role.ADMIN)),
    NavItem(_("Administration"), "admin:index", "gear", (Role.ADMIN,)),
]


def navigation_for(user, path: str = "") -> list[dict]:
    """The user's entries; the one whose address is the longest prefix of ``path`` is ``active``."""
    items = []
    for item in NAV_ITEMS:
        if user.role not in item.roles and not (user.is_superuser and Role.ADMIN in item.roles):
            continue
        if item.check is not None and not item.check(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append(
            {"label": item.label, "url": url, "icon": item.icon, "url_name": item.url_name, "active": False}
        )
    matching = [entry for entry in items if entry["url"] != "/" and path.startswith(entry["url"])]
    if matching:
        max(matching, key=lambda entry: len(entry["url"]))["active"] = True
    return items
