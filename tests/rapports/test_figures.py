"""Figures computed on a small hand-built data set whose true values are known."""

import datetime as dt

import pytest
from django.utils import timezone

from formations.models import Registration, Trainer, Training
from parcours import services as path_services
from parcours.models import CollectiveSession
from plateformes.models import (
    AwarenessAction,
    GovernanceMeeting,
    Group,
    Interpellation,
    MeetingAttendee,
    Operator,
    StaffMember,
    SupportAction,
)
from rapports.selectors import all_tables, report_figures
from tests.factories import AppointmentFactory, PersonFactory
from tests.rapports import chapter_data

pytestmark = pytest.mark.django_db
YEAR = 2025


def at(month, day):
    return dt.datetime(YEAR, month, day, 10, tzinfo=timezone.get_current_timezone())


def rows(figures, key):
    return {row[0]: row[1:] for row in next(t for t in figures["tables"] if t["key"] == key)["rows"]}


@pytest.fixture
def data(office_a, office_b, counsellor_a, counsellor_b):
    syrian = PersonFactory(office=office_a, nationality="SY", sex="F", file_opened_on=dt.date(2024, 5, 1))
    afghan = PersonFactory(office=office_a, nationality="AF", sex="M", file_opened_on=dt.date(YEAR, 2, 1))
    french = PersonFactory(office=office_b, nationality="FR", sex="F", file_opened_on=dt.date(YEAR, 3, 1))
    stateless = PersonFactory(office=office_b, nationality="XX", sex="M", file_opened_on=dt.date(YEAR, 3, 1))
    PersonFactory(office=office_b, nationality="MA")  # no activity in the year: not followed
    AppointmentFactory(person=syrian, counsellor=counsellor_a, starts_at=at(1, 10))
    AppointmentFactory(person=syrian, counsellor=counsellor_a, starts_at=at(6, 10))
    AppointmentFactory(person=afghan, counsellor=counsellor_a, starts_at=at(2, 3))
    AppointmentFactory(person=french, counsellor=counsellor_b, starts_at=at(4, 4))
    AppointmentFactory(
        person=stateless,
        counsellor=counsellor_b,
        starts_at=dt.datetime(YEAR - 1, 12, 1, tzinfo=timezone.get_current_timezone()),
    )
    return {"syrian": syrian, "stateless": stateless}


def test_people_followed_by_origin_country_sex_and_office(data, counsellor_b):
    figures = report_figures(year=YEAR)
    assert (
        figures["accompagnement"]["followed"] == 3
    )  # the stateless person's appointment was the year before
    assert figures["accompagnement"]["followed_previous"] == 1
    assert figures["accompagnement"]["appointments"] == 4
    assert figures["accompagnement"]["countries"] == 3
    origins = rows(figures, "origines")
    assert origins["Hors UE"] == [2, 0] and origins["UE"] == [1, 0] and origins["Apatrides"] == [0, 1]
    assert rows(figures, "sexe")["Femme"] == [2]
    offices = {o["slug"]: o for o in figures["offices"]}
    assert (offices["namur"]["followed"], offices["dinant"]["followed"]) == (2, 1)
    assert rows(figures, "suivis_depuis") == {2024: [1], YEAR: [2]}


def test_a_path_event_counts_as_following(data, counsellor_b):
    with_path = data["stateless"]
    with_path.residence_card, with_path.residence_ordered_on, with_path.registration_date = (
        "B",
        dt.date(YEAR, 1, 5),
        dt.date(YEAR, 1, 2),
    )
    with_path.save()
    path_services.language_test_record(
        actor=counsellor_b, person=with_path, taken_on=dt.date(YEAR, 5, 5), overall="A1"
    )
    figures = report_figures(year=YEAR)
    assert figures["accompagnement"]["followed"] == 4
    assert rows(figures, "tests_langue")["A1"] == [1]


def chapter_rows(figures, group, key):
    """A table of a chapter's list, as {first cell: other cells}."""
    found = next(t for t in figures[group] if t["key"] == key)
    return {row[0]: row[1:] for row in found["rows"]}


@pytest.fixture
def chapters(counsellor_a, coordinator, office_a):
    chapter_data.build_all(counsellor=counsellor_a, coordinator=coordinator, office=office_a)
    return report_figures(year=YEAR)


def test_groups_count_meetings_distinct_people_and_organisations_of_the_year(chapters):
    platforms = chapter_rows(chapters, "coordination_tables", "plateformes")
    # 2 meetings this year (the one of last year is left out); Marie Dubois counted once whatever the
    # case; organisations: 2 directory operators + « CPAS de Namur » typed twice
    assert platforms["Plateforme citoyenneté"] == ["Actif", 2, 4, 3]
    assert platforms["Plateforme antiracisme"] == ["Actif", 0, 0, 0]
    groups = chapter_rows(chapters, "coordination_tables", "groupes_travail")
    assert groups["GT Clos en cours d'année"] == ["Clos", 1, 1, 1]
    assert "GT Fermé sans réunion" not in groups
    local = chapter_rows(chapters, "coordination_tables", "coordinations_locales")
    assert local["Namur"][1:] == ["Actif", 1, 1, 1]
    assert chapters["coordination"]["meetings"] == 4


def test_support_to_operators_per_kind_beside_the_year_before(chapters):
    support = chapter_rows(chapters, "coordination_tables", "soutien_operateurs")
    assert support["Conseil"] == [2, 1, 1, 1]
    assert support["Visite"] == [1, 1, 0, 0]
    assert support["Dossier de renouvellement de subvention"] == [0, 0, 1, 1]
    assert support["Total (opérateurs distincts)"] == [3, 2, 2, 2]
    assert (
        chapters["coordination"]["operators_supported"],
        chapters["coordination"]["operators_supported_previous"],
    ) == (2, 2)
    kinds = chapter_rows(chapters, "coordination_tables", "operateurs_types")
    assert kinds["Initiative locale d'intégration (ILI)"] == [1, 1]
    assert kinds["Association"] == [1, 1]  # the inactive one is not counted


def test_trainings_held_with_dates_modality_trainers_registrations_and_attendance(chapters):
    held = next(t for t in chapters["formation_tables"] if t["key"] == "formations_tenues")
    assert held["rows"] == [
        [
            "Approche interculturelle",
            f"12/03/{YEAR}",
            "Présentiel (Namur)",
            "Chloé Dubois",
            "Jean Expert (Lire et Écrire Namur)",
            3,  # registered: the waiting list and the cancelled registration are left out
            2,
        ],
        ["Droit des étrangers", f"01–02/10/{YEAR}", "En ligne", "", "", 0, 0],
    ]
    assert (chapters["formation"]["held"], chapters["formation"]["held_previous"]) == (3, 1)
    assert chapters["formation"]["attendance"] == 3
    states = chapter_rows(chapters, "formation_tables", "formations_etats")
    assert states == {"Tenue": [3, 1], "Prévue": [0, 0], "Reportée": [1, 0], "Annulée": [1, 0]}


def test_postponed_cancelled_on_request_trainings_and_next_years_programme(chapters):
    changed = chapter_rows(chapters, "formation_tables", "formations_reportees_annulees")
    assert changed == {
        "Droit des étrangers": [f"05/05/{YEAR}", "Reportée", f"20/01/{YEAR + 1}"],
        "Approche interculturelle": [f"10/06/{YEAR}", "Annulée", "Formateur malade"],
    }
    on_request = chapter_rows(chapters, "formation_tables", "formations_demande")
    assert on_request == {"Accueil au guichet": ["Commune de Ciney", f"07/10/{YEAR}", "Tenue", 1]}
    programme = next(t for t in chapters["formation_tables"] if t["key"] == "programme")
    assert programme["title"] == f"Programme des formations {YEAR + 1}"
    assert programme["rows"] == [
        [f"20/01/{YEAR + 1}", "Droit des étrangers", "Présentiel", "—"],
        [f"15/03/{YEAR + 1}", "Approche interculturelle", "Présentiel (Dinant)", 12],
    ]  # the cancelled session of next year is not in the programme


def test_awareness_actions_and_publications_of_the_year(chapters):
    awareness = next(t for t in chapters["formation_tables"] if t["key"] == "sensibilisation")
    assert awareness["rows"] == [
        [
            "Journée (contre le racisme…)",
            f"21/03/{YEAR}",
            "Journée contre le racisme",
            "Province de Namur",
            1250,
        ]
    ]
    publications = next(t for t in chapters["formation_tables"] if t["key"] == "publications")
    assert publications["rows"] == [[f"10/11/{YEAR}", "CAIstiques 2025", ""]]


def test_interpellations_by_level_with_month_title_and_commune(chapters):
    levels = chapter_rows(chapters, "interpellation_tables", "interpellations_niveaux")
    assert levels["Communal"] == [1, 0] and levels["Régional"] == [1, 0] and levels["Fédéral"] == [0, 1]
    assert levels["Total"] == [2, 1]
    communal = next(t for t in chapters["interpellation_tables"] if t["key"] == "interpellations_commune")
    assert communal["title"] == "Niveau communal"
    assert communal["rows"] == [["Février", "Motion commune hospitalière", "Motion", "Namur"]]
    regional = next(t for t in chapters["interpellation_tables"] if t["key"] == "interpellations_region")
    assert regional["rows"] == [
        ["Juin", "Carte blanche sur le parcours", "Carte blanche / lettre ouverte", ""]
    ]
    europe = next(t for t in chapters["interpellation_tables"] if t["key"] == "interpellations_europe")
    assert europe["rows"] == []


def test_governance_meetings_of_the_year_with_their_dates(chapters):
    governance = chapter_rows(chapters, "gestion_tables", "gouvernance")
    assert governance == {
        "Conseil d'administration": [2, f"12/02/{YEAR}, 10/12/{YEAR}"],
        "Bureau": [0, "—"],
        "Assemblée générale": [1, f"26/02/{YEAR}"],
    }


def test_team_as_of_january_of_the_next_year_and_the_glossary(chapters):
    team = next(t for t in chapters["annex_tables"] if t["key"] == "equipe")
    assert team["title"] == f"L'équipe au 1er janvier {YEAR + 1}"
    assert team["rows"] == [
        ["Claire Fontaine", "Direction", "Directrice"],
        ["Nina Nouvelle", "Première ligne", "Accompagnatrice"],
    ]  # gone in June, or arriving in February: not in the list
    glossary = chapter_rows(chapters, "annex_tables", "sigles")
    assert glossary["SIDD"] == ["Séance d'information « droits et devoirs »"]


def test_main_figures_beside_the_year_before(chapters):
    comparison = chapter_rows(chapters, "tables", "comparaison")
    assert comparison == {
        "Personnes suivies": [2, 2, "+0\u00a0%"],
        "Rendez-vous individuels": [2, 1, "+100\u00a0%"],
        "Séances SIDD": [1, 1, "+0\u00a0%"],
        "Participant·e·s aux SIDD": [2, 0, "—"],
        "Attestations délivrées": [1, 1, "+0\u00a0%"],
        "Sessions de formation tenues": [3, 1, "+200\u00a0%"],
        "Interpellations": [2, 1, "+100\u00a0%"],
    }


def test_every_table_has_a_unique_key_and_rows_as_wide_as_its_columns(chapters):
    tables = all_tables(chapters)
    assert len({t["key"] for t in tables}) == len(tables)
    for t in tables:
        assert all(len(row) == len(t["columns"]) for row in t["rows"]), t["key"]


def add_rows(count, *, office, counsellor, coordinator, offset):
    """``count`` more of everything the report counts, spread over the year."""
    lire = Operator.objects.get_or_create(name="Lire et Écrire Namur", kind="ili")[0]
    platform = Group.objects.get(kind="plateforme", name="Plateforme citoyenneté")
    training = Training.objects.get_or_create(title="Approche interculturelle")[0]
    for index in range(count):
        day = dt.date(YEAR, 1 + index % 12, 1 + index % 28)
        when = at(1 + index % 12, 1 + index % 28)
        person = PersonFactory(office=office)
        AppointmentFactory(person=person, counsellor=counsellor, starts_at=when)
        held = chapter_data.meeting(platform, when, [(f"Personne {offset + index}", lire, "")])
        MeetingAttendee.objects.create(meeting=held, name="Autre", organisation=f"Org {offset + index}")
        SupportAction.objects.create(operator=lire, date=day, kind="conseil", topic="x", staff=coordinator)
        sessions = [
            chapter_data.session(training, when, status="tenue"),
            chapter_data.session(training, when, status="annulee", cancellation_reason="x"),
            chapter_data.session(training, at(1 + index % 12, 1 + index % 28).replace(year=YEAR + 1)),
        ]
        Trainer.objects.create(session=sessions[0], user=coordinator)
        Trainer.objects.create(session=sessions[0], name="Externe", operator=lire)
        Registration.objects.create(
            session=sessions[0], name="P", email=f"p{offset + index}@x.be", attended=True
        )
        AwarenessAction.objects.create(kind="conference", title=f"Conférence {index}", date=day)
        Interpellation.objects.create(kind="motion", level="commune", title=f"Motion {index}", date=day)
        GovernanceMeeting.objects.create(kind="ca", date=day)
        StaffMember.objects.create(name=f"Membre {offset + index}", team="premiere_ligne", function="x")
        CollectiveSession.objects.create(kind="sidd", starts_at=when, office=office)


def test_the_number_of_queries_does_not_depend_on_the_data_size(
    django_assert_max_num_queries, office_a, counsellor_a, coordinator
):
    add_rows(10, office=office_a, counsellor=counsellor_a, coordinator=coordinator, offset=0)
    with django_assert_max_num_queries(60) as small:
        small_figures = report_figures(year=YEAR)
    add_rows(100, office=office_a, counsellor=counsellor_a, coordinator=coordinator, offset=10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        figures = report_figures(year=YEAR)
    assert chapter_rows(small_figures, "tables", "comparaison")["Rendez-vous individuels"][0] == 10
    assert chapter_rows(figures, "tables", "comparaison")["Rendez-vous individuels"][0] == 110
    assert chapter_rows(figures, "coordination_tables", "plateformes")["Plateforme citoyenneté"][1:] == [
        110,
        111,
        111,
    ]
    assert len(next(t for t in figures["formation_tables"] if t["key"] == "formations_tenues")["rows"]) == 110
    assert len(next(t for t in figures["formation_tables"] if t["key"] == "programme")["rows"]) == 110


def test_a_session_over_several_days_is_written_short():
    from rapports.selectors import _date_range

    assert _date_range(dt.date(YEAR, 10, 1), dt.date(YEAR, 10, 2)) == f"01–02/10/{YEAR}"
    assert _date_range(dt.date(YEAR, 9, 30), dt.date(YEAR, 10, 1)) == f"30/09–01/10/{YEAR}"
    assert _date_range(dt.date(YEAR, 12, 30), dt.date(YEAR + 1, 1, 2)) == f"30/12/{YEAR}–02/01/{YEAR + 1}"
    assert _date_range(at(3, 12), at(3, 12).replace(hour=17)) == f"12/03/{YEAR}"
