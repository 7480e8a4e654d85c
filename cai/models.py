"""What every app shares: the user and its role, the base model."""

import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Role


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class TimeStampedModel(models.Model):
    """Base for domain models: creation and last-change timestamps."""

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A staff member or a commune agent. The role decides what the person may see.

    Counsellors are tied to offices through ``Office.staff`` (``user.offices``); commune agents to
    communes through ``Commune.agents`` (``user.agent_communes``).
    """

    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.COUNSELLOR)
    path_coordination = models.BooleanField(
        _("coordination du parcours"),
        default=False,
        help_text=_("Peut rapprocher les listes communales des dossiers existants."),
    )
    calendar_token = models.CharField(
        _("jeton de l'agenda"), max_length=64, unique=True, default=new_calendar_token, editable=False
    )

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rice·s")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_counsellor(self) -> bool:
        return self.role == Role.COUNSELLOR

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_director(self) -> bool:
        return self.role == Role.DIRECTOR

    @property
    def is_commune_agent(self) -> bool:
        return self.role == Role.COMMUNE_AGENT

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def reads_all_people(self) -> bool:
        """The director and administrators read every person file (administrators merge duplicates)."""
        return self.is_active and (self.is_director or self.is_administrator)

    @property
    def can_coordinate_path(self) -> bool:
        return self.is_active and (self.is_director or (self.is_coordinator and self.path_coordination))

    def rotate_calendar_token(self) -> None:
        self.calendar_token = new_calendar_token()
        self.save(update_fields=["calendar_token"])


class SecurityEvent(models.Model):
    """Sign-in, sign-out, failures, lockouts: who, when, from where. Written only by the application."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Connexion")
        LOGOUT = "logout", _("Déconnexion")
        LOGIN_FAILED = "login_failed", _("Échec de connexion")
        LOCKOUT = "lockout", _("Verrouillage")
        OTP_FAILED = "otp_failed", _("Code de vérification refusé")

    kind = models.CharField(_("événement"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        "cai.User",
        verbose_name=_("utilisateur·rice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("identifiant saisi"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("moment"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("événement de sécurité")
        verbose_name_plural = _("événements de sécurité")
        ordering = ["-occurred_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.username} {self.occurred_at:%d/%m/%Y %H:%M}"
