"""Checks behind /healthz: the database, the cache and the Celery broker."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection


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
    if not settings.CELERY_BROKER_URL:
        return CheckResult("broker", True, "tasks run in-process")
    from config.celery import app

    try:
        with app.connection_for_write() as broker_connection:
            broker_connection.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        return CheckResult("broker", False, type(error).__name__)
    return CheckResult("broker", True)


def run_checks() -> list[CheckResult]:
    return [check_database(), check_cache(), check_broker()]
