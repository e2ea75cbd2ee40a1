"""Settings for the test suite: the real settings with fast hashing and no outside effects."""

import os

os.environ.setdefault("DJANGO_TESTING", "true")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from config.settings import *
from config.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sfg_session"
CSRF_COOKIE_NAME = "sfg_csrftoken"
# The test suite signs in hundreds of times from one address.
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/key"}
WHITENOISE_AUTOREFRESH = True
# Tests run tasks in-process even when CI points CELERY_BROKER_URL at Redis; the broker round-trip
# test turns this off for itself.
CELERY_TASK_ALWAYS_EAGER = True
# Live-server threads must not keep connections open past the test database's lifetime.
for _database in DATABASES.values():
    _database["CONN_MAX_AGE"] = 0
