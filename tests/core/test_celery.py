import importlib
import importlib.util
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import pytest
import time_machine
from celery.result import AsyncResult, EagerResult
from django.apps import apps
from django.conf import settings
from django.core.cache import cache

from config.celery import app as celery_app
from core.tasks import HEARTBEAT_CACHE_KEY, heartbeat, ping

BASE_DIR = settings.BASE_DIR
BROKER_URL = os.environ.get("CELERY_BROKER_URL")
needs_broker = pytest.mark.skipif(
    not BROKER_URL, reason="Set CELERY_BROKER_URL (for example redis://127.0.0.1:6379/15) to run this test"
)


def _environment_without_broker() -> dict[str, str]:
    return {
        name: value
        for name, value in os.environ.items()
        if name not in {"CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "REDIS_URL"}
    } | {"DJANGO_SETTINGS_MODULE": "config.settings_test"}


def test_tasks_run_in_process_when_no_broker_is_configured():
    script = (
        "import django; django.setup()\n"
        "from config.celery import app\n"
        "from core.tasks import ping\n"
        "result = ping.delay('x')\n"
        "print(app.conf.task_always_eager, type(result).__name__, result.get())\n"
    )

    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=_environment_without_broker(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == "True EagerResult pong: x\n"


@pytest.mark.skipif(bool(BROKER_URL), reason="CELERY_BROKER_URL is set, so tasks go to the broker")
def test_ping_answers_in_process_without_a_broker():
    result = ping.delay("x")

    assert celery_app.conf.task_always_eager is True
    assert isinstance(result, EagerResult)
    assert result.get() == "pong: x"


def test_heartbeat_records_when_it_ran():
    cache.delete(HEARTBEAT_CACHE_KEY)

    with time_machine.travel(datetime(2026, 3, 2, 9, 30, tzinfo=UTC), tick=False):
        ran_at = heartbeat.apply().get()

    assert ran_at == "2026-03-02T09:30:00+00:00"
    assert cache.get(HEARTBEAT_CACHE_KEY) == "2026-03-02T09:30:00+00:00"


def test_beat_schedule_names_only_registered_tasks():
    # What `autodiscover_tasks` does when a worker or beat starts: import each app's tasks module.
    for app_config in apps.get_app_configs():
        if importlib.util.find_spec(f"{app_config.name}.tasks") is not None:
            importlib.import_module(f"{app_config.name}.tasks")

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "core.tasks.heartbeat" in scheduled
    assert scheduled <= set(celery_app.tasks)


@pytest.fixture
def broker_app():
    """The project's Celery app sending to the real broker, whatever the test settings say."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield celery_app
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def worker_queue(broker_app):
    """A real `celery worker` process listening on a queue of its own, so stale messages cannot interfere."""
    queue = f"test-{uuid.uuid4().hex}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "--app",
            "config",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--hostname",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "WARNING",
        ],
        cwd=BASE_DIR,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "config.settings_test"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield queue
    worker.terminate()
    try:
        _, errors = worker.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        _, errors = worker.communicate()
    with broker_app.connection_for_write() as connection:
        connection.default_channel.queue_delete(queue)
    assert "Traceback" not in errors, errors


@pytest.mark.broker
@needs_broker
def test_ping_round_trip_through_a_worker_and_the_broker(broker_app, worker_queue):
    result = ping.apply_async(args=["round trip"], queue=worker_queue)

    assert isinstance(result, AsyncResult)
    assert not isinstance(result, EagerResult)
    assert result.get(timeout=60) == "pong: round trip"
    assert result.status == "SUCCESS"
    # The answer came back through the result backend, stored by the worker.
    stored = AsyncResult(result.id, app=broker_app)
    assert stored.result == "pong: round trip"
