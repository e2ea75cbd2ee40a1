"""Charts for the talent dashboards: SVG drawn on the server by pygal, the same in pages and in PDFs.

Dashboard code calls :func:`bar_chart`, :func:`line_chart` or :func:`scatter_chart` and gets a
:class:`Chart`: the SVG markup, ready to embed inline, with the title and a description in words for
the figure caption and for screen readers. Each chart sits next to a table of the same figures.

The SVG is made to work under the site's Content-Security-Policy (``style-src 'self'``, no
``'unsafe-inline'``) and in WeasyPrint alike:

- no ``<script>``: pygal's JavaScript is switched off and the config script it always writes is removed;
- no ``<style>`` element and no ``style=""`` attribute: pygal's stylesheet, built from an NHS
  :class:`pygal.style.Style`, is applied while rendering and written as SVG presentation attributes
  (``fill="#005eb8"``), which a CSP does not govern. So the SVG needs no nonce and no stylesheet
  in the page, and looks the same in a browser, in a PDF and saved on its own;
- ``role="img"`` with ``aria-labelledby`` pointing at its ``<title>`` and ``<desc>``.

A value of ``None`` is a figure that is not shown (suppressed by disclosure control, or not
calculated): it is drawn as a gap, never as 0. In bar charts the group's label gets the ``*`` that
the tables use, and printed values tell a 0 from a gap.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal
from xml.etree import ElementTree

import cssselect2
import pygal
import tinycss2
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from reporting.disclosure import SUPPRESSED_SYMBOL

Unit = Literal["%", "people", "score"]
UNITS: tuple[Unit, ...] = ("%", "people", "score")

# NHS identity colours as nhsuk-frontend names them. The series order keeps neighbouring series apart
# for people with red-green or blue-yellow colour blindness (checked with Machado et al. 2009
# simulations) and every colour has at least 3:1 contrast with white (WCAG 2.2, 1.4.11).
NHS_BLUE = "#005eb8"
NHS_DARK_PINK = "#7c2855"
NHS_AQUA_GREEN = "#00a499"
NHS_PURPLE = "#330072"
NHS_GREEN = "#007f3b"
NHS_GREY_1 = "#4c6272"
SERIES_COLOURS = (NHS_BLUE, NHS_DARK_PINK, NHS_AQUA_GREEN, NHS_PURPLE, NHS_GREEN, NHS_GREY_1)
TEXT_COLOUR = "#212b32"
GUIDE_COLOUR = "#d8dde0"
# The service's font, then the fonts print.css uses, which the PDF renderer has.
FONT_FAMILY = '"Frutiger W01", Arial, "Liberation Sans", "DejaVu Sans", sans-serif'
FONT_SIZE = 16

# Width of the drawing in SVG units. The SVG scales to the width of its container, so this sets how
# big text is relative to the chart: 16 units of text in 640 is 16px at a typical two-thirds column.
WIDTH = 640
MAX_WIDTH = 960
HEIGHT = 360

NHS_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground=TEXT_COLOUR,
    foreground_strong=TEXT_COLOUR,
    foreground_subtle=TEXT_COLOUR,
    font_family=FONT_FAMILY,
    label_font_size=FONT_SIZE,
    major_label_font_size=FONT_SIZE,
    value_font_size=FONT_SIZE,
    value_label_font_size=FONT_SIZE,
    legend_font_size=FONT_SIZE,
    title_font_size=FONT_SIZE,
    no_data_font_size=FONT_SIZE,
    guide_stroke_color=GUIDE_COLOUR,
    major_guide_stroke_color=GUIDE_COLOUR,
    guide_stroke_dasharray="none",
    major_guide_stroke_dasharray="none",
    opacity="1",
    opacity_hover="1",
    stroke_opacity="1",
    stroke_opacity_hover="1",
    stroke_width="3",
    stroke_width_hover="3",
    colors=SERIES_COLOURS,
    value_colors=(TEXT_COLOUR,),
)

# Properties pygal's stylesheet sets that SVG also accepts as attributes; the rest (transitions,
# user-select, background-color of the root) only matter for pygal's interactive mode.
_PRESENTATION_PROPERTIES = frozenset(
    {
        "display",
        "fill",
        "fill-opacity",
        "font-family",
        "font-size",
        "font-weight",
        "opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
        "text-decoration",
        "visibility",
    }
)


# Presentation properties SVG elements inherit from their parents.
_INHERITED_PROPERTIES = ("fill", "font-family", "font-size", "stroke", "text-anchor")


@dataclass(frozen=True, slots=True)
class Series:
    """One named set of values, in the order of the chart's labels. ``None`` is a figure not shown."""

    name: str
    values: tuple[float | None, ...]

    def __post_init__(self) -> None:
        if not str(self.name).strip():
            raise ValueError("Give each series a name")
        object.__setattr__(self, "values", tuple(_checked(value) for value in self.values))


@dataclass(frozen=True, slots=True)
class Point:
    """One point of a scatter chart, such as an organisation. ``None`` in x or y leaves it out."""

    label: str
    x: float | None
    y: float | None

    def __post_init__(self) -> None:
        object.__setattr__(self, "x", _checked(self.x))
        object.__setattr__(self, "y", _checked(self.y))

    @property
    def is_shown(self) -> bool:
        return self.x is not None and self.y is not None


@dataclass(frozen=True, slots=True)
class Chart:
    """A rendered chart: inline SVG markup, with its title and description in words.

    ``note`` explains gaps (figures not shown) and is empty when there are none. ``element_id`` is
    the SVG's id, unique per chart, so several charts can share a page.
    """

    title: str
    description: str
    svg: SafeString
    note: str
    element_id: str


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: Unit = "%",
    horizontal: bool = False,
    max_value: float | None = None,
    description: str | None = None,
) -> Chart:
    """A bar chart of one or more series over groups (such as bands or ethnic groups).

    Bars start at 0. For percentages the axis runs to 100% unless ``max_value`` says otherwise;
    for counts it runs to a round number above the largest value. Each bar has its value printed
    at its end. Use ``horizontal`` for many groups or long group names.
    """
    _check_title(title)
    _check_unit(unit)
    labels = _checked_labels(labels)
    series = _checked_series(series, length=len(labels))
    ticks = _value_ticks(_values_of(series), unit=unit, max_value=max_value)

    not_shown = {i for i, _ in enumerate(labels) if any(s.values[i] is None for s in series)}
    marked_labels = [
        f"{label} {SUPPRESSED_SYMBOL}" if i in not_shown else label for i, label in enumerate(labels)
    ]
    formatter = _formatter(unit)
    if description is None:
        description = _bar_description(labels, series, unit=unit, formatter=formatter)
    note = (
        f"Groups marked {SUPPRESSED_SYMBOL} have a figure that is not shown, to protect people's privacy."
        if not_shown
        else ""
    )

    plotted_labels, tooltip_labels, plotted_series = marked_labels, labels, series
    if horizontal:
        # pygal draws the first group at the bottom; the table next to the chart reads from the top.
        plotted_labels, tooltip_labels = marked_labels[::-1], labels[::-1]
        plotted_series = [Series(s.name, s.values[::-1]) for s in series]
        height = max(HEIGHT // 2, 80 + len(labels) * (16 + 20 * len(series)))
        # Group names sit to the left of the bars: widen the drawing for long names so the bars keep
        # room (pygal reserves 0.6 em a character).
        width = max(WIDTH, min(MAX_WIDTH, round(max(map(len, marked_labels)) * FONT_SIZE * 0.6) + 380))
        rotation = 0
        print_values = True
    else:
        height, width = HEIGHT, WIDTH
        rotation = _x_label_rotation(marked_labels)
        # Print values only where they fit over their bars; the table next to the chart has them all.
        bar_slot = _label_slot(marked_labels) / len(series)
        widest_value = max(len(formatter(value)) for value in _values_of(series)) * FONT_SIZE * 0.55
        print_values = widest_value <= bar_slot

    chart = (pygal.HorizontalBar if horizontal else pygal.Bar)(
        **_config(series_count=len(series), width=width, height=height),
        value_formatter=formatter,
        range=(ticks[0], ticks[-1]),
        y_labels=ticks,
        print_values=print_values,
        print_values_position="top",
        x_label_rotation=rotation,
        show_x_guides=False,
        show_y_guides=True,
        # Room for the printed value of the longest bar.
        margin_right=56 if horizontal else 8,
    )
    chart.x_labels = plotted_labels
    for one in plotted_series:
        chart.add(one.name, _values_with_tooltips(one, tooltip_labels, formatter, named=len(series) > 1))
    return _render(
        chart,
        title=title,
        description=description,
        note=note,
        tidy=_start_printed_values_after_bars if horizontal else _lift_printed_values_above_bars,
    )


def line_chart(
    *,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    unit: Unit = "%",
    max_value: float | None = None,
    description: str | None = None,
) -> Chart:
    """A line chart of one or more series over time (such as months), with a dot at each value.

    A value not shown breaks the line; a value with gaps on both sides is still drawn as a dot.
    """
    _check_title(title)
    _check_unit(unit)
    x_labels = _checked_labels(x_labels)
    series = _checked_series(series, length=len(x_labels))
    ticks = _value_ticks(_values_of(series), unit=unit, max_value=max_value)
    formatter = _formatter(unit)
    gaps = sum(value is None for one in series for value in one.values)
    if description is None:
        description = _line_description(x_labels, series, unit=unit, formatter=formatter, gaps=gaps)
    note = "Gaps in a line are figures not shown, to protect people's privacy." if gaps else ""

    chart = pygal.Line(
        **_config(series_count=len(series), width=WIDTH, height=HEIGHT),
        value_formatter=formatter,
        range=(ticks[0], ticks[-1]),
        y_labels=ticks,
        allow_interruptions=True,
        show_dots=True,
        dots_size=4,
        x_label_rotation=_x_label_rotation(x_labels),
        show_x_guides=False,
        show_y_guides=True,
        margin_right=24,
    )
    chart.x_labels = x_labels
    for one in series:
        chart.add(one.name, _values_with_tooltips(one, x_labels, formatter, named=len(series) > 1))
    return _render(chart, title=title, description=description, note=note)


def scatter_chart(
    *,
    title: str,
    x_title: str,
    y_title: str,
    points: Sequence[Point],
    x_unit: Unit = "%",
    y_unit: Unit = "score",
    description: str | None = None,
) -> Chart:
    """A scatter chart of points, such as organisations' conversation coverage against a Staff Survey score.

    Percentages run from 0% to 100%; counts from 0; scores over a round range around the points.
    Points with a value not shown are left out and counted in the note.
    """
    _check_title(title)
    for name, text in (("x_title", x_title), ("y_title", y_title)):
        if not str(text).strip():
            raise ValueError(f"Give the chart a {name.replace('_', ' ')}")
    _check_unit(x_unit)
    _check_unit(y_unit)
    points = list(points)
    if any(not isinstance(point, Point) for point in points):
        raise TypeError("Points must be Point objects")
    shown = [point for point in points if point.is_shown]
    left_out = len(points) - len(shown)
    x_ticks = _value_ticks([p.x for p in shown], unit=x_unit)
    y_ticks = _value_ticks([p.y for p in shown], unit=y_unit)
    x_format, y_format = _formatter(x_unit), _formatter(y_unit)
    if description is None:
        description = f"Scatter chart of {_count(len(shown), 'point')}. Across: {x_title}. Up: {y_title}." + (
            f" {_count(left_out, 'point')} not shown." if left_out else ""
        )
    note = (
        f"{_count(left_out, 'point')} not shown, because a figure is not available or is protected."
        if left_out
        else ""
    )

    chart = pygal.XY(
        **_config(series_count=1, width=WIDTH, height=HEIGHT),
        stroke=False,
        dots_size=5,
        x_title=x_title,
        y_title=y_title,
        value_formatter=y_format,
        x_value_formatter=x_format,
        xrange=(x_ticks[0], x_ticks[-1]),
        range=(y_ticks[0], y_ticks[-1]),
        x_labels=x_ticks,
        y_labels=y_ticks,
        show_x_guides=True,
        show_y_guides=True,
        margin_right=24,
    )
    chart.add(
        title,
        [
            {
                "value": (point.x, point.y),
                "tooltip": f"{point.label}: {x_title} {x_format(point.x)}, {y_title} {y_format(point.y)}",
            }
            for point in shown
        ],
    )
    return _render(chart, title=title, description=description, note=note)


# Rendering ---------------------------------------------------------------------------------------


def _config(*, series_count: int, width: int, height: int) -> dict:
    """pygal settings every chart shares: no JavaScript, no XML declaration, no per-chart CSS prefix."""
    return {
        "style": NHS_STYLE,
        "width": width,
        "height": height,
        "js": [],
        "disable_xml_declaration": True,
        # The stylesheet is turned into attributes, so it needs no id prefix; without one it is the
        # same text for every chart of a kind and its compiled selectors can be cached.
        "no_prefix": True,
        "show_legend": series_count > 1,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": min(series_count, 3),
        "legend_box_size": FONT_SIZE,
        # Never cut a label short, except group names longer than the widest drawing can hold.
        "truncate_label": 56,
        "truncate_legend": -1,
        "margin": 8,
        "spacing": 12,
        "no_data_text": "No figures to show",
        "tooltip_fancy_mode": False,
    }


def _render(
    chart: pygal.graph.graph.Graph,
    *,
    title: str,
    description: str,
    note: str,
    tidy: Callable[[ElementTree.Element], None] | None = None,
) -> Chart:
    element_id = f"chart-{uuid.uuid4().hex[:12]}"

    def finish(root: ElementTree.Element) -> ElementTree.Element:
        # Prune first: fewer elements to style.
        _remove_interactive_parts(root)
        _apply_stylesheet(root)
        if tidy is not None:
            tidy(root)
        _label(root, element_id=element_id, title=title, description=description)
        return root

    chart.add_xml_filter(finish)
    # ElementTree wrote every label, title and value as escaped text or attribute values, and the
    # filters above left no script: the markup is safe to put in a page as it is.
    svg = mark_safe(chart.render(is_unicode=True))  # noqa: S308
    return Chart(title=title, description=description, svg=svg, note=note, element_id=element_id)


# Selectors that look at siblings or position (a + b, :first-child) would make an element's style depend
# on more than its own and its ancestors' tags, classes and attributes, which _apply_stylesheet assumes.
_SIBLING_OR_POSITION_SELECTOR = re.compile(r"[+~]|:(?!not\(|hover|visited|active|focus)")


@lru_cache(maxsize=16)
def _compiled_stylesheet(css: str) -> cssselect2.Matcher:
    """Compile pygal's stylesheet for matching: presentation properties only, one entry per selector."""
    matcher = cssselect2.Matcher()
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    for order, rule in enumerate(rules):
        if rule.type != "qualified-rule":
            continue
        declarations = tuple(
            (declaration.lower_name, tinycss2.serialize(declaration.value).strip(), declaration.important)
            for declaration in tinycss2.parse_blocks_contents(
                rule.content, skip_comments=True, skip_whitespace=True
            )
            if declaration.type == "declaration" and declaration.lower_name in _PRESENTATION_PROPERTIES
        )
        if not declarations:
            continue
        prelude = tinycss2.serialize(rule.prelude).strip()
        if _SIBLING_OR_POSITION_SELECTOR.search(prelude):
            raise ValueError(f"pygal's stylesheet has a selector charts cannot apply: {prelude}")
        # Without an id prefix, pygal's rules for the chart itself have no selector: they are for the root.
        # Rules for :hover compile but never match: they are interactive effects only.
        for selector in cssselect2.compile_selector_list(
            rule.prelude if prelude else tinycss2.parse_component_value_list(":root")
        ):
            if selector.pseudo_element is None:
                matcher.add_selector(selector, (order, declarations))
    return matcher


def _apply_stylesheet(root: ElementTree.Element) -> None:
    """Replace pygal's <style> with the same rules written as presentation attributes on each element.

    Declarations are applied in cascade order (!important, then specificity, then source order), so
    each element ends up with the values the stylesheet would have given it. Which rules match depends
    only on an element's and its ancestors' tags, classes, ids and attribute names, so elements alike
    in those (every dot of a series, every guide line) are matched once.
    """
    defs = root.find("defs")
    style = defs.find("style") if defs is not None else None
    if style is None:
        return
    defs.remove(style)
    if len(defs) == 0:
        root.remove(defs)
    matcher = _compiled_stylesheet(style.text or "")
    kinds: dict[tuple, int] = {}
    kind_of: dict[ElementTree.Element, int] = {}
    attributes_of_kind: dict[int, tuple[tuple[str, str], ...]] = {}
    for wrapper in cssselect2.ElementWrapper.from_xml_root(root).iter_subtree():
        element = wrapper.etree_element
        parent_kind = kind_of[wrapper.parent.etree_element] if wrapper.parent is not None else -1
        signature = (parent_kind, element.tag, element.get("class"), element.get("id"), tuple(element.keys()))
        kind = kind_of[element] = kinds.setdefault(signature, len(kinds))
        if kind not in attributes_of_kind:
            cascade = sorted(
                (important, specificity, order, name, value)
                for specificity, order, _pseudo, (_, declarations) in matcher.match(wrapper)
                for name, value, important in declarations
            )
            attributes_of_kind[kind] = tuple((name, value) for *_, name, value in cascade)
        for name, value in attributes_of_kind[kind]:
            element.set(name, value)
    _drop_inherited_repeats(root, dict.fromkeys(_INHERITED_PROPERTIES))


def _drop_inherited_repeats(element: ElementTree.Element, inherited: dict[str, str | None]) -> None:
    """Remove attributes that repeat what the element inherits anyway (the font on every label)."""
    own = {}
    for name in _INHERITED_PROPERTIES:
        value = element.get(name)
        if value is not None and value == inherited[name]:
            del element.attrib[name]
        elif value is not None:
            own[name] = value
    passed_on = {**inherited, **own} if own else inherited
    for child in element:
        _drop_inherited_repeats(child, passed_on)


def _remove_interactive_parts(root: ElementTree.Element) -> None:
    """Drop what only pygal's JavaScript uses: scripts, tooltip data and the hidden tooltip box.

    The tooltip box is the one place pygal writes a style attribute. Comments (generator and date)
    go too, so the markup is the same whenever it is drawn.
    """
    for parent in list(root.iter()):
        for child in list(parent):
            if (
                child.tag in ("script", "desc")
                or child.tag is ElementTree.Comment
                or "tooltip-overlay" in child.get("class", "").split()
            ):
                parent.remove(child)
    for element in root.iter():
        element.attrib.pop("style", None)
        # Legend entries carry ids for the script; the same ids in two charts would clash on a page.
        element.attrib.pop("id", None)


def _label(root: ElementTree.Element, *, element_id: str, title: str, description: str) -> None:
    """Name the SVG for assistive technology: role img, labelled by its <title> and <desc>."""
    for old_title in root.findall("title"):
        root.remove(old_title)
    title_element = ElementTree.Element("title", id=f"{element_id}-title")
    title_element.text = title
    desc_element = ElementTree.Element("desc", id=f"{element_id}-desc")
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    root.set("id", element_id)
    root.set("class", "app-chart__svg")
    root.set("role", "img")
    root.set("aria-labelledby", f"{element_id}-title {element_id}-desc")
    root.set("width", "100%")


def _start_printed_values_after_bars(root: ElementTree.Element) -> None:
    """In horizontal bar charts, start each printed value just after its bar instead of centring it."""
    for text in _printed_value_texts(root):
        text.set("text-anchor", "start")


def _lift_printed_values_above_bars(root: ElementTree.Element) -> None:
    """In vertical bar charts, leave a little space between each printed value and the top of its bar."""
    for text in _printed_value_texts(root):
        text.set("y", f"{float(text.get('y')) - 4:.2f}")


def _printed_value_texts(root: ElementTree.Element) -> list[ElementTree.Element]:
    return [
        text
        for overlay in root.iter("g")
        if "text-overlay" in overlay.get("class", "").split()
        for text in overlay.iter("text")
        if "value" in text.get("class", "").split()
    ]


# Values, labels and words ------------------------------------------------------------------------


def _checked(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"Chart values must be numbers or None, not {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"Chart values must be finite numbers, not {value!r}")
    if number < 0:
        raise ValueError(f"Chart values must be 0 or more, not {value!r}")
    return number


def _check_title(title: str) -> None:
    if not str(title).strip():
        raise ValueError("Give the chart a title")


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"The unit must be one of {', '.join(UNITS)}, not {unit!r}")


def _checked_labels(labels: Sequence[str]) -> list[str]:
    labels = [str(label) for label in labels]
    if not labels:
        raise ValueError("A chart needs at least one label")
    return labels


def _checked_series(series: Sequence[Series], *, length: int) -> list[Series]:
    series = list(series)
    if not series:
        raise ValueError("A chart needs at least one series")
    if len(series) > len(SERIES_COLOURS):
        raise ValueError(f"A chart can show at most {len(SERIES_COLOURS)} series: use a table instead")
    for one in series:
        if not isinstance(one, Series):
            raise TypeError("Series must be Series objects")
        if len(one.values) != length:
            raise ValueError(f"The series {one.name!r} has {len(one.values)} values for {length} labels")
    return series


def _values_of(series: Sequence[Series]) -> list[float | None]:
    return [value for one in series for value in one.values]


def _value_ticks(
    values: Sequence[float | None], *, unit: Unit, max_value: float | None = None
) -> tuple[float, ...]:
    """Axis ticks at round steps. Percentages and counts start at 0; scores fit the values shown."""
    shown = [value for value in values if value is not None]
    if max_value is not None:
        max_value = _checked(max_value)
    if unit == "score":
        low = math.floor(min(shown)) if shown else 0.0
        high = max([*shown, max_value or 0.0]) if shown else 10.0
        return _ticks(low, max(high, low + 1), whole=False)
    top = max([*shown, max_value if max_value is not None else (100.0 if unit == "%" else 0.0)])
    return _ticks(0.0, top or 1.0, whole=unit == "people")


def _ticks(low: float, high: float, *, whole: bool) -> tuple[float, ...]:
    """About five ticks from `low` to at least `high`, at a step of 1, 2 or 5 times a power of 10."""
    raw_step = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw_step - 1e-9)
    if whole:
        step = max(1.0, float(round(step)))
    start = math.floor(low / step + 1e-9) * step
    count = math.ceil((high - start) / step - 1e-9)
    return tuple(round(start + i * step, 6) for i in range(count + 1))


def _formatter(unit: Unit) -> Callable[[float | None], str]:
    def format_value(value: float | None) -> str:
        if value is None:
            return SUPPRESSED_SYMBOL
        if unit == "people":
            return f"{value:,.0f}"
        if unit == "score":
            # Staff Survey scores are published to 2 decimal places.
            return f"{value:,.2f}".rstrip("0").rstrip(".")
        return f"{value:,.0f}%" if float(value).is_integer() else f"{value:,.1f}%"

    return format_value


def _values_with_tooltips(
    series: Series, labels: Sequence[str], formatter: Callable[[float], str], *, named: bool
) -> list[dict | None]:
    """pygal values, each with the text a browser shows on hover (an SVG <title>); None stays a gap."""
    prefix = f"{series.name}, " if named else ""
    return [
        None if value is None else {"value": value, "tooltip": f"{prefix}{label}: {formatter(value)}"}
        for label, value in zip(labels, series.values, strict=True)
    ]


def _label_slot(labels: Sequence[str]) -> float:
    """Roughly how wide each label's share of the x axis is (the y axis labels take about 80)."""
    return (WIDTH - 80) / len(labels)


def _x_label_rotation(labels: Sequence[str]) -> int:
    """Turn labels that are too wide for their slot (at 0.5 em a character), as little as keeps them apart.

    Turned labels sit a slot apart across their run, so they need a slot of at least one line of text
    divided by the sine of the angle.
    """
    slot = _label_slot(labels)
    if max(len(label) for label in labels) * FONT_SIZE * 0.5 <= slot - 4:
        return 0
    return next(angle for angle in (30, 45, 90) if slot >= FONT_SIZE / math.sin(math.radians(angle)) + 4)


def _count(number: int, noun: str) -> str:
    return f"1 {noun}" if number == 1 else f"{number:,} {noun}s"


def _unit_words(unit: Unit) -> str:
    return {"%": "percentages", "people": "numbers of people", "score": "scores"}[unit]


def _bar_description(
    labels: Sequence[str], series: Sequence[Series], *, unit: Unit, formatter: Callable[[float], str]
) -> str:
    sentences = [f"Bar chart of {_unit_words(unit)} for {_count(len(labels), 'group')}."]
    if len(series) > 1:
        sentences.append(f"{len(series)} series: {', '.join(s.name for s in series)}.")
    for one in series:
        shown = [(value, label) for label, value in zip(labels, one.values, strict=True) if value is not None]
        if len(shown) > 1:
            (high, high_label), (low, low_label) = max(shown), min(shown)
            prefix = f"{one.name}: highest" if len(series) > 1 else "Highest"
            sentences.append(
                f"{prefix} {high_label} ({formatter(high)}), lowest {low_label} ({formatter(low)})."
            )
    not_shown = sum(value is None for one in series for value in one.values)
    if not_shown:
        sentences.append(f"{_count(not_shown, 'figure')} not shown, to protect people's privacy.")
    return " ".join(sentences)


def _line_description(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit: Unit,
    formatter: Callable[[float], str],
    gaps: int,
) -> str:
    span = x_labels[0] if len(x_labels) == 1 else f"{x_labels[0]} to {x_labels[-1]}"
    sentences = [f"Line chart of {_unit_words(unit)}, {span}."]
    for one in series:
        shown = [
            (label, value) for label, value in zip(x_labels, one.values, strict=True) if value is not None
        ]
        if len(shown) == 1:
            sentences.append(f"{one.name}: {formatter(shown[0][1])} in {shown[0][0]}.")
        elif shown:
            first, last = shown[0], shown[-1]
            sentences.append(
                f"{one.name}: {formatter(first[1])} in {first[0]}, {formatter(last[1])} in {last[0]}."
            )
    if gaps:
        sentences.append(f"{_count(gaps, 'figure')} not shown, to protect people's privacy.")
    return " ".join(sentences)
