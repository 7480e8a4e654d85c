"""Personas shared by the whole suite (see style.md): a counsellor of office A (Namur), a counsellor
of office B (Dinant), a coordinator, the director, an administrator, commune agents of two
communes, and anonymous. ``login`` signs a client in as any of them."""

import os

import pytest
from django.test import Client

from cai.choices import Role
from tests.factories import UserFactory, commune, office

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + ORM in Playwright's sync API

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture
def office_a(db):
    return office("namur")


@pytest.fixture
def office_b(db):
    return office("dinant")


@pytest.fixture
def counsellor_a(office_a):
    return UserFactory(
        username="alice", first_name="Alice", last_name="Martin", role=Role.COUNSELLOR, offices=[office_a]
    )


@pytest.fixture
def counsellor_b(office_b):
    return UserFactory(
        username="bob", first_name="Bob", last_name="Lambert", role=Role.COUNSELLOR, offices=[office_b]
    )


@pytest.fixture
def coordinator(db):
    return UserFactory(username="chloe", first_name="Chloé", last_name="Dubois", role=Role.COORDINATOR)


@pytest.fixture
def director(db):
    return UserFactory(username="diane", first_name="Diane", last_name="Leroy", role=Role.DIRECTOR)


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def commune_agent(db):
    return UserFactory(username="xavier", role=Role.COMMUNE_AGENT, communes=[commune("Namur")])


@pytest.fixture
def commune_agent_other(db):
    return UserFactory(username="yasmine", role=Role.COMMUNE_AGENT, communes=[commune("Dinant")])


def signed_in_client(user, **kwargs) -> Client:
    """A test client signed in as ``user`` with both factors: the password (``force_login``) and a
    verified TOTP device (created, confirmed, if the user has none), as after the real sign-in."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client = Client(**kwargs)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def login():
    return signed_in_client


PERSONAS = [
    "counsellor_a",
    "counsellor_b",
    "coordinator",
    "director",
    "administrator",
    "commune_agent",
    "anonymous",
]


@pytest.fixture
def persona_client(request):
    """``persona_client("director")``: a client signed in as that persona (anonymous: not signed in)."""

    def make(name: str) -> Client:
        if name == "anonymous":
            return Client()
        return signed_in_client(request.getfixturevalue(name))

    return make


def load_all_reference_data() -> None:
    """The reference data the migrations load (idempotent: get-or-create)."""
    from accompagnement.reference import load_reference_data
    from parcours.data import load_path_reference_data
    from plateformes.data import load_network_reference_data

    load_reference_data()
    load_path_reference_data()
    load_network_reference_data()


def _database_order(item: pytest.Item) -> int:
    """pytest-django's order: tests rolled back in a transaction (0), then transactional tests, which
    flush the database when they end (1), then tests without the database (2)."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))) or (
        "transactional_db" in fixtures or "live_server" in fixtures
    ):
        return 1
    return 0 if marker or "db" in fixtures else 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Sort again, last. pytest-django sorts first (tryfirst), but pytest then regroups the tests by
    their session-scoped parameters (Playwright's ``browser_name``), which put the browser tests, and
    the flush that ends each of them, in the middle of the rolled-back tests: every later test lost
    the reference data the migrations load. A stable sort keeps pytest's grouping inside each part."""
    items.sort(key=_database_order)


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests (browser, real worker) flush the database after they run; whatever came
    before, each of them starts with the reference data."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        load_all_reference_data()
