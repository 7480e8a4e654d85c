"""Records the centre keeps as a data controller."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cai.models import TimeStampedModel

from .choices import BreachNature, DataClass, LegalBasis, RunStatus, RunTrigger, SpecialCondition


class AccessReview(TimeStampedModel):
    """The weekly review of unusual access to person files (Monday to Sunday, Europe/Brussels).

    Computed on Monday morning by ``tasks.weekly_access_review_task`` (``services.access_review_compute``):
    ``findings`` holds, per user, the distinct files opened that week against their usual number, whether
    that is unusual (``selectors.UNUSUAL_RULE``), and every out-of-office access used or granted that week.
    The director marks it reviewed, with a comment.
    """

    week_start = models.DateField(_("semaine du"), unique=True)
    computed_at = models.DateTimeField(_("calculée le"))
    findings = models.JSONField(_("constats"), default=dict)
    flagged_count = models.PositiveIntegerField(_("utilisateur·rice·s signalé·e·s"), default=0)
    override_count = models.PositiveIntegerField(_("accès exceptionnels"), default=0)
    mailed_at = models.DateTimeField(_("envoyée à la direction le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vue par"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(_("vue le"), null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("revue des accès")
        verbose_name_plural = _("revues des accès")
        ordering = ["-week_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reviewed_by__isnull=True, reviewed_at__isnull=True)
                | models.Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="access_review_reviewed_by_and_at_together",
                violation_error_message=_("Une revue vue doit indiquer par qui et quand."),
            )
        ]

    def __str__(self):
        return _("Revue des accès de la semaine du %(week)s") % {"week": self.week_start.strftime("%d/%m/%Y")}

    def get_absolute_url(self):
        return reverse("privacy:access_review_detail", args=[self.pk])

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


class SubjectAccessRequest(TimeStampedModel):
    """A person's request to access their data (GDPR art. 15), received by the centre, with the answer
    deadline of art. 12.3 (one month from receipt) and the day the package was delivered."""

    person = models.ForeignKey(
        "accompagnement.Person",
        verbose_name=_("personne"),
        related_name="access_requests",
        # The register outlives an erased file (accountability): the name given stays.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    requester_name = models.CharField(
        _("demandeur·se"), max_length=200, blank=True, help_text=_("Par défaut, le nom du dossier.")
    )
    received_on = models.DateField(_("reçue le"))
    due_on = models.DateField(
        _("réponse due le"), help_text=_("Un mois après la réception (RGPD, art. 12.3).")
    )
    delivered_on = models.DateField(_("réponse remise le"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistrée par"),
        related_name="+",
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = _("demande d'accès aux données")
        verbose_name_plural = _("demandes d'accès aux données")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("received_on")),
                name="access_request_due_after_receipt",
                violation_error_message=_("L'échéance ne peut précéder la réception."),
            ),
            models.CheckConstraint(
                condition=Q(delivered_on__isnull=True) | Q(delivered_on__gte=models.F("received_on")),
                name="access_request_delivered_after_receipt",
                violation_error_message=_("La réponse ne peut précéder la réception de la demande."),
            ),
        ]

    def __str__(self):
        return _("Demande d'accès de %(name)s du %(day)s") % {
            "name": self.requester_name,
            "day": self.received_on.strftime("%d/%m/%Y"),
        }

    @property
    def is_late(self) -> bool:
        from django.utils import timezone

        return self.delivered_on is None and timezone.localdate() > self.due_on


# Beyond this delay between discovery and notification, art. 33.1 asks for the reasons of the delay.
NOTIFICATION_DEADLINE = dt.timedelta(hours=72)


class RetentionRule(models.Model):
    """How long one class of personal data is kept, and what happens at term (see ``retention.py``
    for what each class covers and how its clock runs). One row per class, seeded by a migration;
    the director edits the term and the active flag."""

    data_class = models.CharField(
        _("catégorie de données"), max_length=30, choices=DataClass.choices, unique=True
    )
    term_months = models.PositiveIntegerField(
        _("durée de conservation (mois)"),
        validators=[MinValueValidator(1, _("La durée de conservation doit être d'au moins un mois."))],
    )
    starts_from = models.CharField(_("point de départ"), max_length=300)
    action_description = models.TextField(_("ce qui se passe au terme"), max_length=2000)
    active = models.BooleanField(
        _("appliquée"),
        default=True,
        help_text=_("Une règle suspendue n'est pas appliquée par le traitement."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modifiée par"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("règle de conservation")
        verbose_name_plural = _("règles de conservation")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_months__gte=1),
                name="retention_rule_term_at_least_one_month",
                violation_error_message=_("La durée de conservation doit être d'au moins un mois."),
            )
        ]

    def __str__(self):
        return str(self.get_data_class_display())

    @property
    def term_display(self) -> str:
        years, months = divmod(self.term_months, 12)
        if months == 0:
            return _("%(n)s an(s)") % {"n": years}
        return _("%(n)s mois") % {"n": self.term_months}


class RetentionRun(models.Model):
    """One application (or simulation) of the retention policy: when, as of which day, who asked, and
    how many records each class changed (``counts``: data class → number)."""

    as_of = models.DateField(_("à la date du"))
    dry_run = models.BooleanField(_("simulation"), default=False)
    trigger = models.CharField(_("déclenchement"), max_length=10, choices=RunTrigger.choices)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lancée par"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    status = models.CharField(_("état"), max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    counts = models.JSONField(_("enregistrements traités"), default=dict, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("application de la politique de conservation")
        verbose_name_plural = _("applications de la politique de conservation")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return _("Conservation au %(day)s") % {"day": self.as_of.strftime("%d/%m/%Y")}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count_rows(self) -> list[tuple[str, int]]:
        """(label, count) per data class, in the classes' order."""
        return [
            (label, self.counts.get(value, 0)) for value, label in DataClass.choices if value in self.counts
        ]


def controller_contact() -> str:
    return getattr(settings, "CAI_PRIVACY_CONTROLLER", "") or settings.CAI_CENTRE_NAME


def dpo_contact() -> str:
    return getattr(settings, "CAI_PRIVACY_DPO", "")


class ProcessingActivity(TimeStampedModel):
    """One entry of the register of processing activities (GDPR art. 30.1). The controller and the
    data protection officer are the same for every entry: they come from the settings
    (``CAI_PRIVACY_CONTROLLER``, ``CAI_PRIVACY_DPO``)."""

    name = models.CharField(_("traitement"), max_length=200, unique=True)
    purposes = models.TextField(_("finalités"), max_length=3000)
    legal_basis = models.CharField(_("base légale (art. 6.1 RGPD)"), max_length=1, choices=LegalBasis.choices)
    legal_basis_detail = models.TextField(
        _("fondement précis"), max_length=1000, blank=True, help_text=_("Texte de loi, décret, convention…")
    )
    special_categories = models.BooleanField(_("catégories particulières de données (art. 9)"), default=False)
    special_categories_detail = models.TextField(_("lesquelles"), max_length=1000, blank=True)
    special_condition = models.CharField(
        _("condition de l'art. 9.2"), max_length=1, choices=SpecialCondition.choices, blank=True
    )
    subject_categories = models.TextField(_("catégories de personnes concernées"), max_length=2000)
    data_categories = models.TextField(_("catégories de données"), max_length=3000)
    recipients = models.TextField(_("destinataires"), max_length=2000)
    transfers_outside_eu = models.BooleanField(_("transferts hors de l'Union européenne"), default=False)
    transfer_safeguards = models.TextField(_("garanties des transferts"), max_length=2000, blank=True)
    retention_rule = models.ForeignKey(
        RetentionRule,
        verbose_name=_("règle de conservation"),
        related_name="activities",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    retention_text = models.TextField(_("durée de conservation (texte)"), max_length=1000, blank=True)
    security_measures = models.TextField(_("mesures de sécurité"), max_length=3000)
    last_reviewed_on = models.DateField(_("dernière révision le"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modifié par"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("traitement de données")
        verbose_name_plural = _("registre des traitements")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(transfers_outside_eu=False) | ~Q(transfer_safeguards=""),
                name="processing_transfer_has_safeguards",
                violation_error_message=_(
                    "Décrivez les garanties des transferts hors de l'Union européenne."
                ),
            ),
            models.CheckConstraint(
                condition=Q(special_categories=False) | ~Q(special_condition=""),
                name="processing_special_has_condition",
                violation_error_message=_("Indiquez la condition de l'article 9.2 qui permet ce traitement."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("privacy:activity_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.special_categories:
            if not self.special_condition:
                errors["special_condition"] = _(
                    "Indiquez la condition de l'article 9.2 qui permet ce traitement."
                )
            if not self.special_categories_detail.strip():
                errors["special_categories_detail"] = _(
                    "Précisez quelles catégories particulières sont traitées."
                )
        elif self.special_condition:
            errors["special_condition"] = _(
                "Une condition de l'article 9.2 ne s'indique que pour des catégories particulières de données."
            )
        if self.transfers_outside_eu and not self.transfer_safeguards.strip():
            errors["transfer_safeguards"] = _(
                "Décrivez les garanties des transferts hors de l'Union européenne."
            )
        if self.retention_rule_id is None and not self.retention_text.strip():
            errors["retention_text"] = _(
                "Indiquez la durée de conservation ou choisissez une règle de conservation."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def retention_display(self) -> str:
        parts = []
        if self.retention_rule is not None:
            parts.append(f"{self.retention_rule} : {self.retention_rule.term_display}")
        if self.retention_text:
            parts.append(self.retention_text)
        return " — ".join(parts)


class BreachQuerySet(models.QuerySet):
    def notified(self):
        return self.filter(notified_authority=True)


class BreachRecord(TimeStampedModel):
    """One personal-data breach, notified or not (GDPR art. 33.5: the controller documents every breach,
    its facts, effects and the remedial action taken)."""

    title = models.CharField(_("intitulé"), max_length=200)
    discovered_at = models.DateTimeField(_("découverte le"))
    occurred_from = models.DateTimeField(_("survenue à partir du"), null=True, blank=True)
    occurred_to = models.DateTimeField(_("jusqu'au"), null=True, blank=True)
    description = models.TextField(_("description des faits"), max_length=5000)
    affects_confidentiality = models.BooleanField(BreachNature.CONFIDENTIALITY.label, default=False)
    affects_integrity = models.BooleanField(BreachNature.INTEGRITY.label, default=False)
    affects_availability = models.BooleanField(BreachNature.AVAILABILITY.label, default=False)
    subject_categories = models.TextField(_("catégories de personnes concernées"), max_length=2000)
    subjects_count = models.PositiveIntegerField(_("nombre approximatif de personnes concernées"))
    record_categories = models.TextField(_("catégories d'enregistrements concernés"), max_length=2000)
    records_count = models.PositiveIntegerField(_("nombre approximatif d'enregistrements concernés"))
    likely_consequences = models.TextField(_("conséquences probables"), max_length=3000)
    measures_taken = models.TextField(_("mesures prises"), max_length=3000)
    measures_proposed = models.TextField(_("mesures proposées"), max_length=3000, blank=True)
    notified_authority = models.BooleanField(
        _("notifiée à l'Autorité de protection des données"), default=False
    )
    notified_at = models.DateTimeField(_("notifiée le"), null=True, blank=True)
    authority_reference = models.CharField(_("référence de la notification"), max_length=100, blank=True)
    not_notified_reason = models.TextField(
        _("motif de l'absence de notification"), max_length=2000, blank=True
    )
    late_notification_reason = models.TextField(
        _("motif du retard de notification (au-delà de 72 heures)"), max_length=2000, blank=True
    )
    subjects_informed = models.BooleanField(_("personnes concernées informées"), default=False)
    subjects_informed_on = models.DateField(_("informées le"), null=True, blank=True)
    subjects_not_informed_reason = models.TextField(
        _("motif de l'absence d'information des personnes"), max_length=2000, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("consignée par"), related_name="+", on_delete=models.PROTECT
    )

    objects = BreachQuerySet.as_manager()

    class Meta:
        verbose_name = _("violation de données")
        verbose_name_plural = _("registre des violations de données")
        ordering = ["-discovered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(occurred_to__isnull=True)
                | Q(occurred_from__isnull=True)
                | Q(occurred_to__gte=F("occurred_from")),
                name="breach_occurred_period_ordered",
                violation_error_message=_("La fin de la violation ne peut précéder son début."),
            ),
            models.CheckConstraint(
                condition=Q(notified_at__isnull=True) | Q(notified_at__gte=F("discovered_at")),
                name="breach_notified_after_discovery",
                violation_error_message=_("La notification ne peut précéder la découverte de la violation."),
            ),
            models.CheckConstraint(
                condition=Q(affects_confidentiality=True)
                | Q(affects_integrity=True)
                | Q(affects_availability=True),
                name="breach_has_a_nature",
                violation_error_message=_("Cochez au moins une nature de violation."),
            ),
        ]

    def __str__(self):
        return f"{self.discovered_at:%d/%m/%Y} — {self.title}"

    def get_absolute_url(self):
        return reverse("privacy:breach_detail", args=[self.pk])

    @property
    def natures(self) -> list[str]:
        flags = (
            (self.affects_confidentiality, BreachNature.CONFIDENTIALITY.label),
            (self.affects_integrity, BreachNature.INTEGRITY.label),
            (self.affects_availability, BreachNature.AVAILABILITY.label),
        )
        return [str(label) for flag, label in flags if flag]

    @property
    def notification_delay(self) -> dt.timedelta | None:
        if self.notified_at is None or self.discovered_at is None:
            return None
        return self.notified_at - self.discovered_at

    @property
    def notified_late(self) -> bool:
        delay = self.notification_delay
        return delay is not None and delay > NOTIFICATION_DEADLINE

    def clean(self):
        errors: dict[str, list] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        if self.discovered_at and self.discovered_at > timezone.now():
            add("discovered_at", _("La date de découverte ne peut être dans le futur."))
        if self.occurred_from and self.occurred_to and self.occurred_to < self.occurred_from:
            add("occurred_to", _("La fin de la violation ne peut précéder son début."))
        if self.occurred_from and self.discovered_at and self.occurred_from > self.discovered_at:
            add("occurred_from", _("La violation ne peut commencer après sa découverte."))
        if not (self.affects_confidentiality or self.affects_integrity or self.affects_availability):
            add("affects_confidentiality", _("Cochez au moins une nature de violation."))
        if self.notified_authority:
            if self.notified_at is None:
                add("notified_at", _("Indiquez la date et l'heure de la notification à l'APD."))
            elif self.discovered_at and self.notified_at < self.discovered_at:
                add("notified_at", _("La notification ne peut précéder la découverte de la violation."))
            elif self.notified_late and not self.late_notification_reason.strip():
                add(
                    "late_notification_reason",
                    _(
                        "La notification a eu lieu plus de 72 heures après la découverte : justifiez ce retard."
                    ),
                )
        else:
            if not self.not_notified_reason.strip():
                add(
                    "not_notified_reason",
                    _(
                        "Expliquez pourquoi la violation n'est pas notifiée à l'APD (art. 33.1 : risque improbable)."
                    ),
                )
            if self.notified_at is not None or self.authority_reference:
                add("notified_at", _("Une violation non notifiée n'a ni date ni référence de notification."))
        if self.subjects_informed:
            if self.subjects_informed_on is None:
                add("subjects_informed_on", _("Indiquez la date à laquelle les personnes ont été informées."))
            elif self.discovered_at and self.subjects_informed_on < self.discovered_at.date():
                add("subjects_informed_on", _("Les personnes ne peuvent être informées avant la découverte."))
        elif not self.subjects_not_informed_reason.strip():
            add(
                "subjects_not_informed_reason",
                _("Expliquez pourquoi les personnes concernées ne sont pas informées (art. 34.3)."),
            )
        if errors:
            raise ValidationError(errors)
