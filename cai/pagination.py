"""Pagination shared by every list page."""


class NearestPageMixin:
    """For a ``ListView``: a page number out of range or not a number shows the nearest page (the
    last, or the first) rather than a 404, since a list shrinks while a user pages through it."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()
