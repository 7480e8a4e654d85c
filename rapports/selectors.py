"""Report figures: SQL aggregates over the recorded data, for one year and the year before.

"Followed in the year" means at least one appointment or one path event that year (a session
attended, a French test, training hours, an evaluation held, a convention signed, an attestation
delivered). Every table is a dict ``{"key", "title", "columns", "rows"}`` so that the PDF, the XLSX
workbook and the CSV share one shape. The number of queries does not depend on the data size.
"""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django_countries import countries

from accompagnement.choices import OriginGroup, Sex
from accompagnement.models import (
    EU_COUNTRIES,
    STATELESS,
    Appointment,
    EsfActionType,
    Office,
    Person,
    RequestType,
)
from accompagnement.permanences import describe_rule
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


def followed_filter(year: int) -> Q:
    """People with an appointment or a path event in ``year`` (Exists subqueries, index-friendly)."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    person = OuterRef("pk")
    return Q(
        Exists(Appointment.objects.filter(person=person, starts_at__date__gte=start, starts_at__date__lt=end))
        | Exists(
            SessionAttendance.objects.filter(
                person=person,
                attended=True,
                session__starts_at__date__gte=start,
                session__starts_at__date__lt=end,
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


def origin_group_case():
    from django.db.models import Case, Value, When

    return Case(
        When(nationality="BE", then=Value(OriginGroup.BELGIAN)),
        When(nationality=STATELESS, then=Value(OriginGroup.STATELESS)),
        When(nationality__in=EU_COUNTRIES, then=Value(OriginGroup.EU)),
        default=Value(OriginGroup.NON_EU),
    )


def _counts(queryset, field) -> dict:
    return {
        row[field]: row["n"]
        for row in queryset.values(field).annotate(n=Count("id", distinct=True)).order_by()
    }


def accompagnement_figures(year: int) -> dict:
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    current, previous = followed_people(year), followed_people(year - 1)
    followed = current.count()
    followed_previous = previous.count()

    since = {
        row["y"]: row["n"]
        for row in current.annotate(y=ExtractYear("file_opened_on"))
        .values("y")
        .annotate(n=Count("id"))
        .order_by("y")
    }
    groups_now = _counts(current.annotate(group=origin_group_case()), "group")
    groups_before = _counts(previous.annotate(group=origin_group_case()), "group")
    nationalities = _counts(current, "nationality")
    top = sorted(nationalities.items(), key=lambda item: (-item[1], item[0]))[:5]
    sexes = _counts(current, "sex")

    appointments = Appointment.objects.filter(starts_at__date__gte=start, starts_at__date__lt=end)
    by_request = {
        row["request_types"]: row
        for row in appointments.values("request_types")
        .annotate(n=Count("id", distinct=True), people=Count("person", distinct=True))
        .order_by()
    }
    by_esf = {
        row["esf_action_type"]: row
        for row in appointments.exclude(esf_action_type=None)
        .values("esf_action_type")
        .annotate(n=Count("id"), people=Count("person", distinct=True))
        .order_by()
    }
    request_types = list(RequestType.objects.order_by("position"))
    esf_types = list(EsfActionType.objects.order_by("position"))

    return {
        "followed": followed,
        "followed_previous": followed_previous,
        "appointments": appointments.count(),
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


def path_figures(year: int) -> dict:
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    components = PathComponent.objects.filter(state=ComponentState.DONE, done_on__gte=start, done_on__lt=end)
    done = _counts(components, "kind")
    statuses = _counts(Path.objects.filter(person__in=followed_people(year)), "status")
    sessions = CollectiveSession.objects.filter(starts_at__date__gte=start, starts_at__date__lt=end)
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


def office_figures(year: int) -> list[dict]:
    """Per reception office: permanence, people followed, relayed by the communes (and obliged among
    them), citizenship trainings held on its territory."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    offices = list(Office.objects.prefetch_related("permanence_rules").order_by("name"))
    followed = _counts(followed_people(year), "office")
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


def report_figures(*, year: int) -> dict:
    """Every figure of the report for ``year`` (plain data: numbers, strings, lists)."""
    accompagnement = accompagnement_figures(year)
    path = path_figures(year)
    offices = office_figures(year)
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
        "method_note": str(METHOD_NOTE),
        "accompagnement": accompagnement,
        "path": path,
        "offices": offices,
        "tables": [*accompagnement["tables"], *path["tables"], office_table],
    }
