"""Writes of the partner network. Views, the API and the admin call these, never ``save()``.

Every function takes keyword-only arguments, checks the actor's role (``PermissionDenied``), validates
the whole change (``full_clean`` plus the rules below) and saves it in one transaction: an operator with
its contacts, or a meeting with its attendees and follow-up actions, is saved whole or not at all.

Errors are French ``ValidationError``s keyed by field. Errors of a child row (a contact, an attendee, a
follow-up action, a member) are keyed by the list's name (``contacts``, ``attendees``, ``follow_ups``,
``members``) and say which row ("Participant·e n° 2 — organisation : …").

Side effects: audit rows through django-auditlog (``audit.py``), with the actor the request sets.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import works_on_network
from .choices import GroupKind, Level, OfferKind
from .models import (
    Acronym,
    AwarenessAction,
    FollowUpAction,
    GovernanceMeeting,
    Group,
    GroupMember,
    Interpellation,
    Meeting,
    MeetingAttendee,
    Offer,
    Operator,
    OperatorContact,
    StaffMember,
    SupportAction,
)

EARLIEST_YEAR = 2000
YEARS_AHEAD = 5

OPERATOR_FIELDS = (
    "name",
    "kind",
    "recognition",
    "subsidy_status",
    "address",
    "commune",
    "phone",
    "email",
    "website",
)
CONTACT_FIELDS = ("name", "role", "email", "phone")
OFFER_FIELDS = (
    "kind",
    "title",
    "level",
    "citizenship_format",
    "schedule",
    "place",
    "commune",
    "capacity",
    "active",
)
SUPPORT_FIELDS = ("operator", "date", "kind", "topic", "staff", "notes")
GROUP_FIELDS = ("kind", "name", "theme", "office", "pilot", "status", "description")
MEMBER_FIELDS = ("operator", "name", "organisation", "role")
MEETING_FIELDS = ("starts_at", "ends_at", "online", "place", "agenda", "minutes", "decisions")
ATTENDEE_FIELDS = ("member", "name", "operator", "organisation")
FOLLOW_UP_FIELDS = ("description", "owner", "due_on", "done")
AWARENESS_FIELDS = ("kind", "title", "date", "partners", "audience", "description")
INTERPELLATION_FIELDS = ("kind", "date", "level", "title", "co_signatories", "commune", "outcome")
GOVERNANCE_FIELDS = ("kind", "date", "notes")
STAFF_FIELDS = ("user", "name", "team", "function", "since", "until")
ACRONYM_FIELDS = ("acronym", "meaning")

Errors = dict[str, list[str]]


# Shared plumbing


def _require_network_staff(actor) -> None:
    if not works_on_network(actor):
        raise PermissionDenied(_("Votre rôle ne permet pas de modifier le réseau des partenaires."))


def _apply(instance: models.Model, fields: dict, *, allowed: Iterable[str]) -> None:
    """Set the given fields; a name outside ``allowed`` is a programming error, not user input."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unexpected fields for {type(instance).__name__}: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value)


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _model_errors(instance: models.Model, rule_errors: Errors, *, exclude: Iterable[str] = ()) -> Errors:
    """The rule errors found by the caller plus ``full_clean``'s. Fields already in error are left out of
    ``full_clean`` (and so are the constraints on them), so that a field gets one clear message."""
    errors = {field: list(messages) for field, messages in rule_errors.items()}
    try:
        instance.full_clean(exclude=[*exclude, *rule_errors])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    return errors


def _raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _save_record(actor, instance, fields: dict, *, allowed, errors_of):
    """The write shared by the simple records: role, allowed fields, every error at once, save."""
    _require_network_staff(actor)
    _apply(instance, fields, allowed=allowed)
    _raise_if(errors_of(instance))
    instance.save()
    return instance


def _check_date(errors: Errors, field: str, value, *, label: str) -> None:
    """A date (or date-time) between 2000 and five years from now: catches typos such as 0224 or 2204."""
    if value is None or field in errors:
        return
    year = timezone.localtime(value).year if isinstance(value, dt.datetime) else value.year
    latest = timezone.localdate().year + YEARS_AHEAD
    if not EARLIEST_YEAR <= year <= latest:
        _add(
            errors,
            field,
            _("%(label)s doit se situer entre %(first)s et %(last)s.")
            % {"label": label, "first": EARLIEST_YEAR, "last": latest},
        )


def _is_staff_user(user) -> bool:
    return user is not None and user.is_active and not user.is_commune_agent


def _check_staff(errors: Errors, field: str, user) -> None:
    if user is not None and field not in errors and not _is_staff_user(user):
        _add(errors, field, _("Choisissez un membre actif de l'équipe du centre."))


@dataclass(frozen=True)
class _ChildRows:
    """How to validate the child rows of a parent (contacts of an operator, attendees of a meeting…)."""

    model: type[models.Model]
    parent_field: str
    fields: tuple[str, ...]
    key: str
    label: str
    prepare: Callable | None = None  # (child, parent) -> Errors: rules and derived fields of one row


def _child_rows(spec: _ChildRows, parent, items) -> tuple[list, list, Errors]:
    """Validate ``items`` (dicts of fields; with ``id``, an existing row of this parent to update) as the
    complete new list of children. Returns the rows to save, the rows to delete (existing ones not
    listed) and the errors, keyed by ``spec.key``, one message per problem naming the row."""
    existing = {}
    if parent.pk is not None:
        existing = {child.pk: child for child in spec.model.objects.filter(**{spec.parent_field: parent})}
    rows, kept, messages = [], set(), []
    for position, item in enumerate(items, start=1):
        item = dict(item)
        pk = item.pop("id", None)
        if pk is None:
            child = spec.model()
        else:
            child = existing.get(_as_int(pk))
            if child is None or child.pk in kept:
                messages.append(
                    _("%(label)s n° %(n)s : cette ligne n'appartient pas à cet enregistrement.")
                    % {"label": spec.label, "n": position}
                )
                continue
            kept.add(child.pk)
        _apply(child, item, allowed=spec.fields)
        setattr(child, spec.parent_field, parent)
        rule_errors = spec.prepare(child, parent) if spec.prepare else {}
        row_errors = _model_errors(child, rule_errors, exclude=[spec.parent_field])
        for field, field_messages in row_errors.items():
            name = _verbose_name(spec.model, field)
            for message in field_messages:
                if name:
                    text = _("%(label)s n° %(n)s — %(field)s : %(message)s")
                else:
                    text = _("%(label)s n° %(n)s : %(message)s")
                messages.append(
                    text % {"label": spec.label, "n": position, "field": name, "message": message}
                )
        rows.append(child)
    removed = [child for pk, child in existing.items() if pk not in kept]
    return rows, removed, ({spec.key: messages} if messages else {})


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _verbose_name(model, field: str) -> str:
    try:
        return str(model._meta.get_field(field).verbose_name)
    except Exception:  # NON_FIELD_ERRORS and the like
        return ""


def _save_children(rows: list, removed: list) -> None:
    for child in removed:
        child.delete()
    for child in rows:
        child.save()


# Operators and their contacts


CONTACTS = _ChildRows(OperatorContact, "operator", CONTACT_FIELDS, "contacts", _("Contact"))


def _operator_errors(operator: Operator) -> Errors:
    errors: Errors = {}
    name = (operator.name or "").strip()
    if name:
        duplicate = Operator.objects.filter(name__iexact=name).exclude(pk=operator.pk)
        if duplicate.exists():
            _add(errors, "name", _("Un opérateur porte déjà ce nom dans le répertoire."))
    return _model_errors(operator, errors)


@transaction.atomic
def operator_create(
    *, actor, territories: Iterable = (), contacts: Iterable[dict] = (), **fields
) -> Operator:
    """Add an operator to the directory, with the offices whose territory it serves and its contacts.

    Side effects: audit rows (operator, contacts).
    """
    _require_network_staff(actor)
    operator = Operator()
    _apply(operator, fields, allowed=OPERATOR_FIELDS)
    errors = _operator_errors(operator)
    rows, removed, contact_errors = _child_rows(CONTACTS, operator, contacts)
    _raise_if({**errors, **contact_errors})
    operator.save()
    operator.territories.set(territories)
    _save_children(rows, removed)
    return operator


@transaction.atomic
def operator_update(
    *,
    actor,
    operator: Operator,
    territories: Iterable | None = None,
    contacts: Iterable[dict] | None = None,
    **fields,
) -> Operator:
    """Change an operator. ``contacts`` (when given) is the complete new list: rows with an ``id`` are
    updated, rows without are added, and the operator's other contacts are removed.

    Side effects: audit rows.
    """
    _require_network_staff(actor)
    _apply(operator, fields, allowed=OPERATOR_FIELDS)
    errors = _operator_errors(operator)
    rows, removed, contact_errors = [], [], {}
    if contacts is not None:
        rows, removed, contact_errors = _child_rows(CONTACTS, operator, contacts)
    _raise_if({**errors, **contact_errors})
    operator.save()
    if territories is not None:
        operator.territories.set(territories)
    _save_children(rows, removed)
    return operator


@transaction.atomic
def operator_deactivate(*, actor, operator: Operator) -> Operator:
    """Take an operator out of the offer search and of the choices (its history stays).

    Side effects: an audit row.
    """
    _require_network_staff(actor)
    operator.active = False
    operator.save(update_fields=["active", "updated_at"])
    return operator


@transaction.atomic
def operator_reactivate(*, actor, operator: Operator) -> Operator:
    _require_network_staff(actor)
    operator.active = True
    operator.save(update_fields=["active", "updated_at"])
    return operator


# Offer


def _offer_errors(offer: Offer) -> Errors:
    errors: Errors = {}
    if offer.citizenship_format and offer.kind and offer.kind != OfferKind.CITIZENSHIP:
        _add(
            errors,
            "citizenship_format",
            _("Le format FIC ou AOC ne concerne que les formations à la citoyenneté."),
        )
    return _model_errors(offer, errors)


@transaction.atomic
def offer_create(*, actor, operator: Operator, territories: Iterable = (), **fields) -> Offer:
    """Add an item of an operator's offer, with the office territories it serves.

    Side effects: an audit row.
    """
    _require_network_staff(actor)
    offer = Offer(operator=operator)
    _apply(offer, fields, allowed=OFFER_FIELDS)
    _raise_if(_offer_errors(offer))
    offer.save()
    offer.territories.set(territories)
    return offer


@transaction.atomic
def offer_update(*, actor, offer: Offer, territories: Iterable | None = None, **fields) -> Offer:
    """Change an item of the offer (it stays with its operator). Side effects: an audit row."""
    _require_network_staff(actor)
    _apply(offer, fields, allowed=OFFER_FIELDS)
    _raise_if(_offer_errors(offer))
    offer.save()
    if territories is not None:
        offer.territories.set(territories)
    return offer


# Support actions


def _support_errors(action: SupportAction) -> Errors:
    errors: Errors = {}
    _check_date(errors, "date", action.date, label=_("La date"))
    _check_staff(errors, "staff", action.staff if action.staff_id else None)
    return _model_errors(action, errors)


@transaction.atomic
def support_action_create(*, actor, **fields) -> SupportAction:
    """Record support given to an operator; by default by the actor. Side effects: an audit row."""
    _require_network_staff(actor)
    fields.setdefault("staff", actor)
    action = SupportAction()
    _apply(action, fields, allowed=SUPPORT_FIELDS)
    _raise_if(_support_errors(action))
    action.save()
    return action


@transaction.atomic
def support_action_update(*, actor, action: SupportAction, **fields) -> SupportAction:
    return _save_record(actor, action, fields, allowed=SUPPORT_FIELDS, errors_of=_support_errors)


# Groups (platforms, working groups, local coordinations) and their members


def _member_errors(member: GroupMember, group: Group) -> Errors:
    errors: Errors = {}
    if not (member.name or "").strip() and member.operator_id is None:
        _add(errors, "name", _("Indiquez le nom de la personne ou choisissez un opérateur."))
    return errors


MEMBERS = _ChildRows(GroupMember, "group", MEMBER_FIELDS, "members", _("Membre"), _member_errors)


def _group_errors(group: Group) -> Errors:
    errors: Errors = {}
    name = (group.name or "").strip()
    if name and group.kind:
        duplicate = Group.objects.filter(kind=group.kind, name__iexact=name).exclude(pk=group.pk)
        if duplicate.exists():
            _add(
                errors,
                "name",
                _("Un groupe du type « %(kind)s » porte déjà ce nom.") % {"kind": group.get_kind_display()},
            )
    if group.kind == GroupKind.LOCAL_COORDINATION and group.office_id is None:
        _add(errors, "office", _("Une coordination locale couvre le territoire d'un bureau : choisissez-le."))
    _check_staff(errors, "pilot", group.pilot if group.pilot_id else None)
    return _model_errors(group, errors)


@transaction.atomic
def group_create(*, actor, members: Iterable[dict] = (), **fields) -> Group:
    """Create a platform, working group or local coordination (with its members, for API callers).

    Side effects: audit rows.
    """
    _require_network_staff(actor)
    group = Group()
    _apply(group, fields, allowed=GROUP_FIELDS)
    errors = _group_errors(group)
    rows, removed, member_errors = _child_rows(MEMBERS, group, members)
    _raise_if({**errors, **member_errors})
    group.save()
    _save_children(rows, removed)
    return group


@transaction.atomic
def group_update(*, actor, group: Group, members: Iterable[dict] | None = None, **fields) -> Group:
    """Change a group. ``members`` (when given) is the complete new list of members. Side effects: audit rows."""
    _require_network_staff(actor)
    _apply(group, fields, allowed=GROUP_FIELDS)
    errors = _group_errors(group)
    rows, removed, member_errors = [], [], {}
    if members is not None:
        rows, removed, member_errors = _child_rows(MEMBERS, group, members)
    _raise_if({**errors, **member_errors})
    group.save()
    _save_children(rows, removed)
    return group


@transaction.atomic
def group_member_add(*, actor, group: Group, **fields) -> GroupMember:
    """Add a member: an operator of the directory, a person (with their organisation), or both.

    Side effects: an audit row.
    """
    _require_network_staff(actor)
    member = GroupMember(group=group)
    _apply(member, fields, allowed=MEMBER_FIELDS)
    errors = _member_errors(member, group)
    if not errors:
        same = group.members.filter(name__iexact=(member.name or "").strip(), operator=member.operator)
        if same.exists():
            _add(errors, "name", _("Ce membre fait déjà partie du groupe."))
    _raise_if(_model_errors(member, errors, exclude=["group"]))
    member.save()
    return member


@transaction.atomic
def group_member_remove(*, actor, member: GroupMember) -> None:
    """Remove a member; the meetings they attended keep their name. Side effects: an audit row."""
    _require_network_staff(actor)
    member.delete()


# Meetings, attendees and follow-up actions


def _attendee_errors(attendee: MeetingAttendee, meeting: Meeting) -> Errors:
    """A member of the meeting's group (name and organisation taken from the membership when left
    empty) or a guest, who needs a name."""
    errors: Errors = {}
    member = attendee.member if attendee.member_id else None
    if member is not None and member.group_id != meeting.group_id:
        _add(errors, "member", _("Cette personne n'est pas membre du groupe de la réunion."))
        return errors
    if member is not None:
        if not (attendee.name or "").strip():
            attendee.name = member.name or str(member.operator)
        if attendee.operator_id is None and not attendee.organisation:
            attendee.operator = member.operator
            attendee.organisation = member.organisation
    attendee.is_guest = member is None
    if not (attendee.name or "").strip():
        _add(
            errors, "name", _("Indiquez le nom du ou de la participant·e, ou choisissez un membre du groupe.")
        )
    return errors


ATTENDEES = _ChildRows(
    MeetingAttendee, "meeting", ATTENDEE_FIELDS, "attendees", _("Participant·e"), _attendee_errors
)
FOLLOW_UPS = _ChildRows(
    FollowUpAction,
    "meeting",
    FOLLOW_UP_FIELDS,
    "follow_ups",
    _("Action de suivi"),
    lambda action, meeting: _due_errors(action),
)


def _due_errors(action: FollowUpAction) -> Errors:
    errors: Errors = {}
    _check_date(errors, "due_on", action.due_on, label=_("L'échéance"))
    return errors


def _meeting_errors(meeting: Meeting) -> Errors:
    errors: Errors = {}
    if meeting.starts_at is None:
        _add(errors, "starts_at", _("Indiquez la date et l'heure de début de la réunion."))
    else:
        _check_date(errors, "starts_at", meeting.starts_at, label=_("La date de la réunion"))
    if meeting.ends_at is not None and meeting.starts_at is not None and meeting.ends_at <= meeting.starts_at:
        _add(errors, "ends_at", _("La fin de la réunion doit suivre son début."))
    if not meeting.online and not (meeting.place or "").strip():
        _add(errors, "place", _("Indiquez le lieu de la réunion, ou cochez « En ligne »."))
    return _model_errors(meeting, errors)


def _save_meeting(meeting: Meeting, attendees, follow_ups) -> Meeting:
    errors = _meeting_errors(meeting)
    attendee_rows = follow_up_rows = ([], [], {})
    if attendees is not None:
        attendee_rows = _child_rows(ATTENDEES, meeting, attendees)
    if follow_ups is not None:
        follow_up_rows = _child_rows(FOLLOW_UPS, meeting, follow_ups)
    _raise_if({**errors, **attendee_rows[2], **follow_up_rows[2]})
    meeting.save()
    _save_children(*attendee_rows[:2])
    _save_children(*follow_up_rows[:2])
    return meeting


@transaction.atomic
def meeting_create(
    *, actor, group: Group, attendees: Iterable[dict] = (), follow_ups: Iterable[dict] = (), **fields
) -> Meeting:
    """Record a meeting of a group with its attendees and follow-up actions, all or nothing.

    Side effects: audit rows.
    """
    _require_network_staff(actor)
    meeting = Meeting(group=group)
    _apply(meeting, fields, allowed=MEETING_FIELDS)
    return _save_meeting(meeting, attendees, follow_ups)


@transaction.atomic
def meeting_update(
    *,
    actor,
    meeting: Meeting,
    attendees: Iterable[dict] | None = None,
    follow_ups: Iterable[dict] | None = None,
    **fields,
) -> Meeting:
    """Change a meeting. ``attendees`` and ``follow_ups`` (when given) are the complete new lists: rows
    with an ``id`` are updated, rows without are added, the others removed. All or nothing.

    Side effects: audit rows.
    """
    _require_network_staff(actor)
    _apply(meeting, fields, allowed=MEETING_FIELDS)
    return _save_meeting(meeting, attendees, follow_ups)


@transaction.atomic
def follow_up_set_done(*, actor, action: FollowUpAction, done: bool) -> FollowUpAction:
    """Tick a follow-up action off (or back on). Side effects: an audit row."""
    _require_network_staff(actor)
    action.done = done
    action.save(update_fields=["done"])
    return action


# Awareness actions, interpellations, governance


def _awareness_errors(action: AwarenessAction) -> Errors:
    errors: Errors = {}
    _check_date(errors, "date", action.date, label=_("La date"))
    return _model_errors(action, errors)


@transaction.atomic
def awareness_action_create(*, actor, **fields) -> AwarenessAction:
    """Record an awareness action or event. Side effects: an audit row."""
    return _save_record(
        actor, AwarenessAction(), fields, allowed=AWARENESS_FIELDS, errors_of=_awareness_errors
    )


@transaction.atomic
def awareness_action_update(*, actor, action: AwarenessAction, **fields) -> AwarenessAction:
    return _save_record(actor, action, fields, allowed=AWARENESS_FIELDS, errors_of=_awareness_errors)


def _interpellation_errors(interpellation: Interpellation) -> Errors:
    errors: Errors = {}
    _check_date(errors, "date", interpellation.date, label=_("La date"))
    if interpellation.level == Level.COMMUNE and interpellation.commune_id is None:
        _add(errors, "commune", _("Une interpellation communale se rapporte à une commune : choisissez-la."))
    return _model_errors(interpellation, errors)


@transaction.atomic
def interpellation_create(*, actor, **fields) -> Interpellation:
    """Record an interpellation (open letter, motion, meeting with officials, press release).

    Side effects: an audit row.
    """
    return _save_record(
        actor, Interpellation(), fields, allowed=INTERPELLATION_FIELDS, errors_of=_interpellation_errors
    )


@transaction.atomic
def interpellation_update(*, actor, interpellation: Interpellation, **fields) -> Interpellation:
    return _save_record(
        actor, interpellation, fields, allowed=INTERPELLATION_FIELDS, errors_of=_interpellation_errors
    )


def _governance_errors(meeting: GovernanceMeeting) -> Errors:
    errors: Errors = {}
    _check_date(errors, "date", meeting.date, label=_("La date"))
    if meeting.kind and meeting.date and "date" not in errors:
        same = GovernanceMeeting.objects.filter(kind=meeting.kind, date=meeting.date).exclude(pk=meeting.pk)
        if same.exists():
            _add(errors, "date", _("Cette réunion des instances est déjà enregistrée à cette date."))
    return _model_errors(meeting, errors)


@transaction.atomic
def governance_meeting_create(*, actor, **fields) -> GovernanceMeeting:
    """Record a meeting of the board, the bureau or the general assembly. Side effects: an audit row."""
    return _save_record(
        actor, GovernanceMeeting(), fields, allowed=GOVERNANCE_FIELDS, errors_of=_governance_errors
    )


@transaction.atomic
def governance_meeting_update(*, actor, meeting: GovernanceMeeting, **fields) -> GovernanceMeeting:
    return _save_record(actor, meeting, fields, allowed=GOVERNANCE_FIELDS, errors_of=_governance_errors)


# The team and the glossary


def _staff_errors(member: StaffMember) -> Errors:
    errors: Errors = {}
    _check_date(errors, "since", member.since, label=_("La date d'arrivée"))
    _check_date(errors, "until", member.until, label=_("La date de départ"))
    if member.since and member.until and member.until < member.since and "until" not in errors:
        _add(errors, "until", _("La date de départ ne peut précéder la date d'arrivée."))
    user = member.user if member.user_id else None
    if user is not None:
        if user.is_commune_agent:
            _add(errors, "user", _("Un compte d'agent communal ne fait pas partie de l'équipe."))
        elif StaffMember.objects.filter(user=user).exclude(pk=member.pk).exists():
            _add(errors, "user", _("Ce compte est déjà lié à un autre membre de l'équipe."))
    return _model_errors(member, errors)


@transaction.atomic
def staff_member_create(*, actor, **fields) -> StaffMember:
    """Add a member to the team list (the annual report's annex). Side effects: an audit row."""
    return _save_record(actor, StaffMember(), fields, allowed=STAFF_FIELDS, errors_of=_staff_errors)


@transaction.atomic
def staff_member_update(*, actor, member: StaffMember, **fields) -> StaffMember:
    return _save_record(actor, member, fields, allowed=STAFF_FIELDS, errors_of=_staff_errors)


def _acronym_errors(acronym: Acronym) -> Errors:
    errors: Errors = {}
    text = (acronym.acronym or "").strip()
    if text and Acronym.objects.filter(acronym__iexact=text).exclude(pk=acronym.pk).exists():
        _add(errors, "acronym", _("Ce sigle figure déjà dans le glossaire."))
    return _model_errors(acronym, errors)


@transaction.atomic
def acronym_create(*, actor, **fields) -> Acronym:
    """Add an acronym to the glossary. Side effects: an audit row."""
    return _save_record(actor, Acronym(), fields, allowed=ACRONYM_FIELDS, errors_of=_acronym_errors)


@transaction.atomic
def acronym_update(*, actor, entry: Acronym, **fields) -> Acronym:
    """Change an entry of the glossary (``entry``: its field ``acronym`` is one of ``fields``)."""
    return _save_record(actor, entry, fields, allowed=ACRONYM_FIELDS, errors_of=_acronym_errors)
