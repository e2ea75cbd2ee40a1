"""`manage.py generate_synthetic_data`: realistic made-up data at any scale, for benchmarks.

The reference scale (DESIGN.md section 7) is about
`--staff 1500000 --conversations 3000000 --organisations 210 --cohorts 50`. See `reporting.synthetic`.
"""

from django.core.management.base import BaseCommand, CommandError

from reporting.synthetic import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_SEED,
    DEFAULT_STAFF,
    SYNTHETIC_EMAIL_DOMAIN,
    SyntheticDataError,
    SyntheticOptions,
    SyntheticResult,
    generate_synthetic_data,
)


class Command(BaseCommand):
    help = (
        "Make synthetic staff, equality answers, Scope for Growth conversations, talent pools, succession "
        "plans, High Potential Scheme intakes and Staff Survey results for benchmarking the dashboards. "
        f"Synthetic people have email addresses at {SYNTHETIC_EMAIL_DOMAIN} and cannot sign in. The same "
        "seed on the same day gives the same data. For benchmarks only: never run it on live data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--staff",
            type=int,
            default=DEFAULT_STAFF,
            metavar="N",
            help=f"Staff to make (default {DEFAULT_STAFF})",
        )
        parser.add_argument(
            "--conversations", type=int, metavar="N", help="Conversations to make (default twice the staff)"
        )
        parser.add_argument(
            "--organisations",
            type=int,
            metavar="N",
            help="Organisations to spread the staff over (default: 210 for 1.5 million staff, pro rata)",
        )
        parser.add_argument(
            "--cohorts",
            type=int,
            metavar="N",
            help="High Potential Scheme intakes (default: 50 for 1.5 million staff, pro rata, at least 3)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            metavar="N",
            help=f"Random seed (default {DEFAULT_SEED})",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            metavar="N",
            help=f"Rows written at a time (default {DEFAULT_BATCH_SIZE:,}); does not change the data",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the synthetic data made by an earlier run first (other data is left alone)",
        )

        parser.add_argument(
            "--within-ics",
            action="append",
            default=[],
            metavar="CODE",
            help="Put every synthetic organisation in this ICS (give it more than once for several)",
        )

    def handle(self, *args, **options):
        wanted = SyntheticOptions(
            staff=options["staff"],
            conversations=options["conversations"],
            organisations=options["organisations"],
            cohorts=options["cohorts"],
            seed=options["seed"],
            batch_size=options["batch_size"],
            replace=options["replace"],
            within_ics=tuple(options["within_ics"]),
        )
        try:
            result = generate_synthetic_data(wanted, progress=self._progress)
        except SyntheticDataError as error:
            raise CommandError(str(error)) from error
        self._summary(result)

    def _progress(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def _summary(self, result: SyntheticResult) -> None:
        options = result.options
        self.stdout.write(
            self.style.SUCCESS(
                f"\nSynthetic data ready in {result.seconds:.1f} seconds (seed {options.seed}): "
                f"{result.rows:,} rows, {result.rows_per_second:,.0f} rows a second."
            )
        )
        if result.deleted:
            self.stdout.write(
                f"Deleted first: {sum(result.deleted.values()):,} rows of earlier synthetic data "
                f"in {result.delete_seconds:.1f} seconds."
            )
        width = max(len(label) for label in result.counts)
        for label, count in result.counts.items():
            self.stdout.write(f"  {label.ljust(width)}  {count:>12,}")
