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
    from conversations.exports import portable_export_build, portable_export_fail
    from core.tasks import build_or_retry

    return build_or_retry(
        self,
        build=portable_export_build,
        fail=portable_export_fail,
        object_id=export_id,
        what="Portable export",
    )


@shared_task
def delete_expired_portable_exports_task() -> int:
    """Delete the files of expired portable exports (scheduled daily)."""
    from conversations.exports import portable_exports_expired_delete

    return portable_exports_expired_delete()
