"""The Celery application.

Without ``REDIS_URL`` the broker is kombu's filesystem transport under ``var/celery/`` so that
``make demo`` runs real background jobs on a machine with no Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cai.settings.dev")

app = Celery("cai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
