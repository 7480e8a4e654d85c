"""Helpers of the network's page tests: reading pages and posting inline formsets."""

from html import unescape

from django.test import Client

from tests.conftest import signed_in_client

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    """The page as a reader sees it (entities such as &#x27; decoded)."""
    return unescape(response.content.decode())


def formset_data(prefix: str, rows: list[dict], *, initial: int = 0) -> dict:
    """The POST data of an inline formset: the management form and one form per row."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def csrf_client(user) -> Client:
    """A signed-in client that enforces CSRF, and the token to send with its POSTs."""
    client = signed_in_client(user, enforce_csrf_checks=True)
    client.get("/profil/")  # sets the CSRF cookie
    return client


def csrf_token(client: Client) -> str:
    return client.cookies["csrftoken"].value
