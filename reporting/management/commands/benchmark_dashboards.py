"""Time the talent dashboards through the whole Django stack (DESIGN section 7: p95 under 300 ms).

Signs in a national benchmark talent lead (created if needed, with an authenticator so the MFA
requirement is met), then requests every dashboard for England, a region, an ICS and an organisation:
first one after another, then from `--concurrency` simultaneous clients. Prints the median and 95th
percentile server times and, with `--write`, records them in docs/benchmarks.md.

Run it after `generate_synthetic_data` and `refresh_dashboards` at the scale you want to measure.
"""

import concurrent.futures
import http.client
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
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
        parser.add_argument("--concurrency", type=int, default=50, help="Simultaneous users.")
        parser.add_argument("--requests", type=int, default=500, help="Requests in the concurrent run.")
        parser.add_argument(
            "--think-ms",
            type=int,
            nargs="+",
            default=[5000, 1000],
            help="Average pause between one user's requests; give several to run several loads.",
        )
        parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (2 x cores + 1).")
        parser.add_argument("--write", action="store_true", help="Record the results in docs/benchmarks.md.")

    def handle(self, *args, runs, concurrency, requests, think_ms, workers, write, **options):
        if min(runs, concurrency, requests, workers) < 1 or min(think_ms) < 0:
            raise CommandError("--runs, --concurrency, --requests and --workers must be at least 1")
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

        loads = []
        for pause in think_ms:
            times, elapsed = self._concurrent(user, urls, concurrency, requests, pause, workers)
            loads.append((pause, times, elapsed))
            self.stdout.write(
                f"{concurrency} users on gunicorn ({workers} workers, about {pause} ms between pages): "
                f"median {statistics.median(times) * 1000:.0f} ms, "
                f"p95 {_percentile(times, 0.95) * 1000:.0f} ms, "
                f"{len(times) / elapsed:.1f} requests/s"
            )
        self.stdout.write(
            f"all pages one at a time: median {statistics.median(all_sequential) * 1000:.0f} ms, "
            f"p95 {_percentile(all_sequential, 0.95) * 1000:.0f} ms"
        )
        if write:
            self._write(snapshot, staff, sequential, loads, concurrency, workers)

    def _concurrent(self, user, urls, concurrency, requests, think_ms, workers) -> tuple[list[float], float]:
        """`concurrency` simulated users against a real gunicorn server, over HTTP.

        Each user asks for a page, waits `think_ms` (plus or minus half, at random) and asks again,
        until `requests` pages have been served in all. Times are as the users see them.
        """
        session_cookie = self._session_cookie(user)
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 - a fixed command line, no user input
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=settings.BASE_DIR,
        )
        try:
            _wait_for(port)
            # Warm every worker: imports, database connections and the chart cache, as on a live server.
            warm = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            for _ in range(workers):
                for _label, url in urls:
                    warm.request("GET", url, headers=self._headers(session_cookie))
                    warm.getresponse().read()
            warm.close()
            per_user = max(1, requests // concurrency)
            generator = random.Random(1)  # noqa: S311 - think times, not security
            pauses = [
                [generator.uniform(0.5, 1.5) * think_ms / 1000 for _ in range(per_user)]
                for _ in range(concurrency)
            ]
            # Users arrive spread over one pause, as people do, not all in the same instant.
            arrivals = [generator.uniform(0, think_ms / 1000) for _ in range(concurrency)]

            def user_session(index: int) -> list[float]:
                time.sleep(arrivals[index])
                connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                times = []
                for n in range(per_user):
                    url = urls[(index + n) % len(urls)][1]
                    started = time.perf_counter()
                    connection_.request("GET", url, headers=self._headers(session_cookie))
                    response = connection_.getresponse()
                    response.read()
                    times.append(time.perf_counter() - started)
                    if response.status != 200:
                        raise CommandError(f"{url} answered {response.status} under load")
                    time.sleep(pauses[index][n])
                connection_.close()
                return times

            started = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
                times = [t for chunk in pool.map(user_session, range(concurrency)) for t in chunk]
            return times, time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)

    @staticmethod
    def _headers(session_cookie: str) -> dict[str, str]:
        return {"Cookie": session_cookie, "X-Forwarded-Proto": "https", "Host": "testserver"}

    def _session_cookie(self, user) -> str:
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    def _lead(self) -> User:
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        user, _created = User.objects.get_or_create(email=BENCH_EMAIL, defaults={"first_name": "Benchmark"})
        RoleAssignment.objects.get_or_create(user=user, role=Role.TALENT_LEAD, scope=Scope.NATIONAL)
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
        return user

    def _client(self, user) -> Client:
        client = Client(headers={"x-forwarded-proto": "https"}, secure=True)
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

    def _write(self, snapshot, staff, sequential, loads, concurrency, workers) -> None:
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
            f"{concurrency} users at once against gunicorn with {workers} workers on the same machine, "
            "requesting every page above in turn, with the time each user sees:",
            "",
            "| Pause between a user's pages | Requests | Median | 95th percentile | Requests per second |",
            "|---|---|---|---|---|",
        ]
        for pause, times, elapsed in loads:
            lines.append(
                f"| about {pause / 1000:g} s | {len(times)} | {statistics.median(times) * 1000:.0f} ms | "
                f"{_percentile(times, 0.95) * 1000:.0f} ms | {len(times) / elapsed:.1f} |"
            )
        lines.append(END_MARKER)
        start = text.index(START_MARKER)
        end = text.index(END_MARKER) + len(END_MARKER)
        path.write_text(text[:start] + "\n".join(lines) + text[end:], encoding="utf-8")
        self.stdout.write(f"Written to {path}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, *, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise CommandError("gunicorn did not start")
