"""Reconciliation of the communes' newcomer lists by the centre (issue 4 §4, §5): the incoming lists
with the communes that sent none, one list with its rows and their candidate files, the row actions
(link, open a file, set aside, and "open a file for every row without a candidate"), and the yearly
figures per office and commune with their CSV export.

Only path coordinators (``user.can_coordinate_path``: the director, or a coordinator with the path
right) and administrators reach these pages; everyone else gets 403, before any lookup. A list or
row that does not exist answers 404. Coordinators see, of an existing file, only what matching needs:
name, birth date and office (``list_selectors.candidates_for_rows``). Writes go through
``list_services``; their errors are shown on the row, in French, and nothing is saved.
"""

import csv
import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Q, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import ListView, TemplateView
from stdnum.be import nn

from accompagnement.models import Office, Person
from cai.exports import neutralise
from cai.pagination import NearestPageMixin

from .. import list_services
from ..forms.reconciliation import (
    CREATE,
    LINK,
    FiguresYearForm,
    NewcomerListFilter,
    RowActionForm,
    month_bounds,
)
from ..list_selectors import (
    candidates_for_rows,
    communes_without_list,
    figures_by_commune,
    get_list_for_user,
    list_queryset,
    rows_for_reconciliation,
)
from ..models import NewcomerList, NewcomerListRow, RowMatch

PAGE_SIZE = 25
RESULTS_TARGET = "reconcile-results"
SUMMARY_ID = "reconcile-summary"
NOT_A_CANDIDATE = gettext_lazy("Cette personne ne fait pas partie des dossiers proposés pour cette ligne.")
ALREADY_PROCESSED = gettext_lazy("Cette ligne a déjà été traitée.")
FIGURES = ("received", "linked", "created", "came_count", "obliged", "obliged_came")


def reconciles_lists(user) -> bool:
    """Path coordinators (the director, coordinators with the path right) and administrators."""
    return user.is_active and (user.can_coordinate_path or user.is_administrator)


class ReconcilesListsMixin(UserPassesTestMixin):
    raise_exception = True

    def test_func(self):
        return reconciles_lists(self.request.user)


def is_fragment_request(request) -> bool:
    """An HTMX request that swaps part of the page (not a history restore, which wants the page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def style_filter_form(form) -> None:
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-select form-select-sm"


# The incoming lists


def missing_lists(*, today: dt.date) -> list[dict]:
    """The communes that sent no list for the current month and for the previous one (two queries
    each: the communes, then their agents)."""
    previous = today.replace(day=1) - dt.timedelta(days=1)
    months = []
    for day in (today, previous):
        start, end = month_bounds(day.year, day.month)
        communes = communes_without_list(start=start, end=end).order_by("office__name", "name")
        months.append({"start": start, "communes": list(communes)})
    return months


def pending_total(*, user) -> int:
    return NewcomerListRow.objects.filter(
        newcomer_list__in=NewcomerList.objects.visible_to(user), match=RowMatch.PENDING
    ).count()


class ReconcileListView(NearestPageMixin, ReconcilesListsMixin, ListView):
    """The incoming lists, filtered, sorted (``?tri=``) and paginated (25), with the pending rows in
    total and the communes without a list. An HTMX request answers with the results fragment only."""

    template_name = "parcours/reconcile_list.html"
    fragment_template_name = "parcours/partials/reconcile_list_results.html"
    context_object_name = "lists"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.filterset = NewcomerListFilter(
            self.request.GET or None, queryset=list_queryset(user=self.request.user), request=self.request
        )
        style_filter_form(self.filterset.form)
        queryset = self.filterset.qs
        if queryset.query.order_by:  # a column chosen: then the newest first, for a stable order
            return queryset.order_by(*queryset.query.order_by, "-submitted_at", "-id")
        return queryset.order_by("-submitted_at", "-id")

    def get_template_names(self):
        if is_fragment_request(self.request):
            return [self.fragment_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filter=self.filterset,
            is_filtered=any(v for k, v in self.request.GET.items() if k not in ("page", "tri")),
            results_target=RESULTS_TARGET,
        )
        if not is_fragment_request(self.request):
            context.update(
                pending_total=pending_total(user=self.request.user),
                missing_months=missing_lists(today=timezone.localdate()),
            )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


# One list and its rows


def reconciliation_rows(newcomer_list):
    return (
        rows_for_reconciliation(newcomer_list=newcomer_list).select_related("matched_by").order_by("number")
    )


def row_items(rows, *, errors: dict | None = None, candidates: dict | None = None) -> list[dict]:
    """Each row with its candidate files (pending rows only: two queries whatever their number, unless
    ``candidates`` already holds them), its formatted number and the errors of a refused action."""
    rows = list(rows)
    if candidates is None:
        candidates = candidates_for_rows([row for row in rows if row.match == RowMatch.PENDING])
    errors = errors or {}
    return [
        {
            "row": row,
            "candidates": candidates.get(row.pk, []),
            "number": nn.format(row.national_number) if row.national_number else "",
            "errors": errors.get(row.pk, []),
        }
        for row in rows
    ]


def list_summary(newcomer_list) -> dict:
    """The rows of the list per state (one query)."""
    counts = dict.fromkeys(RowMatch.values, 0)
    for match in newcomer_list.rows.values_list("match", flat=True):
        counts[match] += 1
    return counts


ROWS_PER_PAGE = 50
# ?lignes=… : which rows the page shows (all by default, the rows still to process first).
ROW_FILTERS = {
    "a-traiter": Q(match=RowMatch.PENDING),
    "traitees": ~Q(match=RowMatch.PENDING),
}


class ReconcileDetailView(ReconcilesListsMixin, TemplateView):
    """The rows of a list, 50 a page, those still to process first (or only them, or only the processed
    ones), with their pre-computed status, proposed office and candidate files, and the actions on
    pending rows. A fixed number of queries whatever the number of rows."""

    template_name = "parcours/reconcile_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        newcomer_list = get_list_for_user(user=self.request.user, pk=self.kwargs["pk"])
        shown = self.request.GET.get("lignes", "")
        rows = reconciliation_rows(newcomer_list).order_by(
            Case(When(match=RowMatch.PENDING, then=0), default=1), "number"
        )
        if shown in ROW_FILTERS:
            rows = rows.filter(ROW_FILTERS[shown])
        else:
            shown = ""
        page = Paginator(rows, ROWS_PER_PAGE).get_page(self.request.GET.get("page"))
        # The candidates of every pending row (two queries): the page's rows, and the count of the rows
        # without any, which the "open a file for all of them" button acts on.
        pending = list(newcomer_list.rows.filter(match=RowMatch.PENDING))
        candidates = candidates_for_rows(pending)
        context.update(
            newcomer_list=newcomer_list,
            items=row_items(page.object_list, candidates=candidates),
            page_obj=page,
            shown=shown,
            offices=list(Office.objects.order_by("name")),
            summary=list_summary(newcomer_list),
            summary_id=SUMMARY_ID,
            without_candidate=sum(1 for row in pending if not candidates.get(row.pk)),
        )
        return context


def get_row(newcomer_list, row_pk) -> NewcomerListRow:
    """The row of that list, or 404."""
    try:
        return newcomer_list.rows.get(pk=row_pk)
    except NewcomerListRow.DoesNotExist:
        raise Http404 from None


def candidate_person(row, candidate_id) -> Person | None:
    """The file ``candidate_id`` if it is among the row's candidates, else None. The candidate list
    is the gate here: a coordinator reads no file otherwise, so a forged id is refused."""
    ids = {candidate["id"] for candidate in candidates_for_rows([row]).get(row.pk, [])}
    if candidate_id not in ids:
        return None
    return Person.objects.get(pk=candidate_id)


def service_messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


@transaction.atomic
def apply_row_action(*, actor, row_pk: int, data: dict) -> list[str]:
    """Run the chosen action on the row, locked for the time of the write so that two coordinators
    cannot process it twice. Returns the French errors (empty when done)."""
    row = NewcomerListRow.objects.select_for_update().get(pk=row_pk)
    if row.match != RowMatch.PENDING:
        return [str(ALREADY_PROCESSED)]
    try:
        if data["action"] == LINK:
            person = candidate_person(row, data["candidate"])
            if person is None:
                return [str(NOT_A_CANDIDATE)]
            list_services.row_link(actor=actor, row=row, person=person)
        elif data["action"] == CREATE:
            list_services.row_create_person(actor=actor, row=row, office=data["office"])
        else:
            list_services.row_reject(actor=actor, row=row)
    except ValidationError as error:
        return service_messages(error)
    return []


class ReconcileRowView(ReconcilesListsMixin, View):
    """POST ``action`` (``rattacher`` with ``candidate``, ``ouvrir`` with an optional ``office``,
    ``ecarter``) on one row. HTMX answers with the updated row (with its errors, if refused) and the
    list's counts; a plain POST redirects to the list with a message."""

    row_template_name = "parcours/partials/reconcile_row_response.html"

    def post(self, request, pk, row_pk):
        user = request.user
        newcomer_list = get_list_for_user(user=user, pk=pk)
        row = get_row(newcomer_list, row_pk)
        form = RowActionForm(request.POST)
        if form.is_valid():
            errors = apply_row_action(actor=user, row_pk=row.pk, data=form.cleaned_data)
        else:
            errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
        if is_fragment_request(request):
            [item] = row_items(reconciliation_rows(newcomer_list).filter(pk=row.pk), errors={row.pk: errors})
            context = {
                "item": item,
                "newcomer_list": newcomer_list,
                "offices": list(Office.objects.order_by("name")),
                "summary": list_summary(newcomer_list),
                "summary_id": SUMMARY_ID,
            }
            response = render(request, self.row_template_name, context)
            patch_vary_headers(response, ["HX-Request"])
            return response
        for error in errors:
            messages.error(
                request, _("Ligne %(number)s : %(error)s") % {"number": row.number, "error": error}
            )
        if not errors:
            messages.success(request, _("Ligne %(number)s traitée.") % {"number": row.number})
        return redirect(reverse("parcours:reconcile_detail", args=[newcomer_list.pk]))


class BulkRefused(Exception):
    def __init__(self, row, error: ValidationError):
        self.row, self.error = row, error


class ReconcileBulkCreateView(ReconcilesListsMixin, View):
    """POST: open a file for every pending row without a candidate, all or none (one service call per
    row in one transaction), then back to the list with a message."""

    def post(self, request, pk):
        user = request.user
        newcomer_list = get_list_for_user(user=user, pk=pk)
        try:
            created = self.create_all(user, newcomer_list)
        except BulkRefused as refused:
            messages.error(
                request,
                _("Ligne %(number)s : %(error)s Aucun dossier n'a été ouvert.")
                % {"number": refused.row.number, "error": " ".join(service_messages(refused.error))},
            )
        else:
            if created:
                messages.success(
                    request,
                    ngettext("%(count)d dossier ouvert.", "%(count)d dossiers ouverts.", created)
                    % {"count": created},
                )
            else:
                messages.info(request, _("Aucune ligne à traiter sans dossier proposé."))
        return redirect(reverse("parcours:reconcile_detail", args=[newcomer_list.pk]))

    @staticmethod
    @transaction.atomic
    def create_all(user, newcomer_list) -> int:
        rows = list(
            NewcomerListRow.objects.select_for_update()
            .filter(newcomer_list=newcomer_list, match=RowMatch.PENDING)
            .order_by("number")
        )
        candidates = candidates_for_rows(rows)
        alone = [row for row in rows if not candidates.get(row.pk)]
        for row in alone:
            try:
                list_services.row_create_person(actor=user, row=row)
            except ValidationError as error:
                raise BulkRefused(row, error) from None
        return len(alone)


# Figures


def figures_table(*, year: int) -> dict:
    """The figures of the year per office, each with its communes and subtotal, and the total. The
    rows come aggregated from the database (``figures_by_commune``): one per commune and office."""
    rows = figures_by_commune(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    offices: dict[str, dict] = {}
    total = dict.fromkeys(FIGURES, 0)
    for row in rows:
        name = row["office__name"] or _("Sans bureau")
        office = offices.setdefault(
            name, {"name": name, "communes": [], "subtotal": dict.fromkeys(FIGURES, 0)}
        )
        office["communes"].append(
            {"name": row["newcomer_list__commune__name"], **{k: row[k] for k in FIGURES}}
        )
        for key in FIGURES:
            office["subtotal"][key] += row[key]
            total[key] += row[key]
    return {"offices": list(offices.values()), "total": total}


CHART_WIDTH, CHART_LABEL, CHART_BAR, CHART_GAP = 640, 150, 14, 12


def bar_chart(table: dict) -> dict:
    """Geometry of the horizontal bar chart, received vs came per office, for the SVG template."""
    largest = max((office["subtotal"]["received"] for office in table["offices"]), default=0) or 1
    span = CHART_WIDTH - CHART_LABEL - 50
    bars, y = [], CHART_GAP
    for office in table["offices"]:
        received, came = office["subtotal"]["received"], office["subtotal"]["came_count"]
        received_width = round(span * received / largest, 1)
        came_width = round(span * came / largest, 1)
        bars.append(
            {
                "name": office["name"],
                "received": received,
                "came": came,
                "y": y,
                "y_came": y + CHART_BAR + 2,
                "label_y": y + CHART_BAR + 1,
                "received_mid": y + CHART_BAR / 2,
                "came_mid": y + CHART_BAR + 2 + CHART_BAR / 2,
                "received_width": received_width,
                "came_width": came_width,
                "received_text_x": CHART_LABEL + received_width + 4,
                "came_text_x": CHART_LABEL + came_width + 4,
            }
        )
        y += 2 * CHART_BAR + 2 + CHART_GAP
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": y + CHART_BAR + 10,
        "label_x": CHART_LABEL - 8,
        "bar_x": CHART_LABEL,
        "bar_height": CHART_BAR,
        "legend_y": y + 4,
        "legend_text_y": y + 4 + CHART_BAR / 2,
        "legend_came_x": CHART_LABEL + 170,
    }


class ReconcileFiguresView(ReconcilesListsMixin, TemplateView):
    """Per office and commune for a year: rows received, linked, new files, came to an office,
    obliged, obliged who came; office subtotals, a total, a bar chart and the CSV export."""

    template_name = "parcours/reconcile_figures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = FiguresYearForm(self.request.GET or None)
        year = form.year()
        table = figures_table(year=year)
        context.update(form=form, year=year, table=table, chart=bar_chart(table))
        return context


class ReconcileFiguresCsvView(ReconcilesListsMixin, View):
    """The figures table as CSV (semicolons, UTF-8 with BOM, as Excel in Belgium expects)."""

    def get(self, request):
        year = FiguresYearForm(request.GET or None).year()
        table = figures_table(year=year)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="listes-communales-chiffres-{year}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [
                _("Bureau"),
                _("Commune"),
                _("Lignes reçues"),
                _("Rattachées"),
                _("Nouveaux dossiers"),
                _("Venues au bureau"),
                _("Obligées"),
                _("Obligées venues"),
            ]
        )
        for office in table["offices"]:
            for commune in office["communes"]:
                writer.writerow(
                    [neutralise(office["name"]), neutralise(commune["name"]), *(commune[k] for k in FIGURES)]
                )
            writer.writerow(
                [neutralise(office["name"]), _("Sous-total"), *(office["subtotal"][k] for k in FIGURES)]
            )
        writer.writerow([_("Total"), "", *(table["total"][k] for k in FIGURES)])
        return response
