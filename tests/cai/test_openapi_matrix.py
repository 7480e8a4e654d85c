"""The permission matrix over every operation of the OpenAPI schema (path AND method), so that an
endpoint or a method added without an entry here fails the suite. ``test_url_matrix`` covers every URL
with a GET; this file covers every documented operation, writes included, for every persona.

Writes send an empty body: a persona allowed to write gets past the permission and scope checks and is
stopped by validation (400), or, for a partial update (PATCH), changes nothing (200); a persona without
the role gets 403, the other office's counsellor 404 on office A's objects, anonymous and disabled
accounts 401. Destructive operations (DELETE, workflow actions) act on a fresh object for each persona,
so that one persona's answer does not depend on another's.
"""

import os

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from tests.cai.test_url_matrix import PERSONAS, world  # noqa: F401 - the matrix's world fixture
from tests.factories import AppointmentFactory

UNAUTHENTICATED = 401


def api(allowed: dict, *, default=403) -> dict:
    """Expected status per persona: ``allowed`` overrides, other signed-in personas get ``default``;
    anonymous and disabled accounts are not authenticated (401)."""
    result = {p: allowed.get(p, default) for p in PERSONAS}
    result["anonymous"] = result["disabled"] = UNAUTHENTICATED
    return result


STAFF = ("counsellor_a", "counsellor_b", "coordinator", "director", "administrator")
AGENTS = ("commune_agent", "commune_agent_other")
NETWORK_STAFF = ("coordinator", "director", "administrator")
TRAINING_STAFF = NETWORK_STAFF
PEOPLE_READERS = ("counsellor_a", "counsellor_b", "director", "administrator")
PEOPLE_WRITERS = ("counsellor_a", "counsellor_b", "administrator")
LIST_READERS = ("director", "administrator", *AGENTS)
REPORT_READERS = ("director", "administrator")


def only(personas, status) -> dict:
    return dict.fromkeys(personas, status)


def own_office(status, *, readers=PEOPLE_READERS) -> dict:
    """An object of office A: the other office's counsellor gets 404 where the others get ``status``."""
    return {**only(readers, status), "counsellor_b": 404}


def _fresh_appointment(w):
    return AppointmentFactory(person=w["person"], counsellor=w["counsellor_a"]).pk


def _fresh_session(w):
    from formations import services as trainings

    start = timezone.now() + timezone.timedelta(days=40)
    return trainings.session_create(
        actor=w["coordinator"],
        training=w["trainings"]["training"],
        starts_at=start,
        ends_at=start + timezone.timedelta(hours=2),
        place="Namur",
        trainers=[trainings.TrainerSpec(user=w["director"])],
    ).pk


def _fresh_registration(w):
    from formations import services as trainings

    return trainings.registration_add(
        actor=w["coordinator"],
        session=w["trainings"]["session"],
        name="Inscription matrice",
        email=f"matrice-{timezone.now().timestamp()}@example.org",
    ).pk


NETWORK = {
    "operators": ("operator", ("counsellor_a", "counsellor_b", *NETWORK_STAFF)),
    "offers": ("offer", ("counsellor_a", "counsellor_b", *NETWORK_STAFF)),
    "support-actions": ("support_action", NETWORK_STAFF),
    "groups": ("group", NETWORK_STAFF),
    "meetings": ("meeting", NETWORK_STAFF),
    "awareness-actions": ("awareness_action", NETWORK_STAFF),
    "interpellations": ("interpellation", NETWORK_STAFF),
    "governance-meetings": ("governance_meeting", NETWORK_STAFF),
    "staff-members": ("staff_member", NETWORK_STAFF),
    "acronyms": ("acronym", NETWORK_STAFF),
}


def operations() -> dict:
    """(METHOD, path template) → (object id for the path, or a function of the world giving one; the
    expected status per persona)."""
    person = lambda w: w["person"].pk  # noqa: E731
    matrix = {
        # Open to anyone (the credentials are the body), except signed-in commune agents (allow-list).
        ("POST", "/api/auth/token/"): (None, {**dict.fromkeys(PERSONAS, 400), **only(AGENTS, 403)}),
        ("GET", "/api/people/"): (None, api(only(PEOPLE_READERS, 200))),
        ("POST", "/api/people/"): (None, api(only(PEOPLE_WRITERS, 400))),
        ("GET", "/api/people/{id}/"): (person, api(own_office(200))),
        ("PUT", "/api/people/{id}/"): (person, api(own_office(400, readers=PEOPLE_WRITERS))),
        ("PATCH", "/api/people/{id}/"): (person, api(own_office(200, readers=PEOPLE_WRITERS))),
        ("POST", "/api/people/search/"): (None, api(only(PEOPLE_READERS, 400))),
        ("GET", "/api/appointments/"): (None, api(only(PEOPLE_READERS, 200))),
        ("POST", "/api/appointments/"): (None, api(only(PEOPLE_WRITERS, 400))),
        ("GET", "/api/appointments/{id}/"): (lambda w: w["appointment"].pk, api(own_office(200))),
        ("PUT", "/api/appointments/{id}/"): (
            lambda w: w["appointment"].pk,
            api(own_office(400, readers=PEOPLE_WRITERS)),
        ),
        ("PATCH", "/api/appointments/{id}/"): (
            lambda w: w["appointment"].pk,
            api(own_office(200, readers=PEOPLE_WRITERS)),
        ),
        ("DELETE", "/api/appointments/{id}/"): (
            _fresh_appointment,
            api(own_office(204, readers=PEOPLE_WRITERS)),
        ),
        ("GET", "/api/offices/"): (None, api(only(STAFF, 200))),
        ("GET", "/api/offices/{id}/"): (lambda w: w["office_a"].pk, api(only(STAFF, 200))),
        ("GET", "/api/communes/"): (None, api(only(STAFF, 200))),
        ("GET", "/api/communes/{id}/"): (lambda w: w["namur_commune"].pk, api(only(STAFF, 200))),
        ("GET", "/api/request-types/"): (None, api(only(STAFF, 200))),
        ("GET", "/api/request-types/{code}/"): ("parcours", api(only(STAFF, 200))),
        # L3: the newcomer lists (agents of the list's commune, the path coordination, administrators).
        ("GET", "/api/newcomer-lists/"): (None, api(only(LIST_READERS, 200))),
        ("POST", "/api/newcomer-lists/"): (None, api(only((*AGENTS, "administrator"), 400))),
        ("GET", "/api/newcomer-lists/{id}/"): (
            lambda w: w["newcomer_list"].pk,
            api({**only(LIST_READERS, 200), "commune_agent_other": 404}),
        ),
        # R2: the report.
        ("GET", "/api/reports/"): (None, api(only(REPORT_READERS, 200))),
        ("POST", "/api/reports/"): (None, api(only(REPORT_READERS, 400))),
        ("GET", "/api/reports/{id}/"): (lambda w: w["report_job"].pk, api(only(REPORT_READERS, 200))),
        ("GET", "/api/reports/{id}/pdf/"): (lambda w: w["report_job"].pk, api(only(REPORT_READERS, 200))),
    }
    for prefix, (key, readers) in NETWORK.items():
        writers = NETWORK_STAFF
        pk = lambda w, key=key: w["network"][key].pk  # noqa: E731
        matrix[("GET", f"/api/{prefix}/")] = (None, api(only(readers, 200)))
        matrix[("POST", f"/api/{prefix}/")] = (None, api(only(writers, 400)))
        matrix[("GET", f"/api/{prefix}/{{id}}/")] = (pk, api(only(readers, 200)))
        matrix[("PUT", f"/api/{prefix}/{{id}}/")] = (pk, api(only(writers, 400)))
        matrix[("PATCH", f"/api/{prefix}/{{id}}/")] = (pk, api(only(writers, 200)))
    trainings = {
        "trainings": lambda w: w["trainings"]["training"].pk,
        "training-sessions": lambda w: w["trainings"]["session"].pk,
    }
    for prefix, pk in trainings.items():
        matrix[("GET", f"/api/{prefix}/")] = (None, api(only(TRAINING_STAFF, 200)))
        matrix[("POST", f"/api/{prefix}/")] = (None, api(only(TRAINING_STAFF, 400)))
        matrix[("GET", f"/api/{prefix}/{{id}}/")] = (pk, api(only(TRAINING_STAFF, 200)))
        matrix[("PUT", f"/api/{prefix}/{{id}}/")] = (pk, api(only(TRAINING_STAFF, 400)))
        matrix[("PATCH", f"/api/{prefix}/{{id}}/")] = (pk, api(only(TRAINING_STAFF, 200)))
    for action, status in (("hold", 400), ("cancel", 400), ("postpone", 400)):
        matrix[("POST", f"/api/training-sessions/{{id}}/{action}/")] = (
            _fresh_session,
            api(only(TRAINING_STAFF, status)),
        )
    registration = lambda w: w["trainings"]["registration"].pk  # noqa: E731
    matrix[("GET", "/api/registrations/")] = (None, api(only(TRAINING_STAFF, 200)))
    matrix[("POST", "/api/registrations/")] = (None, api(only(TRAINING_STAFF, 400)))
    matrix[("GET", "/api/registrations/{id}/")] = (registration, api(only(TRAINING_STAFF, 200)))
    matrix[("POST", "/api/registrations/{id}/attendance/")] = (
        _fresh_registration,
        api(only(TRAINING_STAFF, 400)),
    )
    matrix[("POST", "/api/registrations/{id}/cancel/")] = (
        _fresh_registration,
        api(only(TRAINING_STAFF, 200)),
    )
    return matrix


def schema_operations() -> set:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }


def url_for(path: str, value) -> str:
    if value is None:
        return path
    return path.replace(path[path.index("{") : path.index("}") + 1], str(value))


@pytest.fixture
def api_world(world, coordinator, director):  # noqa: F811
    return {**world, "coordinator": coordinator, "director": director}


def test_every_operation_of_the_openapi_schema_is_in_the_matrix(db):
    missing = sorted(schema_operations() - set(operations()))
    assert not missing, f"API operations without a permission-matrix entry: {missing}"
    stale = sorted(set(operations()) - schema_operations())
    assert not stale, f"Matrix entries for operations the schema no longer has: {stale}"


def test_every_persona_gets_the_expected_answer_on_every_operation(api_world):
    mismatches = []
    for (method, path), (target, expected) in operations().items():
        for persona in PERSONAS:
            value = target(api_world) if callable(target) else target
            client = api_world["clients"][persona]
            response = client.generic(method, url_for(path, value), "{}", content_type="application/json")
            if response.status_code != expected[persona]:
                mismatches.append(
                    f"{method} {path} as {persona}: {response.status_code}, expected {expected[persona]}"
                )
    if os.environ.get("CAI_MATRIX_DUMP"):
        print("\n".join(mismatches))
    assert not mismatches, "\n".join(mismatches)


def test_no_write_out_of_scope_or_by_an_outside_role_succeeds(api_world):
    """Belt and braces over the table: no write on office A's objects by the other office's counsellor,
    and no write on a staff endpoint by a commune agent, answers a 2xx."""
    for (method, path), (target, _expected) in operations().items():
        if method == "GET" or path == "/api/auth/token/":
            continue
        personas = [*AGENTS, "anonymous", "disabled"]
        if path.startswith(("/api/people/", "/api/appointments/")):
            personas.append("counsellor_b")
        if path.startswith("/api/newcomer-lists/"):
            personas = [p for p in personas if p not in AGENTS]
        for persona in personas:
            value = target(api_world) if callable(target) else target
            response = api_world["clients"][persona].generic(
                method, url_for(path, value), "{}", content_type="application/json"
            )
            assert not 200 <= response.status_code < 300, f"{method} {path} as {persona}"
