"""``manage.py load_demo``: a valid, realistic demo year, idempotent, with working demo accounts."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone
from django_otp import match_token

from accompagnement.demo import DEMO_PASSWORD
from accompagnement.models import Appointment, Office, Person
from accompagnement.numbers import check_national_number
from accompagnement.text import person_search_text
from cai.choices import Role
from cai.models import User
from tests.factories import PersonFactory, office

BRUSSELS = ZoneInfo("Europe/Brussels")
DEMO_ACCOUNTS = {
    "conseiller": Role.COUNSELLOR,
    "conseiller.dinant": Role.COUNSELLOR,
    "coordination": Role.COORDINATOR,
    "direction": Role.DIRECTOR,
    "commune.namur": Role.COMMUNE_AGENT,
    "admin": Role.ADMIN,
}
# Fixed-date Belgian public holidays: no office is open.
FIXED_HOLIDAYS = {(1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)}

pytestmark = pytest.mark.django_db


def load(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_output():
    return load("--people", "60", "--seed", "1")


def printed_codes(output: str) -> dict[str, str]:
    """The recovery code printed on each account's line (the last column)."""
    codes = {}
    for line in output.splitlines():
        words = line.split()
        if words and words[0] in DEMO_ACCOUNTS:
            codes[words[0]] = words[-1]
    return codes


def test_load_demo_creates_the_requested_people_in_every_office_with_namur_largest(demo_output):
    assert Person.objects.count() == 60
    per_office = dict(Office.objects.annotate(n=Count("people")).values_list("slug", "n"))
    assert len(per_office) == 8
    assert all(count > 0 for count in per_office.values()), per_office
    assert per_office["namur"] == max(per_office.values())
    assert "60 personnes" in demo_output


def test_load_demo_spreads_people_over_many_nationalities_mostly_outside_the_eu(demo_output):
    people = list(Person.objects.all())
    assert len({p.nationality.code for p in people}) >= 20
    non_eu = sum(p.origin_group == "hors_ue" for p in people)
    assert non_eu / len(people) > 0.75
    assert {p.sex for p in people} >= {"F", "M"}


def test_every_person_is_served_by_the_office_of_their_commune_and_has_a_search_key(demo_output):
    for person in Person.objects.select_related("commune"):
        assert person.commune.office_id == person.office_id
        assert person.postal_code == person.commune.main_postal_code
        assert person.search_text == person_search_text(person.first_name, person.last_name)
        assert person.file_opened_on <= timezone.localdate()


def test_every_stored_national_number_is_valid_and_matches_birth_date_and_sex(demo_output):
    numbered = Person.objects.exclude(national_number=None)
    assert numbered.count() >= 30  # about 70 % of 60
    for person in numbered:
        checked = check_national_number(person.national_number)
        assert checked.number == person.national_number
        assert checked.kind == person.number_kind
        assert checked.birth_date == person.birth_date
        if checked.sex:
            assert checked.sex == person.sex


def test_every_appointment_has_a_request_type_and_falls_on_a_working_day_between_nine_and_five(demo_output):
    appointments = Appointment.objects.select_related("person").annotate(types=Count("request_types"))
    assert appointments.count() >= 60
    for appointment in appointments:
        assert 1 <= appointment.types <= 3
        start = timezone.localtime(appointment.starts_at, BRUSSELS)
        end = start + dt.timedelta(minutes=appointment.duration_minutes)
        assert start.weekday() < 5, start
        assert (start.month, start.day) not in FIXED_HOLIDAYS, start
        assert dt.time(9) <= start.time() and end.time() <= dt.time(17) and end.date() == start.date(), start
        assert appointment.office_id == appointment.person.office_id
        assert bool(appointment.interpreter_language_id) == bool(appointment.interpreter_service)


def test_appointments_are_held_by_a_counsellor_of_the_persons_office(demo_output):
    for appointment in Appointment.objects.select_related("counsellor", "person"):
        assert appointment.counsellor.role == Role.COUNSELLOR
        assert appointment.counsellor.offices.filter(pk=appointment.person.office_id).exists()


def test_demo_counsellor_has_appointments_this_week_and_on_the_next_working_day(demo_output):
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    next_week = monday + dt.timedelta(days=7)
    own = Appointment.objects.filter(counsellor__username="conseiller")
    this_week = own.filter(starts_at__gte=dt.datetime.combine(monday, dt.time.min, tzinfo=BRUSSELS))
    assert (
        this_week.filter(starts_at__lt=dt.datetime.combine(next_week, dt.time.min, tzinfo=BRUSSELS)).count()
        >= 3
    )
    next_days = own.filter(starts_at__gte=dt.datetime.combine(today, dt.time.min, tzinfo=BRUSSELS))
    assert next_days.exists()


def test_the_six_demo_accounts_exist_with_their_roles_and_scopes(demo_output):
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_ACCOUNTS)}
    assert {name: u.role for name, u in users.items()} == DEMO_ACCOUNTS
    assert set(users["conseiller"].offices.values_list("slug", flat=True)) == {"namur", "gembloux"}
    assert set(users["conseiller.dinant"].offices.values_list("slug", flat=True)) == {"dinant"}
    assert users["coordination"].path_coordination
    assert list(users["commune.namur"].agent_communes.values_list("name", flat=True)) == ["Namur"]
    assert users["admin"].is_staff and users["admin"].is_superuser
    assert not users["direction"].is_staff
    for user in users.values():
        assert user.check_password(DEMO_PASSWORD)
    assert User.objects.filter(role=Role.COUNSELLOR).count() == 8
    assert User.objects.filter(role=Role.COORDINATOR).count() == 4


def test_each_printed_recovery_code_is_a_working_single_use_second_factor(demo_output):
    codes = printed_codes(demo_output)
    assert set(codes) == set(DEMO_ACCOUNTS)
    for username, code in codes.items():
        user = User.objects.get(username=username)
        assert match_token(user, code) is not None, username
        assert match_token(user, code) is None, username  # used up


def test_demo_password_passes_the_password_validators_and_a_warning_is_printed(demo_output):
    validate_password(DEMO_PASSWORD)
    assert "ATTENTION" in demo_output and "démonstration" in demo_output


def test_running_twice_creates_nothing_new_and_prints_fresh_codes(demo_output):
    counts = (Person.objects.count(), Appointment.objects.count(), User.objects.count())
    second = load("--people", "60", "--seed", "1")
    assert (Person.objects.count(), Appointment.objects.count(), User.objects.count()) == counts
    assert "déjà chargées" in second
    fresh = printed_codes(second)
    assert set(fresh) == set(DEMO_ACCOUNTS)
    assert match_token(User.objects.get(username="direction"), fresh["direction"]) is not None


def test_reset_rebuilds_the_demo_and_keeps_files_recorded_by_hand(demo_output):
    kept = PersonFactory(last_name="Gardé", office=office("dinant"))
    old_ids = set(Appointment.objects.values_list("id", flat=True))
    output = load("--people", "40", "--seed", "2", "--reset")
    assert "40 personnes" in output
    assert Person.objects.count() == 41
    assert Person.objects.filter(pk=kept.pk).exists()
    assert not old_ids & set(Appointment.objects.values_list("id", flat=True))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--people", "0"], "--people"),
        (["--people", "-5"], "--people"),
        (["--year", "1999"], "--year"),
        (["--year", "2999"], "--year"),
    ],
)
def test_bad_arguments_are_refused_with_a_french_message_and_nothing_is_created(args, message):
    with pytest.raises(CommandError, match=message) as error:
        load(*args)
    assert "indiquez" in str(error.value)
    assert not Person.objects.exists()
    assert not User.objects.filter(username="conseiller").exists()


def test_production_settings_are_refused_without_force():
    with override_settings(SETTINGS_MODULE="cai.settings.production"):
        with pytest.raises(CommandError, match="production"):
            load("--people", "5")
    assert not User.objects.filter(username="admin").exists()
