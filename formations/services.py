"""Writes of the trainings app: the catalogue, sessions and their trainers, status changes
(held, postponed, cancelled), registrations with the waiting list, and attendance.

Every function takes keyword-only arguments, checks the actor's role (``PermissionDenied``), raises
``ValidationError`` with French messages keyed by field, and calls ``full_clean()`` before saving.
Side effects: audit rows through django-auditlog (``audit.py``); registrations move between the
waiting list and the places as places free up (documented on each function).
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cai.choices import Role
from plateformes.models import Operator

from .choices import RegistrationStatus, SessionStatus
from .models import Registration, Trainer, Training, TrainingSession
from .selectors import manages_trainings, scheduled_start

TRAINING_FIELDS = frozenset(
    {"title", "theme", "objectives", "audience", "modules", "on_request_for", "on_request_for_name", "active"}
)
SESSION_FIELDS = frozenset({"training", "starts_at", "ends_at", "place", "online", "capacity"})
REASON_MAX = TrainingSession._meta.get_field("cancellation_reason").max_length


@dataclass(frozen=True)
class TrainerSpec:
    """Who gives a session: a staff member (``user``) or an external speaker (``name``) with their
    organisation from the directory (``operator``)."""

    user: object | None = None
    name: str = ""
    operator: Operator | None = None


def _require_manager(actor) -> None:
    if not manages_trainings(actor):
        raise PermissionDenied(_("Votre rôle ne permet pas de gérer les formations."))


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _unknown_operator(operator) -> bool:
    """An operator that is not (or no longer) in the directory: an unsaved or deleted one."""
    return operator is not None and (
        operator.pk is None or not Operator.objects.filter(pk=operator.pk).exists()
    )


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


# --- The catalogue -----------------------------------------------------------------------------


def _check_training(training: Training) -> None:
    errors = {}
    training.title = (training.title or "").strip()
    training.on_request_for_name = (training.on_request_for_name or "").strip()
    if not training.title:
        errors["title"] = _("Indiquez le titre de la formation.")
    if _unknown_operator(training.on_request_for):
        errors["on_request_for"] = _("Cet opérateur ne figure pas dans le répertoire.")
    elif training.on_request_for is not None and training.on_request_for_name:
        errors["on_request_for_name"] = _(
            "Choisissez un opérateur du répertoire ou indiquez un demandeur hors répertoire, pas les deux."
        )
    _raise(errors)
    training.full_clean()


@transaction.atomic
def training_create(*, actor, title: str, **fields) -> Training:
    """Add a training to the catalogue (or a training given on request for an organisation: an
    operator of the directory, ``on_request_for``, or a free-text requester, ``on_request_for_name``)."""
    _require_manager(actor)
    unknown = set(fields) - TRAINING_FIELDS
    if unknown:
        raise TypeError(f"Unknown training fields: {sorted(unknown)}")
    training = Training(title=title, **fields)
    _check_training(training)
    training.save()
    return training


@transaction.atomic
def training_update(*, actor, training: Training, **fields) -> Training:
    _require_manager(actor)
    unknown = set(fields) - TRAINING_FIELDS
    if unknown:
        raise TypeError(f"Unknown training fields: {sorted(unknown)}")
    training = Training.objects.select_for_update().get(pk=training.pk)
    for name, value in fields.items():
        setattr(training, name, value)
    _check_training(training)
    training.save()
    return training


# --- Sessions and trainers ---------------------------------------------------------------------


def _check_session(session: TrainingSession) -> None:
    """Dates present and in order, a place unless online, at least one place when limited."""
    errors = {}
    session.place = (session.place or "").strip()
    if session.training_id is None:
        errors["training"] = _("Choisissez la formation.")
    if session.starts_at is None:
        errors["starts_at"] = _("Indiquez la date et l'heure de début de la session.")
    if session.ends_at is None:
        errors["ends_at"] = _("Indiquez la date et l'heure de fin de la session.")
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = _("La fin doit suivre le début.")
    if not session.online and not session.place:
        errors["place"] = _("Indiquez le lieu de la session, ou cochez « En ligne ».")
    if session.capacity is not None and session.capacity < 1:
        errors["capacity"] = _("Indiquez au moins une place, ou laissez vide pour ne pas limiter.")
    _raise(errors)
    session.full_clean()


def _trainer_errors(spec: TrainerSpec) -> dict:
    """What is wrong with one trainer, keyed by field (``user``, ``name``, ``operator``)."""
    errors = {}
    name = (spec.name or "").strip()
    if spec.user is None and not name:
        errors["user"] = _("Choisissez un membre de l'équipe ou indiquez l'intervenant·e externe.")
    elif spec.user is not None and name:
        errors["name"] = _("Choisissez un membre de l'équipe ou un·e intervenant·e externe, pas les deux.")
    elif spec.user is not None and not _is_active_staff(spec.user):
        errors["user"] = _("Ce membre de l'équipe n'existe pas ou n'est plus actif.")
    if _unknown_operator(spec.operator):
        errors["operator"] = _("Cette organisation ne figure pas dans le répertoire des opérateurs.")
    elif spec.user is not None and spec.operator is not None and "name" not in errors:
        errors["operator"] = _(
            "Un membre de l'équipe intervient pour le centre : laissez l'organisation vide."
        )
    return errors


def _is_active_staff(user) -> bool:
    return (
        user.pk is not None
        and get_user_model()
        .objects.filter(pk=user.pk, is_active=True)
        .exclude(role=Role.COMMUNE_AGENT)
        .exists()
    )


def _check_trainers(specs) -> None:
    """All the trainers of a session at once; their errors go under ``trainers``, numbered."""
    messages = []
    users = [spec.user.pk for spec in specs if spec.user is not None]
    for position, spec in enumerate(specs, start=1):
        for message in _trainer_errors(spec).values():
            messages.append(_("Formateur·rice %(n)d : %(message)s") % {"n": position, "message": message})
    if len(users) != len(set(users)):
        messages.append(_("Un membre de l'équipe est indiqué deux fois."))
    _raise({"trainers": messages} if messages else {})


def _create_trainers(session: TrainingSession, specs) -> None:
    for spec in specs:
        trainer = Trainer(
            session=session, user=spec.user, name=(spec.name or "").strip(), operator=spec.operator
        )
        trainer.full_clean()
        trainer.save()


@transaction.atomic
def session_create(*, actor, training: Training, trainers=(), **fields) -> TrainingSession:
    """Plan a session of a training (``starts_at``, ``ends_at``, ``place`` or ``online``,
    ``capacity``: None for no limit) with its trainers (``TrainerSpec`` items)."""
    _require_manager(actor)
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise TypeError(f"Unknown session fields: {sorted(unknown)}")
    session = TrainingSession(training=training, status=SessionStatus.PLANNED, **fields)
    specs = list(trainers)
    _check_session(session)
    _check_trainers(specs)
    session.save()
    _create_trainers(session, specs)
    return session


@transaction.atomic
def session_update(*, actor, session: TrainingSession, trainers=None, **fields) -> TrainingSession:
    """Change a session's details; ``trainers`` (a list of ``TrainerSpec``), when given, replaces its
    trainers. The status changes only through ``session_hold``, ``session_postpone`` and
    ``session_cancel``. Capacity cannot go below the places already taken; when it grows, the
    waiting list moves up (side effect: registrations change status)."""
    _require_manager(actor)
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise TypeError(f"Unknown session fields: {sorted(unknown)}")
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    for name, value in fields.items():
        setattr(session, name, value)
    _check_session(session)
    taken = _places_taken(session)
    if session.capacity is not None and session.capacity < taken:
        raise ValidationError(
            {
                "capacity": _("%(n)d personnes occupent déjà une place : indiquez au moins %(n)d places.")
                % {"n": taken}
            }
        )
    if trainers is not None:
        specs = list(trainers)
        _check_trainers(specs)
    session.save()
    if trainers is not None:
        session.trainers.all().delete()
        _create_trainers(session, specs)
    _promote_waiting(session)
    return session


@transaction.atomic
def trainer_add(*, actor, session: TrainingSession, user=None, name: str = "", operator=None) -> Trainer:
    """Add a trainer to a session: a staff member, or an external speaker and their organisation."""
    _require_manager(actor)
    spec = TrainerSpec(user=user, name=name, operator=operator)
    errors = _trainer_errors(spec)
    if not errors and user is not None and session.trainers.filter(user=user).exists():
        errors["user"] = _("Cette personne intervient déjà dans cette session.")
    _raise(errors)
    trainer = Trainer(session=session, user=user, name=(name or "").strip(), operator=operator)
    trainer.full_clean()
    trainer.save()
    return trainer


@transaction.atomic
def trainer_remove(*, actor, trainer: Trainer) -> None:
    _require_manager(actor)
    trainer.delete()


# --- Status changes ----------------------------------------------------------------------------


def _locked(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


@transaction.atomic
def session_hold(*, actor, session: TrainingSession) -> TrainingSession:
    """Record that a session took place (at its planned date, or its new date once postponed)."""
    _require_manager(actor)
    session = _locked(session)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError({"status": _("Une session annulée ne peut pas être notée tenue.")})
    if session.status == SessionStatus.HELD:
        raise ValidationError({"status": _("Cette session est déjà notée tenue.")})
    start = scheduled_start(session)
    if start > timezone.now():
        raise ValidationError(
            {
                "status": _("Une session se note tenue à partir de son début (%(date)s).")
                % {"date": _local(start)}
            }
        )
    session.status = SessionStatus.HELD
    session.full_clean()
    session.save(update_fields=["status", "updated_at"])
    return session


def _as_moment(new_date, session: TrainingSession) -> dt.datetime | None:
    """A datetime as given; a date alone keeps the planned time of day (in Brussels)."""
    if new_date is None or isinstance(new_date, dt.datetime):
        return new_date
    planned = timezone.localtime(session.starts_at)
    return timezone.make_aware(dt.datetime.combine(new_date, planned.time().replace(tzinfo=None)))


@transaction.atomic
def session_postpone(*, actor, session: TrainingSession, new_date) -> TrainingSession:
    """Postpone a session to ``new_date`` (a datetime, or a date keeping the planned time): status
    postponed and ``postponed_to`` set. Nothing else is created: the registrations follow the session."""
    _require_manager(actor)
    session = _locked(session)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError({"status": _("Une session annulée ne peut pas être reportée.")})
    if session.status == SessionStatus.HELD:
        raise ValidationError({"status": _("Une session déjà tenue ne peut pas être reportée.")})
    moment = _as_moment(new_date, session)
    if moment is None:
        raise ValidationError({"new_date": _("Indiquez la nouvelle date de la session.")})
    if moment <= session.starts_at:
        raise ValidationError(
            {
                "new_date": _("La nouvelle date doit suivre la date prévue (%(date)s).")
                % {"date": _local(session.starts_at)}
            }
        )
    session.status = SessionStatus.POSTPONED
    session.postponed_to = moment
    session.full_clean()
    session.save(update_fields=["status", "postponed_to", "updated_at"])
    return session


@transaction.atomic
def session_cancel(*, actor, session: TrainingSession, reason: str) -> TrainingSession:
    """Cancel a session, with its reason (required). Registrations are kept, as a record."""
    _require_manager(actor)
    session = _locked(session)
    reason = (reason or "").strip()
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError({"status": _("Cette session est déjà annulée.")})
    if session.status == SessionStatus.HELD:
        raise ValidationError({"status": _("Une session déjà tenue ne peut pas être annulée.")})
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif de l'annulation.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Le motif ne peut dépasser %(n)d caractères.") % {"n": REASON_MAX}}
        )
    session.status = SessionStatus.CANCELLED
    session.cancellation_reason = reason
    session.full_clean()
    session.save(update_fields=["status", "cancellation_reason", "updated_at"])
    return session


# --- Registrations and attendance --------------------------------------------------------------


def _places_taken(session: TrainingSession) -> int:
    return session.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def _promote_waiting(session: TrainingSession) -> list[Registration]:
    """Move the waiting list up, first come first served, into the places that are free."""
    waiting = session.registrations.filter(status=RegistrationStatus.WAITING).order_by("created_at", "id")
    if session.capacity is not None:
        free = session.capacity - _places_taken(session)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status", "updated_at"])
    return promoted


def normalise_email(email: str) -> str:
    """E-mail addresses compare without case or surrounding spaces."""
    return (email or "").strip().lower()


@transaction.atomic
def registration_add(
    *, actor, session: TrainingSession, name: str, email: str, organisation: str = "", operator=None
) -> Registration:
    """Register a professional to a session. When the session is full, the registration goes to the
    waiting list (status ``attente``): callers tell the user. The same e-mail cannot be registered
    twice to a session; someone who had cancelled is registered again on the same row."""
    _require_manager(actor)
    session = _locked(session)
    name, email, organisation = (name or "").strip(), normalise_email(email), (organisation or "").strip()
    errors = {}
    if session.status == SessionStatus.CANCELLED:
        errors["session"] = _("Cette session est annulée : elle ne prend plus d'inscriptions.")
    if not name:
        errors["name"] = _("Indiquez le nom de la personne.")
    if not email:
        errors["email"] = _("Indiquez l'adresse e-mail de la personne.")
    if _unknown_operator(operator):
        errors["operator"] = _("Cette organisation ne figure pas dans le répertoire des opérateurs.")
    _raise(errors)
    registration = Registration.objects.filter(session=session, email__iexact=email).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        raise ValidationError(
            {
                "email": _("%(email)s est déjà inscrit·e à cette session (%(name)s).")
                % {"email": email, "name": registration.name}
            }
        )
    registration = registration or Registration(session=session)
    registration.name, registration.email = name, email
    registration.organisation, registration.operator = organisation, operator
    registration.attended = False
    full = session.capacity is not None and _places_taken(session) >= session.capacity
    registration.status = RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED
    registration.full_clean()
    registration.save()
    return registration


@transaction.atomic
def registration_cancel(*, actor, registration: Registration) -> list[Registration]:
    """Cancel a registration (status ``annule``, no longer present). Returns the registrations of the
    waiting list that took the freed place (side effect: their status becomes ``inscrit``)."""
    _require_manager(actor)
    session = _locked(registration.session)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError({"status": _("Cette inscription est déjà annulée.")})
    registration.status = RegistrationStatus.CANCELLED
    registration.attended = False
    registration.full_clean()
    registration.save(update_fields=["status", "attended", "updated_at"])
    return _promote_waiting(session)


@transaction.atomic
def registration_set_attendance(*, actor, registration: Registration, attended: bool) -> Registration:
    """Mark a registered (or waiting-list) professional present or absent, once the session started."""
    _require_manager(actor)
    registration = Registration.objects.select_for_update().select_related("session").get(pk=registration.pk)
    session = registration.session
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError({"attended": _("Cette inscription est annulée : la présence ne se note pas.")})
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError({"attended": _("Cette session est annulée : la présence ne se note pas.")})
    if scheduled_start(session) > timezone.now():
        raise ValidationError(
            {
                "attended": _("La présence se note à partir du début de la session (%(date)s).")
                % {"date": _local(scheduled_start(session))}
            }
        )
    registration.attended = bool(attended)
    registration.full_clean()
    registration.save(update_fields=["attended", "updated_at"])
    return registration
