"""Settings for the registry, read from the environment with safe local defaults.

Everything a deployment changes is an environment variable (see README, "Configuration"):
DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, MEDIA_ROOT, STATIC_ROOT, CSRF_TRUSTED_ORIGINS.
With DEBUG=0 the HTTPS and cookie settings switch on, so that `manage.py check --deploy`
is clean for a production configuration.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# PROJ must never fetch grids from the network: the registry only uses the EPSG codes in
# registry.spatial_refs.ALLOWED_SRIDS, none of which needs a grid file.
os.environ.setdefault("PROJ_NETWORK", "OFF")


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG", True)

_LOCAL_ONLY_SECRET = "local-development-only-not-a-secret"
SECRET_KEY = os.environ.get("SECRET_KEY") or (_LOCAL_ONLY_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "csp",
    "axes",
    "leaflet",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",   # history recorded by PostgreSQL triggers (registry/history.py)
    "pghistory",
    "procrastinate.contrib.django",  # the job queue on the same PostgreSQL (docs/jobs.md)
    # The layers, from the core up (docs/architecture.md; lint-imports checks them).
    "registry",
    "gardens",
    "heritage",
    "retrofits",
    "upkeep",
    "adoption",
    "problems",
    "elevators",
    "projects",
    "consultation",
    "safety",
    "routes",     # check-in walking routes (issue 19)
    "public",
    "staff",
    "dataio",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ClientAddressMiddleware",  # the audit trail's client address (registry.client_address)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "registry.request_body.CompleteBodyMiddleware",  # a cut-off upload is a 400, nothing saved
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pghistory.middleware.HistoryMiddleware",  # the user and URL of each write, for the database's history
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "registry.security.StaffIdleSessionMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "public.context_processors.navigation",
                "staff.navigation.navigation",  # staff/base.html's links, on every app's staff pages
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgis://127.0.0.1:5432/registry"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] != "django.contrib.gis.db.backends.postgis":
    raise ImproperlyConfigured("DATABASE_URL must use the postgis:// scheme.")

# Beyond one machine (docs/deployment.md, config/deploy_settings.py), each off unless its
# variable is set: a read replica for the public map's reads (DATABASE_REPLICA_URL), the cache
# in Redis (REDIS_URL), photos in an S3-compatible store (MEDIA_STORAGE=s3 and S3_*).
from config import deploy_settings  # noqa: E402 — needs the helpers above only

DATABASES["default"].setdefault("OPTIONS", {})["options"] = deploy_settings.CONNECTION_OPTIONS

if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = deploy_settings.replica_database(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))
DATABASE_ROUTERS = ["config.db_router.PrimaryReplicaRouter"]
MIDDLEWARE.append("config.db_router.ReplicaRoutingMiddleware")
CACHES = deploy_settings.cache_settings(os.environ.get("REDIS_URL", ""))
STORAGES = deploy_settings.media_storages(os.environ)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Photo files are served through a view that checks who may see them (registry/photos/serving.py);
# with this set (production: "/internal-media/"), nginx sends the bytes via X-Accel-Redirect.
PHOTO_ACCEL_REDIRECT_PREFIX = os.environ.get("PHOTO_ACCEL_REDIRECT_PREFIX", "")

# django-leaflet: Leaflet itself is served from django-leaflet's own static files (no CDN).
# OpenStreetMap is the default basemap; with no basemap reachable the vector layers still draw.
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (23.115, 113.235),
    "DEFAULT_ZOOM": 13,
    "MIN_ZOOM": 10,
    "MAX_ZOOM": 19,
    "SPATIAL_EXTENT": (113.17, 23.04, 113.28, 23.16),
    "TILES": [
        (
            _("OpenStreetMap"),
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            {"attribution": "&copy; OpenStreetMap contributors", "maxZoom": 19},
        )
    ],
    "RESET_VIEW": False,
}

# Basemaps the map offers, first is the default. Tianditu needs a key (TIANDITU_KEY); without one
# it is not offered. Gaode/AMap tiles are in GCJ-02: the map shifts them onto WGS-84 for display,
# the data never leaves WGS-84. With no basemap reachable the vector layers still draw.
TIANDITU_KEY = os.environ.get("TIANDITU_KEY", "")
MAP_BASEMAPS = [
    {"id": "osm", "name": _("OpenStreetMap"), "datum": "wgs84", "max_zoom": 19,
     "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
     "attribution": "&copy; OpenStreetMap contributors"},
    {"id": "tianditu", "name": _("Tianditu"), "datum": "wgs84", "max_zoom": 18, "requires_key": True,
     "url": "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec"
            "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}",
     "labels_url": "https://t{s}.tianditu.gov.cn/cva_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=cva"
                   "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}",
     "subdomains": "01234567", "attribution": "&copy; 天地图 Tianditu"},
    {"id": "gaode", "name": _("Gaode / AMap"), "datum": "gcj02", "max_zoom": 18,
     "url": "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
     "subdomains": "1234", "attribution": "&copy; 高德地图 AutoNavi"},
]

# Django 5.2 warns (gis.W001) that Debian 12's GDAL 3.6 cannot block file and network access
# from a malicious spatial reference. The registry never hands a user-supplied spatial reference
# to GDAL: every SRID/.prj goes through registry.spatial_refs, which accepts only an allow-list
# of EPSG codes, and PROJ's network access is off (PROJ_NETWORK=OFF above). Hence silenced.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# The REST API (/api/v1/, dataio.api): token or session sign-in, the same scoping as the pages;
# OpenAPI 3 schema at /api/schema/ and its docs page served from drf-spectacular-sidecar (no CDN).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "dataio.api.openapi.AutoSchema",  # documents the API's error answers too
    "DEFAULT_PAGINATION_CLASS": "dataio.api.pagination.Pagination",
    "EXCEPTION_HANDLER": "dataio.api.errors.exception_handler",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Liwan gardens and micro-renovation registry API",
    "DESCRIPTION": "Assets, areas, adopters (public fields), adoptions, upkeep, problem reports and photos.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Choice sets whose field names collide with others' ("kind", "phase"): named here, so adding
    # them does not rename the components the schema already published.
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "adoption.models.AdopterKind",
        "ProjectKindEnum": "projects.models.ProjectKind",
        "ProjectPhaseEnum": "projects.phases.Phase",
        # The safety app's "category" and "source" would rename these two: pinned to their names.
        "CategoryEnum": "problems.models.ProblemCategory",
        "SourceEnum": "projects.models.FundingSource",
        "SafetyRiskCategoryEnum": "safety.models.RiskCategory",
        "SafetyRiskSourceEnum": "safety.models.RiskSource",
        "SafetyRiskStatusEnum": "safety.models.RiskStatus",
        "SafetyInterventionStatusEnum": "safety.models.InterventionStatus",
    },
}

# Production hardening: all on as soon as DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Security (issue 7): CSP, login lockout, staff sessions. See registry/security.py. ---
# Content-Security-Policy: no inline scripts (data goes through json_script blocks, which are
# not executed); the admin's Leaflet widget gets a per-request nonce from django-csp. Basemap
# tile hosts come from MAP_BASEMAPS. The API docs page relaxes style-src itself (dataio/api/urls.py).
from csp.constants import NONCE, NONE, SELF  # noqa: E402

from config.csp import basemap_tile_sources  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *basemap_tile_sources(MAP_BASEMAPS)],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    },
}
# The client's address (registry/client_address.py): X-Forwarded-For is read only when the
# request comes from one of these proxies (addresses or CIDR networks, comma-separated), e.g.
# TRUSTED_PROXIES=127.0.0.1 for nginx on the same machine (docs/deployment.md). Empty: nobody is
# trusted and REMOTE_ADDR is the client. django-ratelimit, django-axes and the audit trail all use it.
TRUSTED_PROXIES = [item.strip() for item in os.environ.get("TRUSTED_PROXIES", "").split(",") if item.strip()]
RATELIMIT_IP_META_KEY = "registry.client_address.client_address"
AXES_CLIENT_IP_CALLABLE = "registry.client_address.client_address"
# django-axes: 5 wrong passwords for one account from one address lock that pair out for 15
# minutes, on /accounts/login/ and the admin login alike (django-ratelimit still caps each IP).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "registry.security.AccountBackoffBackend",  # the per-account ceiling, below
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "registry.security.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "registry.security.locked_out"
AXES_VERBOSE = False
# Lockouts are per account *and* address: wrong passwords from one address never lock the real
# user out from another. Against a distributed attack, an account whose failures from all
# addresses together reach this ceiling within the cool-off is slowed down, not locked: each
# further attempt waits 1, 2, 4 … seconds, up to ACCOUNT_BACKOFF_MAX_SECONDS (registry/security.py).
# An attempt refused while locked or slowed down is not counted: the cool-off runs from the last
# counted failure, and the real user retrying does not lengthen their own wait.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
ACCOUNT_FAILURE_CEILING = int(os.environ.get("ACCOUNT_FAILURE_CEILING", "30"))
ACCOUNT_BACKOFF_MAX_SECONDS = int(os.environ.get("ACCOUNT_BACKOFF_MAX_SECONDS", "300"))
# Passwords: Django's four validators above (length >= 8, not like the user's details, not a
# common password, not all digits). Staff sessions end after this much idle time; adopters keep
# SESSION_COOKIE_AGE.
STAFF_SESSION_IDLE_SECONDS = int(os.environ.get("STAFF_SESSION_IDLE_SECONDS", str(8 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
# --- end security ---

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The site's public address, for links in e-mails sent outside a request (reminders, decisions).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in at INFO; lockouts (WARNING) are what an operator needs.
    "loggers": {"axes": {"level": "WARNING"},
                # procrastinate lists every task it registers at INFO on each start; the jobs' own lines stay.
                "procrastinate.blueprints": {"level": "WARNING"}, "procrastinate.periodic": {"level": "WARNING"}},
}

# The elevator retrofit programme (elevators/, docs/elevators.md). Owners' consent is recorded only
# when both the share of owners and the share of floor area agreeing reach this many per cent
# (the usual "two thirds of both" rule). The green channel's target days per stage: how long a
# retrofit may wait in a stage before it shows in the green-channel queue.
ELEVATOR_CONSENT_THRESHOLD_PERCENT = float(os.environ.get("ELEVATOR_CONSENT_THRESHOLD_PERCENT", "66.67"))
ELEVATOR_STAGE_TARGET_DAYS = {
    "accepted": 60,          # application accepted → owners' consent recorded
    "consent": 30,           # consent → planning permit (priority handling in the green channel)
    "planning_permit": 60,   # permit → construction started
    "construction": 120,     # construction → completion acceptance
    "acceptance": 30,        # acceptance → registration
    "registration": 15,      # registration → in service
}

# The SITE safety loop (safety/, docs/safety.md). An intervention's default deadline by the risk's
# severity (hours after the risk was found); how often a community's inspection round comes round
# (days); the length of an evaluation period (months: a quarter).
SAFETY_DEADLINE_HOURS = {"high": 24, "medium": 7 * 24, "low": 30 * 24}
SAFETY_ROUND_INTERVAL_DAYS = int(os.environ.get("SAFETY_ROUND_INTERVAL_DAYS", "30"))
SAFETY_EVALUATION_MONTHS = int(os.environ.get("SAFETY_EVALUATION_MONTHS", "3"))

# The job queue (procrastinate, docs/jobs.md): tasks in each app's tasks.py, workers started by
# `make run` beside the web server or by `manage.py procrastinate worker` (docs/deployment.md).
PROCRASTINATE_WORKER_DEFAULTS = {
    "update_heartbeat_interval": float(os.environ.get("JOBS_HEARTBEAT_SECONDS", 5)),
    "stalled_worker_timeout": float(os.environ.get("JOBS_STALLED_SECONDS", 30)),
}
#: A job whose worker sent no heartbeat for this long is taken as lost (dataio.tasks.recover_stalled_jobs).
JOBS_STALLED_SECONDS = float(os.environ.get("JOBS_STALLED_SECONDS", 30))
#: How often a job may be started again after its worker died, before it is failed.
JOBS_MAX_ATTEMPTS = 2
