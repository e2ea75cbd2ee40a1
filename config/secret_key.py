"""Refuse to serve requests without a SECRET_KEY from the environment.

Settings load without one (so `makemigrations --check` and other maintenance commands work on any
machine), but a web process signing sessions, CSRF tokens and password reset links with a key that
changes on every start would be broken, and one with a known key would be insecure.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MISSING = "Set SECRET_KEY (or DEBUG=true for local development)."


def require_secret_key() -> None:
    if not (settings.SECRET_KEY_FROM_ENVIRONMENT or settings.DEBUG or settings.TESTING):
        raise ImproperlyConfigured(MISSING)
