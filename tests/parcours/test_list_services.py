import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from accompagnement.models import Person
from parcours import list_services
from parcours.list_selectors import (
    candidates_for_rows,
    communes_without_list,
    figures_by_commune,
    rows_for_agent,
)
from parcours.list_services import ListRejected
from parcours.models import ListStatus, NewcomerList, NewcomerListRow, RowMatch
from tests.factories import AppointmentFactory, PersonFactory, commune

pytestmark = pytest.mark.django_db
START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


def row(**overrides):
    base = {
        "last_name": "HADDAD",
        "first_name": "Yara",
        "birth_date": "30/07/1985",
        "sex": "M",
        "nationality": "Syrie",
        "national_number": "85.07.30-033.28",
        "postal_code": "5000",
        "locality": "Namur",
        "registration_date": "03/02/2026",
        "residence_card": "B",
        "residence_ordered_on": "15/01/2026",
    }
    base.update(overrides)
    return base


AMINA = {
    "last_name": "DIALLO",
    "first_name": "Amina",
    "birth_date": "02/01/1990",
    "sex": "F",
    "nationality": "Guinée",
    "postal_code": "5000",
    "registration_date": "10/03/2026",
    "residence_card": "A",
    "residence_ordered_on": "01/03/2026",
}


def submit(agent, rows, **kwargs):
    return list_services.newcomer_list_submit(
        actor=agent,
        commune=commune("Namur"),
        period_start=START,
        period_end=END,
        rows=rows,
        source="form",
        **kwargs,
    )


def test_a_valid_list_is_stored_whole_with_statuses_and_office(commune_agent):
    newcomer_list, created = submit(commune_agent, [row(), AMINA])
    assert created and newcomer_list.row_count == 2
    stored = {r.last_name: r for r in newcomer_list.rows.all()}
    assert stored["HADDAD"].national_number == "85073003328"
    assert stored["HADDAD"].computed_status == "oblige"
    assert stored["DIALLO"].office.slug == "namur"


def test_one_faulty_row_stores_nothing_and_names_the_row_and_column(commune_agent):
    with pytest.raises(ListRejected) as error:
        submit(commune_agent, [AMINA, row(national_number="85.07.30-033.29")])
    faulty = [(r.number, list(r.errors)) for r in error.value.results if r.errors]
    assert faulty == [(2, ["national_number"])]
    assert NewcomerList.objects.count() == 0 and NewcomerListRow.objects.count() == 0


def test_sending_the_same_list_twice_creates_nothing_new(commune_agent):
    first, created = submit(commune_agent, [row(), AMINA])
    again, created_again = submit(commune_agent, [AMINA, row()])  # other order, same people
    assert created and not created_again and again.pk == first.pk
    assert NewcomerListRow.objects.count() == 2


def test_an_agent_cannot_submit_for_another_commune(commune_agent_other):
    with pytest.raises(PermissionDenied):
        submit(commune_agent_other, [row()])


def test_a_period_ending_before_it_starts_is_refused(commune_agent):
    with pytest.raises(ListRejected) as error:
        list_services.newcomer_list_submit(
            actor=commune_agent,
            commune=commune("Namur"),
            period_start=END,
            period_end=START,
            rows=[row()],
            source="form",
        )
    assert "period_end" in error.value.errors


def test_candidates_by_number_then_by_similar_name_and_birth_date(commune_agent, office_b):
    by_number = PersonFactory(
        national_number="85073003328", birth_date=dt.date(1985, 7, 30), sex="M", office=office_b
    )
    by_name = PersonFactory(
        first_name="Aminah", last_name="Dialo", birth_date=dt.date(1990, 1, 2), office=office_b
    )
    newcomer_list, _ = submit(commune_agent, [row(), AMINA])
    rows = {r.last_name: r for r in newcomer_list.rows.all()}
    found = candidates_for_rows(rows.values())
    assert (
        found[rows["HADDAD"].pk][0]["id"] == by_number.pk
        and found[rows["HADDAD"].pk][0]["reason"] == "numero"
    )
    assert found[rows["DIALLO"].pk][0]["id"] == by_name.pk
    assert set(found[rows["DIALLO"].pk][0]) == {
        "id",
        "last_name",
        "first_name",
        "birth_date",
        "office__name",
        "reason",
        "score",
    }


def test_reconciliation_links_creates_and_closes_the_list(commune_agent, coordinator, office_a):
    coordinator.path_coordination = True
    coordinator.save()
    existing = PersonFactory(
        national_number="85073003328", birth_date=dt.date(1985, 7, 30), sex="M", office=office_a
    )
    newcomer_list, _ = submit(commune_agent, [row(), AMINA])
    rows = {r.last_name: r for r in newcomer_list.rows.all()}
    list_services.row_link(actor=coordinator, row=rows["HADDAD"], person=existing)
    list_services.row_create_person(actor=coordinator, row=rows["DIALLO"])
    existing.refresh_from_db()
    assert existing.referral == "commune" and existing.referral_detail == "Namur"
    created = Person.objects.get(last_name="DIALLO")
    assert created.office.slug == "namur" and created.referral == "commune"
    newcomer_list.refresh_from_db()
    assert newcomer_list.status == ListStatus.RECONCILED


def test_a_coordinator_without_the_path_right_cannot_reconcile(commune_agent, coordinator):
    newcomer_list, _ = submit(commune_agent, [AMINA])
    with pytest.raises(PermissionDenied):
        list_services.row_reject(actor=coordinator, row=newcomer_list.rows.get())


def test_figures_and_feedback_count_who_came(commune_agent, director, counsellor_a):
    newcomer_list, _ = submit(commune_agent, [row(), AMINA])
    rows = {r.last_name: r for r in newcomer_list.rows.all()}
    list_services.row_create_person(actor=director, row=rows["HADDAD"])
    list_services.row_create_person(actor=director, row=rows["DIALLO"])
    AppointmentFactory(person=Person.objects.get(last_name="HADDAD"), counsellor=counsellor_a)
    (figures,) = list(figures_by_commune(start=START, end=END))
    assert (
        figures["received"],
        figures["created"],
        figures["came_count"],
        figures["obliged"],
        figures["obliged_came"],
    ) == (2, 2, 1, 2, 1)
    feedback = {r.last_name: r.came for r in rows_for_agent(newcomer_list=newcomer_list)}
    assert feedback == {"HADDAD": True, "DIALLO": False}
    assert RowMatch.CREATED == newcomer_list.rows.first().match


def test_communes_without_a_list_for_the_period(commune_agent):
    submit(commune_agent, [AMINA])
    missing = set(communes_without_list(start=START, end=END).values_list("name", flat=True))
    assert "Namur" not in missing and "Dinant" in missing and len(missing) == 37
