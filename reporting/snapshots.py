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
