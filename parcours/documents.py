"""The documents of the integration path (convocation, follow-up sheet, attestation): what each says,
built from the person file and the path, and the reads of the stored documents.

A context holds plain text only (names, dates written out in French, hours): the templates lay it
out and decide nothing. No document shows a national register number. The write that renders and
stores a document is ``services.document_generate``.
"""

from decimal import Decimal

from django.conf import settings
from django.db.models import Max, Min, QuerySet, Sum
from django.http import Http404
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accompagnement.models import Person
from cai.pdf import long_date, render_pdf

from .choices import ComponentKind, ComponentState, ConvocationChannel, DocumentKind
from .models import EvaluationInterview, HoursRecord, Path, PathDocument

TEMPLATES = {
    DocumentKind.CONVOCATION: "parcours/pdf/convocation.html",
    DocumentKind.FOLLOW_UP: "parcours/pdf/follow_up.html",
    DocumentKind.ATTESTATION: "parcours/pdf/attestation.html",
}
HOURS_COMPONENTS = (ComponentKind.FRENCH, ComponentKind.CITIZENSHIP)


# --- Reads of stored documents -----------------------------------------------------------------


def document_queryset(*, user) -> QuerySet:
    """Documents of the people the user may see (the person gate decides)."""
    return PathDocument.objects.filter(person__in=Person.objects.visible_to(user)).select_related(
        "person", "created_by", "evaluation"
    )


def get_document_for_user(*, user, pk) -> PathDocument:
    """A stored document of a person the user may see; 404 when out of scope or missing."""
    try:
        return document_queryset(user=user).get(pk=pk)
    except (PathDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def person_documents(*, person: Person) -> QuerySet:
    """The documents of one person (already checked visible by the caller), newest first."""
    return PathDocument.objects.filter(person=person).select_related("created_by", "evaluation")


def open_evaluations(*, path: Path | None) -> QuerySet:
    """The interviews of a path not held yet, soonest first: what a convocation can be for."""
    if path is None:
        return EvaluationInterview.objects.none()
    return path.evaluations.filter(held_on__isnull=True).select_related("office").order_by("scheduled_at")


# --- Naming ------------------------------------------------------------------------------------


def reference_number(document: PathDocument) -> str:
    """``CAI-2026-000123``: the centre, the year of issue, the document's id."""
    prefix = slugify(settings.CAI_CENTRE_SHORT_NAME).upper() or "CRI"
    issued = timezone.localtime(document.created_at) if document.created_at else timezone.now()
    return f"{prefix}-{issued.year}-{document.pk:06d}"


def storage_name(document: PathDocument) -> str:
    """The stored file's name (the folder comes from ``upload_to``): no name, no number in it."""
    return f"{document.pk}.pdf"


def download_name(document: PathDocument) -> str:
    """The name the browser saves the file under: ``attestation-dupont-jean-123.pdf``."""
    person = document.person
    return f"{document.kind}-{slugify(person.last_name)}-{slugify(person.first_name)}-{document.pk}.pdf"


# --- Rendering ---------------------------------------------------------------------------------


def render_document(
    *, document: PathDocument, path: Path, actor, missing: list[str], evaluation=None
) -> bytes:
    """The PDF of ``document`` (its kind, person and id are set) as it reads today, in French
    whatever the language of the request."""
    with translation.override(settings.LANGUAGE_CODE):
        context = common_context(document=document, path=path, actor=actor)
        if document.kind == DocumentKind.CONVOCATION:
            context.update(convocation_context(evaluation=evaluation, person=document.person))
        elif document.kind == DocumentKind.FOLLOW_UP:
            context.update(follow_up_context(path=path, missing=missing))
        else:
            context.update(attestation_context(path=path))
    return render_pdf(TEMPLATES[document.kind], context)


def common_context(*, document: PathDocument, path: Path, actor) -> dict:
    person = document.person
    office = person.office
    return {
        "title": str(DocumentKind(document.kind).label),
        "centre_name": settings.CAI_CENTRE_NAME,
        "centre_short_name": settings.CAI_CENTRE_SHORT_NAME,
        "reference": reference_number(document),
        "issued_on": long_date(timezone.localdate()),
        "person": {
            "name": f"{person.first_name} {person.last_name.upper()}",
            "salutation": salutation(person.sex),
            "birth_date": long_date(person.birth_date),
            "nationality": str(person.nationality.name) if person.nationality else "",
            "address_lines": address_lines(person),
        },
        "office": office_context(office),
        "signer": {
            "name": actor.get_full_name() or actor.get_username(),
            "title": _("Accompagnateur·rice interculturel·le")
            if actor.is_counsellor
            else actor.get_role_display(),
            "email": actor.email,
        },
        "regime": path.regime.label if path.regime_id else "",
    }


def office_context(office) -> dict:
    return {"name": office.name, "address": office.address, "phone": office.phone}


def salutation(sex: str) -> str:
    return {"F": _("Madame,"), "M": _("Monsieur,")}.get(sex, _("Madame, Monsieur,"))


def address_lines(person: Person) -> list[str]:
    street = " ".join(part for part in (person.street, person.house_number) if part)
    town = " ".join(part for part in (person.postal_code, person.locality) if part)
    if not town and person.commune_id:
        town = person.commune.name
    return [line for line in (street, town) if line]


def convocation_context(*, evaluation: EvaluationInterview, person: Person) -> dict:
    starts = timezone.localtime(evaluation.scheduled_at)
    return {
        "interview": {
            "date": long_date(starts.date()),
            "time": f"{starts.hour} h {starts.minute:02d}",
            "office": office_context(evaluation.office),
        },
        "channel": (
            _("Convocation envoyée par courrier recommandé.")
            if evaluation.convocation_channel == ConvocationChannel.REGISTERED
            else _("Convocation envoyée par voie électronique.")
        ),
        "interpreter": (
            str(person.interpreter_language)
            if person.interpreter_needed and person.interpreter_language
            else ""
        ),
        "to_bring": [
            _("votre titre de séjour ou votre carte d'identité ;"),
            _("votre convention de parcours d'intégration ;"),
            _("les attestations de présence de vos formations (français, citoyenneté) ;"),
            _("cette convocation."),
        ],
        "legal_basis": _(
            "Cet entretien fait partie du parcours d'intégration obligatoire organisé par le Code wallon "
            "de l'action sociale et de la santé (CWASS), articles 152 et suivants."
        ),
    }


def hours_by_component(path: Path) -> dict:
    """{component: {"total", "start", "end", "operators"}} for French and citizenship, in two queries."""
    rows = (
        HoursRecord.objects.filter(path=path)
        .values("component")
        .annotate(total=Sum("hours"), start=Min("period_start"), end=Max("period_end"))
        .order_by()
    )
    result = {
        kind: {"total": Decimal(0), "start": None, "end": None, "operators": []} for kind in HOURS_COMPONENTS
    }
    for row in rows:
        result[row["component"]].update(total=row["total"], start=row["start"], end=row["end"])
    operators = (
        HoursRecord.objects.filter(path=path)
        .values_list("component", "operator_name")
        .distinct()
        .order_by("component", "operator_name")
    )
    for component, operator in operators:
        result[component]["operators"].append(operator)
    return result


def format_hours(value) -> str:
    """``60 h``, ``12,5 h``."""
    value = Decimal(value or 0).normalize()
    text = f"{value:f}".replace(".", ",")
    return f"{text} h"


def required_hours(path: Path) -> dict:
    regime = path.regime
    return {
        ComponentKind.FRENCH: regime.french_hours_required if regime else 400,
        ComponentKind.CITIZENSHIP: regime.citizenship_hours_required if regime else 60,
    }


def component_rows(path: Path, hours: dict) -> list[dict]:
    """One row a component: label, state, and what to say of it (date, hours, reason)."""
    required = required_hours(path)
    rows = []
    for component in path.components.order_by("id"):
        detail = ""
        if component.state == ComponentState.NOT_REQUIRED:
            detail = component.not_required_reason
        elif component.kind in HOURS_COMPONENTS:
            detail = _("%(done)s sur %(required)s") % {
                "done": format_hours(hours[component.kind]["total"]),
                "required": format_hours(required[component.kind]),
            }
        if component.state == ComponentState.DONE and component.done_on:
            detail = " · ".join(
                filter(None, [_("le %(date)s") % {"date": long_date(component.done_on)}, detail])
            )
        rows.append(
            {
                "kind": component.kind,
                "label": component.get_kind_display(),
                "state": component.get_state_display(),
                "done": component.state in (ComponentState.DONE, ComponentState.NOT_REQUIRED),
                "detail": detail,
            }
        )
    return rows


def follow_up_context(*, path: Path, missing: list[str]) -> dict:
    hours = hours_by_component(path)
    return {
        "status": path.get_status_display(),
        "components": component_rows(path, hours),
        "missing": missing,
        "attestation_due": long_date(path.attestation_due),
        "next_evaluation_due": long_date(path.next_evaluation_due),
        "convention_signed_on": long_date(path.convention_signed_on),
    }


def attestation_context(*, path: Path) -> dict:
    """The components followed (with their dates, and hours for the trainings) and those not required."""
    hours = hours_by_component(path)
    followed, not_required = [], []
    for component in path.components.order_by("id"):
        if component.state == ComponentState.NOT_REQUIRED:
            not_required.append(
                {"label": component.get_kind_display(), "reason": component.not_required_reason}
            )
            continue
        row = {"label": component.get_kind_display(), "date": long_date(component.done_on), "hours": ""}
        if component.kind in HOURS_COMPONENTS:
            record = hours[component.kind]
            row["hours"] = format_hours(record["total"])
            if record["start"]:
                row["date"] = _("du %(start)s au %(end)s") % {
                    "start": long_date(record["start"]),
                    "end": long_date(record["end"]),
                }
            row["operators"] = ", ".join(record["operators"])
        followed.append(row)
    return {
        "followed": followed,
        "not_required": not_required,
        "delivered_on": long_date(path.attestation_delivered_on),
    }
