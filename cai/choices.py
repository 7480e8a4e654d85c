from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("Accompagnateur·rice (première ligne)")
    COORDINATOR = "coordinator", _("Coordinateur·rice (deuxième ligne)")
    DIRECTOR = "director", _("Direction")
    COMMUNE_AGENT = "commune_agent", _("Agent communal")
    ADMIN = "admin", _("Administrateur·rice")
