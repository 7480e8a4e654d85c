"""What every CSV and XLSX export shares: cells made safe to open in a spreadsheet.

A text starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some tools strip
first) is read as a formula by spreadsheets: in CSV it gets a leading apostrophe (``neutralise``); in
XLSX it is stored as text, never as a formula, flagged with Excel's "quote prefix" (``xlsx_write``), and
the control characters that XLSX cannot hold are removed (openpyxl would refuse the whole file).
Uploaded lists reuse ``FORMULA_PREFIXES`` to refuse such cells (``parcours.list_validation``).
"""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def neutralise(value):
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe (CSV); other
    values are returned unchanged."""
    if looks_like_formula(value):
        return "'" + value
    return value


def xlsx_write(sheet, row: int, column: int, value):
    """Write one XLSX cell: text is stored as text (``data_type`` "s"), without the control characters
    XLSX forbids, with a quote prefix when it looks like a formula, so that nothing is ever evaluated."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = TYPE_STRING
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell
