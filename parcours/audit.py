"""Changes to paths and their records are part of the person's history (django-auditlog)."""

from auditlog.registry import auditlog

from .models import (
    Duo,
    EvaluationInterview,
    HoursRecord,
    LanguageTest,
    Path,
    PathComponent,
    SessionAttendance,
)

auditlog.register(Path, exclude_fields=["updated_at"])
for model in (PathComponent, HoursRecord, LanguageTest, Duo, EvaluationInterview, SessionAttendance):
    auditlog.register(model)
