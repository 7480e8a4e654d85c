from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionStatus(models.TextChoices):
    PLANNED = "prevue", _("Prévue")
    HELD = "tenue", _("Tenue")
    POSTPONED = "reportee", _("Reportée")
    CANCELLED = "annulee", _("Annulée")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "inscrit", _("Inscrit·e")
    WAITING = "attente", _("Liste d'attente")
    CANCELLED = "annule", _("Désinscrit·e")
