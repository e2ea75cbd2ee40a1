"""Checks behind /healthz: the database, the cache and the Celery broker."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from kombu import Connection

BROKER_TIMEOUT_SECONDS = 1


@dataclass(frozen=True)
class CheckResult:
    name: str
    is_healthy: bool
    detail: str = ""


def check_database() -> CheckResult:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return CheckResult("database", False, type(error).__name__)
    return CheckResult("database", True)


def check_cache() -> CheckResult:
    try:
        cache.set("healthz", "ok", timeout=10)
        if cache.get("healthz") != "ok":
            return CheckResult("cache", False, "value not read back")
    except Exception as error:
        return CheckResult("cache", False, type(error).__name__)
    return CheckResult("cache", True)


def check_broker() -> CheckResult:
    """Connect to the Celery broker, giving up after about two seconds so /healthz never hangs."""
    if not settings.CELERY_BROKER_URL:
        return CheckResult("broker", True, "tasks run in-process")
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=BROKER_TIMEOUT_SECONDS,
            transport_options={
                "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
                "socket_timeout": BROKER_TIMEOUT_SECONDS,
            },
        ) as broker_connection:
            # No retries: a load balancer asks again soon enough, and it must get an answer quickly.
            broker_connection.ensure_connection(max_retries=0, timeout=2 * BROKER_TIMEOUT_SECONDS)
    except Exception as error:
        return CheckResult("broker", False, type(error).__name__)
    return CheckResult("broker", True)


def run_checks() -> list[CheckResult]:
    return [check_database(), check_cache(), check_broker()]
