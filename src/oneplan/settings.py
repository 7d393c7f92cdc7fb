"""Django settings for oneplan; everything environment-specific comes from environment variables."""
import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("ONEPLAN_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _local_keys() -> dict:
    """Development keys, made once per checkout under var/; production sets the env vars."""
    path = VAR_DIR / "keys.json"
    if path.exists():
        return json.loads(path.read_text())
    from cryptography.fernet import Fernet

    keys = {
        "secret_key": secrets.token_urlsafe(50),
        "field_key": Fernet.generate_key().decode(),
        "index_key": secrets.token_urlsafe(32),
    }
    path.write_text(json.dumps(keys))
    path.chmod(0o600)
    return keys


_keys = _local_keys()
SECRET_KEY = os.environ.get("ONEPLAN_SECRET_KEY", _keys["secret_key"])
# Fernet key for identifiers encrypted at rest (national id).
FIELD_ENCRYPTION_KEY = os.environ.get("ONEPLAN_FIELD_KEY", _keys["field_key"])
# HMAC key for identifiers stored only as keyed hashes (matching without the plain value).
INDEX_HASH_KEY = os.environ.get("ONEPLAN_INDEX_KEY", _keys["index_key"])

DEBUG = os.environ.get("ONEPLAN_DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("ONEPLAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the Swagger UI assets locally (no CDN; our CSP allows only self)
    # two-step login: authenticator-app codes (TOTP) and one-time backup codes
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # background work behind the outbox: Django's task framework and its database backend
    "django_tasks",
    "django_tasks_db",
    "oneplan.core",
    "oneplan.accounts",
    "oneplan.audit",
    "oneplan.families",
    "oneplan.access",
    "oneplan.plans",
    "oneplan.assessments",
    "oneplan.portal",
    "oneplan.signals",
    "oneplan.inbox",
    "oneplan.directory",
    "oneplan.referrals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oneplan.core.middleware.SecurityHeadersMiddleware",
    "oneplan.core.web.DomainErrorMiddleware",
    "oneplan.access.emergency.EmergencyReadOnlyMiddleware",
]

# Background work (the outbox's deliveries) through Django's task framework: the database
# backend needs no broker and is run by `oneplan worker`; a Redis- or Celery-backed backend can
# replace it (docs/architecture.md). ONEPLAN_TASKS=immediate runs tasks in the request (tests).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
         if os.environ.get("ONEPLAN_TASKS") == "immediate"
         else {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

ROOT_URLCONF = "oneplan.urls"
WSGI_APPLICATION = "oneplan.wsgi.application"

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
                "django.template.context_processors.i18n",
                "oneplan.core.context_processors.oneplan",
                "oneplan.inbox.context_processors.inbox",
                "oneplan.access.emergency.context",
            ],
        },
    }
]

_db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'oneplan.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
        # the start of a transaction so the audit hash chain is never built on a stale head.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
OTP_TOTP_ISSUER = "oneplan"  # the name authenticator apps show next to the code
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without a request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nl", _("Nederlands"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("ONEPLAN_TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages are served straight from node_modules (installed from package.json).
_NODE = PROJECT_DIR / "node_modules"
STATICFILES_DIRS = [("vendor/htmx", _NODE / "htmx.org" / "dist")] if (_NODE / "htmx.org").exists() else []

EMAIL_BACKEND = os.environ.get("ONEPLAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("ONEPLAN_FROM_EMAIL", "oneplan@localhost")
EMAIL_FILE_PATH = os.environ.get("ONEPLAN_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))  # file backend

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ONEPLAN_LOG_LEVEL", "WARNING")},
}

ONEPLAN = {
    # Break-glass grants never last longer than this.
    "BREAK_GLASS_MAX_HOURS": 24,
    # Country whose national identifier format is checked (NL: BSN with the 11-test).
    "NATIONAL_ID_COUNTRY": os.environ.get("ONEPLAN_NATIONAL_ID_COUNTRY", "NL"),
    "PAGE_SIZE": 25,
    # More active goals than this overburden a family: the plan warns and asks to confirm.
    "GOAL_LIMIT": 3,
    # A family's own score this far from the professional's is marked for the next review.
    "SCORE_GAP": 2,
    # Closed families are kept this many years after closure, then pseudonymised by `tick`.
    "RETENTION_YEARS": int(os.environ.get("ONEPLAN_RETENTION_YEARS", "5")),
    # Password guessing: after SLOW_AFTER failures one try per SLOW_SECONDS, after LOCK_AFTER
    # failures locked for WINDOW_MINUTES (counted per user name since its last success).
    # Per user name and source address together; ADDRESS_* per source address across user
    # names (password spraying). See accounts/throttle.py.
    "LOGIN_LIMITS": {"SLOW_AFTER": 5, "SLOW_SECONDS": 30, "LOCK_AFTER": 10, "WINDOW_MINUTES": 15,
                     "ADDRESS_SLOW_AFTER": 20, "ADDRESS_SLOW_SECONDS": 30, "ADDRESS_LOCK_AFTER": 100},
    # Who consents for a child: below PARENT_ONLY a parent decides, below ALONE the child and a
    # parent together, from ALONE on the young person alone.
    "CONSENT_AGES": {"PARENT_ONLY": 12, "ALONE": 16},
    # Reference index signals expire after this many months unless renewed.
    "SIGNAL_MONTHS": int(os.environ.get("ONEPLAN_SIGNAL_MONTHS", "24")),
    # Where oneplan is reached, for links in e-mails.
    "BASE_URL": os.environ.get("ONEPLAN_BASE_URL", "http://127.0.0.1:8000"),
    # How many reverse proxies (TLS terminators, load balancers) stand in front of oneplan
    # and append to X-Forwarded-For. 0: the client is REMOTE_ADDR. Login limits and the audit
    # log use the client's address; behind a proxy without this, every login would share one.
    "PROXY_HOPS": int(os.environ.get("ONEPLAN_PROXY_HOPS", "0")),
}
