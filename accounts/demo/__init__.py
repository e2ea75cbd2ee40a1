"""Demonstration data: real Midlands organisations, generated staff and one sign-in per role.

`build_plan()` decides everything from a fixed random seed without touching the database;
`seed_demo()` writes the plan, keyed on codes and email addresses so that running it again changes
nothing. The `seed_demo` management command is the only caller outside the tests.
"""

from accounts.demo.plan import (
    DEFAULT_STAFF_COUNT,
    DEMO_EMAIL_DOMAIN,
    DEMO_SIGN_INS,
    MAXIMUM_STAFF_COUNT,
    DemoSignIn,
    build_plan,
    minimum_staff_count,
)
from accounts.demo.seed import DEMO_PASSWORD, MissingReferenceDataError, SeedResult, seed_demo

__all__ = [
    "DEFAULT_STAFF_COUNT",
    "DEMO_EMAIL_DOMAIN",
    "DEMO_PASSWORD",
    "DEMO_SIGN_INS",
    "MAXIMUM_STAFF_COUNT",
    "DemoSignIn",
    "MissingReferenceDataError",
    "SeedResult",
    "build_plan",
    "minimum_staff_count",
    "seed_demo",
]
