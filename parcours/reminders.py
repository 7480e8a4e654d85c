"""The monthly reminder to the communes that sent no newcomer list for the previous month.

Run by the Celery beat schedule (``CELERY_BEAT_SCHEDULE`` in the settings) through
``parcours.tasks.send_missing_list_reminders_task``; callable directly with any date (tests, a manual
catch-up from the shell).
"""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .list_selectors import communes_without_list
from .models import ListReminderRun


def previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the calendar month before ``today``'s."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def _site_url(name: str, fallback: str) -> str:
    try:
        path = reverse(name)
    except NoReverseMatch:  # the page is not installed: point at the site itself
        path = fallback
    return settings.CAI_SITE_URL.rstrip("/") + path


def _recipients(commune) -> list[str]:
    """The commune's active agents with an address (``agents`` is prefetched by the selector)."""
    return sorted(
        {
            agent.email
            for agent in commune.agents.all()
            if agent.is_active and agent.is_commune_agent and agent.email
        }
    )


def reminder_message(*, commune, month: dt.date, recipients: list[str]) -> EmailMessage:
    """The French e-mail for one commune: the legal duty, how to send, who writes."""
    month_name = date_format(month, "F Y")
    body = "\n\n".join(
        [
            _("Bonjour,"),
            _("Le centre n'a pas reçu la liste des primo-arrivants inscrits à %(commune)s en %(month)s.")
            % {"commune": commune.name, "month": month_name},
            _(
                "Le Code wallon de l'action sociale et de la santé (parcours d'intégration) impose à chaque "
                "commune de transmettre au centre régional d'intégration la liste des primo-arrivants établis "
                "sur son territoire."
            ),
            _(
                "Pour la transmettre, connectez-vous au portail des communes : %(portal)s (saisie en ligne ou "
                "envoi d'un fichier CSV ou XLSX selon le modèle proposé). Votre logiciel de population peut "
                "aussi l'envoyer par l'API : %(api)s."
            )
            % {
                "portal": _site_url("parcours:portal_home", "/"),
                "api": _site_url("api-newcomer-list-list", "/api/newcomer-lists/"),
            },
            _("Si aucun primo-arrivant ne s'est inscrit ce mois-là, signalez-le simplement au centre."),
            _("Merci,\n%(centre)s") % {"centre": settings.CAI_CENTRE_NAME},
        ]
    )
    return EmailMessage(
        subject=_("Liste des primo-arrivants de %(month)s") % {"month": month_name},
        body=body,
        to=recipients,
    )


def send_missing_list_reminders(*, today: dt.date) -> dict:
    """Write to the agents of every commune that sent no list covering the month before ``today``.

    Idempotent per month: the run row is inserted first (unique month), in the same transaction as the
    sending, so a second run for the same month (even concurrent) finds it and sends nothing; if
    sending fails, the row is rolled back and the next run tries again. Side effects: one e-mail per
    commune that has agents, one ``ListReminderRun`` row. Returns a summary (JSON-serialisable).
    """
    start, end = previous_month(today)
    summary = {
        "month": start.isoformat(),
        "already_done": False,
        "communes_reminded": 0,
        "communes_without_agent": 0,
    }
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with transaction.atomic():
                run = ListReminderRun.objects.create(month=start, ran_at=timezone.now())
                messages, communes = [], []
                for commune in communes_without_list(start=start, end=end).order_by("name"):
                    recipients = _recipients(commune)
                    communes.append(
                        {
                            "id": commune.pk,
                            "nis_code": commune.nis_code,
                            "name": commune.name,
                            "agents": len(recipients),
                        }
                    )
                    if recipients:
                        messages.append(reminder_message(commune=commune, month=start, recipients=recipients))
                if messages:
                    get_connection(fail_silently=False).send_messages(messages)
                run.communes = communes
                run.communes_reminded = len(messages)
                run.save(update_fields=["communes", "communes_reminded"])
        except IntegrityError:
            summary["already_done"] = True
            return summary
    summary.update(communes_reminded=len(messages), communes_without_agent=len(communes) - len(messages))
    return summary
