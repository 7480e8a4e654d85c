from django.db import models
from django.utils.translation import gettext_lazy as _


class OperatorKind(models.TextChoices):
    ILI = "ili", _("Initiative locale d'intégration (ILI)")
    ASSOCIATION = "association", _("Association")
    CPAS = "cpas", _("CPAS")
    COMMUNE = "commune", _("Commune")
    FOREM = "forem", _("FOREM")
    SCHOOL = "ecole", _("École / promotion sociale")
    RECEPTION_CENTRE = "centre_accueil", _("Centre d'accueil pour demandeurs d'asile")
    OTHER = "autre", _("Autre")


class Recognition(models.TextChoices):
    APPROVED_ILI = "ili_agreee", _("ILI agréée")
    RECOGNISED = "reconnu", _("Opérateur reconnu (parcours)")
    SUBSIDISED = "subventionne", _("Subventionné (appel à projets)")
    NONE = "aucun", _("Ni agréé ni reconnu")


class OfferKind(models.TextChoices):
    FRENCH = "francais", _("Cours de français (FLE/FLF)")
    CITIZENSHIP = "citoyennete", _("Formation à la citoyenneté (FIC/AOC)")
    SOCIAL_LEGAL = "social_juridique", _("Accompagnement social et juridique")
    ISP = "isp", _("Insertion socioprofessionnelle")
    OTHER = "autre", _("Autre")


class SupportKind(models.TextChoices):
    ADVICE = "conseil", _("Conseil")
    SUBSIDY_FILE = "dossier_subvention", _("Dossier de renouvellement de subvention")
    VISIT = "visite", _("Visite")
    COLLECTIVE = "seance_collective", _("Séance collective")


class GroupKind(models.TextChoices):
    PLATFORM = "plateforme", _("Plateforme")
    WORKING_GROUP = "groupe_travail", _("Groupe de travail")
    LOCAL_COORDINATION = "coordination_locale", _("Coordination locale")


class GroupStatus(models.TextChoices):
    ACTIVE = "actif", _("Actif")
    DORMANT = "en_veille", _("En veille")
    CLOSED = "clos", _("Clos")


class AwarenessKind(models.TextChoices):
    CONFERENCE = "conference", _("Conférence")
    DAY = "journee", _("Journée (contre le racisme…)")
    FORUM = "forum", _("Forum")
    BROADCAST = "diffusion", _("Émission / diffusion")
    PUBLICATION = "publication", _("Publication")


class InterpellationKind(models.TextChoices):
    OPEN_LETTER = "carte_blanche", _("Carte blanche / lettre ouverte")
    MOTION = "motion", _("Motion")
    MEETING = "rencontre", _("Rencontre avec des responsables politiques")
    PRESS = "presse", _("Communiqué de presse")


class Level(models.TextChoices):
    COMMUNE = "commune", _("Communal")
    PROVINCE = "province", _("Provincial")
    REGION = "region", _("Régional")
    FEDERAL = "federal", _("Fédéral")
    EUROPE = "europe", _("Européen")


class GovernanceKind(models.TextChoices):
    BOARD = "ca", _("Conseil d'administration")
    BUREAU = "bureau", _("Bureau")
    GENERAL_ASSEMBLY = "ag", _("Assemblée générale")


class Team(models.TextChoices):
    DIRECTION = "direction", _("Direction")
    FIRST_LINE = "premiere_ligne", _("Première ligne")
    SECOND_LINE = "deuxieme_ligne", _("Deuxième ligne")
    ADMINISTRATION = "administration", _("Administration et communication")
