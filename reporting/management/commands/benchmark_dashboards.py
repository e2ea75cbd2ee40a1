"""Time the talent dashboards through the whole Django stack (DESIGN section 7: p95 under 300 ms).

Signs in a national benchmark talent lead (created if needed, with an authenticator so the MFA
requirement is met), then requests every dashboard for England, a region, an ICS and an organisation:
first one after another, then from `--concurrency` simultaneous clients. Prints the median and 95th
percentile server times and, with `--write`, records them in docs/benchmarks.md.

Run it after `generate_synthetic_data` and `refresh_dashboards` at the scale you want to measure.
"""

import concurrent.futures
import platform
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    IntegratedCareSystem,
    Organisation,
    Region,
    Role,
    RoleAssignment,
    Scope,
    StaffProfile,
    User,
)
from reporting.dashboards import DASHBOARDS
from reporting.models import Snapshot

BENCH_EMAIL = "benchmark.talent.lead@synthetic.invalid"
START_MARKER = "<!-- benchmark_dashboards:start -->"
END_MARKER = "<!-- benchmark_dashboards:end -->"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


class Command(BaseCommand):
    help = "Measure dashboard response times at the current data scale; --write records them."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20, help="Sequential requests per page.")
        parser.add_argument("--concurrency", type=int, default=50, help="Simultaneous clients.")
        parser.add_argument("--requests", type=int, default=200, help="Requests in the concurrent run.")
        parser.add_argument("--write", action="store_true", help="Record the results in docs/benchmarks.md.")

    def handle(self, *args, runs, concurrency, requests, write, **options):
        if runs < 1 or concurrency < 1 or requests < 1:
            raise CommandError("--runs, --concurrency and --requests must be at least 1")
        snapshot = Snapshot.objects.order_by("-as_of").first()
        if snapshot is None:
            raise CommandError("There are no figures: run refresh_dashboards first")
        user = self._lead()
        urls = self._urls()
        staff = StaffProfile.objects.filter(is_active=True).count()
        self.stdout.write(
            f"{staff} staff in post; snapshot {snapshot.as_of} refreshed in {snapshot.duration_ms} ms"
        )

        sequential: dict[str, list[float]] = {}
        client = self._client(user)
        for label, url in urls:
            self._time(client, url)  # warm up
            sequential[label] = [self._time(client, url) for _ in range(runs)]
            self.stdout.write(
                f"{label}: median {statistics.median(sequential[label]) * 1000:.0f} ms, "
                f"p95 {_percentile(sequential[label], 0.95) * 1000:.0f} ms"
            )
        all_sequential = [value for values in sequential.values() for value in values]

        def worker(index: int) -> list[float]:
            worker_client = self._client(user)
            try:
                return [
                    self._time(worker_client, urls[(index + n) % len(urls)][1])
                    for n in range(max(1, requests // concurrency))
                ]
            finally:
                connections.close_all()

        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
            concurrent_times = [t for times in pool.map(worker, range(concurrency)) for t in times]
        elapsed = time.perf_counter() - started
        summary = (
            f"all pages one at a time: median {statistics.median(all_sequential) * 1000:.0f} ms, "
            f"p95 {_percentile(all_sequential, 0.95) * 1000:.0f} ms; "
            f"{concurrency} clients at once: median {statistics.median(concurrent_times) * 1000:.0f} ms, "
            f"p95 {_percentile(concurrent_times, 0.95) * 1000:.0f} ms, "
            f"{len(concurrent_times) / elapsed:.1f} requests/s"
        )
        self.stdout.write(summary)
        if write:
            self._write(snapshot, staff, sequential, concurrent_times, concurrency, elapsed)

    def _lead(self) -> User:
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        user, _created = User.objects.get_or_create(email=BENCH_EMAIL, defaults={"first_name": "Benchmark"})
        RoleAssignment.objects.get_or_create(user=user, role=Role.TALENT_LEAD, scope=Scope.NATIONAL)
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
        return user

    def _client(self, user) -> Client:
        client = Client(SERVER_NAME="127.0.0.1", headers={"x-forwarded-proto": "https"}, secure=True)
        client.force_login(user)
        return client

    def _urls(self) -> list[tuple[str, str]]:
        areas = [("England", "national")]
        region = Region.objects.order_by("pk").first()
        ics = (
            IntegratedCareSystem.objects.filter(organisations__staff_profiles__isnull=False)
            .order_by("pk")
            .first()
        )
        organisation = Organisation.objects.filter(staff_profiles__isnull=False).order_by("pk").first()
        if region:
            areas.append(("a region", f"region-{region.pk}"))
        if ics:
            areas.append(("an ICS", f"ics-{ics.pk}"))
        if organisation:
            areas.append(("an organisation", f"organisation-{organisation.pk}"))
        urls = []
        for slug, (title, _builder) in DASHBOARDS.items():
            for area_label, key in areas:
                url = reverse("reporting:dashboard_detail", kwargs={"slug": slug})
                urls.append((f"{title}, {area_label}", f"{url}?area={key}&breakdown=ethnic_category"))
        return urls

    def _time(self, client: Client, url: str) -> float:
        started = time.perf_counter()
        response = client.get(url)
        took = time.perf_counter() - started
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return took

    def _write(self, snapshot, staff, sequential, concurrent_times, concurrency, elapsed) -> None:
        path = Path(settings.BASE_DIR) / "docs" / "benchmarks.md"
        text = path.read_text(encoding="utf-8")
        if START_MARKER not in text or END_MARKER not in text:
            raise CommandError(f"{path} has no {START_MARKER} ... {END_MARKER} section to write into")
        lines = [
            START_MARKER,
            f"Measured {timezone.localdate():%-d %B %Y} on {platform.node() or 'this machine'} "
            f"({connection.vendor}, Python {platform.python_version()}), {staff:,} staff in post, "
            f"snapshot {snapshot.as_of} built in {snapshot.duration_ms / 1000:.1f} s.",
            "",
            "| Page | Median | 95th percentile |",
            "|---|---|---|",
        ]
        for label, values in sequential.items():
            median, p95 = statistics.median(values) * 1000, _percentile(values, 0.95) * 1000
            lines.append(f"| {label} | {median:.0f} ms | {p95:.0f} ms |")
        lines += [
            "",
            f"{concurrency} clients at once, {len(concurrent_times)} requests over every page above: median "
            f"{statistics.median(concurrent_times) * 1000:.0f} ms, 95th percentile "
            f"{_percentile(concurrent_times, 0.95) * 1000:.0f} ms, "
            f"{len(concurrent_times) / elapsed:.1f} requests per second.",
            END_MARKER,
        ]
        start = text.index(START_MARKER)
        end = text.index(END_MARKER) + len(END_MARKER)
        path.write_text(text[:start] + "\n".join(lines) + text[end:], encoding="utf-8")
        self.stdout.write(f"Written to {path}")
