"""The trainings part of the demo year (called by ``load_demo`` through its extension hook, after the
network's part, whose operators it uses as requesters, speakers' organisations and registrants'
employers).

A catalogue of twelve trainings for the sector's professionals and two trainings given on request (a
commune, a CPAS); sessions through the year — most held, with trainers, registrations and attendance,
some postponed (one of them since held at its new date), two cancelled with their reason, a few still
planned — and next year's programme. Rows are written with ``bulk_create`` and follow the services'
rules: the registered never exceed the places (the others wait), attendance only for sessions held,
a trainer is a staff account or a named external speaker, never both. Built once, like the network.
"""

import datetime as dt
import random

from auditlog.context import disable_auditlog
from django.utils.translation import gettext as _

from plateformes.choices import OperatorKind
from plateformes.demo import at, email_for, past_window, person_name, random_day, working_day
from plateformes.models import Operator

from .choices import RegistrationStatus, SessionStatus
from .models import Registration, Trainer, Training, TrainingSession

SEED_OFFSET = 11

# (title, theme, audience, days, internal trainer usernames, external speakers' operator, if any)
CATALOGUE = [
    (
        "Approche interculturelle : comprendre pour mieux accompagner",
        "Interculturalité",
        "Travailleur·euse·s sociaux·ales, enseignant·e·s",
        2,
        ["coordination.antiracisme"],
        None,
    ),
    (
        "Droit des étrangers : les bases",
        "Droit des étrangers",
        "Professionnel·le·s de première ligne",
        1,
        ["direction"],
        "Service Droit des Jeunes Namur",
    ),
    (
        "Regroupement familial et titres de séjour",
        "Droit des étrangers",
        "Assistant·e·s sociaux·ales, juristes",
        1,
        [],
        "Service Droit des Jeunes Namur",
    ),
    (
        "Le parcours d'intégration en Wallonie",
        "Parcours d'intégration",
        "Opérateurs du parcours, CPAS, communes",
        1,
        ["coordination"],
        None,
    ),
    (
        "Lutter contre le racisme et les discriminations au quotidien",
        "Lutte contre le racisme",
        "Tout public professionnel",
        2,
        ["coordination.antiracisme"],
        "MRAX Namur",
    ),
    (
        "Santé mentale et exil",
        "Santé mentale",
        "Professionnel·le·s du social et de la santé",
        1,
        [],
        "Ulysse Namur – santé mentale et exil",
    ),
    (
        "FLE pour formateur·rice·s : débuter avec un public alpha",
        "Français langue étrangère",
        "Formateur·rice·s de français, bénévoles",
        2,
        ["coordination.formations"],
        "Lire et Écrire Namur",
    ),
    (
        "FLE pour formateur·rice·s : travailler l'oral",
        "Français langue étrangère",
        "Formateur·rice·s de français",
        1,
        ["coordination.formations"],
        None,
    ),
    (
        "Citoyenneté : formation de formateur·rice·s FIC",
        "Citoyenneté",
        "Futur·e·s formateur·rice·s FIC des opérateurs reconnus",
        3,
        ["coordination.formations", "coordination"],
        None,
    ),
    (
        "Travailler avec un·e interprète en milieu social",
        "Interprétariat",
        "Travailleur·euse·s sociaux·ales",
        1,
        [],
        "SeTIS wallon – antenne de Namur",
    ),
    (
        "Accueillir et accompagner les MENA",
        "Jeunesse et migration",
        "Éducateur·rice·s, services d'aide à la jeunesse",
        1,
        ["coordination"],
        "Service Droit des Jeunes Namur",
    ),
    (
        "Communication interculturelle et gestion des conflits",
        "Interculturalité",
        "Agent·e·s d'accueil, personnel communal",
        1,
        ["coordination.antiracisme"],
        None,
    ),
]
ON_REQUEST = [
    (
        "Sensibilisation à l'interculturalité pour le personnel communal",
        "Administration communale de Gembloux",
    ),
    ("Droit des étrangers pour les travailleur·euse·s sociaux·ales du CPAS", "CPAS de Sambreville"),
]
PLACES = [
    "Siège du CAI, Namur",
    "Bureau d'accueil de Dinant",
    "Salle polyvalente, Gembloux",
    "Maison de la culture, Namur",
]
OTHER_EMPLOYERS = [
    "Zone de police Namur Capitale",
    "CHU UCL Namur – site de Dinant",
    "École communale de Jambes",
    "ONE – Namur",
]
CANCELLATION_REASONS = [
    "Trop peu d'inscriptions (4 pour 12 places).",
    "Formatrice indisponible (maladie), pas de remplacement possible.",
]


def extend_demo(*, seed: int, today: dt.date, staff: dict) -> str:
    """Build the trainings demo data once. Auditing is off: these rows are generated, not anyone's action."""
    if Training.objects.filter(title__in=[row[0] for row in CATALOGUE]).exists():
        return _("Formations : déjà chargées, rien n'a été ajouté.")
    with disable_auditlog():
        return _extend_demo(rng=random.Random(seed + SEED_OFFSET), today=today, staff=staff)


def _extend_demo(*, rng: random.Random, today: dt.date, staff: dict) -> str:
    operators = {o.name: o for o in Operator.objects.all()}
    catalogue, requested = _trainings(operators)
    plans = _plan_sessions(rng, catalogue, requested, today)
    sessions = [session for session, _spec in plans]
    TrainingSession.objects.bulk_create(sessions)
    trainers = _trainers(rng, plans, staff, operators)
    registrations = _registrations(rng, sessions, list(operators.values()), today)
    by_status = {status: sum(s.status == status for s in sessions) for status in SessionStatus.values}
    return _(
        "Formations : %(trainings)s formations, %(sessions)s sessions (%(held)s tenues, %(planned)s prévues, "
        "%(postponed)s reportées, %(cancelled)s annulées), %(trainers)s interventions, "
        "%(registrations)s inscriptions."
    ) % {
        "trainings": len(catalogue) + len(requested),
        "sessions": len(sessions),
        "held": by_status[SessionStatus.HELD],
        "planned": by_status[SessionStatus.PLANNED],
        "postponed": by_status[SessionStatus.POSTPONED],
        "cancelled": by_status[SessionStatus.CANCELLED],
        "trainers": trainers,
        "registrations": registrations,
    }


def _trainings(operators: dict) -> tuple[list[tuple[Training, tuple]], list[Training]]:
    catalogue = [
        (
            Training(
                title=title,
                theme=theme,
                audience=audience,
                objectives=f"Donner aux participant·e·s les repères essentiels : {theme.lower()}.",
                modules="Apports théoriques\nÉtudes de cas\nÉchanges de pratiques",
            ),
            spec,
        )
        for title, theme, audience, *spec in CATALOGUE
    ]
    requested = []
    for title, requester in ON_REQUEST:
        operator = operators.get(requester)
        requested.append(
            Training(
                title=title,
                theme="Formation à la demande",
                active=False,
                on_request_for=operator,
                on_request_for_name="" if operator else requester,
            )
        )
    Training.objects.bulk_create([t for t, _spec in catalogue] + requested)
    return catalogue, requested


def _session(rng, training, days: int, day: dt.date, **fields) -> TrainingSession:
    """A session of ``days`` consecutive days (9 h 30 – 16 h 30), or a morning for one-day trainings."""
    online = rng.random() < 0.15
    half_day = days == 1 and rng.random() < 0.4
    return TrainingSession(
        training=training,
        starts_at=at(day, 9, 30),
        ends_at=at(day + dt.timedelta(days=days - 1), 12 if half_day else 16, 30),
        online=online,
        place="" if online else rng.choice(PLACES),
        capacity=rng.choice([12, 15, 16, 20]),
        **fields,
    )


def _plan_sessions(rng, catalogue, requested, today) -> list[tuple[TrainingSession, tuple]]:
    """This year's sessions (held, postponed, cancelled, planned, on request) and next year's programme."""
    start, end = past_window(today)
    plans = []

    def add(index, day, **fields):
        training, spec = catalogue[index % len(catalogue)]
        plans.append((_session(rng, training, spec[0], day, **fields), spec))

    for index in range(16):  # held, spread over the past months
        add(index, random_day(rng, start, end - dt.timedelta(days=7)), status=SessionStatus.HELD)
    # Postponed: one since held at its new date, two waiting for theirs.
    first = random_day(rng, start, start + (end - start) / 2)
    add(
        3,
        first,
        status=SessionStatus.HELD,
        postponed_to=at(working_day(first + dt.timedelta(days=35)), 9, 30),
    )
    for index in (5, 8):
        day = random_day(rng, end - dt.timedelta(days=60), end - dt.timedelta(days=7))
        add(
            index,
            day,
            status=SessionStatus.POSTPONED,
            postponed_to=at(working_day(today + dt.timedelta(days=rng.randint(20, 70))), 9, 30),
        )
    for index, reason in zip((1, 10), CANCELLATION_REASONS, strict=True):
        add(index, random_day(rng, start, end), status=SessionStatus.CANCELLED, cancellation_reason=reason)
    for index in (0, 6, 11):  # still to come this season
        add(index, working_day(today + dt.timedelta(days=rng.randint(10, 50))), status=SessionStatus.PLANNED)
    # On request: one held for the commune, one planned for the CPAS.
    for training, status, day in (
        (requested[0], SessionStatus.HELD, random_day(rng, start, end - dt.timedelta(days=7))),
        (requested[1], SessionStatus.PLANNED, working_day(today + dt.timedelta(days=rng.randint(15, 45)))),
    ):
        plans.append((_session(rng, training, 1, day, status=status), (1, ["coordination"], None)))
    # Next year's programme.
    for index, month in enumerate((2, 3, 4, 5, 6, 9, 10, 11)):
        day = working_day(dt.date(today.year + 1, month, rng.randint(3, 24)))
        add(index * 3 + 1, day, status=SessionStatus.PLANNED)
    return plans


def _trainers(rng, plans, staff, operators) -> int:
    """The centre's staff named in the catalogue, and external speakers of the named operator."""
    rows = []
    for session, (_days, usernames, speaker_operator) in plans:
        internal = [Trainer(session=session, user=staff[name]) for name in usernames if name in staff]
        rows += internal
        if speaker_operator or not internal:
            operator = operators.get(speaker_operator) if speaker_operator else None
            rows.append(Trainer(session=session, name=person_name(rng), operator=operator))
    Trainer.objects.bulk_create(rows)
    return len(rows)


def _registrations(rng, sessions, operators, today) -> int:
    """Professionals of the network (or of other employers) register; past the places they wait.
    Attendance is recorded for sessions held; a few registrations are cancelled."""
    employers = [o for o in operators if o.kind != OperatorKind.FOREM] or [None]
    rows = []
    for session in sessions:
        upcoming = session.starts_at.date() >= today
        next_year = session.starts_at.year > today.year
        wanted = rng.randint(0, 5) if next_year else rng.randint(6, (session.capacity or 15) + 3)
        emails, registered = set(), 0
        for _index in range(wanted):
            name = person_name(rng)
            email = email_for(name)
            if email in emails:
                continue
            emails.add(email)
            operator = rng.choice(employers) if rng.random() < 0.8 else None
            if rng.random() < 0.06:
                status = RegistrationStatus.CANCELLED
            elif session.capacity is not None and registered >= session.capacity:
                status = RegistrationStatus.WAITING
            else:
                status = RegistrationStatus.REGISTERED
                registered += 1
            held = session.status == SessionStatus.HELD and not upcoming
            rows.append(
                Registration(
                    session=session,
                    name=name,
                    email=email,
                    operator=operator,
                    organisation=operator.name if operator else rng.choice(OTHER_EMPLOYERS),
                    status=status,
                    attended=held and status == RegistrationStatus.REGISTERED and rng.random() < 0.87,
                )
            )
    Registration.objects.bulk_create(rows)
    return len(rows)
