from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormationsConfig(AppConfig):
    name = "formations"
    verbose_name = _("Formations")

    def ready(self):
        from plateformes.calendar import register_source

        from . import audit  # noqa: F401
        from .selectors import calendar_sessions

        register_source("formations.sessions", calendar_sessions)  # the network calendar shows them
