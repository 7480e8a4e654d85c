"""The report's figures as an XLSX workbook (one sheet per table) and as CSV, with formula-like
cells neutralised so that the files are safe to open in a spreadsheet."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def figures_xlsx(figures: dict, *, year: int) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for table in figures["tables"]:
        title = (table["key"][:28] or "tableau").replace("/", "-")
        while title in used:
            title = title[:26] + "_2"
        used.add(title)
        sheet = workbook.create_sheet(title=title)
        sheet.append([neutralise(table["title"])])
        sheet.append([neutralise(c) for c in table["columns"]])
        for row in table["rows"]:
            sheet.append([neutralise(cell) for cell in row])
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
    for table in figures["tables"]:
        writer.writerow([neutralise(table["title"])])
        writer.writerow([neutralise(c) for c in table["columns"]])
        for row in table["rows"]:
            writer.writerow([neutralise(cell) for cell in row])
        writer.writerow([])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
