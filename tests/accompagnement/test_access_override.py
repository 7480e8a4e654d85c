"""Out-of-office access ("accès exceptionnel", break the glass): a counsellor opens a file another office
follows, for a stated reason, for ACCESS_OVERRIDE_HOURS; every opening is audited with the override."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accompagnement import services
from accompagnement.models import AccessOverride, Person
from tests.factories import AppointmentFactory, PersonFactory

pytestmark = pytest.mark.django_db

NN = "85073003328"
OVERRIDE_URL = reverse("accompagnement:access_override_create")
SEARCH_URL = reverse("accompagnement:person_search")
REASON = "La personne se présente à la permanence de Namur."


@pytest.fixture
def dinant_file(office_b):
    """A file followed by Dinant (office B), with a number a Namur counsellor may type."""
    return PersonFactory(office=office_b, national_number=NN, birth_date=dt.date(1985, 7, 30), sex="M")


def detail_url(person):
    return reverse("accompagnement:person_detail", args=[person.pk])


def access_rows(person):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person),
        object_id=person.pk,
        action=LogEntry.Action.ACCESS,
    )


def test_without_override_another_office_file_answers_404(login, counsellor_a, dinant_file):
    assert login(counsellor_a).get(detail_url(dinant_file)).status_code == 404
    assert not access_rows(dinant_file).exists()


def test_with_override_the_file_opens_and_each_opening_is_audited_with_it(login, counsellor_a, dinant_file):
    override = services.access_override_grant(user=counsellor_a, person=dinant_file, reason=REASON)
    client = login(counsellor_a)
    assert client.get(detail_url(dinant_file)).status_code == 200
    response = client.get(detail_url(dinant_file))
    assert response.status_code == 200
    assert "par un accès exceptionnel" in response.content.decode()
    rows = list(access_rows(dinant_file))
    assert len(rows) == 2
    assert {row.actor_id for row in rows} == {counsellor_a.pk}
    assert all(row.additional_data == {"override": override.pk} for row in rows)
    assert override.expires_at - override.granted_at == dt.timedelta(hours=8)


def test_an_expired_override_answers_404(login, counsellor_a, dinant_file):
    override = services.access_override_grant(user=counsellor_a, person=dinant_file, reason=REASON)
    AccessOverride.objects.filter(pk=override.pk).update(
        granted_at=timezone.now() - dt.timedelta(hours=9), expires_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert login(counsellor_a).get(detail_url(dinant_file)).status_code == 404


def test_an_override_opens_the_file_to_its_holder_only(login, counsellor_a, office_b, dinant_file):
    from cai.choices import Role
    from tests.factories import UserFactory, office

    services.access_override_grant(user=counsellor_a, person=dinant_file, reason=REASON)
    other_namur = UserFactory(username="nadia", role=Role.COUNSELLOR, offices=[office("namur")])
    assert login(other_namur).get(detail_url(dinant_file)).status_code == 404
    # Nor any other file of Dinant for the holder.
    assert login(counsellor_a).get(detail_url(PersonFactory(office=office_b))).status_code == 404


def test_an_override_shows_the_file_appointments_too(counsellor_a, counsellor_b, dinant_file):
    appointment = AppointmentFactory(person=dinant_file, counsellor=counsellor_b)
    from accompagnement.models import Appointment

    assert not Appointment.objects.visible_to(counsellor_a).filter(pk=appointment.pk).exists()
    services.access_override_grant(user=counsellor_a, person=dinant_file, reason=REASON)
    assert Appointment.objects.visible_to(counsellor_a).filter(pk=appointment.pk).exists()


def test_the_gate_stays_one_query_with_many_overrides(django_assert_num_queries, counsellor_a, office_b):
    people = PersonFactory.create_batch(5, office=office_b)
    for person in people:
        services.access_override_grant(user=counsellor_a, person=person, reason=REASON)
    with django_assert_num_queries(1):
        assert len(list(Person.objects.visible_to(counsellor_a))) == 5


def test_the_reason_is_required_and_nothing_is_saved_without_it(counsellor_a, dinant_file):
    with pytest.raises(ValidationError) as error:
        services.access_override_grant(user=counsellor_a, person=dinant_file, reason="  court ")
    assert "motif" in " ".join(error.value.message_dict["reason"])
    assert not AccessOverride.objects.exists()


def test_only_counsellors_get_an_override(director, coordinator, dinant_file):
    for user in (director, coordinator):
        with pytest.raises(PermissionDenied):
            services.access_override_grant(user=user, person=dinant_file, reason=REASON)
    assert not AccessOverride.objects.exists()


def test_no_override_for_a_file_of_ones_own_office(counsellor_b, dinant_file):
    with pytest.raises(ValidationError):
        services.access_override_grant(user=counsellor_b, person=dinant_file, reason=REASON)


def test_a_search_by_number_offers_the_override_and_names_only_the_office(login, counsellor_a, dinant_file):
    response = login(counsellor_a).post(SEARCH_URL, {"q": "85.07.30-033.28"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Un dossier existe pour ce numéro au bureau de Dinant" in content
    assert "Ouvrir ce dossier (accès exceptionnel)" in content
    assert dinant_file.last_name not in content
    assert detail_url(dinant_file) not in content


def test_a_search_by_name_offers_no_override(login, counsellor_a, dinant_file):
    response = login(counsellor_a).post(SEARCH_URL, {"q": dinant_file.last_name})
    assert "accès exceptionnel" not in response.content.decode()


def test_the_intake_blocking_duplicate_offers_the_override(login, counsellor_a, office_a, dinant_file):
    data = {
        "last_name": "Haddad",
        "first_name": "Yara",
        "birth_date": "30/07/1985",
        "sex": "M",
        "nationality": "SY",
        "office": str(office_a.pk),
        "referral": "self",
        "national_number": NN,
    }
    response = login(counsellor_a).post(reverse("accompagnement:person_create"), data)
    assert response.status_code == 200
    assert response.context["elsewhere_office"] == "Dinant"
    assert "Ouvrir ce dossier (accès exceptionnel)" in response.content.decode()


def test_the_override_form_grants_and_opens_the_file(login, counsellor_a, dinant_file):
    client = login(counsellor_a)
    response = client.post(OVERRIDE_URL, {"national_number": NN, "reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == detail_url(dinant_file)
    override = AccessOverride.objects.get()
    assert (override.user, override.person, override.reason) == (counsellor_a, dinant_file, REASON)
    assert client.get(detail_url(dinant_file)).status_code == 200


def test_the_override_form_without_a_reason_says_so_and_grants_nothing(login, counsellor_a, dinant_file):
    response = login(counsellor_a).post(OVERRIDE_URL, {"national_number": NN, "reason": "urgent"})
    assert response.status_code == 400
    assert "Le motif doit compter au moins 10 caractères." in response.content.decode()
    assert not AccessOverride.objects.exists()


def test_the_override_form_is_for_counsellors_only(login, director, coordinator, dinant_file):
    for user in (director, coordinator):
        response = login(user).post(OVERRIDE_URL, {"national_number": NN, "reason": REASON})
        assert response.status_code == 403
    assert not AccessOverride.objects.exists()


def test_a_document_download_under_override_is_audited_with_it(login, counsellor_a, dinant_file):
    from django.core.files.base import ContentFile

    from parcours.models import PathDocument

    document = PathDocument.objects.create(
        person=dinant_file,
        kind="outil_suivi",
        file=ContentFile(b"%PDF-1.7 test", name="test.pdf"),
        sha256="0" * 64,
        created_by=counsellor_a,
    )
    override = services.access_override_grant(user=counsellor_a, person=dinant_file, reason=REASON)
    response = login(counsellor_a).get(reverse("parcours:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert access_rows(dinant_file).get().additional_data == {
        "document": document.pk,
        "override": override.pk,
    }


def test_an_override_opens_the_files_path_as_the_file_itself(counsellor_a, dinant_file):
    from parcours.models import Path

    path = Path.objects.create(person=dinant_file, opened_on=dt.date(2026, 1, 5))
    assert not Path.objects.visible_to(counsellor_a).filter(pk=path.pk).exists()
    services.access_override_grant(user=counsellor_a, person=dinant_file, reason=REASON)
    assert Path.objects.visible_to(counsellor_a).filter(pk=path.pk).exists()
