"""One settings module. Every value comes from the environment, with a default that runs out of the box."""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


# Production unless DJANGO_DEBUG=1: `make run`, `make lint` and the test settings (tests/settings.py) set it.
DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. In production (DJANGO_DEBUG unset or 0) the portal does not start "
            "without it: set it to a long random value kept secret, e.g. "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'. "
            "On a laptop set DJANGO_DEBUG=1 instead (make run does)."
        )
    SECRET_KEY = "dev-only-insecure-key-for-DJANGO_DEBUG-1-never-in-production"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "youthwork.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_include_bootstrap",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "youthwork",
    "activities",
    "assistance",
    "legal_education",
    "reports",
    "submissions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Moves an idle session's end with the user's requests, saving it at most every few minutes (youthwork.sessions).
    "youthwork.sessions.RollingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page requires login unless its view says otherwise (the login page, the admin's own login).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Records who made each change (django-simple-history reads the request's user).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Login lockout (django-axes): turns a locked-out login into the 锁定 page; must come last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "youthwork.urls"
WSGI_APPLICATION = "youthwork.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite has no row locks: a write transaction takes the database's write lock when it begins, so a
    # 定稿 and a write never interleave (youthwork.locks); the other waits up to `timeout` seconds.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "youthwork.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks every login (the portal's and the admin's) before the password is; then Django's own backend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user with their unit (one query a request fewer).
    "youthwork.auth_backends.UnitModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
# Chinese for the few admin texts Django and django-import-export leave in English (locale/zh_Hans/LC_MESSAGES).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed copies are made by collectstatic in production; without it (a laptop, the tests)
    # whitenoise serves the files straight from the finders.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True


# The cache of the dashboard's and the report's figures (youthwork/figure_cache.py). By default a table of the
# database (created by `migrate`), so that every app server shares it and no other service is needed; any of
# Django's cache backends may replace it, e.g. DJANGO_CACHE_BACKEND=django.core.cache.backends.redis.RedisCache
# with DJANGO_CACHE_LOCATION=redis://127.0.0.1:6379/1 (needs the redis package). Entries never go stale (their
# keys carry the data's versions); unused ones expire after DJANGO_CACHE_TIMEOUT seconds or are culled beyond
# DJANGO_CACHE_MAX_ENTRIES.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_CACHE_BACKEND", "").strip() or "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": os.environ.get("DJANGO_CACHE_LOCATION", "").strip() or "youthwork_cache",
        "TIMEOUT": env_int("DJANGO_CACHE_TIMEOUT", 7 * 24 * 3600),
    }
}
if CACHES["default"]["BACKEND"].endswith(("DatabaseCache", "LocMemCache", "FileBasedCache")):
    # Django's backends that keep the entries themselves cull them (Redis and memcached pass OPTIONS to their client).
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": env_int("DJANGO_CACHE_MAX_ENTRIES", 20000)}
# Finished HTML whose key names everything it shows (the admin change lists' filter side bar, the portal lists'
# filter fields: the user's units as read by the request, the address, the day), kept in each process's own
# memory: reading it back costs no query, and a restart (a deploy) empties it. An entry is some 8 KB for 75 units
# (measured), about 25 KB for a city of 300: 200 of them at most 5 MB a process.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "youthwork-local",
    "TIMEOUT": 24 * 3600,
    "OPTIONS": {"MAX_ENTRIES": 200},
}

# Workbook import and export (youthwork/importing/): a file larger than this is refused.
IMPORT_MAX_MEGABYTES = int(os.environ.get("IMPORT_MAX_MEGABYTES", "10"))
# What an upload may hold, measured from its zip and XML before a reader parses it (youthwork/spreadsheets.py,
# inspect_upload). 0 = derived: rows 30,000 per IMPORT_MAX_MEGABYTES; columns the template's widest sheet + 50;
# cells (A1 to the last cell used) rows × the widest sheet; one cell's text 32,767 characters (Excel's own
# limit); the text of all text cells 3,000,000 characters per IMPORT_MAX_MEGABYTES.
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "0"))
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "0"))
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "0"))
IMPORT_MAX_CELL_CHARACTERS = int(os.environ.get("IMPORT_MAX_CELL_CHARACTERS", "0"))
IMPORT_MAX_TEXT_CHARACTERS = int(os.environ.get("IMPORT_MAX_TEXT_CHARACTERS", "0"))
# Background jobs (youthwork/jobs.py): imports, and exports and report files of more than JOB_ROWS_THRESHOLD rows,
# run in a worker process (`manage.py db_worker`, django-tasks with its database backend), not in the request.
# A running job writes a heartbeat every JOB_HEARTBEAT_SECONDS; one whose heartbeat is older than JOB_STALE_SECONDS
# (its worker was killed) is marked failed, and its import wrote nothing (one transaction). DJANGO_TASKS_BACKEND
# "immediate" runs jobs inside the request instead (no worker; only for trying things out).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if os.environ.get("DJANGO_TASKS_BACKEND", "database") not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"DJANGO_TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[os.environ.get("DJANGO_TASKS_BACKEND", "database")]}}
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 5)
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 60)
JOB_ROWS_THRESHOLD = env_int("JOB_ROWS_THRESHOLD", 5000)
# The original file of an import stays this many days (download again, error workbook, 撤销 need it; 0 = forever);
# a check that was never confirmed is removed after a day.
IMPORT_KEEP_DAYS = env_int("IMPORT_KEEP_DAYS", 0)
# The files of finished export and report jobs are removed after this many days.
JOB_FILE_KEEP_DAYS = env_int("JOB_FILE_KEEP_DAYS", 7)

# django-import-export: importing and exporting need their own permissions (import_<model>, export_<model>).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"

# Change history (django-simple-history): read-only, never reverted from the admin (a version may lie in a
# period a final report has locked since); change reasons (导入工作簿 <file name>) are not cut at 100 characters.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Production (DEBUG off) gets HTTPS-only cookies, the redirect to HTTPS and HSTS by default; each can be
# switched off by its variable, e.g. behind a TLS proxy that redirects to HTTPS itself. See README, Security.
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
# Behind a TLS proxy: the header it sets on requests that came in over HTTPS (X-Forwarded-Proto: https). Only set
# it when the proxy always sets or overwrites this header, or clients can claim HTTPS themselves.
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["DJANGO_SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_"),
        "https",
    )
# A session ends after this many hours without a request: each request starts the count again, saving the session
# at most every SESSION_REFRESH_SECONDS (youthwork.sessions; SESSION_SAVE_EVERY_REQUEST wrote it on every page).
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_HOURS", 8) * 3600
SESSION_REFRESH_SECONDS = 300



def csp_hash(source: str) -> str:
    """The CSP source expression that allows exactly this inline code."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()}'"


# Content-Security-Policy (django-csp 4): scripts, styles, images and fonts only from this site; no inline script
# or style (our templates have none: static/youthwork/portal.js holds every script, and styles are classes in
# static/youthwork/*.css); no framing, no plug-ins. Bootstrap's CSS draws its icons (select arrows, check marks)
# as data: SVG images. One exception, not ours: django-import-export's export page (its template
# admin/import_export/export.html) has one inline event handler and two style attributes; 'unsafe-hashes' with
# their hashes lets exactly these run, and nothing else inline (tests/browser/test_csp_in_chromium.py).
CSP_ALLOWED_INLINE_HANDLERS = ["onSelectToggleChange(event)"]
CSP_ALLOWED_INLINE_STYLES = ["padding: 0;", "font-weight: bold;"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_HASHES, *map(csp_hash, CSP_ALLOWED_INLINE_HANDLERS)],
        "style-src": [SELF, UNSAFE_HASHES, *map(csp_hash, CSP_ALLOWED_INLINE_STYLES)],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login lockout (django-axes): AXES_FAILURE_LIMIT failed logins for one user name from one address lock that
# combination for AXES_COOLOFF_TIME (attempts during the lock do not prolong it); a successful login resets the
# count. Locked out: the 429 page templates/registration/locked_out.html. Unlocking early:
# `manage.py axes_reset_username <name>`. Axes' admin pages are off (they are English only).
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "youthwork.security.lockout_response"
AXES_ENABLE_ADMIN = False
# No "AXES: BEGIN version …" banner on every manage.py command (import_workbook, build_report print results).
AXES_VERBOSE = False
# The client's address: REMOTE_ADDR, or behind DJANGO_TRUSTED_PROXY_COUNT reverse proxies the address the outermost
# one saw (from X-Forwarded-For, which those proxies must append to). Used by the lockout.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "youthwork.security.client_ip"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Fonts written into the Word report (GB/T 9704 names by default; some offices only have 仿宋 and 楷体).
REPORT_FONT_BODY = os.environ.get("REPORT_FONT_BODY", "仿宋_GB2312")
REPORT_FONT_HEADING1 = os.environ.get("REPORT_FONT_HEADING1", "黑体")
REPORT_FONT_HEADING2 = os.environ.get("REPORT_FONT_HEADING2", "楷体_GB2312")
REPORT_FONT_TITLE = os.environ.get("REPORT_FONT_TITLE", "方正小标宋简体")
REPORT_FONT_PAGE_NUMBER = os.environ.get("REPORT_FONT_PAGE_NUMBER", "宋体")

# 报送与审核 (submissions/): a quarter's submission is due this many days after the quarter ends (逾期 after it);
# send_reminders writes from 5 days before. Mails go through Django's e-mail backend (console unless set).
SUBMISSION_DEADLINE_DAYS = env_int("SUBMISSION_DEADLINE_DAYS", 10)
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")
