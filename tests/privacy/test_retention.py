"""The retention policy: with a simulated clock (``as_of``), the job anonymises exactly the records past
their term (one day before each term: changed; on the term's day: untouched), scrubs their audit
entries, records what it did, and a second run changes nothing. Then the pages and the job."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from accompagnement.models import Person
from cai.models import SecurityEvent
from cai.privacy import services
from cai.privacy.choices import DataClass, RunStatus, RunTrigger
from cai.privacy.models import RetentionRule, RetentionRun
from cai.privacy.tasks import retention_apply_task
from parcours.models import NewcomerList, NewcomerListRow, Path, PathDocument, RowMatch
from tests.factories import AppointmentFactory, PersonFactory, aware, commune

AS_OF = dt.date(2026, 6, 15)
# With the seeded terms (months): path files 360, other files 120, contact details 24, confidential
# notes 60, unmatched list rows 12, security events 13.
PATH_CUTOFF = dt.date(1996, 6, 15)
FILE_CUTOFF = dt.date(2016, 6, 15)
CONTACT_CUTOFF = dt.date(2024, 6, 15)
NOTES_CUTOFF = dt.date(2021, 6, 15)
ROWS_CUTOFF = dt.date(2025, 6, 15)
EVENTS_CUTOFF = dt.date(2025, 5, 15)
DAY = dt.timedelta(days=1)


def person(opened_on, **fields):
    defaults = {
        "national_number": None,
        "household_notes": "Vit avec sa sœur",
        "birth_date": dt.date(1980, 7, 23),
    }
    return PersonFactory(file_opened_on=opened_on, **{**defaults, **fields})


def open_path(someone, opened_on):
    return Path.objects.create(
        person=someone,
        opened_on=opened_on,
        computed_status="oblige",
        computed_reason="",
        status="oblige",
        dispensation_note="Certificat du Dr Dupont",
    )


def list_row(newcomer_list, number, *, match=RowMatch.PENDING, linked=None):
    return NewcomerListRow.objects.create(
        newcomer_list=newcomer_list,
        number=number,
        last_name=f"LIGNE{number}",
        first_name="Prénom",
        birth_date=dt.date(1991, 5, 17),
        sex="F",
        nationality="SY",
        national_number="91051712345",
        street="Rue de Fer",
        phone="0470000000",
        email="ligne@example.org",
        registration_date=dt.date(2025, 1, 10),
        computed_status="oblige",
        computed_reason="",
        match=match,
        person=linked,
    )


def commune_list(agent, submitted_at):
    return NewcomerList.objects.create(
        commune=commune("Namur"),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 1, 31),
        source="form",
        submitted_by=agent,
        submitted_at=submitted_at,
    )


def security_event(at):
    event = SecurityEvent.objects.create(kind=SecurityEvent.Kind.LOGIN_FAILED, username="quelqu'un")
    SecurityEvent.objects.filter(pk=event.pk).update(occurred_at=at)
    return event


@pytest.fixture
def world(db, counsellor_a, commune_agent, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    path_old = person(
        PATH_CUTOFF - 20 * 365 * DAY, phone="0471111111", email="old@example.org", street="Rue A"
    )
    open_path(path_old, PATH_CUTOFF - DAY)
    old_appointment = AppointmentFactory(
        person=path_old,
        counsellor=counsellor_a,
        starts_at=aware(1990, 3, 1),
        notes="A parlé de sa famille",
        confidential_notes="Secret",
    )
    document = PathDocument.objects.create(
        person=path_old,
        kind="outil_suivi",
        file=ContentFile(b"%PDF-1.7 ancien", name="ancien.pdf"),
        sha256="0" * 64,
        created_by=counsellor_a,
    )
    path_edge = person(PATH_CUTOFF - 20 * 365 * DAY)
    open_path(path_edge, PATH_CUTOFF)
    # Opened long ago, but an appointment in 2000 is its last activity: not past the 30-year term.
    path_active = person(dt.date(1990, 1, 1))
    open_path(path_active, dt.date(1990, 1, 1))
    AppointmentFactory(person=path_active, counsellor=counsellor_a, starts_at=aware(2000, 1, 1))

    file_old = person(FILE_CUTOFF - DAY, national_number="85073003328")
    file_edge = person(FILE_CUTOFF)

    contact_old = person(CONTACT_CUTOFF - DAY, phone="0472222222", email="c@example.org", street="Rue B")
    contact_edge = person(CONTACT_CUTOFF, phone="0473333333", email="d@example.org", street="Rue C")

    recent = person(dt.date(2026, 1, 5))
    notes_old = AppointmentFactory(
        person=recent,
        counsellor=counsellor_a,
        starts_at=aware(2021, 6, 14, 16),
        confidential_notes="Old secret",
    )
    notes_edge = AppointmentFactory(
        person=recent,
        counsellor=counsellor_a,
        starts_at=aware(2021, 6, 15, 9),
        confidential_notes="Edge secret",
    )

    list_old = commune_list(commune_agent, aware(2025, 6, 14, 23, 30))
    row_pending = list_row(list_old, 1)
    row_rejected = list_row(list_old, 2, match=RowMatch.REJECTED)
    row_linked = list_row(list_old, 3, match=RowMatch.LINKED, linked=recent)
    list_edge = commune_list(commune_agent, aware(2025, 6, 15, 0, 30))
    row_edge = list_row(list_edge, 1)

    event_old = security_event(aware(2025, 5, 14, 23, 59))
    event_edge = security_event(aware(2025, 5, 15, 0, 1))
    return locals()


def reload(instance):
    return type(instance).objects.get(pk=instance.pk)


def audit_entries(instance):
    content_type = ContentType.objects.get_for_model(type(instance))
    return LogEntry.objects.filter(content_type=content_type, object_id=instance.pk)


def test_retention_job_anonymises_exactly_the_files_past_their_term(world):
    path_old, file_old = world["path_old"], world["file_old"]
    original_name = path_old.last_name

    run = services.retention_apply(as_of=AS_OF)

    for expired in (path_old, file_old):
        expired = reload(expired)
        assert expired.last_name == f"Anonyme {expired.pk}"
        assert expired.first_name == ""
        assert expired.national_number is None
        assert (expired.phone, expired.email, expired.street, expired.household_notes) == ("", "", "", "")
        assert expired.birth_date == dt.date(1980, 1, 1)  # the year stays for the yearly figures
        assert (expired.sex, expired.nationality.code) == ("F", "SY")
        assert expired.anonymised_at is not None and not expired.is_active
    # Linked records of the anonymised path file: free text cleared, the stored PDF gone.
    appointment = reload(world["old_appointment"])
    assert (appointment.notes, appointment.confidential_notes) == ("", "")
    assert reload(path_old.path).dispensation_note == ""
    assert not PathDocument.objects.filter(pk=world["document"].pk).exists()
    assert not default_storage.exists(world["document"].file.name)
    # The others are untouched.
    for kept in ("path_edge", "path_active", "file_edge", "contact_edge", "recent"):
        before = world[kept]
        after = reload(before)
        assert (after.last_name, after.birth_date, after.anonymised_at) == (
            before.last_name,
            before.birth_date,
            None,
        )
    assert reload(world["contact_edge"]).phone == "0473333333"
    assert run.status == RunStatus.DONE and not run.dry_run
    assert run.trigger == RunTrigger.SCHEDULE
    assert original_name not in str(list(audit_entries(path_old).values_list("object_repr", "changes")))


def test_retention_job_clears_only_the_parts_past_their_term(world):
    services.retention_apply(as_of=AS_OF)

    contact = reload(world["contact_old"])
    assert (contact.phone, contact.email, contact.street) == ("", "", "")
    assert contact.last_name == world["contact_old"].last_name and contact.anonymised_at is None
    assert reload(world["notes_old"]).confidential_notes == ""
    assert reload(world["notes_edge"]).confidential_notes == "Edge secret"

    for blanked in ("row_pending", "row_rejected"):
        row = reload(world[blanked])
        assert (row.last_name, row.first_name, row.national_number, row.phone, row.email, row.street) == (
            "Anonyme",
            "",
            "",
            "",
            "",
            "",
        )
        assert row.birth_date == dt.date(1991, 1, 1) and row.nationality.code == "SY"
    assert reload(world["row_linked"]).last_name == "LIGNE3"  # matched to a file: lives with the file
    assert reload(world["row_edge"]).last_name == "LIGNE1"

    assert not SecurityEvent.objects.filter(pk=world["event_old"].pk).exists()
    assert SecurityEvent.objects.filter(pk=world["event_edge"].pk).exists()


def test_audit_entries_of_anonymised_records_lose_their_old_values(world):
    path_old, contact_old, notes_old = world["path_old"], world["contact_old"], world["notes_old"]
    assert audit_entries(path_old).exists()

    services.retention_apply(as_of=AS_OF)

    for entry in audit_entries(path_old):
        assert entry.changes is None and entry.changes_text == ""
        assert entry.object_repr == f"Anonyme {path_old.pk}"
    for entry in audit_entries(world["old_appointment"]):
        assert entry.changes is None and "Anonymisé" in entry.object_repr
    # Contact details and confidential notes: only those keys leave the history.
    contact_changes = audit_entries(contact_old).get(action=LogEntry.Action.CREATE).changes
    assert (
        "phone" not in contact_changes and "email" not in contact_changes and "last_name" in contact_changes
    )
    note_changes = audit_entries(notes_old).get(action=LogEntry.Action.CREATE).changes
    assert "confidential_notes" not in note_changes and "starts_at" in note_changes
    # Records kept keep their history.
    assert "phone" in audit_entries(world["contact_edge"]).get(action=LogEntry.Action.CREATE).changes


def test_the_run_records_its_counts_and_a_second_run_changes_nothing(world):
    expected = {
        DataClass.PATH_FILE: 1,
        DataClass.PERSON_FILE: 1,
        DataClass.CONTACT_DETAILS: 1,
        DataClass.CONFIDENTIAL_NOTES: 1,
        DataClass.UNMATCHED_LIST_ROWS: 2,
        DataClass.SECURITY_EVENTS: 1,
    }
    run = services.retention_apply(as_of=AS_OF)
    assert run.counts == expected
    assert run.as_of == AS_OF and run.finished_at is not None

    snapshot = list(Person.objects.order_by("pk").values())
    second = services.retention_apply(as_of=AS_OF)
    assert second.counts == dict.fromkeys(expected, 0)
    assert list(Person.objects.order_by("pk").values()) == snapshot
    assert RetentionRun.objects.count() == 2


def test_a_dry_run_counts_without_changing_anything(world):
    snapshot = list(Person.objects.order_by("pk").values())

    run = services.retention_apply(as_of=AS_OF, dry_run=True)

    assert run.dry_run and run.status == RunStatus.DONE
    assert run.counts[DataClass.PATH_FILE] == 1 and run.counts[DataClass.UNMATCHED_LIST_ROWS] == 2
    assert list(Person.objects.order_by("pk").values()) == snapshot
    assert SecurityEvent.objects.filter(pk=world["event_old"].pk).exists()


def test_a_suspended_rule_is_not_applied(world):
    RetentionRule.objects.filter(data_class=DataClass.PERSON_FILE).update(active=False)

    run = services.retention_apply(as_of=AS_OF)

    assert DataClass.PERSON_FILE not in run.counts
    assert reload(world["file_old"]).anonymised_at is None


def test_a_longer_term_spares_what_the_default_term_would_anonymise(world, director):
    rule = RetentionRule.objects.get(data_class=DataClass.PERSON_FILE)
    services.retention_rule_update(
        actor=director, rule=rule, term_months=121, action_description=rule.action_description, active=True
    )

    services.retention_apply(as_of=AS_OF)

    assert reload(world["file_old"]).anonymised_at is None


def test_the_weekly_task_applies_the_policy_as_scheduled(world, settings):
    assert (
        settings.CELERY_BEAT_SCHEDULE["privacy-retention-apply"]["task"]
        == "cai.privacy.tasks.retention_apply_task"
    )

    run_id = retention_apply_task()

    run = RetentionRun.objects.get(pk=run_id)
    assert run.trigger == RunTrigger.SCHEDULE and run.triggered_by is None and run.status == RunStatus.DONE


def test_a_run_asked_from_the_page_is_claimed_once(world, director):
    run = RetentionRun.objects.create(as_of=AS_OF, trigger=RunTrigger.MANUAL, triggered_by=director)

    assert retention_apply_task(run_id=run.pk) == run.pk
    assert retention_apply_task(run_id=run.pk) is None  # already claimed: a redelivery does nothing

    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.counts[DataClass.PATH_FILE] == 1
    assert reload(world["path_old"]).anonymised_at is not None


# --- Pages ----------------------------------------------------------------------------------------------


def test_director_simulates_and_sees_the_counts_without_changes(db, director, login):
    client = login(director)
    old = PersonFactory(file_opened_on=dt.date(2000, 1, 1))

    response = client.post(reverse("privacy:retention_simulate"), follow=True)

    assert response.status_code == 200
    run = RetentionRun.objects.get()
    assert run.dry_run and run.triggered_by == director and run.trigger == RunTrigger.MANUAL
    assert run.counts[DataClass.PERSON_FILE] == 1
    assert "Simulation au" in response.content.decode()
    assert reload(old).anonymised_at is None


def test_director_launches_the_policy_now(db, director, login, django_capture_on_commit_callbacks):
    client = login(director)
    old = PersonFactory(file_opened_on=dt.date(2000, 1, 1))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:retention_run"))

    assert response.status_code == 302
    run = RetentionRun.objects.get()
    assert run.status == RunStatus.DONE and not run.dry_run and run.triggered_by == director
    assert reload(old).anonymised_at is not None


def test_a_rule_term_below_one_month_is_refused_with_a_french_message(db, director, login):
    rule = RetentionRule.objects.get(data_class=DataClass.CONTACT_DETAILS)
    url = reverse("privacy:retention_rule_update", args=[rule.pk])
    client = login(director)

    for bad in ("0", "-3", "douze", ""):
        response = client.post(url, {"term_months": bad, "action_description": "x", "active": "on"})
        assert response.status_code == 200
        assert "durée de conservation" in response.content.decode().lower()
    assert reload(rule).term_months == 24

    response = client.post(url, {"term_months": "36", "action_description": "Effacées.", "active": "on"})
    assert response.status_code == 302
    rule = reload(rule)
    assert (rule.term_months, rule.action_description, rule.updated_by) == (36, "Effacées.", director)


def test_the_retention_page_lists_rules_and_runs_in_few_queries(
    db, director, login, django_assert_max_num_queries
):
    client = login(director)
    url = reverse("privacy:retention")
    RetentionRun.objects.create(
        as_of=AS_OF, trigger=RunTrigger.MANUAL, triggered_by=director, counts={"x": 1}
    )
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    RetentionRun.objects.bulk_create(
        RetentionRun(as_of=AS_OF, trigger=RunTrigger.MANUAL, triggered_by=director, counts={"path_file": 3})
        for _ in range(30)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Dossiers avec parcours" in response.content.decode()


@pytest.mark.parametrize("persona", ["counsellor_a", "coordinator", "commune_agent"])
def test_other_roles_cannot_run_the_policy(db, request, persona, login):
    client = login(request.getfixturevalue(persona))
    assert client.post(reverse("privacy:retention_run")).status_code == 403
    assert client.post(reverse("privacy:retention_simulate")).status_code == 403
    assert not RetentionRun.objects.exists()
