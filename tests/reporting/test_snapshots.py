"""Which snapshots are kept, and the month ends the trend charts use."""

import datetime

from reporting.dashboards import Filters, coverage
from reporting.models import Snapshot, StaffCube
from reporting.refresh import refresh_snapshot
from reporting.scope import ENGLAND
from reporting.snapshots import month_ends, prune_snapshots
from tests.accounts.factories import StaffProfileFactory


def test_month_ends_are_the_last_days_of_the_months_before():
    assert month_ends(before=datetime.date(2026, 3, 15), count=3) == [
        datetime.date(2025, 12, 31),
        datetime.date(2026, 1, 31),
        datetime.date(2026, 2, 28),
    ]
    assert month_ends(before=datetime.date(2026, 3, 31), count=1) == [datetime.date(2026, 2, 28)]
    assert month_ends(before=datetime.date(2026, 3, 1), count=0) == []


def test_pruning_keeps_recent_days_month_ends_and_the_latest(db):
    today = datetime.date(2026, 11, 27)
    kept = [
        datetime.date(2026, 11, 20),  # within 14 days
        datetime.date(2026, 10, 31),  # a month end
        datetime.date(2023, 11, 30),  # the oldest of 36 month ends
    ]
    dropped = [datetime.date(2026, 11, 1), datetime.date(2026, 10, 15), datetime.date(2023, 10, 31)]
    for day in kept + dropped:
        Snapshot.objects.create(as_of=day)
    assert prune_snapshots(today=today) == 3
    assert sorted(Snapshot.objects.values_list("as_of", flat=True)) == sorted(kept)


def test_pruning_never_removes_the_only_snapshot(db):
    Snapshot.objects.create(as_of=datetime.date(2025, 6, 3))
    assert prune_snapshots(today=datetime.date(2026, 11, 27)) == 0
    assert Snapshot.objects.count() == 1


def test_pruning_removes_the_summary_rows_too(db):
    StaffProfileFactory()
    refresh_snapshot(datetime.date(2026, 10, 15))
    refresh_snapshot(datetime.date(2026, 11, 26))
    prune_snapshots(today=datetime.date(2026, 11, 27))
    assert set(StaffCube.objects.values_list("snapshot__as_of", flat=True)) == {datetime.date(2026, 11, 26)}


def test_the_trend_uses_month_ends_and_the_chosen_date(db):
    StaffProfileFactory()
    for day in (datetime.date(2026, 9, 30), datetime.date(2026, 10, 15), datetime.date(2026, 10, 31)):
        refresh_snapshot(day)
    chosen = refresh_snapshot(datetime.date(2026, 11, 20))
    trend = next(
        s for s in coverage(Filters(area=ENGLAND, snapshot=chosen)).sections if s.slug == "over-time"
    )
    assert [row[0] for row in trend.tables[0].rows] == ["30 Sep 2026", "31 Oct 2026", "20 Nov 2026"]
