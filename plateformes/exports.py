"""The offer table as a spreadsheet (CSV for any tool, XLSX for Excel and LibreOffice).

Cells are neutralised against formula injection (``cai.exports``): a text starting with ``=``, ``+``,
``-`` or ``@`` (or a tab or carriage return, which some tools strip first) is prefixed with ``'``, so that
a spreadsheet shows it as text instead of running it. Every XLSX cell is also written as a string.
"""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from cai import exports

MAX_ROWS = 10_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value) -> str:
    """The cell's text, made inert if a spreadsheet could read it as a formula (``cai.exports``)."""
    return exports.neutralise("" if value is None else str(value))


def offer_headers() -> list[str]:
    return [
        _("Opérateur"),
        _("Type d'offre"),
        _("Intitulé"),
        _("Niveau"),
        _("Format citoyenneté"),
        _("Horaire"),
        _("Lieu"),
        _("Commune"),
        _("Territoires (bureaux)"),
        _("Places"),
        _("En cours"),
        _("Téléphone de l'opérateur"),
        _("E-mail de l'opérateur"),
    ]


def offer_rows(offers):
    """One list of cell texts per offer (``offers`` comes from ``selectors.offer_list``: operator,
    commune and territories are already loaded)."""
    for offer in offers[:MAX_ROWS]:
        yield [
            neutralise(cell)
            for cell in (
                offer.operator.name,
                offer.get_kind_display(),
                offer.title,
                offer.level,
                offer.citizenship_format,
                offer.schedule,
                offer.place,
                offer.commune.name if offer.commune_id else "",
                ", ".join(office.name for office in offer.territories.all()),
                "" if offer.capacity is None else offer.capacity,
                _("oui") if offer.active else _("non"),
                offer.operator.phone,
                offer.operator.email,
            )
        ]


def _filename(extension: str) -> str:
    return f"offre-operateurs-{timezone.localdate():%Y-%m-%d}.{extension}"


def offers_csv(offers) -> HttpResponse:
    """Semicolon-separated UTF-8 with a byte-order mark: what Excel opens correctly in Belgium."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(offer_headers())
    writer.writerows(offer_rows(offers))
    return response


def offers_xlsx(offers) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Offre")
    sheet.append(offer_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(offer_rows(offers), start=2):
        for column, text in enumerate(row, start=1):
            exports.xlsx_write(sheet, row_number, column, text)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
