"""The breach log (GDPR art. 33.5): every breach recorded with its facts, effects and remedies, its
notification to the APD within 72 hours (or why not, or why late), kept by the director and
administrators, every edit traceable."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cai.privacy import services
from cai.privacy.models import BreachRecord

NOW = timezone.now().replace(second=0, microsecond=0)
LOCAL = "%Y-%m-%dT%H:%M"


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime(LOCAL)


def form_data(**overrides):
    discovered = NOW - dt.timedelta(days=5)
    data = {
        "title": "Ordinateur portable volé",
        "discovered_at": local(discovered),
        "occurred_from": local(discovered - dt.timedelta(hours=6)),
        "occurred_to": local(discovered - dt.timedelta(hours=1)),
        "description": "Vol dans la voiture d'une accompagnatrice.",
        "affects_confidentiality": "on",
        "subject_categories": "Personnes accompagnées du bureau de Dinant",
        "subjects_count": "120",
        "record_categories": "Dossiers",
        "records_count": "120",
        "likely_consequences": "Faibles : disque chiffré.",
        "measures_taken": "Mot de passe changé, appareil effacé à distance.",
        "notified_authority": "on",
        "notified_at": local(discovered + dt.timedelta(hours=30)),
        "authority_reference": "APD-2026-123",
        "subjects_not_informed_reason": "Disque chiffré : risque improbable.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def service_fields(**overrides):
    discovered = NOW - dt.timedelta(days=2)
    fields = {
        "title": "Courriel mal adressé",
        "discovered_at": discovered,
        "description": "Liste envoyée au mauvais partenaire.",
        "affects_confidentiality": True,
        "subject_categories": "Primo-arrivant·e·s",
        "subjects_count": 12,
        "record_categories": "Noms, adresses",
        "records_count": 12,
        "likely_consequences": "Faibles",
        "measures_taken": "Effacement demandé et confirmé",
        "not_notified_reason": "Destinataire de confiance, effacement confirmé",
        "subjects_not_informed_reason": "Risque improbable",
    }
    fields.update(overrides)
    return fields


def test_director_records_a_notified_breach_and_the_edit_is_audited(db, director, login):
    client = login(director)

    response = client.post(reverse("privacy:breach_create"), form_data())

    breach = BreachRecord.objects.get()
    assert response.status_code == 302 and response.url == breach.get_absolute_url()
    assert breach.recorded_by == director and breach.notified_authority and not breach.notified_late
    assert breach.natures == ["Confidentialité (divulgation, accès non autorisé)"]
    assert LogEntry.objects.get_for_object(breach).filter(action=LogEntry.Action.CREATE).exists()

    response = client.post(
        reverse("privacy:breach_update", args=[breach.pk]), form_data(measures_proposed="Formation")
    )
    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.measures_proposed == "Formation"
    assert LogEntry.objects.get_for_object(breach).filter(action=LogEntry.Action.UPDATE).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Indiquez « Intitulé »"),
        ({"discovered_at": "demain"}, "« Découverte le » n&#x27;est pas valide"),
        ({"discovered_at": local(NOW + dt.timedelta(days=2))}, "ne peut être dans le futur"),
        (
            {"occurred_to": local(NOW - dt.timedelta(days=9))},
            "La fin de la violation ne peut précéder son début",
        ),
        (
            {"occurred_from": local(NOW - dt.timedelta(days=1)), "occurred_to": None},
            "ne peut commencer après sa découverte",
        ),
        ({"affects_confidentiality": None}, "Cochez au moins une nature"),
        ({"subjects_count": "-4"}, "ne peut être négatif"),
        ({"notified_at": None}, "Indiquez la date et l&#x27;heure de la notification"),
        (
            {"notified_at": local(NOW - dt.timedelta(days=6))},
            "La notification ne peut précéder la découverte",
        ),
        ({"notified_at": local(NOW - dt.timedelta(days=1))}, "plus de 72 heures après la découverte"),
        ({"notified_authority": None, "notified_at": None}, "pourquoi la violation n&#x27;est pas notifiée"),
        ({"subjects_not_informed_reason": ""}, "pourquoi les personnes concernées ne sont pas informées"),
        ({"subjects_informed": "on"}, "Indiquez la date à laquelle les personnes ont été informées"),
    ],
)
def test_bad_input_is_refused_with_a_french_message_and_nothing_saved(
    db, director, login, overrides, message
):
    response = login(director).post(reverse("privacy:breach_create"), form_data(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BreachRecord.objects.exists()


def test_a_late_notification_with_its_justification_is_flagged(db, director, login):
    data = form_data(
        notified_at=local(NOW - dt.timedelta(days=1)), late_notification_reason="Découverte un vendredi soir"
    )

    response = login(director).post(reverse("privacy:breach_create"), data)

    assert response.status_code == 302
    breach = BreachRecord.objects.get()
    assert breach.notified_late and breach.late_notification_reason == "Découverte un vendredi soir"
    assert "après 72 h" in login(director).get(reverse("privacy:breach_list")).content.decode()


def test_the_service_refuses_a_notification_before_discovery(db, director):
    with pytest.raises(ValidationError) as error:
        services.breach_create(
            actor=director,
            **service_fields(
                notified_authority=True, notified_at=NOW - dt.timedelta(days=3), not_notified_reason=""
            ),
        )
    assert "notified_at" in error.value.message_dict
    assert not BreachRecord.objects.exists()


def test_the_list_is_newest_first_and_filters_on_notification(db, director, login):
    old = services.breach_create(
        actor=director, **service_fields(title="Ancienne", discovered_at=NOW - dt.timedelta(days=40))
    )
    new = services.breach_create(actor=director, **service_fields(title="Récente"))
    notified = services.breach_create(
        actor=director,
        **service_fields(
            title="Notifiée",
            discovered_at=NOW - dt.timedelta(days=10),
            notified_authority=True,
            notified_at=NOW - dt.timedelta(days=9),
        ),
    )
    client = login(director)

    assert list(client.get(reverse("privacy:breach_list")).context["breaches"]) == [new, notified, old]
    assert list(client.get(reverse("privacy:breach_list"), {"notified": "true"}).context["breaches"]) == [
        notified
    ]
    assert list(client.get(reverse("privacy:breach_list"), {"notified": "false"}).context["breaches"]) == [
        new,
        old,
    ]


def test_the_empty_list_says_what_to_do(db, director, login):
    content = login(director).get(reverse("privacy:breach_list")).content.decode()
    assert "Aucune violation consignée" in content and reverse("privacy:breach_create") in content


def test_the_list_costs_the_same_queries_with_few_or_many_breaches(
    db, director, administrator, login, django_assert_max_num_queries
):
    client = login(director)
    url = reverse("privacy:breach_list")
    services.breach_create(actor=director, **service_fields())
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(30):
        services.breach_create(
            actor=administrator if n % 2 else director, **service_fields(title=f"Violation {n}")
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["paginator"].count == 31
    assert len(response.context["breaches"]) == 25


def test_a_missing_breach_answers_404(db, director, login):
    assert login(director).get(reverse("privacy:breach_update", args=[999999])).status_code == 404


@pytest.mark.parametrize("persona", ["counsellor_a", "coordinator", "commune_agent"])
def test_other_roles_cannot_record_a_breach(db, request, persona, login):
    response = login(request.getfixturevalue(persona)).post(reverse("privacy:breach_create"), form_data())
    assert response.status_code == 403
    assert not BreachRecord.objects.exists()
