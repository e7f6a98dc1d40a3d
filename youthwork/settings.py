"""One settings module. Every value comes from the environment, with a default that runs out of the box."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)
# The default key is only good for a laptop; production sets DJANGO_SECRET_KEY.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
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
    "youthwork",
    "activities",
    "assistance",
    "legal_education",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
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


# Workbook import and export (youthwork/importing.py): a file larger than this is refused.
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
# django-import-export: importing and exporting need their own permissions (import_<model>, export_<model>).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"

# Change history (django-simple-history): read-only, never reverted from the admin (a version may lie in a
# period a final report has locked since); change reasons (导入工作簿 <file name>) are not cut at 100 characters.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

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
