"""Trainings for the sector's professionals: the catalogue, sessions, trainers, registrations and
attendance. Registrants are sector workers, not newcomer files."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cai.models import TimeStampedModel
from cai.validators import validate_plausible_moment
from plateformes.models import Operator

from .choices import RegistrationStatus, SessionStatus


class Training(TimeStampedModel):
    """A training of the catalogue, or a training given on request for an organisation."""

    title = models.CharField(_("titre"), max_length=250)
    theme = models.CharField(_("thème"), max_length=150, blank=True)
    objectives = models.TextField(_("objectifs"), max_length=5000, blank=True)
    audience = models.CharField(_("public"), max_length=250, blank=True)
    modules = models.TextField(_("modules"), max_length=5000, blank=True)
    on_request_for = models.ForeignKey(
        Operator,
        verbose_name=_("formation à la demande de"),
        related_name="requested_trainings",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    on_request_for_name = models.CharField(_("demandeur (hors répertoire)"), max_length=200, blank=True)
    active = models.BooleanField(_("au catalogue"), default=True)

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("formations:training_detail", args=[self.pk])


class TrainingSession(TimeStampedModel):
    training = models.ForeignKey(
        Training, verbose_name=_("formation"), related_name="sessions", on_delete=models.CASCADE
    )
    starts_at = models.DateTimeField(_("début"), validators=[validate_plausible_moment])
    ends_at = models.DateTimeField(_("fin"), validators=[validate_plausible_moment])
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    online = models.BooleanField(_("en ligne"), default=False)
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    postponed_to = models.DateTimeField(
        _("reportée au"), null=True, blank=True, validators=[validate_plausible_moment]
    )
    cancellation_reason = models.CharField(_("motif d'annulation"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session de formation")
        verbose_name_plural = _("sessions de formation")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["starts_at"], name="training_session_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="training_session_ends_after_start",
                violation_error_message=_("La fin doit suivre le début."),
            ),
            models.CheckConstraint(
                condition=~Q(status=SessionStatus.CANCELLED) | ~Q(cancellation_reason=""),
                name="training_cancel_has_reason",
                violation_error_message=_("Indiquez le motif de l'annulation."),
            ),
            models.CheckConstraint(
                condition=~Q(status=SessionStatus.POSTPONED) | Q(postponed_to__isnull=False),
                name="training_postponed_has_date",
                violation_error_message=_("Indiquez la nouvelle date de la session reportée."),
            ),
        ]

    def __str__(self):
        return f"{self.training} — {self.starts_at:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("formations:session_detail", args=[self.pk])


class Trainer(models.Model):
    """Who gives a session: a staff member, or an external speaker and their organisation."""

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("session"), related_name="trainers", on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre de l'équipe"),
        related_name="trainings_given",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    name = models.CharField(_("intervenant·e externe"), max_length=150, blank=True)
    operator = models.ForeignKey(
        Operator,
        verbose_name=_("organisation"),
        related_name="trainers",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("formateur·rice")
        verbose_name_plural = _("formateur·rice·s")
        ordering = ["session", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""),
                name="trainer_is_named",
                violation_error_message=_(
                    "Choisissez un membre de l'équipe ou indiquez l'intervenant·e externe."
                ),
            )
        ]

    def __str__(self):
        return str(self.user) if self.user_id else self.name

    @property
    def is_internal(self) -> bool:
        return self.user_id is not None


class Registration(TimeStampedModel):
    session = models.ForeignKey(
        TrainingSession, verbose_name=_("session"), related_name="registrations", on_delete=models.CASCADE
    )
    name = models.CharField(_("nom"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    operator = models.ForeignKey(
        Operator,
        verbose_name=_("organisation (répertoire)"),
        related_name="registrations",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    email = models.EmailField(_("e-mail"))
    status = models.CharField(
        _("état"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    attended = models.BooleanField(_("présent·e"), default=False)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["session", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                name="unique_registration_per_session",
                violation_error_message=_("Cette personne est déjà inscrite à cette session."),
            )
        ]

    def __str__(self):
        return f"{self.name} — {self.session}"
