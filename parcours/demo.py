"""The integration-path part of the demo year (called by ``load_demo`` through its extension hook):
paths for the demo people with realistic progress, SIDD and ISP sessions with attendance, French
tests, training hours, conventions, evaluation interviews, attestations and mentoring duos."""

import datetime as dt
import random
from decimal import Decimal

from auditlog.context import disable_auditlog
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from accompagnement.demo import demo_people, is_working_day
from accompagnement.models import Office

from . import services
from .choices import CitizenshipFormat, ComponentKind, ComponentState, DuoKind, HoursSource, SessionKind
from .models import (
    CollectiveSession,
    DispensationReason,
    Duo,
    DuoMeeting,
    EvaluationInterview,
    HoursRecord,
    LanguageTest,
    Path,
    PathComponent,
    SessionAttendance,
)

LEVELS = [("preA1", 20), ("A1", 35), ("A2", 25), ("B1", 15), ("B2", 5)]
MENTORS = [
    "Anne Lambert",
    "Jean Dubois",
    "Marie Claes",
    "Luc Renard",
    "Nadia Benali",
    "Paul Martin",
    "Emma Petit",
]
OPERATORS = [
    "ILI Lire et Écrire Namur",
    "ILI Alpha Andenne",
    "CPAS de Sambreville",
    "Promotion sociale Dinant",
    "ASBL Le Monde des Possibles",
]


def first_working_day_from(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def aware(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


def extend_demo(*, seed: int, today: dt.date, staff: dict) -> str:
    """Build the path demo data. Auditing is off: these rows are generated, not anyone's action."""
    with disable_auditlog():
        return _extend_demo(seed=seed, today=today)


def _extend_demo(*, seed: int, today: dt.date) -> str:
    rng = random.Random(seed + 17)
    offices = list(Office.objects.prefetch_related("staff"))
    counsellors = {o.pk: [u for u in o.staff.all() if u.is_counsellor] for o in offices}
    sessions = _sessions(rng, offices, counsellors, today)
    people = list(
        demo_people().select_related("office").exclude(residence_card="").exclude(registration_date=None)
    )
    paths = _paths(rng, people, today)
    _progress(rng, paths, sessions, counsellors, today)
    for path in paths:
        services.path_refresh(path=path)
    delivered = _attestations(rng, paths, today)
    duos = _duos(rng, [p.person for p in paths], today)
    return _(
        "Parcours : %(paths)s parcours, %(sessions)s séances collectives, %(delivered)s attestations, %(duos)s duos."
    ) % {"paths": len(paths), "sessions": len(sessions), "delivered": delivered, "duos": duos}


def _sessions(rng, offices, counsellors, today) -> list[CollectiveSession]:
    """A SIDD each month in every office with counsellors, an ISP information session every other month."""
    rows = []
    start = today.replace(month=1, day=1) - relativedelta(years=1)
    month = start
    while month <= today + relativedelta(months=1):
        for office in offices:
            staff = counsellors.get(office.pk)
            if not staff:
                continue
            day = first_working_day_from(month + dt.timedelta(days=rng.randint(5, 20)))
            rows.append(
                CollectiveSession(
                    kind=SessionKind.SIDD,
                    title="Droits et devoirs",
                    starts_at=aware(day, 9),
                    duration_minutes=180,
                    office=office,
                    place=_("Bureau de %(office)s") % {"office": office.name},
                    facilitator=staff[0],
                )
            )
            if month.month % 2 == 0:
                day = first_working_day_from(day + dt.timedelta(days=7))
                rows.append(
                    CollectiveSession(
                        kind=SessionKind.ISP,
                        title="Trouver un emploi en Belgique",
                        starts_at=aware(day, 13),
                        duration_minutes=180,
                        office=office,
                        online=rng.random() < 0.3,
                        facilitator_name="FOREM",
                    )
                )
        month += relativedelta(months=1)
    return CollectiveSession.objects.bulk_create(rows)


def _paths(rng, people, today) -> list[Path]:
    reasons = list(DispensationReason.objects.all())
    created = []
    for person in people:
        if rng.random() < 0.15:
            continue  # not every person followed has opened a path
        path = Path(
            person=person,
            opened_on=min(today, person.registration_date + dt.timedelta(days=rng.randint(20, 90))),
        )
        path.voluntary = rng.random() < 0.08
        if rng.random() < 0.06:
            path.dispensation = rng.choice(reasons)
        services._apply_decision(path, services.decide_for(person, path, on=today))
        if path.computed_status == "hors_champ" and not path.voluntary and rng.random() < 0.8:
            continue  # files outside the definition rarely get a path
        created.append(path)
    Path.objects.bulk_create(created)
    PathComponent.objects.bulk_create(
        [PathComponent(path=p, kind=k) for p in created for k in ComponentKind.values]
    )
    return created


def _progress(rng, paths, sessions, counsellors, today):
    by_office = {}
    for session in sessions:
        if session.kind == SessionKind.SIDD:
            by_office.setdefault(session.office_id, []).append(session)
    manual, tests, attendances, hours, evaluations = [], [], [], [], []
    components = {(c.path_id, c.kind): c for c in PathComponent.objects.filter(path__in=paths)}
    for path in paths:
        person = path.person
        start = path.opened_on
        elapsed = (today - start).days
        progress = min(1.0, max(0.0, elapsed / 480))
        recorder = (counsellors.get(person.office_id) or [None])[0]
        if recorder is None:
            continue
        if progress > 0.05:
            _done(components, path, ComponentKind.SOCIAL_ASSESSMENT, start + dt.timedelta(days=7), manual)
        if progress > 0.15:
            _done(components, path, ComponentKind.PROCEDURES_HELP, start + dt.timedelta(days=30), manual)
        if progress > 0.6:
            _done(components, path, ComponentKind.ISP, start + dt.timedelta(days=250), manual)
        level = None
        if progress > 0.08:
            level = rng.choices([lv for lv, _w in LEVELS], [w for _lv, w in LEVELS])[0]
            tests.append(
                LanguageTest(
                    person=person,
                    taken_on=start + dt.timedelta(days=14),
                    overall=level,
                    listening=level,
                    reading=level,
                    speaking=level,
                    writing=level,
                    office=person.office,
                )
            )
        sidd = [
            s
            for s in by_office.get(person.office_id, [])
            if start <= timezone.localtime(s.starts_at).date() <= today
        ]
        if sidd and progress > 0.1:
            attendances.append(SessionAttendance(session=sidd[0], person=person, attended=rng.random() < 0.9))
        if progress > 0.2:
            path.convention_signed_on = start + dt.timedelta(days=45)
            held = path.convention_signed_on
            while held + relativedelta(months=6) <= today:
                held = held + relativedelta(months=6)
                evaluations.append(
                    EvaluationInterview(
                        path=path,
                        scheduled_at=aware(first_working_day_from(held), 10),
                        office=person.office,
                        convocation_sent_on=held - dt.timedelta(days=14),
                        held_on=first_working_day_from(held),
                    )
                )
            if level in ("preA1", "A1"):
                target = int(400 * min(1.0, (progress - 0.2) * 1.6))
                month = path.convention_signed_on
                accrued = 0
                while accrued < target and month + relativedelta(months=1) <= today:
                    chunk = min(rng.randint(24, 40), target - accrued)
                    hours.append(
                        HoursRecord(
                            path=path,
                            component=ComponentKind.FRENCH,
                            source=HoursSource.OPERATOR,
                            hours=Decimal(chunk),
                            period_start=month,
                            period_end=month + relativedelta(months=1) - dt.timedelta(days=1),
                            operator_name=rng.choice(OPERATORS),
                            recorded_by=recorder,
                        )
                    )
                    accrued += chunk
                    month += relativedelta(months=1)
            if progress > 0.45 and path.convention_signed_on + relativedelta(months=4) <= today:
                hours.append(
                    HoursRecord(
                        path=path,
                        component=ComponentKind.CITIZENSHIP,
                        source=HoursSource.OPERATOR,
                        hours=Decimal(60),
                        period_start=path.convention_signed_on + dt.timedelta(days=20),
                        period_end=path.convention_signed_on + relativedelta(months=4),
                        operator_name="CAI",
                        citizenship_format=rng.choice(CitizenshipFormat.values),
                        recorded_by=recorder,
                    )
                )
    PathComponent.objects.bulk_update(manual, ["state", "done_on"])
    LanguageTest.objects.bulk_create(tests)
    SessionAttendance.objects.bulk_create(attendances)
    HoursRecord.objects.bulk_create(hours)
    EvaluationInterview.objects.bulk_create(evaluations)
    Path.objects.bulk_update([p for p in paths if p.convention_signed_on], ["convention_signed_on"])


def _done(components, path, kind, day, bucket):
    component = components[(path.pk, kind)]
    component.state = ComponentState.DONE
    component.done_on = day
    bucket.append(component)


def _attestations(rng, paths, today) -> int:
    """Deliver the attestation to the paths that are complete (most of them; a few are waiting)."""
    delivered = []
    completed = {c.path_id for c in PathComponent.objects.filter(path__in=paths)}
    states = {}
    for component in PathComponent.objects.filter(path__in=paths).values("path_id", "kind", "state"):
        states.setdefault(component["path_id"], []).append(component)
    for path in paths:
        rows = states.get(path.pk, [])
        complete = path.pk in completed and all(
            r["state"] in (ComponentState.DONE, ComponentState.NOT_REQUIRED)
            for r in rows
            if r["kind"] != ComponentKind.EVALUATIONS
        )
        if complete and rng.random() < 0.85:
            path.attestation_delivered_on = min(
                today, path.opened_on + dt.timedelta(days=rng.randint(300, 500))
            )
            delivered.append(path)
    Path.objects.bulk_update(delivered, ["attestation_delivered_on"])
    for path in delivered:
        services.path_refresh(path=path)
    return len(delivered)


def _duos(rng, people, today) -> int:
    chosen = rng.sample(people, min(len(people), 40))
    duos, meetings = [], []
    for index, person in enumerate(chosen):
        kind = [DuoKind.NET2WORK, DuoKind.MIN, DuoKind.CONVERSATION][index % 3]
        starts = today - dt.timedelta(days=rng.randint(20, 300))
        ends = starts + relativedelta(months=6) if kind != DuoKind.CONVERSATION else None
        duo = Duo(
            kind=kind,
            mentee=person,
            mentor_name=rng.choice(MENTORS),
            mentor_organisation="Bénévole",
            starts_on=starts,
            ends_on=ends,
        )
        duos.append(duo)
    Duo.objects.bulk_create(duos)
    for duo in duos:
        day = duo.starts_on
        last = min(today, duo.ends_on or today)
        while day <= last:
            meetings.append(DuoMeeting(duo=duo, met_on=day))
            day += dt.timedelta(days=15)
    DuoMeeting.objects.bulk_create(meetings)
    return len(duos)
