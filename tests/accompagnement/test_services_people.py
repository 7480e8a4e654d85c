import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from accompagnement import services
from accompagnement.models import Appointment, Person, PersonMerge
from accompagnement.selectors import duplicate_offices, person_search
from tests.factories import AppointmentFactory, PersonFactory

pytestmark = pytest.mark.django_db

# 85.07.30-033.28: a valid national register number (man born 30 July 1985).
VALID_NN = "85.07.30-033.28"


def person_fields(office, **overrides):
    fields = {
        "last_name": "Haddad",
        "first_name": "Yara",
        "birth_date": dt.date(1985, 7, 30),
        "sex": "M",
        "nationality": "SY",
        "office": office,
    }
    fields.update(overrides)
    return fields


def test_person_create_stores_the_number_normalised_with_its_kind(counsellor_a, office_a):
    person = services.person_create(actor=counsellor_a, **person_fields(office_a, national_number=VALID_NN))
    person.refresh_from_db()
    assert person.national_number == "85073003328"
    assert person.number_kind == "nn"
    assert person.search_text == "yara haddad"
    assert person.origin_group == "hors_ue"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("85073003329", "chiffres de contrôle"),
        ("1234", "11 chiffres"),
    ],
)
def test_person_create_refuses_a_wrong_number_with_a_french_message(counsellor_a, office_a, number, message):
    with pytest.raises(ValidationError) as error:
        services.person_create(actor=counsellor_a, **person_fields(office_a, national_number=number))
    assert message in " ".join(error.value.message_dict["national_number"])
    assert Person.objects.count() == 0


def test_person_create_refuses_a_number_contradicting_the_birth_date(counsellor_a, office_a):
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=counsellor_a,
            **person_fields(office_a, national_number=VALID_NN, birth_date=dt.date(1985, 7, 31)),
        )
    assert "date de naissance" in error.value.message_dict["national_number"][0]


def test_counsellor_cannot_open_a_file_in_another_office(counsellor_a, office_b):
    with pytest.raises(ValidationError) as error:
        services.person_create(actor=counsellor_a, **person_fields(office_b))
    assert "office" in error.value.message_dict
    assert Person.objects.count() == 0


def test_search_tolerates_typos_accents_and_swapped_names(counsellor_a, office_a, office_b):
    target = PersonFactory(first_name="Mohammed", last_name="Al-Hassan", office=office_a)
    PersonFactory(first_name="Zoé", last_name="Lejeune", office=office_a)
    PersonFactory(first_name="Mohammed", last_name="Al-Hassan", office=office_b)  # other office: invisible
    for query in ("mohamed al hasan", "AL HASSAN Mohammed", "Al-Hassen"):
        assert list(person_search(user=counsellor_a, query=query)) == [target], query
    assert list(person_search(user=counsellor_a, query="lejeune zoe"))[0].first_name == "Zoé"


def test_search_by_birth_date_and_by_number(counsellor_a, office_a):
    person = services.person_create(actor=counsellor_a, **person_fields(office_a, national_number=VALID_NN))
    assert list(person_search(user=counsellor_a, query="30/07/1985")) == [person]
    assert list(person_search(user=counsellor_a, query=VALID_NN)) == [person]


def test_duplicate_warning_names_only_the_office_holding_the_file(counsellor_a, office_b):
    PersonFactory(first_name="Amina", last_name="Diallo", birth_date=dt.date(1990, 1, 2), office=office_b)
    assert duplicate_offices(first_name="Aminah", last_name="Dialo", birth_date=dt.date(1990, 1, 2)) == [
        "Dinant"
    ]
    assert duplicate_offices(first_name="Amina", last_name="Diallo", birth_date=dt.date(1991, 1, 2)) == []


def test_merge_keeps_every_appointment_and_the_history(administrator, counsellor_a, office_a):
    kept = PersonFactory(office=office_a, phone="")
    duplicate = PersonFactory(office=office_a, phone="0470 12 34 56")
    AppointmentFactory(person=kept, counsellor=counsellor_a)
    AppointmentFactory.create_batch(2, person=duplicate, counsellor=counsellor_a)
    services.person_update(actor=counsellor_a, person=duplicate, first_name="Nouveau")
    duplicate_pk = duplicate.pk
    services.person_merge(actor=administrator, kept=kept, duplicate=duplicate)
    assert not Person.objects.filter(pk=duplicate_pk).exists()
    assert Appointment.objects.filter(person=kept).count() == 3
    kept.refresh_from_db()
    assert kept.phone == "0470 12 34 56"
    assert PersonMerge.objects.get(kept=kept).merged_person_id == duplicate_pk
    assert LogEntry.objects.filter(
        object_id=kept.pk, content_type__model="person", action=LogEntry.Action.UPDATE
    ).exists()


def test_only_an_administrator_may_merge(counsellor_a, office_a):
    a, b = PersonFactory(office=office_a), PersonFactory(office=office_a)
    with pytest.raises(PermissionDenied):
        services.person_merge(actor=counsellor_a, kept=a, duplicate=b)
