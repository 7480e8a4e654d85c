"""Template helpers of the report's PDF: figure tables with computed column widths, charts of a
table, French typography (``nombre``, ``typographie``) and the narrative blocks."""

import re

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from rapports import charts

register = template.Library()

NBSP = "\u00a0"  # before « : » and inside « … »
NARROW_NBSP = charts.NARROW_NBSP  # before « ; ! ? % » and between thousands
EMPTY_CELLS = ("", "—", None)
# Column widths (see column_layout): 172 mm of 8.5 pt text hold about 104 average characters.
LINE_UNITS = 104
CELL_PADDING_UNITS = 3  # the cells' padding (8 pt) and a little slack
BOLD = 1.1
MAX_TOKEN_UNITS = 26  # a longer "word" (a URL) may break rather than widen its column further
MAX_WISH_UNITS = 60
COMPACT_ROWS = 8  # tables up to this many rows are kept on one page (longer ones may break)


@register.simple_tag
def bar_chart_of(table, value_column=1, compare_column=None, series=None, total_row=False, width=None):
    """A bar chart of a figures table (label in column 0). With ``compare_column`` the legend names the
    two columns (``series="a|b"`` overrides it); ``total_row`` leaves the table's last row out;
    ``width`` (px) draws a narrow chart to sit beside its table."""
    if not table:
        return ""
    rows = table["rows"][:-1] if total_row else table["rows"]
    items = [(row[0], float(row[value_column] or 0)) for row in rows]
    second = [float(row[compare_column] or 0) for row in rows] if compare_column is not None else None
    if series:
        labels = str(series).split("|")
    elif compare_column is not None:
        labels = [table["columns"][value_column], table["columns"][compare_column]]
    else:
        labels = None
    size = {"width": width, "label_width": min(190, round(width * 0.32))} if width else {}
    return charts.bar_chart(items, second=second, series_labels=labels, **size)


@register.simple_tag
def pie_chart_of(table, value_column=1, small=False):
    """A ring chart of a figures table (label in column 0); ``small`` to sit beside its table."""
    if not table:
        return ""
    size = {"size": 120, "legend_width": 180} if small else {}
    return charts.pie_chart([(row[0], float(row[value_column] or 0)) for row in table["rows"]], **size)


@register.filter
def by_key(tables, key):
    return next((t for t in tables if t["key"] == key), None)


@register.filter
def narrative(blocks, key):
    """The sanitised HTML the team wrote for a section ("" when empty)."""
    return mark_safe(blocks.get(key, ""))  # noqa: S308 - sanitised with nh3 when saved (services.narrative_save)


@register.filter
def delta(current, previous):
    """'+12 %' style change from the previous year ('' when there is nothing to compare)."""
    if not previous:
        return ""
    change = 100 * (current - previous) / previous
    return f"{change:+.0f}{NARROW_NBSP}%".replace("-", "−")


@register.filter
def nombre(value):
    """A number written the French way: ``1 234`` (narrow no-break space), ``12,5``."""
    return charts.format_number(value)


# French spacing: only spaces the author already typed become no-break spaces, so that URLs
# (``https://``), times (``12:30``) and entities (``&amp;``) are never touched.
SPACING_RULES = [
    (re.compile(r"[ \u00a0\u202f]+([;!?])"), NARROW_NBSP + r"\1"),
    (re.compile(r"[ \u00a0\u202f]+([:»])"), NBSP + r"\1"),
    (re.compile(r"«[ \u00a0\u202f]+"), "«" + NBSP),
    (re.compile(r"(\d)[ \u00a0\u202f]+%"), r"\1" + NARROW_NBSP + "%"),
]
TAG = re.compile(r"(<[^>]*>)")


def french_spacing(text: str) -> str:
    """No-break spaces before « : ; ! ? » and « % », and inside « … », in the text between tags."""
    parts = TAG.split(text)
    for index in range(0, len(parts), 2):  # even indexes: text; odd: tags, left alone
        for pattern, replacement in SPACING_RULES:
            parts[index] = pattern.sub(replacement, parts[index])
    return "".join(parts)


@register.filter(is_safe=True)
def typographie(html):
    """``{% filter typographie %}…{% endfilter %}``: French spacing over already-rendered HTML."""
    return mark_safe(french_spacing(str(html)))  # noqa: S308 - the input is the template's own output


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


NARROW_GLYPHS = set("fijlrtI.,:;'’·!()[]|/ ")
WIDE_GLYPHS = set("mwMW@%—")


def _units(text: str) -> float:
    """The printed width of ``text`` in units of an average character (about half an em): narrow
    glyphs count a little over half, wide ones and capitals more. Close enough to choose widths."""
    return sum(
        0.55 if glyph in NARROW_GLYPHS else 1.55 if glyph in WIDE_GLYPHS else 1.2 if glyph.isupper() else 1.0
        for glyph in text
    )


def _longest_word(text) -> float:
    return max((_units(word) for word in str(text).split()), default=1)


def column_layout(table, *, line_units=None) -> list[dict]:
    """Per column: whether it holds numbers (right-aligned) and its share of the width.

    Widths are reckoned in units of an average character of the table's type (``LINE_UNITS`` across
    the page). Each column first gets its minimum: its header's longest word (bold, so a little
    wider) or its longest unbreakable value (a date, a number, a long word), plus the cell padding.
    What is left goes to the text columns, in proportion to how much their typical value exceeds
    that minimum. When even the minimums do not fit, every column shrinks alike."""
    columns, rows = table["columns"], table["rows"]
    layout = []
    for index, header in enumerate(columns):
        filled = [row[index] for row in rows if index < len(row) and row[index] not in EMPTY_CELLS]
        numeric = index > 0 and bool(filled) and all(_is_number(cell) for cell in filled)
        if not rows:  # the empty state: counts usually sit at the right
            numeric = 0 < index == len(columns) - 1
        texts = [charts.format_number(c) if index and _is_number(c) else str(c) for c in filled]
        longest = min(MAX_TOKEN_UNITS, max((_longest_word(text) for text in texts), default=1))
        minimum = max(BOLD * _longest_word(header), longest) + CELL_PADDING_UNITS
        lengths = [_units(text) for text in texts]
        typical = (sum(lengths) / len(lengths) + max(lengths)) / 2 if lengths else 0
        wish = minimum if numeric else max(minimum, min(MAX_WISH_UNITS, typical + CELL_PADDING_UNITS))
        layout.append({"label": header, "numeric": numeric, "minimum": minimum, "wish": wish})
    room = (line_units or LINE_UNITS) - sum(column["minimum"] for column in layout)
    growth = sum(column["wish"] - column["minimum"] for column in layout)
    for column in layout:
        column["weight"] = column["minimum"]
        if room > 0:
            share = (column["wish"] - column["minimum"]) / growth if growth else 1 / len(layout)
            column["weight"] += room * share
    for column, width in zip(layout, _whole_percents([column["weight"] for column in layout]), strict=True):
        column["width"] = width  # the style sheet has a class per whole percent (col.w1 … col.w100)
    return layout


def _whole_percents(weights: list[float]) -> list[int]:
    """Shares of 100 in whole numbers (at least 1 each) that add up to exactly 100: the largest
    remainders get the percents left over, so that a fixed-layout table never overflows the page."""
    total = sum(weights) or 1
    exact = [100 * weight / total for weight in weights]
    shares = [max(1, int(value)) for value in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    index = 0
    while sum(shares) < 100 and by_remainder:
        shares[by_remainder[index % len(by_remainder)]] += 1
        index += 1
    while sum(shares) > 100:
        widest = max(range(len(shares)), key=shares.__getitem__)
        shares[widest] -= 1
    return shares


@register.inclusion_tag("rapports/pdf/table.html")
def figure_table(table, half=False):
    """A figures table ``{"key","title","columns","rows","note"}`` with fixed column widths, numbers
    right-aligned and written the French way, a bold total row, and the empty state. ``half`` for a
    table in half the page's width (beside its chart)."""
    if not table:
        return {"table": None}
    layout = column_layout(table, line_units=LINE_UNITS / 2 if half else LINE_UNITS)
    total_label = str(_("Total"))
    rows = []
    for row in table["rows"]:
        cells = []
        for index, cell in enumerate(row):
            # the label column is left as it is: a year (2025) is not a quantity
            text = (
                charts.format_number(cell) if index and _is_number(cell) else ("" if cell is None else cell)
            )
            cells.append({"text": text, "numeric": index < len(layout) and layout[index]["numeric"]})
        rows.append({"cells": cells, "total": bool(row) and str(row[0]).startswith(total_label)})
    compact = len(rows) <= COMPACT_ROWS
    return {"table": table, "columns": layout, "rows": rows, "compact": compact}
