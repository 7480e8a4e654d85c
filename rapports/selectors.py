"""Report figures: SQL aggregates over the recorded data, for one year and the year before.

"Followed in the year" means at least one appointment or one path event that year (a session
attended, a French test, training hours, an evaluation held, a convention signed, an attestation
delivered). Every table is a dict ``{"key", "title", "columns", "rows"}`` so that the PDF, the XLSX
workbook and the CSV share one shape. The number of queries does not depend on the data size.

On PostgreSQL the figures of whole years that hang on "followed" (the people and their profile, the
appointments, the request types) read the rows the database keeps ready per person and year
(``rapports.followed``); elsewhere, and for the dashboard's counts to date, they are computed from the
records with the same definition. ``ready_rows_differences`` compares the two.
"""

import calendar
import datetime as dt
from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear, Lower
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from accompagnement.choices import OriginGroup, Sex
from accompagnement.models import (
    STATELESS,
    Appointment,
    EsfActionType,
    Office,
    Person,
    RequestType,
    origin_group_for,
)
from accompagnement.permanences import describe_rule
from formations.choices import RegistrationStatus, SessionStatus
from formations.models import Trainer, TrainingSession
from parcours.choices import ComponentState, PathStatus, SessionKind
from parcours.models import (
    CollectiveSession,
    Duo,
    EvaluationInterview,
    HoursRecord,
    LanguageTest,
    NewcomerListRow,
    Path,
    PathComponent,
    SessionAttendance,
)
from plateformes.choices import (
    AwarenessKind,
    GovernanceKind,
    GroupKind,
    GroupStatus,
    InterpellationKind,
    Level,
    OperatorKind,
    SupportKind,
    Team,
)
from plateformes.models import (
    Acronym,
    AwarenessAction,
    GovernanceMeeting,
    Group,
    Interpellation,
    Operator,
    StaffMember,
    SupportAction,
)

from . import followed
from .models import FollowedYear, FollowedYearRequestType

METHOD_NOTE = _(
    "Une personne est comptée comme suivie dans l'année lorsqu'elle a eu au moins un rendez-vous ou un "
    "événement de parcours cette année-là (séance collective suivie, test de français, heures de formation, "
    "entretien d'évaluation, convention signée ou attestation délivrée). Les chiffres sont calculés à partir "
    "des données enregistrées dans l'application au moment de la génération."
)


def _plain(value):
    """Translated labels are lazy objects: make every cell a plain number or string."""
    return str(value) if isinstance(value, Promise) else value


def table(key, title, columns, rows, note=""):
    return {
        "key": key,
        "title": str(title),
        "columns": [str(c) for c in columns],
        "rows": [[_plain(cell) for cell in row] for row in rows],
        "note": str(note),
    }


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of a day in Brussels, as an aware datetime: filtering a timestamp on a range of these
    uses its index, where ``__date`` lookups (a cast in SQL) cannot."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


# "To date": the dashboard counts the current year up to today, and every earlier year up to the same
# day (so that the year before is compared at the same date). Set only inside ``figures_to_date``; the
# report (the worker) never sets it and counts whole years.
_TO_DATE: ContextVar[dt.date | None] = ContextVar("report_figures_to_date", default=None)


@contextmanager
def figures_to_date(day: dt.date):
    """Within this block, the figures of ``day``'s year stop at the end of ``day``, and those of the
    years before at the end of the same day of their year (28 February for a 29th)."""
    token = _TO_DATE.set(day)
    try:
        yield
    finally:
        _TO_DATE.reset(token)


def year_end(year: int) -> dt.date:
    """The first day after the counted part of ``year``: 1 January of the next year, or the day after
    the "to date" day of that year (see ``figures_to_date``). Later years are never cut."""
    day = _TO_DATE.get()
    if day is None or year > day.year:
        return dt.date(year + 1, 1, 1)
    if (day.month, day.day) == (2, 29) and not calendar.isleap(year):
        same_day = dt.date(year, 2, 28)
    else:
        same_day = day.replace(year=year)
    return same_day + dt.timedelta(days=1)


def followed_filter(year: int) -> Q:
    """People with an appointment or a path event in ``year`` (Exists subqueries, index-friendly)."""
    start, end = dt.date(year, 1, 1), year_end(year)
    person = OuterRef("pk")
    return Q(
        Exists(
            Appointment.objects.filter(
                person=person, starts_at__gte=local_midnight(start), starts_at__lt=local_midnight(end)
            )
        )
        | Exists(
            SessionAttendance.objects.filter(
                person=person,
                attended=True,
                session__starts_at__gte=local_midnight(start),
                session__starts_at__lt=local_midnight(end),
            )
        )
        | Exists(LanguageTest.objects.filter(person=person, taken_on__gte=start, taken_on__lt=end))
        | Exists(HoursRecord.objects.filter(path__person=person, period_end__gte=start, period_start__lt=end))
        | Exists(EvaluationInterview.objects.filter(path__person=person, held_on__gte=start, held_on__lt=end))
        | Exists(
            Path.objects.filter(person=person).filter(
                Q(convention_signed_on__gte=start, convention_signed_on__lt=end)
                | Q(attestation_delivered_on__gte=start, attestation_delivered_on__lt=end)
            )
        )
    )


def followed_people(year: int):
    return Person.objects.filter(followed_filter(year))


FOLLOWED_DIMENSIONS = ("office", "nationality", "sex", "opened", "path_status")


_LIVE: ContextVar[bool] = ContextVar("report_figures_live", default=False)


@contextmanager
def live_figures():
    """Within this block, every figure is computed from the records themselves (the definition), never
    from the ready rows: to check the rows against it."""
    token = _LIVE.set(True)
    try:
        yield
    finally:
        _LIVE.reset(token)


def uses_ready_rows() -> bool:
    """Whether the figures of whole years read the rows PostgreSQL keeps ready (``rapports.followed``).
    Not on SQLite, not for counts to date (``figures_to_date``: the rows hold whole years), not inside
    ``live_figures``."""
    return followed.is_maintained() and _TO_DATE.get() is None and not _LIVE.get()


def ready_rows_differences(years) -> list[str]:
    """Where the ready rows disagree with the definition, for each of ``years`` (empty: they agree):
    the people followed, every dimension of the profile, the appointments, the request types. Used by
    ``manage.py followed_years --check`` and by the tests; a query or two per year and path."""
    differences = []
    for year in years:
        ready_people = set(FollowedYear.objects.filter(year=year).values_list("person_id", flat=True))
        ready_profile, ready_types = followed_profile(year), request_type_figures(year)
        with live_figures():
            live_people = set(followed_people(year).values_list("id", flat=True))
            live_profile, live_types = followed_profile(year), request_type_figures(year)
        if ready_people != live_people:
            differences.append(
                _("%(year)s : personnes suivies en trop %(extra)s, manquantes %(missing)s")
                % {
                    "year": year,
                    "extra": sorted(ready_people - live_people)[:20],
                    "missing": sorted(live_people - ready_people)[:20],
                }
            )
        for key in sorted(set(ready_profile) | set(live_profile)):
            if ready_profile.get(key) != live_profile.get(key):
                differences.append(
                    _("%(year)s, %(what)s : %(ready)s au lieu de %(live)s")
                    % {
                        "year": year,
                        "what": key,
                        "ready": ready_profile.get(key),
                        "live": live_profile.get(key),
                    }
                )
        ready_types = {key: (row["n"], row["people"]) for key, row in ready_types.items()}
        live_types = {key: (row["n"], row["people"]) for key, row in live_types.items()}
        if ready_types != live_types:
            differences.append(
                _("%(year)s, types de demande : %(ready)s au lieu de %(live)s")
                % {"year": year, "ready": ready_types, "live": live_types}
            )
    return differences


def followed_profile(year: int) -> dict:
    """The people followed in ``year`` (and the year before), counted along every dimension the
    report needs, and the appointments of both years, in ONE query. Returns ``{dimension: {value:
    people}}`` for ``FOLLOWED_DIMENSIONS`` plus ``previous_nationality`` (the year before, by
    nationality), ``path_status`` leaving out the people without a path; and ``appointments``,
    ``appointments_previous`` (numbers). From the ready rows when there are, else computed live."""
    if uses_ready_rows():
        sql, params = _ready_profile_sql(year)
    else:
        sql, params = _live_profile_sql(year)
    profile = {name: {} for name in (*FOLLOWED_DIMENSIONS, "previous_nationality")}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for dimension, value, people, appointments in cursor.fetchall():
            if dimension in ("total", "previous_total"):
                profile["appointments" if dimension == "total" else "appointments_previous"] = int(
                    appointments or 0
                )
                continue
            if dimension == "path_status" and not value:
                continue
            if dimension in ("office", "opened") and value is not None:
                value = int(float(value))
            profile[dimension][value] = people
    return profile


PROFILE_COLUMNS = {
    "office": "office_id",
    "nationality": "nationality",
    "sex": "sex",
    "opened": "opened",
    "path_status": "path_status",
}


def _ready_profile_sql(year: int) -> tuple[str, tuple]:
    """One pass over each year's ready rows (GROUPING SETS): the dimensions and the totals of the year,
    the nationalities and the totals of the year before."""
    rows = FollowedYear._meta.db_table
    names = " ".join(f"WHEN GROUPING({column}) = 0 THEN '{name}'" for name, column in PROFILE_COLUMNS.items())
    values = " ".join(
        f"WHEN GROUPING({column}) = 0 THEN CAST({column} AS VARCHAR(20))"
        for column in PROFILE_COLUMNS.values()
    )
    sets = ", ".join(f"({column})" for column in PROFILE_COLUMNS.values())
    sql = (
        f"SELECT CASE {names} ELSE 'total' END, CASE {values} END, COUNT(*), SUM(appointments) "  # noqa: S608 (constant names)
        f"FROM {rows} WHERE year = %s GROUP BY GROUPING SETS ({sets}, ()) "
        "UNION ALL SELECT CASE WHEN GROUPING(nationality) = 0 THEN 'previous_nationality' "
        "ELSE 'previous_total' END, nationality, COUNT(*), SUM(appointments) "
        f"FROM {rows} WHERE year = %s GROUP BY GROUPING SETS ((nationality), ())"
    )
    return sql, (year, year - 1)


def _appointments_in(year: int):
    return Appointment.objects.filter(_moments_in("starts_at", year))


def _live_profile_sql(year: int) -> tuple[str, tuple]:
    """The definition itself: each year's followed people selected once, in a common table expression
    (compiled by the ORM, so the filter stays ``followed_filter``), then grouped along each dimension
    in a UNION ALL: one pass over the records whatever the number of figures."""
    current = (
        followed_people(year)
        .annotate(opened=ExtractYear("file_opened_on"), path_status=F("path__status"))
        .order_by()
        .values_list("id", "office_id", "nationality", "sex", "opened", "path_status")
    )
    previous = followed_people(year - 1).order_by().values_list("nationality")
    parts = [
        current.query.sql_with_params(),
        previous.query.sql_with_params(),
        _appointments_in(year).order_by().values_list("id").query.sql_with_params(),
        _appointments_in(year - 1).order_by().values_list("id").query.sql_with_params(),
    ]
    grouped = [
        f"SELECT '{name}', CAST({name} AS VARCHAR(20)), COUNT(*), 0 FROM followed GROUP BY {name}"  # noqa: S608 (constant names)
        for name in FOLLOWED_DIMENSIONS
    ]
    grouped += [
        "SELECT 'previous_nationality', nationality, COUNT(*), 0 FROM followed_before GROUP BY nationality",
        "SELECT 'total', NULL, 0, COUNT(*) FROM appointments_now",
        "SELECT 'previous_total', NULL, 0, COUNT(*) FROM appointments_before",
    ]
    (current_sql, _p1), (previous_sql, _p2), (now_sql, _p3), (before_sql, _p4) = parts
    sql = (
        f"WITH followed (id, {', '.join(FOLLOWED_DIMENSIONS)}) AS ({current_sql}), "
        f"followed_before (nationality) AS ({previous_sql}), "
        f"appointments_now (id) AS ({now_sql}), appointments_before (id) AS ({before_sql}) "
        + " UNION ALL ".join(grouped)
    )
    return sql, tuple(param for _sql, params in parts for param in params)


def request_type_figures(year: int) -> dict[int, dict]:
    """Appointments and people per request type in ``year``: ``{type id: {"n": …, "people": …}}``."""
    if uses_ready_rows():
        rows = (
            FollowedYearRequestType.objects.filter(year=year)
            .values("request_type")
            .annotate(n=Sum("appointments"), people=Count("*"))
            .order_by()
        )
        return {row["request_type"]: row for row in rows}
    start, end = dt.date(year, 1, 1), year_end(year)
    # From the M2M rows themselves: a (appointment, type) pair is unique, so no COUNT(DISTINCT) of
    # appointments over the join, only of people.
    rows = (
        Appointment.request_types.through.objects.filter(
            appointment__starts_at__gte=local_midnight(start), appointment__starts_at__lt=local_midnight(end)
        )
        .values("requesttype")
        .annotate(n=Count("id"), people=Count("appointment__person", distinct=True))
        .order_by()
    )
    return {row["requesttype"]: row for row in rows}


def _by_origin_group(nationalities: dict) -> dict:
    """People per origin group (Hors UE, UE, Belges, Apatrides) from people per nationality."""
    groups = Counter()
    for code, people in nationalities.items():
        groups[origin_group_for(code)] += people
    return dict(groups)


def _counts(queryset, field, *, count: str = "id") -> dict:
    """Rows of ``queryset`` per value of ``field``; with ``count``, the distinct values of that field
    instead (people, say)."""
    # COUNT(*), not COUNT(id): an index holding the filtered and grouped columns answers alone.
    counted = Count(count, distinct=True) if count != "id" else Count("*")
    return {row[field]: row["n"] for row in queryset.values(field).annotate(n=counted).order_by()}


def accompagnement_figures(year: int, *, profile: dict) -> dict:
    nationalities = profile["nationality"]
    followed = sum(nationalities.values())
    followed_previous = sum(profile["previous_nationality"].values())
    since = dict(sorted(profile["opened"].items(), key=lambda item: (item[0] is None, item[0] or 0)))
    groups_now = _by_origin_group(nationalities)
    groups_before = _by_origin_group(profile["previous_nationality"])
    top = sorted(nationalities.items(), key=lambda item: (-item[1], item[0]))[:5]
    sexes = profile["sex"]

    appointments = _appointments_in(year)
    by_request = request_type_figures(year)
    by_esf = {
        row["esf_action_type"]: row
        for row in appointments.exclude(esf_action_type=None)
        .values("esf_action_type")
        .annotate(n=Count("*"), people=Count("person", distinct=True))
        .order_by()
    }
    request_types = list(RequestType.objects.order_by("position"))
    esf_types = list(EsfActionType.objects.order_by("position"))

    return {
        "followed": followed,
        "followed_previous": followed_previous,
        "appointments": profile["appointments"],
        "appointments_previous": profile["appointments_previous"],
        "countries": len([code for code in nationalities if code]),
        "tables": [
            table(
                "suivis_depuis",
                _("Personnes suivies selon l'année d'ouverture du dossier"),
                [_("Année d'ouverture"), _("Personnes")],
                [[y, n] for y, n in since.items()],
            ),
            table(
                "types_demande",
                _("Rendez-vous par type de demande"),
                [_("Type de demande"), _("Rendez-vous"), _("Personnes")],
                [
                    [t.label, by_request.get(t.pk, {}).get("n", 0), by_request.get(t.pk, {}).get("people", 0)]
                    for t in request_types
                ],
            ),
            table(
                "fse",
                _("Dossiers FSE par type d'action"),
                [_("Type d'action"), _("Rendez-vous"), _("Personnes")],
                [
                    [t.label, by_esf.get(t.pk, {}).get("n", 0), by_esf.get(t.pk, {}).get("people", 0)]
                    for t in esf_types
                ],
            ),
            table(
                "origines",
                _("Groupes d'origine"),
                [_("Groupe"), str(year), str(year - 1)],
                [
                    [label, groups_now.get(value, 0), groups_before.get(value, 0)]
                    for value, label in OriginGroup.choices
                ],
            ),
            table(
                "top_pays",
                _("Les cinq nationalités les plus représentées"),
                [_("Nationalité"), _("Personnes")],
                [[_country_name(code), n] for code, n in top],
            ),
            table(
                "sexe",
                _("Répartition par sexe"),
                [_("Sexe"), _("Personnes")],
                [[label, sexes.get(value, 0)] for value, label in Sex.choices],
            ),
        ],
    }


def _country_name(code: str) -> str:
    return str(_("Apatride")) if code == STATELESS else str(dict(countries).get(code, code))


def path_figures(year: int, *, profile: dict) -> dict:
    start, end = dt.date(year, 1, 1), year_end(year)
    components = PathComponent.objects.filter(state=ComponentState.DONE, done_on__gte=start, done_on__lt=end)
    done = _counts(components, "kind")
    statuses = profile["path_status"]
    sessions = CollectiveSession.objects.filter(
        starts_at__gte=local_midnight(start), starts_at__lt=local_midnight(end)
    )
    session_rows = {
        row["kind"]: row
        for row in sessions.values("kind")
        .annotate(
            n=Count("id", distinct=True),
            participants=Count("attendances", filter=Q(attendances__attended=True)),
        )
        .order_by()
    }
    tests = LanguageTest.objects.filter(taken_on__gte=start, taken_on__lt=end)
    levels = _counts(tests, "overall")
    duos = _counts(
        Duo.objects.filter(starts_on__lt=end).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start)), "kind"
    )
    from parcours.choices import CefrLevel, ComponentKind, DuoKind

    return {
        "attestations": Path.objects.filter(
            attestation_delivered_on__gte=start, attestation_delivered_on__lt=end
        ).count(),
        "conventions": Path.objects.filter(
            convention_signed_on__gte=start, convention_signed_on__lt=end
        ).count(),
        "tests": sum(levels.values()),
        "tables": [
            table(
                "statuts",
                _("Statut des personnes suivies dans le parcours"),
                [_("Statut"), _("Personnes")],
                [[label, statuses.get(value, 0)] for value, label in PathStatus.choices],
            ),
            table(
                "actions_parcours",
                _("Actions réalisées dans le parcours d'intégration"),
                [_("Composante"), _("Réalisées dans l'année")],
                [[label, done.get(value, 0)] for value, label in ComponentKind.choices],
            ),
            table(
                "seances_collectives",
                _("Séances collectives"),
                [_("Type"), _("Séances"), _("Participant·e·s")],
                [
                    [
                        label,
                        session_rows.get(value, {}).get("n", 0),
                        session_rows.get(value, {}).get("participants", 0),
                    ]
                    for value, label in SessionKind.choices
                ],
            ),
            table(
                "tests_langue",
                _("Tests de positionnement en français (niveau global)"),
                [_("Niveau"), _("Tests")],
                [[label, levels.get(value, 0)] for value, label in CefrLevel.choices],
            ),
            table(
                "duos",
                _("Duos actifs dans l'année"),
                [_("Type"), _("Duos")],
                [[label, duos.get(value, 0)] for value, label in DuoKind.choices],
            ),
        ],
    }


def office_figures(year: int, *, profile: dict) -> list[dict]:
    """Per reception office: permanence, people followed, relayed by the communes (and obliged among
    them), citizenship trainings held on its territory."""
    start, end = dt.date(year, 1, 1), year_end(year)
    offices = list(Office.objects.prefetch_related("permanence_rules").order_by("name"))
    followed = profile["office"]
    relayed_rows = NewcomerListRow.objects.filter(
        newcomer_list__period_start__lt=end, newcomer_list__period_end__gte=start
    )
    relayed = {
        row["office"]: row
        for row in relayed_rows.values("office")
        .annotate(n=Count("id"), obliged=Count("id", filter=Q(computed_status=PathStatus.OBLIGED)))
        .order_by()
    }
    citizenship = _counts(
        HoursRecord.objects.filter(component="citoyennete", period_end__gte=start, period_start__lt=end),
        "path__person__office",
        count="path__person",
    )
    result = []
    for office in offices:
        rules = [describe_rule(rule) for rule in office.permanence_rules.all()]
        result.append(
            {
                "name": office.name,
                "slug": office.slug,
                "permanence": "; ".join(rules) or str(_("sur rendez-vous")),
                "followed": followed.get(office.pk, 0),
                "relayed": relayed.get(office.pk, {}).get("n", 0),
                "relayed_obliged": relayed.get(office.pk, {}).get("obliged", 0),
                "citizenship_people": citizenship.get(office.pk, 0),
            }
        )
    return result


# ---------------------------------------------------------------------------------------------
# The other chapters: coordination, trainings and awareness, interpellations, governance, annexes.
# Each function issues a fixed number of queries; the lists it returns (one row per meeting, session,
# action…) are split into tables in Python, never counted row by row.


def _date(value) -> str:
    """dd/mm/yyyy (a datetime is read in the centre's time zone first)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def _date_range(start, end) -> str:
    """One date, or a session over several days written short: ``01–02/10/2025``,
    ``30/09–01/10/2025``, ``30/12/2025–02/01/2026``."""
    if isinstance(start, dt.datetime):
        start = timezone.localtime(start).date()
    if isinstance(end, dt.datetime):
        end = timezone.localtime(end).date()
    if end is None or end == start:
        return _date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%d}–{_date(end)}"
    if start.year == end.year:
        return f"{start:%d/%m}–{_date(end)}"
    return f"{_date(start)}–{_date(end)}"


def _month(value: dt.date) -> str:
    """The month in French (« Mars »)."""
    return formats.date_format(value, "F").capitalize()


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """1 January ``year`` 00:00 and 1 January ``year + 1`` 00:00 in the centre's time zone."""
    zone = timezone.get_current_timezone()
    return (dt.datetime(year, 1, 1, tzinfo=zone), local_midnight(year_end(year)))


def _dates_in(field: str, year: int) -> Q:
    """``field`` (a date) falls in ``year``."""
    return Q(**{f"{field}__gte": dt.date(year, 1, 1), f"{field}__lt": year_end(year)})


def _moments_in(field: str, year: int) -> Q:
    """``field`` (an aware datetime) falls in ``year``, local time."""
    start, end = _year_bounds(year)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _person_name(first: str | None, last: str | None, username: str | None = "") -> str:
    return " ".join(part for part in (first, last) if part) or (username or "")


def _evolution(current, previous) -> str:
    """'+12 %' style change from the previous year ('—' when there is nothing to compare)."""
    if not previous:
        return "—"
    change = round(100 * (current - previous) / previous)
    return f"{change:+d}\u00a0%".replace("-", "−")


def group_figures(year: int) -> dict:
    """Platforms, working groups and local coordinations: meetings held in the year and the distinct
    people and organisations who attended them (one query). A closed group appears only when it met
    during the year. Organisations are counted once per directory operator, plus once per distinct
    free-text organisation of attendees outside the directory."""
    in_year = _moments_in("meetings__starts_at", year)
    attendee_in_year = in_year & Q(meetings__attendees__isnull=False)
    groups = (
        Group.objects.annotate(
            meetings_held=Count("meetings", filter=in_year, distinct=True),
            people=Count(Lower("meetings__attendees__name"), filter=attendee_in_year, distinct=True),
            operators=Count("meetings__attendees__operator", filter=attendee_in_year, distinct=True),
            other_organisations=Count(
                Lower("meetings__attendees__organisation"),
                filter=attendee_in_year
                & Q(meetings__attendees__operator__isnull=True)
                & ~Q(meetings__attendees__organisation=""),
                distinct=True,
            ),
        )
        .filter(~Q(status=GroupStatus.CLOSED) | Q(meetings_held__gt=0))
        .values(
            "kind",
            "name",
            "status",
            "office__name",
            "meetings_held",
            "people",
            "operators",
            "other_organisations",
        )
        .order_by("kind", "office__name", Lower("name"))
    )
    statuses = dict(GroupStatus.choices)
    by_kind = {value: [] for value in GroupKind.values}
    meetings = 0
    for group in groups:
        meetings += group["meetings_held"]
        cells = [
            group["name"],
            statuses.get(group["status"], group["status"]),
            group["meetings_held"],
            group["people"],
            group["operators"] + group["other_organisations"],
        ]
        if group["kind"] == GroupKind.LOCAL_COORDINATION:
            cells.insert(0, group["office__name"] or str(_("Province")))
        by_kind[group["kind"]].append(cells)
    counts = [_("Réunions en %(year)s") % {"year": year}, _("Participant·e·s"), _("Organisations")]
    return {
        "meetings": meetings,
        "tables": [
            table(
                "plateformes",
                _("Plateformes thématiques"),
                [_("Plateforme"), _("État"), *counts],
                by_kind[GroupKind.PLATFORM],
                _("Participant·e·s et organisations distinctes présentes aux réunions de l'année."),
            ),
            table(
                "groupes_travail",
                _("Groupes de travail"),
                [_("Groupe de travail"), _("État"), *counts],
                by_kind[GroupKind.WORKING_GROUP],
            ),
            table(
                "coordinations_locales",
                _("Coordinations locales par territoire"),
                [_("Territoire (bureau)"), _("Coordination"), _("État"), *counts],
                by_kind[GroupKind.LOCAL_COORDINATION],
            ),
        ],
    }


def operator_support_figures(year: int) -> dict:
    """Support actions per kind and distinct operators supported, this year and the year before
    (three queries: per kind, the totals, operators per kind)."""
    now, before = _dates_in("date", year), _dates_in("date", year - 1)
    measures = {
        "actions": Count("id", filter=now),
        "operators": Count("operator", filter=now, distinct=True),
        "actions_before": Count("id", filter=before),
        "operators_before": Count("operator", filter=before, distinct=True),
    }
    actions = SupportAction.objects.filter(date__gte=dt.date(year - 1, 1, 1), date__lt=year_end(year))
    per_kind = {row["kind"]: row for row in actions.values("kind").annotate(**measures).order_by()}
    totals = actions.aggregate(**measures)
    names = ["actions", "operators", "actions_before", "operators_before"]
    support_rows = [
        [label, *(per_kind.get(value, {}).get(name, 0) for name in names)]
        for value, label in SupportKind.choices
    ]
    support_rows.append([_("Total (opérateurs distincts)"), *(totals[name] for name in names)])

    by_kind = {
        row["kind"]: row
        for row in Operator.objects.values("kind")
        .annotate(
            active=Count("id", filter=Q(active=True), distinct=True),
            supported=Count("id", filter=_dates_in("support_actions__date", year), distinct=True),
        )
        .order_by()
    }
    return {
        "operators_supported": totals["operators"],
        "operators_supported_previous": totals["operators_before"],
        "support_actions": totals["actions"],
        "tables": [
            table(
                "soutien_operateurs",
                _("Soutien aux opérateurs par type d'action"),
                [
                    _("Type de soutien"),
                    _("Actions %(year)s") % {"year": year},
                    _("Opérateurs %(year)s") % {"year": year},
                    _("Actions %(year)s") % {"year": year - 1},
                    _("Opérateurs %(year)s") % {"year": year - 1},
                ],
                support_rows,
                _("Un opérateur soutenu de plusieurs façons n'est compté qu'une fois dans le total."),
            ),
            table(
                "operateurs_types",
                _("Opérateurs du réseau par type"),
                [_("Type d'opérateur"), _("Opérateurs actifs"), _("Soutenus en %(year)s") % {"year": year}],
                [
                    [
                        label,
                        by_kind.get(value, {}).get("active", 0),
                        by_kind.get(value, {}).get("supported", 0),
                    ]
                    for value, label in OperatorKind.choices
                ],
            ),
        ],
    }


def coordination_figures(year: int) -> dict:
    groups = group_figures(year)
    support = operator_support_figures(year)
    return {
        "meetings": groups["meetings"],
        "operators_supported": support["operators_supported"],
        "operators_supported_previous": support["operators_supported_previous"],
        "support_actions": support["support_actions"],
        "tables": [*groups["tables"], *support["tables"]],
    }


# When a training session takes place: its new date once postponed, else its planned start.
SCHEDULED_AT = Coalesce("postponed_to", "starts_at")


def _modality(online: bool, place: str) -> str:
    if online:
        return str(_("En ligne"))
    return str(_("Présentiel")) + (f" ({place})" if place else "")


def _trainers_by_session(session_ids) -> dict[int, tuple[list[str], list[str]]]:
    """Per session: the staff trainers' names and the external speakers' « name (organisation) »."""
    result: dict[int, tuple[list[str], list[str]]] = {}
    rows = (
        Trainer.objects.filter(session_id__in=session_ids)
        .values(
            "session_id", "user__first_name", "user__last_name", "user__username", "name", "operator__name"
        )
        .order_by("session_id", "id")
    )
    for row in rows:
        internal, external = result.setdefault(row["session_id"], ([], []))
        if row["user__username"]:
            internal.append(
                _person_name(row["user__first_name"], row["user__last_name"], row["user__username"])
            )
        else:
            external.append(row["name"] + (f" ({row['operator__name']})" if row["operator__name"] else ""))
    return result


def _requester(row) -> str:
    return row["training__on_request_for__name"] or row["training__on_request_for_name"]


ON_REQUEST = Q(training__on_request_for__isnull=False) | ~Q(training__on_request_for_name="")
SESSION_FIELDS = (
    "pk",
    "training__title",
    "training__on_request_for__name",
    "training__on_request_for_name",
    "starts_at",
    "ends_at",
    "postponed_to",
    "online",
    "place",
    "capacity",
    "status",
    "cancellation_reason",
)


def training_figures(year: int) -> dict:
    """Sessions held (catalogue and on request), postponed, cancelled; next year's programme; sessions per
    state this year and the year before (five queries). A session counts in the year it takes place:
    at its new date once postponed. A postponed session is listed as postponed in the year it was first
    planned, whatever happened next."""
    sessions = TrainingSession.objects.annotate(scheduled_at=SCHEDULED_AT)
    registered = Q(registrations__status=RegistrationStatus.REGISTERED)
    held = (
        sessions.filter(_moments_in("scheduled_at", year), status=SessionStatus.HELD)
        .annotate(
            registered=Count("registrations", filter=registered, distinct=True),
            present=Count("registrations", filter=Q(registrations__attended=True), distinct=True),
        )
        .values(*SESSION_FIELDS, "scheduled_at", "registered", "present")
        .order_by("scheduled_at", "pk")
    )
    held = list(held)
    on_request = list(
        sessions.filter(ON_REQUEST, _moments_in("scheduled_at", year))
        .exclude(status=SessionStatus.HELD)
        .values(*SESSION_FIELDS, "scheduled_at")
        .order_by("scheduled_at", "pk")
    )
    trainers = _trainers_by_session([row["pk"] for row in held])
    changed = list(
        sessions.filter(
            (Q(postponed_to__isnull=False) & _moments_in("starts_at", year))
            | (Q(status=SessionStatus.CANCELLED) & _moments_in("scheduled_at", year))
        )
        .values(*SESSION_FIELDS)
        .order_by("starts_at", "pk")
    )
    programme = list(
        sessions.filter(_moments_in("scheduled_at", year + 1))
        .exclude(status=SessionStatus.CANCELLED)
        .values(*SESSION_FIELDS, "scheduled_at")
        .order_by("scheduled_at", "pk")
    )

    def per_state(y):
        return {
            SessionStatus.HELD: Count(
                "id", filter=Q(status=SessionStatus.HELD) & _moments_in("scheduled_at", y)
            ),
            SessionStatus.PLANNED: Count(
                "id", filter=Q(status=SessionStatus.PLANNED) & _moments_in("scheduled_at", y)
            ),
            SessionStatus.POSTPONED: Count(
                "id", filter=Q(postponed_to__isnull=False) & _moments_in("starts_at", y)
            ),
            SessionStatus.CANCELLED: Count(
                "id", filter=Q(status=SessionStatus.CANCELLED) & _moments_in("scheduled_at", y)
            ),
        }

    now = before = sessions.aggregate(
        **{f"now_{k}": v for k, v in per_state(year).items()},
        **{f"before_{k}": v for k, v in per_state(year - 1).items()},
    )
    statuses = dict(SessionStatus.choices)

    catalogue_rows, request_rows = [], []
    for row in held:
        internal, external = trainers.get(row["pk"], ([], []))
        if _requester(row):
            request_rows.append(row)
            continue
        catalogue_rows.append(
            [
                row["training__title"],
                _session_dates(row),
                _modality(row["online"], row["place"]),
                ", ".join(internal),
                ", ".join(external),
                row["registered"],
                row["present"],
            ]
        )
    requested = sorted(request_rows + on_request, key=lambda row: (row["scheduled_at"], row["pk"]))
    return {
        "held": now[f"now_{SessionStatus.HELD}"],
        "held_previous": before[f"before_{SessionStatus.HELD}"],
        "attendance": sum(row["present"] for row in held),
        "tables": [
            table(
                "formations_tenues",
                _("Formations du catalogue tenues en %(year)s") % {"year": year},
                [
                    _("Formation"),
                    _("Date(s)"),
                    _("Modalité"),
                    _("Équipe"),
                    _("Intervenant·e·s externes"),
                    _("Inscrit·e·s"),
                    _("Présent·e·s"),
                ],
                catalogue_rows,
            ),
            table(
                "formations_demande",
                _("Formations à la demande"),
                [_("Formation"), _("Demandeur"), _("Date(s)"), _("État"), _("Présent·e·s")],
                [
                    [
                        row["training__title"],
                        _requester(row),
                        _session_dates(row),
                        statuses.get(row["status"], row["status"]),
                        row.get("present", "—"),
                    ]
                    for row in requested
                ],
            ),
            table(
                "formations_reportees_annulees",
                _("Sessions reportées ou annulées"),
                [_("Formation"), _("Date prévue"), _("État"), _("Nouvelle date ou motif")],
                [
                    [
                        row["training__title"],
                        _date(row["starts_at"]),
                        str(_("Annulée")) if row["status"] == SessionStatus.CANCELLED else str(_("Reportée")),
                        row["cancellation_reason"]
                        if row["status"] == SessionStatus.CANCELLED
                        else _date(row["postponed_to"]),
                    ]
                    for row in changed
                ],
            ),
            table(
                "formations_etats",
                _("Sessions de formation par état"),
                [_("État"), str(year), str(year - 1)],
                [
                    [statuses[state], now[f"now_{state}"], before[f"before_{state}"]]
                    for state in (
                        SessionStatus.HELD,
                        SessionStatus.PLANNED,
                        SessionStatus.POSTPONED,
                        SessionStatus.CANCELLED,
                    )
                ],
                _(
                    "Une session reportée est comptée l'année où elle était prévue, et tenue l'année où elle a eu lieu."
                ),
            ),
            table(
                "programme",
                _("Programme des formations %(year)s") % {"year": year + 1},
                [_("Date(s)"), _("Formation"), _("Modalité"), _("Places")],
                [
                    [
                        _session_dates(row),
                        row["training__title"],
                        _modality(row["online"], row["place"]),
                        row["capacity"] if row["capacity"] is not None else "—",
                    ]
                    for row in programme
                ],
            ),
        ],
    }


def _session_dates(row) -> str:
    if row["postponed_to"]:
        return _date(row["postponed_to"])
    return _date_range(row["starts_at"], row["ends_at"])


def awareness_figures(year: int) -> dict:
    """Awareness actions and events, and publications, of the year (one query)."""
    actions = list(
        AwarenessAction.objects.filter(_dates_in("date", year))
        .values("kind", "title", "date", "partners", "audience")
        .order_by("date", "id")
    )
    kinds = dict(AwarenessKind.choices)
    events = [a for a in actions if a["kind"] != AwarenessKind.PUBLICATION]
    publications = [a for a in actions if a["kind"] == AwarenessKind.PUBLICATION]
    return {
        "actions": len(events),
        "publications": len(publications),
        "audience": sum(a["audience"] or 0 for a in events),
        "tables": [
            table(
                "sensibilisation",
                _("Actions de sensibilisation et événements"),
                [_("Type"), _("Date"), _("Titre"), _("Partenaires"), _("Public touché")],
                [
                    [
                        kinds.get(a["kind"], a["kind"]),
                        _date(a["date"]),
                        a["title"],
                        a["partners"],
                        a["audience"] if a["audience"] is not None else "—",
                    ]
                    for a in events
                ],
            ),
            table(
                "publications",
                _("Publications"),
                [_("Date"), _("Titre"), _("Partenaires")],
                [[_date(a["date"]), a["title"], a["partners"]] for a in publications],
            ),
        ],
    }


def formation_figures(year: int) -> dict:
    trainings = training_figures(year)
    awareness = awareness_figures(year)
    tables = {t["key"]: t for t in [*trainings["tables"], *awareness["tables"]]}
    order = [
        "formations_tenues",
        "formations_reportees_annulees",
        "formations_demande",
        "formations_etats",
        "sensibilisation",
        "publications",
        "programme",
    ]
    return {
        "held": trainings["held"],
        "held_previous": trainings["held_previous"],
        "attendance": trainings["attendance"],
        "awareness_actions": awareness["actions"],
        "publications": awareness["publications"],
        "audience": awareness["audience"],
        "tables": [tables[key] for key in order],
    }


def interpellation_figures(year: int) -> dict:
    """Each interpellation of the year by level (month, title, kind, commune) and the counts per level
    beside the year before's (two queries)."""
    rows = list(
        Interpellation.objects.filter(_dates_in("date", year))
        .values("level", "date", "title", "kind", "commune__name")
        .order_by("date", "title", "id")
    )
    counts = Interpellation.objects.aggregate(
        **{
            f"{name}_{value}": Count("id", filter=Q(level=value) & _dates_in("date", y))
            for value in Level.values
            for name, y in (("now", year), ("before", year - 1))
        }
    )
    kinds = dict(InterpellationKind.choices)
    per_level = [
        table(
            f"interpellations_{value}",
            _("Niveau %(level)s") % {"level": str(label).lower()},
            [_("Mois"), _("Titre"), _("Type"), _("Commune")],
            [
                [
                    _month(row["date"]),
                    row["title"],
                    kinds.get(row["kind"], row["kind"]),
                    row["commune__name"] or "",
                ]
                for row in rows
                if row["level"] == value
            ],
        )
        for value, label in Level.choices
    ]
    total = sum(counts[f"now_{value}"] for value in Level.values)
    total_before = sum(counts[f"before_{value}"] for value in Level.values)
    return {
        "total": total,
        "total_previous": total_before,
        "tables": [
            table(
                "interpellations_niveaux",
                _("Interpellations par niveau de pouvoir"),
                [_("Niveau"), str(year), str(year - 1)],
                [
                    *(
                        [label, counts[f"now_{value}"], counts[f"before_{value}"]]
                        for value, label in Level.choices
                    ),
                    [_("Total"), total, total_before],
                ],
            ),
            *per_level,
        ],
    }


def gestion_figures(year: int) -> dict:
    """Governance meetings of the year per body, with their dates (one query)."""
    dates: dict[str, list[dt.date]] = {value: [] for value in GovernanceKind.values}
    for row in (
        GovernanceMeeting.objects.filter(_dates_in("date", year)).values("kind", "date").order_by("date")
    ):
        dates.setdefault(row["kind"], []).append(row["date"])
    return {
        "tables": [
            table(
                "gouvernance",
                _("Réunions des instances"),
                [_("Instance"), _("Réunions"), _("Dates")],
                [
                    [label, len(dates[value]), ", ".join(_date(d) for d in dates[value]) or "—"]
                    for value, label in GovernanceKind.choices
                ],
            )
        ]
    }


def annex_figures(year: int) -> dict:
    """The team on 1 January of the next year (who had started and not yet left), and the glossary
    (two queries)."""
    day = dt.date(year + 1, 1, 1)
    team_order = {value: index for index, value in enumerate(Team.values)}
    team_labels = dict(Team.choices)
    staff = sorted(
        StaffMember.objects.filter(Q(since__isnull=True) | Q(since__lte=day))
        .filter(Q(until__isnull=True) | Q(until__gte=day))
        .values("name", "team", "function"),
        key=lambda row: (team_order.get(row["team"], 99), row["name"].lower()),
    )
    acronyms = Acronym.objects.values_list("acronym", "meaning").order_by("acronym")
    return {
        "team_size": len(staff),
        "tables": [
            table(
                "equipe",
                _("L'équipe au 1er janvier %(year)s") % {"year": year + 1},
                [_("Nom"), _("Équipe"), _("Fonction")],
                [[row["name"], team_labels.get(row["team"], row["team"]), row["function"]] for row in staff],
            ),
            table(
                "sigles",
                _("Glossaire des sigles"),
                [_("Sigle"), _("Signification")],
                [list(a) for a in acronyms],
            ),
        ],
    }


def previous_year_figures(year: int) -> dict:
    """What the comparison table needs beyond the chapters' figures: SIDD sessions and participants,
    attestations, this year and the year before (two queries)."""
    sidd = CollectiveSession.objects.filter(kind=SessionKind.SIDD).aggregate(
        sessions_now=Count("id", filter=_moments_in("starts_at", year), distinct=True),
        sessions_before=Count("id", filter=_moments_in("starts_at", year - 1), distinct=True),
        people_now=Count(
            "attendances", filter=_moments_in("starts_at", year) & Q(attendances__attended=True)
        ),
        people_before=Count(
            "attendances", filter=_moments_in("starts_at", year - 1) & Q(attendances__attended=True)
        ),
    )
    attestations = Path.objects.aggregate(
        now=Count("id", filter=_dates_in("attestation_delivered_on", year)),
        before=Count("id", filter=_dates_in("attestation_delivered_on", year - 1)),
    )
    return {"sidd": sidd, "attestations": attestations}


def comparison_table(year: int, *, accompagnement, formation, interpellation) -> dict:
    """The year's main figures beside the year before's."""
    extra = previous_year_figures(year)
    lines = [
        (_("Personnes suivies"), accompagnement["followed"], accompagnement["followed_previous"]),
        (
            _("Rendez-vous individuels"),
            accompagnement["appointments"],
            accompagnement["appointments_previous"],
        ),
        (_("Séances SIDD"), extra["sidd"]["sessions_now"], extra["sidd"]["sessions_before"]),
        (_("Participant·e·s aux SIDD"), extra["sidd"]["people_now"], extra["sidd"]["people_before"]),
        (_("Attestations délivrées"), extra["attestations"]["now"], extra["attestations"]["before"]),
        (_("Sessions de formation tenues"), formation["held"], formation["held_previous"]),
        (_("Interpellations"), interpellation["total"], interpellation["total_previous"]),
    ]
    return table(
        "comparaison",
        _("L'année %(year)s en chiffres, comparée à %(previous)s") % {"year": year, "previous": year - 1},
        [_("Indicateur"), str(year), str(year - 1), _("Évolution")],
        [[label, now, before, _evolution(now, before)] for label, now, before in lines],
    )


def report_figures(*, year: int) -> dict:
    """Every figure of the report for ``year`` (plain data: numbers, strings, lists).

    ``tables`` holds the comparison with the year before and the accompaniment chapter's tables; each
    other chapter has its own list (``coordination_tables``, ``formation_tables``,
    ``interpellation_tables``, ``gestion_tables``, ``annex_tables``). ``TABLE_GROUPS`` names them all.
    """
    profile = followed_profile(year)
    accompagnement = accompagnement_figures(year, profile=profile)
    path = path_figures(year, profile=profile)
    offices = office_figures(year, profile=profile)
    coordination = coordination_figures(year)
    formation = formation_figures(year)
    interpellation = interpellation_figures(year)
    gestion = gestion_figures(year)
    annexes = annex_figures(year)
    comparison = comparison_table(
        year, accompagnement=accompagnement, formation=formation, interpellation=interpellation
    )
    office_table = table(
        "bureaux",
        _("Par bureau d'accueil"),
        [
            _("Bureau"),
            _("Permanence"),
            _("Personnes suivies"),
            _("Relayées par les communes"),
            _("dont obligées"),
            _("Formation citoyenne (personnes)"),
        ],
        [
            [
                o["name"],
                o["permanence"],
                o["followed"],
                o["relayed"],
                o["relayed_obliged"],
                o["citizenship_people"],
            ]
            for o in offices
        ],
    )
    return {
        "year": year,
        "next_year": year + 1,
        "method_note": str(METHOD_NOTE),
        "accompagnement": accompagnement,
        "path": path,
        "offices": offices,
        "coordination": {k: v for k, v in coordination.items() if k != "tables"},
        "formation": {k: v for k, v in formation.items() if k != "tables"},
        "interpellation": {k: v for k, v in interpellation.items() if k != "tables"},
        "annexes": {k: v for k, v in annexes.items() if k != "tables"},
        "comparison": comparison,
        "tables": [comparison, *accompagnement["tables"], *path["tables"], office_table],
        "coordination_tables": coordination["tables"],
        "formation_tables": formation["tables"],
        "interpellation_tables": interpellation["tables"],
        "gestion_tables": gestion["tables"],
        "annex_tables": annexes["tables"],
    }


TABLE_GROUPS = (
    "tables",
    "coordination_tables",
    "formation_tables",
    "interpellation_tables",
    "gestion_tables",
    "annex_tables",
)


def all_tables(figures: dict) -> list[dict]:
    """Every table of the report in reading order (the exports write them all)."""
    return [t for group in TABLE_GROUPS for t in figures.get(group, [])]


# ---------------------------------------------------------------------------------------------
# The director's dashboard: the same figures, live, for a page.

DASHBOARD_CACHE_SECONDS = 300
DASHBOARD_TABLES = ("comparaison", "bureaux", "origines", "sexe", "types_demande", "statuts")


def _table_value(table_: dict | None, label, column: int = 1):
    """The value in ``column`` of the row labelled ``label`` (0 when the table has no such row)."""
    for row in (table_ or {}).get("rows", []):
        if row and row[0] == str(label):
            return row[column]
    return 0


def dashboard_figures(*, year: int, refresh: bool = False) -> dict:
    """The dashboard's figures for ``year``: ``report_figures`` (the report's own selectors, a fixed
    number of queries), the key figures the page shows first, the tables its charts are drawn from, and
    ``computed_at`` (aware datetime). The current year is counted to date (``until``: today), and the
    years before up to the same day, so that the comparison is like for like (``figures_to_date``).

    Kept in the cache for ``DASHBOARD_CACHE_SECONDS`` per year and language, since computing every
    figure takes seconds on a full database; ``refresh`` computes them again and replaces the cached
    copy."""
    key = f"rapports:dashboard:{year}:{get_language()}"
    if not refresh:
        cached = cache.get(key)
        if cached is not None:
            return cached
    today = timezone.localdate()
    until = today if year == today.year else None
    if until:
        with figures_to_date(until):
            figures = report_figures(year=year)
    else:
        figures = report_figures(year=year)
    tables = {t["key"]: t for group in TABLE_GROUPS for t in figures.get(group, [])}
    comparison = figures["comparison"]
    key_figures = [
        {"label": row[0], "value": row[1], "previous": row[2], "evolution": row[3]}
        for row in comparison["rows"]
    ]
    path, coordination = figures["path"], figures["coordination"]
    key_figures += [
        {
            "label": str(_("Personnes obligées suivies")),
            "value": _table_value(tables.get("statuts"), PathStatus.OBLIGED.label),
        },
        {"label": str(_("Conventions signées")), "value": path["conventions"]},
        {"label": str(_("Tests de français")), "value": path["tests"]},
        {"label": str(_("Réunions des plateformes et groupes")), "value": coordination["meetings"]},
    ]
    data = {
        "year": year,
        "until": until,
        "computed_at": timezone.now(),
        "key_figures": key_figures,
        "tables": tables,
        "figures": figures,
    }
    cache.set(key, data, DASHBOARD_CACHE_SECONDS)
    return data
