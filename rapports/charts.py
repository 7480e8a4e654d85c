"""Hand-written SVG charts for the PDF, embedded as ``data:image/svg+xml;base64`` images (faster in
WeasyPrint than inline SVG, and no dependency)."""

import base64
import math
from html import escape

PALETTE = ["#0b5d6b", "#e07a1f", "#5b8c2a", "#8e3b8c", "#c23b3b", "#3b6fc2", "#9a8a1f", "#6b6b6b"]
FONT = "Noto Sans, DejaVu Sans, sans-serif"


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def bar_chart(
    items: list[tuple[str, float]],
    *,
    width=480,
    bar_height=18,
    label_width=170,
    series_labels=None,
    second=None,
) -> str:
    """Horizontal bars, one per item; with ``second`` (values of the previous year) a paired bar."""
    items = list(items)
    if not items:
        return ""
    values = [v for _label, v in items] + (list(second) if second else [])
    maximum = max(values + [1])
    row = bar_height * (2 if second else 1) + 8
    height = row * len(items) + (22 if series_labels else 4)
    plot = width - label_width - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="{FONT}" font-size="10">'
    ]
    for index, (label, value) in enumerate(items):
        y = index * row + 2
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 5}" text-anchor="end">{escape(str(label))[:40]}</text>'
        )
        bar = plot * value / maximum
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{bar:.1f}" height="{bar_height}" fill="{PALETTE[0]}"/>'
        )
        parts.append(f'<text x="{label_width + bar + 4:.1f}" y="{y + bar_height - 5}">{value:g}</text>')
        if second:
            other = second[index]
            bar2 = plot * other / maximum
            y2 = y + bar_height
            parts.append(
                f'<rect x="{label_width}" y="{y2}" width="{bar2:.1f}" height="{bar_height - 4}" fill="#b9cfd3"/>'
            )
            parts.append(
                f'<text x="{label_width + bar2 + 4:.1f}" y="{y2 + bar_height - 7}" fill="#555">{other:g}</text>'
            )
    if series_labels:
        y = height - 8
        parts.append(
            f'<rect x="{label_width}" y="{y - 8}" width="10" height="10" fill="{PALETTE[0]}"/><text x="{label_width + 14}" y="{y}">{escape(series_labels[0])}</text>'
        )
        parts.append(
            f'<rect x="{label_width + 90}" y="{y - 8}" width="10" height="10" fill="#b9cfd3"/><text x="{label_width + 104}" y="{y}">{escape(series_labels[1])}</text>'
        )
    parts.append("</svg>")
    return _data_uri("".join(parts))


def pie_chart(items: list[tuple[str, float]], *, size=170, legend_width=210) -> str:
    """A pie with a legend; zero slices are left out of the drawing but kept in the legend."""
    total = sum(v for _l, v in items)
    if total <= 0:
        return ""
    radius = size / 2 - 4
    cx = cy = size / 2
    height = max(size, 16 * len(items) + 8)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size + legend_width}" height="{height}" font-family="{FONT}" font-size="10">'
    ]
    angle = -math.pi / 2
    for index, (_label, value) in enumerate(items):
        if value <= 0:
            continue
        share = value / total
        color = PALETTE[index % len(PALETTE)]
        if share >= 0.9999:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{color}"/>')
            break
        end = angle + 2 * math.pi * share
        x1, y1 = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        x2, y2 = cx + radius * math.cos(end), cy + radius * math.sin(end)
        large = 1 if share > 0.5 else 0
        parts.append(
            f'<path d="M{cx},{cy} L{x1:.2f},{y1:.2f} A{radius},{radius} 0 {large} 1 {x2:.2f},{y2:.2f} Z" fill="{color}"/>'
        )
        angle = end
    for index, (label, value) in enumerate(items):
        y = 12 + index * 16
        color = PALETTE[index % len(PALETTE)]
        percent = 100 * value / total
        parts.append(f'<rect x="{size + 10}" y="{y - 9}" width="10" height="10" fill="{color}"/>')
        parts.append(
            f'<text x="{size + 24}" y="{y}">{escape(str(label))[:30]} : {value:g} ({percent:.0f} %)</text>'
        )
    parts.append("</svg>")
    return _data_uri("".join(parts))
