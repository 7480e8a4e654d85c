"""Every CSV and XLSX export of the application, with hostile values recorded through the services: each
value that a spreadsheet would run as a formula comes back inert (CSV: a leading apostrophe; XLSX: a
text cell, never a formula, quote-prefixed or apostrophed), and control characters never break a file.

The exports: the offer table (plateformes, CSV and XLSX), the commune lists' figures (parcours, CSV),
the report's figures (rapports, CSV and XLSX, built from the database as the report job builds them)."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cai.exports import FORMULA_PREFIXES, neutralise, xlsx_write
from tests.conftest import signed_in_client
from tests.factories import office

pytestmark = pytest.mark.django_db

MARK = "cmd|' /C calc'!A0"
HOSTILE = [f"{prefix}{MARK}{number}" for number, prefix in enumerate(FORMULA_PREFIXES)]


def offers_export(extension):
    def produce(coordinator, director, commune_agent):
        from plateformes import services as network

        operator = network.operator_create(
            actor=coordinator, name=HOSTILE[0], kind="ili", territories=[office("namur")]
        )
        for value in HOSTILE[1:]:
            network.offer_create(actor=coordinator, operator=operator, kind="francais", title=value)
        response = signed_in_client(coordinator).get(reverse("plateformes:offer_export", args=[extension]))
        assert response.status_code == 200
        return response.content

    return produce


def newcomer_figures_csv(coordinator, director, commune_agent):
    from accompagnement.models import Commune, Office
    from tests.cai.test_url_matrix import _newcomer_list

    _newcomer_list(commune_agent)
    Office.objects.filter(slug="namur").update(name=HOSTILE[0])
    Commune.objects.filter(name="Namur").update(name=HOSTILE[1])
    response = signed_in_client(director).get(reverse("parcours:reconcile_figures_csv") + "?annee=2026")
    assert response.status_code == 200
    return response.content


def report_figures(extension):
    def produce(coordinator, director, commune_agent):
        from plateformes import services as network
        from rapports import exports, selectors

        today = timezone.localdate()
        for value in HOSTILE:
            network.interpellation_create(
                actor=coordinator, kind="carte_blanche", date=today, level="region", title=value + "\x08"
            )
        figures = selectors.report_figures(year=today.year)
        if extension == "csv":
            return exports.figures_csv(figures)
        return exports.figures_xlsx(figures, year=today.year)

    return produce


EXPORTS = [
    ("offers-csv", "csv", offers_export("csv")),
    ("offers-xlsx", "xlsx", offers_export("xlsx")),
    ("newcomer-figures-csv", "csv", newcomer_figures_csv),
    ("report-figures-csv", "csv", report_figures("csv")),
    ("report-figures-xlsx", "xlsx", report_figures("xlsx")),
]


def csv_cells(content: bytes):
    text = content.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        yield from row


def xlsx_cells(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def inert_xlsx_cell(cell) -> bool:
    """Text, never a formula; shown as text either through the quote prefix or a leading apostrophe."""
    return cell.data_type == "s" and (cell.quotePrefix or str(cell.value).startswith("'"))


@pytest.mark.parametrize(("extension", "produce"), [e[1:] for e in EXPORTS], ids=[e[0] for e in EXPORTS])
def test_every_export_writes_hostile_values_inert(extension, produce, coordinator, director, commune_agent):
    content = produce(coordinator, director, commune_agent)
    if extension == "csv":
        found = [cell for cell in csv_cells(content) if MARK in cell]
        assert found, "the hostile values are not in the export"
        assert all(cell.startswith("'") for cell in found), found
        assert all(cell.lstrip("'").startswith(FORMULA_PREFIXES) for cell in found)
    else:
        found = [cell for cell in xlsx_cells(content) if MARK in str(cell.value)]
        assert found, "the hostile values are not in the export"
        bad = [cell.value for cell in found if not inert_xlsx_cell(cell)]
        assert not bad, bad
        assert not any("\x08" in str(cell.value) for cell in found)


def test_neutralise_leaves_other_values_alone():
    assert neutralise("Namur") == "Namur"
    assert neutralise(12) == 12
    assert neutralise(None) is None
    assert [neutralise(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]


def test_xlsx_write_drops_control_characters_that_xlsx_cannot_hold():
    from openpyxl import Workbook

    sheet = Workbook().active
    cell = xlsx_write(sheet, 1, 1, "\x08=SUM(A1)\x00")
    assert cell.value == "=SUM(A1)" and cell.data_type == "s" and cell.quotePrefix
    assert xlsx_write(sheet, 1, 2, 42).value == 42
