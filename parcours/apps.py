from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParcoursConfig(AppConfig):
    name = "parcours"
    verbose_name = _("Parcours d'intégration")

    def ready(self):
        from . import audit  # noqa: F401
