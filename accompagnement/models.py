"""People, reception offices, communes and appointments: the counsellor's daily work."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cai.models import TimeStampedModel
from cai.validators import validate_plausible_moment

from .choices import (
    AppointmentMode,
    ExceptionKind,
    InterpreterService,
    NumberKind,
    OriginGroup,
    PermanenceKind,
    Referral,
    ResidenceCard,
    Sex,
    Weekday,
)

# EU member states (ISO 3166-1 alpha-2), Belgium apart: the report's "UE" group.
EU_COUNTRIES = frozenset(
    "AT BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)
STATELESS = "XX"


def origin_group_for(nationality_code: str) -> str:
    """The report's origin group for an ISO country code (``XX`` stands for stateless)."""
    if nationality_code == "BE":
        return OriginGroup.BELGIAN
    if nationality_code == STATELESS:
        return OriginGroup.STATELESS
    if nationality_code in EU_COUNTRIES:
        return OriginGroup.EU
    return OriginGroup.NON_EU


class Office(TimeStampedModel):
    """A reception office (BAPA) with its staff and the communes it serves."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=50, unique=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    is_head_office = models.BooleanField(_("siège"), default=False)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("équipe"), related_name="offices", blank=True
    )

    class Meta:
        verbose_name = _("bureau d'accueil")
        verbose_name_plural = _("bureaux d'accueil")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accompagnement:office_detail", args=[self.slug])


class Commune(TimeStampedModel):
    """A commune of the centre's territory, identified by its NIS code."""

    nis_code = models.CharField(_("code INS"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    main_postal_code = models.CharField(_("code postal principal"), max_length=4)
    arrondissement = models.CharField(_("arrondissement"), max_length=100, blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("bureau qui la dessert"),
        related_name="communes",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agents communaux"),
        related_name="agent_communes",
        blank=True,
        limit_choices_to={"role": "commune_agent"},
    )

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PostalCode(models.Model):
    """A postal code of a commune (a commune has several)."""

    code = models.CharField(_("code postal"), max_length=4)
    locality = models.CharField(_("localité"), max_length=100, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), related_name="postal_codes", on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("code postal")
        verbose_name_plural = _("codes postaux")
        ordering = ["code", "locality"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "locality", "commune"], name="unique_postal_code_locality"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.locality}".strip()


class PermanenceRule(TimeStampedModel):
    """A recurring walk-in slot of an office: every week, or the nth weekday of the month."""

    office = models.ForeignKey(
        Office, verbose_name=_("bureau"), related_name="permanence_rules", on_delete=models.CASCADE
    )
    kind = models.CharField(_("récurrence"), max_length=10, choices=PermanenceKind.choices)
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    nth = models.SmallIntegerField(
        _("nᵉ du mois"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-1), MaxValueValidator(5)],
        help_text=_("1 à 5, ou -1 pour le dernier ; seulement pour une récurrence mensuelle."),
    )
    start_time = models.TimeField(_("début"))
    end_time = models.TimeField(_("fin"))
    appointment_only = models.BooleanField(_("sur rendez-vous uniquement"), default=False)
    valid_from = models.DateField(_("valable à partir du"), null=True, blank=True)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("règle de permanence")
        verbose_name_plural = _("règles de permanence")
        ordering = ["office", "weekday", "nth", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="permanence_ends_after_start",
                violation_error_message=_("L'heure de fin doit suivre l'heure de début."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=PermanenceKind.WEEKLY, nth__isnull=True)
                    | Q(kind=PermanenceKind.MONTHLY, nth__isnull=False)
                ),
                name="permanence_nth_only_monthly",
                violation_error_message=_(
                    "Le rang dans le mois est requis pour une récurrence mensuelle, et seulement pour elle."
                ),
            ),
        ]

    def __str__(self):
        from .permanences import describe_rule

        return f"{self.office} : {describe_rule(self)}"


class PermanenceException(TimeStampedModel):
    """A date on which an office departs from its rules: closed, or by appointment only."""

    office = models.ForeignKey(
        Office, verbose_name=_("bureau"), related_name="permanence_exceptions", on_delete=models.CASCADE
    )
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    kind = models.CharField(
        _("type"), max_length=20, choices=ExceptionKind.choices, default=ExceptionKind.CLOSED
    )
    reason = models.CharField(_("motif"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("exception de permanence")
        verbose_name_plural = _("exceptions de permanence")
        ordering = ["office", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="permanence_exception_dates_ordered",
                violation_error_message=_("La date de fin ne peut précéder la date de début."),
            )
        ]

    def __str__(self):
        return (
            f"{self.office} {self.start_date:%d/%m/%Y}–{self.end_date:%d/%m/%Y} ({self.get_kind_display()})"
        )


class ReferenceItem(models.Model):
    """Base of small reference lists an administrator edits: a code, a label, an order."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    label = models.CharField(_("libellé"), max_length=150)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


class RequestType(ReferenceItem):
    """What a person asks for in an appointment (parcours, nationalité, logement…)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("type de demande")
        verbose_name_plural = _("types de demande")


class EsfActionType(ReferenceItem):
    """An action type of the European Social Fund (FSE) the centre reports on."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("type d'action FSE")
        verbose_name_plural = _("types d'action FSE")


class Language(models.Model):
    """A language spoken by people followed (ISO 639 code), with its French name."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("langue")
        verbose_name_plural = _("langues")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OfficeScopedQuerySet(models.QuerySet):
    """The access gate shared by everything that belongs to an office: counsellors see their offices'
    rows; the director and administrators see everything; every other role sees nothing.
    ``office_lookup`` is the path from the model to its office."""

    office_lookup = "office"
    # The path from the model to its person, when the row belongs to one: a counsellor's active
    # out-of-office override (``AccessOverride``) then opens the row too. None: no override applies.
    person_lookup: str | None = None

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.reads_all_people:
            return self
        if user.is_counsellor:
            in_scope = Q(**{f"{self.office_lookup}__in": user.offices.all()})
            if self.person_lookup is not None:
                # Both are subqueries: the gate stays one query, whatever the number of overrides.
                in_scope |= Q(**{f"{self.person_lookup}__in": AccessOverride.objects.active_for(user)})
            return self.filter(in_scope)
        return self.none()


class PersonQuerySet(OfficeScopedQuerySet):
    """The people a user may see (the main access gate)."""

    person_lookup = "pk"

    def active(self):
        return self.filter(is_active=True)


class Person(TimeStampedModel):
    """A person followed by the centre: their file (*dossier*)."""

    # Identity
    last_name = models.CharField(_("nom"), max_length=100)
    first_name = models.CharField(_("prénom"), max_length=100)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    national_number = models.CharField(
        _("numéro national ou BIS"),
        max_length=11,
        null=True,
        blank=True,
        unique=True,
        help_text=_("11 chiffres, sans séparateurs (normalisé à l'enregistrement)."),
    )
    number_kind = models.CharField(_("type de numéro"), max_length=3, choices=NumberKind.choices, blank=True)
    nationality = CountryField(_("nationalité"))
    country_of_birth = CountryField(_("pays de naissance"), blank=True)
    languages = models.ManyToManyField(
        Language, verbose_name=_("langues parlées"), related_name="speakers", blank=True
    )
    interpreter_needed = models.BooleanField(_("besoin d'un interprète"), default=False)
    interpreter_language = models.ForeignKey(
        Language,
        verbose_name=_("langue d'interprétation"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # Contact and address
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    street = models.CharField(_("rue"), max_length=150, blank=True)
    house_number = models.CharField(_("numéro"), max_length=15, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=4, blank=True)
    locality = models.CharField(_("localité"), max_length=100, blank=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        related_name="people",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # Stay
    arrival_date = models.DateField(_("date d'arrivée en Belgique"), null=True, blank=True)
    registration_date = models.DateField(
        _("date de première inscription dans la commune"), null=True, blank=True
    )
    residence_card = models.CharField(
        _("titre de séjour"), max_length=10, choices=ResidenceCard.choices, blank=True
    )
    residence_ordered_on = models.DateField(_("date de délivrance ordonnée du titre"), null=True, blank=True)
    residence_valid_until = models.DateField(_("titre valable jusqu'au"), null=True, blank=True)
    # Household
    household_size = models.PositiveSmallIntegerField(_("personnes dans le ménage"), null=True, blank=True)
    household_notes = models.TextField(_("composition du ménage"), max_length=2000, blank=True)
    # Follow-up
    office = models.ForeignKey(
        Office, verbose_name=_("bureau qui suit la personne"), related_name="people", on_delete=models.PROTECT
    )
    referral = models.CharField(
        _("comment la personne est arrivée"), max_length=10, choices=Referral.choices, default=Referral.SELF
    )
    referral_detail = models.CharField(_("précision (partenaire, commune…)"), max_length=200, blank=True)
    file_opened_on = models.DateField(_("dossier ouvert le"))
    is_active = models.BooleanField(_("dossier actif"), default=True)
    # Set by the retention policy (cai.privacy.retention) when the file is anonymised at its term.
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True, editable=False)
    # Search key: lower-case, accent-free "first last", kept by the services.
    search_text = models.CharField(max_length=210, editable=False, default="")

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["birth_date"], name="person_birth_date_idx"),
            models.Index(fields=["office", "last_name", "first_name"], name="person_office_name_idx"),
            # The list's default order (measured: the director's first page 142 ms → 0.15 ms at 100,000 files).
            models.Index(fields=["last_name", "first_name", "id"], name="person_name_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(national_number__isnull=True) | Q(national_number__regex=r"^[0-9]{11}$"),
                name="person_national_number_11_digits",
                violation_error_message=_("Le numéro national doit compter 11 chiffres."),
            )
        ]

    def __str__(self):
        return f"{self.last_name.upper()} {self.first_name}"

    def get_absolute_url(self):
        return reverse("accompagnement:person_detail", args=[self.pk])

    @property
    def origin_group(self) -> str:
        return origin_group_for(self.nationality.code or "")

    def get_origin_group_display(self) -> str:
        return OriginGroup(self.origin_group).label

    @property
    def is_stateless(self) -> bool:
        return self.nationality.code == STATELESS


class AppointmentQuerySet(OfficeScopedQuerySet):
    """Appointments of the people the user may see."""

    office_lookup = "person__office"
    person_lookup = "person"


class Appointment(TimeStampedModel):
    """A meeting (or call, e-mail…) with a person, and what they asked."""

    person = models.ForeignKey(
        Person, verbose_name=_("personne"), related_name="appointments", on_delete=models.CASCADE
    )
    starts_at = models.DateTimeField(_("date et heure"), validators=[validate_plausible_moment])
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("bureau"),
        related_name="appointments",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    place_other = models.CharField(_("autre lieu"), max_length=150, blank=True)
    mode = models.CharField(
        _("mode"), max_length=10, choices=AppointmentMode.choices, default=AppointmentMode.IN_PERSON
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accompagnateur·rice"),
        related_name="appointments",
        on_delete=models.PROTECT,
    )
    interpreter_language = models.ForeignKey(
        Language,
        verbose_name=_("interprète (langue)"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    interpreter_service = models.CharField(
        _("service d'interprétation"), max_length=10, choices=InterpreterService.choices, blank=True
    )
    request_types = models.ManyToManyField(
        RequestType, verbose_name=_("types de demande"), related_name="appointments"
    )
    esf_action_type = models.ForeignKey(
        EsfActionType,
        verbose_name=_("action FSE"),
        related_name="appointments",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    confidential_notes = models.TextField(
        _("notes confidentielles"),
        max_length=5000,
        blank=True,
        help_text=_("Visibles seulement par les accompagnateur·rice·s du bureau de la personne."),
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-starts_at"], name="appointment_person_time_idx"),
            models.Index(fields=["counsellor", "starts_at"], name="appointment_counsellor_idx"),
            models.Index(fields=["starts_at"], name="appointment_starts_at_idx"),
            # The report's ESF table (one appointment in ten) reads the year's ESF appointments from here.
            models.Index(
                fields=["starts_at", "esf_action_type", "person"],
                condition=Q(esf_action_type__isnull=False),
                name="appointment_esf_time_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(interpreter_language__isnull=True) | ~Q(interpreter_service=""),
                name="appointment_interpreter_has_service",
                violation_error_message=_("Indiquez le service d'interprétation (SeTIS ou autre)."),
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.starts_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("accompagnement:appointment_detail", args=[self.pk])


class PersonMerge(models.Model):
    """The record of two files merged into one by an administrator (what was merged, by whom)."""

    kept = models.ForeignKey(
        Person, verbose_name=_("dossier conservé"), related_name="merges", on_delete=models.CASCADE
    )
    merged_person_id = models.PositiveBigIntegerField(_("identifiant du dossier fusionné"))
    merged_snapshot = models.JSONField(_("données du dossier fusionné"))
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("fusionné par"), related_name="+", on_delete=models.PROTECT
    )
    merged_at = models.DateTimeField(_("fusionné le"), auto_now_add=True)

    class Meta:
        verbose_name = _("fusion de dossiers")
        verbose_name_plural = _("fusions de dossiers")
        ordering = ["-merged_at"]

    def __str__(self):
        return _("Dossier %(old)s fusionné dans %(kept)s") % {
            "old": self.merged_person_id,
            "kept": self.kept_id,
        }


class AccessOverrideQuerySet(models.QuerySet):
    def active(self, *, at=None):
        return self.filter(expires_at__gt=at or timezone.now())

    def active_for(self, user):
        """The people ``user`` holds a running override for (a ``person_id`` values queryset)."""
        return self.active().filter(user=user).values("person_id")


class AccessOverride(models.Model):
    """An out-of-office access ("accès exceptionnel", break the glass): a counsellor opens a file that
    another office follows, for a stated reason, for a limited time (``ACCESS_OVERRIDE_HOURS``).

    Granted through ``services.access_override_grant``; each opening of the file under it writes an
    audit row naming it (``additional_data={"override": id}``); the weekly access review lists them all.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur·rice"),
        related_name="access_overrides",
        on_delete=models.PROTECT,
    )
    person = models.ForeignKey(
        Person, verbose_name=_("dossier"), related_name="access_overrides", on_delete=models.CASCADE
    )
    reason = models.TextField(_("motif"))
    granted_at = models.DateTimeField(_("accordé le"))
    expires_at = models.DateTimeField(_("expire le"))

    objects = AccessOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("accès exceptionnel")
        verbose_name_plural = _("accès exceptionnels")
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["user", "expires_at"], name="access_override_user_expiry")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("granted_at")),
                name="access_override_expires_after_grant",
                violation_error_message=_("L'accès exceptionnel doit expirer après avoir été accordé."),
            )
        ]

    def __str__(self):
        return _("Accès exceptionnel de %(user)s au dossier n° %(person)s") % {
            "user": self.user,
            "person": self.person_id,
        }

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()
