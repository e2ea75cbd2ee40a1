"""Platform tasks (proof that the worker, the broker and beat are working) and notification emails."""

import smtplib
import socket

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from core.notifications import notification_email_send

HEARTBEAT_CACHE_KEY = "celery:heartbeat"


@shared_task
def ping(value: str) -> str:
    """Answer with the value it was given: proves a worker and the broker are working."""
    return f"pong: {value}"


@shared_task
def heartbeat() -> str:
    """Record when beat and a worker last ran a scheduled task, so operators can see both are alive."""
    ran_at = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, ran_at, timeout=None)
    return ran_at


#: Failures worth another try: the mail server was unreachable, timed out or refused for now.
EMAIL_RETRY_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, socket.gaierror)


@shared_task(
    bind=True,
    autoretry_for=EMAIL_RETRY_ERRORS,
    retry_backoff=30,
    retry_backoff_max=60 * 60,
    retry_jitter=True,
    max_retries=8,
)
def send_notification_email_task(self, notification_id: int) -> bool:
    """Email one notification, at most once however often it runs (see `notification_email_send`).

    Acknowledged late (CELERY_TASK_ACKS_LATE), so a worker that dies mid-send leaves the message for
    another worker; retried with exponential back-off (30 seconds, doubling, up to an hour) when the
    mail server is unreachable.
    """
    return notification_email_send(notification_id=notification_id)


def build_or_retry(task, *, build, fail, object_id: int, what: str):
    """Run `build(export_id=...)` for a bound task; on failure retry with back-off, then `fail`.

    Back-off runs from about 30 seconds to 15 minutes. Run in-process (no broker) there is no worker
    to retry later, so the first failure is final. Returns the built object's status, or "missing".
    """
    import logging

    from celery.utils.time import get_exponential_backoff_interval

    try:
        built = build(export_id=object_id)
    except Exception as error:
        if task.request.is_eager or task.request.retries >= task.max_retries:
            logging.getLogger(task.name).exception("%s %s could not be built", what, object_id)
            fail(export_id=object_id)
            raise
        raise task.retry(
            exc=error,
            countdown=get_exponential_backoff_interval(
                factor=30, retries=task.request.retries, maximum=15 * 60, full_jitter=True
            ),
        ) from error
    return built.status if built is not None else "missing"
