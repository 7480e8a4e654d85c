"""The demo year's report texts: what a team writes in the app for the activity report (an
introduction, comments per chapter, perspectives, a word per reception office), so that the demo
report reads like the finished document. Sample content, written once: a text the team has already
written is never replaced."""

import datetime as dt

from auditlog.context import disable_auditlog
from django.utils.translation import gettext as _

from accompagnement.models import Office

from .models import NarrativeBlock

SAMPLE_TEXTS = {
    "introduction": [
        "Cette année encore, le Centre d'Action Interculturelle a accueilli, informé et accompagné les "
        "personnes étrangères et d'origine étrangère de la province de Namur, dans ses huit bureaux "
        "d'accueil. Le parcours d'intégration a pris une place croissante dans notre travail : davantage "
        "de personnes obligées, davantage de conventions signées, et des attestations délivrées dans les "
        "délais pour la grande majorité d'entre elles.",
        "Ce rapport rend compte de nos quatre missions décrétales : l'accompagnement des primo-arrivant·e·s, "
        "la coordination des activités d'intégration, la formation et la sensibilisation des "
        "intervenant·e·s, et l'interpellation des pouvoirs publics. Les chiffres qu'il présente sont "
        "calculés à partir des données enregistrées par l'équipe tout au long de l'année.",
        "Nous remercions les opérateurs du réseau, les communes et les CPAS de la province, ainsi que "
        "l'ensemble de l'équipe, sans qui ce travail ne serait pas possible.",
    ],
    "accompagnement.equipe": [
        "L'équipe d'accompagnement compte des accompagnateur·rice·s de première ligne répartis dans les "
        "bureaux d'accueil de la province, soutenus par une coordination. Chaque bureau tient une "
        "permanence hebdomadaire, avec ou sans rendez-vous, et reçoit les personnes orientées par les "
        "communes.",
    ],
    "accompagnement.individuel": [
        "Les demandes portent d'abord sur le séjour et le regroupement familial, puis sur le logement, la "
        "formation et l'emploi. Beaucoup de personnes reviennent plusieurs fois : l'accompagnement "
        "individuel est un suivi dans la durée, pas une réponse ponctuelle.",
        "Le recours à l'interprétariat social reste indispensable pour une part importante des entretiens.",
    ],
    "accompagnement.parcours": [
        "Les communes nous relaient chaque mois la liste des personnes nouvellement inscrites. Chacune "
        "reçoit une invitation au bureau d'accueil le plus proche ; le module d'accueil (bilan social, "
        "information sur les droits et devoirs, test de positionnement en français) ouvre le parcours.",
        "Les entretiens d'évaluation semestriels permettent d'ajuster le parcours : orientation vers une "
        "formation en français, vers la formation à l'intégration citoyenne ou vers l'insertion "
        "socioprofessionnelle.",
    ],
    "accompagnement.collectif": [
        "Les séances d'information sur les droits et devoirs (SIDD) et les séances d'information sur "
        "l'insertion socioprofessionnelle ont été organisées dans chaque bureau, en présentiel et, pour "
        "certaines, à distance.",
    ],
    "accompagnement.projets": [
        "Les tests de langue ELAO permettent de situer le niveau de français de chaque personne et de "
        "l'orienter vers la formation adaptée. Les duos de mentorat et les tables de conversation "
        "favorisent la rencontre et la pratique du français hors des cours.",
    ],
    "accompagnement.perspectives": [
        "L'an prochain, nous renforcerons l'accueil sans rendez-vous dans les bureaux les plus sollicités "
        "et nous développerons les séances collectives en ligne.",
    ],
    "coordination.plateformes": [
        "Les plateformes thématiques (français langue étrangère, citoyenneté, insertion "
        "socioprofessionnelle) et les groupes de travail ont réuni régulièrement les opérateurs du réseau "
        "pour partager les pratiques et l'offre disponible.",
    ],
    "coordination.locales": [
        "Les coordinations locales réunissent, commune par commune, les acteurs de l'intégration : CPAS, "
        "services communaux, associations, écoles et opérateurs de formation.",
    ],
    "coordination.operateurs": [
        "Le soutien aux opérateurs prend la forme d'accompagnement de projets, d'aide à la rédaction des "
        "demandes de subvention et de relais vers les formations de l'équipe.",
    ],
    "coordination.perspectives": [
        "Nous voulons élargir les coordinations locales aux communes qui n'en ont pas encore.",
    ],
    "formation.formations": [
        "Le programme de formation s'adresse aux professionnel·le·s et aux bénévoles du secteur : "
        "approche interculturelle, droit des étrangers, communication avec un interprète. Quelques "
        "sessions ont dû être reportées ou annulées ; les causes sont détaillées dans les tableaux.",
    ],
    "formation.sensibilisation": [
        "Les actions de sensibilisation ont touché le grand public et les écoles : animations, "
        "expositions, ciné-débats et publications.",
    ],
    "formation.perspectives": [
        "Le programme de l'an prochain, présenté en annexe, ajoute des modules à la demande des communes "
        "et des CPAS.",
    ],
    "interpellation": [
        "Le CAI a interpellé les pouvoirs publics, du niveau communal au niveau fédéral, sur les délais "
        "de traitement des titres de séjour, l'accès aux formations en français et la reconnaissance des "
        "diplômes.",
    ],
    "gestion.gestion": [
        "L'équipe a poursuivi la modernisation de ses outils : les dossiers, les parcours et les chiffres "
        "de ce rapport sont désormais tenus dans une seule application.",
    ],
    "gestion.communication": [
        "Le site internet, la lettre d'information et les réseaux sociaux relaient l'offre du réseau et "
        "les activités du centre.",
    ],
    "gestion.prevention": [
        "Un plan de prévention des risques psychosociaux a été élaboré avec l'équipe.",
    ],
    "gestion.gouvernance": [
        "L'assemblée générale et le conseil d'administration se sont réunis aux dates prévues par les "
        "statuts ; le comité d'accompagnement a suivi l'exécution des missions décrétales.",
    ],
    "annexes.mandats": [
        "Le CAI siège dans les instances consultatives régionales et provinciales du secteur de "
        "l'intégration.",
    ],
}

OFFICE_TEXT = (
    "Le bureau de {name} a tenu sa permanence toute l'année et travaille en lien étroit avec la "
    "commune et le CPAS. Les personnes relayées par la commune y sont reçues pour le module d'accueil."
)

AUTHORS = {"introduction": "direction", "coordination": "coordination", "formation": "coordination"}


def _html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def sample_texts() -> dict[str, str]:
    """Section key → sample HTML, the reception offices included."""
    texts = {key: _html(paragraphs) for key, paragraphs in SAMPLE_TEXTS.items()}
    for slug, name in Office.objects.values_list("slug", "name"):
        texts[f"office:{slug}"] = _html([OFFICE_TEXT.format(name=name)])
    return texts


def write_sample_texts(*, year: int, staff: dict) -> int:
    """Write the sample texts of ``year`` that the team has not written yet; returns how many."""
    written = set(NarrativeBlock.objects.filter(year=year).values_list("section", flat=True))
    blocks = [
        NarrativeBlock(
            year=year,
            section=key,
            text=text,
            updated_by=staff.get(AUTHORS.get(key.split(".")[0], "direction")),
        )
        for key, text in sample_texts().items()
        if key not in written
    ]
    NarrativeBlock.objects.bulk_create(blocks)
    return len(blocks)


def extend_demo(*, seed: int, today: dt.date, staff: dict) -> str:
    """The demo year's report texts (auditing off: generated, not anyone's action)."""
    with disable_auditlog():
        written = write_sample_texts(year=today.year, staff=staff)
    return _("Rapport : %(blocks)s textes rédigés pour %(year)s.") % {"blocks": written, "year": today.year}
