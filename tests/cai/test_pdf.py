"""The PDF renderer: WeasyPrint may read the project's static files and data URIs, nothing else."""

import datetime as dt
import socket
import subprocess
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.conf import settings

from cai import pdf

PDF_CSS = Path(settings.BASE_DIR) / "static" / "css" / "pdf.css"


@pytest.fixture
def no_network(monkeypatch):
    """Records (and blocks) any socket connection or urllib opening during the test."""
    attempts = []

    def refuse_connect(self, address):
        attempts.append(("socket", address))
        raise OSError("network disabled in this test")

    def refuse_open(self, request, *args, **kwargs):
        attempts.append(("urllib", getattr(request, "full_url", request)))
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse_connect)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse_open)
    return attempts


def test_fetcher_serves_the_print_style_sheet_by_relative_and_absolute_url():
    fetcher = pdf.StaticFilesFetcher()
    for url in (urljoin(pdf.base_url(), "css/pdf.css"), urljoin(pdf.base_url(), "/static/css/pdf.css")):
        response = fetcher.fetch(url)
        assert response.read() == PDF_CSS.read_bytes()
        assert response.content_type == "text/css"
    assert len(fetcher.served) == 2


def test_fetcher_serves_the_logo_as_svg():
    response = pdf.StaticFilesFetcher().fetch(urljoin(pdf.base_url(), "img/logo.svg"))
    assert response.content_type == "image/svg+xml"
    assert b"<svg" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/admin/",
        "http://127.0.0.1:8000/static/css/pdf.css",
        "https://example.org/logo.png",
        "ftp://example.org/file",
        f"{pdf.STATIC_ORIGIN}/media/parcours/1/attestation-1.pdf",
        f"{pdf.STATIC_ORIGIN}/static/../../../etc/passwd",
        f"{pdf.STATIC_ORIGIN}/static/%2e%2e/%2e%2e/cai/settings/base.py",
        f"{pdf.STATIC_ORIGIN}/static/css/missing.css",
        "https://static.cai.invalid.example.org/static/css/pdf.css",
        "https://static.cai.invalid@example.org/static/css/pdf.css",
    ],
)
def test_fetcher_refuses_everything_but_static_files(url, no_network):
    fetcher = pdf.StaticFilesFetcher()
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert no_network == []


def test_fetcher_accepts_data_uris():
    response = pdf.StaticFilesFetcher().fetch("data:text/plain;base64,Qm9uam91cg==")
    assert response.read() == b"Bonjour"


def test_document_linking_a_local_file_and_a_local_server_renders_without_fetching_them(no_network):
    html = """<html><head><link rel="stylesheet" href="css/pdf.css">
      <link rel="stylesheet" href="http://127.0.0.1/evil.css"></head>
      <body><p>Document de test</p>
      <img src="file:///etc/passwd" alt="">
      <img src="http://127.0.0.1/internal.png" alt="">
      <img src="/static/img/logo.svg" alt=""></body></html>"""
    fetcher = pdf.StaticFilesFetcher()
    content = pdf.html_to_pdf(html, fetcher=fetcher)
    assert content.startswith(b"%PDF")
    assert set(fetcher.refused) == {
        "file:///etc/passwd",
        "http://127.0.0.1/internal.png",
        "http://127.0.0.1/evil.css",
    }
    assert {url.rsplit("/", 2)[-1] for url in fetcher.served} == {"pdf.css", "logo.svg"}
    assert no_network == []
    assert "root:" not in pdf_text(content)


def test_render_pdf_renders_a_template_in_french_with_the_project_fonts(tmp_path):
    context = {"title": "Essai", "person": {"name": "Amina HADDAD"}, "centre_name": "Centre de test"}
    context["office"] = {"name": "Namur", "address": "Rue de Fer 2, 5000 Namur", "phone": ""}
    content = pdf.render_pdf("parcours/pdf/base.html", context)
    text = pdf_text(content)
    assert "Centre de test" in text
    assert "Bureau d'accueil de Namur" in text
    target = tmp_path / "essai.pdf"
    target.write_bytes(content)
    fonts = subprocess.run(  # noqa: S603 - poppler's tool on a file the test wrote
        ["pdffonts", str(target)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Noto-Sans" in fonts or "NotoSans" in fonts


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 11, 22), "22 novembre 2026"),
        (dt.date(2027, 3, 1), "1er mars 2027"),
        (dt.date(2027, 8, 15), "15 août 2027"),
        (None, ""),
    ],
)
def test_long_date_is_written_in_french(day, expected):
    assert pdf.long_date(day) == expected


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)  # noqa: S607
    return " ".join(result.stdout.decode().split())
