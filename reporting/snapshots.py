"""Which snapshot a dashboard shows, and the month-end dates kept for trends."""

import datetime

from reporting.models import Snapshot


def month_ends(*, before: datetime.date, count: int) -> list[datetime.date]:
    """The last `count` month-end dates strictly before `before`'s month, oldest first."""
    ends = []
    day = before.replace(day=1) - datetime.timedelta(days=1)
    for _ in range(count):
        ends.append(day)
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return sorted(ends)


def latest_snapshot() -> Snapshot | None:
    return Snapshot.objects.order_by("-as_of").first()


#: Daily snapshots are kept this long; month-end snapshots (the trends) for KEEP_MONTH_ENDS months.
KEEP_DAYS = 14
KEEP_MONTH_ENDS = 36


def prune_snapshots(*, today: datetime.date) -> int:
    """Delete snapshots no longer needed (their summary rows go with them); returns how many.

    Keeps every snapshot of the last `KEEP_DAYS` days, the month ends of the last `KEEP_MONTH_ENDS`
    months, and always the latest snapshot.
    """
    keep_month_ends = set(month_ends(before=today, count=KEEP_MONTH_ENDS))
    latest = latest_snapshot()
    old = [
        snapshot.pk
        for snapshot in Snapshot.objects.filter(as_of__lt=today - datetime.timedelta(days=KEEP_DAYS)).only(
            "as_of"
        )
        if snapshot.as_of not in keep_month_ends and (latest is None or snapshot.pk != latest.pk)
    ]
    Snapshot.objects.filter(pk__in=old).delete()
    return len(old)
