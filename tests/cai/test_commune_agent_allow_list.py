"""A signed-in commune agent reaches only the commune portal and a handful of pages; every other URL
of the project, including the ones added later, answers 403 (``CommuneAgentAllowListMiddleware``).

The walk resolves every named URL (``test_url_matrix.named_urls``) with sample arguments: the
middleware refuses before any view or lookup runs, so the arguments need not exist."""

import pytest
from django.test import RequestFactory
from django.urls import get_resolver, resolve, reverse

from accompagnement.models import Person
from cai.middleware import CommuneAgentAllowListMiddleware
from tests.cai.test_url_matrix import named_urls
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

ALLOWED = {"home", "login", "logout", "profile", "healthz", "twofactor_verify", "twofactor_enrol"}
SAMPLE_VALUES = {
    "int": 1,
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def is_allowed(name: str) -> bool:
    return (
        name in ALLOWED
        or name.startswith("twofactor_")
        or name.startswith("parcours:portal_")
        or name.startswith("api-newcomer-list")  # the lists API, under /api/newcomer-lists/
    )


def sample_url(name: str) -> str:
    """A URL for ``name``, with sample values for its parameters (by converter type)."""
    resolver = get_resolver()
    *namespaces, url_name = name.split(":")
    for namespace in namespaces:
        _prefix, resolver = resolver.namespace_dict[namespace]
    candidates = []
    for possibilities, _pattern, _defaults, converters in resolver.reverse_dict.getlist(url_name):
        for _format, params in possibilities:
            kwargs = {
                param: SAMPLE_VALUES.get(
                    type(converters.get(param)).__name__.removesuffix("Converter").lower(), "1"
                )
                for param in params
            }
            candidates.append(kwargs)
    for kwargs in sorted(candidates, key=len):
        try:
            return reverse(name, kwargs=kwargs)
        except Exception:  # noqa: BLE001, S112 - a regex parameter refusing the sample: try the next form
            continue
    raise AssertionError(f"No sample URL for {name}")


@pytest.fixture
def agent(commune_agent):
    return signed_in_client(commune_agent)


def test_every_url_outside_the_allow_list_answers_403_to_a_commune_agent(agent):
    opened = []
    for name in sorted(set(named_urls())):
        if is_allowed(name):
            continue
        url = sample_url(name)
        response = agent.get(url)
        if response.status_code != 403:
            opened.append(f"{name} ({url}): {response.status_code}")
    assert not opened, "Reachable by a commune agent:\n" + "\n".join(opened)


def test_the_allowed_pages_stay_open_to_a_commune_agent(agent):
    closed = [
        name
        for name in sorted(set(named_urls()))
        if is_allowed(name) and agent.get(sample_url(name)).status_code == 403
    ]
    assert not closed, closed


def test_the_refusal_is_a_french_page(agent):
    response = agent.get(reverse("accompagnement:person_list"))
    assert response.status_code == 403 and response.templates[0].name == "403.html"
    assert "Accès refusé" in response.content.decode()
    assert "Votre rôle ne donne pas accès à cette page." in response.content.decode()


def test_a_post_to_a_closed_page_is_refused_and_stores_nothing(commune_agent):
    client = signed_in_client(commune_agent, enforce_csrf_checks=True)
    client.get(reverse("parcours:portal_home"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("accompagnement:person_create"),
        {"csrfmiddlewaretoken": token, "last_name": "Intrus", "first_name": "Ion"},
    )
    assert response.status_code == 403 and not Person.objects.exists()


def test_an_htmx_request_to_a_closed_page_is_refused(agent):
    response = agent.get(reverse("parcours:session_list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 403


def test_a_closed_api_path_answers_json_in_french(agent):
    response = agent.get("/api/people/")
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Les agents communaux n'ont accès qu'à leurs listes de primo-arrivants."
    }


def test_the_lists_api_and_static_files_are_let_through(commune_agent):
    middleware = CommuneAgentAllowListMiddleware(lambda request: None)
    factory = RequestFactory()
    for path in ("/api/newcomer-lists/", "/api/newcomer-lists/12/", "/static/js/portal.js"):
        request = factory.get(path)
        request.user = commune_agent
        try:
            request.resolver_match = resolve(path)
        except Exception:  # noqa: BLE001 - a path the resolver does not know (static files in tests)
            request.resolver_match = None
        assert middleware.process_view(request, None, (), {}) is None, path
    request = factory.get("/api/people/")
    request.user, request.resolver_match = commune_agent, resolve("/api/people/")
    assert middleware.process_view(request, None, (), {}).status_code == 403


def test_a_namespaced_name_like_an_allowed_one_stays_closed(commune_agent):
    """``admin:logout`` is not ``logout``: the allow-list compares namespaces too."""
    middleware = CommuneAgentAllowListMiddleware(lambda request: None)
    request = RequestFactory().get(reverse("admin:logout"))
    request.user, request.resolver_match = commune_agent, resolve(reverse("admin:logout"))
    assert middleware.process_view(request, None, (), {}).status_code == 403


@pytest.mark.parametrize("persona", ["counsellor_a", "director", "administrator"])
def test_other_roles_are_not_affected(persona_client, persona):
    assert persona_client(persona).get(reverse("accompagnement:person_list")).status_code == 200


def test_a_commune_agent_without_second_factor_is_first_sent_to_the_code_page(commune_agent):
    from django.test import Client

    client = Client()
    client.force_login(commune_agent)
    response = client.get(reverse("accompagnement:person_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("twofactor_verify"))
