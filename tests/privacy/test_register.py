"""The register of processing activities (GDPR art. 30): seeded with what the application does, kept
by the director and administrators through the pages, exported whole as a PDF."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from cai.privacy.models import ProcessingActivity, RetentionRule
from tests.pdfutils import pdf_text


def valid_data(**overrides):
    data = {
        "name": "Vidéosurveillance de l'accueil",
        "purposes": "Sécurité des personnes et des biens",
        "legal_basis": "f",
        "legal_basis_detail": "Loi caméras du 21 mars 2007",
        "subject_categories": "Visiteurs et personnel",
        "data_categories": "Images",
        "recipients": "Direction, police sur réquisition",
        "retention_rule": "",
        "retention_text": "30 jours",
        "security_measures": "Accès restreint",
        "last_reviewed_on": "2026-11-02",
    }
    return {**data, **overrides}


def test_the_register_is_seeded_with_what_the_application_does(db):
    names = set(ProcessingActivity.objects.values_list("name", flat=True))
    assert len(names) == 7
    assert any("Parcours d'intégration" in name for name in names)
    assert any("Listes communales" in name for name in names)
    path = ProcessingActivity.objects.get(name__startswith="Parcours")
    assert path.retention_rule == RetentionRule.objects.get(data_class="path_file")
    assert path.special_categories and path.special_condition


def test_director_adds_an_activity_and_the_change_is_audited(db, director, login):
    client = login(director)

    response = client.post(reverse("privacy:activity_create"), valid_data())

    activity = ProcessingActivity.objects.get(name="Vidéosurveillance de l'accueil")
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    assert activity.updated_by == director and activity.retention_text == "30 jours"
    assert LogEntry.objects.get_for_object(activity).filter(action=LogEntry.Action.CREATE).exists()


def test_administrator_edits_an_activity(db, administrator, login):
    activity = ProcessingActivity.objects.get(name__startswith="Listes communales")
    client = login(administrator)
    data = valid_data(name=activity.name, recipients="Agent·e·s communaux·ales")

    response = client.post(reverse("privacy:activity_update", args=[activity.pk]), data)

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.recipients == "Agent·e·s communaux·ales" and activity.updated_by == administrator


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"name": ""}, "Indiquez « traitement »"),
        ({"legal_basis": "z"}, "Choisissez « base légale"),
        ({"special_categories": "on"}, "condition de l&#x27;article 9.2"),
        ({"special_condition": "h"}, "ne s&#x27;indique que pour des catégories particulières"),
        ({"transfers_outside_eu": "on"}, "garanties des transferts"),
        ({"retention_text": ""}, "Indiquez la durée de conservation"),
        ({"last_reviewed_on": "31/02/2026"}, "dernière révision le"),
    ],
)
def test_bad_input_is_refused_with_a_french_message_and_nothing_saved(
    db, director, login, overrides, field_message
):
    client = login(director)
    before = ProcessingActivity.objects.count()

    response = client.post(reverse("privacy:activity_create"), valid_data(**overrides))

    assert response.status_code == 200
    assert field_message.lower() in response.content.decode().lower()
    assert ProcessingActivity.objects.count() == before


def test_a_duplicate_name_is_refused(db, director, login):
    existing = ProcessingActivity.objects.first()
    response = login(director).post(reverse("privacy:activity_create"), valid_data(name=existing.name))
    assert response.status_code == 200
    assert "Un traitement porte déjà ce nom." in response.content.decode().replace("&#x27;", "'")


def test_the_list_filters_by_legal_basis_and_sorts(db, director, login):
    client = login(director)

    response = client.get(reverse("privacy:activity_list"), {"legal_basis": "c", "tri": "-nom"})

    activities = list(response.context["activities"])
    assert activities and all(activity.legal_basis == "c" for activity in activities)
    assert [a.name for a in activities] == sorted((a.name for a in activities), reverse=True)


def test_an_unknown_filter_value_is_not_an_error(db, director, login):
    response = login(director).get(reverse("privacy:activity_list"), {"legal_basis": "zz", "page": "999"})
    assert response.status_code == 200


def test_the_list_costs_the_same_queries_with_few_or_many_activities(
    db, director, login, django_assert_max_num_queries
):
    client = login(director)
    url = reverse("privacy:activity_list")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    rule = RetentionRule.objects.first()
    ProcessingActivity.objects.bulk_create(
        ProcessingActivity(
            name=f"Traitement {n}",
            purposes="p",
            legal_basis="e",
            subject_categories="s",
            data_categories="d",
            recipients="r",
            retention_rule=rule,
            security_measures="m",
            last_reviewed_on="2026-01-01",
            updated_by=director,
        )
        for n in range(40)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["paginator"].count == 47


def test_the_register_pdf_holds_every_activity_and_the_controller(db, director, login, settings):
    settings.CAI_PRIVACY_DPO = "DPO de test : dpo@example.org"

    response = login(director).get(reverse("privacy:register_pdf"))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, layout=False)
    assert "Registre des activités de traitement" in text
    assert "DPO de test" in text
    assert "Réseau des partenaires" in text
    assert "Comptes du personnel et journaux de sécurité" in text


def test_a_missing_activity_answers_404(db, director, login):
    assert login(director).get(reverse("privacy:activity_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("persona", ["counsellor_a", "coordinator", "commune_agent"])
def test_other_roles_cannot_write_the_register(db, request, persona, login):
    client = login(request.getfixturevalue(persona))
    before = ProcessingActivity.objects.count()
    assert client.post(reverse("privacy:activity_create"), valid_data()).status_code == 403
    assert ProcessingActivity.objects.count() == before


def test_navigation_offers_data_protection_to_director_and_administrators_only(
    db, director, administrator, counsellor_a, login
):
    url = reverse("privacy:home")
    for user, shown in ((director, True), (administrator, True), (counsellor_a, False)):
        content = login(user).get(reverse("profile")).content.decode()
        assert (f'href="{url}"' in content) is shown


def test_the_hub_links_every_record(db, director, login):
    content = login(director).get(reverse("privacy:home")).content.decode()
    for name in ("privacy:activity_list", "privacy:breach_list", "privacy:retention"):
        assert reverse(name) in content
