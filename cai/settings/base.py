"""Settings shared by every environment. Whatever varies by deployment comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_countries",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "cai",
    "accompagnement",
    "plateformes",
    "formations",
    "parcours",
    "rapports",
    "cai.privacy",  # last: it reads every app (subject access, retention)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cai.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "cai.middleware.SessionLifetimeMiddleware",
    "cai.middleware.TwoFactorMiddleware",
    "cai.middleware.CommuneAgentAllowListMiddleware",
    "cai.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, as django-axes requires: turns a lockout flagged during the request into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cai.urls"
WSGI_APPLICATION = "cai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cai.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}


def tune_database(config: dict) -> dict:
    """PostgreSQL: the name-search threshold of pg_trgm's %> operator, set for every connection."""
    if "postgresql" in config.get("ENGINE", ""):
        options = config.setdefault("OPTIONS", {})
        # JIT compilation costs more than it saves on this application's queries (measured on the
        # report's figures at 100,000 people: 16 s with JIT, 5 s without).
        options["options"] = "-c pg_trgm.word_similarity_threshold=0.45 -c jit=off"
    return config


tune_database(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cai.User"
# django-axes first: it refuses a locked-out username + address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-be"
LANGUAGES = [("fr", _("Français"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("CAI_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"

# Sessions: 30 minutes idle (the expiry slides with each request), 10 hours in all (cai.middleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_MAX_SECONDS = 10 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Second factor (django-otp): every account, enforced by cai.middleware.TwoFactorMiddleware.
CAI_OTP_MAX_FAILURES = 5  # wrong codes in one sign-in before the session is ended

# Lockout (django-axes): 5 failures (passwords and second-factor codes) lock that username from that
# address for 30 minutes; another address is not affected (a shared office address does not lock everyone).
# Failures are forgotten after a complete sign-in (both factors: see cai.auth_views), not after the password
# alone, so that a stolen password cannot be used to reset the count of wrong codes.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "cai.auth_views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cai.auth_views.lockout_client_ip"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code"]
# Reverse proxies in front of the application that append to X-Forwarded-For (0: use REMOTE_ADDR).
CAI_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# Content-Security-Policy (django-csp 4): only our own files; no inline script or style anywhere.
# One exception: the Swagger page's inline <style> block, allowed by its hash on that page only
# (cai.middleware.ContentSecurityPolicyMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# The centre using this installation (shown in page headers and PDFs).
CAI_CENTRE_NAME = env("CAI_CENTRE_NAME", default="Centre d'Action Interculturelle de la province de Namur")
CAI_CENTRE_SHORT_NAME = env("CAI_CENTRE_SHORT_NAME", default="CAI")
OTP_TOTP_ISSUER = CAI_CENTRE_SHORT_NAME  # the name authenticator apps show beside the code
# The register of processing activities (GDPR art. 30.1.a): the controller and its data protection officer.
CAI_PRIVACY_CONTROLLER = env(
    "CAI_PRIVACY_CONTROLLER",
    default="Centre d'Action Interculturelle de la province de Namur ASBL, rue Docteur Haibe 2, 5002 Namur",
)
CAI_PRIVACY_DPO = env("CAI_PRIVACY_DPO", default="Délégué·e à la protection des données : dpo@cainamur.be")

# django-countries: French names come from the active language; "stateless" is a pseudo-country.
COUNTRIES_OVERRIDE = {"XX": _("Apatride")}
COUNTRIES_FIRST = ["BE"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "cai.api_pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "cai.api_schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API cai",
    "DESCRIPTION": "API du logiciel de gestion du centre régional d'intégration.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "cai.api_schema.postprocess"],
    # Several models have a ``status`` field: name their enums so that the names stay stable.
    "ENUM_NAME_OVERRIDES": {
        "TrainingSessionStatusEnum": "formations.choices.SessionStatus",
        "RegistrationStatusEnum": "formations.choices.RegistrationStatus",
        "NewcomerListStatusEnum": "parcours.models.ListStatus",
    },
}

# Audit (django-auditlog): who, when, from where; JSON diffs.
AUDITLOG_STORE_JSON_CHANGES = True

# Celery: Redis when REDIS_URL is set, else the filesystem transport (demo without Redis).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = None
else:
    _celery_dir = BASE_DIR / "var" / "celery"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True

# Periodic jobs (celery beat; `make demo` embeds it in its worker with -B). Times are Europe/Brussels
# (CELERY_TIMEZONE). The site's address goes into the links of e-mails sent by these jobs.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "parcours-missing-list-reminders": {
        "task": "parcours.tasks.send_missing_list_reminders_task",
        "schedule": crontab(minute=0, hour=8, day_of_month=5),
    },
    # The unusual-access review of the week that ended (Monday to Sunday), mailed to the director.
    "privacy-weekly-access-review": {
        "task": "cai.privacy.tasks.weekly_access_review_task",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    # The retention policy (cai.privacy): every Sunday at 03:00, when nobody works in the files.
    "privacy-retention-apply": {
        "task": "cai.privacy.tasks.retention_apply_task",
        "schedule": crontab(minute=0, hour=3, day_of_week=0),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")
CAI_SITE_URL = env("CAI_SITE_URL", default="http://127.0.0.1:8000")

# An out-of-office access ("accès exceptionnel") opens another office's file to a counsellor for this
# many hours (accompagnement.services.access_override_grant).
ACCESS_OVERRIDE_HOURS = env.int("CAI_ACCESS_OVERRIDE_HOURS", default=8)

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="cai@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"cai.security": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
