"""Writes of the integration path. Every change ends with ``path_refresh``, which keeps the computed
status, the deadlines and the components that follow from records true.

Side effects: audit rows through django-auditlog (``audit.py``).
"""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accompagnement.models import Person

from . import rules
from .choices import (
    ComponentKind,
    ComponentState,
    PathStatus,
    SessionKind,
    cefr_at_least,
)
from .models import (
    CollectiveSession,
    DispensationReason,
    Duo,
    DuoMeeting,
    EvaluationInterview,
    HoursRecord,
    LanguageTest,
    Path,
    PathComponent,
    Regime,
    SessionAttendance,
)

# Components whose state follows from records; the others are set by the counsellor.
DERIVED_COMPONENTS = {
    ComponentKind.FRENCH_TEST,
    ComponentKind.CONVENTION,
    ComponentKind.FRENCH,
    ComponentKind.CITIZENSHIP,
    ComponentKind.EVALUATIONS,
}
MANUAL_COMPONENTS = set(ComponentKind.values) - DERIVED_COMPONENTS


def _require_editor(actor, person: Person) -> None:
    """Counsellors of the person's offices and administrators write paths; nobody else."""
    if not (actor.is_administrator or actor.is_counsellor):
        raise PermissionDenied(_("Votre rôle ne permet pas de modifier un parcours."))
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person": _("Cette personne n'est pas suivie par vos bureaux.")})


def facts_for(person: Person, path: Path) -> rules.Facts:
    return rules.Facts(
        nationality=person.nationality.code or "",
        birth_date=person.birth_date,
        residence_card=person.residence_card,
        residence_ordered_on=person.residence_ordered_on,
        residence_valid_until=person.residence_valid_until,
        stay_started_on=person.arrival_date,
        registration_date=person.registration_date,
        # Every commune of the centre's territory is in French-speaking Wallonia; no commune: presumed so.
        lives_in_french_speaking_wallonia=True,
        is_eu_family_member=path.is_eu_family_member,
        is_asylum_seeker=path.is_asylum_seeker,
        dispensation=path.dispensation.code if path.dispensation_id else "",
        voluntary=path.voluntary,
    )


def decide_for(person: Person, path: Path, *, on: dt.date | None = None) -> rules.Decision:
    on = on or timezone.localdate()
    regimes = [regime.as_rule() for regime in Regime.objects.all()]
    in_force = set(DispensationReason.objects.in_force(on).values_list("code", flat=True))
    return rules.decide(facts_for(person, path), on=on, regimes=regimes, dispensations_in_force=in_force)


@transaction.atomic
def path_open(*, actor, person: Person, **facts) -> Path:
    """Open the path of a person (one per person), with its components, and compute its status."""
    _require_editor(actor, person)
    if Path.objects.filter(person=person).exists():
        raise ValidationError({"person": _("Cette personne a déjà un parcours.")})
    path = Path(person=person, opened_on=timezone.localdate(), **facts)
    _apply_decision(path, decide_for(person, path))
    path.full_clean()
    path.save()
    PathComponent.objects.bulk_create([PathComponent(path=path, kind=kind) for kind in ComponentKind.values])
    return path_refresh(path=path)


@transaction.atomic
def path_update_facts(*, actor, path: Path, **facts) -> Path:
    """Change what the path knows beyond the file (EU family link, asylum, dispensation, voluntary)."""
    _require_editor(actor, path.person)
    for name, value in facts.items():
        setattr(path, name, value)
    if path.dispensation_id is None:
        path.dispensation_note = path.dispensation_note if "dispensation_note" in facts else ""
    path.full_clean()
    path.save()
    return path_refresh(path=path)


@transaction.atomic
def path_override_status(*, actor, path: Path, status: str, reason: str) -> Path:
    """Set the status by hand. The reason is required and shown on the file."""
    _require_editor(actor, path.person)
    if status not in PathStatus.values:
        raise ValidationError({"status": _("Choisissez un statut de la liste.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Expliquez pourquoi le statut calculé ne convient pas.")})
    path.status_override = status
    path.override_reason = reason.strip()
    path.override_by = actor
    path.override_at = timezone.now()
    path.status = status
    path.full_clean()
    path.save()
    return path


@transaction.atomic
def path_clear_override(*, actor, path: Path) -> Path:
    _require_editor(actor, path.person)
    path.status_override = ""
    path.override_reason = ""
    path.override_by = None
    path.override_at = None
    path.status = path.computed_status
    path.save()
    return path


def _apply_decision(path: Path, decision: rules.Decision) -> None:
    regime = Regime.objects.filter(code=decision.regime.code).first() if decision.regime else None
    path.regime = regime
    path.computed_status = decision.status
    path.computed_reason = decision.reason
    path.presentation_due = decision.presentation_due
    path.attestation_due = decision.attestation_due
    path.status_computed_on = timezone.localdate()
    path.status = path.status_override or decision.status


def french_hours(path: Path) -> Decimal:
    return path.hours_records.filter(component=ComponentKind.FRENCH).aggregate(total=Sum("hours"))[
        "total"
    ] or Decimal(0)


def citizenship_hours(path: Path) -> Decimal:
    return path.hours_records.filter(component=ComponentKind.CITIZENSHIP).aggregate(total=Sum("hours"))[
        "total"
    ] or Decimal(0)


@transaction.atomic
def path_refresh(*, path: Path, on: dt.date | None = None) -> Path:
    """Recompute the status and deadlines, and the components that follow from the records:
    - rights and duties: done once the person attended a SIDD (else as the counsellor set it);
    - French test: done once a test is recorded;
    - French training: not required when the last test reaches the regime's level (A2), else done
      at the required hours, in progress with some hours;
    - citizenship: done at the required hours, in progress with some;
    - convention: done once signed; evaluations: in progress after the convention, done with the attestation.
    """
    path = (
        Path.objects.select_related("person", "regime", "dispensation")
        .select_for_update(of=("self",))
        .get(pk=path.pk)
    )
    _apply_decision(path, decide_for(path.person, path, on=on))
    regime = path.regime
    components = {c.kind: c for c in path.components.all()}
    person = path.person

    sidd = SessionAttendance.objects.filter(
        person=person, attended=True, session__kind=SessionKind.SIDD
    ).aggregate(last=Max("session__starts_at"))["last"]
    if sidd:
        _set(
            components,
            ComponentKind.RIGHTS_DUTIES,
            ComponentState.DONE,
            done_on=timezone.localtime(sidd).date(),
        )

    last_test = LanguageTest.objects.filter(person=person).order_by("-taken_on", "-id").first()
    if last_test:
        _set(components, ComponentKind.FRENCH_TEST, ComponentState.DONE, done_on=last_test.taken_on)
    else:
        _set(components, ComponentKind.FRENCH_TEST, ComponentState.TODO)

    exempt_level = regime.french_exempt_level if regime else "A2"
    french_required = regime.french_hours_required if regime else 400
    hours = french_hours(path)
    if last_test and cefr_at_least(last_test.overall, exempt_level):
        _set(
            components,
            ComponentKind.FRENCH,
            ComponentState.NOT_REQUIRED,
            reason=_("Test de positionnement du %(date)s : niveau %(level)s (au moins %(required)s).")
            % {
                "date": last_test.taken_on.strftime("%d/%m/%Y"),
                "level": last_test.get_overall_display(),
                "required": exempt_level,
            },
        )
    else:
        _set(components, ComponentKind.FRENCH, _hours_state(hours, french_required))

    citizenship_required = regime.citizenship_hours_required if regime else 60
    _set(components, ComponentKind.CITIZENSHIP, _hours_state(citizenship_hours(path), citizenship_required))

    if path.convention_signed_on:
        _set(components, ComponentKind.CONVENTION, ComponentState.DONE, done_on=path.convention_signed_on)
        evaluations_state = (
            ComponentState.DONE if path.attestation_delivered_on else ComponentState.IN_PROGRESS
        )
        _set(components, ComponentKind.EVALUATIONS, evaluations_state)
        last_held = path.evaluations.aggregate(last=Max("held_on"))["last"]
        interval = regime.evaluation_interval_months if regime else 6
        start = max(filter(None, [last_held, path.convention_signed_on]))
        path.next_evaluation_due = (
            None if path.attestation_delivered_on else start + relativedelta(months=interval)
        )
    else:
        _set(components, ComponentKind.CONVENTION, ComponentState.TODO)
        _set(components, ComponentKind.EVALUATIONS, ComponentState.TODO)
        path.next_evaluation_due = None

    path.save()
    PathComponent.objects.bulk_update(components.values(), ["state", "not_required_reason", "done_on"])
    return path


def _hours_state(hours: Decimal, required: int) -> str:
    if hours >= required:
        return ComponentState.DONE
    return ComponentState.IN_PROGRESS if hours > 0 else ComponentState.TODO


def _set(components, kind, state, *, done_on=None, reason=""):
    component = components[kind]
    component.state = state
    component.done_on = done_on if state == ComponentState.DONE else None
    component.not_required_reason = reason if state == ComponentState.NOT_REQUIRED else ""


@transaction.atomic
def component_set_state(
    *, actor, path: Path, kind: str, state: str, reason: str = "", done_on=None, notes: str = ""
) -> PathComponent:
    """Set the state of a component the counsellor keeps (bilan social, help with procedures, ISP
    orientation, rights and duties given individually). Derived components are refused."""
    _require_editor(actor, path.person)
    if kind in DERIVED_COMPONENTS:
        raise ValidationError(
            {"kind": _("Cette composante se met à jour à partir des présences, heures, tests et dates.")}
        )
    if state not in ComponentState.values:
        raise ValidationError({"state": _("Choisissez un état de la liste.")})
    if state == ComponentState.NOT_REQUIRED and not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez pourquoi cette composante n'est pas requise.")})
    if done_on and done_on > timezone.localdate():
        raise ValidationError({"done_on": _("La date ne peut pas être dans le futur.")})
    component = path.components.get(kind=kind)
    component.state = state
    component.not_required_reason = reason.strip() if state == ComponentState.NOT_REQUIRED else ""
    component.done_on = (done_on or timezone.localdate()) if state == ComponentState.DONE else None
    component.notes = notes
    component.full_clean()
    component.save()
    return component


@transaction.atomic
def hours_record_add(*, actor, path: Path, **fields) -> HoursRecord:
    """Record hours attested by an operator (or from a session) for French or citizenship."""
    _require_editor(actor, path.person)
    record = HoursRecord(path=path, recorded_by=actor, **fields)
    if record.period_end and record.period_end > timezone.localdate():
        raise ValidationError({"period_end": _("La période ne peut pas se terminer dans le futur.")})
    if record.hours is not None and record.hours <= 0:
        raise ValidationError({"hours": _("Le nombre d'heures doit être positif.")})
    record.full_clean()
    record.save()
    path_refresh(path=path)
    return record


@transaction.atomic
def hours_record_delete(*, actor, record: HoursRecord) -> None:
    _require_editor(actor, record.path.person)
    path = record.path
    record.delete()
    path_refresh(path=path)


@transaction.atomic
def convention_sign(*, actor, path: Path, signed_on: dt.date) -> Path:
    _require_editor(actor, path.person)
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("La date de signature ne peut pas être dans le futur.")})
    path.convention_signed_on = signed_on
    path.save(update_fields=["convention_signed_on", "updated_at"])
    return path_refresh(path=path)


def path_missing_components(path: Path) -> list[str]:
    """Labels of the components still to complete before the attestation (evaluations excepted)."""
    return [
        component.get_kind_display()
        for component in path.components.all()
        if component.kind != ComponentKind.EVALUATIONS
        and component.state not in (ComponentState.DONE, ComponentState.NOT_REQUIRED)
    ]


@transaction.atomic
def attestation_deliver(*, actor, path: Path, delivered_on: dt.date) -> Path:
    """Record the *attestation de fréquentation*. Refused while a component is not done or not required."""
    _require_editor(actor, path.person)
    path = path_refresh(path=path)
    missing = path_missing_components(path)
    if missing:
        raise ValidationError(
            {
                "attestation": _("Le parcours n'est pas complet : %(missing)s.")
                % {"missing": ", ".join(missing)}
            }
        )
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("La date ne peut pas être dans le futur.")})
    path.attestation_delivered_on = delivered_on
    path.save(update_fields=["attestation_delivered_on", "updated_at"])
    return path_refresh(path=path)


@transaction.atomic
def language_test_record(*, actor, person: Person, **fields) -> LanguageTest:
    _require_editor(actor, person)
    test = LanguageTest(person=person, **fields)
    if test.taken_on and test.taken_on > timezone.localdate():
        raise ValidationError({"taken_on": _("La date du test ne peut pas être dans le futur.")})
    test.full_clean()
    test.save()
    if hasattr(person, "path"):
        path_refresh(path=person.path)
    return test


@transaction.atomic
def session_create(*, actor, **fields) -> CollectiveSession:
    if not (actor.is_administrator or actor.is_counsellor):
        raise PermissionDenied(_("Votre rôle ne permet pas d'organiser une séance."))
    session = CollectiveSession(**fields)
    if (
        session.office_id
        and not actor.is_administrator
        and not actor.offices.filter(pk=session.office_id).exists()
    ):
        raise ValidationError({"office": _("Vous ne pouvez pas organiser de séance pour ce bureau.")})
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def attendance_set(*, actor, session: CollectiveSession, person: Person, attended: bool) -> SessionAttendance:
    """Register a person to a session, or mark them present or absent. The session must be one of
    the actor's offices and the person one the actor follows; attending a SIDD completes the rights
    and duties part of the reception module."""
    if not CollectiveSession.objects.visible_to(actor).filter(pk=session.pk).exists():
        raise ValidationError({"session": _("Cette séance n'appartient pas à vos bureaux.")})
    _require_editor(actor, person)
    attendance, _created = SessionAttendance.objects.update_or_create(
        session=session, person=person, defaults={"attended": attended}
    )
    if hasattr(person, "path"):
        path_refresh(path=person.path)
    return attendance


@transaction.atomic
def evaluation_schedule(*, actor, path: Path, **fields) -> EvaluationInterview:
    _require_editor(actor, path.person)
    if not path.convention_signed_on:
        raise ValidationError(
            {"scheduled_at": _("Les entretiens d'évaluation suivent la signature de la convention.")}
        )
    interview = EvaluationInterview(path=path, **fields)
    interview.full_clean()
    interview.save()
    return interview


@transaction.atomic
def evaluation_hold(
    *, actor, interview: EvaluationInterview, held_on: dt.date, notes: str = ""
) -> EvaluationInterview:
    _require_editor(actor, interview.path.person)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("La date ne peut pas être dans le futur.")})
    interview.held_on = held_on
    interview.notes = notes or interview.notes
    interview.full_clean()
    interview.save()
    path_refresh(path=interview.path)
    return interview


@transaction.atomic
def duo_create(*, actor, mentee: Person, **fields) -> Duo:
    _require_editor(actor, mentee)
    duo = Duo(mentee=mentee, **fields)
    duo.full_clean()
    duo.save()
    return duo


@transaction.atomic
def duo_meeting_add(*, actor, duo: Duo, met_on: dt.date, notes: str = "") -> DuoMeeting:
    _require_editor(actor, duo.mentee)
    if met_on < duo.starts_on or (duo.ends_on and met_on > duo.ends_on):
        raise ValidationError({"met_on": _("La rencontre doit avoir lieu pendant le duo.")})
    meeting = DuoMeeting(duo=duo, met_on=met_on, notes=notes)
    meeting.full_clean()
    meeting.save()
    return meeting


# --- Documents (convocation, follow-up sheet, attestation) -------------------------------------


@transaction.atomic
def document_generate(*, actor, person: Person, kind: str, evaluation=None):
    """Render a path document to PDF and store it: the file under MEDIA_ROOT (through the FileField),
    its SHA-256 and its author. Returns the ``PathDocument``.

    Refused (``ValidationError``, nothing stored): an unknown kind; a person without a path; an
    attestation before it is delivered (the message names the components still missing); a
    convocation without an evaluation interview of this path not yet held.
    Side effect: a file written in the default storage (the row is created first, for its id, which the
    reference number shows; the file is written last).
    """
    # Imported here to keep the documents' block self-contained at the end of this module.
    import hashlib

    from django.core.files.base import ContentFile

    from . import documents
    from .choices import DocumentKind
    from .models import PathDocument

    _require_editor(actor, person)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Ce type de document n'existe pas.")})
    path = Path.objects.select_related("regime").filter(person=person).first()
    if path is None:
        raise ValidationError({"person": _("Ouvrez d'abord le parcours de cette personne.")})
    missing = path_missing_components(path)
    if kind == DocumentKind.ATTESTATION and not path.attestation_delivered_on:
        if missing:
            message = _(
                "L'attestation ne peut pas être produite : le parcours n'est pas complet (%(missing)s)."
            ) % {"missing": ", ".join(missing)}
        else:
            message = _(
                "L'attestation ne peut pas être produite : enregistrez d'abord sa date de délivrance."
            )
        raise ValidationError({"attestation": message})
    if kind == DocumentKind.CONVOCATION:
        if evaluation is None:
            raise ValidationError(
                {"evaluation": _("Planifiez d'abord un entretien d'évaluation : la convocation y invite.")}
            )
        if evaluation.path_id != path.pk:
            raise ValidationError({"evaluation": _("Cet entretien ne fait pas partie de ce parcours.")})
        if evaluation.held_on:
            raise ValidationError({"evaluation": _("Cet entretien a déjà eu lieu.")})
    else:
        evaluation = None

    document = PathDocument.objects.create(
        person=person, kind=kind, evaluation=evaluation, created_by=actor, sha256=""
    )
    document.person = Person.objects.select_related("office", "commune", "interpreter_language").get(
        pk=person.pk
    )
    content = documents.render_document(
        document=document, path=path, actor=actor, missing=missing, evaluation=evaluation
    )
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.file.save(documents.storage_name(document), ContentFile(content), save=False)
    try:
        document.full_clean()
        document.save(update_fields=["file", "sha256"])
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return document
