"""Django settings for oneplan; everything environment-specific comes from environment variables."""
import base64
import binascii
import json
import os
import re
import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("ONEPLAN_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def envbool(name: str, default: bool) -> bool:
    """A yes/no setting; anything but the usual spellings is an error, not a silent default."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a yes/no value (use 1 or 0).")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def envsecret(name: str) -> str | None:
    """A secret from NAME, or from the file NAME_FILE points at (systemd credentials, Docker secrets)."""
    path = os.environ.get(f"{name}_FILE", "").strip()
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {exc.strerror}.") from None
    return os.environ.get(name, "").strip() or None


def _development_keys() -> dict:
    """Keys made once per checkout under var/, for development and tests only (debug on).

    Production never generates a key: a lost generated key file would make every encrypted
    national identifier unreadable, so a missing key stops the start instead."""
    path = VAR_DIR / "keys.json"
    keys = json.loads(path.read_text()) if path.exists() else {}
    made = {
        "secret_key": lambda: secrets.token_urlsafe(50),
        "field_key": lambda: Fernet.generate_key().decode(),
        "index_key": lambda: secrets.token_urlsafe(32),
        "audit_keys": lambda: "dev1:" + secrets.token_urlsafe(32),
        "audit_signing_key": lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    missing = {name: make() for name, make in made.items() if name not in keys}
    if missing:  # a checkout from before a key existed gets the new one next to its old ones
        keys.update(missing)
        path.write_text(json.dumps(keys))
        path.chmod(0o600)
    return keys


def _key(name: str, dev_name: str) -> str:
    value = envsecret(name)
    if value:
        return value
    if not DEBUG:
        raise ImproperlyConfigured(
            f"{name} is not set. Production (ONEPLAN_DEBUG off) never generates keys: set {name} "
            f"or {name}_FILE (see README, 'Running it for real'); development sets ONEPLAN_DEBUG=1.")
    return _development_keys()[dev_name]


# Debug (and generated development keys) only when asked for: `make run` and the tests set it.
DEBUG = envbool("ONEPLAN_DEBUG", False)
SECRET_KEY = _key("ONEPLAN_SECRET_KEY", "secret_key")
# Fernet key for identifiers encrypted at rest (national id).
FIELD_ENCRYPTION_KEY = _key("ONEPLAN_FIELD_KEY", "field_key")
try:
    Fernet(FIELD_ENCRYPTION_KEY)
except ValueError:
    raise ImproperlyConfigured("ONEPLAN_FIELD_KEY is not a Fernet key (32 url-safe base64-encoded "
                               "bytes; README shows how to make one).") from None
# HMAC key for identifiers stored only as keyed hashes (matching without the plain value).
INDEX_HASH_KEY = _key("ONEPLAN_INDEX_KEY", "index_key")


def audit_link_keys(text: str) -> dict[str, str]:
    """`id:secret` pairs, separated by commas or new lines: the HMAC keys of the audit chain."""
    keys = {}
    for pair in re.split(r"[,\n]", text):
        key_id, _, secret = pair.strip().partition(":")
        if not pair.strip():
            continue
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,16}", key_id) or len(secret.strip()) < 32:
            raise ImproperlyConfigured(
                "ONEPLAN_AUDIT_KEYS holds id:secret pairs separated by commas (an id of at most 16 "
                "letters, digits, '.', '_' or '-'; a secret of at least 32 characters).")
        if key_id in keys:
            raise ImproperlyConfigured(f"ONEPLAN_AUDIT_KEYS names key id {key_id!r} twice.")
        keys[key_id] = secret.strip()
    if not keys:
        raise ImproperlyConfigured("ONEPLAN_AUDIT_KEYS holds no key.")
    return keys


def audit_signing_key(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key: PEM (`openssl genpkey -algorithm ed25519`) or 32 bytes in base64."""
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError, binascii.Error):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("ONEPLAN_AUDIT_SIGNING_KEY is not an Ed25519 private key (PEM, or "
                                   "32 bytes in base64; README shows how to make one).")
    return key


def audit_public_key(text: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text.strip(), validate=True))
    except (ValueError, binascii.Error):
        raise ImproperlyConfigured(f"ONEPLAN_AUDIT_VERIFY_KEYS: {text.strip()!r} is not an Ed25519 public "
                                   "key in base64 (`oneplan audit public-key` prints one).") from None


# The audit log's keys (docs/audit.md). HMAC keys of the chain links by key id: new events are
# sealed with ONEPLAN_AUDIT_KEY_ID (default: the first listed); older ids stay to verify.
AUDIT_KEYS = _key("ONEPLAN_AUDIT_KEYS", "audit_keys")
AUDIT_LINK_KEYS = audit_link_keys(AUDIT_KEYS)
AUDIT_KEY_ID = os.environ.get("ONEPLAN_AUDIT_KEY_ID", "").strip() or next(iter(AUDIT_LINK_KEYS))
if AUDIT_KEY_ID not in AUDIT_LINK_KEYS:
    raise ImproperlyConfigured(f"ONEPLAN_AUDIT_KEY_ID={AUDIT_KEY_ID!r} is not one of the ids in "
                               "ONEPLAN_AUDIT_KEYS.")
# Ed25519 key signing the checkpoints; the public keys of earlier signing keys still verify.
AUDIT_SIGNING_KEY = _key("ONEPLAN_AUDIT_SIGNING_KEY", "audit_signing_key")
audit_signing_key(AUDIT_SIGNING_KEY)
AUDIT_VERIFY_KEYS = [k.strip() for k in os.environ.get("ONEPLAN_AUDIT_VERIFY_KEYS", "").split(",") if k.strip()]
for _public in AUDIT_VERIFY_KEYS:
    audit_public_key(_public)
# Signed checkpoints are published here, one file each, never overwritten; copy them off the machine.
AUDIT_CHECKPOINT_DIR = Path(os.environ.get("ONEPLAN_AUDIT_CHECKPOINT_DIR", "").strip()
                            or VAR_DIR / "audit-checkpoints")
# A new checkpoint when the log grew, at most this often.
AUDIT_CHECKPOINT_SECONDS = envint("ONEPLAN_AUDIT_CHECKPOINT_SECONDS", 60)
# Optional: every checkpoint is also POSTed (JSON) to this outside witness.
AUDIT_WITNESS_URL = os.environ.get("ONEPLAN_AUDIT_WITNESS_URL", "").strip()
# Optional: a checkpoint is e-mailed to the privacy officers at most every so many hours (0: never).
AUDIT_EMAIL_HOURS = envint("ONEPLAN_AUDIT_EMAIL_HOURS", 0)
# The last checkpoint `oneplan audit verify` checked: the next run starts from there.
AUDIT_VERIFY_STATE = VAR_DIR / "audit-verified.json"

ALLOWED_HOSTS = os.environ.get("ONEPLAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ONEPLAN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# HTTPS. oneplan runs behind a proxy that terminates TLS and SETS (never passes on) the header
# below; production defaults are the safe ones, each can be turned off for a particular setup.
SECURE_SSL_REDIRECT = envbool("ONEPLAN_SSL_REDIRECT", not DEBUG)
# A load balancer's plain-HTTP health check is answered, not redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("ONEPLAN_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("ONEPLAN_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("ONEPLAN_HSTS_PRELOAD", not DEBUG)
_proxy_header = os.environ.get("ONEPLAN_PROXY_SSL_HEADER", "" if DEBUG else "X-Forwarded-Proto").strip()
# Trust the proxy's word that the request came in over HTTPS ("" turns it off).
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https") if _proxy_header else None)

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
    "oneplan.fhir",
    "oneplan.signals",
    "oneplan.inbox",
    "oneplan.directory",
    "oneplan.referrals",
    "oneplan.webhooks",
    "oneplan.frontdoor",
    "oneplan.studies",
    "oneplan.partnership",
    "oneplan.insights",
    # tools above every app: demo and synthetic data, the benchmark
    "oneplan.sampledata",
    "oneplan.bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the production server itself, compressed and cached for ever (hashed names).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "oneplan.core.middleware.SecurityHeadersMiddleware",
    # A flood of requests for help from one address is turned away here, before sessions, CSRF
    # and templates (frontdoor/middleware.py).
    "oneplan.frontdoor.middleware.FloodGate",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "oneplan.core.middleware.SessionTouchMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "oneplan.partnership.context_processors.partnership",
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
# Idle time-out: core.middleware.SessionTouchMiddleware saves a session at most once a minute.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = envbool("ONEPLAN_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nl", _("Nederlands"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("ONEPLAN_TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Production serves what `collectstatic` (run by `oneplan serve`) put in STATIC_ROOT under hashed
# names; development and tests serve straight from the apps.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Front-end packages are served straight from node_modules (installed from package.json).
_NODE = PROJECT_DIR / "node_modules"
STATICFILES_DIRS = [("vendor/htmx", _NODE / "htmx.org" / "dist")] if (_NODE / "htmx.org").exists() else []

EMAIL_BACKEND = os.environ.get("ONEPLAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("ONEPLAN_FROM_EMAIL", "oneplan@localhost")
EMAIL_FILE_PATH = os.environ.get("ONEPLAN_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))  # file backend
# With ONEPLAN_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend:
EMAIL_HOST = os.environ.get("ONEPLAN_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("ONEPLAN_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("ONEPLAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = envsecret("ONEPLAN_EMAIL_PASSWORD") or ""
EMAIL_USE_TLS = envbool("ONEPLAN_EMAIL_STARTTLS", False)

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
    "RETENTION_YEARS": envint("ONEPLAN_RETENTION_YEARS", 5),
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
    "SIGNAL_MONTHS": envint("ONEPLAN_SIGNAL_MONTHS", 24),
    # Where oneplan is reached, for links in e-mails.
    "BASE_URL": os.environ.get("ONEPLAN_BASE_URL", "http://127.0.0.1:8000"),
    # How many reverse proxies (TLS terminators, load balancers) stand in front of oneplan
    # and append to X-Forwarded-For. 0: the client is REMOTE_ADDR. Login limits and the audit
    # log use the client's address; behind a proxy without this, every login would share one.
    "PROXY_HOPS": int(os.environ.get("ONEPLAN_PROXY_HOPS", "0")),
    # Webhooks to private, loopback and link-local addresses (and over plain http): refused
    # unless this is on, for a receiver on the same machine in development and tests.
    "WEBHOOKS_ALLOW_PRIVATE": envbool("ONEPLAN_WEBHOOKS_ALLOW_PRIVATE", False),
    # The front door (/help): the agreed time to first contact per urgency, in hours.
    "FRONT_DOOR_RESPONSE_HOURS": {
        "urgent": envint("ONEPLAN_FRONT_DOOR_HOURS_URGENT", 4),
        "soon": envint("ONEPLAN_FRONT_DOOR_HOURS_SOON", 48),
        "routine": envint("ONEPLAN_FRONT_DOOR_HOURS_ROUTINE", 120)},
    # Requests accepted per source address (per hour and per day): a flood is refused, the
    # person's text stays on their device.
    "FRONT_DOOR_LIMITS": {"PER_HOUR": envint("ONEPLAN_FRONT_DOOR_PER_HOUR", 5),
                          "PER_DAY": envint("ONEPLAN_FRONT_DOOR_PER_DAY", 20),
                          "LOOKUP_FAILURES_PER_HOUR": 10},
    # Shown on the form and the receipt: the front-door team's phone number and the emergency number.
    "FRONT_DOOR_PHONE": os.environ.get("ONEPLAN_FRONT_DOOR_PHONE", "14 020"),
    "EMERGENCY_NUMBER": os.environ.get("ONEPLAN_EMERGENCY_NUMBER", "112"),
    # Requests that led to no family file are pseudonymised this many months after they closed.
    "FRONT_DOOR_RETENTION_MONTHS": envint("ONEPLAN_FRONT_DOOR_RETENTION_MONTHS", 24),
    # Figures that count fewer than this are shown as "<N" (never identify a family).
    "SMALL_NUMBER": envint("ONEPLAN_SMALL_NUMBER", 10),
    # Text messages: a dotted path to a sender class (core/sms.py); the console sender prints.
    "SMS_SENDER": os.environ.get("ONEPLAN_SMS_SENDER", "oneplan.core.sms.ConsoleSender"),
    "SMS_URL": os.environ.get("ONEPLAN_SMS_URL", ""),
    "SMS_TOKEN": envsecret("ONEPLAN_SMS_TOKEN") or "",
}
