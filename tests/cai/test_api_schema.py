"""The OpenAPI schema generates cleanly, and the Swagger page works on a closed network (no CDN)."""

import re

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/people/",
    "/api/people/{id}/",
    "/api/people/search/",
    "/api/appointments/",
    "/api/appointments/{id}/",
    "/api/offices/",
    "/api/communes/",
    "/api/request-types/",
    "/api/request-types/{code}/",
    "/api/auth/token/",
]


def test_schema_generates_without_warnings_and_validates(tmp_path):
    target = tmp_path / "schema.yml"
    # --fail-on-warn turns any drf-spectacular warning or error into an exception.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text(encoding="utf-8")
    for path in PATHS:
        assert f"\n  {path}:\n" in schema, path
    assert "tokenAuth" in schema


def test_schema_documents_the_api_contract(counsellor_a):
    schema = signed_in_client(counsellor_a).get("/api/schema/?format=json").json()
    assert "delete" not in schema["paths"]["/api/people/{id}/"]  # files are merged, never deleted
    assert set(schema["paths"]["/api/people/search/"]) == {"post"}
    people_filters = {p["name"] for p in schema["paths"]["/api/people/"]["get"]["parameters"]}
    assert {"office", "origin_group", "ordering", "page", "page_size"} <= people_filters
    assert "national_number" not in people_filters and "q" not in people_filters
    token = schema["paths"]["/api/auth/token/"]["post"]
    assert token["summary"] == "Obtenir un jeton d'API"
    assert set(schema["components"]["schemas"]["TokenCredentialsRequest"]["properties"]) == {
        "username",
        "password",
        "code",
    }
    person = schema["components"]["schemas"]["Person"]["properties"]
    assert person["origin_group"]["readOnly"] is True


def test_schema_is_served_to_token_clients_and_refused_to_anonymous(counsellor_a):
    assert APIClient().get("/api/schema/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=counsellor_a).key}")
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/people/search/" in response.content


def test_swagger_page_loads_everything_from_our_static_files(counsellor_a):
    client = signed_in_client(counsellor_a)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    assert "https://" not in html and "http://" not in html
    assert all(a.startswith("/static/") or a.startswith("/api/docs/") for a in assets), assets
    assert any("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in a for a in assets)
    # CSP-friendly: no inline script, the start-up script is a separate URL.
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_swagger_page_sends_anonymous_visitors_to_sign_in(db):
    response = APIClient().get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_redoc_is_not_served_since_it_loads_google_fonts(counsellor_a):
    assert signed_in_client(counsellor_a).get("/api/redoc/").status_code == 404


def test_api_root_lists_the_endpoints_for_token_clients(counsellor_a):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=counsellor_a).key}")
    body = client.get("/api/", HTTP_ACCEPT="application/json").json()
    assert {"people", "appointments", "offices", "communes", "request-types"} <= set(body)


def test_every_operation_documents_the_refusals_it_may_answer(counsellor_a):
    """401/403 wherever credentials are needed, 404 on an object (and a list's pages), 400 on writes and
    filtered lists, each with a JSON body: clients and the fuzz tests rely on the schema for every answer."""
    schema = signed_in_client(counsellor_a).get("/api/schema/?format=json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            if path != "/api/auth/token/":
                assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "put", "patch"):
                assert "400" in codes, (method, path)
            for code in (c for c in codes if c >= "400"):
                assert "application/json" in operation["responses"][code].get("content", {}), (
                    method,
                    path,
                    code,
                )
    assert "429" in schema["paths"]["/api/auth/token/"]["post"]["responses"]


def test_schema_describes_what_the_api_really_returns(counsellor_a):
    schema = signed_in_client(counsellor_a).get("/api/schema/?format=json").json()["components"]["schemas"]
    # Wall-clock times without offset ("09:00:00"), which JSON Schema's "time" format would refuse.
    start = schema["PermanenceRule"]["properties"]["start_time"]
    assert "format" not in start and start["pattern"]
    # A version still running has no PDF yet.
    assert schema["ReportJob"]["properties"]["pdf_url"]["nullable"] is True
    # A person without a number has a blank kind.
    kinds = schema["Person"]["properties"]["number_kind"]
    assert any(
        option.get("$ref", "").endswith("BlankEnum") for option in kinds.get("oneOf", kinds.get("anyOf", []))
    )
    # The coordination's view of a list extends the commune's: either shape, not exactly one.
    assert "anyOf" in schema["NewcomerListDetailed"] and "oneOf" not in schema["NewcomerListDetailed"]
