"""Demo figures for the talent dashboards.

The demo organisations hold a few hundred people, too few for figures that survive disclosure
control. So the demo adds a synthetic workforce (reporting.synthetic) in the demo talent lead's ICS,
Staffordshire and Stoke-on-Trent, with the disparities the generator builds in (fewer BME and disabled
staff rated ready now, more barriers, a lower HPS shortlisting rate), then builds month-end snapshots
for the trend charts. Running it again changes nothing that exists.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from reporting.models import Snapshot
from reporting.refresh import refresh_snapshot
from reporting.snapshots import month_ends
from reporting.synthetic import SyntheticOptions, generate_synthetic_data, synthetic_organisations

DEMO_ICS = "QNC"
DEMO_SYNTHETIC_STAFF = 4000
DEMO_SYNTHETIC_ORGANISATIONS = 6
DEMO_SYNTHETIC_COHORTS = 2
DEMO_SEED = 2026
DEMO_MONTH_ENDS = 5


@dataclass(frozen=True)
class DashboardSeedResult:
    synthetic_staff: int
    snapshots_built: tuple[datetime.date, ...]


def seed_demo_dashboards(
    *,
    staff: int = DEMO_SYNTHETIC_STAFF,
    month_end_count: int = DEMO_MONTH_ENDS,
    today: datetime.date | None = None,
) -> DashboardSeedResult:
    """Add the synthetic workforce once, then build any missing snapshots (today's is always rebuilt)."""
    today = today or timezone.localdate()
    made = 0
    if not synthetic_organisations().exists():
        result = generate_synthetic_data(
            SyntheticOptions(
                staff=staff,
                organisations=DEMO_SYNTHETIC_ORGANISATIONS,
                cohorts=DEMO_SYNTHETIC_COHORTS,
                seed=DEMO_SEED,
                within_ics=(DEMO_ICS,),
            ),
            today=today,
        )
        made = result.options.staff
    existing = set(Snapshot.objects.values_list("as_of", flat=True))
    wanted = [day for day in month_ends(before=today, count=month_end_count) if day not in existing]
    built = [refresh_snapshot(day).as_of for day in [*wanted, today]]
    return DashboardSeedResult(synthetic_staff=made, snapshots_built=tuple(built))
