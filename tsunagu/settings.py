"""Django settings for Tsunagu.

Everything that differs between machines comes from the environment (django-environ), with
defaults that run on one machine with nothing else installed: SQLite under ``var/``, local
memory cache, e-mail to the console and the database task backend.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("TSUNAGU_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)


def _secret_key() -> str:
    """The key from ``SECRET_KEY``, or one generated once into ``var/secret_key``."""
    from_env = env.str("SECRET_KEY", default="")
    if from_env:
        return from_env
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    # Tsunagu's apps come before allauth so that their templates override allauth's.
    "tsunagu.core",
    "tsunagu.web",
    "tsunagu.audit",
    "tsunagu.accounts",
    "tsunagu.profiles",
    "tsunagu.api",
    "tsunagu.guard",
    "tsunagu.ledger",
    "tsunagu.payments",
    "tsunagu.contracts",
    "tsunagu.notifications",
    "tsunagu.messaging",
    "tsunagu.analytics",
    "tsunagu.jobs",
    "tsunagu.proposals",
    "tsunagu.trust",
    "tsunagu.income",
    "tsunagu.qa",
    "tsunagu.communities",
    "tsunagu.referrals",
    "tsunagu.billing",
    "tsunagu.backups",
    "tsunagu.demo",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tsunagu.core.middleware.UserTimezoneMiddleware",
]

ROOT_URLCONF = "tsunagu.urls"
WSGI_APPLICATION = "tsunagu.wsgi.application"
ASGI_APPLICATION = "tsunagu.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "tsunagu.notifications.context_processors.notifications",
                "tsunagu.core.context_processors.live_updates",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tsunagu.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock at
            # BEGIN so two writers queue instead of failing half-way with "database is locked".
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # Tests use a file too (not shared-cache memory), so concurrent tests see real SQLite locking.
    # One file per test process, so parallel runs never share one.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"tsunagu-test-{os.getpid()}.sqlite3")
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and rate limits ------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tsunagu",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tsunagu",
        }
    }

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
TICK_SECONDS = env.int("TICK_SECONDS", default=60)
# TASKS_BACKEND=rq: tasks go to Redis (TASKS_REDIS_URL, else REDIS_URL) and `tsunagu worker`
# processes, on any machine, run them (django-tasks-rq over django-rq).
if TASKS["default"]["BACKEND"] in ("rq", "django_tasks_rq.RQBackend"):
    TASKS["default"]["BACKEND"] = "django_tasks_rq.RQBackend"
    RQ_QUEUES = {
        "default": {
            "URL": env.str("TASKS_REDIS_URL", default="")
            or REDIS_URL
            or "redis://127.0.0.1:6379/0",
            "DEFAULT_TIMEOUT": env.int("TASKS_TIMEOUT_SECONDS", default=600),
        }
    }
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
# How long stopping `tsunagu run` waits for a running task (and web requests) to finish.
DRAIN_SECONDS = env.int("DRAIN_SECONDS", default=30)
# Web processes `tsunagu run` starts (gunicorn workers when more than one; 1 = waitress).
WEB_WORKERS = env.int("WEB_CONCURRENCY", default=1)
# /bench/ok, the bare view the load test compares pages against; off unless asked for.
BENCH_ENDPOINTS = env.bool("BENCH_ENDPOINTS", default=False)

# --- Live updates ---------------------------------------------------------------------------
# "poll" (the default): pages poll with htmx. "websocket": Django Channels pushes new messages,
# unread counts and notifications over a WebSocket through the Redis channel layer
# (CHANNEL_REDIS_URL, else REDIS_URL), `tsunagu run` serves ASGI (uvicorn), and the pages fall
# back to polling whenever their socket is closed.
LIVE_UPDATES = env.str("LIVE_UPDATES", default="poll")
CHANNEL_REDIS_URL = env.str("CHANNEL_REDIS_URL", default=REDIS_URL)
if LIVE_UPDATES not in ("poll", "websocket"):
    raise ImproperlyConfigured('LIVE_UPDATES must be "poll" or "websocket".')
if LIVE_UPDATES == "websocket" and not CHANNEL_REDIS_URL:
    raise ImproperlyConfigured("LIVE_UPDATES=websocket needs CHANNEL_REDIS_URL or REDIS_URL.")
CHANNEL_LAYERS = (
    {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [CHANNEL_REDIS_URL], "prefix": "tsunagu"},
        }
    }
    if LIVE_UPDATES == "websocket"
    else {}
)

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Tsunagu] "
ACCOUNT_ADAPTER = "tsunagu.accounts.adapter.AccountAdapter"
# Login throttling: allauth counts failures per address and per IP in the cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "confirm_email": "5/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tsunagu"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "tsunagu_language"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Identity documents and face photos never get a public URL: they live in their own storage
# and are streamed only to their owner and to staff.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# S3_BUCKET switches uploaded files to S3-compatible object storage (django-storages): public
# media under media/, private files under private/, handed out only as signed URLs that
# expire after PRIVATE_URL_SECONDS, and only after the view has checked permissions.
S3_BUCKET = env.str("S3_BUCKET", default="")
PRIVATE_URL_SECONDS = env.int("PRIVATE_URL_SECONDS", default=60)
if S3_BUCKET:
    _s3 = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("S3_REGION", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "addressing_style": env.str("S3_ADDRESSING_STYLE", default="") or None,
        "signature_version": "s3v4",
        "file_overwrite": False,
        "default_acl": None,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "location": "media",
            "querystring_auth": env.bool("S3_MEDIA_SIGNED", default=True),
        },
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "location": "private",
            "querystring_auth": True,
            "querystring_expire": PRIVATE_URL_SECONDS,
        },
    }
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail ---------------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
for _key in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"):
    if _email.get(_key):
        globals()[_key] = _email[_key]
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
if EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Tsunagu <no-reply@tsunagu.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- SMS ------------------------------------------------------------------------------------
SMS_PROVIDER = env.str("SMS_PROVIDER", default="tsunagu.accounts.sms.LogSmsProvider")

# --- Marketplace limits -------------------------------------------------------------------
PROPOSALS_PER_DAY = env.int("PROPOSALS_PER_DAY", default=20)
SCOUTS_PER_DAY = env.int("SCOUTS_PER_DAY", default=30)

# --- Payments -----------------------------------------------------------------------------
PAYMENT_PROVIDER = env.str(
    "PAYMENT_PROVIDER", default="tsunagu.payments.providers.sandbox.SandboxProvider"
)
PAYMENTS_WEBHOOK_SECRET = env.str("PAYMENTS_WEBHOOK_SECRET", default="")
PAYOUT_MINIMUM = env.int("PAYOUT_MINIMUM", default=1000)
PAYOUT_FEE = env.int("PAYOUT_FEE", default=250)
PAYOUT_MAXIMUM = env.int("PAYOUT_MAXIMUM", default=5_000_000)
TOP_UP_MINIMUM = env.int("TOP_UP_MINIMUM", default=100)
TOP_UP_MAXIMUM = env.int("TOP_UP_MAXIMUM", default=5_000_000)

# Qualified invoices (適格請求書) for platform fees name the platform as their issuer.
TSUNAGU_INVOICE_ISSUER_NAME = env.str("TSUNAGU_INVOICE_ISSUER_NAME", default="Tsunagu")
TSUNAGU_INVOICE_REGISTRATION_NUMBER = env.str(
    "TSUNAGU_INVOICE_REGISTRATION_NUMBER", default="T0000000000000"
)
TSUNAGU_INVOICE_ISSUER_ADDRESS = env.str("TSUNAGU_INVOICE_ISSUER_ADDRESS", default="")
# The Japanese font of PDF papers (Debian's fonts-noto-cjk) and, for a collection, its face.
TSUNAGU_PDF_FONT = env.str(
    "TSUNAGU_PDF_FONT", default="/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
)
TSUNAGU_PDF_FONT_INDEX = env.int("TSUNAGU_PDF_FONT_INDEX", default=0)

# --- Evidence -----------------------------------------------------------------------------
# The Ed25519 key that signs evidence bundles; created on first use when absent.
EVIDENCE_KEY_PATH = Path(
    env.str("EVIDENCE_KEY_PATH", default=str(VAR_DIR / "evidence_ed25519.pem"))
)

# --- Backups ------------------------------------------------------------------------------
# `tsunagu backup` and the scheduled backups write archives here; BACKUP_RECIPIENTS are age
# public keys (age1...) to encrypt them to. Retention keeps the newest scheduled backup of each
# of the last 7 days, 4 weeks and 12 months.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
BACKUP_STORAGES = ["default", "private"]
BACKUP_RECIPIENTS = env.list("BACKUP_RECIPIENTS", default=[])
BACKUP_SCHEDULE = env.bool("BACKUP_SCHEDULE", default=True)
BACKUP_EVERY_HOURS = env.int("BACKUP_EVERY_HOURS", default=24)
BACKUP_KEEP_DAILY = env.int("BACKUP_KEEP_DAILY", default=7)
BACKUP_KEEP_WEEKLY = env.int("BACKUP_KEEP_WEEKLY", default=4)
BACKUP_KEEP_MONTHLY = env.int("BACKUP_KEEP_MONTHLY", default=12)
# Files no row names are removed once older than this (a file being written is younger).
ORPHAN_GRACE_HOURS = env.int("ORPHAN_GRACE_HOURS", default=24)

# --- Security -------------------------------------------------------------------------------
HTTPS = env.bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

if S3_BUCKET:
    # Private images (face photos) are shown through signed URLs on the storage's own origin.
    from urllib.parse import urlsplit

    _endpoint = urlsplit(env.str("S3_ENDPOINT_URL", default=""))
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        env.str("S3_URL_ORIGIN", default="")
        or (
            f"{_endpoint.scheme}://{_endpoint.netloc}"
            if _endpoint.netloc
            else "https://*.amazonaws.com"
        )
    )

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
