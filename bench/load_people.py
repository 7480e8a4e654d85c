"""Fill the benchmark database with 100,000 people and 1,000,000 appointments.

Reference data (offices, communes, request types, languages…) comes from the migrations. Names are
realistic: a pool of a few thousand first and last names pre-generated with Faker in several
locales (the populations a Walloon integration centre follows), combined per person, with a skewed
frequency like real names, so that the trigram search meets realistic selectivity. About 70 % of
the people have a valid national register number, consistent with their birth date and sex. Each
appointment has one or two request types (rows of the M2M through table).

Rows go in through PostgreSQL ``COPY`` (psycopg2's ``copy_expert``), then ``VACUUM ANALYZE``.
Loading is skipped when the database already holds the volume (``--reload`` forces it).

    .venv/bin/python bench/load_people.py [--reload] [--people N] [--appointments N]
"""

import argparse
import datetime as dt
import io
import math
import random
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup  # noqa: E402

PEOPLE = 100_000
APPOINTMENTS = 1_000_000
MAX_APPOINTMENTS_PER_PERSON = 250
SEED = 20251122
CHUNK_ROWS = 200_000
BRUSSELS = ZoneInfo("Europe/Brussels")

# (Faker locale, share of the people, nationalities with weights). Only Latin-script locales:
# files hold names as written on the residence card.
LOCALES = [
    ("fr_BE", 0.10, [("BE", 1)]),
    ("nl_BE", 0.02, [("BE", 1)]),
    ("fr_FR", 0.04, [("FR", 1)]),
    ("fr_DZ", 0.15, [("MA", 5), ("DZ", 3), ("TN", 2), ("SY", 4)]),
    ("en_PK", 0.10, [("AF", 6), ("PK", 2), ("IQ", 2)]),
    ("sw", 0.08, [("CD", 4), ("ER", 3), ("SO", 2), ("BI", 1)]),
    ("yo_NG", 0.05, [("NG", 2), ("CM", 2), ("GN", 2)]),
    ("tr_TR", 0.06, [("TR", 1)]),
    ("ro_RO", 0.06, [("RO", 1)]),
    ("uz_UZ", 0.06, [("UA", 5), ("RU", 2), ("XX", 1)]),
    ("az_AZ", 0.03, [("AZ", 1), ("GE", 1), ("AM", 1)]),
    ("it_IT", 0.04, [("IT", 1)]),
    ("es_ES", 0.03, [("ES", 1)]),
    ("pt_BR", 0.04, [("BR", 2), ("PT", 1)]),
    ("hr_HR", 0.02, [("HR", 1), ("BA", 1)]),
    ("en_IN", 0.02, [("IN", 1)]),
    ("id_ID", 0.01, [("ID", 1)]),
]
NAMES_PER_LOCALE = 400  # Faker draws per locale and list; duplicates collapse into the pool

OFFICE_SHARES = {
    "namur": 0.28,
    "sambreville": 0.12,
    "gembloux": 0.10,
    "dinant": 0.10,
    "andenne": 0.10,
    "ciney": 0.10,
    "philippeville": 0.10,
    "beauraing": 0.10,
}
COUNSELLORS_PER_OFFICE = 2
DIRECTOR_USERNAME = "bench-director"


def counsellor_username(slug: str, n: int = 1) -> str:
    return f"bench-{slug}-{n}"


# --------------------------------------------------------------------------------------------
# COPY helpers


def copy_value(value) -> str:
    """One value in PostgreSQL COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


class CopyTable:
    """COPY rows of a model's table. The loader gives some columns; every other concrete field
    gets its default, so fields added later by migrations do not break the loader."""

    def __init__(self, model, columns: list[str]):
        from django.db import connection

        self.table = model._meta.db_table
        by_column = {field.column: field for field in model._meta.concrete_fields}
        unknown = set(columns) - set(by_column)
        if unknown:
            raise ValueError(f"{self.table}: unknown columns {sorted(unknown)}")
        self.columns = list(columns)
        defaults = []
        for column, field in by_column.items():
            if column in columns or field.primary_key:  # an omitted key comes from its identity sequence
                continue
            value = field.get_db_prep_save(field.get_default(), connection)
            defaults.append((column, value))
        self.all_columns = self.columns + [column for column, _ in defaults]
        suffix = "\t".join(copy_value(value) for _, value in defaults)
        self.suffix = ("\t" + suffix) if defaults else ""
        self.buffer = io.StringIO()
        self.pending = 0
        self.total = 0
        self.copy_seconds = 0.0

    def add(self, values) -> None:
        self.buffer.write("\t".join(map(copy_value, values)) + self.suffix + "\n")
        self.pending += 1
        if self.pending >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        from django.db import connection

        if not self.pending:
            return
        started = time.perf_counter()
        self.buffer.seek(0)
        columns = ", ".join(f'"{column}"' for column in self.all_columns)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f'COPY "{self.table}" ({columns}) FROM STDIN', self.buffer)
        self.copy_seconds += time.perf_counter() - started
        self.total += self.pending
        self.buffer = io.StringIO()
        self.pending = 0


# --------------------------------------------------------------------------------------------
# Generated data


def national_number(birth_date: dt.date, sex: str, serial: int) -> str:
    """A valid Belgian national register number (checksum as in stdnum.be.nn)."""
    base = f"{birth_date:%y%m%d}{serial:03d}"
    prefix = "2" if birth_date.year >= 2000 else ""
    check = 97 - int(prefix + base) % 97
    return f"{base}{check:02d}"


def zipf_weights(count: int, exponent: float = 0.6) -> list[float]:
    return [1 / (rank + 1) ** exponent for rank in range(count)]


class NamePools:
    """First names (by sex) and last names per locale, drawn once with Faker, skewed like real names."""

    def __init__(self, rng: random.Random):
        from faker import Faker

        self.rng = rng
        self.pools = {}
        for locale, _share, _nationalities in LOCALES:
            fake = Faker(locale)
            fake.seed_instance(SEED)
            pools = {
                "M": self._draw(fake.first_name_male),
                "F": self._draw(fake.first_name_female),
                "last": self._draw(fake.last_name),
            }
            self.pools[locale] = {key: (names, zipf_weights(len(names))) for key, names in pools.items()}

    @staticmethod
    def _draw(method) -> list[str]:
        names = []
        seen = set()
        for _ in range(NAMES_PER_LOCALE):
            name = method().strip()
            if name and name not in seen:
                seen.add(name)
                names.append(name)
        return names

    def size(self) -> tuple[int, int]:
        first = {n for p in self.pools.values() for key in ("M", "F") for n in p[key][0]}
        last = {n for p in self.pools.values() for n in p["last"][0]}
        return len(first), len(last)

    def pick(self, locale: str, key: str) -> str:
        names, weights = self.pools[locale][key]
        return self.rng.choices(names, weights)[0]


def appointment_counts(rng: random.Random, days_open: list[int], total: int) -> list[int]:
    """Appointments per person: skewed (most files have a few, long follow-ups have a hundred or
    more), more for files open longer, capped, summing to exactly ``total``."""
    people = len(days_open)
    weights = [rng.lognormvariate(0, 1.0) * math.sqrt(days + 30) for days in days_open]
    scale = total / sum(weights)
    counts = [max(1, min(MAX_APPOINTMENTS_PER_PERSON, round(w * scale))) for w in weights]
    difference = total - sum(counts)
    step = 1 if difference > 0 else -1
    while difference:
        i = rng.randrange(people)
        if 1 <= counts[i] + step <= MAX_APPOINTMENTS_PER_PERSON:
            counts[i] += step
            difference -= step
    return counts


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days + 1)))


# --------------------------------------------------------------------------------------------
# Loading


def ensure_users():
    """Two counsellors per office and a director, signed in by the measurements."""
    from accompagnement.models import Office
    from cai.choices import Role
    from cai.models import User

    counsellors = {}
    for office in Office.objects.all():
        counsellors[office.pk] = []
        for n in range(1, COUNSELLORS_PER_OFFICE + 1):
            user, created = User.objects.get_or_create(
                username=counsellor_username(office.slug, n),
                defaults={"role": Role.COUNSELLOR, "first_name": f"Conseiller {n}", "last_name": office.name},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            office.staff.add(user)
            counsellors[office.pk].append(user.pk)
    director, created = User.objects.get_or_create(
        username=DIRECTOR_USERNAME,
        defaults={"role": Role.DIRECTOR, "first_name": "Diane", "last_name": "Directrice"},
    )
    if created:
        director.set_unusable_password()
        director.save(update_fields=["password"])
    return counsellors


def already_loaded(people: int, appointments: int) -> bool:
    from accompagnement.models import Appointment, Person

    return Person.objects.count() >= people and Appointment.objects.count() >= appointments


def empty_tables() -> None:
    """Empty the loaded tables (and the audit trail, whose entries name person ids)."""
    from django.db import connection

    with connection.cursor() as cursor:
        tables = ", ".join(f'"{table}"' for table in loaded_tables())
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def load_people(rng: random.Random, pools: NamePools, count: int, today: dt.date) -> list[tuple]:
    """COPY ``count`` people; returns (id, office_id, file_opened_on) per person."""
    from accompagnement.models import Commune, Office, Person
    from accompagnement.text import person_search_text

    offices = {o.slug: o.pk for o in Office.objects.all()}
    office_ids = [offices[slug] for slug in OFFICE_SHARES if slug in offices]
    office_weights = [OFFICE_SHARES[slug] for slug in OFFICE_SHARES if slug in offices]
    communes = {}
    for commune in Commune.objects.exclude(office=None).order_by("pk"):
        communes.setdefault(commune.office_id, []).append(
            (commune.pk, commune.main_postal_code, commune.name)
        )
    locales = [loc for loc, _, _ in LOCALES]
    locale_weights = [share for _, share, _ in LOCALES]
    nationalities = {loc: ([c for c, _ in nat], [w for _, w in nat]) for loc, _, nat in LOCALES}
    from faker import Faker

    fake = Faker("fr_BE")
    fake.seed_instance(SEED)
    streets = [fake.street_name() for _ in range(500)]
    phones = [fake.phone_number() for _ in range(500)]
    now = dt.datetime.now(dt.UTC)
    used_numbers = set()

    table = CopyTable(
        Person,
        [
            "id", "file_opened_on", "created_at", "updated_at", "last_name", "first_name", "birth_date",
            "sex", "national_number", "number_kind", "nationality", "country_of_birth", "phone", "email",
            "street", "house_number", "postal_code", "locality", "commune_id", "arrival_date",
            "registration_date", "household_size", "office_id", "referral", "is_active", "search_text",
        ],
    )  # fmt: skip
    rows = []
    for n in range(count):
        locale = rng.choices(locales, locale_weights)[0]
        sex = "F" if rng.random() < 0.5 else "M"
        first = pools.pick(locale, sex)
        last = pools.pick(locale, "last")
        birth = random_date(rng, dt.date(1950, 1, 1), dt.date(2007, 12, 31))
        number = None
        if rng.random() < 0.70:
            while True:
                serial = rng.randrange(1, 998)
                if (serial % 2 == 1) != (sex == "M"):
                    serial = serial + 1 if serial < 997 else serial - 1
                number = national_number(birth, sex, serial)
                if number not in used_numbers:
                    used_numbers.add(number)
                    break
        codes, weights = nationalities[locale]
        nationality = rng.choices(codes, weights)[0]
        office_id = rng.choices(office_ids, office_weights)[0]
        commune_id, postal_code, locality = rng.choice(communes.get(office_id, [(None, "", "")]))
        opened = random_date(rng, dt.date(2012, 1, 1), today)
        arrival = opened - dt.timedelta(days=rng.randrange(30, 1500))
        rows.append(
            (
                opened, office_id, now, now, last, first, birth, sex,
                number, "nn" if number else "", nationality, nationality if nationality != "XX" else "",
                rng.choice(phones), f"p{n}@example.org" if rng.random() < 0.3 else "",
                rng.choice(streets), str(rng.randrange(1, 200)), postal_code, locality, commune_id, arrival,
                arrival + dt.timedelta(days=rng.randrange(1, 60)), rng.randrange(1, 7), office_id,
                rng.choice(("commune", "partner", "self", "other")),
                rng.random() < 0.85, person_search_text(first, last),
            )
        )  # fmt: skip
    # Files are opened over the years: ids (and the table's physical order) follow the opening date.
    rows.sort(key=lambda row: row[0])
    people = []
    for pk, (opened, office_id, *values) in enumerate(rows, start=1):
        table.add((pk, opened, *values))
        people.append((pk, office_id, opened))
    table.flush()
    print(f"  personnes : {table.total:,} lignes, dont COPY {table.copy_seconds:.1f} s")
    return people


def load_appointments(
    rng: random.Random, people: list[tuple], total: int, counsellors: dict, today: dt.date
) -> None:
    """COPY ``total`` appointments spread over ``people``, with 1–2 request types each."""
    from faker import Faker

    from accompagnement.models import Appointment, EsfActionType, Language, RequestType

    request_types = list(RequestType.objects.order_by("position", "pk").values_list("pk", flat=True))
    request_weights = zipf_weights(len(request_types), 1.0)
    esf_types = list(EsfActionType.objects.values_list("pk", flat=True))
    languages = list(Language.objects.values_list("pk", flat=True)[:30])
    fake = Faker("fr_FR")
    fake.seed_instance(SEED)
    notes = [fake.sentence(nb_words=14) for _ in range(300)]
    modes = ("in_person", "phone", "video", "email")
    mode_weights = (70, 20, 3, 7)
    now = dt.datetime.now(dt.UTC)
    horizon = today + dt.timedelta(days=60)

    appointments = CopyTable(
        Appointment,
        [
            "id", "starts_at", "created_at", "updated_at", "duration_minutes", "mode", "interpreter_service",
            "notes", "confidential_notes", "counsellor_id", "esf_action_type_id", "interpreter_language_id",
            "office_id", "person_id",
        ],
    )  # fmt: skip
    through = CopyTable(Appointment.request_types.through, ["appointment_id", "requesttype_id"])
    counts = appointment_counts(rng, [(today - opened).days for _, _, opened in people], total)
    rows = []
    for (person_id, office_id, opened), count in zip(people, counts, strict=True):
        span = max(1, (horizon - opened).days)
        for _ in range(count):
            day = opened + dt.timedelta(days=rng.randrange(span))
            if day.weekday() >= 5:  # offices are closed at weekends: move to the Friday before
                day -= dt.timedelta(days=day.weekday() - 4)
            starts_at = dt.datetime(
                day.year,
                day.month,
                day.day,
                rng.randrange(8, 17),
                rng.choice((0, 15, 30, 45)),
                tzinfo=BRUSSELS,
            )
            interpreter = rng.choice(languages) if languages and rng.random() < 0.12 else None
            kinds = rng.choices(request_types, request_weights, k=2)
            if rng.random() < 0.5 or kinds[1] == kinds[0]:
                kinds = kinds[:1]
            rows.append(
                (
                    starts_at, now, now, rng.choice((30, 30, 45, 60)), rng.choices(modes, mode_weights)[0],
                    "setis" if interpreter else "", rng.choice(notes) if rng.random() < 0.6 else "",
                    rng.choice(notes) if rng.random() < 0.1 else "", rng.choice(counsellors[office_id]),
                    rng.choice(esf_types) if esf_types and rng.random() < 0.1 else None, interpreter,
                    office_id if rng.random() < 0.9 else None, person_id, kinds,
                )
            )  # fmt: skip
    # Appointments are recorded as they happen: ids follow time, and a long file's appointments lie
    # scattered over the table (as in real use), not side by side.
    rows.sort(key=lambda row: row[0])
    for pk, (*values, kinds) in enumerate(rows, start=1):
        appointments.add((pk, *values))
        for kind in kinds:
            through.add((pk, kind))
    appointments.flush()
    through.flush()
    print(
        f"  rendez-vous : {appointments.total:,} lignes (+ {through.total:,} types de demande), "
        f"dont COPY {appointments.copy_seconds + through.copy_seconds:.1f} s"
    )
    return counts


def load_audit_trail(rng: random.Random, people: list[tuple], counts: list[int], counsellors: dict) -> None:
    """The django-auditlog entries a file gathers in use: its creation, a change for every tenth
    appointment, and an access (a file viewed) per appointment, at most 100. The busiest files thus
    show a full history (100 lines) to the director, as they would in production."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from accompagnement.models import Commune, Person

    content_type = ContentType.objects.get_for_model(Person).pk
    communes = list(Commune.objects.values_list("pk", flat=True))
    names = {
        pk: f"{last.upper()} {first}"
        for pk, last, first in Person.objects.values_list("pk", "last_name", "first_name")
    }
    now = dt.datetime.now(dt.UTC)
    table = CopyTable(
        LogEntry,
        ["content_type_id", "object_pk", "object_id", "object_repr", "action", "changes", "actor_id",
         "remote_addr", "timestamp"],
    )  # fmt: skip
    created_changes = '{"is_active": ["None", "True"], "referral": ["None", "commune"]}'
    for (pk, office_id, opened), count in zip(people, counts, strict=True):
        actors = counsellors[office_id]
        address = f"10.0.{office_id}.{rng.randrange(2, 250)}"
        start = dt.datetime(opened.year, opened.month, opened.day, 9, tzinfo=dt.UTC)
        span = max(1, int((now - start).total_seconds()))
        common = (content_type, str(pk), pk, names[pk])
        table.add((*common, LogEntry.Action.CREATE, created_changes, rng.choice(actors), address, start))
        events = [LogEntry.Action.UPDATE] * (count // 10) + [LogEntry.Action.ACCESS] * min(count, 100)
        for action in events:
            when = start + dt.timedelta(seconds=rng.randrange(span))
            changes = None
            if action == LogEntry.Action.UPDATE:
                old, new = rng.sample(communes, 2)
                changes = rng.choice(
                    (
                        f'{{"phone": ["04{rng.randrange(10**7, 10**8)}", "04{rng.randrange(10**7, 10**8)}"]}}',
                        f'{{"commune": ["{old}", "{new}"], "postal_code": ["5000", "5100"]}}',
                        f'{{"household_size": ["{rng.randrange(1, 4)}", "{rng.randrange(4, 8)}"]}}',
                        '{"residence_card": ["orange", "A"]}',
                    )
                )
            table.add((*common, action, changes, rng.choice(actors), address, when))
    table.flush()
    print(f"  journal d'audit : {table.total:,} lignes, dont COPY {table.copy_seconds:.1f} s")


LOADED_MODELS = (
    "accompagnement.Person",
    "accompagnement.Appointment",
    "accompagnement.Appointment_request_types",
    "auditlog.LogEntry",
)


def loaded_tables() -> list[str]:
    from django.apps import apps

    return [apps.get_model(label)._meta.db_table for label in LOADED_MODELS]


@contextmanager
def bulk_load_mode(tables: list[str]):
    """Drop the secondary indexes and foreign keys of ``tables`` for the COPY, then build them
    again in one pass each (PostgreSQL manual, "Populating a Database"). Django's foreign keys are
    DEFERRABLE INITIALLY DEFERRED: kept, they queue one check per row until COMMIT (about a minute
    for these 2.4 million rows); added back, each is validated by a single join.

    The triggers that keep the report's people followed per year (``rapports.followed``) are off
    during the load too (each COPY would recompute every person) and the rows are recomputed once at
    the end, on the indexes built again."""
    from django.db import connection

    from rapports import followed

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        # every table "followed" reads: a TRUNCATE … CASCADE reaches some that are not loaded here
        paused = sorted(set(tables) | set(followed.SOURCES))
        for table in paused:
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s) ORDER BY 1, 2",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1, 2",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for _table, name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for _table, _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        for table in paused:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
    print(
        f"  {len(indexes)} index et {len(foreign_keys)} clés étrangères reconstruits : "
        f"{time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    followed.rebuild()
    print(f"  personnes suivies par année (rapport), recalculées : {time.perf_counter() - started:.1f} s")


def reset_sequences() -> None:
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = [apps.get_model(label) for label in LOADED_MODELS]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def vacuum_analyze() -> None:
    from django.db import connection

    from rapports.models import FollowedYear, FollowedYearRequestType

    with connection.cursor() as cursor:
        for table in [*loaded_tables(), FollowedYear._meta.db_table, FollowedYearRequestType._meta.db_table]:
            cursor.execute(f'VACUUM ANALYZE "{table}"')


def load(*, people: int = PEOPLE, appointments: int = APPOINTMENTS, reload: bool = False) -> None:
    from django.db import transaction

    counsellors = ensure_users()
    if not reload and already_loaded(people, appointments):
        print(
            f"Données déjà chargées ({people:,} personnes, {appointments:,} rendez-vous) : chargement sauté (--reload pour forcer)."
        )
        return
    rng = random.Random(SEED)
    today = dt.date.today()
    started = time.perf_counter()
    pools = NamePools(rng)
    first_count, last_count = pools.size()
    print(
        f"Réserve de noms : {first_count} prénoms, {last_count} noms de famille ({len(LOCALES)} locales Faker)."
    )
    with transaction.atomic():
        t0 = time.perf_counter()
        with bulk_load_mode(loaded_tables()):
            empty_tables()
            print(f"  tables vidées : {time.perf_counter() - t0:.1f} s")
            t0 = time.perf_counter()
            rows = load_people(rng, pools, people, today)
            print(f"  personnes : {time.perf_counter() - t0:.1f} s en tout")
            t0 = time.perf_counter()
            counts = load_appointments(rng, rows, appointments, counsellors, today)
            print(f"  rendez-vous : {time.perf_counter() - t0:.1f} s en tout")
            t0 = time.perf_counter()
            load_audit_trail(rng, rows, counts, counsellors)
            print(f"  journal d'audit : {time.perf_counter() - t0:.1f} s en tout")
        reset_sequences()
        t0 = time.perf_counter()
    print(f"  validation (COMMIT) : {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    vacuum_analyze()
    print(f"  VACUUM ANALYZE : {time.perf_counter() - t0:.1f} s")
    print(f"Chargement total : {time.perf_counter() - started:.1f} s")


def check_sample(count: int = 2000) -> None:
    """The generated national numbers pass python-stdnum (as the application checks them)."""
    from stdnum.be import nn

    from accompagnement.models import Person

    sample = Person.objects.exclude(national_number=None).values_list("national_number", "birth_date", "sex")[
        :count
    ]
    for number, birth, sex in sample:
        assert nn.is_valid(number), number
        assert nn.get_birth_date(number) == birth, number
        assert nn.get_gender(number) == sex, number


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reload", action="store_true", help="vider et recharger même si le volume est là")
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--appointments", type=int, default=APPOINTMENTS)
    args = parser.parse_args(argv)
    setup()
    load(people=args.people, appointments=args.appointments, reload=args.reload)
    check_sample()


if __name__ == "__main__":
    main()
