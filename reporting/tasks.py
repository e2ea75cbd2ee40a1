"""Background work for the dashboards: the nightly summary refresh and CSV/PDF exports."""

import datetime
import logging

from celery import shared_task
from django.core.cache import cache
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

logger = logging.getLogger(__name__)

#: Set while an on-demand refresh is queued or running (see reporting.views.refresh_request).
REFRESH_LOCK_KEY = "reporting:refresh-requested"
REFRESH_LOCK_SECONDS = 10 * 60

#: Retries of an export build before it is marked failed (back-off from 30 s to 15 min).
REPORT_EXPORT_MAX_RETRIES = 5


@shared_task(
    bind=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def refresh_summaries_task(self, as_of: str | None = None, requested_by_id: int | None = None) -> str:
    """Rebuild the summary tables for `as_of` (ISO date; default yesterday, the last complete day).

    Idempotent: a snapshot date refreshed again is replaced in one transaction. The person who asked
    for an on-demand refresh is told when the new figures are in.
    """
    from accounts.models import User
    from core.notifications import notify
    from reporting.refresh import refresh_snapshot
    from reporting.snapshots import prune_snapshots

    day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate() - datetime.timedelta(days=1)
    try:
        snapshot = refresh_snapshot(day)
        prune_snapshots(today=timezone.localdate())
    finally:
        if requested_by_id is not None:
            cache.delete(REFRESH_LOCK_KEY)
    if requested_by_id is not None:
        user = User.objects.filter(pk=requested_by_id).first()
        if user is not None:
            notify(
                recipient=user,
                event_key=f"dashboard-refresh:{snapshot.pk}:{snapshot.refreshed_at.isoformat()}",
                title=f"The dashboard figures as at {snapshot.as_of:%-d %B %Y} have been refreshed",
                url=reverse("reporting:dashboard"),
                send_email=False,
            )
    return snapshot.as_of.isoformat()


@shared_task(bind=True, max_retries=REPORT_EXPORT_MAX_RETRIES)
def build_report_export_task(self, export_id: int) -> str:
    """Build a dashboard export (safe to run twice); retry with back-off, then mark it failed."""
    from core.tasks import build_or_retry
    from reporting.exports import report_export_build, report_export_fail

    return build_or_retry(
        self, build=report_export_build, fail=report_export_fail, object_id=export_id, what="Report export"
    )


@shared_task
def delete_expired_report_exports_task() -> int:
    from reporting.exports import report_exports_expired_delete

    return report_exports_expired_delete()
