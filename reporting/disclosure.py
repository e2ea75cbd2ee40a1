"""Statistical disclosure control: the one function every published count goes through.

The rules follow NHS Digital's secondary-care rules (domain research section 3.5, DESIGN section 6):

- At national level no disclosure control is applied: counts are exact.
- Below national level, counts from 1 to the threshold (default 7, never below 5) are shown as ``*``
  (primary suppression); 0 is shown as 0. Every other count is rounded to the nearest 5. Counts are
  whole numbers and 5 is odd, so no count is ever half-way between two multiples of 5: a remainder of
  0, 1 or 2 rounds down and 3 or 4 rounds up (12 -> 10, 13 -> 15, 8 -> 10).
- Row, column and grand totals are computed from the unrounded counts, then rounded (and suppressed
  themselves when they fall from 1 to the threshold).
- Secondary suppression: whenever a line (a row or a column, including the line of column totals and
  the line of row totals) has exactly one suppressed entry and its total is shown, the smallest
  non-zero shown entry in that line is suppressed as well, so the hidden entry cannot be worked out as
  "total minus the shown entries". If no such entry exists, the line's total is suppressed instead.
  Lines are checked in a fixed order (body rows top to bottom, body columns left to right, then the
  column totals and the row totals) and the checks repeat until nothing changes.
- Percentages are computed from the rounded values, and only when neither the part nor the whole is
  suppressed.
- Differencing: :func:`check_differencing` refuses a view whose population differs from the population
  it is compared with by 1 to threshold people.

A :class:`Cell` never holds the true count of a suppressed entry, so nothing rendered from a
:class:`ProtectedTable` or :class:`ProtectedCounts` (screens, CSV, PDF, API) can contain it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.conf import settings

SUPPRESSED_SYMBOL = "*"
MINIMUM_THRESHOLD = 5
ROUNDING_BASE = 5

_ONE_DECIMAL_PLACE = Decimal("0.1")


class Suppression(StrEnum):
    """Why a cell is not shown. Kept for auditing and tests; never rendered."""

    PRIMARY = "primary"
    SECONDARY = "secondary"


class DisclosureRefused(Exception):
    """A requested view would let someone work out a small number of people by differencing."""


@dataclass(frozen=True, slots=True)
class Cell:
    """One published count: either a shown (rounded, or exact at national level) value or ``*``.

    A suppressed cell keeps only the reason, never the true count.
    """

    value: int | None
    suppression: Suppression | None = None

    def __post_init__(self) -> None:
        if (self.value is None) == (self.suppression is None):
            raise ValueError("A cell is either shown with a value or suppressed with a reason, not both")

    @classmethod
    def shown(cls, value: int) -> Cell:
        return cls(value=value)

    @classmethod
    def suppressed(cls, reason: Suppression) -> Cell:
        return cls(value=None, suppression=reason)

    @property
    def is_suppressed(self) -> bool:
        return self.suppression is not None

    @property
    def display(self) -> str:
        """The text to publish: the value, or ``*`` when suppressed."""
        return SUPPRESSED_SYMBOL if self.value is None else str(self.value)

    def __str__(self) -> str:
        return self.display


def percentage(part: Cell, whole: Cell) -> Decimal | None:
    """Return ``part`` as a percentage of ``whole`` to one decimal place (half up), or ``None``.

    ``None`` means "not shown": either value is suppressed, or the whole is 0.
    """
    if part.value is None or whole.value is None or whole.value == 0:
        return None
    return (Decimal(part.value) * 100 / Decimal(whole.value)).quantize(_ONE_DECIMAL_PLACE, ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class CountTable:
    """The true counts to publish: a 2-D table with labelled rows and columns."""

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        if not self.row_labels or not self.column_labels:
            raise ValueError("A table needs at least one row and one column")
        if len(set(self.row_labels)) != len(self.row_labels):
            raise ValueError("Row labels must be unique")
        if len(set(self.column_labels)) != len(self.column_labels):
            raise ValueError("Column labels must be unique")
        if len(self.counts) != len(self.row_labels):
            raise ValueError("The table must have one row of counts for each row label")
        for row in self.counts:
            if len(row) != len(self.column_labels):
                raise ValueError("Each row of counts must have one count for each column label")
            for count in row:
                _require_count(count)

    @classmethod
    def from_rows(
        cls, *, row_labels: Sequence[str], column_labels: Sequence[str], counts: Sequence[Sequence[int]]
    ) -> CountTable:
        return cls(
            row_labels=tuple(row_labels),
            column_labels=tuple(column_labels),
            counts=tuple(tuple(row) for row in counts),
        )


@dataclass(frozen=True, slots=True)
class ProtectedTable:
    """A table after disclosure control, safe to publish as it stands."""

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...]
    grand_total: Cell
    is_national: bool

    def cell(self, row_label: str, column_label: str) -> Cell:
        return self.cells[self.row_labels.index(row_label)][self.column_labels.index(column_label)]

    def row_total(self, row_label: str) -> Cell:
        return self.row_totals[self.row_labels.index(row_label)]

    def column_total(self, column_label: str) -> Cell:
        return self.column_totals[self.column_labels.index(column_label)]

    def row_percentage(self, row_label: str, column_label: str) -> Decimal | None:
        """The cell as a percentage of its row total, or ``None`` when it must not be shown."""
        return percentage(self.cell(row_label, column_label), self.row_total(row_label))

    def column_percentage(self, row_label: str, column_label: str) -> Decimal | None:
        """The cell as a percentage of its column total, or ``None`` when it must not be shown."""
        return percentage(self.cell(row_label, column_label), self.column_total(column_label))

    def as_rows(self, *, total_label: str = "Total") -> list[list[str]]:
        """The whole table as text, with a header row and totals, ready for CSV, PDF or a page."""
        rows = [["", *self.column_labels, total_label]]
        for label, cells, total in zip(self.row_labels, self.cells, self.row_totals, strict=True):
            rows.append([label, *(cell.display for cell in cells), total.display])
        rows.append([total_label, *(cell.display for cell in self.column_totals), self.grand_total.display])
        return rows


@dataclass(frozen=True, slots=True)
class ProtectedCounts:
    """A one-dimensional breakdown after disclosure control."""

    labels: tuple[str, ...]
    cells: tuple[Cell, ...]
    total: Cell
    is_national: bool

    def cell(self, label: str) -> Cell:
        return self.cells[self.labels.index(label)]

    def percentage(self, label: str) -> Decimal | None:
        """The count as a percentage of the total, or ``None`` when it must not be shown."""
        return percentage(self.cell(label), self.total)


def protect_table(
    table: CountTable, *, threshold: int | None = None, is_national: bool = False
) -> ProtectedTable:
    """Apply disclosure control to ``table`` and return what may be published.

    ``threshold`` defaults to ``settings.DISCLOSURE_THRESHOLD`` and must be at least 5.
    ``is_national`` publishes exact counts with no suppression (NHS Digital's national-level rule).
    """
    return _protect(table, totals_override=None, threshold=threshold, is_national=is_national)


def protect_counts(
    counts: Mapping[str, int],
    *,
    total: int | None = None,
    threshold: int | None = None,
    is_national: bool = False,
) -> ProtectedCounts:
    """Apply disclosure control to a one-dimensional breakdown (a one-row table).

    ``total`` is the whole population when it is larger than the sum of the breakdown (for example
    people who chose not to say); by default it is the sum of the counts.
    """
    table = CountTable(row_labels=("",), column_labels=tuple(counts), counts=(tuple(counts.values()),))
    if total is not None:
        _require_count(total)
        if total < sum(counts.values()):
            raise ValueError("The total cannot be smaller than the sum of the counts")
    protected = _protect(table, totals_override=total, threshold=threshold, is_national=is_national)
    return ProtectedCounts(
        labels=protected.column_labels,
        cells=protected.cells[0],
        total=protected.row_totals[0],
        is_national=is_national,
    )


def check_differencing(population_a: int, population_b: int, *, threshold: int | None = None) -> None:
    """Refuse two views whose populations differ by 1 to ``threshold`` people.

    Call it below national level whenever a filtered view is published next to, or after, the view
    it narrows (for example "all staff in the trust" and "all staff in the trust except one small
    team"): pass both population sizes before protecting the filtered view's counts, and show the
    exception's message instead of the view when it is raised. The message never states the
    difference, which is itself the small number being protected.
    """
    limit = resolve_threshold(threshold)
    _require_count(population_a)
    _require_count(population_b)
    if 0 < abs(population_a - population_b) <= limit:
        raise DisclosureRefused(
            "This view cannot be shown because it differs from the wider view by too few people, "
            "which could identify individuals. Choose a broader filter."
        )


def resolve_threshold(threshold: int | None) -> int:
    """Return the threshold to use, from the argument or the setting, refusing values below 5."""
    value = settings.DISCLOSURE_THRESHOLD if threshold is None else threshold
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("The disclosure threshold must be a whole number")
    if value < MINIMUM_THRESHOLD:
        raise ValueError(f"The disclosure threshold must be {MINIMUM_THRESHOLD} or more")
    return value


def round_to_base(count: int) -> int:
    """Round a whole number to the nearest 5 (a remainder of 3 or 4 rounds up; there are no ties)."""
    return ROUNDING_BASE * ((count + ROUNDING_BASE // 2) // ROUNDING_BASE)


def _require_count(count: object) -> None:
    if isinstance(count, bool) or not isinstance(count, int):
        raise ValueError("Counts must be whole numbers")
    if count < 0:
        raise ValueError("Counts cannot be negative")


type _Position = tuple[int, int]


def _protect(
    table: CountTable, *, totals_override: int | None, threshold: int | None, is_national: bool
) -> ProtectedTable:
    limit = resolve_threshold(threshold)
    row_count, column_count = len(table.row_labels), len(table.column_labels)

    # One grid holds the body and its margins: column `column_count` is the row totals, row
    # `row_count` the column totals, and the corner the grand total. Every margin entry is then the
    # total of its line, so one rule covers the body and the margins.
    grid = [[*row, sum(row)] for row in table.counts]
    grid.append([sum(row[column] for row in grid) for column in range(column_count + 1)])
    if totals_override is not None:
        # Only used for one-row tables: the row total and the grand total are the given population.
        grid[0][column_count] = grid[row_count][column_count] = totals_override

    if is_national:
        return _build(table, grid, suppressed={}, publish=lambda count: count, is_national=True)

    suppressed: dict[_Position, Suppression] = {
        (row, column): Suppression.PRIMARY
        for row in range(row_count + 1)
        for column in range(column_count + 1)
        if 1 <= grid[row][column] <= limit
    }
    _suppress_secondary(grid, suppressed, row_count=row_count, column_count=column_count)
    return _build(table, grid, suppressed=suppressed, publish=round_to_base, is_national=False)


def _suppress_secondary(
    grid: list[list[int]], suppressed: dict[_Position, Suppression], *, row_count: int, column_count: int
) -> None:
    def row_line(row: int) -> tuple[list[_Position], _Position]:
        return [(row, column) for column in range(column_count)], (row, column_count)

    def column_line(column: int) -> tuple[list[_Position], _Position]:
        return [(row, column) for row in range(row_count)], (row_count, column)

    # Body rows, body columns, then the column totals and the row totals: margins are given up last.
    lines = [
        *(row_line(row) for row in range(row_count)),
        *(column_line(column) for column in range(column_count)),
        row_line(row_count),
        column_line(column_count),
    ]

    changed = True
    while changed:
        changed = False
        for members, total in lines:
            if total in suppressed:
                continue
            if sum(1 for position in members if position in suppressed) != 1:
                continue
            candidates = [p for p in members if p not in suppressed and grid[p[0]][p[1]] > 0]
            target = min(candidates, key=lambda p: (grid[p[0]][p[1]], p)) if candidates else total
            suppressed[target] = Suppression.SECONDARY
            changed = True


def _build(
    table: CountTable,
    grid: list[list[int]],
    *,
    suppressed: Mapping[_Position, Suppression],
    publish: Callable[[int], int],
    is_national: bool,
) -> ProtectedTable:
    def cell(row: int, column: int) -> Cell:
        reason = suppressed.get((row, column))
        if reason is not None:
            return Cell.suppressed(reason)
        return Cell.shown(publish(grid[row][column]))

    row_count, column_count = len(table.row_labels), len(table.column_labels)
    return ProtectedTable(
        row_labels=table.row_labels,
        column_labels=table.column_labels,
        cells=tuple(tuple(cell(row, column) for column in range(column_count)) for row in range(row_count)),
        row_totals=tuple(cell(row, column_count) for row in range(row_count)),
        column_totals=tuple(cell(row_count, column) for column in range(column_count)),
        grand_total=cell(row_count, column_count),
        is_national=is_national,
    )
