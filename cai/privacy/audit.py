"""The register of access requests is audited like the file it concerns (django-auditlog)."""

from auditlog.registry import auditlog

from .models import BreachRecord, ProcessingActivity, RetentionRule, SubjectAccessRequest

auditlog.register(SubjectAccessRequest, exclude_fields=["updated_at"])


auditlog.register(BreachRecord, exclude_fields=["updated_at"])
auditlog.register(ProcessingActivity, exclude_fields=["updated_at"])
auditlog.register(RetentionRule, exclude_fields=["updated_at"])
