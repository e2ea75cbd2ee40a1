"""The talent dashboards: what each shows, built from the summary tables through disclosure control.

Each builder takes the `Filters` (area, snapshot, staff filter, equality breakdown, cohort) and returns a
`Dashboard`: sections of tables already protected by `reporting.disclosure` (cells are text: a rounded
count, `*`, or a percentage only where both parts are shown) and chart specifications drawn from the
same protected values. The page, the CSV and the PDF all render this one object, so nothing leaves the
service that has not been through the one disclosure function.

Every builder makes a fixed number of queries whatever the size of the workforce: each reads indexed
rows of one snapshot and one area from the summary tables.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from accounts.models import Organisation, PayBand, StaffGroup
from conversations.models import (
    AspirationTimeframe,
    BarrierType,
    CriticalRole,
    DevelopmentAction,
    FrameworkVersion,
    GrowthCategory,
    ImpactLevel,
    Readiness,
)
from hps.models import Cohort
from reporting.disclosure import (
    CountTable,
    DisclosureRefused,
    ProtectedCounts,
    check_differencing,
    percentage,
    protect_counts,
    protect_table,
)
from reporting.groups import BREAKDOWNS, GROUPINGS, _lower_first
from reporting.likelihood import GroupCounts, relative_likelihood
from reporting.models import (
    AreaLevel,
    DistributionCube,
    HpsFunnelCube,
    Snapshot,
    StaffCube,
    SuccessionCube,
    TalentPoolCube,
)
from reporting.scope import Area
from reporting.snapshots import month_ends
from reporting.templatetags.reporting_tables import figure

ALL = "all"
TREND_SNAPSHOTS = 12
# A line chart stays readable (and within the chart library's colours) with up to 5 groups and the total.
MAX_TREND_GROUPS = 5
NOT_SHOWN = "Not shown"

# The equality breakdowns offered in the filter, in the order people expect.
BREAKDOWN_CHOICES: tuple[tuple[str, str], ...] = (
    ("wres_ethnic_group", GROUPINGS["wres_ethnic_group"].label),
    ("ethnic_category", "Ethnic group (NHS categories)"),
    ("wdes_disability", GROUPINGS["wdes_disability"].label),
    ("disability", BREAKDOWNS["disability"].label),
    ("sex", BREAKDOWNS["sex"].label),
    ("gender_identity", BREAKDOWNS["gender_identity"].label),
    ("gender_same_as_birth", BREAKDOWNS["gender_same_as_birth"].label),
    ("sexual_orientation", BREAKDOWNS["sexual_orientation"].label),
    ("religion_group", BREAKDOWNS["religion_group"].label),
    ("age_group", GROUPINGS["age_group"].label),
    ("age_band", BREAKDOWNS["age_band"].label),
)
DEFAULT_BREAKDOWN = "wres_ethnic_group"

# The group every other group is compared with in relative-likelihood tables. WRES compares White with
# BME staff and WDES non-disabled with disabled staff; elsewhere the largest stated group is used.
_REFERENCE_GROUPS = {"wres_ethnic_group": "white", "wdes_disability": "non_disabled"}
# Answers that say nothing about the person's group: never a comparison group.
_UNSTATED_LABELS = frozenset({"Prefer not to say", "Not known", "Not known or not stated"})


def breakdown_groups(breakdown: str) -> tuple[tuple[str, str], ...]:
    """The (code, label) pairs of a breakdown, in display order."""
    if breakdown in GROUPINGS:
        return tuple((str(code), str(label)) for code, label in GROUPINGS[breakdown].groups.choices)
    return BREAKDOWNS[breakdown].choices


def breakdown_label(breakdown: str) -> str:
    return dict(BREAKDOWN_CHOICES)[breakdown]


# Output shapes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A published table: the header row and body rows, every cell already text."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    footer: tuple[str, ...] | None = None
    #: How many leading columns hold words rather than figures (the row heading at least).
    text_columns: int = 1

    def as_rows(self) -> list[list[str]]:
        rows = [list(self.header), *(list(row) for row in self.rows)]
        if self.footer:
            rows.append(list(self.footer))
        return rows


@dataclass(frozen=True)
class ChartSpec:
    """What to draw: values are the published (protected) numbers, None where not shown."""

    kind: str  # "bar", "line" or "scatter"
    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    unit: str = "%"
    x_title: str = ""
    y_title: str = ""
    points: tuple[tuple[str, float, float], ...] = ()


@dataclass(frozen=True)
class Section:
    title: str
    tables: tuple[Table, ...] = ()
    chart: ChartSpec | None = None
    intro: str = ""
    refused: str = ""
    slug: str = ""


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Filters:
    area: Area
    snapshot: Snapshot
    dimension: str = ALL
    dimension_key: str = ""
    dimension_label: str = "All staff"
    breakdown: str = DEFAULT_BREAKDOWN
    cohort: Cohort | None = None

    @property
    def is_national(self) -> bool:
        return self.area.is_national

    def as_parameters(self) -> dict[str, str]:
        """The filter as query-string values, to rebuild it for an export."""
        staff = "" if self.dimension == ALL else f"{self.dimension}:{self.dimension_key}"
        return {
            "area": self.area.key,
            "period": self.snapshot.as_of.isoformat(),
            "staff": staff,
            "breakdown": self.breakdown,
            "cohort": str(self.cohort.pk) if self.cohort else "",
        }


# Shared helpers ----------------------------------------------------------------------------------


def _area_filter(filters: Filters) -> dict:
    return {"snapshot": filters.snapshot, "area_level": filters.area.level, "area_id": filters.area.pk}


def _percent(value: Decimal | None) -> str:
    return NOT_SHOWN if value is None else f"{value}%"


def _chart_value(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class MeasureColumn:
    """One count column of a measure table, optionally followed by its percentage of another column."""

    measure: str
    label: str
    percent_of: str | None = None
    percent_label: str = ""


def protect_columns(
    rows: Mapping[str, Mapping[str, int]], measures: Sequence[str], *, is_national: bool
) -> dict[str, ProtectedCounts]:
    """Protect each measure as a one-dimensional breakdown over the rows (with its own total)."""
    return {
        measure: protect_counts(
            {label: values.get(measure, 0) for label, values in rows.items()}, is_national=is_national
        )
        for measure in measures
    }


def measure_table(
    caption: str,
    row_header: str,
    rows: Mapping[str, Mapping[str, int]],
    columns: Sequence[MeasureColumn],
    *,
    is_national: bool,
    protected: Mapping[str, ProtectedCounts] | None = None,
) -> tuple[Table, dict[str, ProtectedCounts]]:
    """A table of counts (and percentages) by row, every column through disclosure control."""
    needed = {column.measure for column in columns} | {c.percent_of for c in columns if c.percent_of}
    protected = dict(protected or {})
    protected.update(
        protect_columns(rows, sorted(needed - set(protected)), is_national=is_national) if rows else {}
    )
    header = [row_header]
    for column in columns:
        header.append(column.label)
        if column.percent_of:
            header.append(column.percent_label)
    body = []
    for label in rows:
        line = [label]
        for column in columns:
            cell = protected[column.measure].cell(label)
            line.append(cell.display)
            if column.percent_of:
                line.append(_percent(percentage(cell, protected[column.percent_of].cell(label))))
        body.append(tuple(line))
    footer = None
    if rows:
        footer = ["Total"]
        for column in columns:
            total = protected[column.measure].total
            footer.append(total.display)
            if column.percent_of:
                footer.append(_percent(percentage(total, protected[column.percent_of].total)))
        footer = tuple(footer)
    return Table(caption=caption, header=tuple(header), rows=tuple(body), footer=footer), protected


def rate_series(
    rows: Sequence[str], protected: Mapping[str, ProtectedCounts], measure: str, of: str
) -> tuple[float | None, ...]:
    return tuple(
        _chart_value(percentage(protected[measure].cell(label), protected[of].cell(label))) for label in rows
    )


def _reference_group(breakdown: str, populations: Mapping[str, int]) -> str | None:
    if breakdown in _REFERENCE_GROUPS:
        return _REFERENCE_GROUPS[breakdown]
    stated = {code: size for code, size in populations.items() if _is_stated(breakdown, code)}
    if not stated:
        return None
    return max(stated, key=lambda code: (stated[code], code))


def _is_stated(breakdown: str, code: str) -> bool:
    return dict(breakdown_groups(breakdown)).get(code) not in _UNSTATED_LABELS


@dataclass(frozen=True)
class Step:
    label: str
    eligible: str
    achieved: str


def likelihood_table(
    caption: str,
    breakdown: str,
    groups: Mapping[str, Mapping[str, int]],
    steps: Sequence[Step],
    *,
    is_national: bool,
) -> Table | None:
    """Relative likelihood of the reference group compared with each other stated group, per step.

    Counts are published through disclosure control; a likelihood is shown only when all four counts
    it comes from are shown (never from a suppressed part), and is computed from the true counts.
    """
    labels = dict(breakdown_groups(breakdown))
    reference = _reference_group(
        breakdown, {code: values.get(steps[0].eligible, 0) for code, values in groups.items()}
    )
    if reference is None:
        return None
    rows = []
    for step in steps:
        for code, _label in breakdown_groups(breakdown):
            if code == reference or not _is_stated(breakdown, code):
                continue
            pair = {
                labels[reference]: groups.get(reference, {}),
                labels[code]: groups.get(code, {}),
            }
            shown = protect_columns(pair, [step.eligible, step.achieved], is_national=is_national)
            a = GroupCounts(
                eligible=pair[labels[reference]].get(step.eligible, 0),
                achieved=pair[labels[reference]].get(step.achieved, 0),
            )
            b = GroupCounts(
                eligible=pair[labels[code]].get(step.eligible, 0),
                achieved=pair[labels[code]].get(step.achieved, 0),
            )
            cells = [shown[measure].cell(name) for name in pair for measure in (step.achieved, step.eligible)]
            if any(cell.is_suppressed for cell in cells):
                value, interval = "Not shown: a count is too small to publish", ""
                flag = ""
            else:
                result = relative_likelihood(group_a=a, group_b=b)
                value = result.display_value if result.is_calculated else result.reason
                interval = result.display_interval if result.is_calculated else ""
                flag = ("Yes" if result.is_outside_four_fifths else "No") if result.is_calculated else ""
            rows.append(
                (
                    step.label,
                    f"{labels[reference]} compared with {labels[code]}",
                    f"{figure(cells[0].display)} of {figure(cells[1].display)}",
                    f"{figure(cells[2].display)} of {figure(cells[3].display)}",
                    value,
                    interval,
                    flag,
                )
            )
    return Table(
        caption=caption,
        header=(
            "Step",
            "Groups compared",
            f"{labels[reference]}: reached the step",
            "Other group: reached the step",
            "Relative likelihood",
            "95% confidence interval",
            "Outside 0.80 to 1.25 (four-fifths convention)",
        ),
        rows=tuple(rows),
        text_columns=2,
    )


def _cube_rows(queryset, measures: Sequence[str]) -> list[dict]:
    return list(queryset.values("dimension", "dimension_key", "breakdown", "group", *measures))


def _labels(filters: Filters, rows: list[dict]) -> dict[tuple[str, str], str]:
    """Names for band, staff group and organisation keys: one query each, only when needed."""
    wanted = defaultdict(set)
    for row in rows:
        if row["dimension"] != ALL:
            wanted[row["dimension"]].add(row["dimension_key"])
    names: dict[tuple[str, str], str] = {}
    models = {"pay_band": PayBand, "staff_group": StaffGroup, "organisation": Organisation}
    for dimension, codes in wanted.items():
        for code, name in models[dimension].objects.filter(code__in=codes).values_list("code", "name"):
            names[(dimension, code)] = name
    return names


def _ordered_band_codes() -> list[str]:
    return list(PayBand.objects.order_by("sort_order", "name").values_list("code", flat=True))


def _differencing_refusal(filters: Filters, all_rows: list[dict]) -> str:
    """A message when the staff filter leaves a population that differs from the area's by too few."""
    if filters.is_national or filters.dimension == ALL:
        return ""
    total = next((r["staff"] for r in all_rows if r["dimension"] == ALL), 0)
    filtered = next(
        (
            r["staff"]
            for r in all_rows
            if (r["dimension"], r["dimension_key"]) == (filters.dimension, filters.dimension_key)
        ),
        0,
    )
    try:
        check_differencing(total, filtered)
    except DisclosureRefused as refusal:
        return str(refusal)
    return ""


def _dimension_sections(
    filters: Filters,
    rows: list[dict],
    names: Mapping[tuple[str, str], str],
    columns: Sequence[MeasureColumn],
    *,
    title: str,
    chart_measure: str,
    chart_of: str,
    chart_title: str,
) -> list[Section]:
    """One section per row dimension (organisation, band, staff group) of the area's "all" rows."""
    sections = []
    band_order = {code: position for position, code in enumerate(_ordered_band_codes())}
    for dimension, heading in (
        ("organisation", "organisation"),
        ("pay_band", "pay band"),
        ("staff_group", "staff group"),
    ):
        if dimension == "organisation" and filters.area.level == AreaLevel.ORGANISATION:
            continue
        selected = [r for r in rows if r["dimension"] == dimension and r["breakdown"] == ALL]
        if dimension == "pay_band":
            selected.sort(key=lambda r: band_order.get(r["dimension_key"], 999))
        else:
            selected.sort(key=lambda r: names.get((dimension, r["dimension_key"]), r["dimension_key"]))
        table_rows = {names.get((dimension, r["dimension_key"]), r["dimension_key"]): r for r in selected}
        table, protected = measure_table(
            f"{title} by {heading}",
            heading.capitalize(),
            table_rows,
            columns,
            is_national=filters.is_national,
        )
        chart = ChartSpec(
            kind="bar",
            title=f"{chart_title} by {heading}",
            labels=tuple(table_rows),
            series=((chart_title, rate_series(list(table_rows), protected, chart_measure, chart_of)),),
        )
        sections.append(Section(title=f"By {heading}", tables=(table,), chart=chart, slug=f"by-{dimension}"))
    return sections


def _group_rows(rows: list[dict], breakdown: str) -> dict[str, dict]:
    """Rows of one breakdown keyed by group code, with every group present (zeros where nobody)."""
    found = {r["group"]: r for r in rows if r["breakdown"] == breakdown}
    return {code: found.get(code, {}) for code, _label in breakdown_groups(breakdown)}


def _group_section(
    filters: Filters,
    grouped: dict[str, dict],
    columns: Sequence[MeasureColumn],
    *,
    title: str,
    chart_measure: str,
    chart_of: str,
    chart_title: str,
    steps: Sequence[Step],
) -> Section:
    labels = dict(breakdown_groups(filters.breakdown))
    by_label = {labels[code]: values for code, values in grouped.items()}
    table, protected = measure_table(
        f"{title} by {_lower_first(breakdown_label(filters.breakdown))} ({filters.dimension_label.lower()})",
        breakdown_label(filters.breakdown),
        by_label,
        columns,
        is_national=filters.is_national,
    )
    tables = [table]
    likelihood = likelihood_table(
        f"Relative likelihood by {_lower_first(breakdown_label(filters.breakdown))}",
        filters.breakdown,
        grouped,
        steps,
        is_national=filters.is_national,
    )
    if likelihood is not None:
        tables.append(likelihood)
    chart = ChartSpec(
        kind="bar",
        title=f"{chart_title} by {_lower_first(breakdown_label(filters.breakdown))}",
        labels=tuple(by_label),
        series=((chart_title, rate_series(list(by_label), protected, chart_measure, chart_of)),),
    )
    return Section(
        title=f"By {_lower_first(breakdown_label(filters.breakdown))}",
        tables=tuple(tables),
        chart=chart,
        slug="by-group",
        intro=(
            "Relative likelihood is the rate of the first group divided by the rate of the other: 1.00 is "
            "parity, above 1.00 means the first group is more likely to reach the step. Ratios outside "
            "0.80 to 1.25 are flagged, following the four-fifths convention."
        ),
    )


def _equality_section(filters: Filters, base, measures, refused: str, columns, **section) -> Section:
    """The measures by the chosen equality breakdown, for the staff filter, or why it is refused."""
    if refused:
        return Section(title="By equality group", refused=refused, slug="by-group")
    rows = _cube_rows(
        base.filter(
            breakdown=filters.breakdown, dimension=filters.dimension, dimension_key=filters.dimension_key
        ),
        measures,
    )
    return _group_section(filters, _group_rows(rows, filters.breakdown), columns, **section)


# Coverage ----------------------------------------------------------------------------------------

COVERAGE_COLUMNS = (
    MeasureColumn("staff", "Staff"),
    MeasureColumn("had_conversation", "Had a conversation in the last 12 months", "staff", "Coverage"),
    MeasureColumn("agreed", "Agreed record", "staff", "Agreed"),
    MeasureColumn("overdue", "Next conversation overdue"),
    MeasureColumn("never_had", "Never had one"),
)
COVERAGE_STEPS = (
    Step("Had a conversation in the last 12 months", "staff", "had_conversation"),
    Step("Agreed a record in the last 12 months", "staff", "agreed"),
)


def coverage(filters: Filters) -> Dashboard:
    measures = [c.measure for c in COVERAGE_COLUMNS]
    base = StaffCube.objects.filter(**_area_filter(filters))
    all_rows = _cube_rows(base.filter(breakdown=ALL), measures)
    refused = _differencing_refusal(filters, all_rows)
    names = _labels(filters, all_rows)
    sections = _dimension_sections(
        filters,
        all_rows,
        names,
        COVERAGE_COLUMNS,
        title="Conversation coverage",
        chart_measure="had_conversation",
        chart_of="staff",
        chart_title="Coverage",
    )
    sections.append(
        _equality_section(
            filters,
            base,
            measures,
            refused,
            COVERAGE_COLUMNS,
            title="Conversation coverage",
            chart_measure="had_conversation",
            chart_of="staff",
            chart_title="Coverage",
            steps=COVERAGE_STEPS,
        )
    )
    sections.append(_coverage_trend(filters, refused=refused))
    return Dashboard(
        slug="coverage",
        title="Conversation coverage",
        sections=tuple(sections),
        notes=(
            "Coverage is the share of staff in post who had a conversation in the 12 months to the date "
            "shown.",
        ),
    )


def _coverage_trend(filters: Filters, *, refused: str) -> Section:
    """Coverage at each month end (and the chosen date), overall and for each stated group.

    Each date is its own population, so each is protected on its own, across the groups of the
    breakdown (the overall figures are that table's totals). Group lines are left out when the
    staff filter is refused for differencing.
    """
    dates = [*month_ends(before=filters.snapshot.as_of, count=TREND_SNAPSHOTS - 1), filters.snapshot.as_of]
    found: dict[datetime.date, dict[str, dict]] = defaultdict(dict)
    for row in StaffCube.objects.filter(
        snapshot__as_of__in=dates,
        area_level=filters.area.level,
        area_id=filters.area.pk,
        breakdown=filters.breakdown,
        dimension=filters.dimension,
        dimension_key=filters.dimension_key,
    ).values("snapshot__as_of", "group", "staff", "had_conversation"):
        found[row["snapshot__as_of"]][row["group"]] = row
    groups = [(code, label) for code, label in breakdown_groups(filters.breakdown)]
    stated = (
        [] if refused else [(code, label) for code, label in groups if _is_stated(filters.breakdown, code)]
    )
    body, overall = [], []
    by_group: dict[str, list[float | None]] = {label: [] for _code, label in stated}
    for day in sorted(found):
        values = {label: found[day].get(code, {}) for code, label in groups}
        shown = protect_columns(values, ["staff", "had_conversation"], is_national=filters.is_national)
        total = percentage(shown["had_conversation"].total, shown["staff"].total)
        overall.append(_chart_value(total))
        line = [
            f"{day:%-d %b %Y}",
            shown["staff"].total.display,
            shown["had_conversation"].total.display,
            _percent(total),
        ]
        for _code, label in stated:
            rate = percentage(shown["had_conversation"].cell(label), shown["staff"].cell(label))
            by_group[label].append(_chart_value(rate))
            line.append(_percent(rate))
        body.append(tuple(line))
    table = Table(
        caption=f"Coverage at each month end ({filters.dimension_label.lower()})",
        header=(
            "Date",
            "Staff",
            "Had a conversation in the 12 months before",
            "Coverage",
            *(f"Coverage: {label}" for _code, label in stated),
        ),
        rows=tuple(body),
    )
    labels = tuple(row[0] for row in body)
    series = [("All staff", tuple(overall))]
    intro = ""
    if len(stated) <= MAX_TREND_GROUPS:
        series.extend((label, tuple(values)) for label, values in by_group.items())
    else:
        intro = (
            "The chart shows all staff; the table shows each group. Choose a breakdown with fewer groups, "
            "such as Ethnic group (WRES), to see each group's line."
        )
    chart = ChartSpec(kind="line", title="Coverage over time", labels=labels, series=tuple(series))
    return Section(title="Over time", tables=(table,), chart=chart, slug="over-time", intro=intro)


# Talent pipeline ---------------------------------------------------------------------------------

READINESS_COLUMNS = (
    MeasureColumn("with_position", "Position recorded"),
    MeasureColumn("ready_now", "Ready now", "with_position", "Ready now (%)"),
    MeasureColumn("ready_one_to_two_years", "Ready in 1 to 2 years"),
    MeasureColumn("ready_later", "Ready in 3 years or more"),
    MeasureColumn("developing_in_role", "Developing in current role"),
    MeasureColumn("wants_to_move_up", "Aiming for a higher level", "with_position", "Aiming higher (%)"),
)
PIPELINE_STEPS = (
    Step("Rated ready now", "with_position", "ready_now"),
    Step("Rated ready in 1 to 2 years", "with_position", "ready_one_to_two_years"),
    Step("Aiming for a higher impact level", "with_position", "wants_to_move_up"),
    Step("In a talent pool", "staff", "in_talent_pool"),
    Step("Named as a successor for a critical role", "staff", "successor"),
)


def pipeline(filters: Filters) -> Dashboard:
    measures = [*StaffCube.MEASURES]
    base = StaffCube.objects.filter(**_area_filter(filters))
    all_rows = _cube_rows(base.filter(breakdown=ALL), measures)
    refused = _differencing_refusal(filters, all_rows)
    names = _labels(filters, all_rows)
    sections = [
        s
        for s in _dimension_sections(
            filters,
            all_rows,
            names,
            READINESS_COLUMNS,
            title="Readiness for the next step",
            chart_measure="ready_now",
            chart_of="with_position",
            chart_title="Ready now",
        )
        if s.slug != "by-organisation" or filters.area.level != AreaLevel.ORGANISATION
    ]
    sections.insert(0, _positions_section(filters))
    sections.append(
        _equality_section(
            filters,
            base,
            measures,
            refused,
            (
                *READINESS_COLUMNS,
                MeasureColumn("staff", "Staff"),
                MeasureColumn("in_talent_pool", "In a talent pool", "staff", "In a pool (%)"),
                MeasureColumn("successor", "Named successors"),
            ),
            title="Readiness and talent",
            chart_measure="ready_now",
            chart_of="with_position",
            chart_title="Ready now",
            steps=PIPELINE_STEPS,
        )
    )
    sections.append(_talent_pool_section(filters))
    return Dashboard(
        slug="pipeline",
        title="Talent pipeline",
        sections=tuple(sections),
        notes=("Positions and readiness come from each person's latest conversation record.",),
    )


def _distribution(filters: Filters, measures: Sequence[str]) -> dict[str, dict[str, int]]:
    """People per category of each measure, for the staff filter (breakdown "all")."""
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for measure, category, people in DistributionCube.objects.filter(
        **_area_filter(filters),
        measure__in=measures,
        breakdown=ALL,
        dimension=filters.dimension,
        dimension_key=filters.dimension_key,
    ).values_list("measure", "category", "people"):
        found[measure][category] = people
    return found


def _positions_section(filters: Filters) -> Section:
    Measure = DistributionCube.Measure
    found = _distribution(
        filters, [Measure.CURRENT_LEVEL, Measure.TARGET_LEVEL, Measure.CURRENT_GROWTH, Measure.TARGET_GROWTH]
    )
    framework = FrameworkVersion.objects.order_by("-effective_from").first()
    levels = (
        list(
            ImpactLevel.objects.filter(framework_version=framework)
            .order_by("order")
            .values_list("order", "label")
        )
        if framework
        else []
    )
    level_rows = {
        f"{order}. {label}": {
            "current": found[Measure.CURRENT_LEVEL].get(str(order), 0),
            "target": found[Measure.TARGET_LEVEL].get(str(order), 0),
        }
        for order, label in levels
    }
    growth_rows = {
        str(label): {
            "current": found[Measure.CURRENT_GROWTH].get(code, 0),
            "target": found[Measure.TARGET_GROWTH].get(code, 0),
        }
        for code, label in GrowthCategory.choices
    }
    columns = (MeasureColumn("current", "Current position"), MeasureColumn("target", "Target position"))
    level_table, level_protected = measure_table(
        f"Impact level now and aimed for ({filters.dimension_label.lower()})",
        "Impact level",
        level_rows,
        columns,
        is_national=filters.is_national,
    )
    growth_table, _ = measure_table(
        f"Growth category now and aimed for ({filters.dimension_label.lower()})",
        "Growth category",
        growth_rows,
        columns,
        is_national=filters.is_national,
    )
    chart = ChartSpec(
        kind="bar",
        title="People at each impact level, now and aimed for",
        labels=tuple(level_rows),
        series=tuple(
            (name, tuple(level_protected[key].cell(label).value for label in level_rows))
            for key, name in (("current", "Current"), ("target", "Target"))
        ),
        unit="people",
    )
    return Section(
        title="Framework positions", tables=(level_table, growth_table), chart=chart, slug="positions"
    )


def _talent_pool_section(filters: Filters) -> Section:
    in_area = _within_area(
        TalentPoolCube.objects.filter(snapshot=filters.snapshot), filters.area, "organisation"
    )
    pools = in_area.filter(breakdown=ALL)
    if filters.area.level in (AreaLevel.ORGANISATION, AreaLevel.ICS):
        row_header = "Talent pool"
        rows = {
            f"{pool_name} ({organisation})": {"members": members, "joined": joined, "left": left}
            for pool_name, organisation, members, joined, left in pools.order_by(
                "organisation__name", "pool__name"
            ).values_list("pool__name", "organisation__name", "members", "joined", "left")
        }
    else:
        # Hundreds of pools across a region or England: one line per organisation, all its pools.
        row_header = "Organisation"
        rows = {
            row["organisation__name"]: row
            for row in pools.values("organisation__name")
            .annotate(members=Sum("members"), joined=Sum("joined"), left=Sum("left"))
            .order_by("organisation__name")
        }
    table, _ = measure_table(
        "Talent pool members and flows in the last 12 months",
        row_header,
        rows,
        (
            MeasureColumn("members", "Members (nominated or accepted)"),
            MeasureColumn("joined", "Nominated in the last 12 months"),
            MeasureColumn("left", "Left or declined in the last 12 months"),
        ),
        is_national=filters.is_national,
    )
    # Pool membership by the chosen equality group, across every pool in the area.
    totals = {
        row["group"]: row
        for row in in_area.filter(breakdown=filters.breakdown)
        .values("group")
        .annotate(members=Sum("members"), joined=Sum("joined"), left=Sum("left"))
        .order_by()
    }
    labels = dict(breakdown_groups(filters.breakdown))
    group_table, _ = measure_table(
        f"Talent pool members and flows by {_lower_first(breakdown_label(filters.breakdown))} "
        "(all pools in the area)",
        breakdown_label(filters.breakdown),
        {labels[code]: totals.get(code, {}) for code in labels},
        (
            MeasureColumn("members", "Members (nominated or accepted)"),
            MeasureColumn("joined", "Nominated in the last 12 months"),
            MeasureColumn("left", "Left or declined in the last 12 months"),
        ),
        is_national=filters.is_national,
    )
    return Section(title="Talent pools", tables=(table, group_table), slug="talent-pools")


def _within_area(queryset, area: Area, organisation_field: str):
    if area.level == AreaLevel.ORGANISATION:
        return queryset.filter(**{f"{organisation_field}_id": area.pk})
    if area.level == AreaLevel.ICS:
        return queryset.filter(**{f"{organisation_field}__integrated_care_system_id": area.pk})
    if area.level == AreaLevel.REGION:
        return queryset.filter(**{f"{organisation_field}__integrated_care_system__region_id": area.pk})
    return queryset


# Barriers and development needs -------------------------------------------------------------------


def needs(filters: Filters) -> Dashboard:
    Measure = DistributionCube.Measure
    base = DistributionCube.objects.filter(
        **_area_filter(filters), measure__in=[Measure.BARRIER, Measure.ACTION_TYPE]
    )
    found = _distribution(filters, [Measure.BARRIER, Measure.ACTION_TYPE])
    barrier_names = dict(BarrierType.objects.order_by("order", "name").values_list("code", "name"))
    group_counts: dict[tuple[str, str, str], int] = {}
    for measure, group, category, people in base.filter(
        breakdown=filters.breakdown, dimension=ALL
    ).values_list("measure", "group", "category", "people"):
        group_counts[(measure, group, category)] = people
    groups = breakdown_groups(filters.breakdown)
    sections = []
    for measure, title, row_header, categories in (
        (Measure.BARRIER, "Barriers", "Barrier", list(barrier_names.items())),
        (
            Measure.ACTION_TYPE,
            "Development needs",
            "Kind of development",
            list(DevelopmentAction.ActionType.choices),
        ),
    ):
        rows = {str(label): {"people": found[measure].get(code, 0)} for code, label in categories}
        table, protected = measure_table(
            f"People by {row_header.lower()} ({filters.dimension_label.lower()})",
            row_header,
            rows,
            (MeasureColumn("people", "People"),),
            is_national=filters.is_national,
        )
        cross = protect_table(
            CountTable.from_rows(
                row_labels=[str(label) for _code, label in categories],
                column_labels=[label for _code, label in groups],
                counts=[
                    [group_counts.get((measure, group, code), 0) for group, _l in groups]
                    for code, _label in categories
                ],
            ),
            is_national=filters.is_national,
        )
        cross_rows = cross.as_rows(total_label="Total")
        cross_table = Table(
            caption=(
                f"{title} by {_lower_first(breakdown_label(filters.breakdown))} "
                "(all staff in the area; a person can have more than one)"
            ),
            header=(row_header, *cross_rows[0][1:]),
            rows=tuple(tuple(row) for row in cross_rows[1:-1]),
            footer=tuple(cross_rows[-1]),
        )
        chart = ChartSpec(
            kind="bar",
            title=f"People by {row_header.lower()}",
            labels=tuple(rows),
            series=(("People", tuple(protected["people"].cell(label).value for label in rows)),),
            unit="people",
        )
        sections.append(Section(title=title, tables=(table, cross_table), chart=chart, slug=measure))
    timeframe = _distribution(filters, [Measure.TIMEFRAME])[Measure.TIMEFRAME]
    timeframe_rows = {
        str(label): {"people": timeframe.get(code, 0)} for code, label in AspirationTimeframe.choices
    }
    table, _ = measure_table(
        f"When people want to make their next move ({filters.dimension_label.lower()})",
        "Timeframe",
        timeframe_rows,
        (MeasureColumn("people", "People"),),
        is_national=filters.is_national,
    )
    sections.append(Section(title="Aspirations", tables=(table,), slug="aspirations"))
    return Dashboard(
        slug="needs",
        title="Barriers and development needs",
        sections=tuple(sections),
        notes=("Barriers and development needs come from each person's latest conversation record.",),
    )


# Succession --------------------------------------------------------------------------------------

SUCCESSION_COLUMNS = ("ready_now", "ready_one_to_two_years", "ready_later")


def succession(filters: Filters) -> Dashboard:
    cubes = _within_area(
        SuccessionCube.objects.filter(snapshot=filters.snapshot), filters.area, "organisation"
    )
    by_role = filters.area.level in (AreaLevel.ORGANISATION, AreaLevel.ICS)
    roles = _within_area(CriticalRole.objects.all(), filters.area, "organisation")
    readiness_labels = [
        str(Readiness(Readiness.READY_NOW).label),
        str(Readiness(Readiness.ONE_TO_TWO_YEARS).label),
        str(Readiness(Readiness.THREE_PLUS_YEARS).label),
    ]
    if by_role:
        row_names = {
            pk: f"{title} ({organisation})"
            for pk, title, organisation in roles.order_by("organisation__name", "title").values_list(
                "pk", "title", "organisation__name"
            )
        }
        key_field = "critical_role_id"
    else:
        row_names = dict(
            roles.order_by("organisation__name")
            .values_list("organisation_id", "organisation__name")
            .distinct()
        )
        key_field = "organisation_id"
    counts: dict[int, list[int]] = {key: [0, 0, 0] for key in row_names}
    groups = breakdown_groups(filters.breakdown)
    diversity: dict[int, dict[str, int]] = {key: {} for key in row_names}
    for row in cubes.filter(breakdown__in=[ALL, filters.breakdown]).values(
        key_field, "breakdown", "group", *SUCCESSION_COLUMNS
    ):
        key = row[key_field]
        if key not in counts:
            continue
        if row["breakdown"] == ALL:
            counts[key] = [a + row[m] for a, m in zip(counts[key], SUCCESSION_COLUMNS, strict=True)]
        else:
            diversity[key][row["group"]] = diversity[key].get(row["group"], 0) + sum(
                row[m] for m in SUCCESSION_COLUMNS
            )
    row_label = "Critical role" if by_role else "Organisation"
    sections = []
    if row_names:
        readiness = protect_table(
            CountTable.from_rows(
                row_labels=list(row_names.values()),
                column_labels=readiness_labels,
                counts=list(counts.values()),
            ),
            is_national=filters.is_national,
        )
        rows = readiness.as_rows(total_label="All successors")
        readiness_table = Table(
            caption="Successors named by readiness",
            header=(row_label, *rows[0][1:]),
            rows=tuple(map(tuple, rows[1:-1])),
            footer=tuple(rows[-1]),
        )
        diverse = protect_table(
            CountTable.from_rows(
                row_labels=list(row_names.values()),
                column_labels=[label for _code, label in groups],
                counts=[[diversity[key].get(code, 0) for code, _label in groups] for key in row_names],
            ),
            is_national=filters.is_national,
        )
        rows = diverse.as_rows(total_label="All successors")
        diversity_table = Table(
            caption=f"Successor pools by {_lower_first(breakdown_label(filters.breakdown))}",
            header=(row_label, *rows[0][1:]),
            rows=tuple(map(tuple, rows[1:-1])),
            footer=tuple(rows[-1]),
        )
        chart = ChartSpec(
            kind="bar",
            title="Successors named by readiness",
            labels=tuple(readiness_labels),
            series=(("Successors", tuple(cell.value for cell in readiness.column_totals)),),
            unit="people",
        )
        sections.append(
            Section(title="Successors by readiness", tables=(readiness_table,), chart=chart, slug="readiness")
        )
        sections.append(
            Section(title="Diversity of successor pools", tables=(diversity_table,), slug="diversity")
        )
    else:
        sections.append(
            Section(
                title="Successors by readiness",
                intro="No critical roles are registered in this area.",
                slug="readiness",
            )
        )
    return Dashboard(
        slug="succession",
        title="Succession for critical roles",
        sections=tuple(sections),
        notes=(
            "Successor pools are shown only as counts; the register of named successors is on the "
            "critical roles pages.",
        ),
    )


# The Staff Survey comparison is built in reporting.survey (it only reads this module's shapes).
from reporting.survey import survey  # noqa: E402

# HPS funnel --------------------------------------------------------------------------------------

HPS_STEP_LABELS = {
    "eligible": "Eligible",
    "applied": "Applied",
    "sponsor_signed": "Sponsor signed",
    "invited": "Invited to assessment",
    "assessed": "Assessed",
    "shortlisted": "Shortlisted",
    "offered": "Offered a place",
    "accepted": "Accepted",
    "completed": "Completed",
    "promoted": "Promoted",
}


def hps_funnel(filters: Filters) -> Dashboard:
    steps = HpsFunnelCube.STEPS
    base = HpsFunnelCube.objects.filter(**_area_filter(filters))
    per_cohort = {
        name: row
        for name, *values in base.filter(breakdown=ALL)
        .order_by("cohort__opens_on", "cohort__name")
        .values_list("cohort__name", *steps)
        for row in [dict(zip(steps, values, strict=True))]
    }
    columns = [MeasureColumn(step, HPS_STEP_LABELS[step]) for step in steps]
    cohort_table, _ = measure_table(
        "People reaching each step, by intake", "Intake", per_cohort, columns, is_national=filters.is_national
    )
    selected = base.filter(cohort=filters.cohort) if filters.cohort else base
    totals = selected.filter(breakdown=ALL).aggregate(**{step: Sum(step) for step in steps})
    # The steps are nested, not parts of a whole: each is protected as a count on its own.
    funnel_values = tuple(
        protect_counts({step: totals[step] or 0}, is_national=filters.is_national).cell(step).value
        for step in steps
    )
    scope_label = filters.cohort.name if filters.cohort else "all intakes"
    chart = ChartSpec(
        kind="bar",
        title=f"HPS funnel: {scope_label}",
        labels=tuple(HPS_STEP_LABELS[s] for s in steps),
        series=(("People", funnel_values),),
        unit="people",
    )
    grouped_raw: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(steps, 0))
    for row in selected.filter(breakdown=filters.breakdown).values("group", *steps):
        for step in steps:
            grouped_raw[row["group"]][step] += row[step]
    grouped = {
        code: dict(grouped_raw.get(code, dict.fromkeys(steps, 0)))
        for code, _label in breakdown_groups(filters.breakdown)
    }
    labels = dict(breakdown_groups(filters.breakdown))
    group_table, _ = measure_table(
        f"People reaching each step by {_lower_first(breakdown_label(filters.breakdown))} ({scope_label})",
        breakdown_label(filters.breakdown),
        {labels[code]: values for code, values in grouped.items()},
        columns,
        is_national=filters.is_national,
    )
    rl_steps = [
        Step(f"{HPS_STEP_LABELS[later]} (of {HPS_STEP_LABELS[earlier].lower()})", earlier, later)
        for earlier, later in itertools.pairwise(steps)
    ]
    likelihood = likelihood_table(
        f"Relative likelihood at each HPS step by {_lower_first(breakdown_label(filters.breakdown))} "
        f"({scope_label})",
        filters.breakdown,
        grouped,
        rl_steps,
        is_national=filters.is_national,
    )
    group_tables = (group_table,) if likelihood is None else (group_table, likelihood)
    return Dashboard(
        slug="hps",
        title="High Potential Scheme funnel",
        sections=(
            Section(title="Intakes", tables=(cohort_table,), chart=chart, slug="intakes"),
            Section(
                title=f"By {_lower_first(breakdown_label(filters.breakdown))}",
                tables=group_tables,
                slug="by-group",
            ),
        ),
        notes=(
            "Eligible counts staff in post in the intake's ICS footprint and eligible bands. Each "
            "applicant is counted in the area of their organisation.",
        ),
    )


DASHBOARDS: dict[str, tuple[str, Callable[[Filters], Dashboard]]] = {
    "coverage": ("Conversation coverage", coverage),
    "pipeline": ("Talent pipeline", pipeline),
    "needs": ("Barriers and development needs", needs),
    "succession": ("Succession for critical roles", succession),
    "hps": ("High Potential Scheme funnel", hps_funnel),
    "survey": ("Conversations and the NHS Staff Survey", survey),
}


def snapshot_dates() -> list[datetime.date]:
    return list(Snapshot.objects.order_by("-as_of").values_list("as_of", flat=True))
