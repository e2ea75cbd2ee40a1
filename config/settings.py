"""Settings for the Scope for Growth service, read from the environment only.

Every value that differs between a laptop, CI and production comes from an environment variable
(see `.env.example`). With nothing set, the service runs with embedded defaults: SQLite, an
in-process task runner and a console email backend, which is what `make run` uses.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.management.utils import get_random_secret_key
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("DJANGO_TESTING")
# A fixed insecure key is only acceptable for local development and tests. Without SECRET_KEY,
# maintenance commands (makemigrations --check, migrate) still run with a random key for that process
# alone; but the web server refuses to start (config/wsgi.py, config/asgi.py) and
# `check --deploy` reports it (core/checks.py), so nothing is ever served with an unset key.
SECRET_KEY_FROM_ENVIRONMENT = bool(env_str("SECRET_KEY"))
SECRET_KEY = env_str("SECRET_KEY") or (
    "django-insecure-local-development-only-key-do-not-use-in-production-0123456789"
    if DEBUG or TESTING
    else get_random_secret_key()
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SERVICE_NAME = "Scope for Growth"
# Where people reach the service: the start of every link in an email (no trailing slash needed).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Demo sign-ins (seed_demo) get a known password only when this is on or DEBUG is on.
DEMO_MODE = env_bool("DEMO_MODE", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # FORM_RENDERER = TemplatesSetting needs Django's widget templates
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "rules.apps.AutodiscoverRulesConfig",
    "core",
    "accounts",
    "conversations",
    "hps",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.SessionInactivityMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireMfaForPrivilegedRolesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "core.context_processors.service",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL") or env_str("CELERY_BROKER_URL")
if REDIS_URL and REDIS_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that stops answering must fail fast, not hang the request or /healthz.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.EmailAuthenticationBackend",
    "rules.permissions.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"

# django-allauth: email sign-in, no self sign-up (accounts come from the employer), MFA.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{SERVICE_NAME}: "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/ip,5/5m/key",
    "reset_password": "5/m/ip,3/5m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SERVICE_NAME
MFA_RECOVERY_CODE_COUNT = 10
# allauth blocks MFA set-up while an email address is unverified (against sign-up squatting). Accounts
# here come from the employer and asking for a password reset records the address as unverified, which
# would leave talent leads and administrators unable to set up the app they are forced to use.
MFA_ALLOW_UNVERIFIED_EMAIL = True
ACCOUNT_FORMS = {
    "login": "accounts.forms.SignInForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "set_password": "accounts.forms.SetPasswordForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
}
MFA_FORMS = {
    "authenticate": "accounts.forms.AuthenticateForm",
    "reauthenticate": "accounts.forms.ReauthenticateWithCodeForm",
    "activate_totp": "accounts.forms.ActivateTOTPForm",
    "deactivate_totp": "accounts.forms.DeactivateTOTPForm",
}
# A form sent without a valid CSRF token gets an NHS-styled page instead of Django's plain one.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# Email (Django 6.1 mailers): SMTP when EMAIL_HOST is set, otherwise printed to the console.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Scope for Growth <noreply@scopeforgrowth.nhs.uk>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when CELERY_BROKER_URL is set, otherwise tasks run in-process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "core-heartbeat": {
        "task": "core.tasks.heartbeat",
        "schedule": 60 * 60,
    },
    # Reminders of conversations and development actions, each sent once per event (CELERY_TIMEZONE).
    "conversations-send-due-reminders": {
        "task": "conversations.tasks.send_due_reminders_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # Portable exports can be downloaded for 7 days; then their files are deleted.
    "conversations-delete-expired-portable-exports": {
        "task": "conversations.tasks.delete_expired_portable_exports_task",
        "schedule": crontab(hour=2, minute=30),
    },
    # High Potential Scheme reminders (sponsors, drafts, administrators' digest), once per event.
    "hps-send-reminders": {
        "task": "hps.tasks.send_hps_reminders_task",
        "schedule": crontab(hour=7, minute=15),
    },
    # High Potential Scheme participants' reminders (meetings, coaching, experiences, panel, scheme end).
    "hps-send-participant-reminders": {
        "task": "hps.tasks.send_participant_reminders_task",
        "schedule": crontab(hour=7, minute=30),
    },
    # Dashboard summary tables, rebuilt every night for yesterday (a complete day).
    "reporting-refresh-summaries": {
        "task": "reporting.tasks.refresh_summaries_task",
        "schedule": crontab(hour=1, minute=0),
    },
    # Dashboard exports can be downloaded for 7 days; then their files are deleted.
    "reporting-delete-expired-exports": {
        "task": "reporting.tasks.delete_expired_report_exports_task",
        "schedule": crontab(hour=2, minute=45),
    },
}

# Security. Production is DEBUG off; every flag can still be switched by the environment.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The __Host- prefix pins cookies to this host over HTTPS; browsers refuse it without Secure.
SESSION_COOKIE_NAME = "__Host-sfg_session" if SESSION_COOKIE_SECURE else "sfg_session"
CSRF_COOKIE_NAME = "__Host-sfg_csrftoken" if CSRF_COOKIE_SECURE else "sfg_csrftoken"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sign out after this many seconds without a request, and after a hard limit whatever happens.
SESSION_INACTIVITY_TIMEOUT = env_int("SESSION_INACTIVITY_TIMEOUT", 30 * 60)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "https://assets.nhs.uk"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every rendering step at INFO; its warnings (refused resources) still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# Reporting: counts from 1 to this number are shown as "*" below national level (NHS Digital uses 7).
# reporting.disclosure refuses any value below 5.
DISCLOSURE_THRESHOLD = env_int("DISCLOSURE_THRESHOLD", 7)
