import math

import pytest

from reporting.likelihood import GroupCounts, display, relative_likelihood


def test_worked_example_white_compared_with_bme_shortlisting():
    white = GroupCounts(eligible=500, achieved=100)
    bme = GroupCounts(eligible=200, achieved=20)

    result = relative_likelihood(group_a=white, group_b=bme)

    # Worked by hand: rates 100/500 = 0.20 and 20/200 = 0.10, so RL = 2.00.
    # SE = sqrt(1/100 - 1/500 + 1/20 - 1/200) = sqrt(0.010 - 0.002 + 0.050 - 0.005) = sqrt(0.053)
    #    = 0.230217; 1.96 * SE = 0.451226; ln 2 = 0.693147.
    # Lower = exp(0.693147 - 0.451226) = exp(0.241921) = 1.27369
    # Upper = exp(0.693147 + 0.451226) = exp(1.144373) = 3.14047
    assert result.value == 2.0
    assert result.lower == pytest.approx(1.27369, abs=1e-5)
    assert result.upper == pytest.approx(3.14047, abs=1e-5)
    assert result.lower == pytest.approx(math.exp(math.log(2) - 1.96 * math.sqrt(0.053)), rel=1e-12)
    assert result.upper == pytest.approx(math.exp(math.log(2) + 1.96 * math.sqrt(0.053)), rel=1e-12)
    assert result.reason is None
    assert result.is_calculated is True
    assert result.is_outside_four_fifths is True
    assert result.group_a == white
    assert result.group_b == bme
    assert result.display_value == "2.00"
    assert result.display_interval == "1.27 to 3.14"


def test_worked_example_non_disabled_compared_with_disabled():
    # 60/150 = 0.40 and 15/50 = 0.30, so RL = 0.40 / 0.30 = 1.3333...
    # SE = sqrt(1/60 - 1/150 + 1/15 - 1/50) = sqrt(0.016667 - 0.006667 + 0.066667 - 0.02) = sqrt(0.056667)
    #    = 0.238048; 1.96 * SE = 0.466574; ln(4/3) = 0.287682.
    # Lower = exp(-0.178892) = 0.83620; upper = exp(0.754256) = 2.12603.
    result = relative_likelihood(
        group_a=GroupCounts(eligible=150, achieved=60), group_b=GroupCounts(eligible=50, achieved=15)
    )

    assert result.value == pytest.approx(4 / 3, rel=1e-15)
    assert result.lower == pytest.approx(0.83620, abs=1e-5)
    assert result.upper == pytest.approx(2.12603, abs=1e-5)
    assert result.is_outside_four_fifths is True
    assert result.display_value == "1.33"
    assert result.display_interval == "0.84 to 2.13"


def test_parity_gives_one_with_an_interval_around_it():
    # 30/100 in both groups: RL = 1.00. SE = sqrt(2 * (1/30 - 1/100)) = sqrt(0.046667) = 0.216025;
    # 1.96 * SE = 0.423408; interval exp(∓0.423408) = 0.65481 to 1.52716.
    result = relative_likelihood(
        group_a=GroupCounts(eligible=100, achieved=30), group_b=GroupCounts(eligible=100, achieved=30)
    )

    assert result.value == 1.0
    assert result.lower == pytest.approx(0.65481, abs=1e-5)
    assert result.upper == pytest.approx(1.52716, abs=1e-5)
    assert result.lower * result.upper == pytest.approx(1.0, rel=1e-12)
    assert result.is_outside_four_fifths is False
    assert result.display_value == "1.00"
    assert result.display_interval == "0.65 to 1.53"


def test_below_four_fifths_is_flagged():
    # 15/100 = 0.15 against 25/100 = 0.25: RL = 0.60.
    result = relative_likelihood(
        group_a=GroupCounts(eligible=100, achieved=15), group_b=GroupCounts(eligible=100, achieved=25)
    )

    assert result.value == pytest.approx(0.6, rel=1e-15)
    assert result.is_outside_four_fifths is True
    assert result.display_value == "0.60"


@pytest.mark.parametrize(
    ("group_a", "group_b", "expected_ratio", "is_outside"),
    [
        # (6/10) / (9/12) is 0.7999999999999999 in floating point but exactly 4/5: not flagged.
        (GroupCounts(eligible=10, achieved=6), GroupCounts(eligible=12, achieved=9), 0.8, False),
        (GroupCounts(eligible=100, achieved=23), GroupCounts(eligible=100, achieved=30), 23 / 30, True),
        # (5/12) / (4/12) is 1.2500000000000002 in floating point but exactly 5/4: not flagged.
        (GroupCounts(eligible=12, achieved=5), GroupCounts(eligible=12, achieved=4), 1.25, False),
        (GroupCounts(eligible=100, achieved=26), GroupCounts(eligible=100, achieved=20), 1.3, True),
    ],
)
def test_four_fifths_band_edges_are_exact(group_a, group_b, expected_ratio, is_outside):
    result = relative_likelihood(group_a=group_a, group_b=group_b)

    assert result.value == pytest.approx(expected_ratio, rel=1e-15)
    assert result.is_outside_four_fifths is is_outside


@pytest.mark.parametrize(
    ("group_a", "group_b"),
    [
        (GroupCounts(eligible=9, achieved=5), GroupCounts(eligible=200, achieved=20)),
        (GroupCounts(eligible=500, achieved=100), GroupCounts(eligible=9, achieved=3)),
        (GroupCounts(eligible=0, achieved=0), GroupCounts(eligible=200, achieved=20)),
    ],
)
def test_not_calculated_when_a_group_is_below_the_minimum_size(group_a, group_b):
    result = relative_likelihood(group_a=group_a, group_b=group_b)

    assert result.reason == "Not calculated: fewer than 10 people in a group"
    assert result.value is None
    assert result.lower is None
    assert result.upper is None
    assert result.is_calculated is False
    assert result.is_outside_four_fifths is False
    assert result.group_a == group_a
    assert result.group_b == group_b
    assert result.display_value == "Not calculated"
    assert result.display_interval == "Not calculated"


def test_exactly_the_minimum_size_is_calculated():
    result = relative_likelihood(
        group_a=GroupCounts(eligible=10, achieved=5), group_b=GroupCounts(eligible=10, achieved=5)
    )

    assert result.value == 1.0
    assert result.reason is None


def test_minimum_size_is_configurable_and_named_in_the_reason():
    group_a = GroupCounts(eligible=20, achieved=5)
    group_b = GroupCounts(eligible=30, achieved=6)

    result = relative_likelihood(group_a=group_a, group_b=group_b, minimum_group_size=25)

    assert result.reason == "Not calculated: fewer than 25 people in a group"
    assert result.value is None


@pytest.mark.parametrize(
    ("group_a", "group_b"),
    [
        (GroupCounts(eligible=100, achieved=0), GroupCounts(eligible=100, achieved=20)),
        (GroupCounts(eligible=100, achieved=20), GroupCounts(eligible=100, achieved=0)),
        (GroupCounts(eligible=100, achieved=0), GroupCounts(eligible=100, achieved=0)),
    ],
)
def test_not_calculated_when_no_one_in_a_group_reached_the_step(group_a, group_b):
    result = relative_likelihood(group_a=group_a, group_b=group_b)

    assert result.reason == "Not calculated: no one in a group reached this step"
    assert result.value is None
    assert result.lower is None
    assert result.upper is None
    assert result.is_outside_four_fifths is False
    assert result.group_a == group_a
    assert result.group_b == group_b


def test_everyone_reaching_the_step_in_both_groups_gives_a_zero_width_interval():
    result = relative_likelihood(
        group_a=GroupCounts(eligible=40, achieved=40), group_b=GroupCounts(eligible=20, achieved=20)
    )

    assert result.value == 1.0
    assert result.lower == 1.0
    assert result.upper == 1.0


def test_group_rates():
    assert GroupCounts(eligible=500, achieved=100).rate == 0.2
    assert GroupCounts(eligible=0, achieved=0).rate is None


@pytest.mark.parametrize(
    ("eligible", "achieved", "message"),
    [
        (-1, 0, "The eligible count must be 0 or more"),
        (10, -1, "The achieved count must be 0 or more"),
        (10, 11, "The achieved count must not be more than the eligible count"),
    ],
)
def test_group_counts_reject_impossible_counts(eligible, achieved, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        GroupCounts(eligible=eligible, achieved=achieved)


@pytest.mark.parametrize(("eligible", "achieved"), [(10.0, 5), (10, "5"), (True, 0)])
def test_group_counts_reject_counts_that_are_not_whole_numbers(eligible, achieved):
    with pytest.raises(TypeError, match=r"count must be a whole number$"):
        GroupCounts(eligible=eligible, achieved=achieved)


def test_minimum_group_size_must_be_at_least_one():
    counts = GroupCounts(eligible=100, achieved=10)

    with pytest.raises(ValueError, match=r"^The minimum group size must be 1 or more$"):
        relative_likelihood(group_a=counts, group_b=counts, minimum_group_size=0)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (2.0, "2.00"),
        (1.2736939425062084, "1.27"),
        (3.1404718720176397, "3.14"),
        (2.005, "2.01"),
        (0.125, "0.13"),
        (0.994, "0.99"),
        (0.995, "1.00"),
        (None, "Not calculated"),
    ],
)
def test_display_rounds_to_two_decimal_places_with_halves_up(value, shown):
    assert display(value) == shown


def test_display_leaves_stored_values_unrounded():
    result = relative_likelihood(
        group_a=GroupCounts(eligible=150, achieved=60), group_b=GroupCounts(eligible=50, achieved=15)
    )

    assert result.display_value == "1.33"
    assert result.value == 4 / 3
