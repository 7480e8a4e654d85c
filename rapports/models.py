"""The yearly activity report: the narrative the team writes per section and year, and the jobs
that build the PDF from the recorded data."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cai.models import TimeStampedModel


class NarrativeBlock(TimeStampedModel):
    """A text the team writes for one section of one year's report (introduction, comments,
    perspectives). Stored as sanitised HTML; an empty block is left out of the report."""

    year = models.PositiveSmallIntegerField(_("année"))
    section = models.CharField(_("section"), max_length=60)
    text = models.TextField(_("texte"), max_length=50000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modifié par"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("texte du rapport")
        verbose_name_plural = _("textes du rapport")
        ordering = ["year", "section"]
        constraints = [
            models.UniqueConstraint(fields=["year", "section"], name="unique_narrative_per_section")
        ]

    def __str__(self):
        return f"{self.year} — {self.section}"


class JobStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")


class FiguresEncoder(DjangoJSONEncoder):
    """Dates, decimals and translated labels as Django encodes them; anything else as its text, as the
    figures' fingerprint does (``builder.figures_fingerprint``), so that storing them never fails."""

    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def report_upload_to(instance, filename):
    return f"rapports/{instance.year}/{filename}"


class ReportJob(models.Model):
    """One request for a year's report and its result. Generating again makes a new version; earlier
    versions stay downloadable. A worker claims the job with a conditional update and holds a lease it
    renews while it works: a job whose worker died is taken over once its lease has expired."""

    year = models.PositiveSmallIntegerField(_("année"))
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("état"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progression (%)"), default=0)
    step = models.CharField(_("étape"), max_length=200, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("demandé par"), related_name="+", on_delete=models.PROTECT
    )
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    claim_token = models.CharField(max_length=64, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    pdf = models.FileField(_("PDF"), upload_to=report_upload_to, blank=True)
    xlsx = models.FileField(_("classeur XLSX"), upload_to=report_upload_to, blank=True)
    figures_fingerprint = models.CharField(_("empreinte des chiffres"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    timings = models.JSONField(_("durées (s)"), default=dict, blank=True)
    # The figures the PDF and the XLSX were made from, so that the CSV download matches them exactly.
    figures = models.JSONField(_("chiffres"), default=dict, blank=True, encoder=FiguresEncoder)

    class Meta:
        verbose_name = _("génération du rapport")
        verbose_name_plural = _("générations du rapport")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="unique_report_version"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_max_100"),
        ]

    def __str__(self):
        return _("Rapport %(year)s, version %(version)s") % {"year": self.year, "version": self.version}

    def get_absolute_url(self):
        return reverse("rapports:job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class PersonYear(models.Model):
    """Base of the rows kept ready per person and year (``rapports.followed``)."""

    # No foreign-key constraint in the database: the triggers remove a person's rows with the person
    # (a recompute of nobody), and a bulk rebuild would otherwise queue a check per row.
    person = models.ForeignKey(
        "accompagnement.Person",
        verbose_name=_("personne"),
        related_name="+",
        on_delete=models.CASCADE,
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField(_("année"))

    class Meta:
        abstract = True


class FollowedYear(PersonYear):
    """One person followed in one year (see ``selectors.METHOD_NOTE``), with the person's attributes the
    report counts by: derived data, kept up to date by PostgreSQL triggers on every table the
    definition reads (``rapports.followed``), never written by the application. The report reads
    these ready rows instead of recomputing "followed" from a million appointments; the live
    definition (``selectors.followed_filter``) stays the reference, on SQLite and for the dashboard's
    counts to date, and ``manage.py followed_years --check`` compares the two."""

    office = models.ForeignKey(
        "accompagnement.Office",
        verbose_name=_("bureau"),
        related_name="+",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
    )
    nationality = models.CharField(_("nationalité"), max_length=2, blank=True)
    sex = models.CharField(_("sexe"), max_length=1, blank=True)
    opened = models.PositiveSmallIntegerField(_("année d'ouverture du dossier"), null=True)
    # Empty: the person has no path.
    path_status = models.CharField(_("statut dans le parcours"), max_length=12, blank=True)
    appointments = models.PositiveIntegerField(_("rendez-vous"), default=0)

    class Meta:
        verbose_name = _("personne suivie dans l'année")
        verbose_name_plural = _("personnes suivies par année")
        ordering = ["-year", "person"]
        constraints = [models.UniqueConstraint(fields=["year", "person"], name="followed_year_unique")]

    def __str__(self):
        return f"{self.person_id} — {self.year}"


class FollowedYearRequestType(PersonYear):
    """How many of one person's appointments of one year carry one request type: the people and the
    appointments per request type, counted from ready rows. Derived like ``FollowedYear``."""

    request_type = models.ForeignKey(
        "accompagnement.RequestType",
        verbose_name=_("type de demande"),
        related_name="+",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
    )
    appointments = models.PositiveIntegerField(_("rendez-vous"))

    class Meta:
        verbose_name = _("type de demande d'une personne dans l'année")
        verbose_name_plural = _("types de demande par personne et par année")
        ordering = ["-year", "person", "request_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "request_type", "person"], name="followed_request_type_unique"
            )
        ]

    def __str__(self):
        return f"{self.person_id} — {self.year} — {self.request_type_id}"
