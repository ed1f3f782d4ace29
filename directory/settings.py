"""One settings file, configured by environment variables.

With nothing set it runs on an SQLite file next to manage.py with DEBUG off.
DATABASE_URL switches to PostgreSQL; see README.md for the production variables.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(os.environ.get(name, default))


def envfloat(name, default):
    return float(os.environ.get(name, default))


def envlist(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "0")
# The fallback key only exists so a fresh clone runs; production sets SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-set-SECRET_KEY-in-production")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django_filters",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "directory",
    "programmes",
    "bench",
]

MIDDLEWARE = [
    # First, so that a page is stored with every header the others add; it
    # looks the page up once its URL is resolved (directory/caching/).
    "directory.caching.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy, then the headers Django has no setting for.
    "csp.middleware.CSPMiddleware",
    "directory.middleware.SecurityHeadersMiddleware",
    # CORS and JSON errors for the open data (directory/api/middleware.py).
    "directory.api.middleware.OpenDataMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "directory.i18n.languages.FirstVisitLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # SIGNED_IN_MIDDLEWARE, for the admin and signed-in staff only.
    "directory.middleware.SignedInStackMiddleware",
]
# Run by SignedInStackMiddleware for the admin and for requests with a session
# cookie; anonymous readers of the public site skip them (directory/middleware.py).
SIGNED_IN_MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the authenticated user and can record lockouts.
    "axes.middleware.AxesMiddleware",
]
# These look for the middleware above in MIDDLEWARE; directory/checks.py
# checks SIGNED_IN_MIDDLEWARE instead.
SILENCED_SYSTEM_CHECKS = ["admin.E408", "admin.E409", "admin.E410", "axes.W002", "security.W003"]

ROOT_URLCONF = "directory.urls"
WSGI_APPLICATION = "directory.wsgi.application"

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
                "directory.i18n.languages.alternates",
                "directory.seo.page_meta",
                "directory.views.pages.operator",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
# The public pages' fixed queries as PostgreSQL prepared statements, planned
# once per database session (directory/prepared.py). Off for a connection
# pooler that hands one server session to several clients.
PREPARED_STATEMENTS = envbool("PREPARED_STATEMENTS", "1")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles "expensive" plans with JIT, which costs hundreds of
    # milliseconds per query for the facet counts of a large list and pays off
    # only for long analytical queries, which a web page must not run.
    # random_page_cost 1.1 (default 4, priced for spinning disks) is the usual
    # setting when the data is in memory or on SSD: without it the planner
    # scans every region entry of the facet index rather than probe it for the
    # thousand records a filter leaves.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c random_page_cost=1.1"
    # Django's backend, with a health check that skips its round trip while
    # the connection's socket shows no sign of a closed session.
    DATABASES["default"]["ENGINE"] = "directory.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # AxesStandaloneBackend must come first so that locked-out logins stop here.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: lock a username+IP pair (not an IP alone, which behind a
# proxy would lock everyone out) after 5 failures, for one hour.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address as directory.ratelimit.client_ip finds it behind the proxy.
AXES_CLIENT_IP_CALLABLE = "directory.ratelimit.client_ip"
AXES_USERNAME_CALLABLE = "directory.ratelimit.login_username"

# How many proxies (load balancer, TLS terminator...) stand in front of the app
# servers, each appending to X-Forwarded-For: the client's address is the one
# that many entries from the right. 0: REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")
# "<requests>/<seconds>" per client address, counted in the shared cache
# (directory/ratelimit.py): search renderings, and the admin login's posts.
RATE_LIMITS = {
    "search": os.environ.get("SEARCH_RATE_LIMIT", "60/60"),
    "login": os.environ.get("LOGIN_RATE_LIMIT", "20/60"),
    "form": os.environ.get("FORM_RATE_LIMIT", "10/60"),
}

# Imports run in one transaction (a bad row writes nothing); exporting needs
# only the right to view, importing is checked per model admin (add + change).
IMPORT_EXPORT_USE_TRANSACTIONS = True
# The uploaded file waits between the preview and the confirmation in the
# shared cache, so the confirmation may land on any app server.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# A cell starting with "=" (or +, -, @) would run as a formula where the file
# is opened; the admin's formats (directory/admin/formats.py) escape it with
# an apostrophe, for CSV and XLSX, whatever this says; on for any other format.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("zh-hant", _("Traditional Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["directory.i18n.formats"]
TIME_ZONE = "Asia/Hong_Kong"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and `runserver` serve from the finders; production serves the
# collected, hashed and compressed files.
WHITENOISE_USE_FINDERS = DEBUG

# Rendered public pages kept in the shared cache (directory/caching/); off
# for measuring cold pages.
DIRECTORY_CACHING = envbool("DIRECTORY_CACHING", "1")
# How long a stored page may wait for its next reader. Stale copies are never
# served (each is checked against the generations of what it shows), so this
# only bounds the room unread copies take. A day: the long tail of record
# pages, each read a few times a day, would otherwise be rendered on nearly
# every visit (python -m bench.cache_simulation). Redis should evict the least
# recently used copy when full (maxmemory-policy volatile-lru; see README.md).
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", str(24 * 60 * 60))

# Shared cache: every app server behind the load balancer must see the same
# entries (the import preview between its two steps, for one), so the cache is
# Redis when REDIS_URL is set and otherwise a database table, never process
# memory or local disk.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "directory.caching.redis_backend.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # A Redis that hangs must not hang the site: short socket timeouts,
            # and after a failure the cache is skipped for a while (a circuit
            # breaker, directory/caching/redis_backend.py).
            "OPTIONS": {
                "socket_connect_timeout": envfloat("REDIS_CONNECT_TIMEOUT", "0.25"),
                "socket_timeout": envfloat("REDIS_TIMEOUT", "0.25"),
                "CIRCUIT_BREAKER_SECONDS": envfloat("REDIS_BREAKER_SECONDS", "30"),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            # Room for the rendered pages of a day's readers; Django culls a
            # third of the table beyond it.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 60 * 60))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every script and style comes from the site's own static files: no inline
# script, no inline style, no other origin (django-csp 4 reads this dict; the
# old CSP_* settings do nothing). No nonces, so a stored page stays the same
# bytes for every reader. Images may be data: URIs (the admin's CSS uses some).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
# Set by directory.middleware.SecurityHeadersMiddleware on every response.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"

if not DEBUG:
    # Production runs behind TLS; a proxy in front terminates it and says so.
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", "1")
    CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", "1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Enquiries from record pages: sent to the owning organisation's staff
# contact, else to this inbox; answered and closed ones are deleted after
# ENQUIRY_RETENTION_DAYS (`manage.py purge_enquiries`).
DIRECTORY_INBOX = os.environ.get("DIRECTORY_INBOX", "inbox@directory.invalid")
# Who runs this installation, named in the footer and on the About page;
# unset, the pages say only that the directory is operated by its publisher.
DIRECTORY_OPERATOR = os.environ.get("DIRECTORY_OPERATOR", "")
ENQUIRY_RETENTION_DAYS = envint("ENQUIRY_RETENTION_DAYS", "365")
# Enquiries one email address (and one client address) may send per hour.
ENQUIRY_RATE_LIMIT = envint("ENQUIRY_RATE_LIMIT", "5")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "directory@directory.invalid")
# Email: printed to the console unless an SMTP host is given.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = envint("EMAIL_PORT", "587")
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "1")
    EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "10")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
