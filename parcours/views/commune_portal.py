"""The commune portal: where a commune's population service sends the list of newcomers settled on
its territory (typed in row by row, or as a CSV/XLSX file with a preview to correct), and sees, for
each list sent, which people came to a reception office.

Only commune agents use these pages (403 for every other role; ``cai.middleware.
CommuneAgentAllowListMiddleware`` keeps the agents on them). An agent sees the lists of their
communes only: another commune's list answers 404. Nothing is stored before the agent sends the
list: the preview keeps the rows in the page (the grid, and the rows of a long file not shown in it
in one hidden field); ``list_services.newcomer_list_submit`` then stores it whole, or nothing.
"""

import json

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView
from django_htmx.http import HttpResponseClientRedirect

from cai.pagination import NearestPageMixin

from .. import list_services
from ..forms.commune_lists import GRID_MAX, ROW_KEYS, ListForm, RowFormSet, UploadForm
from ..list_files import COLUMNS, ListFileError, parse_list_file, template_csv, template_xlsx
from ..list_selectors import came_to_office, rows_for_agent
from ..list_services import ListRejected
from ..list_validation import REQUIRED, RowResult, RowValidator
from ..models import ListSource, NewcomerList, NewcomerListRow

LISTS_PER_PAGE = 25
ROWS_PER_PAGE = 100
SAMPLE_ROWS = 5
SORTS = {"period_start", "-period_start", "submitted_at", "-submitted_at", "row_count", "-row_count"}
DEFAULT_SORT = "-period_start"
TEMPLATES = {
    "csv": (template_csv, "text/csv; charset=utf-8"),
    "xlsx": (template_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
TEMPLATE_FILE_NAME = "modele-liste-primo-arrivants"


class CommuneAgentRequiredMixin(UserPassesTestMixin):
    """The portal is the commune agents' only: every other role gets 403."""

    raise_exception = True

    def test_func(self):
        user = self.request.user
        return user.is_active and user.is_commune_agent


def is_fragment_request(request) -> bool:
    """An HTMX request that swaps part of the page (not a history restore, which wants the page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def lists_for_agent(*, user) -> QuerySet:
    """The lists of the agent's communes, each with ``came_count``: its rows whose person came to a
    reception office (one query, whatever the number of lists and rows)."""
    came = (
        NewcomerListRow.objects.filter(newcomer_list=OuterRef("pk"))
        .filter(came_to_office())
        .order_by()
        .values("newcomer_list")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        NewcomerList.objects.visible_to(user)
        .select_related("commune", "submitted_by")
        .annotate(came_count=Coalesce(Subquery(came, output_field=IntegerField()), Value(0)))
    )


def get_list_for_agent(*, user, pk) -> NewcomerList:
    """A list of the agent's communes; 404 for another commune's list or a missing one."""
    try:
        return lists_for_agent(user=user).get(pk=pk)
    except (NewcomerList.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


class PortalHomeView(NearestPageMixin, CommuneAgentRequiredMixin, ListView):
    """The agent's communes and the lists they sent, grouped by commune, newest period first
    (sortable with ``?tri=``, filterable by commune, 25 a page)."""

    template_name = "parcours/portal_home.html"
    context_object_name = "lists"
    paginate_by = LISTS_PER_PAGE

    def get_queryset(self):
        user = self.request.user
        self.communes = list(user.agent_communes.select_related("office").order_by("name"))
        queryset = lists_for_agent(user=user)
        self.selected_commune = next(
            (c for c in self.communes if str(c.pk) == self.request.GET.get("commune", "")), None
        )
        if self.selected_commune is not None:
            queryset = queryset.filter(commune=self.selected_commune)
        sort = self.request.GET.get("tri", "")
        sort = sort if sort in SORTS else DEFAULT_SORT
        return queryset.order_by("commune__name", sort, "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(communes=self.communes, selected_commune=self.selected_commune)
        return context


class PortalTemplateView(CommuneAgentRequiredMixin, View):
    """The empty list template to fill in, as CSV (semicolons, UTF-8 with BOM) or XLSX."""

    def get(self, request, fmt):
        if fmt not in TEMPLATES:
            raise Http404
        build, content_type = TEMPLATES[fmt]
        response = HttpResponse(build(), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILE_NAME}.{fmt}"'
        return response


class Grid:
    """The editable rows of a list and what the page says about them.

    A list of up to ``GRID_MAX`` rows is shown whole. A longer one (a file) shows its faulty rows
    first, then the rows with a warning, up to ``GRID_MAX``; the other rows travel unchanged in the
    hidden ``kept_rows`` field, and a few of them are shown read-only as a sample. The faulty rows
    beyond ``GRID_MAX`` come up after the agent sends the corrected ones.
    """

    def __init__(self, rows: list[dict], results: list[RowResult] | None, *, add_blank: bool = False):
        if results is not None and len(results) != len(rows):
            results = None
        self.total = len(rows)
        self.checked = results is not None
        faulty = [i for i, result in enumerate(results or []) if result.errors]
        warned = [i for i, result in enumerate(results or []) if not result.errors and result.warnings]
        self.faulty_count, self.warned_count = len(faulty), len(warned)
        editable = list(range(self.total)) if self.total <= GRID_MAX else sorted((faulty + warned)[:GRID_MAX])
        shown = set(editable)
        kept = [i for i in range(self.total) if i not in shown]
        self.is_partial = bool(kept)
        self.hidden_faulty_count = len(set(faulty) - shown)
        self.kept_count = len(kept)
        self.kept_json = json.dumps([[i + 1, *row_values(rows[i])] for i in kept]) if kept else ""
        valid_kept = [i for i in kept if results is None or results[i].is_valid]
        self.sample = [{"number": i + 1, **rows[i]} for i in valid_kept[:SAMPLE_ROWS]]
        blank = 1 if add_blank and len(editable) < GRID_MAX else 0
        self.formset = RowFormSet(self._formset_data(rows, editable, blank), prefix="rows")
        for form, i in zip(self.formset.forms, editable, strict=False):
            form.decorate(number=i + 1, result=results[i] if results else None)
        for form in self.formset.forms[len(editable) :]:
            form.decorate()
        self.empty_form = self.formset.empty_form  # a new form at each access: build it once
        self.empty_form.decorate()

    @staticmethod
    def _formset_data(rows, editable, blank) -> dict:
        """The grid as a bound formset: the same path whether the rows come from a file or a post."""
        data = {
            "rows-TOTAL_FORMS": str(len(editable) + blank),
            "rows-INITIAL_FORMS": "0",
            "rows-MIN_NUM_FORMS": "0",
            "rows-MAX_NUM_FORMS": str(GRID_MAX),
        }
        for index, i in enumerate(editable):
            data[f"rows-{index}-position"] = str(i + 1)
            data.update(
                {
                    f"rows-{index}-{key}": value
                    for key, value in zip(ROW_KEYS, row_values(rows[i]), strict=True)
                }
            )
        return data


def row_values(row: dict) -> list[str]:
    return [str(row.get(key) or "") for key in ROW_KEYS]


def merged_rows(form: ListForm, formset) -> list[dict]:
    """The grid's rows and the kept rows of a long file, in list order (rows added in the browser,
    without a position, last). ``form.is_valid()`` must have run."""
    numbered = [(position, 0, row) for position, row in form.cleaned_data.get("kept_rows") or []]
    numbered += [
        (position or float("inf"), order, row)
        for order, (position, row) in enumerate(formset.rows(), start=1)
    ]
    return [row for _position, _order, row in sorted(numbered, key=lambda item: (item[0], item[1]))]


def check_rows(form, rows: list[dict]) -> list[RowResult] | None:
    """The preview: every row validated for the chosen commune (nothing stored), the period's errors
    put on its fields. ``None`` when no commune is chosen (then the rows cannot be checked)."""
    commune = form.cleaned_data.get("commune") if hasattr(form, "cleaned_data") else None
    if commune is None:
        return None
    try:
        return list_services.validate_list(
            commune=commune,
            period_start=form.cleaned_data.get("period_start"),
            period_end=form.cleaned_data.get("period_end"),
            rows=rows,
        )
    except ListRejected as rejection:
        add_list_errors(form, rejection.errors)
        return RowValidator(commune).validate_rows(rows) if rows else []


def add_list_errors(form, errors: dict) -> None:
    """A service's errors on the form's fields, unless the form already flagged that field."""
    fresh = {field: message for field, message in errors.items() if field not in form.errors}
    if fresh:
        form.add_service_errors(ValidationError(fresh))


def grid_context(form, grid: Grid) -> dict:
    faulty = grid.faulty_count
    return {
        "form": form,
        "grid": grid,
        "columns": [(key, label, key in REQUIRED) for key, label, _synonyms in COLUMNS],
        "grid_max": GRID_MAX,
        "is_file": form["source"].value() == ListSource.FILE,
        "file_name": form["file_name"].value() or "",
        "summary": (
            ngettext("%(n)s ligne à corriger", "%(n)s lignes à corriger", faulty) % {"n": faulty}
            if faulty
            else ""
        ),
    }


class PortalFormView(CommuneAgentRequiredMixin, View):
    """Type a list in, row by row (rows are added in the browser by ``static/js/portal.js``, or with
    the "Ajouter une ligne" button without JavaScript), or correct a file's rows after the preview;
    then send it. An HTMX request gets the form back as a fragment (or a redirect once sent)."""

    template_name = "parcours/portal_form.html"
    fragment_template_name = "parcours/partials/portal_list_form.html"

    def get(self, request):
        form = ListForm(user=request.user)
        return self.show(request, form, Grid([], None, add_blank=True))

    def post(self, request):
        user = request.user
        form = ListForm(request.POST, user=user)
        formset = RowFormSet(request.POST, prefix="rows")
        form.is_valid()
        rows = merged_rows(form, formset)
        if request.POST.get("action") == "add":
            return self.show(request, form, Grid(rows, None, add_blank=True))
        for error in formset.non_form_errors():
            form.add_error(None, error)
        if not form.is_valid() or formset.non_form_errors():
            return self.show(request, form, Grid(rows, check_rows(form, rows)))
        data = form.cleaned_data
        try:
            newcomer_list, created = list_services.newcomer_list_submit(
                actor=user,
                commune=data["commune"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                rows=rows,
                source=data["source"],
                file_name=data["file_name"],
            )
        except ListRejected as rejection:
            add_list_errors(form, rejection.errors)
            results = rejection.results or RowValidator(data["commune"]).validate_rows(rows)
            return self.show(request, form, Grid(rows, results))
        except PermissionDenied as denied:
            form.add_error("commune", str(denied))
            return self.show(request, form, Grid(rows, None))
        return self.sent(request, newcomer_list, created)

    def show(self, request, form, grid):
        fragment = is_fragment_request(request)
        template = self.fragment_template_name if fragment else self.template_name
        response = render(request, template, grid_context(form, grid))
        patch_vary_headers(response, ["HX-Request"])
        return response

    @staticmethod
    def sent(request, newcomer_list, created):
        if created:
            messages.success(
                request,
                ngettext(
                    "Liste transmise : %(n)s personne pour %(commune)s. Merci.",
                    "Liste transmise : %(n)s personnes pour %(commune)s. Merci.",
                    newcomer_list.row_count,
                )
                % {"n": newcomer_list.row_count, "commune": newcomer_list.commune.name},
            )
        else:
            sent_on = timezone.localtime(newcomer_list.submitted_at).strftime("%d/%m/%Y")
            messages.info(
                request,
                _("Cette liste avait déjà été transmise le %(date)s : rien n'a été ajouté.")
                % {"date": sent_on},
            )
        url = reverse("parcours:portal_list_detail", args=[newcomer_list.pk])
        if is_fragment_request(request):
            return HttpResponseClientRedirect(url)
        return redirect(url)


class PortalUploadView(CommuneAgentRequiredMixin, View):
    """Send a file: it is read (``parse_list_file``) and every row checked, then shown in the same
    editable grid as the form, faulty cells marked, for the agent to correct and send
    (``PortalFormView`` does the sending, with ``source=file``). Nothing is stored before."""

    template_name = "parcours/portal_upload.html"

    def get(self, request):
        return render(request, self.template_name, {"form": UploadForm(user=request.user)})

    def post(self, request):
        user = request.user
        upload_form = UploadForm(request.POST, request.FILES, user=user)
        upload_form.is_valid()
        upload = upload_form.cleaned_data.get("file")
        parsed = None
        if upload is not None:
            try:
                parsed = parse_list_file(upload.name, upload.read())
            except ListFileError as error:
                upload_form.add_error("file", str(error))
        if parsed is None or "commune" in upload_form.errors:
            return render(request, self.template_name, {"form": upload_form})
        data = {
            "commune": request.POST.get("commune", ""),
            "period_start": request.POST.get("period_start", ""),
            "period_end": request.POST.get("period_end", ""),
            "source": ListSource.FILE,
            "file_name": upload.name[:200],
        }
        form = ListForm(data, user=user)
        form.is_valid()
        grid = Grid(parsed.rows, check_rows(form, parsed.rows))
        context = grid_context(form, grid)
        context["ignored_headers"] = parsed.ignored_headers
        return render(request, PortalFormView.template_name, context)


class PortalListDetailView(CommuneAgentRequiredMixin, View):
    """One list of the agent's communes (404 for another commune's): per row, its number, name and
    birth date and whether the person came to a reception office. Nothing else of the file."""

    template_name = "parcours/portal_list_detail.html"

    def get(self, request, pk):
        newcomer_list = get_list_for_agent(user=request.user, pk=pk)
        rows = rows_for_agent(newcomer_list=newcomer_list)
        page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        context = {"newcomer_list": newcomer_list, "rows": page.object_list, "page_obj": page}
        return render(request, self.template_name, context)
