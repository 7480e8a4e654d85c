"""schemathesis against our OpenAPI schema, as each role: generated requests for every operation, sent
in-process to the WSGI application with the role's API token. Every answer must be no server error and
conform to the schema: a documented status code, its content type and its body.

Budget (``make fuzz`` raises it to 100 per operation and role): in the suite each operation gets
``CAI_FUZZ_EXAMPLES`` (20) generated cases per role, 100 over the five roles, in under 3 minutes on this
2-core machine (``CAI_FUZZ_WRITE_EXAMPLES`` for writes), except that a
role refused outright (401/403 to a plain request) gets ``PROBE`` cases: the permission matrix
(``test_url_matrix``, ``test_openapi_matrix``) proves the refusals, the fuzz only checks their shape. Half of the
cases of an operation on an object use the id of a real object (found by listing), the rest are generated.
Hypothesis runs derandomised (same cases on every run, no flaky suite) unless ``CAI_FUZZ_RANDOM`` is set.
"""

import contextlib
import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client as WsgiClient

from tests.factories import AppointmentFactory, PersonFactory, office

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

ROLES = ["counsellor_a", "coordinator", "director", "administrator", "commune_agent"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
READ_EXAMPLES = int(os.environ.get("CAI_FUZZ_EXAMPLES", "20"))
WRITE_EXAMPLES = int(os.environ.get("CAI_FUZZ_WRITE_EXAMPLES", "20"))
PROBE = 3
REFUSED = {401, 403}
FUZZ_QUEUE = "cai-fuzz"


def api_schema():
    """The schema as ``/api/schema/`` serves it (same generator), loaded by schemathesis."""
    raw = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))
    return schemathesis.openapi.from_dict(raw)


@contextlib.contextmanager
def in_process_requests():
    """Django closes the database connection at the end of each request; the test's transaction must
    survive the requests (as Django's own test client arranges)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@contextlib.contextmanager
def report_jobs_queued_not_built():
    """A report request queues its build: here on a queue of its own, emptied afterwards, instead of the
    test settings' eager mode (a whole report per generated request)."""
    from cai.celery import app

    saved = {key: app.conf[key] for key in ("task_always_eager", "task_default_queue")}
    app.conf.update(task_always_eager=False, task_default_queue=FUZZ_QUEUE)
    try:
        yield
    finally:
        app.conf.update(saved)
        if os.environ.get("REDIS_URL"):
            import redis

            redis.Redis.from_url(os.environ["REDIS_URL"]).delete(FUZZ_QUEUE)


@pytest.fixture
def api_data(db, counsellor_a, coordinator, director, commune_agent):
    """A bit of everything the API serves, so that the generated requests also reach real objects."""
    from tests.cai.test_url_matrix import _network_world, _newcomer_list, _trainings_world

    namur = office("namur")
    for number in ("85073003328", "90022711519"):
        person = PersonFactory(office=namur, national_number=number)
        AppointmentFactory(person=person, counsellor=counsellor_a)
    _network_world(coordinator)
    _trainings_world(coordinator, director)
    _newcomer_list(commune_agent)


def known_objects(schema, administrator) -> dict:
    """Real objects per collection path (``/api/people/`` → the people as listed), by listing them."""
    client = APIClient()
    client.force_authenticate(administrator)
    ids = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != "GET" or "{" in operation.path:
            continue
        response = client.get(operation.path, {"page_size": 20})
        if response.status_code != 200:
            continue
        body = response.json()
        rows = body.get("results", []) if isinstance(body, dict) else body
        ids[operation.path] = [row for row in rows if isinstance(row, dict)]
    return ids


def real_values(operation, objects: dict) -> list:
    """Values of the operation's one path parameter (``id``, ``code``) that name real objects."""
    parameters = [p.name for p in operation.path_parameters]
    if len(parameters) != 1:
        return []
    collection = operation.path.split("{", 1)[0]
    return [row[parameters[0]] for row in objects.get(collection, []) if row.get(parameters[0]) is not None]


def strategy_for(operation, objects: dict):
    """Generated cases; for an operation on one object, half of them on a real object."""
    generated = operation.as_strategy()
    real = real_values(operation, objects)
    if not real:
        return generated
    name = operation.path_parameters[0].name
    return st.one_of(
        generated,
        st.sampled_from(real).flatmap(lambda value: operation.as_strategy(path_parameters={name: value})),
    )


def fuzz(operation, strategy, *, app, headers, examples) -> None:
    """Run ``examples`` generated cases. Raises on the first failure (shrunk by Hypothesis to a minimal
    case)."""

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=not os.environ.get("CAI_FUZZ_RANDOM"),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(case=strategy)
    def run(case):
        response = case.call(app=app, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


def refused(app, headers, operation, objects: dict) -> bool:
    """Whether the role is refused the operation outright (401/403 to a plain request on a real object).
    Sent through the same WSGI application (Django's test client would restore the connection-closing
    signal handlers that ``in_process_requests`` removes)."""
    real = real_values(operation, objects) or [1]
    path = operation.path
    if "{" in path:
        path = path[: path.index("{")] + str(real[0]) + path[path.index("}") + 1 :]
    response = WsgiClient(app).open(
        path, method=operation.method.upper(), data="{}", content_type="application/json", headers=headers
    )
    return response.status_code in REFUSED


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_within_the_schema_and_never_a_server_error(role, request, api_data):
    user = request.getfixturevalue(role)
    headers = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    schema = api_schema()
    objects = known_objects(schema, request.getfixturevalue("administrator"))
    failures = []
    with in_process_requests() as app, report_jobs_queued_not_built():
        for result in schema.get_all_operations():
            operation = result.ok()
            budget = READ_EXAMPLES if operation.method.upper() == "GET" else WRITE_EXAMPLES
            if refused(app, headers, operation, objects):
                budget = min(PROBE, budget)
            try:
                fuzz(operation, strategy_for(operation, objects), app=app, headers=headers, examples=budget)
            except Exception as error:  # noqa: BLE001 - every operation is tried; all failures reported
                failures.append(f"{operation.label} as {role}:\n{error}")
    assert not failures, "\n\n".join(failures)
