from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaiConfig(AppConfig):
    name = "cai"
    verbose_name = _("Socle")

    def ready(self):
        from . import audit_receivers  # noqa: F401  (sign-in events to the audit log)
