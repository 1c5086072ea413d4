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
# `check --deploy` refuses a missing, short or development key (accounts/checks.py).
FIELD_ENCRYPTION_KEY = os.environ.get(
    "QUANMIN_FIELD_KEY", "dev-only-field-key-never-use-in-production" if DEBUG else ""
)
ALLOWED_HOSTS = env_list("QUANMIN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("QUANMIN_CSRF_TRUSTED_ORIGINS", "")
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated); none by
# default: the address of a sign-in (its throttle and the audit log) is then the connection's own.
TRUSTED_PROXIES = env_list("QUANMIN_TRUSTED_PROXIES", "")

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
    "quanmin.core",
    "quanmin.regions",
    "quanmin.accounts",
    "quanmin.facilities",
    "quanmin.booking",
    "quanmin.analytics",
    "quanmin.physique",
    "quanmin.people",
    "quanmin.maintenance",
    "quanmin.feedback",
    "quanmin.organizations",
    "quanmin.events",
    "quanmin.planning",
    "quanmin.opendata",
    "quanmin.surveys",
    "quanmin.incentives",
    "quanmin.funding",
    "quanmin.youth",
    "quanmin.inclusive",
    "quanmin.outreach",
    "quanmin.residential",
    "quanmin.safety",
    "quanmin.heritage",
    "quanmin.opening",
    "quanmin.web",
    "quanmin.demo",
]

MIDDLEWARE = [
    # A request id for the logs and the tasks enqueued, and the metrics' counts (issue 24).
    "quanmin.core.middleware.RequestContext",
    "django.middleware.security.SecurityMiddleware",
    # Scripts from this site only, no inline script or handler (issue 15); see web/middleware.py.
    "quanmin.web.middleware.ContentSecurityPolicy",
    # NUL bytes, lone surrogates, multipart without a boundary: a clear 400 before any view (issue 15).
    "quanmin.core.middleware.HostileInput",
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
    # Uploads: random names, no public URL; each app serves its files through a checked view.
    "default": {"BACKEND": "quanmin.core.uploads.PrivateStorage"},
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
    "QUANMIN_NOTIFY_BACKENDS",
    "quanmin.accounts.notify.InAppBackend,quanmin.accounts.notify.CityAppBackend,quanmin.core.notify.ConsoleBackend",
).split(",") if b]

# Booking: no-show strikes suspend online booking (real city systems blacklist repeat no-shows).
BOOKING_STRIKES_TO_SUSPEND = int(os.environ.get("QUANMIN_BOOKING_STRIKES", "3"))
BOOKING_STRIKE_WINDOW_DAYS = int(os.environ.get("QUANMIN_BOOKING_STRIKE_WINDOW_DAYS", "90"))
BOOKING_SUSPEND_DAYS = int(os.environ.get("QUANMIN_BOOKING_SUSPEND_DAYS", "30"))
BOOKING_WAITLIST_OFFER_MINUTES = int(os.environ.get("QUANMIN_BOOKING_OFFER_MINUTES", "60"))
BOOKING_NO_SHOW_GRACE_MINUTES = 30
BOOKING_REMINDER_HOURS = 3
# Sports points: earned points are good until the end of the year this many years after (1: the
# next year); this many points make a yuan when spent on a booking, for at most this share of its price.
INCENTIVES_POINTS_YEARS = 1
INCENTIVES_POINTS_PER_YUAN = int(os.environ.get("QUANMIN_POINTS_PER_YUAN", "100"))
INCENTIVES_POINTS_MAX_SHARE = 50
# The simulated online payment provider's "pay" page (development and demos only).
QUANMIN_SIMULATED_PAYMENTS = env_bool("QUANMIN_SIMULATED_PAYMENTS", DEBUG)

# Background work through Django's tasks API; the database queue by default (`manage.py db_worker`,
# started by `make run`); an RQ or Celery backend at scale.
TASKS = {"default": {"BACKEND": os.environ.get("QUANMIN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Several app nodes (issue 24): QUANMIN_REDIS_URL (e.g. redis://10.0.0.5:6379/0) puts the cache in
# Redis (Django's own backend) and the task queue on RQ, unless QUANMIN_TASKS_BACKEND names another
# (workers: `manage.py rqworker default --job-class django_tasks_rq.Job`). Without it: each
# process's memory cache and the database queue. Nothing that must agree between nodes relies on
# the cache: sign-in throttling (LoginThrottle), report limits and idempotency keys
# (Booking.client_key, Report.client_key) are database rows; the cache holds only what can be
# recomputed (the finder's outlines, keyed by the data's version). Sessions are database rows.
REDIS_URL = os.environ.get("QUANMIN_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": "quanmin"}}
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    RQ_SHOW_ADMIN_LINK = False
    # RQ's worker, stopping within a second instead of a minute (core/rq_worker.py).
    RQ = {"WORKER_CLASS": "quanmin.core.rq_worker.Worker"}
    if not os.environ.get("QUANMIN_TASKS_BACKEND"):
        TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}

# Open data (issue 23): the address third parties reach the platform at, written into every feed item's
# @id and url (feeds are built by the stamper, outside any request), and the open licence.
PUBLIC_URL = os.environ.get("QUANMIN_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
OPEN_DATA_LICENSE = os.environ.get("QUANMIN_OPEN_DATA_LICENSE", "https://creativecommons.org/licenses/by/4.0/")
# Public open-data endpoints: requests per client address per minute (429 with Retry-After beyond).
OPEN_DATA_RATE_LIMIT = int(os.environ.get("QUANMIN_OPEN_DATA_RATE_LIMIT", "600"))

# Map tiles are a setting (quanmin/facilities/basemap.py): 天地图 with its key, a GCJ-02 provider
# (amap, tencent), or a tile server of one's own (url); none = the offline map of division outlines
# and loaded streets. The provider is guessed from the key and the URL when not named.
MAP_PROVIDER = os.environ.get("QUANMIN_MAP_PROVIDER", "")
TIANDITU_KEY = os.environ.get("QUANMIN_TIANDITU_KEY", "")
MAP_TILE_URL = os.environ.get("QUANMIN_MAP_TILE_URL", "")
MAP_TILE_CRS = os.environ.get("QUANMIN_MAP_TILE_CRS", "wgs84")  # or "gcj02"
MAP_TILE_ATTRIBUTION = os.environ.get("QUANMIN_MAP_TILE_ATTRIBUTION", "")

# The city's resident app (README "City app"): sign-in handed over by OpenID Connect (authorization
# code with PKCE) from the provider at this issuer (its discovery document is
# <issuer>/.well-known/openid-configuration), under the client id and secret the city's IT team
# registered for us. All three unset: no city-app sign-in anywhere. CITYAPP_NAME is what residents
# call the app ("Sign in with 我的聊城").
CITYAPP_ISSUER = os.environ.get("QUANMIN_CITYAPP_ISSUER", "").rstrip("/")
CITYAPP_CLIENT_ID = os.environ.get("QUANMIN_CITYAPP_CLIENT_ID", "")
CITYAPP_CLIENT_SECRET = os.environ.get("QUANMIN_CITYAPP_CLIENT_SECRET", "")
CITYAPP_NAME = os.environ.get("QUANMIN_CITYAPP_NAME", "我的聊城")
CITYAPP_SCOPES = os.environ.get("QUANMIN_CITYAPP_SCOPES", "openid profile phone")
# Origins (https://app.example.cn) that may show the residents' pages in a frame (the city app's web
# view, the city's sports portal); staff and admin pages are never framed. Set, and served over
# HTTPS, the session and CSRF cookies become SameSite=None (a cookie in a frame of another site is a
# third-party cookie: without it the resident would be signed out inside the frame).
FRAME_ANCESTORS = env_list("QUANMIN_FRAME_ANCESTORS", "")
# The city app's message API (README "City app"): a linked resident's notices are also POSTed there,
# signed with HMAC-SHA256 under this key, retried by the task queue. Unset: nothing is pushed.
CITYAPP_MESSAGE_URL = os.environ.get("QUANMIN_CITYAPP_MESSAGE_URL", "")
CITYAPP_MESSAGE_KEY = os.environ.get("QUANMIN_CITYAPP_MESSAGE_KEY", "")

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
if FRAME_ANCESTORS and SESSION_COOKIE_SECURE:
    SESSION_COOKIE_SAMESITE = "None"
    CSRF_COOKIE_SAMESITE = "None"

LOG_LEVEL = os.environ.get("QUANMIN_LOG_LEVEL", "WARNING")
# "json": one JSON object a line with the request id (core/logs.py), for a log collector; "text" for a
# person at a terminal. JSON unless DEBUG.
LOG_FORMAT = os.environ.get("QUANMIN_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "quanmin.core.logs.JsonFormatter"}},
    # The level sits on the handler too: Django's own loggers (django.request logs every 4xx as a
    # warning) propagate to it past the root logger's level.
    "handlers": {"console": {"class": "logging.StreamHandler", "level": LOG_LEVEL,
                             **({"formatter": "json"} if LOG_FORMAT == "json" else {})}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# /metrics (Prometheus text, web/metrics.py) answers a scraper sending "Authorization: Bearer <token>"
# with this token, or a signed-in platform administrator; nobody else. Empty: administrators only.
METRICS_TOKEN = os.environ.get("QUANMIN_METRICS_TOKEN", "")
# Where `manage.py backup` writes its archives unless told (--to).
BACKUP_DIR = Path(os.environ.get("QUANMIN_BACKUP_DIR", str(BASE_DIR / "backups")))
