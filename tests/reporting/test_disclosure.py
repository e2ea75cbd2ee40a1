"""Disclosure control: hand-worked tables and properties that hold for any small table."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from reporting.disclosure import (
    Cell,
    CountTable,
    DisclosureRefused,
    ProtectedTable,
    Suppression,
    check_differencing,
    percentage,
    protect_counts,
    protect_table,
)


def table(rows: dict[str, list[int]], columns: list[str]) -> CountTable:
    return CountTable.from_rows(row_labels=list(rows), column_labels=columns, counts=list(rows.values()))


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0"), (1, "*"), (7, "*"), (8, "10"), (12, "10"), (13, "15"), (15, "15"), (17, "15"), (18, "20")],
)
def test_counts_are_suppressed_up_to_seven_and_otherwise_rounded_to_nearest_five(count, expected):
    protected = protect_counts({"Band 5": count}, threshold=7)

    assert protected.cell("Band 5").display == expected
    assert protected.total.display == expected


def test_boundary_counts_in_one_breakdown_with_total_from_unrounded_counts():
    counts = {"zero": 0, "one": 1, "seven": 7, "eight": 8, "twelve": 12, "thirteen": 13, "fifteen": 15}

    protected = protect_counts(counts, threshold=7)

    assert [cell.display for cell in protected.cells] == ["0", "*", "*", "10", "10", "15", "15"]
    assert [cell.suppression for cell in protected.cells] == [
        None,
        Suppression.PRIMARY,
        Suppression.PRIMARY,
        None,
        None,
        None,
        None,
    ]
    # 56 people in all, rounded to 55; the rounded cells would add up to 50.
    assert protected.total.display == "55"


def test_totals_are_computed_from_unrounded_counts_then_rounded():
    protected = protect_table(
        table({"Trust A": [12, 12], "Trust B": [12, 9]}, ["Ready now", "Ready later"]), threshold=7
    )

    assert protected.as_rows() == [
        ["", "Ready now", "Ready later", "Total"],
        ["Trust A", "10", "10", "25"],
        ["Trust B", "10", "10", "20"],
        ["Total", "25", "20", "45"],
    ]


def test_a_total_in_the_suppression_range_is_suppressed():
    protected = protect_counts({"Asian": 3, "Black": 2}, threshold=7)

    assert protected.total == Cell.suppressed(Suppression.PRIMARY)
    assert [cell.display for cell in protected.cells] == ["*", "*"]


def test_secondary_suppression_in_a_row_hides_the_next_smallest_count():
    protected = protect_counts({"Disabled": 4, "Not stated": 9, "Not disabled": 30}, threshold=7)

    assert [cell.display for cell in protected.cells] == ["*", "*", "30"]
    assert protected.cell("Not stated").suppression == Suppression.SECONDARY
    assert protected.total.display == "45"


def test_secondary_suppression_iterates_through_columns_and_rows():
    protected = protect_table(
        table({"Band 5": [5, 40], "Band 6": [20, 30], "Band 7": [26, 37]}, ["BME", "White"]), threshold=7
    )

    # Band 5 BME is primary; Band 5 White hides it in its row; that leaves White with one hidden cell,
    # so Band 6 White goes too; that leaves Band 6 with one, so Band 6 BME goes as well.
    assert protected.as_rows() == [
        ["", "BME", "White", "Total"],
        ["Band 5", "*", "*", "45"],
        ["Band 6", "*", "*", "50"],
        ["Band 7", "25", "35", "65"],
        ["Total", "50", "105", "160"],
    ]
    assert protected.cell("Band 5", "BME").suppression == Suppression.PRIMARY
    assert protected.cell("Band 5", "White").suppression == Suppression.SECONDARY
    assert protected.cell("Band 6", "White").suppression == Suppression.SECONDARY
    assert protected.cell("Band 6", "BME").suppression == Suppression.SECONDARY


def test_secondary_suppression_reaches_the_margins_when_the_body_cannot_protect_a_cell():
    protected = protect_table(table({"A": [3, 12, 20], "B": [0, 8, 13]}, ["X", "Y", "Z"]), threshold=7)

    assert protected.as_rows() == [
        ["", "X", "Y", "Z", "Total"],
        ["A", "*", "*", "*", "35"],
        ["B", "0", "*", "*", "20"],
        ["Total", "*", "*", "35", "55"],
    ]
    # Column X's total is 3 (primary); hiding it left one hidden column total, so Y's went too.
    assert protected.column_total("X").suppression == Suppression.PRIMARY
    assert protected.column_total("Y").suppression == Suppression.SECONDARY


def test_percentages_come_from_rounded_values():
    protected = protect_counts({"Female": 12, "Male": 26}, threshold=7)

    # Rounded: 10 of 40 and 25 of 40 (the true shares are 31.6% and 68.4%).
    assert protected.percentage("Female") == Decimal("25.0")
    assert protected.percentage("Male") == Decimal("62.5")


def test_percentages_are_withheld_when_the_part_or_the_whole_is_suppressed():
    protected = protect_table(table({"Trust A": [3, 20], "Trust B": [2, 3]}, ["BME", "White"]), threshold=7)

    assert protected.row_percentage("Trust A", "BME") is None  # part suppressed
    assert protected.row_percentage("Trust A", "White") is None  # secondary: the part is hidden too
    assert protected.row_total("Trust B").display == "*"
    assert protected.row_percentage("Trust B", "White") is None  # whole suppressed
    assert protected.column_percentage("Trust A", "White") is None


def test_percentage_of_a_zero_whole_is_not_shown():
    assert percentage(Cell.shown(0), Cell.shown(0)) is None
    assert percentage(Cell.shown(5), Cell.shown(15)) == Decimal("33.3")
    assert percentage(Cell.shown(10), Cell.shown(15)) == Decimal("66.7")


def test_national_level_publishes_exact_counts():
    protected = protect_table(table({"England": [3, 12, 0]}, ["Asian", "Black", "Mixed"]), is_national=True)

    assert protected.as_rows() == [
        ["", "Asian", "Black", "Mixed", "Total"],
        ["England", "3", "12", "0", "15"],
        ["Total", "3", "12", "0", "15"],
    ]
    assert protected.row_percentage("England", "Asian") == Decimal("20.0")


@pytest.mark.parametrize("threshold", [4, 0, -1])
def test_threshold_below_five_is_refused(threshold):
    with pytest.raises(ValueError, match="The disclosure threshold must be 5 or more"):
        protect_counts({"a": 20}, threshold=threshold)


def test_threshold_below_five_in_settings_is_refused(settings):
    settings.DISCLOSURE_THRESHOLD = 3

    with pytest.raises(ValueError, match="The disclosure threshold must be 5 or more"):
        protect_counts({"a": 20})


def test_threshold_of_ten_suppresses_up_to_ten():
    protected = protect_counts({"a": 8, "b": 10, "c": 11, "d": 0}, total=40, threshold=10)

    assert [cell.display for cell in protected.cells] == ["*", "*", "10", "0"]
    assert protected.total.display == "40"


def test_threshold_defaults_to_the_setting(settings):
    settings.DISCLOSURE_THRESHOLD = 10

    assert protect_counts({"a": 9, "b": 9, "c": 30}).cells[0].display == "*"
    settings.DISCLOSURE_THRESHOLD = 7
    assert protect_counts({"a": 9, "b": 9, "c": 30}).cells[0].display == "10"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: protect_counts({"a": -1}), "Counts cannot be negative"),
        (lambda: protect_counts({"a": 2.5}), "Counts must be whole numbers"),
        (lambda: protect_counts({"a": True}), "Counts must be whole numbers"),
        (
            lambda: protect_counts({"a": 10}, total=9),
            "The total cannot be smaller than the sum of the counts",
        ),
        (lambda: table({"A": [1, 2]}, ["X"]), "one count for each column label"),
        (lambda: table({"A": [1]}, []), "at least one row and one column"),
        (
            lambda: CountTable.from_rows(row_labels=["A", "A"], column_labels=["X"], counts=[[1], [2]]),
            "unique",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_a_suppressed_cell_holds_no_value():
    protected = protect_counts({"a": 6, "b": 20, "c": 20}, threshold=7)

    assert protected.cell("a") == Cell(value=None, suppression=Suppression.PRIMARY)
    assert str(protected.cell("a")) == "*"
    assert "6" not in repr(protected.cell("a"))


def test_a_cell_cannot_be_both_shown_and_suppressed():
    with pytest.raises(ValueError, match="either shown with a value or suppressed"):
        Cell(value=5, suppression=Suppression.PRIMARY)


@pytest.mark.parametrize(("population_a", "population_b"), [(100, 97), (97, 100), (100, 93), (8, 1)])
def test_differencing_by_one_to_threshold_people_is_refused(population_a, population_b):
    with pytest.raises(DisclosureRefused, match="differs from the wider view by too few people") as raised:
        check_differencing(population_a, population_b, threshold=7)

    assert str(abs(population_a - population_b)) not in str(raised.value)


@pytest.mark.parametrize(("population_a", "population_b"), [(100, 100), (100, 92), (0, 0), (20, 5)])
def test_differencing_by_none_or_more_than_threshold_people_is_allowed(population_a, population_b):
    assert check_differencing(population_a, population_b, threshold=7) is None


def test_differencing_uses_the_threshold_setting(settings):
    settings.DISCLOSURE_THRESHOLD = 10

    with pytest.raises(DisclosureRefused):
        check_differencing(100, 90)
    check_differencing(100, 89)


def test_differencing_refuses_a_threshold_below_five():
    with pytest.raises(ValueError, match="5 or more"):
        check_differencing(100, 99, threshold=4)


# Property-based tests: whatever the table, no count from 1 to the threshold can be read or derived.

thresholds = st.sampled_from([5, 7, 10])


@st.composite
def count_tables(draw) -> CountTable:
    row_count = draw(st.integers(min_value=1, max_value=5))
    column_count = draw(st.integers(min_value=1, max_value=5))
    counts = draw(
        st.lists(
            st.lists(st.integers(min_value=0, max_value=60), min_size=column_count, max_size=column_count),
            min_size=row_count,
            max_size=row_count,
        )
    )
    return CountTable.from_rows(
        row_labels=[f"row {index}" for index in range(row_count)],
        column_labels=[f"column {index}" for index in range(column_count)],
        counts=counts,
    )


def published_with_truth(source: CountTable, protected: ProtectedTable) -> list[tuple[int, Cell]]:
    """Every published entry (cells and all totals) beside the true count it stands for."""
    row_totals = [sum(row) for row in source.counts]
    column_totals = [sum(column) for column in zip(*source.counts, strict=True)]
    pairs = [
        (count, cell)
        for counts, cells in zip(source.counts, protected.cells, strict=True)
        for count, cell in zip(counts, cells, strict=True)
    ]
    pairs += zip(row_totals, protected.row_totals, strict=True)
    pairs += zip(column_totals, protected.column_totals, strict=True)
    pairs.append((sum(row_totals), protected.grand_total))
    return pairs


@hypothesis_settings(max_examples=300, deadline=None)
@given(source=count_tables(), threshold=thresholds)
def test_every_shown_entry_is_zero_or_a_multiple_of_five(source, threshold):
    protected = protect_table(source, threshold=threshold)

    for _, cell in published_with_truth(source, protected):
        assert cell.is_suppressed or cell.value % 5 == 0


@hypothesis_settings(max_examples=300, deadline=None)
@given(source=count_tables(), threshold=thresholds)
def test_no_count_from_one_to_threshold_is_ever_shown(source, threshold):
    protected = protect_table(source, threshold=threshold)

    for true_count, cell in published_with_truth(source, protected):
        if 1 <= true_count <= threshold:
            assert cell.is_suppressed
            assert cell.display == "*"
        else:
            assert cell.display in {"*", "0"} or cell.value > 0


@hypothesis_settings(max_examples=300, deadline=None)
@given(source=count_tables(), threshold=thresholds)
def test_no_line_has_exactly_one_suppressed_entry_while_its_total_is_shown(source, threshold):
    protected = protect_table(source, threshold=threshold)

    lines = [(cells, total) for cells, total in zip(protected.cells, protected.row_totals, strict=True)]
    lines += zip(zip(*protected.cells, strict=True), protected.column_totals, strict=True)
    lines.append((protected.column_totals, protected.grand_total))
    lines.append((protected.row_totals, protected.grand_total))
    for cells, total in lines:
        if not total.is_suppressed:
            assert sum(cell.is_suppressed for cell in cells) != 1


@hypothesis_settings(max_examples=300, deadline=None)
@given(source=count_tables(), threshold=thresholds)
def test_output_never_contains_a_small_true_count(source, threshold):
    protected = protect_table(source, threshold=threshold)

    for true_count, cell in published_with_truth(source, protected):
        if 1 <= true_count <= threshold:
            assert cell.value is None
            assert str(true_count) != cell.display
    # The rendered table (what CSV, PDF and pages publish) shows "*" wherever the truth is small.
    true_rows = [[*row, sum(row)] for row in source.counts]
    true_rows.append([sum(column) for column in zip(*true_rows, strict=True)])
    for true_row, rendered_row in zip(true_rows, protected.as_rows()[1:], strict=True):
        for true_count, text in zip(true_row, rendered_row[1:], strict=True):
            if 1 <= true_count <= threshold:
                assert text == "*"
    for row_label in protected.row_labels:
        for column_label in protected.column_labels:
            for share, whole in (
                (protected.row_percentage(row_label, column_label), protected.row_total(row_label)),
                (protected.column_percentage(row_label, column_label), protected.column_total(column_label)),
            ):
                if share is not None:
                    assert not protected.cell(row_label, column_label).is_suppressed
                    assert not whole.is_suppressed


@hypothesis_settings(max_examples=200, deadline=None)
@given(source=count_tables())
def test_national_level_is_exact(source):
    protected = protect_table(source, threshold=7, is_national=True)

    for true_count, cell in published_with_truth(source, protected):
        assert cell == Cell.shown(true_count)
