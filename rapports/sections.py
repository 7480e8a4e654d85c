"""The structure of the activity report (domain notes §6): chapters and the narrative blocks the team
writes for each. Keys are stable (stored in ``NarrativeBlock.section``); office blocks are
``office:<slug>``."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    chapter: str


CHAPTERS = [
    ("introduction", _("Introduction")),
    ("accompagnement", _("Accompagnement")),
    ("coordination", _("Coordination d'activités d'intégration et d'interculturalité")),
    ("formation", _("Formation et sensibilisation")),
    ("interpellation", _("Interpellation")),
    ("gestion", _("Supports et gestion")),
    ("annexes", _("Annexes")),
]

SECTIONS = [
    Section("introduction", _("Introduction de la direction"), "introduction"),
    Section("accompagnement.equipe", _("L'équipe d'accompagnement"), "accompagnement"),
    Section("accompagnement.individuel", _("Accompagnement individuel"), "accompagnement"),
    Section(
        "accompagnement.parcours", _("Actions dans le cadre du parcours d'intégration"), "accompagnement"
    ),
    Section("accompagnement.collectif", _("Accompagnement collectif"), "accompagnement"),
    Section("accompagnement.projets", _("Projets d'équipe (tests de langue, mentorat)"), "accompagnement"),
    Section("accompagnement.perspectives", _("Perspectives"), "accompagnement"),
    Section("coordination.plateformes", _("Plateformes et groupes de travail"), "coordination"),
    Section("coordination.locales", _("Coordinations locales"), "coordination"),
    Section("coordination.operateurs", _("Soutien aux opérateurs"), "coordination"),
    Section("coordination.perspectives", _("Perspectives"), "coordination"),
    Section("formation.formations", _("Formations"), "formation"),
    Section("formation.sensibilisation", _("Sensibilisation et publications"), "formation"),
    Section("formation.perspectives", _("Perspectives"), "formation"),
    Section("interpellation", _("Interpellations"), "interpellation"),
    Section("gestion.gestion", _("Gestion"), "gestion"),
    Section("gestion.communication", _("Communication"), "gestion"),
    Section("gestion.prevention", _("Prévention"), "gestion"),
    Section("gestion.gouvernance", _("Gouvernance"), "gestion"),
    Section("annexes.mandats", _("Mandats institutionnels"), "annexes"),
]


def office_sections():
    """One block per reception office (its narrative in the per-office part of the report)."""
    from accompagnement.models import Office

    return [
        Section(f"office:{slug}", _("Bureau de %(name)s") % {"name": name}, "accompagnement")
        for slug, name in Office.objects.values_list("slug", "name")
    ]


class _SectionKeys:
    """Membership test over the fixed sections and the offices' (read at check time: offices are data)."""

    def __contains__(self, key) -> bool:
        if any(section.key == key for section in SECTIONS):
            return True
        if isinstance(key, str) and key.startswith("office:"):
            from accompagnement.models import Office

            return Office.objects.filter(slug=key.removeprefix("office:")).exists()
        return False


SECTION_KEYS = _SectionKeys()
