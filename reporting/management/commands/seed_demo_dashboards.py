"""`manage.py seed_demo_dashboards`: demo figures for the talent dashboards (run after seed_demo)."""

from django.core.management.base import BaseCommand, CommandError

from reporting.demo import DEMO_SYNTHETIC_STAFF, seed_demo_dashboards
from reporting.synthetic import SyntheticDataError


class Command(BaseCommand):
    help = (
        "Add a synthetic workforce to the demo talent lead's ICS (once) and build the dashboard figures "
        "for today and the last few month ends."
    )

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=DEMO_SYNTHETIC_STAFF, metavar="N")

    def handle(self, *args, staff, **options):
        try:
            result = seed_demo_dashboards(staff=staff)
        except SyntheticDataError as error:
            raise CommandError(str(error)) from error
        added = f"{result.synthetic_staff:,} synthetic staff added; " if result.synthetic_staff else ""
        dates = ", ".join(f"{day:%-d %b %Y}" for day in result.snapshots_built)
        self.stdout.write(self.style.SUCCESS(f"Talent dashboards: {added}figures built as at {dates}."))
