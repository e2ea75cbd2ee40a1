"""Scheduled work for Scope for Growth: the daily reminder scan (see CELERY_BEAT_SCHEDULE)."""

from dataclasses import asdict

from celery import shared_task
from django.db import DatabaseError

from conversations.reminders import send_due_reminders


@shared_task(
    bind=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def send_due_reminders_task(self) -> dict[str, int]:
    """Send today's reminders. Safe to run again: each reminder is sent once per event.

    Retried with exponential back-off when the database is unavailable; the scan runs in one
    transaction, so a failed attempt leaves nothing half done.
    """
    return asdict(send_due_reminders())


#: Retries of a portable export build before it is marked failed (back-off from 30 s to 15 min).
PORTABLE_EXPORT_MAX_RETRIES = 5


@shared_task(bind=True, max_retries=PORTABLE_EXPORT_MAX_RETRIES)
def build_portable_export_task(self, export_id: int) -> str:
    """Build a portable export (safe to run twice); retry with back-off, then mark it failed.

    Run in-process (no broker), there is no worker to retry later, so the first failure is final.
    """
    import logging

    from celery.utils.time import get_exponential_backoff_interval

    from conversations.exports import portable_export_build, portable_export_fail

    try:
        export = portable_export_build(export_id=export_id)
    except Exception as error:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            logging.getLogger(__name__).exception("Portable export %s could not be built", export_id)
            portable_export_fail(export_id=export_id)
            raise
        raise self.retry(
            exc=error,
            countdown=get_exponential_backoff_interval(
                factor=30, retries=self.request.retries, maximum=15 * 60, full_jitter=True
            ),
        ) from error
    return export.status if export is not None else "missing"


@shared_task
def delete_expired_portable_exports_task() -> int:
    """Delete the files of expired portable exports (scheduled daily)."""
    from conversations.exports import portable_exports_expired_delete

    return portable_exports_expired_delete()
