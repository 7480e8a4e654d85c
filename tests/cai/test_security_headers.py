"""Hardened responses: Content-Security-Policy, no caching of signed-in pages, HSTS and secure cookies in
production, a clean ``check --deploy``, and templates that need no inline script."""

import base64
import hashlib
import importlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings
from django.urls import reverse

BASE_DIR = Path(django_settings.BASE_DIR)
EXPECTED_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_csp_header_has_the_strict_directives_on_a_signed_in_page(login, counsellor_a):
    response = login(counsellor_a).get(reverse("profile"))
    assert response.status_code == 200
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP


def test_csp_header_is_also_on_the_sign_in_page(db):
    response = Client().get(reverse("login"))
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP


def test_api_docs_page_allows_only_its_own_inline_style(login, director):
    """The Swagger page keeps script-src 'self' and allows its one inline <style> block by hash."""
    client = login(director)
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    policy = parse_csp(docs["Content-Security-Policy"])
    assert "'unsafe-inline'" not in docs["Content-Security-Policy"]
    assert policy["script-src"] == ["'self'"]
    block = re.search(r"<style>(.*?)</style>", docs.text, flags=re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
    assert policy["style-src"] == ["'self'", f"'sha256-{digest}'"]
    assert not INLINE_SCRIPT.search(docs.text)  # its start-up script comes from a URL
    assert not re.search(r"(src|href)=\"https?://", docs.text)  # Swagger UI from our own static files
    assert parse_csp(client.get(reverse("profile"))["Content-Security-Policy"]) == EXPECTED_CSP


def test_signed_in_pages_are_never_stored(login, counsellor_a):
    response = login(counsellor_a).get(reverse("profile"))
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_second_factor_pages_are_never_stored(counsellor_a):
    client = Client()
    client.post(reverse("login"), {"username": "alice", "password": "motdepasse-de-test-solide"})
    response = client.get(reverse("twofactor_enrol"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_framing_sniffing_and_referrer_are_restricted(db):
    response = Client().get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def production_env() -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "cai.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "cai.example.be",
        "DATABASE_URL": "postgres://cai@db.example.be:5432/cai",
    }


def test_check_deploy_reports_no_issue_with_production_settings():
    # A deployment's environment: nothing inherited from the test run (e.g. DJANGO_ALLOW_ASYNC_UNSAFE).
    inherited = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG", "TMPDIR")}
    env = {**inherited, **production_env()}
    result = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.fixture
def production(monkeypatch):
    """The transport-security settings of cai.settings.production, imported with a complete environment."""
    for key, value in production_env().items():
        if key != "DJANGO_SETTINGS_MODULE":
            monkeypatch.setenv(key, value)
    module = importlib.reload(importlib.import_module("cai.settings.production"))
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
    ]
    with override_settings(**{name: getattr(module, name) for name in names}):
        yield module


def test_hsts_is_sent_with_production_settings(production, db):
    response = Client().get(reverse("login"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https_in_production(production, db):
    response = Client().get(reverse("login"))
    assert response.status_code == 301
    assert response.url.startswith("https://")


def test_session_cookie_is_secure_and_host_only_in_production(production, counsellor_a):
    client = Client()
    response = client.post(
        reverse("login"), {"username": "alice", "password": "motdepasse-de-test-solide"}, secure=True
    )
    assert response.status_code == 302
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def template_files():
    roots = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
    return sorted({path for root in roots for path in root.rglob("*.html") if ".venv" not in path.parts})


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<(?:style\b|[^>]+\sstyle\s*=)", re.IGNORECASE)


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_templates_need_no_inline_script_handler_or_style(path):
    """script-src and style-src are 'self' only: the browser would block any of these."""
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to static/js/"
    assert not INLINE_HANDLER.search(text), "inline on…= handler: attach it from a static/js/ file"
    assert not INLINE_STYLE.search(text), "inline style: use a class (Bootstrap or static/css/app.css)"
