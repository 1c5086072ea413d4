"""Quanmin settings: one file, driven by environment variables (QUANMIN_*, DATABASE_URL)."""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("QUANMIN_DEBUG", True)
# The development key is public; production must set its own (check --deploy insists on it).
SECRET_KEY = os.environ.get(
    "QUANMIN_SECRET_KEY", "django-insecure-dev-only-5c1f0d7e2b9a4c6f8e3d1a0b7c9e2f4a6d8b0c1e3f5a7b9d"
)
# Key for field encryption and keyed hashes of personal data (ID numbers, phones, health data).
# It is separate from SECRET_KEY so that rotating sessions does not make personal data unreadable.
FIELD_ENCRYPTION_KEY = os.environ.get(
    "QUANMIN_FIELD_KEY", "dev-only-field-key-never-use-in-production" if DEBUG else ""
)
ALLOWED_HOSTS = env_list("QUANMIN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("QUANMIN_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "quanmin.accounts.apps.QuanminAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "quanmin.regions",
    "quanmin.accounts",
    "quanmin.facilities",
    "quanmin.booking",
    "quanmin.analytics",
    "quanmin.physique",
    "quanmin.maintenance",
    "quanmin.feedback",
    "quanmin.web",
    "quanmin.demo",
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
]

ROOT_URLCONF = "quanmin.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "quanmin.web.context.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "quanmin.wsgi.application"

# SQLite by default, tuned for concurrent writers: WAL, IMMEDIATE transactions (so a writer takes
# the lock at BEGIN instead of failing with "database is locked" on upgrade), persistent
# connections. PostgreSQL when DATABASE_URL is set.
SQLITE_PATH = os.environ.get("QUANMIN_SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config(conn_max_age=600, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
                ),
            },
            # A file, not memory: race tests run many connections (threads and processes) at once.
            # One file per test run (pid), so that parallel runs never share it.
            "TEST": {"NAME": os.environ.get("QUANMIN_SQLITE_TEST_PATH",
                                            os.path.join(tempfile.gettempdir(), f"quanmin-test-{os.getpid()}.sqlite3"))},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["quanmin.accounts.backends.PhoneBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling: after SLOW_AFTER failures each attempt must wait longer (doubling), after
# LOCK_AFTER failures the account (and the address) is locked for LOCK_MINUTES.
LOGIN_SLOW_AFTER = int(os.environ.get("QUANMIN_LOGIN_SLOW_AFTER", "3"))
LOGIN_LOCK_AFTER = int(os.environ.get("QUANMIN_LOGIN_LOCK_AFTER", "10"))
LOGIN_LOCK_MINUTES = int(os.environ.get("QUANMIN_LOGIN_LOCK_MINUTES", "30"))

# Version of the privacy notice a resident consents to; bump it when the text changes.
PRIVACY_NOTICE_VERSION = os.environ.get("QUANMIN_PRIVACY_NOTICE_VERSION", "2026-11")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end libraries come from the npm registry with a lockfile (make setup); never a CDN.
VENDOR_DIRS = {"htmx": "htmx.org/dist", "leaflet": "leaflet/dist", "echarts": "echarts/dist"}
STATICFILES_DIRS = [
    (f"vendor/{name}", BASE_DIR / "node_modules" / path)
    for name, path in VENDOR_DIRS.items()
    if (BASE_DIR / "node_modules" / path).exists()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("QUANMIN_MEDIA_ROOT", str(BASE_DIR / "media")))
NODE_MODULES = BASE_DIR / "node_modules"

# bench/booking.py turns on a bare insert endpoint to compare booking throughput against.
BENCH_ENDPOINTS = env_bool("QUANMIN_BENCH_ENDPOINTS", False)

NOTIFY_BACKENDS = [b for b in os.environ.get(
    "QUANMIN_NOTIFY_BACKENDS", "quanmin.accounts.notify.InAppBackend,quanmin.core.notify.ConsoleBackend"
).split(",") if b]

# Booking: no-show strikes suspend online booking (real city systems blacklist repeat no-shows).
BOOKING_STRIKES_TO_SUSPEND = int(os.environ.get("QUANMIN_BOOKING_STRIKES", "3"))
BOOKING_STRIKE_WINDOW_DAYS = int(os.environ.get("QUANMIN_BOOKING_STRIKE_WINDOW_DAYS", "90"))
BOOKING_SUSPEND_DAYS = int(os.environ.get("QUANMIN_BOOKING_SUSPEND_DAYS", "30"))
BOOKING_WAITLIST_OFFER_MINUTES = int(os.environ.get("QUANMIN_BOOKING_OFFER_MINUTES", "60"))
BOOKING_NO_SHOW_GRACE_MINUTES = 30
BOOKING_REMINDER_HOURS = 3
# The simulated online payment provider's "pay" page (development and demos only).
QUANMIN_SIMULATED_PAYMENTS = env_bool("QUANMIN_SIMULATED_PAYMENTS", DEBUG)

# Background work through Django's tasks API; the database queue by default (`manage.py db_worker`,
# started by `make run`); an RQ or Celery backend at scale.
TASKS = {"default": {"BACKEND": os.environ.get("QUANMIN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Map tiles are a setting: Tianditu needs a key, intranets may have their own server; empty = the
# offline fallback that draws division outlines and points on a plain background.
MAP_TILE_URL = os.environ.get("QUANMIN_MAP_TILE_URL", "")
MAP_TILE_CRS = os.environ.get("QUANMIN_MAP_TILE_CRS", "wgs84")  # or "gcj02"
MAP_TILE_ATTRIBUTION = os.environ.get("QUANMIN_MAP_TILE_ATTRIBUTION", "")

# Production hardening: all on unless DEBUG.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("QUANMIN_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOG_LEVEL = os.environ.get("QUANMIN_LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The level sits on the handler too: Django's own loggers (django.request logs every 4xx as a
    # warning) propagate to it past the root logger's level.
    "handlers": {"console": {"class": "logging.StreamHandler", "level": LOG_LEVEL}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
