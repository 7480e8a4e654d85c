from django.db import models
from django.utils.translation import gettext_lazy as _

from .rules import Reason, Status


class PathStatus(models.TextChoices):
    OBLIGED = Status.OBLIGED, _("Obligé·e")
    VOLUNTARY = Status.VOLUNTARY, _("Volontaire")
    DISPENSED = Status.DISPENSED, _("Dispensé·e")
    OUT_OF_SCOPE = Status.OUT_OF_SCOPE, _("Hors champ")


class StatusReason(models.TextChoices):
    BELGIAN = Reason.BELGIAN, _("Nationalité belge")
    EU_CITIZEN = Reason.EU_CITIZEN, _("Citoyen·ne de l'UE, de l'EEE ou de Suisse")
    EU_FAMILY = Reason.EU_FAMILY, _("Membre de la famille d'un·e citoyen·ne de l'UE")
    ASYLUM_SEEKER = Reason.ASYLUM_SEEKER, _("Demandeur·se de protection internationale")
    SHORT_TITLE = Reason.SHORT_TITLE, _("Titre de séjour de 3 mois ou moins")
    NO_TITLE = Reason.NO_TITLE, _("Titre de séjour non renseigné")
    LONG_STAY = Reason.LONG_STAY, _("Séjour légal de 3 ans ou plus")
    OUTSIDE_TERRITORY = Reason.OUTSIDE_TERRITORY, _("Domicile hors de la Wallonie francophone")
    UNDER_18 = Reason.UNDER_18, _("Moins de 18 ans")
    OVER_64 = Reason.OVER_64, _("65 ans ou plus")
    TURKISH = Reason.TURKISH, _("Nationalité turque (clause de standstill)")
    RECORDED_DISPENSATION = Reason.RECORDED_DISPENSATION, _("Dispense enregistrée")
    NEWCOMER_OF_AGE = Reason.NEWCOMER_OF_AGE, _("Primo-arrivant·e de 18 à 64 ans")
    CHOSEN = Reason.CHOSEN, _("Parcours suivi volontairement")
    OVERRIDE = "derogation", _("Statut fixé par un·e accompagnateur·rice")


class ComponentKind(models.TextChoices):
    SOCIAL_ASSESSMENT = "bilan_social", _("Bilan social")
    RIGHTS_DUTIES = "droits_devoirs", _("Information droits et devoirs")
    FRENCH_TEST = "test_francais", _("Test de positionnement en français")
    PROCEDURES_HELP = "aide_demarches", _("Aide aux démarches administratives")
    CONVENTION = "convention", _("Convention signée")
    FRENCH = "francais", _("Formation en français (400 h)")
    CITIZENSHIP = "citoyennete", _("Formation à la citoyenneté (60 h)")
    ISP = "orientation_isp", _("Orientation socioprofessionnelle")
    EVALUATIONS = "evaluations", _("Entretiens d'évaluation")


# The reception module (module d'accueil personnalisé) groups the first four components.
RECEPTION_MODULE = (
    ComponentKind.SOCIAL_ASSESSMENT,
    ComponentKind.RIGHTS_DUTIES,
    ComponentKind.FRENCH_TEST,
    ComponentKind.PROCEDURES_HELP,
)


class ComponentState(models.TextChoices):
    TODO = "todo", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Fait")
    NOT_REQUIRED = "not_required", _("Non requis")


class CefrLevel(models.TextChoices):
    PRE_A1 = "preA1", _("pré-A1")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


CEFR_ORDER = [level.value for level in CefrLevel]


def cefr_at_least(level: str, threshold: str) -> bool:
    return bool(level) and CEFR_ORDER.index(level) >= CEFR_ORDER.index(threshold)


class HoursSource(models.TextChoices):
    SESSION = "session", _("Présence à une séance")
    OPERATOR = "operateur", _("Heures attestées par l'opérateur")


class CitizenshipFormat(models.TextChoices):
    FIC = "FIC", _("FIC — Formation à l'intégration citoyenne")
    AOC = "AOC", _("AOC — Atelier d'orientation citoyenne")


class SessionKind(models.TextChoices):
    SIDD = "sidd", _("Séance d'information droits et devoirs (SIDD)")
    ISP = "isp", _("Séance d'information ISP")
    THEMATIC = "thematique", _("Séance thématique (CV, entretien d'embauche…)")


class DuoKind(models.TextChoices):
    NET2WORK = "net2work", _("Mentorat Net2Work")
    MIN = "min", _("Mentorat MIN")
    CONVERSATION = "table_conversation", _("Table de conversation")


class ConvocationChannel(models.TextChoices):
    REGISTERED = "recommande", _("Courrier recommandé")
    ELECTRONIC = "electronique", _("Envoi électronique")


class DocumentKind(models.TextChoices):
    CONVOCATION = "convocation", _("Convocation à un entretien d'évaluation")
    FOLLOW_UP = "outil_suivi", _("Outil de suivi du parcours")
    ATTESTATION = "attestation", _("Attestation de fréquentation")
