"""Choices of the data-protection records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataClass(models.TextChoices):
    """The classes of personal data the retention policy gives a term to (one rule each)."""

    PATH_FILE = "path_file", _("Dossiers avec parcours d'intégration")
    PERSON_FILE = "person_file", _("Dossiers sans parcours")
    CONTACT_DETAILS = "contact_details", _("Coordonnées des dossiers inactifs")
    CONFIDENTIAL_NOTES = "confidential_notes", _("Notes confidentielles des rendez-vous")
    UNMATCHED_LIST_ROWS = "unmatched_list_rows", _("Lignes de listes communales jamais rapprochées")
    SECURITY_EVENTS = "security_events", _("Journal des connexions (événements de sécurité)")


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Planification hebdomadaire")
    MANUAL = "manual", _("Lancement manuel")


class RunStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminée")
    FAILED = "failed", _("Échec")


class LegalBasis(models.TextChoices):
    """GDPR art. 6.1 (a)–(f)."""

    CONSENT = "a", _("a) Consentement de la personne")
    CONTRACT = "b", _("b) Exécution d'un contrat")
    LEGAL_OBLIGATION = "c", _("c) Obligation légale")
    VITAL_INTERESTS = "d", _("d) Sauvegarde des intérêts vitaux")
    PUBLIC_TASK = "e", _("e) Mission d'intérêt public")
    LEGITIMATE_INTERESTS = "f", _("f) Intérêts légitimes")


class SpecialCondition(models.TextChoices):
    """GDPR art. 9.2 (a)–(j): the condition lifting the ban on special categories."""

    NONE = "", _("Sans objet (pas de catégorie particulière)")
    EXPLICIT_CONSENT = "a", _("a) Consentement explicite")
    EMPLOYMENT = "b", _("b) Droit du travail et de la sécurité sociale")
    VITAL_INTERESTS = "c", _("c) Intérêts vitaux")
    FOUNDATION = "d", _("d) Fondation, association à but non lucratif")
    MADE_PUBLIC = "e", _("e) Données rendues publiques par la personne")
    LEGAL_CLAIMS = "f", _("f) Droits en justice")
    PUBLIC_INTEREST = "g", _("g) Intérêt public important")
    HEALTH_CARE = "h", _("h) Médecine préventive, aide ou protection sociale")
    PUBLIC_HEALTH = "i", _("i) Santé publique")
    ARCHIVING = "j", _("j) Archives, recherche, statistiques")


class BreachNature(models.TextChoices):
    CONFIDENTIALITY = "confidentiality", _("Confidentialité (divulgation, accès non autorisé)")
    INTEGRITY = "integrity", _("Intégrité (altération)")
    AVAILABILITY = "availability", _("Disponibilité (perte, destruction)")
