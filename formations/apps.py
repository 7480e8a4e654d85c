from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormationsConfig(AppConfig):
    name = "formations"
    verbose_name = _("Formations")

    def ready(self):
        from . import audit  # noqa: F401
