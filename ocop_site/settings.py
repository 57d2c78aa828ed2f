"""Settings for the OCOP registry: one module, every value from the environment.

Development defaults make `make run` work right after a clone (SQLite, DEBUG on).
Production sets DEBUG=False, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; it refuses
to start with the development secret key.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.maps import TileURLError, tile_source
from ocop_site import backends
from ocop_site.env import env_bool, env_date, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0c0p-registry-hanoi"
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "DEBUG=False needs a SECRET_KEY of your own: the development key is public."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files for the API docs page, served from here (no CDN).
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    # The project's own apps, lowest layer first (docs/architecture.md): each may import
    # only from those above it in this list, as the import-linter contract checks.
    "core",
    "jobs",
    "mail",
    "accounts",
    "registry",
    "evaluation",
    "catalogue",
    "opendata",
    "imports",
    "backups",
    "demo",
    "invitations",
    "notifications",
    # After `jobs`, whose `db_worker` command must shadow this one's (jobs/management).
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: it times the whole request and logs it, whatever answers (LOG_FORMAT=json).
    "ocop_site.request_log.log_requests",
    "django.middleware.security.SecurityMiddleware",
    "ocop_site.csp.CSPMiddleware",  # django-csp, its fixed header built once
    "ocop_site.middleware.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known (their refusals are translated), before anything reads
    # the body or queries: a request too large for the site, then one carrying NUL.
    "ocop_site.middleware.limit_request_size",
    "ocop_site.middleware.refuse_nul_bytes",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ocop_site.middleware.private_pages_not_stored",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ocop_site.urls"
WSGI_APPLICATION = "ocop_site.wsgi.application"

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
                "notifications.context_processors.unread",
                "ocop_site.context_processors.agency",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        # A kept connection is checked before reuse, so a restarted database does not
        # fail the next request with "server closed the connection".
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite lets one writer at a time. By default a transaction starts as a reader and
    # asks for the write lock at its first write, where a second writer fails at once
    # with "database is locked" (seen under `make bench`: ticks answered 500). IMMEDIATE
    # takes the lock when the transaction begins, so writers queue for up to `timeout`
    # seconds instead; WAL lets readers go on while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: this site's queries are short, and a query whose cost the
    # planner overestimates (the dossier list's scope, at 50,000 products) spent 1.1 s
    # compiling itself to run in 70 ms. Set for each connection, not on the server,
    # which may serve other applications.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# account from one address, that pair is locked for AXES_COOLOFF_MINUTES; after
# AXES_ADDRESS_FAILURE_LIMIT wrong passwords from one address, whatever the usernames
# (password spraying), that address is. Never a username alone: anyone could then pause a
# named official from outside. Council and office accounts decide certificates; guessing
# their passwords must not be cheap. The two limits: ocop_site/signin_throttle.py.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Reverse proxies in front of gunicorn, each appending to X-Forwarded-For. 0 (a direct
# deployment) ignores that header, which the client writes itself. NUM_PROXIES is its older
# name, still read when TRUSTED_PROXY_COUNT is unset. The API throttle uses the same count.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", env_int("NUM_PROXIES", 0))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, not {TRUSTED_PROXY_COUNT}")
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "ocop_site.signin_throttle.PairAndAddressHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The address that is counted: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies
# the entry that many hops from the right of X-Forwarded-For (core/client_address.py).
# Without it every client behind the proxy shares the proxy's address, and five wrong
# passwords from anyone would pause a named official for everyone.
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_ip"
LOGIN_URL = "login"
# Signing in lands on the to-do page (evaluation.views.todo), which sends a visitor with
# no role on to the catalogue; a `next` address still wins.
LOGIN_REDIRECT_URL = "evaluation:todo"
# The reset form (accounts/): PASSWORD_RESETS_PER_ADDRESS requests an hour from one network
# address (then 429), PASSWORD_RESETS_PER_EMAIL an hour for one e-mail address (then the
# same answer, and no mail): it must not flood anyone's mailbox. A reset link works for
# Django's PASSWORD_RESET_TIMEOUT (three days); an invitation's for INVITATION_DAYS.
PASSWORD_RESETS_PER_ADDRESS = env_int("PASSWORD_RESETS_PER_ADDRESS", 10)
PASSWORD_RESETS_PER_EMAIL = env_int("PASSWORD_RESETS_PER_EMAIL", 3)
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)

# Vietnamese first; English is the switch. Message ids are English, so the
# Vietnamese catalogue is the one that must be complete.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Numbers and dates in each language's one style (82,00 and 20/10/2026 in Vietnamese).
FORMAT_MODULE_PATH = ["ocop_site.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Bootstrap comes from its PyPI package (xstatic-bootstrap), never from a CDN.
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Evidence and compliance papers are not public: they live outside MEDIA_ROOT
# and are only ever served through views that check who is asking.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
# Files on local disk, or in two S3-compatible buckets once S3_BUCKET is set (several app
# servers: ocop_site/backends.py, docs/deploy.md). The private bucket is never public.
STORAGES = backends.storages(
    debug=DEBUG,
    s3={
        "bucket": env_str("S3_BUCKET", ""),
        "private_bucket": env_str("S3_PRIVATE_BUCKET", ""),
        "endpoint_url": env_str("S3_ENDPOINT_URL", ""),
        "region": env_str("S3_REGION", ""),
        "access_key": env_str("S3_ACCESS_KEY_ID", ""),
        "secret_key": env_str("S3_SECRET_ACCESS_KEY", ""),
        "media_domain": env_str("S3_MEDIA_DOMAIN", ""),
    },
)

# Uploads: photos are re-encoded thumbnails, evidence is a PDF or an image.
MAX_PHOTO_BYTES = env_int("MAX_PHOTO_BYTES", 5 * 1024 * 1024)
MAX_DOCUMENT_BYTES = env_int("MAX_DOCUMENT_BYTES", 10 * 1024 * 1024)
MAX_IMAGE_PIXELS = env_int("MAX_IMAGE_PIXELS", 40_000_000)
# All of one dossier's documents together (evaluation/quota.py).
DOSSIER_QUOTA_BYTES = env_int("DOSSIER_QUOTA_BYTES", 200 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A whole request (its files and fields) is refused with 413 above this, before Django
# writes its files to temporary files (ocop_site/middleware.py limit_request_size): the
# largest document and room for the form around it. An admin page posting several files
# at once must stay under it too. Set the proxy's limit (nginx client_max_body_size) to
# the same value or a little more.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", MAX_DOCUMENT_BYTES + 2 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "ocop_site.upload_handlers.RequestSizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

CATALOGUE_PAGE_SIZE = 24
# One cache shared by every gunicorn worker: by default in files on this machine, so that a
# page dropped because data changed is dropped for all workers at once (a per-process memory
# cache would keep serving the old page in the others); with CACHE_URL=redis://… in Redis,
# shared by every app server (ocop_site/backends.py). Kept pages, counts, statistics and
# the throttles' budgets all live there.
CACHES = backends.caches(
    env_str("CACHE_URL", ""), env_str("CACHE_DIR", str(BASE_DIR / "var" / "cache"))
)
# Sessions in the database (default: every app server sees them), or in the shared cache
# ("cache", "cached_db"): ocop_site/backends.py.
SESSION_ENGINE = backends.session_engine(env_str("SESSION_STORE", "db"))
# Seconds a public page is kept for anonymous visitors (core/page_cache.py); any
# change to public data drops kept pages at once, so this only bounds memory. 0 = off.
PUBLIC_PAGE_SECONDS = env_int("PUBLIC_PAGE_SECONDS", 3600)
# Where this machine's workers note that public data changed (core/version_watch.py): a
# directory on this machine's own disk, the same for every worker of the site.
PUBLIC_CHANGE_STAMP_DIR = env_str("PUBLIC_CHANGE_STAMP_DIR", str(BASE_DIR / "var"))
# Certificate PDFs: kept per certificate, state, day and language until public data change;
# an anonymous address may have this many drawn a minute (0: no limit).
CERTIFICATE_PDF_SECONDS = env_int("CERTIFICATE_PDF_SECONDS", 86400)
CERTIFICATE_PDF_PER_MINUTE = env_int("CERTIFICATE_PDF_PER_MINUTE", 20)
# Reports of a suspected fake one address may send an hour (then a refusal in words).
FAKE_REPORTS_PER_HOUR = env_int("FAKE_REPORTS_PER_HOUR", 5)
# Seconds a catalogue count and the public statistics are kept (0 turns caching off).
CATALOGUE_COUNT_SECONDS = env_int("CATALOGUE_COUNT_SECONDS", 300)
STATISTICS_SECONDS = env_int("STATISTICS_SECONDS", 600)
# The day this registry came into use. Certificates issued before it are recorded from the
# offices' lists (the import); from that day on every certificate comes from an evaluation
# in the system, and the import refuses a later date. Set it to the day your registry went
# live; the default is before the first evaluation rounds of the demo and the tests (2024).
SYSTEM_START_DATE = env_date("SYSTEM_START_DATE", "2024-01-01")
# The public address printed in QR codes and PDFs (e.g. https://ocop.hanoi.gov.vn);
# empty means the address the request came in on.
SITE_URL = env_str("SITE_URL", "").rstrip("/")
# The agency answerable for this registry, named in every page's footer with its contact
# (and where to report a suspected fake). Empty phone or e-mail: that line is left out.
AGENCY_NAME = env_str("AGENCY_NAME", "") or "Văn phòng Điều phối nông thôn mới thành phố Hà Nội"
AGENCY_ADDRESS = env_str("AGENCY_ADDRESS", "") or "Thành phố Hà Nội"
# The same in English pages (empty: the Vietnamese, a proper name).
AGENCY_NAME_EN = (
    env_str("AGENCY_NAME_EN", "") or "Hanoi Coordination Office for New Rural Development"
)
AGENCY_ADDRESS_EN = env_str("AGENCY_ADDRESS_EN", "") or "Hanoi"
AGENCY_PHONE = env_str("AGENCY_PHONE", "")
AGENCY_EMAIL = env_str("AGENCY_EMAIL", "")

# The sales points' map (/diem-ban/): tiles from this tile server, e.g.
# https://tile.openstreetmap.org/{z}/{x}/{y}.png, credited as MAP_TILE_ATTRIBUTION (the
# server's terms usually ask for it). Empty: no map, the list alone. The page's
# Content-Security-Policy allows images from that one origin (core/maps.py), on that page.
MAP_TILE_URL = env_str("MAP_TILE_URL", "").strip()
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "").strip()
if MAP_TILE_URL:
    try:
        tile_source(MAP_TILE_URL)
    except TileURLError as error:
        raise ImproperlyConfigured(f"MAP_TILE_URL {error}: {MAP_TILE_URL!r}") from None

# Background jobs (jobs/): django-tasks' database backend, so a job is a row in this
# database, on SQLite and PostgreSQL alike; `manage.py worker` runs them (docs/architecture.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A job that raises runs again after JOBS_RETRY_SECONDS, then twice that, … up to
# JOBS_ATTEMPTS runs in all (a job may ask for other numbers); then it is "failed", kept,
# and listed for administrators. A worker silent for JOBS_WORKER_TIMEOUT seconds is taken
# for dead, and the job it was running is given to another worker as a further attempt.
JOBS_ATTEMPTS = env_int("JOBS_ATTEMPTS", 5)
JOBS_RETRY_SECONDS = env_int("JOBS_RETRY_SECONDS", 60)
JOBS_WORKER_TIMEOUT = env_int("JOBS_WORKER_TIMEOUT", 60)
if JOBS_ATTEMPTS < 1 or JOBS_RETRY_SECONDS < 0 or JOBS_WORKER_TIMEOUT < 2:
    raise ImproperlyConfigured(
        "JOBS_ATTEMPTS must be 1 or more, JOBS_RETRY_SECONDS 0 or more, "
        "JOBS_WORKER_TIMEOUT 2 or more."
    )
# Jobs that finished well are deleted after JOBS_KEEP_DAYS; failed ones stay until an
# administrator deletes them.
JOBS_KEEP_DAYS = env_int("JOBS_KEEP_DAYS", 30)
# Enqueued once a day by the workers (each once, whatever the number of workers), from
# DAILY_JOBS_HOUR o'clock local time on; each is a @job task taking `day` (ISO date).
DAILY_JOBS = ["jobs.tasks.daily_scan", "notifications.scan.daily_notifications"]
DAILY_JOBS_HOUR = env_int("DAILY_JOBS_HOUR", 2)
if not 0 <= DAILY_JOBS_HOUR <= 23:
    raise ImproperlyConfigured(f"DAILY_JOBS_HOUR must be 0 to 23, not {DAILY_JOBS_HOUR}")
# The daily notifications (notifications/scan.py): a scoring member whose card is not
# submitted hears of it when the round closes within NOTIFY_CARD_DAYS; a producer, when a
# certificate expires within NOTIFY_EXPIRY_DAYS.
NOTIFY_CARD_DAYS = env_int("NOTIFY_CARD_DAYS", 3)
NOTIFY_EXPIRY_DAYS = env_int("NOTIFY_EXPIRY_DAYS", 30)

# E-mail (mail/). With EMAIL_HOST, mails go out through that SMTP server; without it they
# are printed on the console of the worker that sends them (development). Either way the
# one backend records each (mail.SentMail, in the admin), with its text only when printed:
# a real mail's text may hold someone's one-time link.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS (STARTTLS, usually port 587) and EMAIL_USE_SSL (usually port 465) "
        "cannot both be True."
    )
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
# A mail server that stops answering must not hold a worker for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OCOP <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = "mail.backends.RecordingBackend"
MAIL_TRANSPORT = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
MAIL_KEEP_BODIES = not EMAIL_HOST

# The open-data API (registry/api, under /api/): anyone may read it without an account
# (AllowAny; its views are read-only, there is nothing to write). Sessions only tell
# staff apart, for the higher "user" rate; Basic auth stays off so the API cannot be used
# to guess passwords. Lists are paged (page_size at most 100) so one request stays cheap,
# and anonymous clients are throttled per address so one scraper cannot slow the site
# for everyone. NUM_PROXIES is TRUSTED_PROXY_COUNT (0 by default, so a client's own
# X-Forwarded-For is never trusted; set 1 behind one reverse proxy).
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # JSON for every client; people read the API through its docs page (opendata/negotiation.py).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "opendata.negotiation.JSONUnlessAskedOtherwise",
    "DEFAULT_PAGINATION_CLASS": "opendata.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "opendata.throttling.AnonRateThrottle",
        "opendata.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "120/minute"),
        "user": env_str("API_THROTTLE_USER", "600/minute"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    # In the language asked for (?lang=vi or en; the docs page asks for its own).
    "TITLE": _("OCOP registry open data"),
    "DESCRIPTION": _(
        "Read-only open data of Vietnam's OCOP registry: products whose certificate is in "
        "force, their producers, and the register of certificates (valid, expiring, extended, "
        "expired, revoked, superseded). No account needed; lists export as CSV with "
        "?format=csv."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Anyone reads it without signing in: no sign-in scheme in the schema, and no padlock
    # on every address of the docs page to suggest otherwise.
    "AUTHENTICATION_WHITELIST": [],
}

# Production hardening: everything `check --deploy` asks for once DEBUG is off.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy: every script, style, image and font comes from this site;
# no inline script or style attribute is allowed (templates use classes and SVG
# attributes instead), no plugin, no framing, forms post only here. A browser test
# visits the main pages and fails on any violation the browser reports.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the images Bootstrap's CSS draws inline (select arrows, checkboxes).
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Features no page here uses, switched off for every page (ocop_site/middleware.py).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Logs go to the console (the service manager or the container keeps them). LOG_FORMAT
# "text" for a person at a console; "json" for a cluster's log collector: every record one
# JSON line, and one line per request with its id, user, status and time
# (ocop_site/request_log.py).
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ocop_site.request_log.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # json: standard output, as collectors expect; text: standard error, as before.
            **({"formatter": "json", "stream": "ext://sys.stdout"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        # pypdf warns about every flaw it reads past in an uploaded PDF (a missing EOF
        # marker, a wrong offset); core.pdf refuses what it cannot read, so those are not
        # the site's news.
        "pypdf": {"level": "ERROR"},
        # The request lines: on with json, whatever LOG_LEVEL says of the rest.
        "ocop.requests": {
            "handlers": ["console"],
            "level": "INFO" if LOG_FORMAT == "json" else "WARNING",
            "propagate": False,
        },
    },
}
