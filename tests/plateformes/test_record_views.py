"""Support actions (with counts per year and kind), awareness actions, interpellations, governance
meetings, the team and the glossary: list, filter, sort, create and edit, bad input."""

import datetime as dt

import pytest
from django.urls import reverse

from plateformes.models import (
    Acronym,
    AwarenessAction,
    GovernanceMeeting,
    Interpellation,
    StaffMember,
    SupportAction,
)
from tests.factories import commune
from tests.plateformes.factories import (
    AwarenessActionFactory,
    GovernanceMeetingFactory,
    InterpellationFactory,
    OperatorFactory,
    StaffMemberFactory,
    SupportActionFactory,
)
from tests.plateformes.helpers import HTMX, text

pytestmark = pytest.mark.django_db


# Support actions


def test_support_list_filters_and_counts_per_year_and_kind(login, coordinator):
    ili = OperatorFactory(name="ILI de Ciney")
    other = OperatorFactory(name="CPAS de Namur")
    SupportActionFactory.create_batch(2, operator=ili, date=dt.date(2024, 3, 1), kind="conseil")
    SupportActionFactory(operator=ili, date=dt.date(2024, 9, 1), kind="visite")
    SupportActionFactory(operator=ili, date=dt.date(2025, 2, 1), kind="dossier_subvention")
    SupportActionFactory(operator=other, date=dt.date(2025, 2, 1), kind="conseil")
    response = login(coordinator).get(reverse("plateformes:support_action_list"), {"operator": ili.pk})
    assert response.context["paginator"].count == 4
    counts = response.context["counts"]
    kinds = ["Conseil", "Dossier de renouvellement de subvention", "Visite", "Séance collective"]
    assert counts.kinds == kinds
    assert counts.rows == [(2025, [0, 1, 0, 0], 1), (2024, [2, 0, 1, 0], 3)]
    assert (counts.kind_totals, counts.total) == ([2, 1, 1, 0], 4)


def test_support_list_filters_by_year_and_staff(login, coordinator, director):
    SupportActionFactory(date=dt.date(2024, 3, 1), staff=director, topic="Par la direction")
    SupportActionFactory(date=dt.date(2024, 3, 1), staff=coordinator, topic="Par la coordination")
    SupportActionFactory(date=dt.date(2023, 3, 1), staff=director, topic="Ancienne")
    response = login(coordinator).get(
        reverse("plateformes:support_action_list"), {"year": 2024, "staff": director.pk}
    )
    assert [a.topic for a in response.context["object_list"]] == ["Par la direction"]


def test_support_list_reports_a_bad_year_in_french(login, coordinator):
    response = login(coordinator).get(reverse("plateformes:support_action_list"), {"year": "20x4"})
    assert response.status_code == 200
    assert "Indiquez une année (par exemple 2024)." in text(response)


def test_support_action_is_created_for_the_operator_given_in_the_url(login, coordinator):
    operator = OperatorFactory()
    client = login(coordinator)
    form = client.get(reverse("plateformes:support_action_create"), {"operateur": operator.pk}).context[
        "form"
    ]
    assert form.initial == {"staff": coordinator.pk, "operator": operator.pk}
    data = {
        "operator": operator.pk,
        "date": "2025-03-04",
        "kind": "visite",
        "topic": "Visite",
        "staff": coordinator.pk,
    }
    response = client.post(reverse("plateformes:support_action_create"), data)
    assert response.status_code == 302 and response["Location"].startswith(operator.get_absolute_url())
    assert SupportAction.objects.get().date == dt.date(2025, 3, 4)


def test_support_action_with_an_unknown_operator_or_missing_topic_is_refused(login, coordinator):
    data = {
        "operator": "999999",
        "date": "04/03/2025",
        "kind": "visite",
        "topic": "",
        "staff": coordinator.pk,
    }
    response = login(coordinator).post(reverse("plateformes:support_action_create"), data)
    errors = response.context["form"].errors
    assert errors["operator"] == [
        "Cet opérateur n'existe pas dans le répertoire : choisissez-en un de la liste."
    ]
    assert errors["topic"] == ["Indiquez « Sujet »."]
    assert not SupportAction.objects.exists()


def test_support_action_is_edited(login, coordinator):
    action = SupportActionFactory(topic="Avant")
    data = {
        "operator": action.operator.pk,
        "date": "2025-03-04",
        "kind": "conseil",
        "topic": "Après",
        "staff": action.staff.pk,
    }
    login(coordinator).post(reverse("plateformes:support_action_update", args=[action.pk]), data)
    assert SupportAction.objects.get(pk=action.pk).topic == "Après"


# Awareness actions


def test_awareness_actions_are_listed_filtered_and_created(login, coordinator):
    AwarenessActionFactory(title="Journée contre le racisme 2024", kind="journee", date=dt.date(2024, 3, 21))
    AwarenessActionFactory(title="Forum 2025", kind="forum", date=dt.date(2025, 5, 1))
    client = login(coordinator)
    response = client.get(reverse("plateformes:awareness_action_list"), {"year": 2024})
    assert [a.title for a in response.context["object_list"]] == ["Journée contre le racisme 2024"]
    data = {"kind": "conference", "title": "Conférence migrations", "date": "2025-10-10", "audience": "120"}
    response = client.post(reverse("plateformes:awareness_action_create"), data)
    assert response.status_code == 302 and response["Location"] == reverse(
        "plateformes:awareness_action_list"
    )
    assert AwarenessAction.objects.get(title="Conférence migrations").audience == 120


def test_awareness_action_bad_input_is_on_its_fields(login, coordinator):
    data = {"kind": "conference", "title": "x" * 251, "date": "", "audience": "-3"}
    response = login(coordinator).post(reverse("plateformes:awareness_action_create"), data)
    errors = response.context["form"].errors
    assert errors["title"] == ["« Titre » ne peut dépasser 250 caractères (actuellement 251)."]
    assert errors["date"] == ["Indiquez « Date »."]
    assert "audience" in errors
    assert not AwarenessAction.objects.exists()


def test_awareness_action_is_edited(login, coordinator):
    action = AwarenessActionFactory(title="Avant")
    data = {"kind": "forum", "title": "Après", "date": "2025-05-01"}
    login(coordinator).post(reverse("plateformes:awareness_action_update", args=[action.pk]), data)
    assert AwarenessAction.objects.get(pk=action.pk).title == "Après"


# Interpellations


def test_interpellations_filter_by_level_kind_year_and_commune(login, coordinator):
    namur = commune("Namur")
    motion = InterpellationFactory(
        kind="motion", level="commune", commune=namur, date=dt.date(2024, 6, 1), title="Commune hospitalière"
    )
    InterpellationFactory(kind="motion", level="commune", commune=commune("Dinant"), date=dt.date(2024, 6, 1))
    InterpellationFactory(kind="carte_blanche", level="federal", date=dt.date(2024, 6, 1))
    InterpellationFactory(kind="motion", level="commune", commune=namur, date=dt.date(2023, 6, 1))
    params = {"level": "commune", "kind": "motion", "year": 2024, "commune": namur.pk}
    response = login(coordinator).get(reverse("plateformes:interpellation_list"), params)
    assert list(response.context["object_list"]) == [motion]


def test_communal_interpellation_without_commune_is_refused_on_the_commune(login, coordinator):
    data = {"kind": "motion", "date": "2024-06-01", "level": "commune", "title": "Commune hospitalière"}
    response = login(coordinator).post(reverse("plateformes:interpellation_create"), data)
    assert response.context["form"].errors["commune"] == [
        "Une interpellation communale se rapporte à une commune : choisissez-la."
    ]
    assert not Interpellation.objects.exists()
    response = login(coordinator).post(
        reverse("plateformes:interpellation_create"), {**data, "commune": commune("Namur").pk}
    )
    assert response.status_code == 302
    assert Interpellation.objects.get().commune == commune("Namur")


def test_interpellation_is_edited(login, coordinator):
    interpellation = InterpellationFactory(title="Avant")
    data = {"kind": "presse", "date": "2024-06-01", "level": "region", "title": "Après", "outcome": "Publié"}
    login(coordinator).post(reverse("plateformes:interpellation_update", args=[interpellation.pk]), data)
    assert Interpellation.objects.get(pk=interpellation.pk).outcome == "Publié"


# Governance


def test_governance_meetings_are_listed_and_a_duplicate_date_refused(login, coordinator):
    GovernanceMeetingFactory(kind="ag", date=dt.date(2025, 2, 20))
    client = login(coordinator)
    response = client.get(reverse("plateformes:governance_meeting_list"), {"kind": "ag"})
    assert "20/02/2025" in text(response)
    response = client.post(
        reverse("plateformes:governance_meeting_create"), {"kind": "ag", "date": "20/02/2025"}
    )
    assert response.context["form"].errors["date"] == [
        "Cette réunion des instances est déjà enregistrée à cette date."
    ]
    assert GovernanceMeeting.objects.count() == 1


def test_governance_meeting_is_edited(login, coordinator):
    meeting = GovernanceMeetingFactory(kind="ca")
    data = {"kind": "bureau", "date": "2025-01-10", "notes": "Budget"}
    login(coordinator).post(reverse("plateformes:governance_meeting_update", args=[meeting.pk]), data)
    assert GovernanceMeeting.objects.get(pk=meeting.pk).notes == "Budget"


# The team


def test_team_is_listed_grouped_by_team(login, coordinator):
    StaffMemberFactory(name="Diane Leroy", team="direction", function="Directrice")
    StaffMemberFactory(name="Alice Martin", team="premiere_ligne")
    StaffMemberFactory(name="Bruno Admin", team="administration", function="Secrétariat")
    response = login(coordinator).get(reverse("plateformes:staff_member_list"))
    content = text(response)
    content = content[content.index('id="network-results"') :]
    order = ["Direction", "Diane Leroy", "Première ligne", "Alice Martin", "Administration", "Bruno Admin"]
    assert [content.index(label) for label in order] == sorted(content.index(label) for label in order)


def test_team_member_is_created_and_edited(login, coordinator, counsellor_a):
    client = login(coordinator)
    data = {
        "user": counsellor_a.pk,
        "name": "Alice Martin",
        "team": "premiere_ligne",
        "function": "Accompagnatrice",
        "since": "2021-09-01",
    }
    assert client.post(reverse("plateformes:staff_member_create"), data).status_code == 302
    member = StaffMember.objects.get()
    client.post(reverse("plateformes:staff_member_update", args=[member.pk]), {**data, "until": "2020-01-01"})
    member.refresh_from_db()
    assert member.until is None  # refused: before the arrival
    response = client.post(
        reverse("plateformes:staff_member_update", args=[member.pk]), {**data, "until": "2020-01-01"}
    )
    assert response.context["form"].errors["until"] == [
        "La date de départ ne peut précéder la date d'arrivée."
    ]


def test_team_member_cannot_be_a_commune_agent_account(login, coordinator, commune_agent):
    data = {"user": commune_agent.pk, "name": "Xavier", "team": "administration", "function": "Agent"}
    response = login(coordinator).post(reverse("plateformes:staff_member_create"), data)
    assert "user" in response.context["form"].errors
    assert not StaffMember.objects.exists()


# The glossary


def test_glossary_lists_reference_acronyms_and_searches(login, coordinator):
    client = login(coordinator)
    response = client.get(reverse("plateformes:acronym_list"), {"q": "intégration citoyenne"})
    assert [a.acronym for a in response.context["object_list"]] == ["FIC"]
    response = client.get(reverse("plateformes:acronym_list"), {"q": "ILI"}, **HTMX)
    assert "<html" not in text(response) and "Initiative locale d'intégration" in text(response)


def test_acronym_is_created_and_a_duplicate_refused(login, coordinator):
    client = login(coordinator)
    response = client.post(
        reverse("plateformes:acronym_create"), {"acronym": "DISCRI", "meaning": "Dispositif"}
    )
    assert response.status_code == 302
    response = client.post(reverse("plateformes:acronym_create"), {"acronym": "discri", "meaning": "Doublon"})
    assert response.context["form"].errors["acronym"] == ["Ce sigle figure déjà dans le glossaire."]
    assert Acronym.objects.filter(acronym__iexact="DISCRI").count() == 1


def test_acronym_is_edited(login, coordinator):
    acronym = Acronym.objects.get(acronym="GT")
    login(coordinator).post(
        reverse("plateformes:acronym_update", args=[acronym.pk]), {"acronym": "GT", "meaning": "Groupe"}
    )
    assert Acronym.objects.get(pk=acronym.pk).meaning == "Groupe"


@pytest.mark.parametrize(
    "url_name",
    [
        "support_action_list",
        "awareness_action_list",
        "interpellation_list",
        "governance_meeting_list",
        "staff_member_list",
        "acronym_list",
    ],
)
def test_empty_lists_say_what_to_do_next(login, coordinator, url_name):
    Acronym.objects.all().delete()
    content = text(login(coordinator).get(reverse(f"plateformes:{url_name}")))
    assert "alert alert-light" in content
    assert 'class="btn btn-sm btn-primary ms-1"' in content  # the button that creates the first one


@pytest.mark.parametrize("persona", ["counsellor_a", "commune_agent"])
def test_records_are_closed_to_counsellors_and_commune_agents(login, request, persona):
    client = login(request.getfixturevalue(persona))
    response = client.post(
        reverse("plateformes:awareness_action_create"), {"kind": "forum", "title": "X", "date": "2025-01-01"}
    )
    assert response.status_code == 403
    assert client.get(reverse("plateformes:interpellation_list")).status_code == 403
    assert not AwarenessAction.objects.exists()
