"""The people pages: the list, the search, the intake form, the file and its edit form.

Counsellors see and edit the people of their offices; the director reads every file and edits
none; administrators read and edit every file; coordinators and commune agents get 403. Files
out of scope answer 404, like missing ones.
"""

import datetime as dt
from collections import defaultdict

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from django_countries import countries
from django_countries.fields import CountryField
from stdnum.be import nn

from cai.pagination import NearestPageMixin

from .. import services
from ..filters import PersonFilter
from ..forms.people import DATE_PLACEHOLDER, AccessOverrideForm, PersonForm, PersonSearchForm
from ..models import Person
from ..selectors import (
    SEARCH_LIMIT,
    can_read_confidential_notes,
    duplicate_offices,
    file_held_elsewhere,
    get_person_for_user,
    person_list,
    person_search,
    person_timeline,
)

PAGE_SIZE = 25
HISTORY_LIMIT = 20  # the full history is in the audit log, filtered on the file
TIMELINE_LIMIT = 25  # older appointments: the appointment list filtered on the person

# Sortable columns of the list: (label, value of the PersonFilter ``ordering`` parameter).
SORTABLE_COLUMNS = {
    "name": (_("Nom"), "nom"),
    "birth_date": (_("Naissance"), "naissance"),
    "office": (_("Bureau"), "bureau"),
    "opened": (_("Dossier ouvert le"), "ouverture"),
}


def reads_people(user) -> bool:
    return user.is_active and (user.is_counsellor or user.reads_all_people)


def edits_people(user) -> bool:
    """Counsellors (their offices) and administrators; the director reads but does not edit."""
    return user.is_active and (user.is_counsellor or user.is_administrator)


def is_fragment_request(request) -> bool:
    """An HTMX request that swaps a part of the page (not a history restore, which wants the page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


class PeopleReaderMixin(UserPassesTestMixin):
    raise_exception = True

    def test_func(self):
        return reads_people(self.request.user)


class PeopleEditorMixin(UserPassesTestMixin):
    raise_exception = True

    def test_func(self):
        return edits_people(self.request.user)


def sort_headers(request) -> dict:
    """For each sortable column: the link that sorts by it (toggling the direction) and its arrow."""
    current = request.GET.get("ordering", "")
    headers = {}
    for key, (label, value) in SORTABLE_COLUMNS.items():
        params = request.GET.copy()
        params.pop("page", None)
        if current == value:
            params["ordering"], arrow = f"-{value}", "▲"
        elif current == f"-{value}":
            params["ordering"], arrow = value, "▼"
        else:
            params["ordering"], arrow = value, ""
        headers[key] = {"label": label, "query": params.urlencode(), "arrow": arrow}
    return headers


# What the empty choice of each filter means, instead of Django's dashes.
FILTER_EMPTY_LABELS = {
    "office": _("Tous les bureaux"),
    "commune": _("Toutes les communes"),
    "nationality": _("Toutes les nationalités"),
    "origin_group": _("Toutes les origines"),
    "ordering": _("Par nom"),
}


def style_filter_form(form) -> None:
    """Bootstrap classes, French labels for the empty choices, date placeholders."""
    form.fields["is_active"].widget.choices = [
        ("unknown", _("Tous")),
        ("true", _("Oui")),
        ("false", _("Non")),
    ]
    for name, field in form.fields.items():
        widget = field.widget
        if hasattr(widget, "choices"):
            widget.attrs["class"] = "form-select form-select-sm"
            if name not in FILTER_EMPTY_LABELS:
                continue
            if getattr(field, "empty_label", None) is not None:  # model choices
                field.empty_label = FILTER_EMPTY_LABELS[name]
            elif field.choices and field.choices[0][0] == "":
                field.choices = [("", FILTER_EMPTY_LABELS[name]), *list(field.choices)[1:]]
        else:
            widget.attrs.update({"class": "form-control form-control-sm", "placeholder": DATE_PLACEHOLDER})


class PersonListView(NearestPageMixin, PeopleReaderMixin, ListView):
    """The people the user may see, filtered, sorted and paginated."""

    template_name = "accompagnement/person_list.html"
    fragment_template_name = "accompagnement/partials/person_table.html"
    context_object_name = "people"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        user = self.request.user
        self.filterset = PersonFilter(
            self.request.GET or None, queryset=person_list(user=user), request=self.request
        )
        form = self.filterset.form
        if not user.reads_all_people:
            form.fields["office"].queryset = user.offices.order_by("name")
        style_filter_form(form)
        # A stable order for pagination: the chosen column first, then the name and the id.
        queryset = self.filterset.qs
        return queryset.order_by(*queryset.query.order_by, "last_name", "first_name", "pk")

    def get_template_names(self):
        if is_fragment_request(self.request):
            return [self.fragment_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filterset=self.filterset,
            headers=sort_headers(self.request),
            search_form=PersonSearchForm(),
            can_create=edits_people(self.request.user),
            is_filtered=any(v for k, v in self.request.GET.items() if k not in ("page", "ordering")),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


class PersonSearchView(PeopleReaderMixin, View):
    """Search by name, birth date or number. A POST, so that a number never lands in a URL."""

    template_name = "accompagnement/person_search.html"
    fragment_template_name = "accompagnement/partials/person_search_results.html"

    def get(self, request):
        return redirect("accompagnement:person_list")

    def post(self, request):
        form = PersonSearchForm(request.POST)
        query = form.cleaned_data["q"].strip() if form.is_valid() else ""
        results = list(person_search(user=request.user, query=query)[:SEARCH_LIMIT]) if query else []
        context = {
            "search_form": form,
            "query": query,
            "results": results,
            "limit": SEARCH_LIMIT,
            "can_create": edits_people(request.user),
        }
        if query and not results:
            context.update(override_offer(request.user, query))
        template = self.fragment_template_name if is_fragment_request(request) else self.template_name
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request"])
        return response


class PersonFormMixin:
    """What the intake and edit pages share: the form built for the user, service errors on fields."""

    form_class = PersonForm
    person = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.person is not None:
            kwargs["instance"] = self.person
        return kwargs

    def redirect_to_file(self, person):
        """After a write, go to the file if the user still sees it (an edit may move it away)."""
        if Person.objects.visible_to(self.request.user).filter(pk=person.pk).exists():
            return redirect(person.get_absolute_url())
        return redirect("accompagnement:person_list")


class PersonCreateView(PeopleEditorMixin, PersonFormMixin, FormView):
    """Open a file; warns first when another file looks like the same person (see ``duplicate_offices``)."""

    template_name = "accompagnement/person_form.html"

    def form_valid(self, form):
        data = form.cleaned_data
        if not data.get("confirm_duplicate"):
            offices = duplicate_offices(
                national_number=data.get("national_number") or "",
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                birth_date=data.get("birth_date"),
            )
            if offices:
                return self.render_to_response(self.get_context_data(form=form, duplicate_offices=offices))
        try:
            person = services.person_create(actor=self.request.user, **form.person_fields())
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Le dossier de %(name)s a été ouvert.") % {"name": person})
        return self.redirect_to_file(person)

    def form_invalid(self, form):
        """A number already on file cannot be confirmed away: say which office holds it, so that the
        counsellor contacts that office (and nothing else of that file), or opens it through an
        out-of-office access when the person is in front of them."""
        if form.has_error("national_number", code="unique"):
            number = form.data.get("national_number", "")
            offices = duplicate_offices(national_number=number)
            context = self.get_context_data(
                form=form,
                duplicate_offices=offices,
                duplicate_blocking=True,
                **override_offer(self.request.user, number),
            )
            return self.render_to_response(context)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offices = context.get("duplicate_offices")
        if offices:
            context["duplicate_warning"] = ngettext(
                "Un dossier semblable existe déjà au bureau de %(offices)s. "
                "Contactez ce bureau avant d'ouvrir un nouveau dossier.",
                "Un dossier semblable existe déjà aux bureaux de %(offices)s. "
                "Contactez ces bureaux avant d'ouvrir un nouveau dossier.",
                len(offices),
            ) % {"offices": ", ".join(offices)}
        context["cancel_url"] = reverse("accompagnement:person_list")
        return context


class PersonUpdateView(PeopleEditorMixin, PersonFormMixin, FormView):
    """Edit a file of the user's offices (any file for an administrator)."""

    template_name = "accompagnement/person_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and edits_people(request.user):
            self.person = get_person_for_user(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            person = services.person_update(
                actor=self.request.user, person=self.person, **form.person_fields()
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Le dossier a été mis à jour."))
        return self.redirect_to_file(person)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self.person
        context["cancel_url"] = self.person.get_absolute_url()
        return context


class PersonDetailView(PeopleReaderMixin, TemplateView):
    """The file and its timeline. Every view of it is written to the audit log (ACCESS)."""

    template_name = "accompagnement/person_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        person = get_person_for_user(user=user, pk=kwargs["pk"])
        access = services.person_access_record(actor=user, person=person)
        # One row more than shown tells whether older ones exist, without counting them all.
        appointments = list(person_timeline(user=user, person=person)[: TIMELINE_LIMIT + 1])
        context.update(
            person=person,
            formatted_number=format_number(person.national_number),
            appointments=appointments[:TIMELINE_LIMIT],
            more_appointments=len(appointments) > TIMELINE_LIMIT,
            show_confidential=can_read_confidential_notes(user=user, person=person),
            can_edit=edits_people(user),
            via_override=bool((access.additional_data or {}).get("override")),
        )
        if user.reads_all_people:
            context["history"] = person_history(person)
            context["history_limit"] = HISTORY_LIMIT
        return context


def override_offer(user, national_number: str) -> dict:
    """Context for the out-of-office access form, when a counsellor typed the number of a file that
    another office holds (empty otherwise). Only that office is named."""
    person = file_held_elsewhere(user=user, national_number=national_number)
    if person is None:
        return {}
    return {
        "elsewhere_office": person.office.name,
        "override_form": AccessOverrideForm(initial={"national_number": person.national_number}),
        "override_hours": settings.ACCESS_OVERRIDE_HOURS,
    }


class AccessOverrideCreateView(UserPassesTestMixin, View):
    """POST: open a file of another office ("accès exceptionnel"), for a stated reason, for a few
    hours; then go to the file. Counsellors only; the grant and each opening are audited."""

    raise_exception = True
    http_method_names = ["post"]
    template_name = "accompagnement/access_override_form.html"

    def test_func(self):
        user = self.request.user
        return user.is_active and user.is_counsellor

    def post(self, request):
        form = AccessOverrideForm(request.POST)
        person = None
        if form.is_valid():
            person = file_held_elsewhere(
                user=request.user, national_number=form.cleaned_data["national_number"]
            )
            if person is None:
                messages.info(request, _("Ce dossier vous est déjà accessible, ou il n'existe pas."))
                return redirect("accompagnement:person_list")
            try:
                override = services.access_override_grant(
                    user=request.user, person=person, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.warning(
                    request,
                    _("Accès exceptionnel accordé jusqu'à %(time)s. Il est enregistré avec son motif.")
                    % {"time": timezone.localtime(override.expires_at).strftime("%H:%M")},
                )
                return redirect(person.get_absolute_url())
        elsewhere = person or file_held_elsewhere(
            user=request.user, national_number=form.data.get("national_number", "")
        )
        context = {
            "override_form": form,
            "elsewhere_office": elsewhere.office.name if elsewhere else "",
            "override_hours": settings.ACCESS_OVERRIDE_HOURS,
        }
        return render(request, self.template_name, context, status=400)


def format_number(number: str | None) -> str:
    """``YY.MM.DD-SSS.CC`` (the same layout for BIS numbers)."""
    return nn.format(number) if number else ""


def person_history(person: Person) -> list[dict]:
    """The latest audit entries of the file (changes and accesses), readable, in a fixed number of queries."""
    entries = list(
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Person), object_id=person.pk)
        .select_related("actor")
        .order_by("-timestamp", "-id")[:HISTORY_LIMIT]
    )
    return history_rows(entries)


ACTION_LABELS = {
    LogEntry.Action.CREATE: _("Création"),
    LogEntry.Action.UPDATE: _("Modification"),
    LogEntry.Action.DELETE: _("Suppression"),
    LogEntry.Action.ACCESS: _("Consultation"),
}
M2M_OPERATIONS = {"add": _("ajout"), "delete": _("retrait"), "clear": _("tout retiré")}


def history_rows(entries: list) -> list[dict]:
    """Audit entries as rows the page shows: who, when, from where, what, and each change in words.

    Related objects named in the changes (office, commune, language) are looked up once per model
    for all the entries, not once per change.
    """
    related = _related_names(entries)
    rows = []
    for entry in entries:
        changes = []
        for name, change in (entry.changes_dict or {}).items():
            if name in HIDDEN_HISTORY_FIELDS or _person_field(name) is None:
                continue
            described = _describe_change(name, change, related)
            if described.get("summary") or described.get("old") or described.get("new"):
                changes.append(described)
        rows.append(
            {
                "timestamp": entry.timestamp,
                "actor": entry.actor or entry.actor_email or "",
                "remote_addr": entry.remote_addr,
                "action": ACTION_LABELS.get(entry.action, entry.action),
                "changes": changes,
            }
        )
    return rows


# Recorded by auditlog on creation but saying nothing to a reader.
HIDDEN_HISTORY_FIELDS = {"id", "created_at", "updated_at", "search_text"}


def _person_field(name):
    """The Person field an audit change names (None for reverse relations and unknown names)."""
    try:
        field = Person._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.concrete or field.many_to_many else None


def _related_names(entries) -> dict:
    """{field name: {pk as text: label}} for the foreign keys the entries mention."""
    wanted = defaultdict(set)
    for entry in entries:
        for name, change in (entry.changes_dict or {}).items():
            field = _person_field(name)
            if field is not None and field.many_to_one and isinstance(change, list | tuple):
                wanted[name].update(str(v) for v in change if v not in (None, "None", ""))
    names = {}
    for name, pks in wanted.items():
        model = _person_field(name).related_model
        valid = [pk for pk in pks if pk.isdigit()]
        names[name] = {str(obj.pk): str(obj) for obj in model._base_manager.filter(pk__in=valid)}
    return names


def _describe_change(name, change, related) -> dict:
    field = _person_field(name)
    label = field.verbose_name
    if isinstance(change, dict):  # many-to-many: {"type": "m2m", "operation": "add", "objects": [...]}
        operation = M2M_OPERATIONS.get(change.get("operation"), change.get("operation", ""))
        return {"field": label, "summary": f"{operation} : {', '.join(map(str, change.get('objects', [])))}"}
    old, new = (list(change) + [None, None])[:2]
    return {
        "field": label,
        "old": _display_value(field, old, related),
        "new": _display_value(field, new, related),
    }


def _display_value(field, value, related) -> str:
    if value in (None, "None", ""):
        return ""
    value = str(value)
    if field.name == "national_number":
        return format_number(value) if value.isdigit() and len(value) == 11 else value
    if field.many_to_one:
        return related.get(field.name, {}).get(value, value)
    if isinstance(field, CountryField):
        return str(countries.name(value) or value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("Oui") if value in ("True", "true", "1") else _("Non"))
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        try:
            return dt.date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value
