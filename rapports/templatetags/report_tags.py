from django import template
from django.utils.safestring import mark_safe

from rapports import charts

register = template.Library()


@register.simple_tag
def bar_chart_of(table, value_column=1, compare_column=None, series=None):
    """A bar chart of a figures table (label in column 0)."""
    items = [(row[0], float(row[value_column] or 0)) for row in table["rows"]]
    second = (
        [float(row[compare_column] or 0) for row in table["rows"]] if compare_column is not None else None
    )
    labels = series.split("|") if series else None
    return charts.bar_chart(items, second=second, series_labels=labels)


@register.simple_tag
def pie_chart_of(table, value_column=1):
    return charts.pie_chart([(row[0], float(row[value_column] or 0)) for row in table["rows"]])


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
    return f"{change:+.0f} %".replace("-", "−")
