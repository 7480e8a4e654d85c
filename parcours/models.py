"""The Walloon integration path of a person: its statutory status, components, hours, sessions,
language tests, mentoring duos, evaluation interviews and documents."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accompagnement.choices import ResidenceCard, Sex
from accompagnement.models import Commune, Language, Office, OfficeScopedQuerySet, Person
from cai.models import TimeStampedModel
from cai.validators import validate_plausible_moment

from . import rules
from .choices import (
    CefrLevel,
    CitizenshipFormat,
    ComponentKind,
    ComponentState,
    ConvocationChannel,
    DocumentKind,
    DuoKind,
    HoursSource,
    PathStatus,
    SessionKind,
    StatusReason,
)


class Regime(TimeStampedModel):
    """A legal regime of the path (2018 decree, 2024 decree…), in force for titles ordered from its
    start date. Editable reference data: the 2024 start date is still to be confirmed."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    label = models.CharField(_("libellé"), max_length=150)
    starts_on = models.DateField(_("s'applique aux titres délivrés à partir du"))
    attestation_months = models.PositiveSmallIntegerField(_("délai pour l'attestation (mois)"))
    presentation_months = models.PositiveSmallIntegerField(
        _("délai pour se présenter au bureau (mois)"), default=3
    )
    evaluation_interval_months = models.PositiveSmallIntegerField(
        _("intervalle des entretiens d'évaluation (mois)"), default=6
    )
    french_hours_required = models.PositiveSmallIntegerField(_("heures de français requises"), default=400)
    french_exempt_level = models.CharField(
        _("niveau de français qui dispense de la formation"),
        max_length=5,
        choices=CefrLevel.choices,
        default=CefrLevel.A2,
    )
    citizenship_hours_required = models.PositiveSmallIntegerField(
        _("heures de citoyenneté requises"), default=60
    )

    class Meta:
        verbose_name = _("régime du parcours")
        verbose_name_plural = _("régimes du parcours")
        ordering = ["starts_on"]

    def __str__(self):
        return self.label

    def as_rule(self) -> rules.Regime:
        return rules.Regime(
            code=self.code,
            starts_on=self.starts_on,
            attestation_months=self.attestation_months,
            presentation_months=self.presentation_months,
            evaluation_interval_months=self.evaluation_interval_months,
        )


class DispensationReasonQuerySet(models.QuerySet):
    def in_force(self, on):
        return self.filter(Q(valid_from__lte=on), Q(valid_until__isnull=True) | Q(valid_until__gte=on))


class DispensationReason(models.Model):
    """A reason for dispensation a counsellor records (medical certificate, Belgian diploma…), dated:
    the 2024 decree adapted the list. Age and Turkish nationality are decided by the rules themselves."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    valid_from = models.DateField(_("en vigueur depuis"))
    valid_until = models.DateField(_("en vigueur jusqu'au"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = DispensationReasonQuerySet.as_manager()

    class Meta:
        verbose_name = _("motif de dispense")
        verbose_name_plural = _("motifs de dispense")
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


class PathQuerySet(OfficeScopedQuerySet):
    """Paths of the people the user may see: the person gate, through the person's office (a join,
    not a semi-join on every person, so the director's pages do not scan the people table)."""

    office_lookup = "person__office"
    person_lookup = "person"  # an out-of-office override on the file opens its path too


class Path(TimeStampedModel):
    """A person's integration path. The status is computed by ``rules.decide`` from the file and the
    facts recorded here; a counsellor may override it with a written reason."""

    person = models.OneToOneField(
        Person, verbose_name=_("personne"), related_name="path", on_delete=models.CASCADE
    )
    opened_on = models.DateField(_("parcours ouvert le"))
    # Facts the person file does not hold.
    is_eu_family_member = models.BooleanField(
        _("membre de la famille d'un·e citoyen·ne de l'UE"), default=False
    )
    is_asylum_seeker = models.BooleanField(_("demandeur·se de protection internationale"), default=False)
    dispensation = models.ForeignKey(
        DispensationReason,
        verbose_name=_("dispense"),
        related_name="paths",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    dispensation_note = models.CharField(_("précision sur la dispense"), max_length=300, blank=True)
    voluntary = models.BooleanField(_("suit le parcours volontairement"), default=False)
    # Computed by services.path_refresh.
    regime = models.ForeignKey(
        Regime,
        verbose_name=_("régime"),
        related_name="paths",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    computed_status = models.CharField(_("statut calculé"), max_length=12, choices=PathStatus.choices)
    computed_reason = models.CharField(
        _("motif du statut calculé"), max_length=30, choices=StatusReason.choices
    )
    presentation_due = models.DateField(_("à se présenter au bureau avant le"), null=True, blank=True)
    attestation_due = models.DateField(_("attestation à obtenir avant le"), null=True, blank=True)
    status_computed_on = models.DateField(_("statut calculé le"), null=True, blank=True)
    next_evaluation_due = models.DateField(
        _("prochain entretien d'évaluation avant le"), null=True, blank=True
    )
    # The status in force: the override when there is one, else the computed one (kept by the services).
    status = models.CharField(_("statut"), max_length=12, choices=PathStatus.choices)
    # A counsellor's override, with its reason.
    status_override = models.CharField(
        _("statut fixé manuellement"), max_length=12, choices=PathStatus.choices, blank=True
    )
    override_reason = models.TextField(_("motif de la dérogation"), max_length=2000, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dérogation par"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    override_at = models.DateTimeField(_("dérogation le"), null=True, blank=True)
    # Milestones
    convention_signed_on = models.DateField(_("convention signée le"), null=True, blank=True)
    attestation_delivered_on = models.DateField(_("attestation délivrée le"), null=True, blank=True)

    objects = PathQuerySet.as_manager()

    class Meta:
        verbose_name = _("parcours d'intégration")
        verbose_name_plural = _("parcours d'intégration")
        ordering = ["person__last_name", "person__first_name", "id"]
        indexes = [
            models.Index(fields=["attestation_due"], name="path_attestation_due_idx"),
            models.Index(fields=["presentation_due"], name="path_presentation_due_idx"),
            models.Index(fields=["status", "attestation_due"], name="path_status_due_idx"),
            models.Index(fields=["next_evaluation_due"], name="path_next_evaluation_idx"),
            # The "Échéances" page reads open obliged paths only: one small covering index per deadline.
            *(
                models.Index(
                    fields=[due, "person"],
                    condition=Q(status="oblige", attestation_delivered_on__isnull=True),
                    name=f"path_open_{short}_idx",
                )
                for due, short in [
                    ("presentation_due", "presentation"),
                    ("next_evaluation_due", "evaluation"),
                    ("attestation_due", "attestation"),
                ]
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status_override="") | ~Q(override_reason=""),
                name="path_override_has_reason",
                violation_error_message=_("Une dérogation au statut doit être motivée."),
            )
        ]

    def __str__(self):
        return _("Parcours de %(person)s") % {"person": self.person}

    def get_absolute_url(self):
        return reverse("parcours:path_detail", args=[self.person_id])

    @property
    def is_overridden(self) -> bool:
        return bool(self.status_override)


class PathComponent(TimeStampedModel):
    """One component of a path and its state. Some states follow from records (attendance, hours,
    tests, convention) and are kept by ``services.path_refresh``; others are set by the counsellor."""

    path = models.ForeignKey(
        Path, verbose_name=_("parcours"), related_name="components", on_delete=models.CASCADE
    )
    kind = models.CharField(_("composante"), max_length=20, choices=ComponentKind.choices)
    state = models.CharField(
        _("état"), max_length=12, choices=ComponentState.choices, default=ComponentState.TODO
    )
    not_required_reason = models.CharField(_("pourquoi non requis"), max_length=300, blank=True)
    done_on = models.DateField(_("fait le"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("composante du parcours")
        verbose_name_plural = _("composantes du parcours")
        ordering = ["path", "id"]
        indexes = [
            # The report counts the components done in a year, per kind, from this index alone.
            models.Index(
                fields=["done_on", "kind"], condition=Q(state=ComponentState.DONE), name="component_done_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["path", "kind"], name="unique_component_per_path"),
            models.CheckConstraint(
                condition=~Q(state=ComponentState.NOT_REQUIRED) | ~Q(not_required_reason=""),
                name="component_not_required_has_reason",
                violation_error_message=_("Indiquez pourquoi cette composante n'est pas requise."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.get_state_display()}"


class HoursRecord(TimeStampedModel):
    """Hours of French or citizenship training, from attendance at a session or attested by the
    operator for a period. The hours of a component are the sum of these rows, never a typed total."""

    path = models.ForeignKey(
        Path, verbose_name=_("parcours"), related_name="hours_records", on_delete=models.CASCADE
    )
    component = models.CharField(
        _("formation"),
        max_length=20,
        choices=[
            (ComponentKind.FRENCH, ComponentKind.FRENCH.label),
            (ComponentKind.CITIZENSHIP, ComponentKind.CITIZENSHIP.label),
        ],
    )
    source = models.CharField(
        _("origine"), max_length=10, choices=HoursSource.choices, default=HoursSource.OPERATOR
    )
    hours = models.DecimalField(
        _("heures"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0.25), MaxValueValidator(400)],
    )
    period_start = models.DateField(_("du"))
    period_end = models.DateField(_("au"))
    operator_name = models.CharField(_("opérateur"), max_length=200)
    citizenship_format = models.CharField(
        _("format"), max_length=3, choices=CitizenshipFormat.choices, blank=True
    )
    cefr_level_reached = models.CharField(
        _("niveau atteint"), max_length=5, choices=CefrLevel.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("encodé par"), related_name="+", on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("heures de formation")
        verbose_name_plural = _("heures de formation")
        ordering = ["path", "-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="hours_positive",
                violation_error_message=_("Le nombre d'heures doit être positif."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="hours_period_ordered",
                violation_error_message=_("La fin de la période ne peut précéder son début."),
            ),
        ]

    def __str__(self):
        return f"{self.get_component_display()} : {self.hours} h ({self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y})"


class CollectiveSessionQuerySet(OfficeScopedQuerySet):
    """Sessions of the user's offices (counsellors), all sessions (director, administrators)."""


class CollectiveSession(TimeStampedModel):
    """A collective session: rights and duties (SIDD), ISP information, thematic session."""

    kind = models.CharField(_("type"), max_length=12, choices=SessionKind.choices)
    title = models.CharField(_("intitulé"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("date et heure"), validators=[validate_plausible_moment])
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), default=180, validators=[MinValueValidator(15), MaxValueValidator(600)]
    )
    office = models.ForeignKey(
        Office, verbose_name=_("bureau"), related_name="collective_sessions", on_delete=models.PROTECT
    )
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    online = models.BooleanField(_("en ligne"), default=False)
    language = models.ForeignKey(
        Language,
        verbose_name=_("langue de la séance"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("animateur·rice"),
        related_name="facilitated_sessions",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    facilitator_name = models.CharField(_("animateur·rice externe"), max_length=150, blank=True)
    participants = models.ManyToManyField(
        Person,
        through="SessionAttendance",
        related_name="collective_sessions",
        verbose_name=_("participant·e·s"),
    )

    objects = CollectiveSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("séance collective")
        verbose_name_plural = _("séances collectives")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["office", "starts_at"], name="session_office_time_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.starts_at:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("parcours:session_detail", args=[self.pk])


class SessionAttendance(models.Model):
    session = models.ForeignKey(
        CollectiveSession, verbose_name=_("séance"), related_name="attendances", on_delete=models.CASCADE
    )
    person = models.ForeignKey(
        Person, verbose_name=_("personne"), related_name="session_attendances", on_delete=models.CASCADE
    )
    attended = models.BooleanField(_("présent·e"), default=False)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        ordering = ["session", "person__last_name"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="unique_attendance")]

    def __str__(self):
        return f"{self.person} @ {self.session}"


class LanguageTest(TimeStampedModel):
    """A French positioning test (the CAI uses ELAO): a CEFR level per skill and overall."""

    person = models.ForeignKey(
        Person, verbose_name=_("personne"), related_name="language_tests", on_delete=models.CASCADE
    )
    taken_on = models.DateField(_("passé le"))
    test_name = models.CharField(_("test"), max_length=50, default="ELAO")
    listening = models.CharField(
        _("compréhension orale"), max_length=5, choices=CefrLevel.choices, blank=True
    )
    reading = models.CharField(_("compréhension écrite"), max_length=5, choices=CefrLevel.choices, blank=True)
    speaking = models.CharField(_("expression orale"), max_length=5, choices=CefrLevel.choices, blank=True)
    writing = models.CharField(_("expression écrite"), max_length=5, choices=CefrLevel.choices, blank=True)
    overall = models.CharField(_("niveau global"), max_length=5, choices=CefrLevel.choices)
    office = models.ForeignKey(
        Office,
        verbose_name=_("bureau"),
        related_name="language_tests",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("test de français")
        verbose_name_plural = _("tests de français")
        ordering = ["person", "-taken_on", "-id"]

    def __str__(self):
        return f"{self.test_name} {self.taken_on:%d/%m/%Y} : {self.overall}"


class Duo(TimeStampedModel):
    """A mentoring duo (Net2Work, MIN: two meetings a month, six months at most) or a conversation-table duo."""

    kind = models.CharField(_("type"), max_length=20, choices=DuoKind.choices)
    mentee = models.ForeignKey(
        Person, verbose_name=_("personne accompagnée"), related_name="duos", on_delete=models.CASCADE
    )
    mentor_name = models.CharField(_("mentor·e / bénévole"), max_length=150)
    mentor_organisation = models.CharField(_("organisation du mentor·e"), max_length=150, blank=True)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("duo")
        verbose_name_plural = _("duos")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="duo_dates_ordered",
                violation_error_message=_("La fin du duo ne peut précéder son début."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.mentee} / {self.mentor_name}"


class DuoMeeting(models.Model):
    duo = models.ForeignKey(Duo, verbose_name=_("duo"), related_name="meetings", on_delete=models.CASCADE)
    met_on = models.DateField(_("date"))
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("rencontre du duo")
        verbose_name_plural = _("rencontres du duo")
        ordering = ["duo", "met_on"]

    def __str__(self):
        return f"{self.duo} — {self.met_on:%d/%m/%Y}"


class EvaluationInterview(TimeStampedModel):
    """An evaluation interview (at least one a semester after the convention)."""

    path = models.ForeignKey(
        Path, verbose_name=_("parcours"), related_name="evaluations", on_delete=models.CASCADE
    )
    scheduled_at = models.DateTimeField(_("prévu le"), validators=[validate_plausible_moment])
    office = models.ForeignKey(Office, verbose_name=_("bureau"), related_name="+", on_delete=models.PROTECT)
    convocation_channel = models.CharField(
        _("convocation par"),
        max_length=15,
        choices=ConvocationChannel.choices,
        default=ConvocationChannel.ELECTRONIC,
    )
    convocation_sent_on = models.DateField(_("convocation envoyée le"), null=True, blank=True)
    held_on = models.DateField(_("tenu le"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=3000, blank=True)

    class Meta:
        verbose_name = _("entretien d'évaluation")
        verbose_name_plural = _("entretiens d'évaluation")
        ordering = ["path", "-scheduled_at"]

    def __str__(self):
        return f"{self.path.person} — {self.scheduled_at:%d/%m/%Y}"


def document_upload_to(instance, filename):
    return f"parcours/{instance.person_id}/{instance.kind}-{filename}"


class PathDocument(models.Model):
    """A generated PDF (convocation, follow-up sheet, attestation), stored and regenerable."""

    person = models.ForeignKey(
        Person, verbose_name=_("personne"), related_name="path_documents", on_delete=models.CASCADE
    )
    kind = models.CharField(_("document"), max_length=15, choices=DocumentKind.choices)
    file = models.FileField(_("fichier"), upload_to=document_upload_to)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    evaluation = models.ForeignKey(
        EvaluationInterview,
        verbose_name=_("entretien"),
        related_name="documents",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("créé par"), related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("document du parcours")
        verbose_name_plural = _("documents du parcours")
        ordering = ["person", "-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.person} ({self.created_at:%d/%m/%Y})"


# --- Newcomer lists sent by the communes ---------------------------------------------------------


class ListSource(models.TextChoices):
    FORM = "form", _("Formulaire")
    FILE = "file", _("Fichier")
    API = "api", _("API")


class ListStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Transmise")
    RECONCILED = "reconciled", _("Traitée")


class RowMatch(models.TextChoices):
    PENDING = "pending", _("À traiter")
    LINKED = "linked", _("Rattachée à un dossier existant")
    CREATED = "created", _("Nouveau dossier ouvert")
    REJECTED = "rejected", _("Écartée")


class NewcomerListQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Commune agents: their communes' lists only; path coordinators (and the director): all; nobody else."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_commune_agent:
            return self.filter(commune__in=user.agent_communes.all())
        if user.can_coordinate_path or user.is_administrator:
            return self
        return self.none()


class NewcomerList(TimeStampedModel):
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), related_name="newcomer_lists", on_delete=models.PROTECT
    )
    period_start = models.DateField(_("période du"))
    period_end = models.DateField(_("au"))
    source = models.CharField(_("mode d'envoi"), max_length=10, choices=ListSource.choices)
    status = models.CharField(
        _("état"), max_length=12, choices=ListStatus.choices, default=ListStatus.SUBMITTED
    )
    file_name = models.CharField(_("fichier"), max_length=200, blank=True)
    fingerprint = models.CharField(_("empreinte du contenu"), max_length=64, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("transmise par"), related_name="+", on_delete=models.PROTECT
    )
    submitted_at = models.DateTimeField(_("transmise le"))
    row_count = models.PositiveIntegerField(_("lignes"), default=0)

    objects = NewcomerListQuerySet.as_manager()

    class Meta:
        verbose_name = _("liste communale de primo-arrivants")
        verbose_name_plural = _("listes communales de primo-arrivants")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="newcomer_list_period_ordered",
                violation_error_message=_("La fin de la période ne peut précéder son début."),
            ),
            models.UniqueConstraint(
                fields=["commune", "fingerprint"],
                condition=~Q(fingerprint=""),
                name="newcomer_list_same_content_once",
                violation_error_message=_("Cette liste a déjà été transmise."),
            ),
        ]
        indexes = [models.Index(fields=["commune", "period_start"], name="newcomer_list_commune_idx")]

    def __str__(self):
        return _("%(commune)s, du %(start)s au %(end)s") % {
            "commune": self.commune,
            "start": self.period_start.strftime("%d/%m/%Y"),
            "end": self.period_end.strftime("%d/%m/%Y"),
        }


class NewcomerListRow(models.Model):
    """One person of a commune's list, as the commune sent it, and what the centre did with it."""

    newcomer_list = models.ForeignKey(
        NewcomerList, verbose_name=_("liste"), related_name="rows", on_delete=models.CASCADE
    )
    number = models.PositiveIntegerField(_("ligne"))
    last_name = models.CharField(_("nom"), max_length=100)
    first_name = models.CharField(_("prénom"), max_length=100)
    birth_date = models.DateField(_("date de naissance"))
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    nationality = CountryField(_("nationalité"))
    national_number = models.CharField(_("numéro national ou BIS"), max_length=11, blank=True)
    street = models.CharField(_("rue"), max_length=150, blank=True)
    house_number = models.CharField(_("numéro"), max_length=15, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=4, blank=True)
    locality = models.CharField(_("localité"), max_length=100, blank=True)
    registration_date = models.DateField(_("date d'inscription"))
    residence_card = models.CharField(
        _("titre de séjour"), max_length=10, choices=ResidenceCard.choices, blank=True
    )
    residence_ordered_on = models.DateField(_("délivrance ordonnée le"), null=True, blank=True)
    language = models.CharField(_("langue parlée"), max_length=100, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Pre-computed with the path rules from the row alone.
    computed_status = models.CharField(_("statut pressenti"), max_length=12, choices=PathStatus.choices)
    computed_reason = models.CharField(_("motif"), max_length=30, choices=StatusReason.choices)
    # Reconciliation by the centre.
    office = models.ForeignKey(
        Office,
        verbose_name=_("bureau proposé"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    match = models.CharField(
        _("rapprochement"), max_length=10, choices=RowMatch.choices, default=RowMatch.PENDING
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("dossier"),
        related_name="commune_list_rows",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traitée par"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    matched_at = models.DateTimeField(_("traitée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("ligne de liste communale")
        verbose_name_plural = _("lignes de listes communales")
        ordering = ["newcomer_list", "number"]
        constraints = [models.UniqueConstraint(fields=["newcomer_list", "number"], name="unique_row_number")]
        indexes = [models.Index(fields=["match"], name="newcomer_row_match_idx")]

    def __str__(self):
        return f"{self.last_name.upper()} {self.first_name}"


class ListReminderRun(models.Model):
    """One run of the monthly reminder to the communes that sent no newcomer list for a month.

    One row per month, inserted before any mail leaves: the unique month is the lock that makes a second
    run for the same month (a retry, a second worker) send nothing. ``communes`` lists every commune
    without a list that month with the number of agents written to (0: nobody to write to)."""

    month = models.DateField(_("mois"), unique=True, help_text=_("Premier jour du mois concerné."))
    communes_reminded = models.PositiveIntegerField(_("communes relancées"), default=0)
    communes = models.JSONField(_("communes sans liste"), default=list, blank=True)
    ran_at = models.DateTimeField(_("exécutée le"))

    class Meta:
        verbose_name = _("relance des listes communales")
        verbose_name_plural = _("relances des listes communales")
        ordering = ["-month"]

    def __str__(self):
        return _("Relance du %(month)s") % {"month": self.month.strftime("%m/%Y")}
