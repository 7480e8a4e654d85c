"""What every filtered list shares: the column headers sort with ``?tri=`` (the ``sort_link`` tag),
which the FilterSets call ``ordering``; Bootstrap's small widgets on the filter form; and, for a
``ListView``, the FilterSet applied to a base queryset with a stable order."""

from django import forms


def with_ordering(data):
    """The request's parameters for a FilterSet: ``None`` when there are none (an unbound FilterSet),
    else a copy where ``ordering`` takes the value of ``tri``."""
    if not data:
        return None
    data = data.copy()
    if "tri" in data:
        data["ordering"] = data["tri"]
    return data


def style_filter_form(form) -> None:
    """Small Bootstrap widgets and date pickers. The templates leave out the sort field (``tri``): the
    column headers set it."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select form-select-sm"
        else:
            widget.attrs["class"] = "form-control form-control-sm"
            if isinstance(field, forms.DateField):
                widget.input_type = "date"


class SortByTriMixin:
    """For django-filter's ``FilterView``: ``?tri=`` sorts."""

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = with_ordering(kwargs["data"])
        return kwargs


class FilteredListMixin:
    """For a ``ListView``: ``base_queryset()`` through ``filterset_class``, styled, sorted by the chosen
    column then ``default_order`` (stable pages); ``filter`` and ``is_filtered`` in the context."""

    filterset_class = None
    default_order: tuple = ()

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        self.filterset = self.filterset_class(
            with_ordering(self.request.GET), queryset=self.base_queryset(), request=self.request
        )
        style_filter_form(self.filterset.form)
        queryset = self.filterset.qs
        return queryset.order_by(*queryset.query.order_by, *self.default_order)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filter=self.filterset,
            is_filtered=any(value for key, value in self.request.GET.items() if key not in ("page", "tri")),
        )
        return context
