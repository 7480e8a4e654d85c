"""What django-auditlog records: every change to people and appointments, before and after."""

from auditlog.registry import auditlog

from .models import AccessOverride, Appointment, Person

auditlog.register(Person, exclude_fields=["search_text", "updated_at"], m2m_fields={"languages"})
auditlog.register(Appointment, exclude_fields=["updated_at"], m2m_fields={"request_types"})
auditlog.register(AccessOverride)
