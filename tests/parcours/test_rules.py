"""Table-driven test of the statutory rules: each case states the facts and the expected status,
reason and deadlines. Reference day: 1 June 2025 unless the case says otherwise."""

import datetime as dt

import pytest

from parcours.rules import Facts, Reason, Regime, Status, decide

D = dt.date
REGIMES = [
    Regime(code="2018", starts_on=D(2018, 1, 1), attestation_months=18),
    Regime(code="2024", starts_on=D(2025, 1, 1), attestation_months=36),
]
IN_FORCE = {"certificat_medical", "diplome_belge", "attestation_autre_region", "travail_mi_temps", "etudiant"}
ON = D(2025, 6, 1)


def facts(**overrides) -> Facts:
    """A Syrian adult who arrived recently with a B card: obliged unless a case says otherwise."""
    base = {
        "nationality": "SY",
        "birth_date": D(1990, 5, 17),
        "residence_card": "B",
        "residence_ordered_on": D(2024, 9, 1),
        "residence_valid_until": D(2029, 9, 1),
        "stay_started_on": D(2024, 6, 1),
        "registration_date": D(2024, 8, 15),
    }
    base.update(overrides)
    return Facts(**base)


CASES = [
    # id, facts, reference day, status, reason, regime, attestation due, presentation due
    ("obliged-2018-regime", facts(), ON, Status.OBLIGED, Reason.NEWCOMER_OF_AGE, "2018", D(2026, 3, 1), D(2024, 11, 15)),
    ("obliged-2024-regime", facts(residence_ordered_on=D(2025, 2, 10), residence_valid_until=D(2030, 2, 10), registration_date=D(2025, 2, 1)), ON, Status.OBLIGED, Reason.NEWCOMER_OF_AGE, "2024", D(2028, 2, 10), D(2025, 5, 1)),
    ("2024-regime-first-day", facts(residence_ordered_on=D(2025, 1, 1)), ON, Status.OBLIGED, Reason.NEWCOMER_OF_AGE, "2024", D(2028, 1, 1), D(2024, 11, 15)),
    ("2018-regime-last-day", facts(residence_ordered_on=D(2024, 12, 31)), ON, Status.OBLIGED, Reason.NEWCOMER_OF_AGE, "2018", D(2026, 6, 30), D(2024, 11, 15)),
    ("stateless-obliged", facts(nationality="XX"), ON, Status.OBLIGED, Reason.NEWCOMER_OF_AGE, "2018", D(2026, 3, 1), D(2024, 11, 15)),
    ("belgian", facts(nationality="BE"), ON, Status.OUT_OF_SCOPE, Reason.BELGIAN, None, None, None),
    ("eu-citizen-france", facts(nationality="FR", residence_card="E"), ON, Status.OUT_OF_SCOPE, Reason.EU_CITIZEN, None, None, None),
    ("eea-citizen-norway", facts(nationality="NO"), ON, Status.OUT_OF_SCOPE, Reason.EU_CITIZEN, None, None, None),
    ("swiss-citizen", facts(nationality="CH"), ON, Status.OUT_OF_SCOPE, Reason.EU_CITIZEN, None, None, None),
    ("eu-family-member-flag", facts(nationality="MA", is_eu_family_member=True), ON, Status.OUT_OF_SCOPE, Reason.EU_FAMILY, None, None, None),
    ("eu-family-member-card-f", facts(nationality="MA", residence_card="F"), ON, Status.OUT_OF_SCOPE, Reason.EU_FAMILY, None, None, None),
    ("asylum-seeker-flag", facts(nationality="AF", is_asylum_seeker=True), ON, Status.OUT_OF_SCOPE, Reason.ASYLUM_SEEKER, None, None, None),
    ("asylum-seeker-orange-card", facts(nationality="ER", residence_card="orange"), ON, Status.OUT_OF_SCOPE, Reason.ASYLUM_SEEKER, None, None, None),
    ("stay-more-than-3-years", facts(stay_started_on=D(2022, 5, 1)), ON, Status.OUT_OF_SCOPE, Reason.LONG_STAY, None, None, None),
    ("stay-exactly-3-years", facts(stay_started_on=D(2022, 6, 1)), ON, Status.OUT_OF_SCOPE, Reason.LONG_STAY, None, None, None),
    ("stay-3-years-minus-a-day", facts(stay_started_on=D(2022, 6, 2)), ON, Status.OBLIGED, Reason.NEWCOMER_OF_AGE, "2018", D(2026, 3, 1), D(2024, 11, 15)),
    ("title-of-3-months", facts(residence_ordered_on=D(2025, 3, 1), residence_valid_until=D(2025, 6, 1)), ON, Status.OUT_OF_SCOPE, Reason.SHORT_TITLE, None, None, None),
    ("title-of-3-months-and-a-day", facts(residence_ordered_on=D(2025, 3, 1), residence_valid_until=D(2025, 6, 2)), ON, Status.OBLIGED, Reason.NEWCOMER_OF_AGE, "2024", D(2028, 3, 1), D(2024, 11, 15)),
    ("no-residence-title", facts(residence_card="", residence_ordered_on=None), ON, Status.OUT_OF_SCOPE, Reason.NO_TITLE, None, None, None),
    ("lives-outside-french-speaking-wallonia", facts(lives_in_french_speaking_wallonia=False), ON, Status.OUT_OF_SCOPE, Reason.OUTSIDE_TERRITORY, None, None, None),
    ("age-17", facts(birth_date=D(2007, 3, 1)), ON, Status.DISPENSED, Reason.UNDER_18, "2018", None, None),
    ("age-18-on-the-day", facts(birth_date=D(2006, 9, 1)), ON, Status.OBLIGED, Reason.NEWCOMER_OF_AGE, "2018", D(2026, 3, 1), D(2024, 11, 15)),
    ("age-64", facts(birth_date=D(1960, 1, 1)), ON, Status.OBLIGED, Reason.NEWCOMER_OF_AGE, "2018", D(2026, 3, 1), D(2024, 11, 15)),
    ("age-65-on-the-day", facts(birth_date=D(1959, 9, 1)), ON, Status.DISPENSED, Reason.OVER_64, "2018", None, None),
    ("turkish-national-standstill", facts(nationality="TR"), ON, Status.DISPENSED, Reason.TURKISH, "2018", None, None),
    ("dispensation-medical-certificate", facts(dispensation="certificat_medical"), ON, Status.DISPENSED, Reason.RECORDED_DISPENSATION, "2018", None, None),
    ("dispensation-belgian-diploma", facts(dispensation="diplome_belge"), ON, Status.DISPENSED, Reason.RECORDED_DISPENSATION, "2018", None, None),
    ("dispensation-attestation-other-region", facts(dispensation="attestation_autre_region"), ON, Status.DISPENSED, Reason.RECORDED_DISPENSATION, "2018", None, None),
    ("dispensation-half-time-work", facts(dispensation="travail_mi_temps"), ON, Status.DISPENSED, Reason.RECORDED_DISPENSATION, "2018", None, None),
    ("dispensation-student", facts(dispensation="etudiant"), ON, Status.DISPENSED, Reason.RECORDED_DISPENSATION, "2018", None, None),
    ("dispensation-no-longer-in-force-is-ignored", facts(dispensation="ancien_motif"), ON, Status.OBLIGED, Reason.NEWCOMER_OF_AGE, "2018", D(2026, 3, 1), D(2024, 11, 15)),
    ("voluntary-eu-family-member", facts(nationality="MA", residence_card="F", voluntary=True), ON, Status.VOLUNTARY, Reason.CHOSEN, "2018", None, None),
    ("voluntary-long-stay-for-nationality", facts(stay_started_on=D(2019, 1, 1), voluntary=True), ON, Status.VOLUNTARY, Reason.CHOSEN, "2018", None, None),
    ("voluntary-over-65", facts(birth_date=D(1950, 1, 1), voluntary=True), ON, Status.VOLUNTARY, Reason.CHOSEN, "2018", None, None),
    ("voluntary-flag-does-not-lift-an-obligation", facts(voluntary=True), ON, Status.OBLIGED, Reason.NEWCOMER_OF_AGE, "2018", D(2026, 3, 1), D(2024, 11, 15)),
    ("no-registration-date-no-presentation-deadline", facts(registration_date=None), ON, Status.OBLIGED, Reason.NEWCOMER_OF_AGE, "2018", D(2026, 3, 1), None),
]


@pytest.mark.parametrize(
    ("given", "on", "status", "reason", "regime", "attestation_due", "presentation_due"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_statutory_status(given, on, status, reason, regime, attestation_due, presentation_due):
    decision = decide(given, on=on, regimes=REGIMES, dispensations_in_force=IN_FORCE)
    assert (decision.status, decision.reason) == (status, reason)
    assert (decision.regime.code if decision.regime else None) == regime
    assert decision.attestation_due == attestation_due
    assert decision.presentation_due == presentation_due


def test_there_are_at_least_30_cases():
    assert len(CASES) >= 30
