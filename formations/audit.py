"""The trainings' history (django-auditlog): who changed a training, a session, its trainers or a
registration, and when."""

from auditlog.registry import auditlog

from .models import Registration, Trainer, Training, TrainingSession

auditlog.register(Training, exclude_fields=["updated_at"])
auditlog.register(TrainingSession, exclude_fields=["updated_at"])
auditlog.register(Trainer)
auditlog.register(Registration, exclude_fields=["updated_at"])
