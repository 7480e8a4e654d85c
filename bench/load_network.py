"""Fill the benchmark database with ten times the demo volume of the partner network and the trainings.

The demo (``plateformes/demo.py``, ``formations/demo.py``) builds one year of a real-sized network from
fixed lists of names (110 operators of the province, the reference groups, twelve trainings…). Its
generators are tied to those lists, so this loader is written on its own and reuses the demo's
vocabulary (name pools, offer per kind of operator, topics, agenda items, catalogue, places), scaled
by ``SCALE`` (10):

- 1,100 operators (each directory row ten times: the original name, then « – site 2 »…), 1–2 contacts
  each, an offer for 85 % of them (~1,700 items) with their territories;
- 850 support actions over ten years, 120 awareness actions, 110 interpellations, 180 governance
  meetings (board, bureau, general assembly for ten years), 230 acronyms;
- 200 groups (the 20 reference groups and 180 working groups / coordinations more), ~2,000 members,
  ~1,000 meetings (3–6 a group over the past year, 40 % of groups with one in the coming three months)
  with attendees and follow-up actions;
- 140 trainings, ~350 sessions over ten years (held, postponed, cancelled, planned, next year's
  programme) with their trainers, ~4,000 registrations and the attendance of the sessions held;
- 200 team members (40 with a staff account), and the users the measurements sign in as: a coordinator
  (``bench-coordination``) and a counsellor of Namur (``bench-namur-1``).

``bulk_create`` in batches of 1,000 (auditing off: generated rows are nobody's action), then
``VACUUM ANALYZE`` of the tables. Skipped when the operators are already there; ``--reload`` empties
the network and trainings tables (keeping the reference groups and acronyms) and loads again.

    .venv/bin/python bench/load_network.py [--reload]
"""

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup, stopwatch  # noqa: E402

SCALE = 10
SEED = 20261122
BATCH = 1000
COORDINATOR_USERNAME = "bench-coordination"
COORDINATORS = 4  # bench-coordination, bench-coordination-2…: support actions, pilots, trainers
TEAM_ACCOUNTS = 40
TEAM_SIZE = 200
YEARS = 10  # history of the dated records: ten years, ten times one demo year

TABLES = [
    "formations_registration",
    "formations_trainer",
    "formations_trainingsession",
    "formations_training",
    "plateformes_followupaction",
    "plateformes_meetingattendee",
    "plateformes_meeting",
    "plateformes_groupmember",
    "plateformes_supportaction",
    "plateformes_offer_territories",
    "plateformes_offer",
    "plateformes_operatorcontact",
    "plateformes_operator_territories",
    "plateformes_operator",
    "plateformes_awarenessaction",
    "plateformes_interpellation",
    "plateformes_governancemeeting",
    "plateformes_staffmember",
    "plateformes_group",
    "plateformes_acronym",
]


def bulk(model, rows: list) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


def years_back(rng: random.Random, today: dt.date, years: int = YEARS) -> dt.date:
    """A working day in the last ``years`` years (up to yesterday)."""
    from plateformes.demo import random_day

    return random_day(rng, today - dt.timedelta(days=365 * years), today - dt.timedelta(days=1))


# --------------------------------------------------------------------------------------------
# Users


def ensure_users() -> tuple[list, object]:
    """The coordinators (the first one signs in for the measurements) and the counsellor of Namur."""
    from accompagnement.models import Office
    from bench.load_people import counsellor_username
    from cai.choices import Role
    from cai.models import User

    coordinators = []
    for n in range(1, COORDINATORS + 1):
        username = COORDINATOR_USERNAME if n == 1 else f"{COORDINATOR_USERNAME}-{n}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"role": Role.COORDINATOR, "first_name": f"Coordination {n}", "last_name": "Réseau"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        coordinators.append(user)
    counsellor, created = User.objects.get_or_create(
        username=counsellor_username("namur"),
        defaults={"role": Role.COUNSELLOR, "first_name": "Conseiller 1", "last_name": "Namur"},
    )
    if created:
        counsellor.set_unusable_password()
        counsellor.save(update_fields=["password"])
    Office.objects.get(slug="namur").staff.add(counsellor)
    return coordinators, counsellor


# --------------------------------------------------------------------------------------------
# Operators and their offer


def load_operators(rng: random.Random) -> tuple[list, dict]:
    from accompagnement.models import Commune, Office
    from plateformes import demo
    from plateformes.models import Operator, OperatorContact

    communes = list(Commune.objects.select_related("office"))
    by_name = {c.name: c for c in communes}
    offices = list(Office.objects.order_by("name"))
    operators, served = [], []
    for copy in range(SCALE):
        for name, kind, recognition, commune_name in demo.directory():
            # The copies sit in other communes of the province, as the many small partners do.
            commune = by_name.get(commune_name) if copy == 0 else rng.choice(communes)
            office = commune.office if commune else None
            slug = demo.short_slug(name)
            operators.append(
                Operator(
                    name=name if copy == 0 else f"{name} – site {copy + 1}",
                    kind=kind,
                    recognition=recognition,
                    subsidy_status=demo.SUBSIDY.get(recognition, ""),
                    address=f"{rng.choice(demo.STREETS)} {rng.randint(1, 180)}, "
                    f"{commune.main_postal_code if commune else '5000'} {commune.name if commune else ''}",
                    commune=commune,
                    phone=demo.phone(rng, demo.PHONE_ZONES.get(office.slug if office else "", "081")),
                    email=f"info{copy or ''}@{slug}.example.org",
                    website=f"https://{slug}.example.org" if rng.random() < 0.7 else "",
                    active=rng.random() > 0.03,
                )
            )
            territory = {office} if office else set()
            territory |= set(rng.sample(offices, rng.choice([0, 0, 1, 2])))
            served.append(territory or {rng.choice(offices)})
    bulk(Operator, operators)
    through = Operator.territories.through
    bulk(
        through,
        [
            through(operator_id=op.pk, office_id=o.pk)
            for op, offices_ in zip(operators, served, strict=True)
            for o in offices_
        ],
    )
    for operator, territory in zip(operators, served, strict=True):
        operator.bench_territories = territory
    contacts, by_operator = [], {}
    for operator in operators:
        for _index in range(rng.choice([1, 1, 2])):
            name = demo.person_name(rng)
            contact = OperatorContact(
                operator=operator,
                name=name,
                role=rng.choice(demo.CONTACT_ROLES),
                email=demo.email_for(name),
                phone=operator.phone,
            )
            contacts.append(contact)
            by_operator.setdefault(operator.pk, []).append(contact)
    bulk(OperatorContact, contacts)
    return operators, by_operator


def load_offers(rng: random.Random, operators: list) -> int:
    from plateformes import demo
    from plateformes.models import Offer

    offers = []
    for operator in operators:
        if rng.random() > 0.85:
            continue
        for spec in demo.offers_for(operator.kind, rng):
            offers.append(
                Offer(
                    operator=operator,
                    schedule=rng.choice(demo.SCHEDULES),
                    place=operator.address,
                    commune=operator.commune,
                    capacity=rng.choice([8, 10, 12, 12, 15, 15, 20]),
                    active=rng.random() > 0.08,
                    **spec,
                )
            )
    bulk(Offer, offers)
    through = Offer.territories.through
    bulk(
        through,
        [
            through(offer_id=offer.pk, office_id=office.pk)
            for offer in offers
            for office in offer.operator.bench_territories
        ],
    )
    return len(offers)


def load_support_actions(rng: random.Random, operators: list, coordinators: list, today: dt.date) -> int:
    """85 a year (the demo's 60 + 25) over ten years."""
    from plateformes import demo
    from plateformes.choices import OperatorKind
    from plateformes.models import SupportAction

    supported = [
        o for o in operators if o.kind in (OperatorKind.ILI, OperatorKind.ASSOCIATION, OperatorKind.SCHOOL)
    ]
    kinds = list(demo.SUPPORT_TOPICS)
    rows = []
    for _index in range(85 * SCALE):
        kind = rng.choices(kinds, [40, 20, 25, 15])[0]
        rows.append(
            SupportAction(
                operator=rng.choice(supported),
                date=years_back(rng, today),
                kind=kind,
                topic=rng.choice(demo.SUPPORT_TOPICS[kind]),
                staff=rng.choices(coordinators, [60, 20, 10, 10][: len(coordinators)])[0],
                notes="Suivi convenu lors de la prochaine rencontre." if rng.random() < 0.4 else "",
            )
        )
    bulk(SupportAction, rows)
    return len(rows)


# --------------------------------------------------------------------------------------------
# Groups, members, meetings

GROUP_THEMES = [
    "Logement",
    "Emploi des jeunes",
    "Alphabétisation",
    "Accueil des MENA",
    "Santé",
    "Mobilité",
    "Petite enfance",
    "Interculturalité",
    "Citoyenneté",
    "Accès aux droits",
]


def load_groups(rng: random.Random, coordinators: list) -> list:
    """The reference groups and 180 more: working groups per theme and commune, local coordinations."""
    from accompagnement.models import Commune
    from plateformes.choices import GroupKind, GroupStatus
    from plateformes.models import Group

    existing = list(Group.objects.all())
    communes = list(Commune.objects.select_related("office").order_by("name"))
    rows, names = [], {(g.kind, g.name) for g in existing}
    while len(existing) + len(rows) < 20 * SCALE:
        commune = rng.choice(communes)
        if rng.random() < 0.6:
            kind, theme = GroupKind.WORKING_GROUP, rng.choice(GROUP_THEMES)
            name = f"GT {theme} – {commune.name}"
        else:
            kind, theme = GroupKind.LOCAL_COORDINATION, "Coordination locale"
            name = f"Coordination locale de {commune.name}"
        if (kind, name) in names:
            continue
        names.add((kind, name))
        rows.append(
            Group(
                kind=kind,
                name=name,
                theme=theme,
                office=commune.office,
                pilot=rng.choice(coordinators),
                status=rng.choices(list(GroupStatus), [85, 10, 5])[0],
            )
        )
    bulk(Group, rows)
    for group in existing:
        if group.pilot_id is None:
            group.pilot = rng.choice(coordinators)
    Group.objects.bulk_update(existing, ["pilot"])
    return existing + rows


def load_meetings(rng: random.Random, groups: list, operators: list, contacts: dict, today: dt.date) -> int:
    """The demo's rhythm on ten times as many groups: 3–6 meetings over the past year, an upcoming one
    for 40 % of the groups; members, attendees of the past meetings, follow-up actions."""
    from accompagnement.demo import is_working_day
    from plateformes import demo
    from plateformes.models import FollowUpAction, GroupMember, Meeting, MeetingAttendee

    members, by_group = [], {}
    for group in groups:
        for operator in rng.sample(operators, rng.randint(7, 12)):
            contact = rng.choice(contacts[operator.pk])
            member = GroupMember(group=group, operator=operator, name=contact.name, role="Membre")
            members.append(member)
            by_group.setdefault(group.pk, []).append(member)
        member = GroupMember(
            group=group, name=demo.person_name(rng), organisation="Citoyen·ne engagé·e", role="Membre"
        )
        members.append(member)
        by_group[group.pk].append(member)
    bulk(GroupMember, members)

    start, end = today - dt.timedelta(days=365), today - dt.timedelta(days=1)
    while not is_working_day(end):
        end -= dt.timedelta(days=1)
    meetings, plans = [], []
    for group in groups:
        count = rng.randint(3, 6)
        days = {demo.random_day(rng, start, end) for _index in range(count)}
        days = {min(day, end) for day in days}
        if rng.random() < 0.4:
            days.add(demo.working_day(today + dt.timedelta(days=rng.randint(7, 85))))
        for day in sorted(days):
            past = day < today
            online = rng.random() < 0.2
            hour = rng.choice([9, 10, 13, 14])
            agenda = "\n".join(
                f"{n}. {item}" for n, item in enumerate(rng.sample(demo.AGENDA_ITEMS, 3), start=1)
            )
            meeting = Meeting(
                group=group,
                starts_at=demo.at(day, hour),
                ends_at=demo.at(day, hour + 2, 30),
                online=online,
                place="" if online else rng.choice(["Siège du CAI, Namur", "Salle du conseil communal"]),
                agenda=agenda,
                minutes="Les membres présents font le point sur leurs activités." if past else "",
                decisions="\n".join(rng.sample(demo.DECISIONS, 2)) if past else "",
            )
            meetings.append(meeting)
            plans.append((meeting, past, by_group[group.pk], day))
    bulk(Meeting, meetings)
    attendees, follow_ups = [], []
    for meeting, past, group_members, day in plans:
        if past:
            for member in rng.sample(group_members, min(len(group_members), rng.randint(4, 10))):
                attendees.append(
                    MeetingAttendee(
                        meeting=meeting,
                        member=member,
                        name=member.name,
                        operator=member.operator,
                        organisation=member.organisation,
                    )
                )
            for _index in range(rng.choice([0, 1, 1, 2])):
                attendees.append(
                    MeetingAttendee(
                        meeting=meeting,
                        name=demo.person_name(rng),
                        organisation=rng.choice(demo.GUEST_ORGANISATIONS),
                        is_guest=True,
                    )
                )
        for description in rng.sample(demo.FOLLOW_UPS, rng.randint(1, 3) if past else 1):
            due = day + dt.timedelta(days=rng.randint(10, 40))
            follow_ups.append(
                FollowUpAction(
                    meeting=meeting,
                    description=description,
                    owner=rng.choice(group_members).name,
                    due_on=due,
                    done=past and due < today and rng.random() < 0.8,
                )
            )
    bulk(MeetingAttendee, attendees)
    bulk(FollowUpAction, follow_ups)
    return len(meetings)


# --------------------------------------------------------------------------------------------
# Awareness, interpellations, governance, team, glossary

AWARENESS_TITLES = [
    "Conférence « Exil et santé mentale »",
    "Conférence-débat « Racisme ordinaire au travail »",
    "Rencontre « Être parent ici et là-bas »",
    "Forum de l'interculturalité",
    "Forum de l'emploi et de la diversité",
    "Émission radio « Nouveaux Namurois »",
    "Capsules vidéo « Parcours de vie »",
    "CAIstiques — les chiffres de l'accueil",
    "Journée internationale pour l'élimination de la discrimination raciale",
    "Journée mondiale des réfugiés",
]


def load_records(rng: random.Random, today: dt.date) -> dict:
    from accompagnement.models import Commune
    from plateformes import demo
    from plateformes.choices import AwarenessKind, GovernanceKind, InterpellationKind, Level
    from plateformes.models import Acronym, AwarenessAction, GovernanceMeeting, Interpellation

    awareness = [
        AwarenessAction(
            kind=rng.choice(list(AwarenessKind)),
            title=f"{rng.choice(AWARENESS_TITLES)} – {rng.choice(GROUP_THEMES).lower()}",
            date=years_back(rng, today),
            partners="Ville de Namur, MRAX Namur, Hospitalité Namur" if rng.random() < 0.7 else "",
            audience=rng.choice([None, 40, 60, 85, 120, 300, 450, 900, 2000]),
            description="Action menée avec les partenaires du réseau.",
        )
        for _index in range(12 * SCALE)
    ]
    bulk(AwarenessAction, awareness)

    communes = list(Commune.objects.order_by("name"))
    interpellations = []
    for _index in range(11 * SCALE):
        level = rng.choices(list(Level), [40, 10, 25, 20, 5])[0]
        commune = rng.choice(communes) if level == Level.COMMUNE else None
        kind = (
            InterpellationKind.MOTION
            if commune and rng.random() < 0.6
            else rng.choice(list(InterpellationKind))
        )
        interpellations.append(
            Interpellation(
                kind=kind,
                level=level,
                commune=commune,
                date=years_back(rng, today),
                title=f"Motion « commune hospitalière » {demo.of(commune.name)}"
                if commune
                else f"Interpellation : {rng.choice(GROUP_THEMES).lower()}",
                co_signatories="Hospitalité Namur, CNCD-11.11.11, CAI" if rng.random() < 0.6 else "",
                outcome="Suite favorable." if rng.random() < 0.4 else "",
            )
        )
    bulk(Interpellation, interpellations)

    governance = []
    for year in range(today.year - YEARS + 1, today.year + 1):
        governance += [
            GovernanceMeeting(kind=GovernanceKind.BOARD, date=demo._second_tuesday(year, m))
            for m in (2, 4, 6, 9, 10, 12)
        ]
        governance += [
            GovernanceMeeting(
                kind=GovernanceKind.BUREAU, date=demo._second_tuesday(year, m) + dt.timedelta(days=7)
            )
            for m in (1, 2, 3, 4, 5, 6, 9, 10, 11, 12)
        ]
        governance += [
            GovernanceMeeting(
                kind=GovernanceKind.GENERAL_ASSEMBLY,
                date=demo._second_tuesday(year, m) + dt.timedelta(days=2),
                notes="Assemblée générale",
            )
            for m in (6, 12)
        ]
    bulk(GovernanceMeeting, governance)

    taken = set(Acronym.objects.values_list("acronym", flat=True))
    acronyms = []
    letters = "ABCDEFGHIJKLMNOPRSTUVW"
    while len(taken) < 23 * SCALE:
        acronym = "".join(rng.choice(letters) for _index in range(rng.randint(3, 5)))
        if acronym not in taken:
            taken.add(acronym)
            acronyms.append(Acronym(acronym=acronym, meaning=f"Sigle du réseau {acronym.lower()}"))
    bulk(Acronym, acronyms)
    return {
        "awareness": len(awareness),
        "interpellations": len(interpellations),
        "governance": len(governance),
        "acronyms": len(taken),
    }


def load_team(rng: random.Random, today: dt.date) -> int:
    """200 team rows: 40 with a staff account (counsellors, coordinators), the others without."""
    from cai.choices import Role
    from cai.models import User
    from plateformes import demo
    from plateformes.choices import Team
    from plateformes.models import StaffMember

    linked = set(StaffMember.objects.filter(user__isnull=False).values_list("user_id", flat=True))
    users = []
    for n in range(1, TEAM_ACCOUNTS + 1):
        role = Role.COORDINATOR if n % 4 == 0 else Role.COUNSELLOR
        user, _created = User.objects.get_or_create(
            username=f"bench-equipe-{n}",
            defaults={"role": role, "first_name": "Membre", "last_name": f"Équipe {n}"},
        )
        if user.pk not in linked:
            users.append(user)
    rows = []
    for index in range(TEAM_SIZE - StaffMember.objects.count()):
        user = users[index] if index < len(users) else None
        team = rng.choices(list(Team), [5, 50, 30, 15])[0]
        since = today - dt.timedelta(days=rng.randint(30, 365 * 15))
        left = rng.random() < 0.2
        rows.append(
            StaffMember(
                user=user,
                name=user.get_full_name() if user else demo.person_name(rng),
                team=team,
                function=rng.choice(
                    [
                        "Conseiller·ère en accompagnement",
                        "Chargé·e de projets",
                        "Agent·e d'accueil",
                        "Comptable",
                    ]
                ),
                since=since,
                until=since + dt.timedelta(days=rng.randint(200, 2000)) if left else None,
            )
        )
    bulk(StaffMember, rows)
    return len(rows)


# --------------------------------------------------------------------------------------------
# Trainings


def load_trainings(rng: random.Random, operators: list, coordinators: list, today: dt.date) -> dict:
    """The catalogue's twelve trainings and the two on request, one edition per year over ten years;
    34 sessions a year (as the demo's year), next year's programme; trainers, registrations, attendance."""
    from formations import demo as fdemo
    from formations.choices import RegistrationStatus, SessionStatus
    from formations.models import Registration, Trainer, Training, TrainingSession
    from plateformes import demo
    from plateformes.choices import OperatorKind

    requesters = [o for o in operators if o.kind in (OperatorKind.COMMUNE, OperatorKind.CPAS)]
    trainings = []  # (training, days, year)
    for offset in range(SCALE):
        year = today.year - offset
        for title, theme, audience, days, *_spec in fdemo.CATALOGUE:
            trainings.append(
                (
                    Training(
                        title=title if offset == 0 else f"{title} (édition {year})",
                        theme=theme,
                        audience=audience,
                        objectives=f"Donner aux participant·e·s les repères essentiels : {theme.lower()}.",
                        modules="Apports théoriques\nÉtudes de cas\nÉchanges de pratiques",
                        active=offset < 2,
                    ),
                    days,
                    year,
                )
            )
        for title, _requester in fdemo.ON_REQUEST:
            trainings.append(
                (
                    Training(
                        title=f"{title} ({year})",
                        theme="Formation à la demande",
                        active=False,
                        on_request_for=rng.choice(requesters),
                    ),
                    1,
                    year,
                )
            )
    bulk(Training, [t for t, _days, _year in trainings])
    by_year = {}
    for training, days, year in trainings:
        by_year.setdefault(year, []).append((training, days))

    def session(training, days, day, **fields):
        online = rng.random() < 0.15
        half_day = days == 1 and rng.random() < 0.4
        return TrainingSession(
            training=training,
            starts_at=demo.at(day, 9, 30),
            ends_at=demo.at(day + dt.timedelta(days=days - 1), 12 if half_day else 16, 30),
            online=online,
            place="" if online else rng.choice(fdemo.PLACES),
            capacity=rng.choice([12, 15, 16, 20]),
            **fields,
        )

    sessions = []
    for year, pool in by_year.items():
        first = dt.date(year, 1, 2)
        last = min(dt.date(year, 12, 20), today - dt.timedelta(days=1))
        for index in range(34):
            training, days = pool[index % len(pool)]
            draw = rng.random()
            if year == today.year and draw < 0.15:
                day = demo.working_day(today + dt.timedelta(days=rng.randint(5, 60)))
                sessions.append(session(training, days, day, status=SessionStatus.PLANNED))
            elif draw < 0.05:
                reason = rng.choice(fdemo.CANCELLATION_REASONS)
                day = demo.random_day(rng, first, last)
                sessions.append(
                    session(training, days, day, status=SessionStatus.CANCELLED, cancellation_reason=reason)
                )
            elif draw < 0.10:
                day = demo.random_day(rng, first, last - dt.timedelta(days=40))
                new = demo.at(demo.working_day(day + dt.timedelta(days=35)), 9, 30)
                sessions.append(session(training, days, day, status=SessionStatus.HELD, postponed_to=new))
            else:
                day = demo.random_day(rng, first, last)
                sessions.append(session(training, days, day, status=SessionStatus.HELD))
    for index, month in enumerate((2, 3, 4, 5, 6, 9, 10, 11)):  # next year's programme
        training, days = by_year[today.year][index]
        day = demo.working_day(dt.date(today.year + 1, month, rng.randint(3, 24)))
        sessions.append(session(training, days, day, status=SessionStatus.PLANNED))
    bulk(TrainingSession, sessions)

    trainers = []
    for item in sessions:
        if rng.random() < 0.6:
            trainers.append(Trainer(session=item, user=rng.choice(coordinators)))
        if rng.random() < 0.6 or not trainers or trainers[-1].session is not item:
            trainers.append(Trainer(session=item, name=demo.person_name(rng), operator=rng.choice(operators)))
    bulk(Trainer, trainers)

    employers = [o for o in operators if o.kind != OperatorKind.FOREM]
    registrations = []
    for item in sessions:
        next_year = item.starts_at.year > today.year
        held = item.status == SessionStatus.HELD and item.starts_at.date() < today
        wanted = rng.randint(0, 5) if next_year else rng.randint(6, item.capacity + 3)
        emails, registered = set(), 0
        for _index in range(wanted):
            name = demo.person_name(rng)
            email = demo.email_for(name)
            if email in emails:
                continue
            emails.add(email)
            operator = rng.choice(employers) if rng.random() < 0.8 else None
            if rng.random() < 0.06:
                status = RegistrationStatus.CANCELLED
            elif registered >= item.capacity:
                status = RegistrationStatus.WAITING
            else:
                status = RegistrationStatus.REGISTERED
                registered += 1
            registrations.append(
                Registration(
                    session=item,
                    name=name,
                    email=email,
                    operator=operator,
                    organisation=operator.name if operator else rng.choice(fdemo.OTHER_EMPLOYERS),
                    status=status,
                    attended=held and status == RegistrationStatus.REGISTERED and rng.random() < 0.87,
                )
            )
    bulk(Registration, registrations)
    return {
        "trainings": len(trainings),
        "sessions": len(sessions),
        "trainers": len(trainers),
        "registrations": len(registrations),
    }


# --------------------------------------------------------------------------------------------
# Entry point


def already_loaded() -> bool:
    from plateformes.models import Operator

    return Operator.objects.count() >= 100 * SCALE


def empty_tables() -> None:
    """Empty the network and trainings tables, then restore the reference groups and acronyms."""
    from django.db import connection

    from plateformes.data import load_network_reference_data

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY")
    load_network_reference_data()


def vacuum_analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")


def load(*, reload: bool = False) -> None:
    from auditlog.context import disable_auditlog
    from django.db import transaction
    from django.utils import timezone

    coordinators, _counsellor = ensure_users()
    if already_loaded() and not reload:
        print("Réseau et formations : volume déjà chargé (--reload pour recharger).")
        return
    if reload:
        empty_tables()
    rng = random.Random(SEED)
    today = timezone.localdate()
    started = time.perf_counter()
    print(f"Chargement du réseau et des formations ({SCALE} × la démo)…")
    with disable_auditlog(), transaction.atomic():
        with stopwatch("opérateurs, contacts"):
            operators, contacts = load_operators(rng)
        with stopwatch("offre"):
            offers = load_offers(rng, operators)
        with stopwatch("actions de soutien"):
            support = load_support_actions(rng, operators, coordinators, today)
        with stopwatch("groupes, membres, réunions"):
            groups = load_groups(rng, coordinators)
            meetings = load_meetings(rng, groups, operators, contacts, today)
        with stopwatch("sensibilisation, interpellations, instances, sigles, équipe"):
            records = load_records(rng, today)
            team = load_team(rng, today)
        with stopwatch("formations, sessions, inscriptions"):
            trainings = load_trainings(rng, operators, coordinators, today)
    with stopwatch("VACUUM ANALYZE"):
        vacuum_analyze()
    print(
        f"  {len(operators):,} opérateurs, {offers:,} offres, {support:,} actions de soutien, "
        f"{len(groups):,} groupes, {meetings:,} réunions, {records['awareness']} actions de sensibilisation, "
        f"{records['interpellations']} interpellations, {records['governance']} réunions des instances, "
        f"{records['acronyms']} sigles, {team} membres d'équipe ; {trainings['trainings']} formations, "
        f"{trainings['sessions']} sessions, {trainings['trainers']} interventions, "
        f"{trainings['registrations']:,} inscriptions — {time.perf_counter() - started:.1f} s"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description="Charge 10 × le volume de démonstration du réseau et des formations."
    )
    parser.add_argument("--reload", action="store_true", help="vider les tables et recharger")
    args = parser.parse_args(argv)
    setup()
    load(reload=args.reload)


if __name__ == "__main__":
    main()
