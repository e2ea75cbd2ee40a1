"""Demo data for the High Potential Scheme: one intake open for applications in `make run`.

Like the rest of the demo it writes no audit events (nobody did anything) and running it again
changes nothing: the intake is found by name, and its dates are only set when it is created.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import IntegratedCareSystem, PayBand, User
from hps.models import Cohort

DEMO_COHORT_NAME = "Staffordshire and Shropshire High Potential Scheme intake"
DEMO_ADMINISTRATOR_EMAIL = "hps.admin@demo.nhs.test"
DEMO_TERMS_VERSION = "2026.1"
DEMO_TERMS_TEXT = """\
By signing, the participant agrees to:
- take part in the High Potential Scheme for 24 months from the start date
- meet their career coach six to eight times, each meeting lasting up to 2 hours
- meet their sponsor at least once a month
- undertake at least two key experiences of at least one day a week
- keep a learning log and present to a final panel of senior system leaders

By signing, the sponsor agrees to:
- support the participant to take part, including time for key experiences
- meet the participant at least once a month to review their progress
"""


@dataclass(frozen=True)
class CohortSeedResult:
    cohort: Cohort
    is_created: bool


@transaction.atomic
def seed_demo_cohort(*, today: datetime.date | None = None) -> CohortSeedResult:
    """An intake for both demo ICSs, open now, bands 8a to 8d, run by the demo HPS administrator."""
    today = today or timezone.localdate()
    administrator = User.objects.get(email=DEMO_ADMINISTRATOR_EMAIL)
    cohort, is_created = Cohort.objects.get_or_create(
        name=DEMO_COHORT_NAME,
        defaults={
            "opens_on": today - datetime.timedelta(days=14),
            "closes_on": today + datetime.timedelta(days=42),
            "starts_on": today + datetime.timedelta(days=120),
            "capacity": 25,
            "terms_version": DEMO_TERMS_VERSION,
            "terms_text": DEMO_TERMS_TEXT,
            "created_by": administrator,
        },
    )
    if is_created:
        cohort.integrated_care_systems.set(IntegratedCareSystem.objects.filter(code__in=["QNC", "QOC"]))
        cohort.eligible_pay_bands.set(PayBand.objects.filter(code__in=["AFC8A", "AFC8B", "AFC8C", "AFC8D"]))
        cohort.administrators.add(administrator)
    return CohortSeedResult(cohort=cohort, is_created=is_created)
