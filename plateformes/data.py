"""Reference data of the network: the provincial platforms, working groups and local coordinations
(domain notes §5), and the acronym glossary (§7). Editable afterwards."""

PLATFORMS = [
    "Plateforme formation en langue française",
    "Plateforme citoyenneté",
    "Plateforme accompagnement social et juridique",
    "Plateforme interculturalité",
    "Plateforme ISP-diversité",
    "Plateforme antiracisme",
]
WORKING_GROUPS = [
    "GT Religions et convictions",
    "GT Mobilité",
    "GT Santé mentale",
    "GT Santé",
    "GT Petite enfance",
    "GT MENA",
]
ACRONYMS = [
    ("AOC", "Atelier d'orientation citoyenne"),
    ("BAPA", "Bureau d'accueil pour primo-arrivants"),
    ("CA", "Conseil d'administration"),
    ("CECR", "Cadre européen commun de référence pour les langues"),
    ("CPAS", "Centre public d'action sociale"),
    ("CRI", "Centre régional d'intégration"),
    ("CWASS", "Code wallon de l'action sociale et de la santé"),
    ("ELAO", "Test de positionnement en français en ligne"),
    ("FIC", "Formation à l'intégration citoyenne"),
    ("FLE", "Français langue étrangère"),
    ("FLF", "Formation à la langue française"),
    ("FOREM", "Office wallon de la formation professionnelle et de l'emploi"),
    ("FSE", "Fonds social européen"),
    ("GT", "Groupe de travail"),
    ("ILI", "Initiative locale d'intégration"),
    ("ISP", "Insertion socioprofessionnelle"),
    ("MENA", "Mineur étranger non accompagné"),
    ("PCS", "Plan de cohésion sociale"),
    ("PEOE", "Personne étrangère ou d'origine étrangère"),
    ("PPLI", "Plan provincial et local d'intégration"),
    ("SeTIS", "Service de traduction et d'interprétariat en milieu social"),
    ("SIDD", "Séance d'information « droits et devoirs »"),
    ("SPW", "Service public de Wallonie"),
]


def load_network_reference_data(apps=None):
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("plateformes", "Group")
    Office = apps.get_model("accompagnement", "Office")
    Acronym = apps.get_model("plateformes", "Acronym")
    for name in PLATFORMS:
        Group.objects.get_or_create(
            kind="plateforme", name=name, defaults={"theme": name.removeprefix("Plateforme ")}
        )
    for name in WORKING_GROUPS:
        Group.objects.get_or_create(
            kind="groupe_travail", name=name, defaults={"theme": name.removeprefix("GT ")}
        )
    for office in Office.objects.all():
        Group.objects.get_or_create(
            kind="coordination_locale",
            name=f"Coordination locale de {office.name}",
            defaults={"office": office},
        )
    for acronym, meaning in ACRONYMS:
        Acronym.objects.get_or_create(acronym=acronym, defaults={"meaning": meaning})
