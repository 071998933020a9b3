"""BZPEER settings: one module, driven by the environment (see .env.example)."""

import os
import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    # A typo such as DEBUG=ture must fail loudly, not silently mean False.
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false)")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer") from exc


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "false")

# A management command run by hand (manage.py import_openalex, load_demo, migrate, ...)
# answers no request, so without SECRET_KEY it runs on the local key below, DEBUG or not. A
# server (runserver, gunicorn) and a Celery worker, which signs the links of the emails it
# sends, still need SECRET_KEY or DEBUG=1: a worker on another key would send links the site
# refuses. `check --deploy` reports the local key (security.W009).
_PROGRAM, _COMMAND = Path(sys.argv[0]).name, (sys.argv[1:2] or [""])[0]
_LOCAL_COMMAND = _PROGRAM == "manage.py" and _COMMAND not in ("", "runserver", "testserver")

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or _LOCAL_COMMAND or os.getenv("BZPEER_ALLOW_INSECURE_KEY") == "1"):
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    # Only for DEBUG / local runs; production must set its own key.
    SECRET_KEY = "insecure-local-development-key-not-for-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",  # its sitemap.xml templates (profiles/sitemaps.py)
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.orcid",
    "works",
    "profiles",
    "graph",
    "notices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped for clients that ask (a researcher page is ~5x smaller); below WhiteNoise,
    # which serves its own precompressed static files. Django pads each compressed response
    # with random bytes against BREACH, and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "bzpeer.middleware.EdgeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# scripts/run serves with DEBUG=1; a path that is not there still gets the site's own 404
# page, not Django's technical one listing every URL pattern (DEBUG_TECHNICAL_404=1 for that).
if DEBUG and not envbool("DEBUG_TECHNICAL_404", "false"):
    MIDDLEWARE.append("bzpeer.site404.SiteNotFoundMiddleware")

ROOT_URLCONF = "bzpeer.urls"
WSGI_APPLICATION = "bzpeer.wsgi.application"
ASGI_APPLICATION = "bzpeer.asgi.application"

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
                "notices.context_processors.unread_notices",
                "profiles.context_processors.viewer_header",
            ],
        },
    },
]

# Unset DATABASE_URL means an SQLite file under var/: the zero-setup first look.
DATABASE_URL = os.getenv("DATABASE_URL", "")
if not DATABASE_URL:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'bzpeer.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        # Persistent connections: no connect/handshake per request.
        conn_max_age=envint("DB_CONN_MAX_AGE", "600"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The zero-setup default serves the page and its two panels at once, and each panel
    # writes (in-process tasks). WAL lets readers run beside the one writer; IMMEDIATE takes
    # the write lock at BEGIN, so a transaction waits its turn (up to `timeout` seconds)
    # instead of failing with "database is locked" when it reads first and writes later.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails open (bzpeer/cache.py): while Redis is down, pages render uncached and the
            # login throttles let requests through, rather than every such request being a 500.
            "BACKEND": "bzpeer.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.getenv("CACHE_KEY_PREFIX", "bzpeer"),
            # What a dead Redis costs: a refused connection, milliseconds; an unreachable or
            # hung one, these timeouts, and then nothing for 2 s (bzpeer.cache.RETRY_AFTER).
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis as broker when configured; otherwise tasks run in-process (zero-setup only).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# A task is acknowledged after it ran (RetryingTask.acks_late): one whose worker died stays
# unacknowledged, and Redis hands it out again after the visibility timeout (1 hour by
# default; the panels re-queue a silent computation sooner, graph/panels.py). 5 minutes: more
# than a task can be held unacknowledged while alive, or Redis would hand it to a second
# worker as well. That is its own run plus, prefetched, the run of the task before it: twice
# the hard time limit (our tasks take seconds; the limit catches a hang; prefork pool only).
CELERY_TASK_TIME_LIMIT = 120
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 3,
    "socket_timeout": 5,
    "visibility_timeout": 300,
}
# A panel's request waits while its task is published: one quick retry, then the panel
# says the worker is not answering (the default policy could hold it some 12 s).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
# Celery's own beat (`celery -A bzpeer beat`), the schedule in code: the followers' digest
# once a day (profiles/tasks.py; the task itself refuses a second digest within 20 hours).
CELERY_BEAT_SCHEDULE = {
    "follow-digest-daily": {
        "task": "profiles.tasks.follow_digest_send_all",
        "schedule": crontab(hour=envint("FOLLOW_DIGEST_HOUR", "7"), minute=0),
    },
    # Every claimed record and its works, fetched from the OpenAlex API: only what changed
    # since the record's last successful sync (profiles/tasks.py, works/openalex_api/).
    "claimed-records-refresh-daily": {
        "task": "profiles.tasks.record_refresh_all",
        "schedule": crontab(hour=envint("OPENALEX_SYNC_HOUR", "3"), minute=30),
    },
    # And every institution synced once by `sync_openalex --institution`, the same way.
    "synced-institutions-refresh-daily": {
        "task": "works.tasks.api_sync_institutions_refresh",
        "schedule": crontab(hour=envint("OPENALEX_SYNC_HOUR", "3"), minute=0),
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# Accounts (django-allauth): email and password, the address verified by a link before the
# first login. allauth's own backend adds login by email; ModelBackend keeps the admin's.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True  # one address per account; a new one replaces it once verified
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# People are known by a name they choose at sign-up, never by their email address
# (profiles.selectors.identity); allauth's "Signed in as …" says that name too.
ACCOUNT_SIGNUP_FORM_CLASS = "profiles.forms.SignupForm"
ACCOUNT_USER_DISPLAY = "profiles.selectors.identity.user_display_name"
# "If an account exists, we sent an email": never tell whether an address is registered.
ACCOUNT_PREVENT_ENUMERATION = True
# Throttles kept in the cache (Redis in production): failed logins per address and per
# account ("key" is the email typed), and the mails anyone can make us send.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[BZPEER] "
# Sign-up hashes a password whether or not the address is registered (bzpeer.accounts), so
# its answer time does not tell either.
ACCOUNT_ADAPTER = "bzpeer.accounts.AccountAdapter"
# The client address the per-IP throttles count: behind N proxies of ours, the Nth address
# from the right of X-Forwarded-For; 0 (the default) ignores that header, which anyone can
# forge. TRUSTED_CLIENT_IP_HEADER (e.g. X-Real-IP) instead, if the proxy sets one.
ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.getenv("TRUSTED_CLIENT_IP_HEADER", "") or None
# ORCID sign-in proves a claim of a record that carries the same ORCID iD (L3). It only
# connects an ORCID iD to an existing account (profiles.adapters): nobody signs up by it.
_ORCID_CLIENT_ID = os.getenv("ORCID_CLIENT_ID", "")
SOCIALACCOUNT_PROVIDERS = {
    "orcid": {
        "BASE_DOMAIN": os.getenv("ORCID_BASE_DOMAIN", "orcid.org"),  # sandbox.orcid.org to try
        "MEMBER_API": False,
        "APPS": (
            [{"client_id": _ORCID_CLIENT_ID, "secret": os.getenv("ORCID_CLIENT_SECRET", "")}]
            if _ORCID_CLIENT_ID
            else []
        ),
    }
}
SOCIALACCOUNT_ADAPTER = "profiles.adapters.ConnectOnlySocialAccountAdapter"
SOCIALACCOUNT_STORE_TOKENS = False

# Email (Django 6.1 mailers): the console unless EMAIL_HOST is set, then SMTP.
_EMAIL_HOST = os.getenv("EMAIL_HOST", "")
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _EMAIL_HOST,
                "port": envint("EMAIL_PORT", "587"),
                "username": os.getenv("EMAIL_HOST_USER", ""),
                "password": os.getenv("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", "true"),
                "timeout": envint("EMAIL_TIMEOUT", "10"),
            },
        }
        if _EMAIL_HOST
        # Printed decoded, so a link copied from the terminal works (bzpeer/console_mail.py).
        else {"BACKEND": "bzpeer.console_mail.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "BZPEER <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "staticfiles"))
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

# HTTPS: off by default (the quick start is plain http on 127.0.0.1). Behind a TLS proxy set
# BEHIND_TLS_PROXY, SECURE_COOKIES, SECURE_SSL_REDIRECT and SECURE_HSTS_SECONDS (README,
# "Operating BZPEER"); `manage.py check --deploy` is clean with them.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_TLS_PROXY", "false") else None
)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", "false")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container healthcheck speaks plain http
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "false")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false")

# Content-Security-Policy on every response: our own scripts, styles and images only. htmx
# is set to need no eval and to inject no <style> (templates/base.html, htmx-config), and no
# template has inline script or style. Forms post to us, or to ORCID for its sign-in.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF, f"https://{SOCIALACCOUNT_PROVIDERS['orcid']['BASE_DOMAIN']}"],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Pages
WORKS_PAGE_SIZE = 20
# Anonymous researcher pages are cached whole; the key changes with any import, follow, claim
# or owner's profile edit, so this only bounds how long an unvisited page occupies the cache.
RESEARCHER_PAGE_CACHE_SECONDS = envint("RESEARCHER_PAGE_CACHE_SECONDS", "3600")
# Work, topic and institution pages, cached whole for anonymous visitors until the corpus
# changes (works/pagecache.py); 0 turns it off.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", "3600")
SEARCH_PAGE_SIZE = 20
# How long a claim's institutional-email link works (seconds).
CLAIM_EMAIL_LINK_MAX_AGE = envint("CLAIM_EMAIL_LINK_MAX_AGE", str(3 * 24 * 3600))
# Collaboration invites one account may send in 24 hours.
INVITES_PER_DAY = envint("INVITES_PER_DAY", "5")
# Reports (each mails every staff member) and disputes one account may make in 24 hours.
REPORTS_PER_DAY = envint("REPORTS_PER_DAY", "5")
DISPUTES_PER_DAY = envint("DISPUTES_PER_DAY", "5")
# The read API (/api/, bzpeer/api/): requests one client address may make per window of
# API_RATE_WINDOW seconds, counted in the cache (OpenAlex allows 10 a second).
API_RATE_LIMIT = envint("API_RATE_LIMIT", "600")
API_RATE_WINDOW = envint("API_RATE_WINDOW", "60")
# The OpenAlex REST API (works/openalex_api/, through pyalex): asked only by `sync_openalex`,
# the daily refresh of claimed records and an owner's "Refresh from OpenAlex". An email puts
# the requests in OpenAlex's polite pool; an API key is optional.
OPENALEX_API_URL = os.getenv("OPENALEX_API_URL", "https://api.openalex.org").rstrip("/")
OPENALEX_EMAIL = os.getenv("OPENALEX_EMAIL", "")
OPENALEX_API_KEY = os.getenv("OPENALEX_API_KEY", "")
# Tries of a request that met a 429, a 5xx, a timeout or a dropped connection, with backoff
# (seconds, doubled each try); a Retry-After is honoured up to OPENALEX_RETRY_AFTER_MAX s.
OPENALEX_MAX_RETRIES = envint("OPENALEX_MAX_RETRIES", "5")
OPENALEX_RETRY_BACKOFF = float(os.getenv("OPENALEX_RETRY_BACKOFF", "1"))
OPENALEX_RETRY_AFTER_MAX = envint("OPENALEX_RETRY_AFTER_MAX", "60")
OPENALEX_TIMEOUT = envint("OPENALEX_TIMEOUT", "30")
# How often an owner may ask for a refresh of their record (seconds).
RECORD_REFRESH_INTERVAL = envint("RECORD_REFRESH_INTERVAL", "3600")
# The site's address for links in emails sent by the worker (no request to build it from).
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
