"""Form widgets shared by the apps."""

from html import escape

from django import forms
from django.utils.safestring import mark_safe


def _escape(value) -> str:
    """``conditional_escape`` without its lazy-string wrapper (a noticeable cost over 1,000 options)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value), quote=True)


def _attrs(attrs: dict) -> str:
    """The attributes as ``attrs.html`` writes them: ``True`` alone, ``False`` and ``None`` left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class LargeSelect(forms.Select):
    """A ``<select>`` for long lists (the 1,000 operators of the directory): the same HTML as Django's
    ``Select``, written in Python instead of one template include per option.

    Django renders every ``<option>`` through ``select_option.html`` and ``attrs.html``: about 0.1 ms an
    option, so a drop-down of 1,100 operators cost a list page 100–200 ms (measured by
    ``bench/network.py``). Options and groups come from ``optgroups()`` as usual, so the selected value,
    the empty label and the attributes are Django's own; every value and label is escaped."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
            parts.extend(
                f'\n  <option value="{_escape(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_escape(option['label'])}</option>"
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 — every value and label above is escaped
