"""Changes to paths and their records are part of the person's history (django-auditlog)."""

from auditlog.registry import auditlog

from .models import (
    CollectiveSession,
    Duo,
    EvaluationInterview,
    HoursRecord,
    LanguageTest,
    Path,
    PathComponent,
    PathDocument,
    SessionAttendance,
)

auditlog.register(Path, exclude_fields=["updated_at"])
for model in (
    PathComponent,
    HoursRecord,
    LanguageTest,
    Duo,
    EvaluationInterview,
    SessionAttendance,
    CollectiveSession,
    PathDocument,
):
    auditlog.register(model)
