from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "cai.privacy"
    label = "privacy"
    verbose_name = _("Protection des données")

    def ready(self):
        from . import audit  # noqa: F401  (audit registration)
