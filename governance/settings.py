"""Settings for the grid governance platform, all driven by environment variables.

Zero-setup defaults (``APP_ENV=development``): SQLite under ``var/``, a Celery broker on the file
system, a cache on the file system, a secret key generated once under ``var/``. With
``DATABASE_URL`` and ``REDIS_URL`` set, the same code runs on PostgreSQL and Redis. With
``APP_ENV=production`` the settings refuse to start without the values production needs.
The README lists every variable.
"""

import secrets
import zoneinfo
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from governance.env import (
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_point,
    env_str,
    env_url,
    is_set,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

APP_ENV = env_choice("APP_ENV", "development", ("development", "production"))
PRODUCTION = APP_ENV == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be false when APP_ENV=production")


def _secret_key() -> str:
    """The configured key; in development only, one generated once under var/ (never committed)."""
    if is_set("SECRET_KEY"):
        key = env_str("SECRET_KEY")
        if len(key) < 50:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

# ID numbers and phones in the residents registry are encrypted with these (residents/keys.py).
from residents.keys import load_residents_keys  # noqa: E402 (needs VAR_DIR and PRODUCTION)

RESIDENTS_ENCRYPTION_KEYS, RESIDENTS_ENCRYPTION_KEY_ID, RESIDENTS_INDEX_KEY = load_residents_keys(
    VAR_DIR, PRODUCTION
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list this site's host names in production")
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name hosts explicitly, not '*'")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- Applications -------------------------------------------------------------------------

INSTALLED_APPS = [
    # SimpleAdminConfig: django-leaflet's admin module imports GeoDjango, which needs GDAL at
    # start-up. Geometry lives in JSON fields checked with shapely, so governance.urls runs an
    # autodiscover that skips the leaflet app instead of Django's.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "leaflet",
    "django_htmx",
    "governance",
    "governance.accounts",
    "governance.audit",
    "grids",
    "residents",
    "events",
    "governance.notifications",
    "governance.worktime",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "governance.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "governance.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "governance.urls"
WSGI_APPLICATION = "governance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "governance.context_processors.shell",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------

DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql"),
)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web server, the worker and beat share one file: wait for locks instead of failing,
    # and take the write lock at the start of a transaction so upgrades cannot deadlock.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", "", schemes=("redis", "rediss"))

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "gov"),
        }
    }
else:
    # Shared by the web server, the worker and beat (unlike a per-process memory cache).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Background jobs (Celery) --------------------------------------------------------------

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    _queue = VAR_DIR / "celery"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "queue"),
        "data_folder_out": str(_queue / "queue"),
        "control_folder": str(_queue / "control"),
        "processed_folder": str(_queue / "processed"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{_queue / 'results'}"
    # Every process that queues a task (web, commands such as seed_demo) needs the folders, not
    # only the worker: create them here, as STATIC_ROOT below.
    for _folder in ("queue", "control", "processed", "results"):
        (_queue / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TIMEZONE = "UTC"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "governance.tasks.heartbeat", "schedule": 60.0},
    # Events verified but not rated within EVENT_AUTO_CLOSE_DAYS close as "not rated".
    "events-auto-close": {"task": "events.tasks.auto_close_unrated", "schedule": 3600.0},
    # Overdue colours (events.services.alerts); a sweep left queued past the next one is dropped.
    "events-alerts-sweep": {
        "task": "events.tasks.sweep_alerts",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}

# --- Accounts and permissions ---------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "governance.accounts.backends.RoleBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No guardian "anonymous user" row: anonymous visitors never hold object permissions here.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo-pass-2026")

# --- Language and time ----------------------------------------------------------------------

LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LANGUAGE_CODE = env_choice("LANGUAGE_CODE", "zh-hans", tuple(code for code, _name in LANGUAGES))
# Each domain app keeps its own catalogue (<app>/locale/), the project one holds governance/ and
# templates/. makemessages files a string under the first entry whose folder holds the source
# file, so the apps come before the project-wide catalogue.
# (Add disputes/ and petitions/ here when they exist.)
FIRST_PARTY_APPS = ["governance/worktime", "grids", "residents", "events"]
LOCALE_PATHS = [BASE_DIR / app / "locale" for app in FIRST_PARTY_APPS] + [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
    raise ImproperlyConfigured(f"TIME_ZONE {TIME_ZONE!r} is not a known time zone") from exc
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request until collectstatic ran
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", PRODUCTION)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Photos from the field (governance.images): bytes per file, and decoded pixels (a larger
# image is refused as a decompression bomb; 64 megapixels covers any phone camera).
IMAGE_UPLOAD_MAX_BYTES = env_int("IMAGE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 64_000_000, minimum=10_000)
# Spreadsheets uploaded for import (governance.excel).
EXCEL_UPLOAD_MAX_BYTES = env_int("EXCEL_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
BOUNDARY_UPLOAD_MAX_BYTES = env_int("BOUNDARY_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)

# --- Security -------------------------------------------------------------------------------

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Map ------------------------------------------------------------------------------------

# Government intranets have no internet: tiles come from a server the deployment names
# (an intranet tile server, or e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png where allowed).
# Empty means no base layer; the territory's polygons still draw on a plain background.
MAP_TILE_URL = env_url("MAP_TILE_URL", "", schemes=("http", "https"))
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")
MAP_CENTER = env_point("MAP_CENTER", (30.6960, 111.2870))  # lat, lng: Xiling, Yichang
MAP_ZOOM = env_int("MAP_ZOOM", 13, minimum=1)
MAP_MAX_ZOOM = env_int("MAP_MAX_ZOOM", 19, minimum=1)
LEAFLET_CONFIG = {
    "TILES": (
        [
            (
                _("Base map"),
                MAP_TILE_URL,
                {"attribution": MAP_TILE_ATTRIBUTION, "maxZoom": MAP_MAX_ZOOM},
            )
        ]
        if MAP_TILE_URL
        else []
    ),
    "DEFAULT_CENTER": MAP_CENTER,
    "DEFAULT_ZOOM": MAP_ZOOM,
    "MAX_ZOOM": MAP_MAX_ZOOM,
    "RESET_VIEW": False,
    "ATTRIBUTION_PREFIX": "Leaflet",
}

# Boundaries: how much two sibling areas may overlap, and a child stick out of its parent,
# before the boundary is refused (square metres; drawing by hand is never exact).
BOUNDARY_OVERLAP_TOLERANCE_M2 = env_float("BOUNDARY_OVERLAP_TOLERANCE_M2", 20.0, lo=0)
BOUNDARY_OUTSIDE_TOLERANCE_M2 = env_float("BOUNDARY_OUTSIDE_TOLERANCE_M2", 20.0, lo=0)

# --- Events -----------------------------------------------------------------------------------

# How long the event's street alone may grab a new event before the district sees it.
EVENT_GRAB_WINDOW_MINUTES = env_int("EVENT_GRAB_WINDOW_MINUTES", 30, minimum=1)
# Days after verification without the reporter's rating before the event closes as "not rated".
EVENT_AUTO_CLOSE_DAYS = env_int("EVENT_AUTO_CLOSE_DAYS", 7, minimum=1)
EVENT_MAX_PHOTOS = env_int("EVENT_MAX_PHOTOS", 9, minimum=1)
EVENT_VERIFY_PHOTO_REQUIRED = env_bool("EVENT_VERIFY_PHOTO_REQUIRED", False)
# The public tracking page: lookups allowed per client address and per tracking number per hour.
EVENT_TRACK_LIMIT_PER_IP = env_int("EVENT_TRACK_LIMIT_PER_IP", 20, minimum=1)
EVENT_TRACK_LIMIT_PER_NUMBER = env_int("EVENT_TRACK_LIMIT_PER_NUMBER", 5, minimum=1)
EVENT_PUBLIC_REPORTS_PER_IP = env_int("EVENT_PUBLIC_REPORTS_PER_IP", 5, minimum=1)

# Content security policy: scripts only from this site (inline ones carry the nonce).


def _tile_source(url: str) -> list[str]:
    """The CSP source for the tile server: its origin, with a wildcard for a ``{s}`` subdomain."""
    if not url:
        return []
    parts = urlparse(url)
    host = parts.netloc.replace("{s}", "*")
    return [f"{parts.scheme}://{host}"]


SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", *_tile_source(MAP_TILE_URL)],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# --- API ------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "governance.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "governance.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Grid governance platform API",
    "DESCRIPTION": "网格化社会治理平台 API. Every list is scoped to the caller's territory.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",  # vendored by drf-spectacular-sidecar: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets whose field names collide with another app's ("level", "kind").
    "ENUM_NAME_OVERRIDES": {
        "AreaLevelEnum": "grids.choices.AreaLevel",
        "UnitKindEnum": "grids.choices.UnitKind",
        "CareLevelEnum": "residents.choices.CareLevel",
        "HelperKindEnum": "residents.choices.HelperKind",
        "EventStatusEnum": "events.workflow.EventStatus",
        "TaskStatusEnum": "events.workflow.TaskStatus",
        "ResidentStatusEnum": "residents.choices.ResidentStatus",
        "RelationEnum": "residents.choices.Relation",
        "EndReasonEnum": "residents.choices.EndReason",
    },
    # The committed schema must not depend on the database it was generated against (integer
    # bounds come from the backend: SQLite says 64-bit, PostgreSQL 16- or 32-bit).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "governance.api.drop_backend_integer_bounds",
    ],
}

# --- Logging --------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Forms render through templates/django/forms/*.html (Bootstrap markup).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
