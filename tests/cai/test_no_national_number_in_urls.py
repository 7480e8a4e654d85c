"""No answer puts a national register number (NN) or BIS number in a URL: URLs end up in server and
proxy logs, browser history and Referer headers. People of office A here have a NN or a BIS number;
every page and endpoint of the permission matrix is read as the roles that see people (and a commune
agent), then the links those pages hold are followed once. Every URL an answer gives is checked: the
``Location`` header, the HTML ``href``/``src``/``action`` and htmx ``hx-*`` attributes, and the JSON
values that are URLs (``next``, ``previous``, ``pdf_url``…). A search by number is a POST, its result
pages included."""

import json
import re
from html import unescape
from urllib.parse import unquote, urlsplit

import pytest
from django.urls import reverse

from accompagnement.models import Person
from tests.cai.test_url_matrix import build, world  # noqa: F401 - the matrix's world fixture
from tests.factories import PersonFactory, office

NN = "85073003328"  # valid NN (born 30/07/1985)
BIS = "85473003317"  # a valid BIS number (month + 40)
# 11 digits, with or without the usual separators (85.07.30-033.28), not part of a longer number.
NUMBER_IN_URL = re.compile(r"(?<!\d)\d{2}\.?\d{2}\.?\d{2}-?\d{3}\.?\d{2}(?!\d)")
URL_ATTRIBUTES = re.compile(
    r"""\b(?:href|src|action|formaction|hx-get|hx-post|hx-put|hx-patch|hx-delete|data-url)\s*=\s*["']([^"']*)["']""",
    re.IGNORECASE,
)
READERS = ["counsellor_a", "director", "administrator", "commune_agent"]
NOT_FOLLOWED = ("/static/", "/admin/", "/deconnexion", "/logout", "/media/")
MAX_FOLLOWED = 120


def urls_in(response) -> list[str]:
    found = []
    if response.has_header("Location"):
        found.append(response["Location"])
    content_type = response.get("Content-Type", "")
    if "html" in content_type:
        found += [unescape(u) for u in URL_ATTRIBUTES.findall(response.content.decode(errors="replace"))]
    elif "json" in content_type:
        found += [value for value in _json_strings(json.loads(response.content or b"null")) if _is_url(value)]
    return found


def _json_strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _json_strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _json_strings(value)
    elif isinstance(node, str):
        yield node


def _is_url(value: str) -> bool:
    return value.startswith(("/", "http://", "https://"))


def numbers_in(url: str) -> list[str]:
    return NUMBER_IN_URL.findall(unquote(url))


@pytest.fixture
def people_with_numbers(world):  # noqa: F811
    """The matrix's person of office A gets a NN; another one of office A a BIS number."""
    person = world["person"]
    Person.objects.filter(pk=person.pk).update(national_number=NN)
    PersonFactory(office=office("namur"), national_number=BIS)
    return world


def test_no_page_or_endpoint_gives_a_national_number_in_a_url(people_with_numbers):
    data = people_with_numbers
    matrix_urls = [url for url, _expected in build(data).values()]
    leaks, followed = [], 0
    for persona in READERS:
        client = data["clients"][persona]
        seen, queue = set(), [(url, 0) for url in matrix_urls]
        while queue:
            url, depth = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            for found in urls_in(response):
                if numbers_in(found):
                    leaks.append(f"{persona}: {url} → {found}")
                target = urlsplit(found)
                if (
                    depth == 0
                    and followed < MAX_FOLLOWED * len(READERS)
                    and not target.netloc
                    and target.path.startswith("/")
                    and not target.path.startswith(NOT_FOLLOWED)
                ):
                    followed += 1
                    queue.append((found, depth + 1))
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize("number", [NN, "85.07.30-033.28", BIS])
def test_a_search_by_number_keeps_it_out_of_every_url(people_with_numbers, number):
    client = people_with_numbers["clients"]["counsellor_a"]
    response = client.post(reverse("accompagnement:person_search"), {"q": number}, follow=True)
    assert response.status_code == 200
    hops = [url for url, _status in response.redirect_chain]
    leaks = [u for u in [*hops, *urls_in(response)] if numbers_in(u)]
    assert not leaks, leaks
    api = client.post(reverse("api-person-search"), {"q": number}, content_type="application/json")
    assert api.status_code in (200, 400)
    assert not [u for u in urls_in(api) if numbers_in(u)]
