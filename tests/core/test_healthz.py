import os
import socket
import threading
import time
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

HEALTHY = {
    "status": "ok",
    "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    "failed": [],
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def healthz_url():
    return reverse("core:healthz")


@pytest.fixture
def silent_broker():
    """A TCP port that accepts connections and never answers, like a hung Redis."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []

    def accept_forever():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            accepted.append(connection)

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    listener.close()
    for connection in accepted:
        connection.close()


def test_healthz_is_ok_without_signing_in(client, healthz_url):
    response = client.get(healthz_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert response.json() == HEALTHY


def test_healthz_is_not_redirected_to_https(client, healthz_url, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get(healthz_url)

    assert response.status_code == 200
    assert response.json() == HEALTHY


def test_healthz_only_answers_get(client, healthz_url):
    response = client.post(healthz_url)

    assert response.status_code == 405


def test_healthz_reports_a_failing_cache(client, healthz_url):
    with mock.patch("core.healthchecks.cache.set", side_effect=ConnectionError("Redis has gone away")):
        response = client.get(healthz_url)

    assert response.status_code == 503
    assert response.json() == {
        "status": "unhealthy",
        "checks": {"database": "ok", "cache": "failed", "broker": "ok"},
        "failed": ["cache"],
    }


def test_healthz_reports_a_cache_that_loses_values(client, healthz_url):
    with mock.patch("core.healthchecks.cache.get", return_value=None):
        response = client.get(healthz_url)

    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


def test_healthz_reports_a_failing_database(client, healthz_url):
    broken_connection = mock.Mock()
    broken_connection.cursor.side_effect = OperationalError("could not connect to server")

    with mock.patch("core.healthchecks.connection", broken_connection):
        response = client.get(healthz_url)

    assert response.status_code == 503
    assert response.json() == {
        "status": "unhealthy",
        "checks": {"database": "failed", "cache": "ok", "broker": "ok"},
        "failed": ["database"],
    }


def test_healthz_reports_an_unreachable_broker_quickly(client, healthz_url, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    started = time.monotonic()
    response = client.get(healthz_url)
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.json() == {
        "status": "unhealthy",
        "checks": {"database": "ok", "cache": "ok", "broker": "failed"},
        "failed": ["broker"],
    }
    assert elapsed < 2.5


def test_healthz_gives_up_on_a_broker_that_never_answers(client, healthz_url, settings, silent_broker):
    settings.CELERY_BROKER_URL = silent_broker

    started = time.monotonic()
    response = client.get(healthz_url)
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]
    assert elapsed < 2.5


def test_healthz_names_every_failure(client, healthz_url, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    broken_connection = mock.Mock()
    broken_connection.cursor.side_effect = OperationalError("could not connect to server")

    with (
        mock.patch("core.healthchecks.connection", broken_connection),
        mock.patch("core.healthchecks.cache.set", side_effect=ConnectionError("Redis has gone away")),
    ):
        response = client.get(healthz_url)

    assert response.status_code == 503
    assert response.json() == {
        "status": "unhealthy",
        "checks": {"database": "failed", "cache": "failed", "broker": "failed"},
        "failed": ["database", "cache", "broker"],
    }


@pytest.mark.broker
@pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL"),
    reason="Set CELERY_BROKER_URL (for example redis://127.0.0.1:6379/15) to check a real broker",
)
def test_healthz_is_ok_with_a_reachable_broker(client, healthz_url, settings):
    settings.CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]

    response = client.get(healthz_url)

    assert response.status_code == 200
    assert response.json() == HEALTHY
