"""The test suite: PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set, else SQLite."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env, tune_database

DEBUG = False
SECRET_KEY = "test-only-key-0123456789abcdefghijklmnopqrstuvwxyz-not-secret"  # noqa: S105
DATABASES = {
    "default": tune_database(env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'test.sqlite3'}"))
}
# Fast hashing in tests; the Argon2 configuration itself is tested against base settings.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A real Celery worker (tests/worker.py) is another process: it writes its mail to files the test reads.
if env("CAI_TEST_EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("CAI_TEST_EMAIL_FILE_PATH")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
MEDIA_ROOT = env.path("CAI_TEST_MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")
# The report's real-worker tests (tests/rapports/test_worker.py) start workers with these: a short job
# lease, a pause between the build's steps (to kill a worker mid-way), and a short broker visibility
# timeout so that the message of a killed worker comes back within seconds (kombu checks every second).
CAI_REPORT_LEASE_SECONDS = env.int("CAI_REPORT_LEASE_SECONDS", default=120)
CAI_REPORT_TEST_DELAY_SECONDS = env.float("CAI_REPORT_TEST_DELAY_SECONDS", default=0)
if env.int("CAI_TEST_VISIBILITY_TIMEOUT", default=0):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CAI_TEST_VISIBILITY_TIMEOUT"),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
# django-axes stays on (tests prove the lockout) with its database handler, rolled back with each test.
# Clients from tests.conftest.signed_in_client use force_login, which never goes through authenticate():
# axes neither counts nor refuses them. django-otp's throttling stays on too (tests move its clock back).
