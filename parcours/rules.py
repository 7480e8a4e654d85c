"""The statutory rules of the Walloon integration path (CWASS art. 150 ff.), in one place.

Pure functions over plain data: the same code decides for a person file, a row of a commune's
newcomer list, or a test case. Regimes and dispensation reasons are reference data (dated, editable
by an administrator); this module receives them as arguments and hard-codes none of their values.

Definitions applied (domain.md §4):
- *newcomer*: a foreigner in legal stay in Belgium for less than 3 years, with a residence title of
  more than 3 months, who is neither a citizen of the EU/EEA/Switzerland nor a family member of one;
  asylum seekers are outside the definition;
- *obliged*: a newcomer aged 18 to 64 living in a French-speaking Walloon commune, unless dispensed.
  Age is taken on the day the residence title was ordered (when the obligation arises), else on the
  day of registration, else on the reference day. Under 18 and 65 or over are dispensations (the
  pre-2024 list), as is Turkish nationality (standstill clause);
- *volontaire*: anyone outside the obligation who chooses to follow the path.

The regime is the one in force on the day the title was ordered; it fixes the attestation deadline
(18 months in the 2018 regime, 3 years in the 2024 one). Coming to the office is due within 3 months
of registration in the commune.
"""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

# EU member states, EEA (IS, LI, NO) and Switzerland: their citizens are outside the definition.
EU_EEA_CH = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO CH".split()
)
# Residence documents that say the holder is an EU citizen or a family member of one.
EU_CITIZEN_CARDS = frozenset({"E", "E+"})
EU_FAMILY_CARDS = frozenset({"F", "F+"})
# The orange card (attestation d'immatriculation) is the asylum seeker's document.
ASYLUM_SEEKER_CARDS = frozenset({"orange"})
TURKEY = "TR"


class Status:
    OUT_OF_SCOPE = "hors_champ"
    OBLIGED = "oblige"
    DISPENSED = "dispense"
    VOLUNTARY = "volontaire"


class Reason:
    """Why a status was reached (codes shown with a French label by ``choices.StatusReason``)."""

    BELGIAN = "belge"
    EU_CITIZEN = "citoyen_ue"
    EU_FAMILY = "famille_ue"
    ASYLUM_SEEKER = "demandeur_asile"
    SHORT_TITLE = "titre_court"
    NO_TITLE = "sans_titre"
    LONG_STAY = "sejour_plus_3_ans"
    OUTSIDE_TERRITORY = "hors_territoire"
    UNDER_18 = "moins_18"
    OVER_64 = "65_et_plus"
    TURKISH = "turc"
    RECORDED_DISPENSATION = "dispense_enregistree"
    NEWCOMER_OF_AGE = "primo_arrivant_majeur"
    CHOSEN = "choix_volontaire"


@dataclass(frozen=True)
class Regime:
    code: str
    starts_on: dt.date
    attestation_months: int
    presentation_months: int = 3
    evaluation_interval_months: int = 6


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about a person (or a list row), at a reference day."""

    nationality: str  # ISO 3166-1 alpha-2; "XX" for stateless
    birth_date: dt.date | None = None
    residence_card: str = ""
    residence_ordered_on: dt.date | None = None
    residence_valid_until: dt.date | None = None
    stay_started_on: dt.date | None = None  # first legal stay in Belgium (arrival), else registration
    registration_date: dt.date | None = None
    lives_in_french_speaking_wallonia: bool = True
    is_eu_family_member: bool = False
    is_asylum_seeker: bool = False
    dispensation: str = ""  # code of a dispensation recorded on the file (medical, diploma, work…)
    voluntary: bool = False


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str
    regime: Regime | None = None
    dispensation: str = ""
    presentation_due: dt.date | None = None
    attestation_due: dt.date | None = None


def regime_for(ordered_on: dt.date | None, regimes: list[Regime]) -> Regime | None:
    """The regime in force on the day the title was ordered (the latest one started by then).

    With no ordered date, the regime in force today's rules would apply is unknown: the latest.
    """
    ordered = sorted(regimes, key=lambda r: r.starts_on)
    if not ordered:
        return None
    if ordered_on is None:
        return ordered[-1]
    current = ordered[0]
    for regime in ordered:
        if regime.starts_on <= ordered_on:
            current = regime
    return current


def age_on(birth_date: dt.date | None, day: dt.date) -> int | None:
    if birth_date is None:
        return None
    return relativedelta(day, birth_date).years


def scope_exclusion(facts: Facts, on: dt.date) -> str | None:
    """The reason a person is outside the newcomer definition, or None when they are a newcomer."""
    if facts.nationality == "BE":
        return Reason.BELGIAN
    if facts.nationality in EU_EEA_CH or facts.residence_card in EU_CITIZEN_CARDS:
        return Reason.EU_CITIZEN
    if facts.is_eu_family_member or facts.residence_card in EU_FAMILY_CARDS:
        return Reason.EU_FAMILY
    if facts.is_asylum_seeker or facts.residence_card in ASYLUM_SEEKER_CARDS:
        return Reason.ASYLUM_SEEKER
    if facts.residence_ordered_on is None and not facts.residence_card:
        return Reason.NO_TITLE
    if (
        facts.residence_ordered_on
        and facts.residence_valid_until
        and facts.residence_valid_until <= facts.residence_ordered_on + relativedelta(months=3)
    ):
        return Reason.SHORT_TITLE
    stay_start = facts.stay_started_on or facts.registration_date or facts.residence_ordered_on
    if stay_start and on >= stay_start + relativedelta(years=3):
        return Reason.LONG_STAY
    if not facts.lives_in_french_speaking_wallonia:
        return Reason.OUTSIDE_TERRITORY
    return None


def automatic_dispensation(facts: Facts, on: dt.date) -> str | None:
    """Dispensations that follow from the data alone (age, Turkish nationality)."""
    age_day = facts.residence_ordered_on or facts.registration_date or on
    age = age_on(facts.birth_date, age_day)
    if age is not None and age < 18:
        return Reason.UNDER_18
    if age is not None and age >= 65:
        return Reason.OVER_64
    if facts.nationality == TURKEY:
        return Reason.TURKISH
    return None


def decide(
    facts: Facts, *, on: dt.date, regimes: list[Regime], dispensations_in_force: set[str] | None = None
) -> Decision:
    """The statutory status of a person on day ``on``, with its reason, regime and deadlines.

    ``dispensations_in_force``: codes of the recorded dispensation reasons valid on that day (dated
    reference data); a recorded dispensation outside that set is ignored.
    """
    excluded = scope_exclusion(facts, on)
    if excluded:
        return _voluntary_or(Decision(Status.OUT_OF_SCOPE, excluded), facts, regimes)
    regime = regime_for(facts.residence_ordered_on, regimes)
    dispensation = automatic_dispensation(facts, on)
    if (
        dispensation is None
        and facts.dispensation
        and facts.dispensation in (dispensations_in_force or set())
    ):
        dispensation = facts.dispensation
    if dispensation:
        reason = dispensation if dispensation in _AUTOMATIC else Reason.RECORDED_DISPENSATION
        return _voluntary_or(
            Decision(Status.DISPENSED, reason, regime=regime, dispensation=dispensation), facts, regimes
        )
    return Decision(
        Status.OBLIGED,
        Reason.NEWCOMER_OF_AGE,
        regime=regime,
        presentation_due=_add_months(facts.registration_date, regime.presentation_months if regime else 3),
        attestation_due=_add_months(
            facts.residence_ordered_on, regime.attestation_months if regime else None
        ),
    )


_AUTOMATIC = {Reason.UNDER_18, Reason.OVER_64, Reason.TURKISH}


def _voluntary_or(decision: Decision, facts: Facts, regimes: list[Regime]) -> Decision:
    """A person outside the obligation who chose the path is *volontaire* (no statutory deadline)."""
    if not facts.voluntary:
        return decision
    return Decision(
        Status.VOLUNTARY,
        Reason.CHOSEN,
        regime=decision.regime or regime_for(facts.residence_ordered_on, regimes),
        dispensation=decision.dispensation,
    )


def _add_months(day: dt.date | None, months: int | None) -> dt.date | None:
    if day is None or months is None:
        return None
    return day + relativedelta(months=months)
