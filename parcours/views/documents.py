"""The path documents of a person: their list, their generation, their download.

Readers (counsellors of the person's office, the director, administrators) list and download;
editors (counsellors of the office, administrators) generate. The director gets 403 on a
generation; coordinators and commune agents get 403 everywhere; a person or document out of
scope answers 404, like a missing one. A download is a read of the file: it writes an access row
to the person's audit log.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from accompagnement.selectors import get_person_for_user
from accompagnement.services import person_access_record
from accompagnement.views.people import (
    PeopleEditorMixin,
    PeopleReaderMixin,
    edits_people,
    is_fragment_request,
)
from cai.pagination import NearestPageMixin

from .. import services
from ..choices import DocumentKind
from ..documents import download_name, get_document_for_user, open_evaluations, person_documents
from ..models import Path

PAGE_SIZE = 20
ORDERINGS = {"date": ("created_at", "id"), "-date": ("-created_at", "-id")}


class DocumentListView(NearestPageMixin, PeopleReaderMixin, ListView):
    """The documents of a person, filtered by kind, sorted by date, paginated; with the buttons to
    generate each kind for editors. HTMX requests get the table fragment only."""

    template_name = "parcours/document_list.html"
    fragment_template_name = "parcours/partials/person_documents.html"
    context_object_name = "documents"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.person = get_person_for_user(user=self.request.user, pk=self.kwargs["pk"])
        documents = person_documents(person=self.person)
        self.kind = self.request.GET.get("type", "")
        if self.kind in DocumentKind.values:
            documents = documents.filter(kind=self.kind)
        else:
            self.kind = ""
        self.ordering_key = self.request.GET.get("ordering", "-date")
        if self.ordering_key not in ORDERINGS:
            self.ordering_key = "-date"
        return documents.order_by(*ORDERINGS[self.ordering_key])

    def get_template_names(self):
        if is_fragment_request(self.request):
            return [self.fragment_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        path = Path.objects.filter(person=self.person).first()
        params = self.request.GET.copy()
        params.pop("page", None)
        params["ordering"] = "date" if self.ordering_key == "-date" else "-date"
        context.update(
            person=self.person,
            path=path,
            evaluations=list(open_evaluations(path=path)),
            can_edit=edits_people(self.request.user),
            kinds=DocumentKind.choices,
            kind=self.kind,
            date_sort_query=params.urlencode(),
            date_sort_arrow="▼" if self.ordering_key == "-date" else "▲",
            documents_url=reverse("parcours:document_list", args=[self.person.pk]),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


class DocumentCreateView(PeopleEditorMixin, View):
    """POST: generate a document of ``kind`` for the person, then back to the list with a message.
    A convocation is for the interview posted as ``evaluation`` (default: the next one not held)."""

    http_method_names = ["post"]

    def post(self, request, pk, kind):
        person = get_person_for_user(user=request.user, pk=pk)
        if kind not in DocumentKind.values:
            raise Http404
        evaluation = None
        if kind == DocumentKind.CONVOCATION:
            evaluation = self.chosen_evaluation(person, request.POST.get("evaluation", ""))
            if evaluation is False:
                messages.error(request, _("Entretien : choisissez un entretien prévu de la liste."))
                return redirect("parcours:document_list", pk=person.pk)
        try:
            document = services.document_generate(
                actor=request.user, person=person, kind=kind, evaluation=evaluation
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Le document « %(kind)s » a été généré.") % {"kind": document.get_kind_display()},
            )
        return redirect("parcours:document_list", pk=person.pk)

    @staticmethod
    def chosen_evaluation(person, value: str):
        """The interview named in the form, among this person's interviews not held yet (False when it
        is not one of them); without a choice, the next one (None when there is none)."""
        evaluations = open_evaluations(path=Path.objects.filter(person=person).first())
        if not value:
            return evaluations.first()
        found = evaluations.filter(pk=value).first() if value.isdigit() else None
        return found or False


class DocumentDownloadView(PeopleReaderMixin, View):
    """GET: the stored PDF, as an attachment never cached; one access row in the person's audit log."""

    def get(self, request, pk):
        document = get_document_for_user(user=request.user, pk=pk)
        try:
            handle = document.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        person_access_record(actor=request.user, person=document.person, document=document.pk)
        response = FileResponse(
            handle, as_attachment=True, filename=download_name(document), content_type="application/pdf"
        )
        response["Cache-Control"] = "no-store"
        return response
