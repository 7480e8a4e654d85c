"""The report's figures as an XLSX workbook (one sheet per table, every chapter's tables) and as CSV,
made safe to open in a spreadsheet (``cai.exports``).

CSV cells that a spreadsheet would read as a formula get a leading apostrophe. In the workbook, text
cells are stored as text (never as formulas) and flagged with Excel's "quote prefix" instead, so they
show exactly what was recorded (``+12 %``, ``-`` notes) and stay text when edited.
"""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cai.exports import neutralise
from cai.exports import xlsx_write as _write

from .selectors import all_tables

SHEET_TITLE_MAX = 31  # Excel's limit
INVALID_SHEET_CHARACTERS = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))
MIN_WIDTH, MAX_WIDTH = 8, 60
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B5D6B")
TITLE_FONT = Font(bold=True, size=13, color="0B5D6B")


def _sheet_title(key: str, used: set[str]) -> str:
    """A unique sheet name from the table's key, within Excel's 31 characters."""
    base = (key.translate(INVALID_SHEET_CHARACTERS) or _("tableau"))[:SHEET_TITLE_MAX]
    title, number = base, 2
    while title.lower() in used:
        suffix = f"_{number}"
        title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
        number += 1
    used.add(title.lower())
    return title


def _text_width(value) -> int:
    return max((len(line) for line in str(value).splitlines()), default=0)


def _table_sheet(workbook, table: dict, title: str) -> None:
    """Title on the first row, bold headers on the second (frozen), then the rows; columns as wide as
    their content (within bounds)."""
    sheet = workbook.create_sheet(title=title)
    _write(sheet, 1, 1, table["title"]).font = TITLE_FONT
    widths = [_text_width(column) + 2 for column in table["columns"]]
    for index, column in enumerate(table["columns"], start=1):
        cell = _write(sheet, 2, index, column)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    for row_number, row in enumerate(table["rows"], start=3):
        for index, value in enumerate(row, start=1):
            _write(sheet, row_number, index, value)
            if index <= len(widths):
                widths[index - 1] = max(widths[index - 1], _text_width(value) + 2)
    if not table["rows"]:
        _write(sheet, 3, 1, _("Aucune donnée enregistrée."))
    if table.get("note"):
        _write(sheet, len(table["rows"]) + 4, 1, table["note"]).font = Font(italic=True, color="5B6B70")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(MIN_WIDTH, min(MAX_WIDTH, width))
    sheet.freeze_panes = "A3"


def figures_xlsx(figures: dict, *, year: int) -> bytes:
    """Every table of the report (``selectors.all_tables``), one sheet each, in reading order."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in all_tables(figures):
        _table_sheet(workbook, table, _sheet_title(table["key"], used))
    if not used:
        workbook.create_sheet(title=_("vide"))
    buffer = io.BytesIO()
    workbook.properties.title = _("Chiffres du rapport d'activités %(year)s") % {"year": year}
    workbook.save(buffer)
    return buffer.getvalue()


def figures_csv(figures: dict) -> bytes:
    """All tables one after the other (semicolon-separated, UTF-8 with BOM for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for table in all_tables(figures):
        writer.writerow([neutralise(table["title"])])
        writer.writerow([neutralise(c) for c in table["columns"]])
        for row in table["rows"]:
            writer.writerow([neutralise(cell) for cell in row])
        writer.writerow([])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
