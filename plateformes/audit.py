"""What django-auditlog records for the partner network: every change, before and after, with its actor."""

from auditlog.registry import auditlog

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

auditlog.register(Operator, exclude_fields=["updated_at"], m2m_fields={"territories"})
auditlog.register(Offer, exclude_fields=["updated_at"], m2m_fields={"territories"})
for model in (SupportAction, Group, Meeting, AwarenessAction, Interpellation, StaffMember):
    auditlog.register(model, exclude_fields=["updated_at"])
for model in (OperatorContact, GroupMember, MeetingAttendee, FollowUpAction, GovernanceMeeting, Acronym):
    auditlog.register(model)
