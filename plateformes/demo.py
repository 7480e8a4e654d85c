"""The partner-network part of the demo year (called by ``load_demo`` through its extension hook).

Builds a directory of about 110 operators of the province of Namur (ILIs, recognised operators, CPAS,
communes, FOREM, schools, reception centres, associations) with their contacts and offer, the support
the coordinators gave them, members and meetings of every platform, working group and local
coordination (reference rows of ``data.py``), awareness actions, interpellations, governance
meetings and the team list.

Rows are written with ``bulk_create`` (auditing off: generated rows are nobody's action), so the
generator respects what the services check: a meeting has a place or is online, a communal
interpellation names its commune, one governance meeting per kind and date, a staff account in one
team row at most. The network is built once: when its operators already exist (a second run, or
``--reset``, which only rebuilds the people), nothing is added.
"""

import datetime as dt
import random
from zoneinfo import ZoneInfo

from auditlog.context import disable_auditlog
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accompagnement.demo import is_working_day
from accompagnement.models import Commune, Office

from .choices import (
    AwarenessKind,
    GovernanceKind,
    GroupKind,
    InterpellationKind,
    Level,
    OfferKind,
    OperatorKind,
    Recognition,
    SupportKind,
    Team,
)
from .models import (
    AwarenessAction,
    FollowUpAction,
    GovernanceMeeting,
    Group,
    GroupMember,
    Interpellation,
    Meeting,
    MeetingAttendee,
    Offer,
    Operator,
    OperatorContact,
    StaffMember,
    SupportAction,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
SEED_OFFSET = 5

# --- Names ------------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Marie Anne Catherine Nathalie Isabelle Sophie Julie Christine Valérie Sandrine Aurélie Céline Laurence "
    "Martine Caroline Émilie Charlotte Manon Élodie Virginie Amandine Delphine Stéphanie Géraldine Florence "
    "Nadia Samira Aïcha Grâce Jean Pierre Philippe Michel Marc Luc Olivier Thierry Benoît Didier Pascal "
    "Frédéric Christophe Nicolas Julien Maxime Antoine Vincent Sébastien Laurent François Damien Mehdi Karim "
    "Patrick Bernard Quentin Arnaud"
).split()
LAST_NAMES = (
    "Dubois Lambert Martin Dupont Simon Leclercq Lejeune Collard Henrion Goffinet Dethier Gilson Hubert "
    "Lemaire Mathieu Thiry Rousseau Denis Pirson Bodart Wauthier Hennaux Lecomte Masson Gérard Noël Servais "
    "Colin Adam Poncelet Charlier Michaux Baudoin Lefèvre Detry Warnier Defossé Bertrand Cornet Maréchal "
    "Kabongo Benali Yilmaz Mukeba Gillet Delforge Jadot Hanquet"
).split()
STREETS = [
    "Rue de Fer",
    "Rue des Carmes",
    "Avenue de la Gare",
    "Rue Saint-Nicolas",
    "Place de l'Église",
    "Rue du Pont",
    "Chaussée de Louvain",
    "Rue de la Station",
    "Rue Grande",
    "Boulevard du Nord",
    "Rue des Écoles",
    "Avenue Reine Astrid",
]
CONTACT_ROLES = [
    "Coordinateur·rice",
    "Directeur·rice",
    "Formateur·rice FLE",
    "Assistant·e social·e",
    "Responsable pédagogique",
    "Chargé·e de projets",
]
# Telephone zone of each office's territory.
PHONE_ZONES = {
    "namur": "081",
    "gembloux": "081",
    "andenne": "085",
    "sambreville": "071",
    "philippeville": "071",
    "dinant": "082",
    "beauraing": "082",
    "ciney": "083",
}

# --- The directory: (name, commune) per family ------------------------------------------------------

ILIS = [
    ("Amarrage", "Namur"),
    ("Le Monde des Possibles – antenne namuroise", "Namur"),
    ("Alpha Jambes", "Namur"),
    ("Espace Accueil Andenne", "Andenne"),
    ("Passeport Intégration Gembloux", "Gembloux"),
    ("Carrefour des Cultures", "Sambreville"),
    ("Maison des Cultures de Ciney", "Ciney"),
    ("Horizons Dinant", "Dinant"),
    ("Terre d'Accueil Philippeville", "Philippeville"),
    ("Les Ponts de Beauraing", "Beauraing"),
    ("Mosaïque Couvin", "Couvin"),
    ("Solidarités Rochefort", "Rochefort"),
    ("Accueil et Intégration Eghezée", "Eghezée"),
    ("Les Trois Rivières", "Jemeppe-sur-Sambre"),
    ("Racines et Ailes", "Florennes"),
    ("Entre-Nous Walcourt", "Walcourt"),
    ("Cultures en Partage", "Fosses-la-Ville"),
]
RECOGNISED = [
    ("Lire et Écrire Namur", "Namur"),
    ("Lire et Écrire Dinant-Philippeville", "Dinant"),
    ("Alpha 5000", "Namur"),
    ("Vie Féminine Namur", "Namur"),
    ("Vie Féminine Basse-Sambre", "Sambreville"),
    ("Femmes Prévoyantes Socialistes Namur", "Namur"),
    ("CIEP Namur", "Namur"),
    ("Collectif Alpha Gembloux", "Gembloux"),
    ("Mentor-Escale Namur", "Namur"),
    ("Le Rebond", "Andenne"),
    ("Espace Femmes Couvin", "Couvin"),
    ("La Ruelle", "Namur"),
    ("Équipes Populaires Namur", "Namur"),
    ("Caritas Intégration Namur", "Namur"),
    ("Convivial Namur", "Namur"),
    ("SeTIS wallon – antenne de Namur", "Namur"),
    ("Service Droit des Jeunes Namur", "Namur"),
    ("Lire et Écrire Beauraing", "Beauraing"),
    ("Maison de la Laïcité de Dinant", "Dinant"),
    ("Présence et Action Culturelles Namur", "Namur"),
    ("Tremplin Basse-Sambre", "Sambreville"),
    ("Ateliers du Cœur", "Rochefort"),
    ("Centre d'Éducation Populaire d'Eghezée", "Eghezée"),
    ("Alpha Ciney-Condroz", "Ciney"),
    ("Français pour Tous Philippeville", "Philippeville"),
    ("La Boussole", "Gembloux"),
]
CPAS_COMMUNES = [
    "Namur",
    "Andenne",
    "Gembloux",
    "Sambreville",
    "Dinant",
    "Ciney",
    "Philippeville",
    "Beauraing",
    "Couvin",
    "Rochefort",
    "Eghezée",
    "Jemeppe-sur-Sambre",
    "Fosses-la-Ville",
    "Florennes",
    "Walcourt",
    "Yvoir",
    "Hastière",
    "Profondeville",
    "Sombreffe",
    "Gesves",
]
TOWN_HALLS = [
    "Namur",
    "Andenne",
    "Gembloux",
    "Sambreville",
    "Dinant",
    "Ciney",
    "Philippeville",
    "Couvin",
    "Rochefort",
    "Floreffe",
    "La Bruyère",
    "Assesse",
    "Mettet",
    "Havelange",
    "Viroinval",
]
FOREM = ["Namur", "Dinant", "Andenne", "Sambreville", "Philippeville", "Ciney", "Gembloux"]
SCHOOLS = [
    ("IEPSCF Namur", "Namur"),
    ("IEPSCF Dinant", "Dinant"),
    ("IEPSCF Jambes", "Namur"),
    ("Institut provincial de promotion sociale de Namur", "Namur"),
    ("Promotion sociale Saint-Joseph Ciney", "Ciney"),
    ("École industrielle et commerciale de Couvin", "Couvin"),
    ("Promotion sociale de Gembloux", "Gembloux"),
    ("Institut de promotion sociale d'Andenne", "Andenne"),
    ("Collège technique Saint-Jean – promotion sociale", "Philippeville"),
]
RECEPTION_CENTRES = [
    ("Centre d'accueil Croix-Rouge de Belgrade", "Namur"),
    ("Centre d'accueil Croix-Rouge de Natoye", "Hamois"),
    ("Centre d'accueil Croix-Rouge d'Yvoir", "Yvoir"),
    ("Centre Fedasil de Florennes", "Florennes"),
    ("Centre d'accueil Croix-Rouge de Couvin", "Couvin"),
]
ASSOCIATIONS = [
    ("Réseau Santé Mentale Namur", "Namur"),
    ("Ulysse Namur – santé mentale et exil", "Namur"),
    ("Médecins du Monde – antenne de Namur", "Namur"),
    ("Infor Jeunes Namur", "Namur"),
    ("Maison des Jeunes de Sambreville", "Sambreville"),
    ("Ligue des droits humains – régionale de Namur", "Namur"),
    ("MRAX Namur", "Namur"),
    ("Hospitalité Namur – plateforme citoyenne", "Namur"),
    ("Solidarité Migrants Dinant", "Dinant"),
    ("Les Amis du Monde Entier", "Rochefort"),
    ("Maison Médicale des Arsouilles", "Namur"),
]
# Names that begin with a vowel sound take "d'" ("CPAS d'Andenne").
ELIDED = {"Hastière", "Havelange", "Hamois"}


def of(commune: str) -> str:
    """« de Namur » / « d'Andenne »."""
    if commune[0] in "AEIOUYÉ" or commune in ELIDED:
        return f"d'{commune}"
    return f"de {commune}"


def directory() -> list[tuple[str, str, str, str]]:
    """Every demo operator as (name, kind, recognition, commune name)."""
    rows = [(name, OperatorKind.ILI, Recognition.APPROVED_ILI, commune) for name, commune in ILIS]
    rows += [
        (name, OperatorKind.ASSOCIATION, Recognition.RECOGNISED, commune) for name, commune in RECOGNISED
    ]
    rows += [(f"CPAS {of(c)}", OperatorKind.CPAS, Recognition.NONE, c) for c in CPAS_COMMUNES]
    rows += [
        (f"Administration communale {of(c)}", OperatorKind.COMMUNE, Recognition.NONE, c) for c in TOWN_HALLS
    ]
    rows += [(f"FOREM – Maison de l'emploi {of(c)}", OperatorKind.FOREM, Recognition.NONE, c) for c in FOREM]
    rows += [(name, OperatorKind.SCHOOL, Recognition.RECOGNISED, c) for name, c in SCHOOLS]
    rows += [(name, OperatorKind.RECEPTION_CENTRE, Recognition.NONE, c) for name, c in RECEPTION_CENTRES]
    rows += [(name, OperatorKind.ASSOCIATION, Recognition.SUBSIDISED, c) for name, c in ASSOCIATIONS]
    return rows


SUBSIDY = {
    Recognition.APPROVED_ILI: "Agrément ILI (CWASS) — subvention annuelle de fonctionnement",
    Recognition.RECOGNISED: "Reconnaissance d'opérateur du parcours d'intégration (appel 2025-2027)",
    Recognition.SUBSIDISED: "Appel à projets PLI — subvention annuelle",
}

# --- Offer --------------------------------------------------------------------------------------------

SCHEDULES = [
    "Lundi et jeudi, 9 h – 12 h",
    "Mardi et vendredi, 13 h 30 – 16 h 30",
    "Du lundi au jeudi, 9 h – 12 h",
    "Mercredi, 9 h – 15 h",
    "Mardi et jeudi, 18 h – 21 h (cours du soir)",
    "Samedi, 9 h 30 – 12 h 30",
]
FRENCH = {
    "alpha": "Alphabétisation — oral et écrit (alpha)",
    "A1": "Français langue étrangère — niveau A1",
    "A2": "Français langue étrangère — niveau A2",
    "B1": "Français langue étrangère — niveau B1",
}


def offers_for(kind: str, rng: random.Random) -> list[dict]:
    """What an operator of this kind typically offers (kind, title, level, citizenship format)."""
    french = [{"kind": OfferKind.FRENCH, "title": FRENCH[lv], "level": lv} for lv in FRENCH]
    fic = {
        "kind": OfferKind.CITIZENSHIP,
        "title": "Formation à l'intégration citoyenne (FIC, 60 h)",
        "citizenship_format": "FIC",
    }
    aoc = {
        "kind": OfferKind.CITIZENSHIP,
        "title": "Atelier d'orientation citoyenne (AOC)",
        "citizenship_format": "AOC",
    }
    social = {"kind": OfferKind.SOCIAL_LEGAL, "title": "Permanence sociale et juridique"}
    isp = {"kind": OfferKind.ISP, "title": "Orientation socioprofessionnelle des primo-arrivant·e·s"}
    if kind == OperatorKind.ILI:
        chosen = french[:2] + [rng.choice([fic, aoc])] + ([social] if rng.random() < 0.6 else [])
    elif kind == OperatorKind.ASSOCIATION:
        chosen = (
            rng.sample(french[1:], rng.randint(1, 2)) if rng.random() < 0.6 else [rng.choice([fic, social])]
        )
    elif kind == OperatorKind.SCHOOL:
        chosen = french[1:]
    elif kind == OperatorKind.CPAS:
        chosen = [rng.choice([social, isp])]
    elif kind == OperatorKind.FOREM:
        chosen = [
            isp,
            {"kind": OfferKind.ISP, "title": "Séance d'information « Trouver un emploi en Belgique »"},
        ]
    elif kind == OperatorKind.RECEPTION_CENTRE:
        chosen = [french[0], {"kind": OfferKind.OTHER, "title": "Ateliers de découverte de la Belgique"}]
    else:  # communes: a reception desk for newcomers now and then
        chosen = [{"kind": OfferKind.SOCIAL_LEGAL, "title": "Accueil des primo-arrivant·e·s à la commune"}]
    return chosen


# --- Helpers -----------------------------------------------------------------------------------------


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def email_for(name: str, domain: str = "example.org") -> str:
    return f"{slugify(name).replace('-', '.')}@{domain}"


def phone(rng: random.Random, zone: str) -> str:
    return f"{zone} {rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def short_slug(name: str, limit: int = 30) -> str:
    """The first words of the name's slug, for a made-up e-mail domain ("ecole-industrielle-et")."""
    words, slug = slugify(name).split("-"), ""
    for word in words:
        if slug and len(slug) + len(word) + 1 > limit:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BRUSSELS)


def past_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The past part of the demo year: from 1 January (or six months back early in the year) to yesterday."""
    start = min(dt.date(today.year, 1, 1), today - dt.timedelta(days=180))
    return start, today - dt.timedelta(days=1)


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return working_day(start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days))))


# --- Entry point -----------------------------------------------------------------------------------


def extend_demo(*, seed: int, today: dt.date, staff: dict) -> str:
    """Build the network demo data once. Auditing is off: these rows are generated, not anyone's action."""
    if Operator.objects.filter(name__in=[row[0] for row in directory()]).exists():
        return _("Réseau : déjà chargé, rien n'a été ajouté.")
    with disable_auditlog():
        return _extend_demo(rng=random.Random(seed + SEED_OFFSET), today=today, staff=staff)


def _extend_demo(*, rng: random.Random, today: dt.date, staff: dict) -> str:
    coordinators = [
        staff[name]
        for name in (
            "coordination.plateformes",
            "coordination",
            "coordination.antiracisme",
            "coordination.formations",
        )
        if name in staff
    ]
    operators, contacts = _operators(rng)
    offers = _offers(rng, operators)
    support = _support_actions(rng, operators, coordinators, today)
    meetings = _groups_and_meetings(rng, operators, contacts, staff, today)
    awareness = _awareness_actions(rng, today)
    interpellations = _interpellations(rng, today)
    governance = _governance(today)
    team = _team(staff, today)
    return _(
        "Réseau : %(operators)s opérateurs, %(offers)s offres, %(support)s actions de soutien, "
        "%(meetings)s réunions de plateformes et groupes, %(awareness)s actions de sensibilisation, "
        "%(interpellations)s interpellations, %(governance)s réunions des instances, %(team)s membres d'équipe."
    ) % {
        "operators": len(operators),
        "offers": offers,
        "support": support,
        "meetings": meetings,
        "awareness": awareness,
        "interpellations": interpellations,
        "governance": governance,
        "team": team,
    }


def _operators(rng: random.Random) -> tuple[list[Operator], dict[int, list[OperatorContact]]]:
    """The directory with territories (the commune's office and up to two neighbours) and 1–2 contacts."""
    communes = {c.name: c for c in Commune.objects.select_related("office")}
    offices = list(Office.objects.order_by("name"))
    operators, served = [], []
    for name, kind, recognition, commune_name in directory():
        commune = communes.get(commune_name)
        office = commune.office if commune else None
        zone = PHONE_ZONES.get(office.slug if office else "", "081")
        slug = short_slug(name)
        operators.append(
            Operator(
                name=name,
                kind=kind,
                recognition=recognition,
                subsidy_status=SUBSIDY.get(recognition, ""),
                address=f"{rng.choice(STREETS)} {rng.randint(1, 180)}, "
                f"{commune.main_postal_code if commune else '5000'} {commune_name}",
                commune=commune,
                phone=phone(rng, zone),
                email=f"info@{slug}.example.org",
                website=f"https://{slug}.example.org" if rng.random() < 0.7 else "",
                active=rng.random() > 0.03,
            )
        )
        territory = {office} if office else set()
        territory |= set(rng.sample(offices, rng.choice([0, 0, 1, 2])))
        served.append(territory or {rng.choice(offices)})
    Operator.objects.bulk_create(operators)
    Through = Operator.territories.through
    Through.objects.bulk_create(
        [
            Through(operator_id=op.pk, office_id=o.pk)
            for op, offices_ in zip(operators, served, strict=True)
            for o in offices_
        ]
    )
    for operator, territory in zip(operators, served, strict=True):
        operator.demo_territories = sorted(territory, key=lambda o: o.name)
    contacts = []
    by_operator: dict[int, list[OperatorContact]] = {}
    for operator in operators:
        for _index in range(rng.choice([1, 1, 2])):
            name = person_name(rng)
            contact = OperatorContact(
                operator=operator,
                name=name,
                role=rng.choice(CONTACT_ROLES),
                email=email_for(name),
                phone=operator.phone,
            )
            contacts.append(contact)
            by_operator.setdefault(operator.pk, []).append(contact)
    OperatorContact.objects.bulk_create(contacts)
    return operators, by_operator


def _offers(rng: random.Random, operators: list[Operator]) -> int:
    """An offer for most operators (85 %), serving the operator's territories."""
    offers = []
    for operator in operators:
        if rng.random() > 0.85:
            continue
        for spec in offers_for(operator.kind, rng):
            offers.append(
                Offer(
                    operator=operator,
                    schedule=rng.choice(SCHEDULES),
                    place=operator.address,
                    commune=operator.commune,
                    capacity=rng.choice([8, 10, 12, 12, 15, 15, 20]),
                    active=rng.random() > 0.08,
                    **spec,
                )
            )
    Offer.objects.bulk_create(offers)
    Through = Offer.territories.through
    Through.objects.bulk_create(
        [
            Through(offer_id=offer.pk, office_id=office.pk)
            for offer in offers
            for office in offer.operator.demo_territories
        ]
    )
    return len(offers)


SUPPORT_TOPICS = {
    SupportKind.ADVICE: [
        "Organisation des groupes de niveau en français",
        "Accueil d'un public alpha",
        "Rédaction du projet pédagogique",
        "Orientation des stagiaires vers la FIC",
        "Encodage des heures de formation du parcours",
    ],
    SupportKind.SUBSIDY_FILE: [
        "Dossier de renouvellement de l'agrément ILI",
        "Rapport d'activités pour l'appel à projets PLI",
        "Dossier de reconnaissance d'opérateur du parcours",
    ],
    SupportKind.VISIT: ["Visite des locaux et rencontre de l'équipe", "Visite d'un cours de français"],
    SupportKind.COLLECTIVE: [
        "Séance collective : nouvelles règles du parcours d'intégration",
        "Séance collective : le test de positionnement ELAO",
        "Séance collective : préparer l'appel à projets",
    ],
}


def _support_actions(rng, operators, coordinators, today) -> int:
    """About 60 actions in the demo year and 25 the year before (the report compares both)."""
    if not coordinators:
        return 0
    start, end = past_window(today)
    previous = (dt.date(start.year - 1, 1, 1), dt.date(start.year - 1, 12, 31))
    supported = [
        o for o in operators if o.kind in (OperatorKind.ILI, OperatorKind.ASSOCIATION, OperatorKind.SCHOOL)
    ]
    kinds = list(SUPPORT_TOPICS)
    weights = [40, 20, 25, 15]
    rows = []
    for count, (first, last) in ((60, (start, end)), (25, previous)):
        for _index in range(count):
            kind = rng.choices(kinds, weights)[0]
            rows.append(
                SupportAction(
                    operator=rng.choice(supported),
                    date=random_day(rng, first, last),
                    kind=kind,
                    topic=rng.choice(SUPPORT_TOPICS[kind]),
                    staff=rng.choices(coordinators, [60, 20, 10, 10][: len(coordinators)])[0],
                    notes="Suivi convenu lors de la prochaine rencontre." if rng.random() < 0.4 else "",
                )
            )
    SupportAction.objects.bulk_create(rows)
    return len(rows)


# --- Groups and meetings ---------------------------------------------------------------------------

GROUP_FAMILIES = {
    "Plateforme formation en langue française": (
        OperatorKind.ILI,
        OperatorKind.SCHOOL,
        OperatorKind.ASSOCIATION,
    ),
    "Plateforme citoyenneté": (OperatorKind.ILI, OperatorKind.ASSOCIATION),
    "Plateforme accompagnement social et juridique": (OperatorKind.CPAS, OperatorKind.ASSOCIATION),
    "Plateforme interculturalité": (OperatorKind.ASSOCIATION, OperatorKind.ILI, OperatorKind.COMMUNE),
    "Plateforme ISP-diversité": (OperatorKind.FOREM, OperatorKind.CPAS, OperatorKind.SCHOOL),
    "Plateforme antiracisme": (OperatorKind.ASSOCIATION, OperatorKind.ILI),
}
AGENDA_ITEMS = [
    "Tour de table des actualités des membres",
    "Bilan des inscriptions aux cours de français",
    "Préparation de la journée du 21 mars",
    "Présentation de l'offre de formation du centre",
    "Échange de pratiques sur l'accueil des primo-arrivant·e·s",
    "Nouvelles dispositions du parcours d'intégration",
    "Cartographie de l'offre sur le territoire",
    "Préparation du rapport annuel",
]
DECISIONS = [
    "Un groupe de travail restreint prépare une note commune.",
    "La cartographie de l'offre sera mise à jour avant la rentrée.",
    "Les membres relaient l'appel à projets dans leurs réseaux.",
    "Une rencontre avec les CPAS du territoire sera organisée.",
    "Le calendrier des réunions de l'année est adopté.",
]
FOLLOW_UPS = [
    "Envoyer le compte rendu aux membres",
    "Mettre à jour la liste des places disponibles",
    "Contacter les opérateurs absents",
    "Préparer une fiche de présentation commune",
    "Réserver la salle pour la prochaine réunion",
]
GUEST_ORGANISATIONS = [
    "SPW Intérieur et Action sociale",
    "Province de Namur",
    "Université de Namur",
    "Zone de police Namur Capitale",
]


def _pilots(groups: list[Group], staff: dict) -> None:
    """Give a pilot to the reference groups that have none (coordinators of the network)."""
    changed = []
    for group in groups:
        if group.pilot_id:
            continue
        if "antiracisme" in group.name.lower():
            username = "coordination.antiracisme"
        elif group.kind == GroupKind.WORKING_GROUP:
            username = "coordination"
        else:
            username = "coordination.plateformes"
        if username in staff:
            group.pilot = staff[username]
            changed.append(group)
    Group.objects.bulk_update(changed, ["pilot"])


def _members_for(rng, group: Group, operators: list[Operator]) -> list[Operator]:
    if group.kind == GroupKind.LOCAL_COORDINATION:
        local = [o for o in operators if group.office_id in {t.pk for t in o.demo_territories}]
        return rng.sample(local, min(len(local), rng.randint(6, 12)))
    kinds = GROUP_FAMILIES.get(group.name, (OperatorKind.ASSOCIATION, OperatorKind.ILI, OperatorKind.CPAS))
    pool = [o for o in operators if o.kind in kinds]
    return rng.sample(pool, min(len(pool), rng.randint(7, 14)))


def _groups_and_meetings(rng, operators, contacts, staff, today) -> int:
    """Members (a contact of each member operator) and 3–6 meetings a year per group: past ones with
    minutes, decisions, attendees (members and a few guests) and follow-up actions; a few upcoming in
    the next three months."""
    groups = list(Group.objects.all())
    _pilots(groups, staff)
    members = []
    for group in groups:
        for operator in _members_for(rng, group, operators):
            contact = rng.choice(contacts[operator.pk])
            members.append(GroupMember(group=group, operator=operator, name=contact.name, role="Membre"))
        members.append(
            GroupMember(group=group, name=person_name(rng), organisation="Citoyen·ne engagé·e", role="Membre")
        )
    GroupMember.objects.bulk_create(members)
    by_group: dict[int, list[GroupMember]] = {}
    for member in members:
        by_group.setdefault(member.group_id, []).append(member)

    start, end = past_window(today)
    meetings, plans = [], []
    last_working = end
    while not is_working_day(last_working):
        last_working -= dt.timedelta(days=1)
    for group in groups:
        count = rng.randint(3, 6)
        upcoming = 1 if rng.random() < 0.4 else 0
        span = (end - start).days // (count - upcoming)
        days = [
            working_day(start + dt.timedelta(days=i * span + rng.randint(5, max(6, span - 5))))
            for i in range(count - upcoming)
        ]
        days = [min(day, last_working) for day in days]
        if upcoming:
            days.append(working_day(today + dt.timedelta(days=rng.randint(7, 85))))
        for day in sorted(set(days)):
            past = day < today
            online = rng.random() < 0.2
            hour = rng.choice([9, 10, 13, 14])
            place = (
                ""
                if online
                else rng.choice(
                    [
                        "Siège du CAI, Namur",
                        f"Bureau d'accueil de {group.office.name}"
                        if group.office_id
                        else "Maison de la culture, Namur",
                        "Salle du conseil communal",
                    ]
                )
            )
            agenda = "\n".join(f"{n}. {item}" for n, item in enumerate(rng.sample(AGENDA_ITEMS, 3), start=1))
            meeting = Meeting(
                group=group,
                starts_at=at(day, hour),
                ends_at=at(day, hour + 2, 30),
                online=online,
                place=place,
                agenda=agenda,
                minutes=(
                    "Les membres présents font le point sur leurs activités. "
                    + agenda.replace("\n", " ; ")
                    + "."
                    if past
                    else ""
                ),
                decisions="\n".join(rng.sample(DECISIONS, 2)) if past else "",
            )
            meetings.append(meeting)
            plans.append((meeting, past, by_group.get(group.pk, []), day))
    Meeting.objects.bulk_create(meetings)

    attendees, follow_ups = [], []
    for meeting, past, group_members, day in plans:
        if past:
            present = rng.sample(group_members, min(len(group_members), rng.randint(4, 10)))
            for member in present:
                attendees.append(
                    MeetingAttendee(
                        meeting=meeting,
                        member=member,
                        name=member.name,
                        operator=member.operator,
                        organisation=member.organisation,
                    )
                )
            for _index in range(rng.choice([0, 1, 1, 2])):
                attendees.append(
                    MeetingAttendee(
                        meeting=meeting,
                        name=person_name(rng),
                        organisation=rng.choice(GUEST_ORGANISATIONS),
                        is_guest=True,
                    )
                )
        for description in rng.sample(FOLLOW_UPS, rng.randint(1, 3) if past else 1):
            due = day + dt.timedelta(days=rng.randint(10, 40))
            follow_ups.append(
                FollowUpAction(
                    meeting=meeting,
                    description=description,
                    owner=rng.choice(group_members).name if group_members else "",
                    due_on=due,
                    done=past and due < today and rng.random() < 0.8,
                )
            )
    MeetingAttendee.objects.bulk_create(attendees)
    FollowUpAction.objects.bulk_create(follow_ups)
    return len(meetings)


# --- Awareness, interpellations, governance, team --------------------------------------------------


def _this_year_day(today: dt.date, month: int, day: int) -> dt.date:
    """That day of the demo year when it is past, else of the year before."""
    moment = dt.date(today.year, month, day)
    return moment if moment < today else dt.date(today.year - 1, month, day)


def _awareness_actions(rng, today) -> int:
    start, end = past_window(today)
    fixed = [
        (
            AwarenessKind.DAY,
            "Journée internationale pour l'élimination de la discrimination raciale (21 mars)",
            _this_year_day(today, 3, 21),
            "Plateforme antiracisme, Ville de Namur, MRAX Namur",
            450,
        ),
        (
            AwarenessKind.DAY,
            "Journée mondiale des réfugiés (20 juin)",
            _this_year_day(today, 6, 20),
            "Centres d'accueil Croix-Rouge, Hospitalité Namur",
            300,
        ),
    ]
    others = [
        (
            AwarenessKind.CONFERENCE,
            "Conférence « Exil et santé mentale »",
            "Ulysse Namur, Réseau Santé Mentale Namur",
            120,
        ),
        (
            AwarenessKind.CONFERENCE,
            "Conférence-débat « Racisme ordinaire au travail »",
            "FOREM, Plateforme ISP-diversité",
            85,
        ),
        (AwarenessKind.CONFERENCE, "Rencontre « Être parent ici et là-bas »", "ONE, Vie Féminine Namur", 60),
        (AwarenessKind.FORUM, "Forum de l'interculturalité de Namur", "Ville de Namur, 24 associations", 900),
        (AwarenessKind.FORUM, "Forum de l'emploi et de la diversité", "FOREM, CPAS de Sambreville", 350),
        (
            AwarenessKind.BROADCAST,
            "Émission radio « Nouveaux Namurois » (Radio Universitaire Namuroise)",
            "RUN",
            2000,
        ),
        (AwarenessKind.BROADCAST, "Capsules vidéo « Parcours de vie »", "Canal C", 5400),
        (AwarenessKind.PUBLICATION, "CAIstiques n° 1 — les chiffres de l'accueil", "", None),
        (AwarenessKind.PUBLICATION, "CAIstiques n° 2 — le parcours d'intégration en chiffres", "", None),
        (
            AwarenessKind.PUBLICATION,
            "Guide « Accueillir un public allophone »",
            "Plateforme formation en langue française",
            None,
        ),
    ]
    rows = [AwarenessAction(kind=k, title=t, date=d, partners=p, audience=a) for k, t, d, p, a in fixed]
    for kind, title, partners, audience in others:
        rows.append(
            AwarenessAction(
                kind=kind,
                title=title,
                date=random_day(rng, start, end),
                partners=partners,
                audience=audience,
                description="Action menée avec les partenaires du réseau.",
            )
        )
    AwarenessAction.objects.bulk_create(rows)
    return len(rows)


def _interpellations(rng, today) -> int:
    """About ten over the levels: open letters, « commune hospitalière » motions, meetings, press."""
    start, end = past_window(today)
    communes = {
        c.name: c
        for c in Commune.objects.filter(name__in=["Namur", "Gembloux", "Ciney", "Andenne", "Rochefort"])
    }
    rows = [
        Interpellation(
            kind=InterpellationKind.MOTION,
            level=Level.COMMUNE,
            commune=commune,
            title=f"Motion « commune hospitalière » {of(name)}",
            co_signatories="Hospitalité Namur, CNCD-11.11.11, CAI",
            outcome="Motion adoptée par le conseil communal." if rng.random() < 0.7 else "",
        )
        for name, commune in communes.items()
    ]
    rows += [
        Interpellation(
            kind=InterpellationKind.OPEN_LETTER,
            level=Level.REGION,
            title="Carte blanche : des moyens pour les cours de français du parcours",
            co_signatories="Les centres régionaux d'intégration de Wallonie",
        ),
        Interpellation(
            kind=InterpellationKind.MEETING,
            level=Level.REGION,
            title="Rencontre avec le cabinet de la ministre de l'Action sociale",
            outcome="Engagement à réévaluer les subventions des ILI.",
        ),
        Interpellation(
            kind=InterpellationKind.MEETING,
            level=Level.PROVINCE,
            title="Rencontre avec le député provincial en charge de la cohésion sociale",
        ),
        Interpellation(
            kind=InterpellationKind.OPEN_LETTER,
            level=Level.FEDERAL,
            title="Carte blanche : l'accueil des demandeur·euse·s de protection internationale",
            co_signatories="CIRÉ, Plateforme citoyenne, CAI",
        ),
        Interpellation(
            kind=InterpellationKind.PRESS,
            level=Level.FEDERAL,
            title="Communiqué : les délais de regroupement familial",
        ),
        Interpellation(
            kind=InterpellationKind.PRESS,
            level=Level.EUROPE,
            title="Communiqué commun sur le Pacte européen sur la migration et l'asile",
        ),
    ]
    for row in rows:
        row.date = random_day(rng, start, end)
    Interpellation.objects.bulk_create(rows)
    return len(rows)


def _second_tuesday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(1 - first.weekday()) % 7 + 7)


def _governance(today: dt.date) -> int:
    """The board six times, the bureau ten times (not in July and August), two general assemblies."""
    year = today.year
    rows = [
        GovernanceMeeting(kind=GovernanceKind.BOARD, date=_second_tuesday(year, m))
        for m in (2, 4, 6, 9, 10, 12)
    ]
    rows += [
        GovernanceMeeting(kind=GovernanceKind.BUREAU, date=_second_tuesday(year, m) + dt.timedelta(days=7))
        for m in (1, 2, 3, 4, 5, 6, 9, 10, 11, 12)
    ]
    rows += [
        GovernanceMeeting(
            kind=GovernanceKind.GENERAL_ASSEMBLY,
            date=_second_tuesday(year, 6) + dt.timedelta(days=2),
            notes="Approbation des comptes et du rapport d'activités",
        ),
        GovernanceMeeting(
            kind=GovernanceKind.GENERAL_ASSEMBLY,
            date=_second_tuesday(year, 12) + dt.timedelta(days=2),
            notes="Budget et plan d'action de l'année suivante",
        ),
    ]
    taken = set(GovernanceMeeting.objects.filter(date__year=year).values_list("kind", "date"))
    rows = [row for row in rows if (row.kind, row.date) not in taken]
    GovernanceMeeting.objects.bulk_create(rows)
    return len(rows)


TEAM_ROLES = {
    "direction": (Team.DIRECTION, "Directrice"),
    "admin": (Team.ADMINISTRATION, "Responsable administrative et informatique"),
    "coordination": (Team.SECOND_LINE, "Coordinatrice du parcours d'intégration"),
    "coordination.formations": (Team.SECOND_LINE, "Coordinateur des formations"),
    "coordination.plateformes": (Team.SECOND_LINE, "Coordinatrice des plateformes et du réseau"),
    "coordination.antiracisme": (Team.SECOND_LINE, "Chargé de projets antiracisme"),
}
WITHOUT_ACCOUNT = [
    ("Claire Deprez", Team.DIRECTION, "Directrice adjointe"),
    ("Fatou Ndiaye", Team.FIRST_LINE, "Agente d'accueil"),
    ("Hugo Lambotte", Team.FIRST_LINE, "Interprète en milieu social"),
    ("Samia Bouhlal", Team.SECOND_LINE, "Chargée de projets interculturalité"),
    ("Véronique Halleux", Team.ADMINISTRATION, "Comptable"),
    ("Romain Dufrasne", Team.ADMINISTRATION, "Chargé de communication"),
]


def _team(staff: dict, today: dt.date) -> int:
    """A team row for each demo staff account (counsellors in the first line) and a few colleagues
    without an account; accounts already in the team list are left as they are."""
    linked = set(StaffMember.objects.filter(user__isnull=False).values_list("user_id", flat=True))
    rows = []
    for index, (username, user) in enumerate(sorted(staff.items())):
        if user.pk in linked or user.is_commune_agent:
            continue
        team, function = TEAM_ROLES.get(username, (Team.FIRST_LINE, "Conseiller·ère en accompagnement"))
        rows.append(
            StaffMember(
                user=user,
                name=user.get_full_name() or username,
                team=team,
                function=function,
                since=dt.date(today.year - 1 - index % 8, 1 + index % 12, 1),
            )
        )
    names = set(StaffMember.objects.values_list("name", flat=True))
    for index, (name, team, function) in enumerate(WITHOUT_ACCOUNT):
        if name not in names:
            rows.append(
                StaffMember(
                    name=name, team=team, function=function, since=dt.date(today.year - 2 - index, 9, 1)
                )
            )
    StaffMember.objects.bulk_create(rows)
    return len(rows)
