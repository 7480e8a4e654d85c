"""The project's one PDF renderer (path documents, and later the annual report), with WeasyPrint.

Documents are Django templates rendered in French. WeasyPrint loads what they link (the print
style sheet, the logo) through ``StaticFilesFetcher``, which serves the project's own static files
and nothing else: no ``file:`` URL (``file:///etc/passwd``), no network (``http://127.0.0.1/…``,
so no server-side request forgery and no redirect to follow), only ``data:`` URIs besides.

Relative URLs in a template (``css/pdf.css``) and absolute paths (``/static/css/pdf.css``) both
resolve against ``BASE_URL``, a pseudo-origin on the reserved ``.invalid`` domain that is never
looked up: the fetcher maps it onto the staticfiles finders.
"""

import datetime as dt
import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import formats, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger("cai.pdf")

STATIC_ORIGIN = "https://static.cai.invalid"


def static_prefix() -> str:
    """``/static/`` (the path of STATIC_URL, with its slashes)."""
    return "/" + urlsplit(settings.STATIC_URL).path.strip("/") + "/"


def base_url() -> str:
    """What relative URLs of a document resolve against: the static files' pseudo-origin."""
    return STATIC_ORIGIN + static_prefix()


class RefusedURL(ValueError):
    """A document asked for a resource outside the project's static files."""


class StaticFilesFetcher(URLFetcher):
    """Serves ``STATIC_ORIGIN/static/<path>`` from the staticfiles finders (or the collected files)
    and ``data:`` URIs; refuses every other URL without opening anything. WeasyPrint catches the
    refusal, logs it and renders the document without that resource.

    ``served`` and ``refused`` list the URLs asked for, so that callers (and tests) can see them.
    """

    def __init__(self):
        super().__init__(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        prefix = static_prefix()
        if origin != STATIC_ORIGIN or not parts.path.startswith(prefix):
            self._refuse(url)
        found = find_static_file(unquote(parts.path[len(prefix) :]))
        if found is None:
            self._refuse(url)
        self.served.append(url)
        content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": content_type})

    def _refuse(self, url):
        self.refused.append(url)
        logger.warning("PDF: resource refused (not a static file of the project): %s", url[:200])
        raise RefusedURL(f"Refused URL: {url[:200]}")


def find_static_file(name: str) -> Path | None:
    """The file of a static name (``css/pdf.css``), from the finders (sources) or, for hashed names of
    the manifest storage, the collected files. None for a missing file or a name leaving the tree."""
    name = posixpath.normpath(name).lstrip("/")
    if not name or name.startswith("..") or "\\" in name or "\x00" in name:
        return None
    found = finders.find(name)
    if found:
        return Path(found)
    root = getattr(settings, "STATIC_ROOT", None)
    if root and hasattr(staticfiles_storage, "path"):
        candidate = Path(staticfiles_storage.path(name)).resolve()
        if candidate.is_file() and candidate.is_relative_to(Path(root).resolve()):
            return candidate
    return None


def html_to_pdf(html: str, *, fetcher: StaticFilesFetcher | None = None) -> bytes:
    """Render HTML to PDF bytes; every resource goes through ``fetcher`` (a new one by default)."""
    fetcher = fetcher or StaticFilesFetcher()
    return HTML(string=html, base_url=base_url(), url_fetcher=fetcher).write_pdf()


def html_to_document(html: str, *, fetcher: StaticFilesFetcher | None = None):
    """Lay HTML out as a WeasyPrint document (its ``pages`` can be counted before writing the PDF)."""
    fetcher = fetcher or StaticFilesFetcher()
    return HTML(string=html, base_url=base_url(), url_fetcher=fetcher).render()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template to PDF bytes, in the site's language (French) whatever the request's."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    return html_to_pdf(html)


def long_date(day: dt.date | None) -> str:
    """A date written out in French: ``22 novembre 2026``, ``1er mars 2027`` ("" for no date)."""
    if day is None:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        month_year = formats.date_format(day, "F Y")
    return f"{'1er' if day.day == 1 else day.day} {month_year}"
