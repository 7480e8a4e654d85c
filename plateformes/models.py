"""The partner network: operators and their offer, support actions, platforms, working groups and
local coordinations with their meetings, awareness actions, interpellations, governance, the team
and the glossary."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accompagnement.models import Commune, Office
from cai.models import TimeStampedModel
from cai.validators import validate_plausible_moment

from .choices import (
    AwarenessKind,
    GovernanceKind,
    GroupKind,
    GroupStatus,
    InterpellationKind,
    Level,
    OfferKind,
    OperatorKind,
    Recognition,
    SupportKind,
    Team,
)


class Operator(TimeStampedModel):
    """A partner organisation: ILI, association, CPAS, commune, FOREM, school, reception centre…"""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=OperatorKind.choices)
    recognition = models.CharField(
        _("agrément / reconnaissance"), max_length=20, choices=Recognition.choices, default=Recognition.NONE
    )
    subsidy_status = models.CharField(_("subventionnement"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        related_name="operators",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    territories = models.ManyToManyField(
        Office, verbose_name=_("territoires desservis (bureaux)"), related_name="operators", blank=True
    )
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("opérateur")
        verbose_name_plural = _("opérateurs")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plateformes:operator_detail", args=[self.pk])


class OperatorContact(models.Model):
    operator = models.ForeignKey(
        Operator, verbose_name=_("opérateur"), related_name="contacts", on_delete=models.CASCADE
    )
    name = models.CharField(_("nom"), max_length=150)
    role = models.CharField(_("fonction"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["operator", "name"]

    def __str__(self):
        return f"{self.name} ({self.operator})"


class Offer(TimeStampedModel):
    """What an operator offers newcomers: French courses, citizenship trainings, support…"""

    operator = models.ForeignKey(
        Operator, verbose_name=_("opérateur"), related_name="offers", on_delete=models.CASCADE
    )
    kind = models.CharField(_("type d'offre"), max_length=20, choices=OfferKind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    level = models.CharField(
        _("niveau"), max_length=50, blank=True, help_text=_("Par exemple : alpha, A1, A2, B1.")
    )
    citizenship_format = models.CharField(
        _("format citoyenneté"), max_length=3, choices=[("FIC", "FIC"), ("AOC", "AOC")], blank=True
    )
    schedule = models.CharField(_("horaire"), max_length=200, blank=True)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        related_name="offers",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    territories = models.ManyToManyField(
        Office, verbose_name=_("territoires (bureaux)"), related_name="offers", blank=True
    )
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    active = models.BooleanField(_("en cours"), default=True)

    class Meta:
        verbose_name = _("offre")
        verbose_name_plural = _("offres")
        ordering = ["operator__name", "kind", "title"]

    def __str__(self):
        return f"{self.title} — {self.operator}"


class SupportAction(TimeStampedModel):
    """Support the centre gives an operator (advice, subsidy renewal file, visit, collective session)."""

    operator = models.ForeignKey(
        Operator, verbose_name=_("opérateur"), related_name="support_actions", on_delete=models.PROTECT
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=20, choices=SupportKind.choices)
    topic = models.CharField(_("sujet"), max_length=200)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre de l'équipe"),
        related_name="support_actions",
        on_delete=models.PROTECT,
    )
    notes = models.TextField(_("notes"), max_length=3000, blank=True)

    class Meta:
        verbose_name = _("action de soutien")
        verbose_name_plural = _("actions de soutien")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date"], name="support_action_date_idx")]

    def __str__(self):
        return f"{self.operator} — {self.get_kind_display()} ({self.date:%d/%m/%Y})"


class Group(TimeStampedModel):
    """A thematic platform, a working group or a local coordination."""

    kind = models.CharField(_("type"), max_length=20, choices=GroupKind.choices)
    name = models.CharField(_("nom"), max_length=200)
    theme = models.CharField(_("thème"), max_length=200, blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("territoire (bureau)"),
        related_name="groups",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Vide : portée provinciale."),
    )
    pilot = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pilote"),
        related_name="piloted_groups",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("état"), max_length=12, choices=GroupStatus.choices, default=GroupStatus.ACTIVE
    )
    description = models.TextField(_("description"), max_length=3000, blank=True)

    class Meta:
        verbose_name = _("plateforme ou groupe")
        verbose_name_plural = _("plateformes et groupes")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="unique_group_name_per_kind")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plateformes:group_detail", args=[self.pk])


class GroupMember(models.Model):
    """A member of a group: an operator, a person (with their organisation), or both."""

    group = models.ForeignKey(
        Group, verbose_name=_("groupe"), related_name="members", on_delete=models.CASCADE
    )
    operator = models.ForeignKey(
        Operator,
        verbose_name=_("opérateur"),
        related_name="memberships",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    name = models.CharField(_("personne"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation (hors répertoire)"), max_length=200, blank=True)
    role = models.CharField(_("rôle"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        ordering = ["group", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name="") | Q(operator__isnull=False),
                name="group_member_named",
                violation_error_message=_("Indiquez une personne ou un opérateur."),
            )
        ]

    def __str__(self):
        return self.name or str(self.operator)


class Meeting(TimeStampedModel):
    group = models.ForeignKey(
        Group, verbose_name=_("groupe"), related_name="meetings", on_delete=models.CASCADE
    )
    starts_at = models.DateTimeField(_("début"), validators=[validate_plausible_moment])
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True, validators=[validate_plausible_moment])
    online = models.BooleanField(_("en ligne"), default=False)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    agenda = models.TextField(_("ordre du jour"), max_length=5000, blank=True)
    minutes = models.TextField(_("compte rendu"), max_length=20000, blank=True)
    decisions = models.TextField(_("décisions"), max_length=5000, blank=True)

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["starts_at"], name="meeting_starts_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("La fin de la réunion doit suivre son début."),
            )
        ]

    def __str__(self):
        return f"{self.group} — {self.starts_at:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("plateformes:meeting_detail", args=[self.pk])


class MeetingAttendee(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("réunion"), related_name="attendees", on_delete=models.CASCADE
    )
    member = models.ForeignKey(
        GroupMember,
        verbose_name=_("membre"),
        related_name="attendances",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    name = models.CharField(_("nom"), max_length=150)
    operator = models.ForeignKey(
        Operator,
        verbose_name=_("organisation"),
        related_name="meeting_attendances",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    organisation = models.CharField(_("organisation (hors répertoire)"), max_length=200, blank=True)
    is_guest = models.BooleanField(_("invité·e"), default=False)

    class Meta:
        verbose_name = _("participant·e")
        verbose_name_plural = _("participant·e·s")
        ordering = ["meeting", "name"]

    def __str__(self):
        return self.name


class FollowUpAction(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("réunion"), related_name="follow_ups", on_delete=models.CASCADE
    )
    description = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("responsable"), max_length=150, blank=True)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    done = models.BooleanField(_("fait"), default=False)

    class Meta:
        verbose_name = _("action de suivi")
        verbose_name_plural = _("actions de suivi")
        ordering = ["meeting", "due_on", "id"]

    def __str__(self):
        return self.description


class AwarenessAction(TimeStampedModel):
    """An awareness action or event (conference, day against racism, forum, broadcast, publication)."""

    kind = models.CharField(_("type"), max_length=20, choices=AwarenessKind.choices)
    title = models.CharField(_("titre"), max_length=250)
    date = models.DateField(_("date"))
    partners = models.CharField(_("partenaires"), max_length=500, blank=True)
    audience = models.PositiveIntegerField(_("public touché"), null=True, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)

    class Meta:
        verbose_name = _("action de sensibilisation")
        verbose_name_plural = _("actions de sensibilisation")
        ordering = ["-date", "-id"]

    def __str__(self):
        return self.title


class Interpellation(TimeStampedModel):
    """An open letter, motion, meeting with officials or press release, by level."""

    kind = models.CharField(_("type"), max_length=20, choices=InterpellationKind.choices)
    date = models.DateField(_("date"))
    level = models.CharField(_("niveau"), max_length=10, choices=Level.choices)
    title = models.CharField(_("titre"), max_length=250)
    co_signatories = models.TextField(_("cosignataires"), max_length=2000, blank=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        related_name="interpellations",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    outcome = models.TextField(_("suites"), max_length=3000, blank=True)

    class Meta:
        verbose_name = _("interpellation")
        verbose_name_plural = _("interpellations")
        ordering = ["-date", "-id"]

    def __str__(self):
        return self.title


class GovernanceMeeting(models.Model):
    kind = models.CharField(_("instance"), max_length=10, choices=GovernanceKind.choices)
    date = models.DateField(_("date"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("réunion des instances")
        verbose_name_plural = _("réunions des instances")
        ordering = ["-date", "kind"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.date:%d/%m/%Y}"


class StaffMember(TimeStampedModel):
    """A member of the centre's team, as the team list of the annual report shows it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        related_name="staff_member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    name = models.CharField(_("nom"), max_length=150)
    team = models.CharField(_("équipe"), max_length=20, choices=Team.choices)
    function = models.CharField(_("fonction"), max_length=150)
    since = models.DateField(_("depuis"), null=True, blank=True)
    until = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("membre de l'équipe")
        verbose_name_plural = _("équipe")
        ordering = ["team", "name"]

    def __str__(self):
        return self.name


class Acronym(models.Model):
    acronym = models.CharField(_("sigle"), max_length=30, unique=True)
    meaning = models.CharField(_("signification"), max_length=300)

    class Meta:
        verbose_name = _("sigle")
        verbose_name_plural = _("glossaire des sigles")
        ordering = ["acronym"]

    def __str__(self):
        return f"{self.acronym} — {self.meaning}"
