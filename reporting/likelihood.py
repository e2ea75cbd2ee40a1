"""Relative likelihood, as used by the NHS Workforce Race and Disability Equality Standards.

The relative likelihood of group A compared with group B reaching a step (for example being
shortlisted) is rate(A) / rate(B), where rate = achieved / eligible. 1.00 means parity; above 1.00
means group A is more likely to reach the step.

Counts passed in here are the true, unrounded counts. Whether the result may be shown below national
level is for the disclosure-control function to decide, not this module.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# Two-sided 95% point of the standard normal distribution.
Z_95 = 1.96

# The "four-fifths" convention (29 CFR 1607.4(D), used symmetrically): a ratio below 4/5 or above 5/4
# is flagged. No NHS England text sets this band for WRES or WDES, so it is labelled as a convention.
FOUR_FIFTHS_LOWER = Fraction(4, 5)
FOUR_FIFTHS_UPPER = Fraction(5, 4)

NOT_CALCULATED = "Not calculated"


@dataclass(frozen=True, slots=True)
class GroupCounts:
    """The people in one group who could reach a step (`eligible`) and those who did (`achieved`)."""

    eligible: int
    achieved: int

    def __post_init__(self) -> None:
        for name in ("eligible", "achieved"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"The {name} count must be a whole number")
            if value < 0:
                raise ValueError(f"The {name} count must be 0 or more")
        if self.achieved > self.eligible:
            raise ValueError("The achieved count must not be more than the eligible count")

    @property
    def rate(self) -> float | None:
        """Share of eligible people who reached the step; None when no one was eligible."""
        if self.eligible == 0:
            return None
        return self.achieved / self.eligible


@dataclass(frozen=True, slots=True)
class RelativeLikelihood:
    """Relative likelihood of group A compared with group B, with both groups' counts.

    `value`, `lower` and `upper` are unrounded; they are None when the figure was not calculated,
    and `reason` then says why in words fit to show on a page.
    """

    group_a: GroupCounts
    group_b: GroupCounts
    value: float | None
    lower: float | None
    upper: float | None
    reason: str | None
    is_outside_four_fifths: bool
    """True when the ratio is below 0.80 or above 1.25: the "four-fifths" convention, not an NHS rule."""

    @property
    def is_calculated(self) -> bool:
        return self.value is not None

    @property
    def display_value(self) -> str:
        return display(self.value)

    @property
    def display_interval(self) -> str:
        if self.lower is None or self.upper is None:
            return NOT_CALCULATED
        return f"{display(self.lower)} to {display(self.upper)}"


def display(value: float | None) -> str:
    """A likelihood or rate for display, to 2 decimal places (halves rounded up), or "Not calculated"."""
    if value is None:
        return NOT_CALCULATED
    # repr gives the shortest decimal that round-trips, so 2.005 is rounded as people expect.
    return str(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def relative_likelihood(
    *, group_a: GroupCounts, group_b: GroupCounts, minimum_group_size: int = 10
) -> RelativeLikelihood:
    """The relative likelihood of group A compared with group B reaching a step, with a 95% interval.

    The interval uses the log method for a ratio of two proportions:
    SE(ln RL) = sqrt(1/a - 1/n_a + 1/b - 1/n_b), interval = exp(ln RL ± 1.96 * SE).

    Not calculated (value None, with a reason) when:
    - either group has fewer eligible people than `minimum_group_size`: rates from so few people
      swing too much to compare, and small groups risk identifying people;
    - no one in a group reached the step: the ratio is 0 or has no value, and the interval has no
      finite bound.
    """
    if isinstance(minimum_group_size, bool) or not isinstance(minimum_group_size, int):
        raise TypeError("The minimum group size must be a whole number")
    if minimum_group_size < 1:
        raise ValueError("The minimum group size must be 1 or more")

    reason = None
    if group_a.eligible < minimum_group_size or group_b.eligible < minimum_group_size:
        reason = f"{NOT_CALCULATED}: fewer than {minimum_group_size} people in a group"
    elif group_a.achieved == 0 or group_b.achieved == 0:
        reason = f"{NOT_CALCULATED}: no one in a group reached this step"
    if reason is not None:
        return RelativeLikelihood(
            group_a=group_a,
            group_b=group_b,
            value=None,
            lower=None,
            upper=None,
            reason=reason,
            is_outside_four_fifths=False,
        )

    # Exact ratio for the flag, so 0.24 / 0.30 counts as 0.80 and is not flagged by float error.
    exact_ratio = Fraction(group_a.achieved * group_b.eligible, group_a.eligible * group_b.achieved)
    log_ratio = math.log(exact_ratio)
    standard_error = math.sqrt(
        (1 / group_a.achieved - 1 / group_a.eligible) + (1 / group_b.achieved - 1 / group_b.eligible)
    )
    return RelativeLikelihood(
        group_a=group_a,
        group_b=group_b,
        value=float(exact_ratio),
        lower=math.exp(log_ratio - Z_95 * standard_error),
        upper=math.exp(log_ratio + Z_95 * standard_error),
        reason=None,
        is_outside_four_fifths=exact_ratio < FOUR_FIFTHS_LOWER or exact_ratio > FOUR_FIFTHS_UPPER,
    )
