"""Settings for the benchmarks: production-like (DEBUG off, so no query log is kept), on the
dedicated ``cai_bench`` database only.

The database comes from ``BENCH_DATABASE_URL`` (never ``DATABASE_URL``), so that a benchmark run
cannot fill a development or test database with 100,000 fictitious people.
"""

from cai.settings.base import *  # noqa: F403
from cai.settings.base import env, tune_database

BENCH_DATABASE_URL = env("BENCH_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/cai_bench")

DEBUG = False
SECRET_KEY = "bench-only-key-0123456789abcdefghijklmnopqrstuvwxyz-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {"default": tune_database(env.db_url_config(BENCH_DATABASE_URL))}
# One connection for the whole run, as a gunicorn worker keeps it (CONN_MAX_AGE).
DATABASES["default"]["CONN_MAX_AGE"] = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
