from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlateformesConfig(AppConfig):
    name = "plateformes"
    verbose_name = _("Réseau et plateformes")

    def ready(self):
        from . import audit  # noqa: F401  (audit registration)
