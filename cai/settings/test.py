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
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# django-axes stays on (tests prove the lockout) with its database handler, rolled back with each test.
# Clients from tests.conftest.signed_in_client use force_login, which never goes through authenticate():
# axes neither counts nor refuses them. django-otp's throttling stays on too (tests move its clock back).
