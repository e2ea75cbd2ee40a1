"""Production settings, loaded in a fresh interpreter exactly as a server would load them."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

ONE_YEAR = 365 * 24 * 60 * 60

READ_SETTINGS = """
import json
from django.conf import settings
names = [
    "DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_NAME", "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_NAME", "SESSION_INACTIVITY_TIMEOUT", "SESSION_COOKIE_AGE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE", "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def _production_environment(**overrides: str) -> dict[str, str]:
    """What a production server has: nothing from this machine but the path and the database."""
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "example.nhs.uk",
        "EMAIL_HOST": "smtp.example.nhs.uk",
    }
    if os.environ.get("DATABASE_URL"):
        environment["DATABASE_URL"] = os.environ["DATABASE_URL"]
    environment.update(overrides)
    return {name: value for name, value in environment.items() if value is not None}


def _run(arguments: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def production_settings() -> dict:
    completed = _run(["-c", "import django; django.setup()\n" + READ_SETTINGS], _production_environment())
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_deploy_checks_pass_with_production_settings():
    completed = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_environment())

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == "System check identified no issues (0 silenced).\n"


def test_deploy_checks_fail_when_email_would_only_be_printed():
    completed = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _production_environment(EMAIL_HOST=None),
    )

    assert completed.returncode == 1
    assert "mail.E001" in completed.stderr


def test_production_settings_are_secure(production_settings):
    assert production_settings == {
        "DEBUG": False,
        "ALLOWED_HOSTS": ["example.nhs.uk"],
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 63072000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "__Host-sfg_session",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_NAME": "__Host-sfg_csrftoken",
        "SESSION_INACTIVITY_TIMEOUT": 1800,
        "SESSION_COOKIE_AGE": 43200,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
    }
    assert production_settings["SECURE_HSTS_SECONDS"] >= ONE_YEAR
    assert 0 < production_settings["SESSION_INACTIVITY_TIMEOUT"] < production_settings["SESSION_COOKIE_AGE"]


def test_the_web_server_refuses_to_start_without_a_secret_key():
    for module in ("config.wsgi", "config.asgi"):
        completed = _run(["-c", f"import {module}"], _production_environment(SECRET_KEY=None, DEBUG=None))

        assert completed.returncode == 1
        assert completed.stderr.rstrip().endswith(
            "django.core.exceptions.ImproperlyConfigured: "
            "Set SECRET_KEY (or DEBUG=true for local development)."
        )


def test_deploy_checks_fail_without_a_secret_key():
    completed = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _production_environment(SECRET_KEY=None, DEBUG=None),
    )

    assert completed.returncode == 1
    assert "(core.E001) SECRET_KEY is not set in the environment." in completed.stderr


def test_maintenance_commands_run_without_a_secret_key():
    completed = _run(
        ["manage.py", "makemigrations", "--check", "--dry-run"],
        _production_environment(SECRET_KEY=None, DEBUG=None),
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == "No changes detected\n"


def test_settings_refuse_a_debug_value_that_is_not_true_or_false():
    completed = _run(["-c", "import django; django.setup()"], _production_environment(DEBUG="maybe"))

    assert completed.returncode == 1
    assert completed.stderr.rstrip().endswith(
        "django.core.exceptions.ImproperlyConfigured: DEBUG must be true or false, not 'maybe'"
    )
