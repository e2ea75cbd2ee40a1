"""Rebuild the dashboard summary tables now (the nightly Celery task does the same for yesterday)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reporting.refresh import refresh_snapshot
from reporting.snapshots import month_ends


class Command(BaseCommand):
    help = "Rebuild the dashboard summary tables for a date (default today) and, optionally, past month ends."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="Snapshot date as YYYY-MM-DD (default today).")
        parser.add_argument(
            "--months",
            type=int,
            default=0,
            help="Also build the snapshots for the last N month ends, for the trend charts.",
        )

    def handle(self, *args, **options):
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError("Enter the date as YYYY-MM-DD, for example 2026-10-31") from None
        else:
            as_of = timezone.localdate()
        if options["months"] < 0 or options["months"] > 36:
            raise CommandError("Months must be from 0 to 36")
        for day in [*month_ends(before=as_of, count=options["months"]), as_of]:
            snapshot = refresh_snapshot(day)
            self.stdout.write(
                f"Snapshot {snapshot.as_of.isoformat()}: {snapshot.staff_count} staff "
                f"in {snapshot.duration_ms} ms"
            )
