from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters replaced (pagination and sorting links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.simple_tag(takes_context=True)
def sort_link(context, field, label):
    """A column header that sorts by ``field``, toggling the direction; returns (url query, arrow)."""
    current = context["request"].GET.get("tri", "")
    if current == field:
        new, arrow = f"-{field}", " ▲"
    elif current == f"-{field}":
        new, arrow = field, " ▼"
    else:
        new, arrow = field, ""
    params = context["request"].GET.copy()
    params["tri"] = new
    params.pop("page", None)
    from django.utils.html import format_html

    return format_html(
        '<a href="?{}" class="link-dark text-decoration-none">{}{}</a>', params.urlencode(), label, arrow
    )
