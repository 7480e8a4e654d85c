"""Hand-written SVG charts for the PDF, embedded as ``data:image/svg+xml;base64`` images (faster in
WeasyPrint than inline SVG, and no dependency).

Every chart is drawn in a ``viewBox`` so that the style sheet sets its printed width; labels are
shortened before they are escaped (never in the middle of an entity) and numbers are written the
French way (``1 234``, ``12,5``).
"""

import base64
import math
from html import escape

PALETTE = ["#0b5d6b", "#e07a1f", "#5b8c2a", "#8e3b8c", "#c23b3b", "#3b6fc2", "#9a8a1f", "#6b6b6b"]
PREVIOUS = "#a9c7cc"  # the year before, beside this year's bars
FONT = "Noto Sans, DejaVu Sans, sans-serif"
TEXT = "#1d2b2f"
MUTED = "#5b6b70"
GRID = "#dfe7e9"
NARROW_NBSP = "\u202f"  # French thousands separator and space before « ; ! ? % »


def format_number(value) -> str:
    """``1234`` → ``1 234`` (narrow no-break space), ``12.5`` → ``12,5``; anything else unchanged."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        whole, _dot, decimals = f"{value:,.1f}".partition(".")
        return whole.replace(",", NARROW_NBSP) + "," + decimals
    return f"{int(value):,}".replace(",", NARROW_NBSP)


def _short(label, limit: int) -> str:
    """The label cut to ``limit`` characters (with an ellipsis), then escaped for SVG."""
    text = str(label)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return escape(text)


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _svg(width: float, height: float, body: list[str]) -> str:
    return _data_uri(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}" font-size="10" fill="{TEXT}">'
        + "".join(body)
        + "</svg>"
    )


def _nice_maximum(value: float) -> float:
    """The top of a scale drawn in quarters: four times a round step (1, 2, 2.5 or 5 times a power of
    ten, at least 1 so that counts get whole ticks)."""
    if value <= 4:
        return 4
    power = 10 ** math.floor(math.log10(value / 4))
    for step in (1, 2, 2.5, 5, 10):
        if 4 * step * power >= value and float(step * power).is_integer():
            return 4 * step * power
    return 40 * power


def bar_chart(
    items: list[tuple[str, float]],
    *,
    width=520,
    bar_height=14,
    label_width=190,
    series_labels=None,
    second=None,
) -> str:
    """Horizontal bars, one per item; with ``second`` (another series, such as the year before) a
    paired, lighter bar under each. Light vertical grid lines at quarters of a rounded scale."""
    items = list(items)
    if not items:
        return ""
    values = [v for _label, v in items] + (list(second) if second else [])
    maximum = _nice_maximum(max(values + [0]))
    legend = 20 if series_labels else 0
    row = bar_height * (2 if second else 1) + 8
    plot = width - label_width - 46
    height = legend + row * len(items) + 16
    body = []
    if series_labels:
        body.append(f'<rect x="{label_width}" y="2" width="10" height="10" fill="{PALETTE[0]}"/>')
        body.append(f'<text x="{label_width + 14}" y="11">{_short(series_labels[0], 24)}</text>')
        if second:
            x = label_width + min(150, plot / 2)
            body.append(f'<rect x="{x}" y="2" width="10" height="10" fill="{PREVIOUS}"/>')
            body.append(f'<text x="{x + 14}" y="11" fill="{MUTED}">{_short(series_labels[1], 30)}</text>')
    bottom = legend + row * len(items)
    label_chars = max(8, int(label_width / 5.6))  # about 5.6 px a character at 10 px
    for quarter in range(5):
        x = label_width + plot * quarter / 4
        body.append(f'<line x1="{x:.1f}" y1="{legend}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}"/>')
        body.append(
            f'<text x="{x:.1f}" y="{bottom + 11}" text-anchor="middle" font-size="8" fill="{MUTED}">'
            f"{format_number(maximum * quarter / 4)}</text>"
        )
    for index, (label, value) in enumerate(items):
        y = legend + index * row + 4
        middle = y + (row - 8) / 2 + 3.5
        body.append(
            f'<text x="{label_width - 6}" y="{middle:.1f}" text-anchor="end">{_short(label, label_chars)}</text>'
        )
        bar = plot * value / maximum
        body.append(
            f'<rect x="{label_width}" y="{y}" width="{bar:.1f}" height="{bar_height}" fill="{PALETTE[0]}"/>'
        )
        body.append(
            f'<text x="{label_width + bar + 4:.1f}" y="{y + bar_height - 3.5}" font-weight="bold">'
            f"{format_number(value)}</text>"
        )
        if second:
            other = second[index]
            bar2 = plot * other / maximum
            y2 = y + bar_height
            body.append(
                f'<rect x="{label_width}" y="{y2}" width="{bar2:.1f}" height="{bar_height - 3}" fill="{PREVIOUS}"/>'
            )
            body.append(
                f'<text x="{label_width + bar2 + 4:.1f}" y="{y2 + bar_height - 5}" font-size="9" '
                f'fill="{MUTED}">{format_number(other)}</text>'
            )
    body.append(f'<line x1="{label_width}" y1="{legend}" x2="{label_width}" y2="{bottom}" stroke="{MUTED}"/>')
    return _svg(width, height, body)


def pie_chart(items: list[tuple[str, float]], *, size=170, legend_width=250) -> str:
    """A ring (a pie with a hole) and its legend with counts and shares; zero slices are left out of
    the drawing but kept in the legend."""
    items = list(items)
    total = sum(v for _l, v in items)
    if total <= 0:
        return ""
    radius = size / 2 - 4
    hole = radius * 0.5
    cx = cy = size / 2
    height = max(size, 18 * len(items) + 8)
    body = []
    angle = -math.pi / 2
    for index, (_label, value) in enumerate(items):
        if value <= 0:
            continue
        share = value / total
        color = PALETTE[index % len(PALETTE)]
        if share >= 0.9999:
            body.append(f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{color}"/>')
            break
        end = angle + 2 * math.pi * share
        x1, y1 = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        x2, y2 = cx + radius * math.cos(end), cy + radius * math.sin(end)
        large = 1 if share > 0.5 else 0
        body.append(
            f'<path d="M{cx},{cy} L{x1:.2f},{y1:.2f} A{radius},{radius} 0 {large} 1 {x2:.2f},{y2:.2f} Z" '
            f'fill="{color}" stroke="#ffffff" stroke-width="1"/>'
        )
        angle = end
    body.append(f'<circle cx="{cx}" cy="{cy}" r="{hole}" fill="#ffffff"/>')
    body.append(
        f'<text x="{cx}" y="{cy + 5}" text-anchor="middle" font-size="14" font-weight="bold">'
        f"{format_number(total)}</text>"
    )
    top = (height - 18 * len(items)) / 2 + 12
    for index, (label, value) in enumerate(items):
        y = top + index * 18
        color = PALETTE[index % len(PALETTE)]
        percent = round(100 * value / total)
        body.append(f'<rect x="{size + 12}" y="{y - 9}" width="10" height="10" fill="{color}"/>')
        body.append(
            f'<text x="{size + 27}" y="{y}">{_short(label, max(8, int((legend_width - 60) / 5.6)))}\u00a0: {format_number(value)} '
            f'<tspan fill="{MUTED}">({percent}{NARROW_NBSP}%)</tspan></text>'
        )
    return _svg(size + legend_width, height, body)
