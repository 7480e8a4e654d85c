"""Open integration paths for about 60,000 of the bench people (after ``load_people.py``).

Each path gets a status drawn from a mix close to what the rules give on a centre's files (about
45 % obliged: non-EU newcomers mostly obliged, Belgians and EU citizens out of scope or voluntary),
presentation, attestation and next-evaluation due dates spread over −6…+18 months around today,
its 9 components (``PathComponent``), and, for part of them, hours records, a French test and a
place in a SIDD session (``CollectiveSession`` + ``SessionAttendance``).

Rows go in through ``COPY`` like ``load_people.py``; the tables' secondary indexes and foreign keys
are dropped for the load and built again, then ``VACUUM ANALYZE``. Skipped when the paths are
already there (``--reload`` empties the path tables and loads again).

    .venv/bin/python bench/load_paths.py [--reload] [--paths N]
"""

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path as FilePath

sys.path.insert(0, str(FilePath(__file__).resolve().parent.parent))

from bench.common import setup  # noqa: E402

PATHS = 60_000
SEED = 20251123
EU = {
    "AT", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
    "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO", "CH",
}  # fmt: skip
LOADED_MODELS = (
    "parcours.Path",
    "parcours.PathComponent",
    "parcours.HoursRecord",
    "parcours.LanguageTest",
    "parcours.CollectiveSession",
    "parcours.SessionAttendance",
)
OPERATORS = ["Lire et Écrire Namur", "CPAS de Namur", "Alpha Dinant", "Promotion sociale Gembloux", "FOREM"]


def loaded_tables() -> list[str]:
    from django.apps import apps

    return [apps.get_model(label)._meta.db_table for label in LOADED_MODELS]


def already_loaded(count: int) -> bool:
    from parcours.models import Path

    return Path.objects.count() >= count


def empty_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(loaded_tables())} RESTART IDENTITY CASCADE")


def draw_status(rng: random.Random, nationality: str, birth: dt.date | None, today: dt.date):
    """(status, reason) in a mix like the rules' on a centre's files: ~45 % obliged overall."""
    from parcours.choices import PathStatus as S
    from parcours.choices import StatusReason as R

    if nationality == "BE":
        return (S.VOLUNTARY, R.CHOSEN) if rng.random() < 0.15 else (S.OUT_OF_SCOPE, R.BELGIAN)
    if nationality in EU:
        return (S.VOLUNTARY, R.CHOSEN) if rng.random() < 0.15 else (S.OUT_OF_SCOPE, R.EU_CITIZEN)
    if nationality == "TR":
        return S.DISPENSED, R.TURKISH
    age = (today - birth).days // 365 if birth else 30
    if age >= 65:
        return S.DISPENSED, R.OVER_64
    x = rng.random()
    if x < 0.86:
        return S.OBLIGED, R.NEWCOMER_OF_AGE
    if x < 0.91:
        return S.VOLUNTARY, R.CHOSEN
    if x < 0.95:
        return S.DISPENSED, R.RECORDED_DISPENSATION
    if x < 0.98:
        return S.OUT_OF_SCOPE, R.LONG_STAY
    return S.OUT_OF_SCOPE, R.ASYLUM_SEEKER


def spread(rng: random.Random, today: dt.date, low_months: int, high_months: int) -> dt.date:
    return today + dt.timedelta(days=rng.randint(low_months * 30, high_months * 30))


def load_paths(rng: random.Random, count: int, today: dt.date, now: dt.datetime) -> dict:
    """The Path rows; returns a summary of the status mix."""
    from accompagnement.models import Person
    from bench.load_people import CopyTable
    from parcours.choices import PathStatus
    from parcours.models import Path, Regime

    regimes = {r.code: r.pk for r in Regime.objects.all()}
    people = list(
        Person.objects.order_by("id").values_list("id", "nationality", "birth_date", "file_opened_on")
    )
    # Paths are opened mostly for newcomers from outside the EU: Belgians and EU citizens drawn half as often
    # (weighted sampling without replacement, Efraimidis–Spirakis keys).
    weight = dict.fromkeys(EU | {"BE"}, 0.5)
    keyed = sorted(people, key=lambda p: -(rng.random() ** (1 / weight.get(p[1], 1.0))))
    chosen = sorted(keyed[:count])
    table = CopyTable(
        Path,
        [
            "person_id", "opened_on", "voluntary", "regime_id", "computed_status", "computed_reason",
            "presentation_due", "attestation_due", "status_computed_on", "next_evaluation_due", "status",
            "convention_signed_on", "attestation_delivered_on", "created_at", "updated_at",
        ],
    )  # fmt: skip
    mix: dict[str, int] = {}
    for person_id, nationality, birth, opened in chosen:
        status, reason = draw_status(rng, nationality, birth, today)
        mix[status] = mix.get(status, 0) + 1
        presentation = attestation = evaluation = convention = delivered = None
        regime = None
        if status in (PathStatus.OBLIGED, PathStatus.VOLUNTARY):
            regime = regimes["2024"] if rng.random() < 0.4 else regimes["2018"]
        if status == PathStatus.OBLIGED:
            presentation = spread(rng, today, -6, 6)
            attestation = max(presentation, spread(rng, today, -6, 18))
            if rng.random() < 0.7:
                convention = min(today, presentation + dt.timedelta(days=rng.randint(0, 90)))
                evaluation = spread(rng, today, -6, 18)
            if rng.random() < 0.08:
                delivered = min(today, attestation)
        elif status == PathStatus.VOLUNTARY and rng.random() < 0.5:
            evaluation = spread(rng, today, -6, 18)
        path_opened = max(opened, today - dt.timedelta(days=3 * 365)) if opened else today
        table.add(
            [
                person_id, min(path_opened, today), status == PathStatus.VOLUNTARY, regime, status, reason,
                presentation, attestation, today, evaluation, status, convention, delivered, now, now,
            ]
        )  # fmt: skip
    table.flush()
    print(f"  parcours : {table.total:,} lignes, COPY {table.copy_seconds:.1f} s")
    return mix


def load_components(rng: random.Random, today: dt.date, now: dt.datetime) -> list[tuple]:
    """Nine components per path; returns (path id, person id, office id, status) of every path."""
    from accompagnement.models import Person
    from bench.load_people import CopyTable
    from parcours.choices import ComponentKind, ComponentState, PathStatus
    from parcours.models import Path, PathComponent

    offices = dict(Person.objects.values_list("id", "office_id"))
    paths = [(pk, person, offices[person], status) for pk, person, status in
             Path.objects.order_by("id").values_list("id", "person_id", "status")]  # fmt: skip
    table = CopyTable(
        PathComponent,
        ["path_id", "kind", "state", "not_required_reason", "done_on", "created_at", "updated_at"],
    )
    for pk, _person, _office, status in paths:
        progress = rng.random() if status in (PathStatus.OBLIGED, PathStatus.VOLUNTARY) else 0.0
        for i, kind in enumerate(ComponentKind.values):
            threshold = (i + 1) / 9
            if progress >= threshold:
                state, reason, done = ComponentState.DONE, "", today - dt.timedelta(days=rng.randint(1, 700))
            elif progress >= threshold - 0.12:
                state, reason, done = ComponentState.IN_PROGRESS, "", None
            elif status not in (PathStatus.OBLIGED, PathStatus.VOLUNTARY) and rng.random() < 0.5:
                state, reason, done = ComponentState.NOT_REQUIRED, "Hors parcours obligatoire", None
            else:
                state, reason, done = ComponentState.TODO, "", None
            table.add([pk, kind, state, reason, done, now, now])
    table.flush()
    print(f"  composantes : {table.total:,} lignes, COPY {table.copy_seconds:.1f} s")
    return paths


def load_records(rng: random.Random, paths: list[tuple], today: dt.date, now: dt.datetime) -> None:
    """Hours records and French tests for part of the obliged and voluntary paths; SIDD sessions
    (one a week per office over two years) with their attendances."""
    from accompagnement.models import Office
    from bench.load_people import BRUSSELS, CopyTable
    from cai.models import User
    from parcours.choices import CefrLevel, CitizenshipFormat, ComponentKind, PathStatus, SessionKind
    from parcours.models import CollectiveSession, HoursRecord, LanguageTest, SessionAttendance

    recorder = (
        User.objects.filter(username__startswith="bench-").order_by("id").values_list("id", flat=True)[0]
    )
    hours = CopyTable(
        HoursRecord,
        ["path_id", "component", "source", "hours", "period_start", "period_end", "operator_name",
         "citizenship_format", "cefr_level_reached", "recorded_by_id", "created_at", "updated_at"],
    )  # fmt: skip
    tests = CopyTable(
        LanguageTest,
        ["person_id", "taken_on", "test_name", "listening", "reading", "speaking", "writing", "overall",
         "office_id", "created_at", "updated_at"],
    )  # fmt: skip
    levels = [CefrLevel.PRE_A1, CefrLevel.A1, CefrLevel.A1, CefrLevel.A2, CefrLevel.B1, CefrLevel.B2]
    followed = [p for p in paths if p[3] in (PathStatus.OBLIGED, PathStatus.VOLUNTARY)]
    for pk, person, office, _status in followed:
        if rng.random() < 0.55:
            level = rng.choice(levels)
            tests.add([person, today - dt.timedelta(days=rng.randint(1, 900)), "ELAO", level, level, level,
                       level, level, office, now, now])  # fmt: skip
        for _ in range(rng.choice([0, 0, 1, 2, 3, 4])):
            end = today - dt.timedelta(days=rng.randint(1, 700))
            start = end - dt.timedelta(days=rng.randint(30, 120))
            component = ComponentKind.FRENCH if rng.random() < 0.7 else ComponentKind.CITIZENSHIP
            fmt = rng.choice(CitizenshipFormat.values) if component == ComponentKind.CITIZENSHIP else ""
            hours.add([pk, component, "operateur", rng.choice([20, 40, 60, 80, 120]), start, end,
                       rng.choice(OPERATORS), fmt, "", recorder, now, now])  # fmt: skip
    hours.flush()
    tests.flush()
    print(f"  heures : {hours.total:,} lignes ; tests de français : {tests.total:,} lignes")

    sessions = CopyTable(
        CollectiveSession,
        ["kind", "title", "starts_at", "duration_minutes", "office_id", "place", "online", "facilitator_name",
         "created_at", "updated_at"],
    )  # fmt: skip
    office_ids = list(Office.objects.order_by("id").values_list("id", flat=True))
    for office in office_ids:
        for week in range(-90, 15):
            day = today + dt.timedelta(weeks=week)
            day -= dt.timedelta(days=day.weekday() - 1)  # a Tuesday
            starts = dt.datetime.combine(day, dt.time(9, 30), tzinfo=BRUSSELS)
            sessions.add([SessionKind.SIDD, "Droits et devoirs", starts, 180, office, "Salle polyvalente", False,
                          "Équipe d'accueil", now, now])  # fmt: skip
    sessions.flush()
    by_office: dict[int, list[tuple]] = {}
    for pk, office, starts in CollectiveSession.objects.values_list("id", "office_id", "starts_at"):
        by_office.setdefault(office, []).append((pk, starts.date()))
    attendances = CopyTable(SessionAttendance, ["session_id", "person_id", "attended"])
    for _pk, person, office, _status in followed:
        if rng.random() < 0.6 and by_office.get(office):
            session, day = rng.choice(by_office[office])
            attendances.add([session, person, day <= today and rng.random() < 0.85])
    attendances.flush()
    print(f"  séances SIDD : {sessions.total:,} ; présences : {attendances.total:,}")


def load(*, count: int = PATHS, reload: bool = False) -> None:
    from django.db import connection, transaction

    from bench.load_people import bulk_load_mode
    from parcours.models import Path

    if not reload and already_loaded(count):
        print(f"Parcours déjà chargés ({Path.objects.count():,}) : chargement sauté (--reload pour forcer).")
        return
    rng = random.Random(SEED)
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    with transaction.atomic():
        with bulk_load_mode(loaded_tables()):
            empty_tables()
            t0 = time.perf_counter()
            mix = load_paths(rng, count, today, now)
            paths = load_components(rng, today, now)
            load_records(rng, paths, today, now)
            print(f"  lignes générées et copiées : {time.perf_counter() - t0:.1f} s")
    total = sum(mix.values())
    shares = ", ".join(f"{status} {n / total:.0%}" for status, n in sorted(mix.items(), key=lambda i: -i[1]))
    print(f"  statuts : {shares}")
    t0 = time.perf_counter()
    from rapports.models import FollowedYear, FollowedYearRequestType

    with connection.cursor() as cursor:
        for table in [*loaded_tables(), FollowedYear._meta.db_table, FollowedYearRequestType._meta.db_table]:
            cursor.execute(f'VACUUM ANALYZE "{table}"')
    print(f"  VACUUM ANALYZE : {time.perf_counter() - t0:.1f} s")
    print(f"Chargement des parcours : {time.perf_counter() - started:.1f} s")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reload", action="store_true", help="vider et recharger même si les parcours sont là"
    )
    parser.add_argument("--paths", type=int, default=PATHS)
    args = parser.parse_args(argv)
    setup()
    load(count=args.paths, reload=args.reload)


if __name__ == "__main__":
    main()
