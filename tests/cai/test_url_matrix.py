"""The permission matrix over every URL the resolver knows, so that a page or endpoint added without
an entry here fails the suite. Each entry: how to build the URL, and the expected status of a GET for
each persona. Scope: the objects belong to office A (Namur); counsellor_b (Dinant) is "other scope",
and must get 404 wherever counsellor_a gets a 2xx on an object.

Per-page behaviours (writes, bad input, HTMX fragments) are tested beside each app; this file is the
net that proves nothing is left open."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cai.choices import Role
from tests.conftest import signed_in_client
from tests.factories import AppointmentFactory, PersonFactory, UserFactory, office

PERSONAS = [
    "counsellor_a",
    "counsellor_b",
    "coordinator",
    "director",
    "administrator",
    "commune_agent",
    "commune_agent_other",
    "disabled",
    "anonymous",
]

LOGIN = 302  # redirected to the sign-in page
PAGE_STAFF_ONLY = {
    "counsellor_a": 200,
    "counsellor_b": 200,
    "coordinator": 200,
    "director": 200,
    "administrator": 200,
}
PEOPLE_READERS = {"counsellor_a": 200, "counsellor_b": 200, "director": 200, "administrator": 200}
OWN_OBJECT_READERS = {"counsellor_a": 200, "counsellor_b": 404, "director": 200, "administrator": 200}
OWN_OBJECT_EDITORS = {"counsellor_a": 200, "counsellor_b": 404, "director": 403, "administrator": 200}
API_STAFF = {
    "counsellor_a": 200,
    "counsellor_b": 200,
    "coordinator": 200,
    "director": 200,
    "administrator": 200,
}


def expect(allowed: dict, *, default=403, anonymous=LOGIN) -> dict:
    """Expected status per persona: ``allowed`` overrides, other signed-in personas get ``default``."""
    result = {p: allowed.get(p, default) for p in PERSONAS}
    result["anonymous"] = anonymous
    result["disabled"] = anonymous  # a disabled account is signed out at its next request
    return result


def build(world):
    person, appointment = world["person"], world["appointment"]
    counsellor_token = world["counsellor_a"].calendar_token
    return {
        "home": (reverse("home"), expect(dict.fromkeys(PERSONAS, 302))),
        "login": (reverse("login"), expect({}, default=302, anonymous=200)),
        "twofactor_verify": (reverse("twofactor_verify"), expect({}, default=302, anonymous=302)),
        # A verified user may replace their authenticator; a password-only session is handled in test_signin.
        "twofactor_enrol": (reverse("twofactor_enrol"), expect({}, default=200, anonymous=302)),
        "logout": (reverse("logout"), expect({}, default=405, anonymous=302)),  # sign-out is a POST
        "profile": (reverse("profile"), expect({}, default=200)),
        "twofactor_manage": (reverse("twofactor_manage"), expect({}, default=200)),
        "audit_log": (reverse("audit_log"), expect({"director": 200, "administrator": 200})),
        "healthz": (reverse("healthz"), expect({}, default=200, anonymous=200)),
        "accompagnement:office_list": (reverse("accompagnement:office_list"), expect(PAGE_STAFF_ONLY)),
        "accompagnement:office_detail": (
            reverse("accompagnement:office_detail", args=["namur"]),
            expect(PAGE_STAFF_ONLY),
        ),
        "accompagnement:person_list": (reverse("accompagnement:person_list"), expect(PEOPLE_READERS)),
        "accompagnement:person_search": (
            reverse("accompagnement:person_search"),
            expect(dict.fromkeys(PEOPLE_READERS, 302)),
        ),
        "accompagnement:person_create": (
            reverse("accompagnement:person_create"),
            expect({"counsellor_a": 200, "counsellor_b": 200, "administrator": 200}),
        ),
        "accompagnement:person_detail": (
            reverse("accompagnement:person_detail", args=[person.pk]),
            expect(OWN_OBJECT_READERS),
        ),
        "accompagnement:person_update": (
            reverse("accompagnement:person_update", args=[person.pk]),
            expect(OWN_OBJECT_EDITORS),
        ),
        "accompagnement:appointment_list": (
            reverse("accompagnement:appointment_list"),
            expect(PEOPLE_READERS),
        ),
        "accompagnement:appointment_create": (
            reverse("accompagnement:appointment_create") + f"?personne={person.pk}",
            expect({"counsellor_a": 200, "counsellor_b": 404, "administrator": 200}),
        ),
        "accompagnement:appointment_detail": (
            reverse("accompagnement:appointment_detail", args=[appointment.pk]),
            expect(OWN_OBJECT_READERS),
        ),
        "accompagnement:appointment_update": (
            reverse("accompagnement:appointment_update", args=[appointment.pk]),
            expect(OWN_OBJECT_EDITORS),
        ),
        "accompagnement:appointment_delete": (
            reverse("accompagnement:appointment_delete", args=[appointment.pk]),
            expect(OWN_OBJECT_EDITORS),
        ),
        "accompagnement:my_day": (
            reverse("accompagnement:my_day"),
            expect({"counsellor_a": 200, "counsellor_b": 200}),
        ),
        "accompagnement:calendar_token_rotate": (
            reverse("accompagnement:calendar_token_rotate"),
            expect({"counsellor_a": 405, "counsellor_b": 405}),
        ),
        # The feed's secret token is its credential: valid for anyone holding it, 404 otherwise.
        "accompagnement:calendar_feed": (
            reverse("accompagnement:calendar_feed", args=[counsellor_token]),
            expect({}, default=200, anonymous=200),
        ),
        "api-token": (reverse("api-token"), expect({}, default=405, anonymous=405)),
        "api-schema": (reverse("api-schema"), expect({}, default=200, anonymous=401)),
        "api-docs": (reverse("api-docs"), expect({}, default=200, anonymous=302)),
        "api-root": (reverse("api-root"), expect(API_STAFF, default=200, anonymous=401)),
        "api-person-list": (reverse("api-person-list"), expect(PEOPLE_READERS, anonymous=401)),
        "api-person-search": (
            reverse("api-person-search"),
            expect(dict.fromkeys(PEOPLE_READERS, 405), anonymous=401),
        ),
        "api-person-detail": (
            reverse("api-person-detail", args=[person.pk]),
            expect(OWN_OBJECT_READERS, anonymous=401),
        ),
        "api-appointment-list": (reverse("api-appointment-list"), expect(PEOPLE_READERS, anonymous=401)),
        "api-appointment-detail": (
            reverse("api-appointment-detail", args=[appointment.pk]),
            expect(OWN_OBJECT_READERS, anonymous=401),
        ),
        "api-office-list": (reverse("api-office-list"), expect(API_STAFF, anonymous=401)),
        "api-office-detail": (
            reverse("api-office-detail", args=[world["office_a"].pk]),
            expect(API_STAFF, anonymous=401),
        ),
        "api-commune-list": (reverse("api-commune-list"), expect({}, default=200, anonymous=401)),
        "api-commune-detail": (
            reverse("api-commune-detail", args=[world["namur_commune"].pk]),
            expect({"commune_agent_other": 404}, default=200, anonymous=401),
        ),
        "api-request-type-list": (reverse("api-request-type-list"), expect(API_STAFF, anonymous=401)),
        "api-request-type-detail": (
            reverse("api-request-type-detail", args=["parcours"]),
            expect(API_STAFF, anonymous=401),
        ),
        # P3: path documents (generation is a POST: a GET answers 405 to editors, 403 to the others).
        "parcours:document_list": (
            reverse("parcours:document_list", args=[person.pk]),
            expect(OWN_OBJECT_READERS),
        ),
        "parcours:document_create": (
            reverse("parcours:document_create", args=[person.pk, "outil_suivi"]),
            expect({"counsellor_a": 405, "counsellor_b": 405, "administrator": 405}),
        ),
        "parcours:document_download": (
            reverse("parcours:document_download", args=[world["document"].pk]),
            expect(OWN_OBJECT_READERS),
        ),
        # P1: the person's path (writes answer 403 to the director; POST-only routes 405 to editors)
        # and the "Échéances" page.
        **path_routes(person, world["evaluation"]),
        # P2: collective sessions and duos (POST-only routes: 405 to editors, 403 to the others).
        **session_duo_routes(person, world["session"], world["duo"]),
    }


def named_urls(patterns=None, namespace=None):
    """Every named URL of the project, namespaced, except the Django admin (its own permission system)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            ns = pattern.namespace and (
                f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            )
            yield from named_urls(pattern.url_patterns, ns or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


@pytest.fixture
def world(
    db, counsellor_a, counsellor_b, coordinator, director, administrator, commune_agent, commune_agent_other
):
    namur = office("namur")
    person = PersonFactory(office=namur)
    return {
        "counsellor_a": counsellor_a,
        "office_a": namur,
        "namur_commune": commune_agent.agent_communes.get(),
        "person": person,
        "appointment": AppointmentFactory(person=person, counsellor=counsellor_a),
        "document": _path_document(person, counsellor_a),  # P3: a stored path document of the person
        "evaluation": _path_with_evaluation(person, counsellor_a),  # P1: an open path, one interview
        **_session_and_duo(person, counsellor_a),  # P2: a session of office A with the person, a duo
        "clients": {
            "counsellor_a": signed_in_client(counsellor_a),
            "counsellor_b": signed_in_client(counsellor_b),
            "coordinator": signed_in_client(coordinator),
            "director": signed_in_client(director),
            "administrator": signed_in_client(administrator),
            "commune_agent": signed_in_client(commune_agent),
            "commune_agent_other": signed_in_client(commune_agent_other),
            "disabled": _disabled_client(),
            "anonymous": Client(),
        },
    }


def _path_document(person, author):
    """P3: a stored document (a small stand-in file, no rendering) for the download URL."""
    from django.core.files.base import ContentFile

    from parcours.models import PathDocument

    return PathDocument.objects.create(
        person=person,
        kind="outil_suivi",
        file=ContentFile(b"%PDF-1.7 matrice", name="matrice.pdf"),
        sha256="0" * 64,
        created_by=author,
    )


def path_routes(person, evaluation) -> dict:
    """P1: the path pages of the person (office A) and the "Échéances" page."""
    post_only = expect({"counsellor_a": 405, "counsellor_b": 404, "administrator": 405})
    routes = {
        "parcours:path_detail": (
            reverse("parcours:path_detail", args=[person.pk]),
            expect(OWN_OBJECT_READERS),
        ),
        "parcours:path_open": (reverse("parcours:path_open", args=[person.pk]), post_only),
        "parcours:path_override_clear": (
            reverse("parcours:path_override_clear", args=[person.pk]),
            post_only,
        ),
        "parcours:path_component": (
            reverse("parcours:path_component", args=[person.pk, "bilan_social"]),
            expect(OWN_OBJECT_EDITORS),
        ),
        "parcours:path_evaluation_hold": (
            reverse("parcours:path_evaluation_hold", args=[person.pk, evaluation.pk]),
            expect(OWN_OBJECT_EDITORS),
        ),
        "parcours:deadlines": (reverse("parcours:deadlines"), expect(PEOPLE_READERS)),
    }
    for name in (
        "path_facts",
        "path_override",
        "path_hours_add",
        "path_test_add",
        "path_convention",
        "path_evaluation_add",
        "path_attestation",
    ):
        routes[f"parcours:{name}"] = (
            reverse(f"parcours:{name}", args=[person.pk]),
            expect(OWN_OBJECT_EDITORS),
        )
    return routes


def _path_with_evaluation(person, counsellor):
    """P1: open the person's path, sign the convention and schedule an interview (through the services)."""
    from django.utils import timezone

    from parcours import services as path_services

    path = path_services.path_open(actor=counsellor, person=person)
    path_services.convention_sign(actor=counsellor, path=path, signed_on=timezone.localdate())
    return path_services.evaluation_schedule(
        actor=counsellor, path=path, scheduled_at=timezone.now(), office=person.office
    )


def session_duo_routes(person, session, duo) -> dict:
    """P2: the collective sessions of office A and the duo of the person."""
    post_only = expect({"counsellor_a": 405, "counsellor_b": 405, "administrator": 405})
    return {
        "parcours:session_list": (reverse("parcours:session_list"), expect(PEOPLE_READERS)),
        "parcours:session_create": (
            reverse("parcours:session_create"),
            expect({"counsellor_a": 200, "counsellor_b": 200, "administrator": 200}),
        ),
        "parcours:session_detail": (
            reverse("parcours:session_detail", args=[session.pk]),
            expect(OWN_OBJECT_READERS),
        ),
        "parcours:session_attendance": (reverse("parcours:session_attendance", args=[session.pk]), post_only),
        "parcours:duo_list": (reverse("parcours:duo_list"), expect(PEOPLE_READERS)),
        "parcours:duo_create": (
            reverse("parcours:duo_create") + f"?personne={person.pk}",
            expect({"counsellor_a": 200, "counsellor_b": 404, "administrator": 200}),
        ),
        "parcours:duo_detail": (reverse("parcours:duo_detail", args=[duo.pk]), expect(OWN_OBJECT_READERS)),
        "parcours:duo_meeting_add": (reverse("parcours:duo_meeting_add", args=[duo.pk]), post_only),
    }


def _session_and_duo(person, counsellor) -> dict:
    """P2: a SIDD of office A with the person registered, and a mentoring duo of the person (through
    the services)."""
    from django.utils import timezone

    from parcours import services as path_services

    session = path_services.session_create(
        actor=counsellor, kind="sidd", starts_at=timezone.now(), office=person.office, place="Namur"
    )
    path_services.attendance_set(actor=counsellor, session=session, person=person, attended=True)
    duo = path_services.duo_create(
        actor=counsellor, mentee=person, kind="net2work", mentor_name="Mentor", starts_on=timezone.localdate()
    )
    return {"session": session, "duo": duo}


def _disabled_client():
    user = UserFactory(username="ancien", role=Role.COUNSELLOR, offices=[office("namur")])
    client = signed_in_client(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    return client


def test_every_named_url_is_in_the_matrix(world):
    missing = sorted(set(named_urls()) - set(build(world)))
    assert not missing, f"Pages or endpoints without a permission-matrix entry: {missing}"


def test_every_persona_gets_the_expected_answer_on_every_url(world):
    mismatches = []
    for name, (url, expected) in build(world).items():
        for persona in PERSONAS:
            status = world["clients"][persona].get(url).status_code
            if status != expected[persona]:
                mismatches.append(f"{name} as {persona}: {status}, expected {expected[persona]}")
    assert not mismatches, "\n".join(mismatches)


def test_no_out_of_scope_answer_is_a_success(world):
    """The other office's counsellor and the outside roles never get a 2xx on an object of office A."""
    object_urls = [
        name for name in build(world) if name.endswith(("_detail", "_update", "_delete")) or "detail" in name
    ]
    matrix = build(world)
    for name in object_urls:
        url, _ = matrix[name]
        if "office" in name or "commune" in name or "request-type" in name:
            continue
        for persona in (
            "counsellor_b",
            "coordinator",
            "commune_agent",
            "commune_agent_other",
            "disabled",
            "anonymous",
        ):
            status = world["clients"][persona].get(url).status_code
            assert not 200 <= status < 300, f"{name} as {persona} answered {status}"
