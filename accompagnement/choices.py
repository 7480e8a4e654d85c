from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("Femme")
    MALE = "M", _("Homme")
    OTHER = "X", _("Autre / non précisé")


class OriginGroup(models.TextChoices):
    """The four groups the activity report uses. Derived from the nationality, never typed."""

    NON_EU = "hors_ue", _("Hors UE")
    EU = "ue", _("UE")
    BELGIAN = "belges", _("Belges")
    STATELESS = "apatrides", _("Apatrides")


class NumberKind(models.TextChoices):
    NATIONAL_REGISTER = "nn", _("Numéro de registre national")
    BIS = "bis", _("Numéro BIS")


class Referral(models.TextChoices):
    COMMUNE = "commune", _("Relayé·e par la commune")
    PARTNER = "partner", _("Orienté·e par un partenaire")
    SELF = "self", _("De sa propre initiative")
    OTHER = "other", _("Autre")


class ResidenceCard(models.TextChoices):
    """Belgian residence documents of foreign nationals (electronic cards and paper annexes)."""

    A = "A", _("Carte A (séjour limité)")
    B = "B", _("Carte B (séjour illimité)")
    C = "C", _("Carte C (établissement)")
    D = "D", _("Carte D (résident de longue durée UE)")
    E = "E", _("Carte E (citoyen UE)")
    E_PLUS = "E+", _("Carte E+ (séjour permanent citoyen UE)")
    F = "F", _("Carte F (membre de famille d'un citoyen UE)")
    F_PLUS = "F+", _("Carte F+ (séjour permanent membre de famille UE)")
    H = "H", _("Carte H (carte bleue européenne)")
    K = "K", _("Carte K (accord de retrait, séjour)")
    L = "L", _("Carte L (accord de retrait, séjour permanent)")
    M = "M", _("Carte M (accord de retrait, membre de famille)")
    ORANGE = "orange", _("Attestation d'immatriculation (carte orange)")
    ANNEX_15 = "annexe15", _("Annexe 15")
    OTHER = "other", _("Autre document")


class PermanenceKind(models.TextChoices):
    WEEKLY = "weekly", _("Chaque semaine")
    MONTHLY = "monthly", _("Un jour précis du mois (nᵉ jour de semaine)")


class ExceptionKind(models.TextChoices):
    CLOSED = "closed", _("Fermé")
    APPOINTMENT_ONLY = "appointment_only", _("Sur rendez-vous uniquement")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class AppointmentMode(models.TextChoices):
    IN_PERSON = "in_person", _("Présentiel")
    PHONE = "phone", _("Téléphone")
    VIDEO = "video", _("Visioconférence")
    EMAIL = "email", _("E-mail")


class InterpreterService(models.TextChoices):
    SETIS = "setis", _("SeTIS")
    OTHER = "other", _("Autre interprète")
