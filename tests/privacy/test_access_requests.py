"""The register of access requests: the one-month deadline of art. 12.3, who records, bad dates."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cai.privacy import services
from cai.privacy.models import SubjectAccessRequest
from tests.factories import PersonFactory, office

pytestmark = pytest.mark.django_db


def test_request_is_due_one_month_after_receipt(director):
    person = PersonFactory(office=office("namur"))
    request = services.subject_access_request_record(
        actor=director, person=person, received_on=dt.date(2026, 1, 31)
    )
    assert request.due_on == dt.date(2026, 2, 28)  # the end of the shorter month
    assert request.requester_name == str(person)
    assert request.is_late


def test_delivery_is_recorded_and_not_before_receipt(director):
    person = PersonFactory(office=office("namur"))
    today = timezone.localdate()
    request = services.subject_access_request_record(actor=director, person=person, received_on=today)
    with pytest.raises(ValidationError) as error:
        services.subject_access_request_deliver(
            actor=director, request=request, delivered_on=today - dt.timedelta(days=1)
        )
    assert "La réponse ne peut précéder la réception de la demande." in str(error.value)
    services.subject_access_request_deliver(actor=director, request=request, delivered_on=today)
    request.refresh_from_db()
    assert request.delivered_on == today and not request.is_late


def test_future_receipt_is_refused_with_a_french_message_and_nothing_saved(administrator):
    person = PersonFactory(office=office("namur"))
    with pytest.raises(ValidationError) as error:
        services.subject_access_request_record(
            actor=administrator, person=person, received_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert error.value.message_dict == {
        "received_on": ["La date de réception ne peut pas être dans le futur."]
    }
    assert not SubjectAccessRequest.objects.exists()


def test_only_the_controller_records_requests(counsellor_a):
    person = PersonFactory(office=office("namur"))
    with pytest.raises(PermissionDenied):
        services.subject_access_request_record(
            actor=counsellor_a, person=person, received_on=timezone.localdate()
        )


def test_administrator_records_and_delivers_a_request_in_the_admin_site(administrator):
    from django.urls import reverse

    from tests.conftest import signed_in_client

    person = PersonFactory(office=office("namur"))
    client = signed_in_client(administrator)
    today = timezone.localdate()
    response = client.post(
        reverse("admin:privacy_subjectaccessrequest_add"),
        {
            "person": person.pk,
            "requester_name": "",
            "received_on": today.isoformat(),
            "notes": "Par courrier",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    request = SubjectAccessRequest.objects.get()
    assert request.recorded_by == administrator
    assert request.due_on == services.access_request_due_on(today)
    change_url = reverse("admin:privacy_subjectaccessrequest_change", args=[request.pk])
    assert client.get(change_url).status_code == 200
    response = client.post(change_url, {"delivered_on": today.isoformat()})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.delivered_on == today
    assert client.get(reverse("admin:privacy_subjectaccessrequest_changelist")).status_code == 200
