"""The people followed per year, kept ready by PostgreSQL (``FollowedYear``, ``FollowedYearRequestType``).

"Followed in year Y" (``selectors.followed_filter``) means at least one appointment or one path event
that year. Computed live, it reads every activity record of the year and hashes them down to people:
about a second for 100,000 people and 1,000,000 appointments, most of the report's SQL. These tables
hold the answer per person and year, so the report reads ready rows.

How they stay right, whatever writes the data (the services, the admin, ``bulk_create``,
``QuerySet.update``, a merge, raw SQL, ``COPY``):

- Every table the definition reads has statement-level triggers (one per event, with transition
  tables): the people touched by the statement are recomputed, all their years at once, from the
  records as they now are (``rapports_followed_refresh``). A person's rows are a pure function of
  their records, so the order of writes never matters.
- ``TRUNCATE`` of one of these tables recomputes everybody (``rapports_followed_rebuild``, also run by
  the migration that creates the tables and by ``manage.py followed_years --rebuild``).
- The refresh locks the people it recomputes (``FOR NO KEY UPDATE`` on their rows, which ordinary
  reads and foreign-key checks do not wait for): two transactions writing about the same person take
  turns, and the second recomputes after the first has committed, seeing its records.

On SQLite (the embedded demo database) nothing is installed and the report computes "followed" live,
as it does on any database for the dashboard's counts to date. ``manage.py followed_years --check``
compares the tables with the live definition for every year; ``--rebuild`` recomputes them.

After a restore of the data alone (``pg_restore --data-only``), run ``--rebuild``: the triggers then
only saw part of the rows. A full restore creates the triggers after the data and needs nothing.
"""

from django.conf import settings
from django.db import connection

REFRESH_FUNCTION = "rapports_followed_refresh"
TOUCH_FUNCTION = "rapports_followed_touch"
REBUILD_FUNCTION = "rapports_followed_rebuild"

FOLLOWED_TABLE = "rapports_followedyear"
REQUEST_TYPE_TABLE = "rapports_followedyearrequesttype"

# The tables "followed" reads: for each, the SELECT listing the people a set of its rows is about (the
# rows go in ``%s``: a transition table, or the changed rows of one), and the columns the definition
# reads from it. An UPDATE that changes none of them (a note, a phone number) recomputes nobody.
SOURCES = {
    "accompagnement_appointment": ("SELECT r.person_id FROM %s r", ["person_id", "starts_at"]),
    "accompagnement_appointment_request_types": (
        "SELECT a.person_id FROM %s r JOIN accompagnement_appointment a ON a.id = r.appointment_id",
        ["appointment_id", "requesttype_id"],
    ),
    "parcours_collectivesession": (
        "SELECT s.person_id FROM %s r JOIN parcours_sessionattendance s ON s.session_id = r.id",
        ["starts_at"],
    ),
    "parcours_sessionattendance": ("SELECT r.person_id FROM %s r", ["person_id", "session_id", "attended"]),
    "parcours_languagetest": ("SELECT r.person_id FROM %s r", ["person_id", "taken_on"]),
    "parcours_hoursrecord": (
        "SELECT p.person_id FROM %s r JOIN parcours_path p ON p.id = r.path_id",
        ["path_id", "period_start", "period_end"],
    ),
    "parcours_evaluationinterview": (
        "SELECT p.person_id FROM %s r JOIN parcours_path p ON p.id = r.path_id",
        ["path_id", "held_on"],
    ),
    "parcours_path": (
        "SELECT r.person_id FROM %s r",
        ["person_id", "status", "convention_signed_on", "attestation_delivered_on"],
    ),
    "accompagnement_person": ("SELECT r.id FROM %s r", ["office_id", "nationality", "sex", "file_opened_on"]),
}
# A new collective session has no attendance yet, and a new person no record: nothing to recompute.
NO_INSERT_TRIGGER = {"parcours_collectivesession", "accompagnement_person"}


def _local_year(column: str, time_zone: str) -> str:
    return f"EXTRACT(YEAR FROM {column} AT TIME ZONE '{time_zone}')::int"


def _fill_sql(time_zone: str, *, only) -> str:
    """The two INSERTs that compute the rows from the records; ``only(column)`` restricts a person
    column to the people being recomputed (or to everybody)."""
    appointment_year = _local_year("a.starts_at", time_zone)
    session_year = _local_year("cs.starts_at", time_zone)
    return f"""
    INSERT INTO {FOLLOWED_TABLE} (person_id, year, office_id, nationality, sex, opened, path_status, appointments)
    SELECT person.id, activity.year, person.office_id, person.nationality, person.sex,
           EXTRACT(YEAR FROM person.file_opened_on)::int, COALESCE(path.status, ''),
           COALESCE(appointments.n, 0)
    FROM (
        SELECT a.person_id, {appointment_year} AS year
            FROM accompagnement_appointment a WHERE {only("a.person_id")}
        UNION
        SELECT sa.person_id, {session_year}
            FROM parcours_sessionattendance sa JOIN parcours_collectivesession cs ON cs.id = sa.session_id
            WHERE sa.attended AND {only("sa.person_id")}
        UNION
        SELECT t.person_id, EXTRACT(YEAR FROM t.taken_on)::int
            FROM parcours_languagetest t WHERE {only("t.person_id")}
        UNION
        SELECT p.person_id, generate_series(
                EXTRACT(YEAR FROM h.period_start)::int, EXTRACT(YEAR FROM h.period_end)::int)
            FROM parcours_hoursrecord h JOIN parcours_path p ON p.id = h.path_id
            WHERE {only("p.person_id")}
        UNION
        SELECT p.person_id, EXTRACT(YEAR FROM e.held_on)::int
            FROM parcours_evaluationinterview e JOIN parcours_path p ON p.id = e.path_id
            WHERE e.held_on IS NOT NULL AND {only("p.person_id")}
        UNION
        SELECT p.person_id, EXTRACT(YEAR FROM p.convention_signed_on)::int
            FROM parcours_path p WHERE p.convention_signed_on IS NOT NULL AND {only("p.person_id")}
        UNION
        SELECT p.person_id, EXTRACT(YEAR FROM p.attestation_delivered_on)::int
            FROM parcours_path p WHERE p.attestation_delivered_on IS NOT NULL AND {only("p.person_id")}
    ) AS activity
    JOIN accompagnement_person person ON person.id = activity.person_id
    LEFT JOIN parcours_path path ON path.person_id = person.id
    LEFT JOIN (
        SELECT a.person_id, {appointment_year} AS year, COUNT(*) AS n
            FROM accompagnement_appointment a WHERE {only("a.person_id")} GROUP BY 1, 2
    ) AS appointments ON appointments.person_id = activity.person_id AND appointments.year = activity.year;
    INSERT INTO {REQUEST_TYPE_TABLE} (person_id, year, request_type_id, appointments)
    SELECT a.person_id, {appointment_year}, t.requesttype_id, COUNT(*)
    FROM accompagnement_appointment a
    JOIN accompagnement_appointment_request_types t ON t.appointment_id = a.id
    JOIN accompagnement_person person ON person.id = a.person_id
    WHERE {only("a.person_id")}
    GROUP BY 1, 2, 3;
"""  # noqa: S608 (constant names; the time zone is the project's setting, quoted)


def refresh_function_sql(time_zone: str) -> str:
    """The function that recomputes the rows of a set of people (all their years)."""
    fill = _fill_sql(time_zone, only=lambda column: f"{column} = ANY(persons)")
    return f"""
CREATE OR REPLACE FUNCTION {REFRESH_FUNCTION}(persons bigint[]) RETURNS void
LANGUAGE plpgsql
-- planned for the array it gets: index probes for one person, hash joins for many
SET plan_cache_mode = force_custom_plan
AS $fn$
BEGIN
    persons := ARRAY(SELECT DISTINCT p FROM unnest(persons) AS p WHERE p IS NOT NULL ORDER BY p);
    IF cardinality(persons) = 0 THEN
        RETURN;
    END IF;
    -- One refresh at a time per person (see the module's docstring); in id order against deadlocks.
    PERFORM 1 FROM accompagnement_person WHERE id = ANY(persons) ORDER BY id FOR NO KEY UPDATE;
    DELETE FROM {REQUEST_TYPE_TABLE} WHERE person_id = ANY(persons);
    DELETE FROM {FOLLOWED_TABLE} WHERE person_id = ANY(persons);
    {fill}
END
$fn$;
"""  # noqa: S608 (constant names)


def rebuild_function_sql(time_zone: str) -> str:
    """The function that recomputes everybody: the tables locked against other writers (the lock waits
    for every transaction that wrote rows to finish, and holds the others until this one commits;
    readers go on reading the old rows), emptied, then filled in one pass over the records. DELETE,
    not TRUNCATE: it runs inside TRUNCATE statements that name these tables (Django's test flush)."""
    fill = _fill_sql(time_zone, only=lambda column: "TRUE")
    return f"""
CREATE OR REPLACE FUNCTION {REBUILD_FUNCTION}() RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
    LOCK TABLE {REQUEST_TYPE_TABLE}, {FOLLOWED_TABLE} IN EXCLUSIVE MODE;
    DELETE FROM {REQUEST_TYPE_TABLE};
    DELETE FROM {FOLLOWED_TABLE};
    {fill}
END
$fn$;
"""  # noqa: S608 (constant names)


TOUCH_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {TOUCH_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    persons bigint[] := '{{}}';
    touched bigint[];
    new_side text := 'new_rows';
    old_side text := 'old_rows';
    changed text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM {REBUILD_FUNCTION}();
        RETURN NULL;
    END IF;
    -- TG_ARGV[0]: the SELECT listing the people of some rows (in %s); TG_ARGV[1]: the columns read.
    IF TG_OP = 'UPDATE' THEN
        SELECT format('(%s) IS DISTINCT FROM (%s)',
                      string_agg('n.' || quote_ident(c), ', '), string_agg('o.' || quote_ident(c), ', '))
            INTO changed FROM unnest(string_to_array(TG_ARGV[1], ',')) AS c;
        new_side := '(SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE ' || changed || ')';
        old_side := '(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE ' || changed || ')';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        EXECUTE format('SELECT array_agg(DISTINCT x) FROM (' || TG_ARGV[0] || ') AS q(x)', new_side) INTO touched;
        persons := persons || coalesce(touched, '{{}}');
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        EXECUTE format('SELECT array_agg(DISTINCT x) FROM (' || TG_ARGV[0] || ') AS q(x)', old_side) INTO touched;
        persons := persons || coalesce(touched, '{{}}');
    END IF;
    PERFORM {REFRESH_FUNCTION}(persons);
    RETURN NULL;
END
$fn$;
"""  # noqa: S608 (constant names)


def _trigger_name(table: str, event: str) -> str:
    return f"followed_{event.lower()}_{table}"[:63]


def trigger_sql(table: str, select: str, columns: list[str]) -> list[str]:
    statements = []
    events = [("UPDATE", "NEW TABLE AS new_rows OLD TABLE AS old_rows"), ("DELETE", "OLD TABLE AS old_rows")]
    if table not in NO_INSERT_TRIGGER:
        events.insert(0, ("INSERT", "NEW TABLE AS new_rows"))
    quoted_select, quoted_columns = select.replace("'", "''"), ",".join(columns)
    arguments = f"'{quoted_select}', '{quoted_columns}'"
    for event, referencing in events:
        name = _trigger_name(table, event)
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {TOUCH_FUNCTION}({arguments})",
        ]
    name = _trigger_name(table, "TRUNCATE")
    statements += [
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"CREATE TRIGGER {name} AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {TOUCH_FUNCTION}()",
    ]
    return statements


# Covering indexes: the report reads a year's rows from the index alone. PostgreSQL only (SQLite has
# no INCLUDE, and there the tables stay empty), hence not in the models' Meta.
COVERING_INDEXES = {
    "followed_year_profile_idx": (
        f"{FOLLOWED_TABLE} (year) INCLUDE (office_id, nationality, sex, opened, path_status, appointments)"
    ),
    "followed_request_year_idx": f"{REQUEST_TYPE_TABLE} (year) INCLUDE (request_type_id, appointments)",
}


# Every write replaces a few rows: vacuum these tables after 2 % of changes (PostgreSQL's default is
# 20 %), so that the visibility map stays current and the report's index-only scans stay index-only.
AUTOVACUUM = (
    "autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02, "
    "autovacuum_analyze_scale_factor = 0.05"
)


def install_statements(time_zone: str | None = None) -> list[str]:
    """Everything to create (idempotent: functions replaced, triggers dropped and created again)."""
    zone = (time_zone or settings.TIME_ZONE).replace("'", "''")
    statements = [f"CREATE INDEX IF NOT EXISTS {name} ON {spec}" for name, spec in COVERING_INDEXES.items()]
    statements += [
        f"ALTER TABLE {table} SET ({AUTOVACUUM})" for table in (FOLLOWED_TABLE, REQUEST_TYPE_TABLE)
    ]
    statements += [refresh_function_sql(zone), rebuild_function_sql(zone), TOUCH_FUNCTION_SQL]
    for table, (select, columns) in SOURCES.items():
        statements += trigger_sql(table, select, columns)
    return statements


def uninstall_statements() -> list[str]:
    statements = []
    for table in SOURCES:
        for event in ("INSERT", "UPDATE", "DELETE", "TRUNCATE"):
            statements.append(f"DROP TRIGGER IF EXISTS {_trigger_name(table, event)} ON {table}")
    statements += [
        f"DROP FUNCTION IF EXISTS {TOUCH_FUNCTION}()",
        f"DROP FUNCTION IF EXISTS {REBUILD_FUNCTION}()",
        f"DROP FUNCTION IF EXISTS {REFRESH_FUNCTION}(bigint[])",
    ]
    statements += [f"DROP INDEX IF EXISTS {name}" for name in COVERING_INDEXES]
    return statements


def is_maintained() -> bool:
    """True when the tables are kept by the database (PostgreSQL)."""
    return connection.vendor == "postgresql"


def rebuild() -> None:
    """Recompute every person's rows (after a data-only restore, or to repair)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {REBUILD_FUNCTION}()")
