"""The NHS Staff Survey link: importing organisations' results and comparing them with conversation coverage.

The Staff Survey is anonymous, so it can only be linked to career conversations at organisation level
(DESIGN section 6): a talent lead imports each organisation's score for a year, and the dashboard puts
it next to the share of that organisation's staff who had a conversation in the same calendar year.

The file
--------
A CSV file saved as UTF-8 (a byte order mark is fine), with a header row and one row per organisation,
year and theme::

    organisation code,year,theme,score
    RRE,2024,We are always learning,5.9
    RRE,2024,Intention to stay,6.1

Column names are matched without regard to case, spaces, underscores or punctuation, and in any order:
"organisation code" (or "org code" or "ODS code"), "year", "theme" (or "question" or "theme or
question") and "score". Other columns, such as an organisation name, are ignored.

Themes and scores
-----------------
Both themes are scores out of 10, as the Staff Survey publishes its theme and sub-theme scores for each
organisation (higher is always more favourable), so every organisation and year is on the same scale:

- "We are always learning" is People Promise element 5.
- "Intention to stay" is the "Thinking about leaving" sub-score of the Morale theme. It is built from
  the questions on thinking about leaving, looking for a new job and leaving as soon as possible, scored
  so that a higher score means fewer staff intend to leave. The questions' own results are percentages
  agreeing that they intend to leave, so they run the other way and are not accepted.

Scores are stored to 2 decimal places (rounded half up). The year is the year the survey was run
(2024 for the survey run in the autumn of 2024 and published in 2025), from 2000 to the current year.

Every row is checked before anything is saved. If any row is wrong, the problems are listed by row
number (the header is row 1) and nothing changes; otherwise new results are added and existing ones for
the same organisation, year and theme are replaced, in one transaction.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.audit import audit
from core.csv_upload import read_csv_rows
from core.models import AuditEvent
from reporting.disclosure import Cell, percentage
from reporting.models import OrganisationYearCoverage, SurveyResult, SurveyTheme

if TYPE_CHECKING:
    from reporting.dashboards import Dashboard, Filters, Section

MAX_ROWS = 10_000
MAX_ERRORS_LISTED = 50
FIRST_YEAR = 2000
SCORE_RANGE = (Decimal(0), Decimal(10))
MIN_CORRELATION_POINTS = 3
_TWO_DECIMAL_PLACES = Decimal("0.01")
_ONE_DECIMAL_PLACE = Decimal("0.1")
_NUMBER = re.compile(r"-?\d{1,3}(?:\.\d{1,10})?", re.ASCII)
_YEAR = re.compile(r"\d{4}", re.ASCII)
_CODE_SHOWN_MAX = 20

EXAMPLE = (
    "organisation code,year,theme,score\n"
    "RRE,2024,We are always learning,5.9\n"
    "RRE,2024,Intention to stay,6.1\n"
)

NO_ROWS = "The selected file has no results in it. Add a row for each organisation, year and theme"
WRONG_HEADER = "The first row of the file must be the column names organisation code, year, theme and score"
TOO_MANY_ROWS = f"The selected file must have {MAX_ROWS:,} results or fewer"
CHANGED_MEANWHILE = (
    "Someone else imported results for the same organisations at the same time, so nothing was saved. "
    "Upload the file again"
)

# Column names, after _normalise, and the column each stands for.
HEADER_NAMES: dict[str, str] = {
    "organisation code": "organisation",
    "organization code": "organisation",
    "org code": "organisation",
    "ods code": "organisation",
    "organisation ods code": "organisation",
    "year": "year",
    "survey year": "year",
    "theme": "theme",
    "question": "theme",
    "theme or question": "theme",
    "theme question": "theme",
    "score": "score",
}
COLUMNS = ("organisation", "year", "theme", "score")

# The names people use for each theme in Staff Survey files, matched after _normalise (so case and
# punctuation do not matter); each theme's value, such as "always_learning", is accepted too. The first
# name is the one the import page and the error messages use.
THEME_NAMES: dict[SurveyTheme, tuple[str, ...]] = {
    SurveyTheme.ALWAYS_LEARNING: (
        "We are always learning",
        "Always learning",
        "People Promise 5",
        "People Promise element 5",
        "People Promise 5: We are always learning",
        "People Promise element 5: We are always learning",
    ),
    SurveyTheme.INTENTION_TO_STAY: (
        "Intention to stay",
        "Thinking about leaving",
        "Morale: thinking about leaving",
        "Intention to stay (thinking about leaving)",
    ),
}


def _normalise(text: str) -> str:
    """Lower case, with every run of spaces, underscores and punctuation made one space."""
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


_THEMES_BY_NAME: dict[str, SurveyTheme] = {
    _normalise(name): theme for theme, names in THEME_NAMES.items() for name in names
}
_THEMES_BY_NAME.update({_normalise(theme.value): theme for theme in SurveyTheme})


@dataclass(frozen=True)
class ImportResult:
    """What an import did: how many results were new, changed, or already held with the same score."""

    added: int
    updated: int
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged

    @property
    def summary(self) -> str:
        """The success banner's text: "Staff Survey results imported: 4 added and 2 updated"."""
        parts = [f"{self.added} added", f"{self.updated} updated"]
        if self.unchanged:
            parts.append(f"{self.unchanged} already up to date")
        return "Staff Survey results imported: " + ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass(frozen=True)
class _Row:
    number: int
    organisation_id: int
    year: int
    theme: SurveyTheme
    score: Decimal


def _read_rows(upload) -> list[list[str]]:
    """The file's rows as lists of cells, or a ValidationError about the file as a whole."""
    return read_csv_rows(upload, max_rows=MAX_ROWS)


def _columns(header: list[str]) -> dict[str, int]:
    """Where each needed column is in the header row, or a ValidationError if one is missing or doubled."""
    positions: dict[str, int] = {}
    for position, name in enumerate(header):
        column = HEADER_NAMES.get(_normalise(name))
        if column is None:
            continue
        if column in positions:
            raise ValidationError(f"{WRONG_HEADER}. The file has more than one {column} column")
        positions[column] = position
    if set(positions) != set(COLUMNS):
        raise ValidationError(WRONG_HEADER)
    return positions


def _shown(text: str) -> str:
    """Text from the file, shortened for an error message."""
    return text if len(text) <= _CODE_SHOWN_MAX else text[: _CODE_SHOWN_MAX - 1] + "…"


def _theme_names_sentence() -> str:
    first_names = [f'"{names[0]}"' for names in THEME_NAMES.values()]
    return " or ".join(first_names)


def _check_row(number: int, cells: list[str], positions: dict[str, int], organisations: dict, this_year: int):
    """The row's errors, and the checked values when there are none."""
    errors: list[str] = []
    code, year_text, theme_text, score_text = (cells[positions[column]] for column in COLUMNS)

    organisation_id = None
    if not code:
        errors.append(f"Row {number}: enter the organisation code")
    else:
        organisation_id = organisations.get(code.upper())
        if organisation_id is None:
            errors.append(f"Row {number}: organisation {_shown(code)} is not one of your organisations")

    year = None
    if not year_text:
        errors.append(f"Row {number}: enter the year")
    elif not _YEAR.fullmatch(year_text):
        errors.append(f"Row {number}: year must be a year, like 2024")
    elif not FIRST_YEAR <= int(year_text) <= this_year:
        errors.append(f"Row {number}: year must be between {FIRST_YEAR} and {this_year}")
    else:
        year = int(year_text)

    theme = None
    if not theme_text:
        errors.append(f"Row {number}: enter the theme")
    else:
        theme = _THEMES_BY_NAME.get(_normalise(theme_text))
        if theme is None:
            shown = theme_text if len(theme_text) <= 60 else theme_text[:59] + "…"
            errors.append(
                f'Row {number}: theme "{shown}" is not one the service compares. '
                f"Use {_theme_names_sentence()}"
            )

    score = None
    if not score_text:
        errors.append(f"Row {number}: enter the score")
    elif score_text.endswith("%"):
        errors.append(f"Row {number}: score must be the score out of 10, like 6.4, not a percentage")
    elif not _NUMBER.fullmatch(score_text):
        errors.append(f"Row {number}: score must be a number, like 6.4")
    else:
        value = Decimal(score_text)
        low, high = SCORE_RANGE
        if not low <= value <= high:
            theme_part = f" for {SurveyTheme(theme).label}" if theme else ""
            errors.append(f"Row {number}: score{theme_part} must be between 0 and 10")
        else:
            score = value.quantize(_TWO_DECIMAL_PLACES, ROUND_HALF_UP)

    if errors:
        return errors, None
    return [], _Row(number, organisation_id, year, theme, score)


def survey_results_check(*, file, organisations_in_scope: QuerySet) -> list[_Row]:
    """Read and check every row of a CSV of Staff Survey results; save nothing.

    Raises a ValidationError listing the problems found (the file itself, or each row by number).
    """
    rows = _read_rows(file)
    positions = _columns([cell.strip() for cell in rows[0]])
    width = len(rows[0])
    numbered = [(number, [cell.strip() for cell in row]) for number, row in enumerate(rows[1:], start=2)]
    numbered = [(number, cells) for number, cells in numbered if any(cells)]
    if len(rows) > MAX_ROWS + 1:
        raise ValidationError(TOO_MANY_ROWS)
    if not numbered:
        raise ValidationError(NO_ROWS)

    codes = {
        cells[positions["organisation"]].upper()
        for _n, cells in numbered
        if len(cells) > positions["organisation"]
    }
    organisations = {
        code.upper(): pk
        for pk, code in organisations_in_scope.filter(code__in=codes).values_list("pk", "code")
    }
    this_year = timezone.localdate().year
    errors: list[str] = []
    checked: list[_Row] = []
    first_row_of: dict[tuple[int, int, str], int] = {}
    for number, cells in numbered:
        if any(cells[width:]):
            errors.append(f"Row {number}: there are more values than column names in the first row")
            continue
        cells = cells + [""] * (width - len(cells))
        row_errors, row = _check_row(number, cells, positions, organisations, this_year)
        if row_errors:
            errors += row_errors
            continue
        key = (row.organisation_id, row.year, row.theme)
        if key in first_row_of:
            code = cells[positions["organisation"]].upper()
            errors.append(
                f"Row {number}: organisation {code}, {row.year}, {row.theme.label} is already in row "
                f"{first_row_of[key]}"
            )
            continue
        first_row_of[key] = number
        checked.append(row)
    if errors:
        if len(errors) > MAX_ERRORS_LISTED:
            more = len(errors) - MAX_ERRORS_LISTED
            errors = [
                *errors[:MAX_ERRORS_LISTED],
                f"There {'is' if more == 1 else 'are'} {more} more {'problem' if more == 1 else 'problems'} "
                "in the file. Correct the rows listed and upload it again to see them",
            ]
        raise ValidationError(errors)
    return checked


@transaction.atomic
def import_survey_results(*, user, file, organisations_in_scope: QuerySet) -> ImportResult:
    """Check a CSV of Staff Survey results and, if every row is right, save them all in one transaction.

    `organisations_in_scope` is the talent lead's organisations (`accounts.selectors.organisations_in_scope`):
    a row for any other organisation is refused, whether or not it exists. A result already held for the
    same organisation, year and theme is replaced. Raises a ValidationError listing every problem, and
    saves nothing, if any row is wrong.
    """
    rows = survey_results_check(file=file, organisations_in_scope=organisations_in_scope)
    now = timezone.now()
    existing = {
        (result.organisation_id, result.year, result.theme): result
        for result in SurveyResult.objects.select_for_update().filter(
            organisation_id__in={row.organisation_id for row in rows},
            year__in={row.year for row in rows},
            theme__in={row.theme for row in rows},
        )
    }
    new, changed, unchanged = [], [], 0
    for row in rows:
        result = existing.get((row.organisation_id, row.year, row.theme))
        if result is None:
            new.append(
                SurveyResult(
                    organisation_id=row.organisation_id,
                    year=row.year,
                    theme=row.theme,
                    score=row.score,
                    imported_by=user,
                    imported_at=now,
                )
            )
        elif result.score != row.score:
            result.score, result.imported_by, result.imported_at = row.score, user, now
            changed.append(result)
        else:
            unchanged += 1
    try:
        with transaction.atomic():
            SurveyResult.objects.bulk_create(new, batch_size=1000)
    except IntegrityError:
        # Another import added one of these results since the check: undo everything.
        raise ValidationError(CHANGED_MEANWHILE) from None
    SurveyResult.objects.bulk_update(changed, ["score", "imported_by", "imported_at"], batch_size=1000)
    result = ImportResult(added=len(new), updated=len(changed), unchanged=unchanged)
    audit(
        actor=user,
        action=AuditEvent.Action.UPDATE,
        verb="staff_survey_results_import",
        after={"rows": result.total, "added": result.added, "updated": result.updated},
    )
    return result


# The dashboard ----------------------------------------------------------------------------------


NOTES = (
    "The Staff Survey is anonymous, so it can only be compared with conversations for whole "
    "organisations: the staff and equality filters do not apply here.",
    "Coverage for a year is the share of the organisation's staff in post on the date of the figures "
    "who had a conversation during that calendar year. The score is the organisation's result in the "
    "Staff Survey run that year, out of 10, where higher is better. Intention to stay is the "
    '"Thinking about leaving" sub-score of the Morale theme: a higher score means fewer staff are '
    "thinking about leaving.",
    "Correlation is not causation. A link between coverage and scores does not show that conversations "
    "changed the scores: other things, such as the type and size of an organisation or how it is "
    "managed, can affect both. Use it to ask questions, not to draw conclusions.",
)


@dataclass(frozen=True)
class Correlation:
    """Pearson's correlation coefficient over the points shown, or why it was not calculated."""

    points: int
    coefficient: float | None
    reason: str = ""

    @property
    def display(self) -> str:
        return "Not calculated" if self.coefficient is None else f"{self.coefficient:.2f}"


def correlation_of(points: list[tuple[str, float, float]]) -> Correlation:
    """Pearson's r between x and y of the points, "not calculated" with fewer than 3 or no spread."""
    if len(points) < MIN_CORRELATION_POINTS:
        return Correlation(
            points=len(points),
            coefficient=None,
            reason=f"there are fewer than {MIN_CORRELATION_POINTS} points to compare",
        )
    xs = [x for _label, x, _y in points]
    ys = [y for _label, _x, y in points]
    if len(set(xs)) == 1 or len(set(ys)) == 1:
        return Correlation(
            points=len(points),
            coefficient=None,
            reason="coverage or scores are the same for every point",
        )
    return Correlation(points=len(points), coefficient=statistics.correlation(xs, ys))


@dataclass(frozen=True)
class _Published:
    """One organisation's figures for one year, as they may be published."""

    organisation_id: int
    organisation: str
    year: int
    staff: Cell
    had_conversation: Cell
    coverage: Decimal | None


def _score_text(score: Decimal) -> str:
    """A score as the Staff Survey prints it: 1 decimal place, or 2 when the file gave 2."""
    if score == score.quantize(_ONE_DECIMAL_PLACE):
        return f"{score:.1f}"
    return f"{score:.2f}"


def _published_coverage(rows: list[tuple], *, is_national: bool) -> list[_Published]:
    """Coverage per organisation and year through disclosure control, ordered by organisation and year.

    Each year's organisations are protected together, as the coverage dashboard protects its
    organisation table: staff and conversations are each a breakdown of the area's total across its
    organisations, so a small organisation's counts are hidden and so is a second one, so that the
    hidden counts cannot be worked out from the area's total.
    """
    from reporting.dashboards import protect_columns

    by_year: dict[int, dict[str, dict[str, int]]] = {}
    names: dict[str, tuple[int, str]] = {}
    for organisation_id, name, year, staff, had_conversation in rows:
        # Organisations are told apart by their key, not their name, which need not be unique.
        key = str(organisation_id)
        names[key] = (organisation_id, name)
        by_year.setdefault(year, {})[key] = {"staff": staff, "had_conversation": had_conversation}
    published = []
    for year, organisations in by_year.items():
        protected = protect_columns(organisations, ["staff", "had_conversation"], is_national=is_national)
        for key in organisations:
            staff = protected["staff"].cell(key)
            had = protected["had_conversation"].cell(key)
            published.append(
                _Published(
                    organisation_id=names[key][0],
                    organisation=names[key][1],
                    year=year,
                    staff=staff,
                    had_conversation=had,
                    coverage=percentage(had, staff),
                )
            )
    published.sort(key=lambda figures: (figures.organisation, figures.organisation_id, figures.year))
    return published


def _theme_section(
    theme: SurveyTheme, published: list[_Published], scores: dict[tuple[int, int, str], Decimal]
) -> Section:
    from reporting.dashboards import NOT_SHOWN, ChartSpec, Section, Table

    label = str(theme.label)
    body = []
    points: list[tuple[str, float, float]] = []
    left_out = 0
    for figures in published:
        score = scores.get((figures.organisation_id, figures.year, theme.value))
        if score is None:
            continue
        coverage = NOT_SHOWN if figures.coverage is None else f"{figures.coverage}%"
        body.append(
            (
                figures.organisation,
                str(figures.year),
                figures.staff.display,
                figures.had_conversation.display,
                coverage,
                _score_text(score),
            )
        )
        if figures.coverage is None:
            left_out += 1
        else:
            points.append((f"{figures.organisation}, {figures.year}", float(figures.coverage), float(score)))
    slug = theme.value.replace("_", "-")
    if not body:
        return Section(
            title=label,
            intro=(
                f"There are no {label} results to compare yet: import the Staff Survey results of the "
                "organisations in this area for the years that have conversation figures."
            ),
            slug=slug,
        )
    correlation = correlation_of(points)
    intro = ["Each point is one organisation in one year."] if points else []
    if correlation.coefficient is None:
        intro.append(f"The correlation is not calculated because {correlation.reason}.")
    else:
        intro.append(
            f"The correlation coefficient (Pearson's r) is {correlation.display}, over {correlation.points} "
            "points. It runs from -1 to 1: near 1, organisations with higher coverage had higher scores; "
            "near -1, lower scores; near 0, there is no straight-line link."
        )
    if left_out:
        intro.append(
            f"{left_out} {'organisation and year is' if left_out == 1 else 'organisations and years are'} "
            "left out of the chart and the correlation because a count is hidden to protect privacy."
        )
    table = Table(
        caption=f"Conversation coverage and {label} score by organisation and year",
        header=(
            "Organisation",
            "Year",
            "Staff",
            "Had a conversation that year",
            "Coverage",
            "Score (out of 10)",
        ),
        rows=tuple(body),
        text_columns=2,
    )
    # Years differ (coverage builds up, survey scores move nationally), so each year is shown on its
    # own too: a link within a year, across organisations, is the one that matters.
    years = sorted({int(point_label.rsplit(", ", 1)[1]) for point_label, _x, _y in points})
    by_year = [
        (str(year), correlation_of([p for p in points if p[0].endswith(f", {year}")])) for year in years
    ]
    correlation_table = Table(
        caption=f"Correlation between conversation coverage and {label} score",
        header=("Years", "Correlation coefficient (Pearson's r)", "Points compared (organisation and year)"),
        rows=(
            ("All years together", correlation.display, str(correlation.points)),
            *((year, result.display, str(result.points)) for year, result in by_year),
        ),
    )
    chart = None
    if points:
        chart = ChartSpec(
            kind="scatter",
            title=f"Conversation coverage and {label} score",
            labels=(),
            series=(),
            x_title="Staff who had a conversation that year (%)",
            y_title=f"{label} score (out of 10)",
            points=tuple(points),
        )
    return Section(
        title=label,
        tables=(table, correlation_table),
        chart=chart,
        intro=" ".join(intro),
        slug=slug,
    )


def survey(filters: Filters) -> Dashboard:
    """Conversation coverage against NHS Staff Survey scores, one point per organisation and year.

    Two queries whatever the number of organisations and years: the snapshot's coverage rows for the
    organisations in the area, and their imported survey results.
    """
    # Imported here, not at the top: reporting.dashboards lists this builder in its registry.
    from reporting.dashboards import Dashboard, _within_area

    coverage_rows = list(
        _within_area(
            OrganisationYearCoverage.objects.filter(snapshot=filters.snapshot), filters.area, "organisation"
        )
        .order_by()
        .values_list("organisation_id", "organisation__name", "year", "staff", "had_conversation")
    )
    scores = {
        (organisation_id, year, theme): score
        for organisation_id, year, theme, score in _within_area(
            SurveyResult.objects.all(), filters.area, "organisation"
        )
        .order_by()
        .values_list("organisation_id", "year", "theme", "score")
    }
    published = _published_coverage(coverage_rows, is_national=filters.is_national)
    return Dashboard(
        slug="survey",
        title="Conversations and the NHS Staff Survey",
        sections=tuple(_theme_section(theme, published, scores) for theme in SurveyTheme),
        notes=NOTES,
    )
