import io
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pypdf
import pytest
from django.http import HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.template import engines

from core.pdf import StaticFilesURLFetcher, html_to_pdf
from reporting.charts import (
    FONT_FAMILY,
    Chart,
    Point,
    Series,
    bar_chart,
    line_chart,
    scatter_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


def _tree(chart: Chart) -> ElementTree.Element:
    return ElementTree.fromstring(chart.svg)


def _classes(element: ElementTree.Element) -> list[str]:
    return element.get("class", "").split()


def _series_groups(root: ElementTree.Element, layer: str) -> list[ElementTree.Element]:
    """The series groups in one layer of pygal's drawing: "plot" (bars, lines) or "overlay" (dots)."""
    for group in root.iter(f"{SVG}g"):
        if _classes(group) == ["plot", layer] or (layer == "plot" and _classes(group) == ["plot"]):
            return [child for child in group if "series" in _classes(child)]
    raise AssertionError(f"No {layer} layer")


def _texts(element: ElementTree.Element) -> list[str]:
    return [text.text for text in element.iter(f"{SVG}text")]


def _axis_labels(root: ElementTree.Element, axis: str) -> list[str]:
    for group in root.iter(f"{SVG}g"):
        if _classes(group)[:2] == ["axis", axis]:
            return _texts(group)
    raise AssertionError(f"No {axis} axis")


def _printed_values(root: ElementTree.Element) -> list[str]:
    return [
        text.text
        for group in root.iter(f"{SVG}g")
        if "text-overlay" in _classes(group)
        for text in group.iter(f"{SVG}text")
    ]


def _bars(root: ElementTree.Element) -> list[ElementTree.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if "rect" in _classes(rect)]


def _hover_texts(root: ElementTree.Element) -> list[str]:
    """The <title> of each bar or dot, which browsers show on hover."""
    return [
        title.text
        for group in root.iter(f"{SVG}g")
        if _classes(group) in (["bar"], ["dots"])
        for title in group.iter(f"{SVG}title")
    ]


@pytest.fixture
def coverage_by_band() -> Chart:
    return bar_chart(
        title="Conversation coverage by band",
        labels=["Band 5", "Band 6", "Band 7", "Band 8a"],
        series=[Series("Coverage", [40, None, 0, 75])],
    )


@pytest.fixture
def every_kind_of_chart(coverage_by_band) -> list[Chart]:
    return [
        coverage_by_band,
        bar_chart(
            title="Coverage by ethnic group",
            labels=["White", "Black and minority ethnic (BME)", "Not known or not stated"],
            series=[Series("2025", [62, 48, None]), Series("2026", [65, 52.5, 30])],
            horizontal=True,
        ),
        line_chart(
            title="Coverage by month",
            x_labels=["April", "May", "June"],
            series=[Series("Trust", [10, None, 30]), Series("Region", [12, 14, 18])],
        ),
        scatter_chart(
            title="Coverage and learning",
            x_title="Coverage",
            y_title="We are always learning",
            points=[Point("Trust A", 40, 6.74), Point("Trust B", 65.5, 7.1)],
        ),
    ]


# Bar charts ----------------------------------------------------------------------------------------


def test_bar_chart_draws_a_bar_for_each_shown_value_and_a_gap_for_a_value_not_shown(coverage_by_band):
    root = _tree(coverage_by_band)

    bars = _bars(root)
    assert len(bars) == 3
    assert [float(bar.get("height")) > 0 for bar in bars] == [True, False, True]
    assert _hover_texts(root) == ["Band 5: 40%", "Band 7: 0%", "Band 8a: 75%"]
    # The 0 is printed, so a bar of 0 is told apart from the gap.
    assert _printed_values(root) == ["40%", "0%", "75%"]


def test_bar_chart_marks_groups_with_a_figure_not_shown_and_explains_the_mark(coverage_by_band):
    root = _tree(coverage_by_band)

    assert _axis_labels(root, "x") == ["Band 5", "Band 6 *", "Band 7", "Band 8a"]
    assert coverage_by_band.note == (
        "Groups marked * have a figure that is not shown, to protect people's privacy."
    )


def test_bar_chart_of_percentages_runs_from_0_to_100_percent(coverage_by_band):
    assert _axis_labels(_tree(coverage_by_band), "y") == ["0%", "20%", "40%", "60%", "80%", "100%"]


def test_bar_chart_axis_stops_at_the_maximum_asked_for():
    chart = bar_chart(title="Share", labels=["A", "B"], series=[Series("S", [12, 28])], max_value=30)

    assert _axis_labels(_tree(chart), "y") == ["0%", "10%", "20%", "30%"]


def test_bar_chart_of_people_counts_in_whole_people():
    chart = bar_chart(
        title="People in talent pools",
        labels=["Band 7", "Band 8a"],
        series=[Series("Pool", [3, 1])],
        unit="people",
    )

    assert _axis_labels(_tree(chart), "y") == ["0", "1", "2", "3"]


def test_bar_chart_of_large_counts_uses_round_steps_and_thousands_separators():
    chart = bar_chart(title="Staff", labels=["A", "B"], series=[Series("Staff", [1234, 2000])], unit="people")
    root = _tree(chart)

    assert _axis_labels(root, "y") == ["0", "500", "1,000", "1,500", "2,000"]
    assert _printed_values(root) == ["1,234", "2,000"]


def test_vertical_bar_chart_of_many_groups_turns_labels_and_prints_no_values_that_would_overlap():
    chart = bar_chart(
        title="Coverage by organisation",
        labels=[f"Organisation {number}" for number in range(20)],
        series=[Series("Coverage", [number * 4.5 for number in range(20)])],
    )
    root = _tree(chart)

    labels = list(
        next(g for g in root.iter(f"{SVG}g") if _classes(g)[:2] == ["axis", "x"]).iter(f"{SVG}text")
    )
    assert len(labels) == 20
    assert {re.match(r"rotate\((\d+) ", text.get("transform")).group(1) for text in labels} == {"45"}
    assert _printed_values(root) == []
    assert len(_bars(root)) == 20


def test_horizontal_bar_chart_lists_groups_from_the_top_in_the_order_given():
    chart = bar_chart(
        title="Coverage by age group",
        labels=["Under 35", "35 to 54", "55 or over"],
        series=[Series("Coverage", [30, 45, 60])],
        horizontal=True,
    )
    root = _tree(chart)

    # pygal swaps the axes of a horizontal chart: the groups are on its y axis.
    (groups_axis,) = [group for group in root.iter(f"{SVG}g") if _classes(group)[:2] == ["axis", "y"]]
    labels = list(groups_axis.iter(f"{SVG}text"))
    from_the_top = sorted(labels, key=lambda text: float(text.get("y")))
    assert [text.text for text in from_the_top] == ["Under 35", "35 to 54", "55 or over"]
    # Printed values start just after the end of each bar.
    values = [
        text for group in root.iter(f"{SVG}g") if "text-overlay" in _classes(group) for text in group.iter()
    ]
    assert {text.get("text-anchor") for text in values if text.tag == f"{SVG}text"} == {"start"}


def test_bar_chart_with_several_series_names_each_in_a_legend_and_in_hover_text(every_kind_of_chart):
    root = _tree(every_kind_of_chart[1])

    legend = [
        text.text
        for group in root.iter(f"{SVG}g")
        if "legends" in _classes(group)
        for text in group.iter(f"{SVG}text")
    ]
    assert legend == ["2025", "2026"]
    assert sorted(_hover_texts(root)) == [
        "2025, Black and minority ethnic (BME): 48%",
        "2025, White: 62%",
        "2026, Black and minority ethnic (BME): 52.5%",
        "2026, Not known or not stated: 30%",
        "2026, White: 65%",
    ]


def test_chart_with_one_series_has_no_legend(coverage_by_band):
    root = _tree(coverage_by_band)

    assert [group for group in root.iter(f"{SVG}g") if "legends" in _classes(group) and len(group)] == []


def test_series_take_nhs_colours_in_the_colour_blind_safe_order():
    chart = bar_chart(
        title="Readiness",
        labels=["Band 7"],
        series=[Series("Ready now", [1]), Series("1 to 2 years", [2]), Series("3 years or more", [3])],
        unit="people",
    )

    assert [group.get("fill") for group in _series_groups(_tree(chart), "plot")] == [
        "#005eb8",
        "#7c2855",
        "#00a499",
    ]


def test_bar_chart_describes_itself_in_words(coverage_by_band, every_kind_of_chart):
    assert coverage_by_band.description == (
        "Bar chart of percentages for 4 groups. Highest Band 8a (75%), lowest Band 7 (0%). "
        "1 figure not shown, to protect people's privacy."
    )
    assert every_kind_of_chart[1].description == (
        "Bar chart of percentages for 3 groups. 2 series: 2025, 2026. "
        "2025: highest White (62%), lowest Black and minority ethnic (BME) (48%). "
        "2026: highest White (65%), lowest Not known or not stated (30%). "
        "1 figure not shown, to protect people's privacy."
    )


def test_bar_chart_with_every_figure_hidden_says_there_is_nothing_to_show():
    chart = bar_chart(title="Hidden", labels=["A", "B"], series=[Series("S", [None, None])])
    root = _tree(chart)

    assert _bars(root) == []
    assert [text.text for text in root.iter(f"{SVG}text") if "no_data" in _classes(text)] == [
        "No figures to show"
    ]


# Line and scatter charts ---------------------------------------------------------------------------


def test_line_chart_breaks_the_line_where_a_value_is_not_shown():
    chart = line_chart(
        title="Coverage by month",
        x_labels=["April", "May", "June", "July", "August"],
        series=[Series("Trust", [10, 20, None, 40, 50])],
    )
    root = _tree(chart)

    (line_group,) = _series_groups(root, "plot")
    segments = [path.get("d") for path in line_group.iter(f"{SVG}path")]
    assert len(segments) == 2
    assert [segment.count("L") for segment in segments] == [1, 1]
    assert _hover_texts(root) == ["April: 10%", "May: 20%", "July: 40%", "August: 50%"]
    assert chart.note == "Gaps in a line are figures not shown, to protect people's privacy."
    assert chart.description == (
        "Line chart of percentages, April to August. Trust: 10% in April, 50% in August. "
        "1 figure not shown, to protect people's privacy."
    )


def test_line_chart_still_draws_a_value_with_gaps_on_both_sides_as_a_dot():
    chart = line_chart(
        title="Coverage by month",
        x_labels=["April", "May", "June"],
        series=[Series("Trust", [None, 20, None])],
    )
    root = _tree(chart)

    (line_group,) = _series_groups(root, "plot")
    assert list(line_group.iter(f"{SVG}path")) == []
    assert len(list(root.iter(f"{SVG}circle"))) == 1
    assert _hover_texts(root) == ["May: 20%"]


def test_line_chart_with_one_month_describes_it_once():
    chart = line_chart(title="Coverage", x_labels=["April"], series=[Series("Trust", [5])])

    assert chart.description == "Line chart of percentages, April. Trust: 5% in April."


def test_scatter_chart_leaves_out_points_not_shown_and_says_how_many():
    chart = scatter_chart(
        title="Coverage and learning",
        x_title="Coverage",
        y_title="We are always learning",
        points=[Point("Trust A", 10, 6.74), Point("Trust B", None, 7), Point("Trust C", 80, 7.2)],
    )
    root = _tree(chart)

    assert len(list(root.iter(f"{SVG}circle"))) == 2
    assert _hover_texts(root) == [
        "Trust A: Coverage 10%, We are always learning 6.74",
        "Trust C: Coverage 80%, We are always learning 7.2",
    ]
    assert _axis_labels(root, "x") == ["0%", "20%", "40%", "60%", "80%", "100%"]
    assert _axis_labels(root, "y") == ["6", "6.5", "7", "7.5"]
    assert [text.text for text in root.iter(f"{SVG}text") if "title" in _classes(text)] == [
        "Coverage",
        "We are always learning",
    ]
    assert chart.note == "1 point not shown, because a figure is not available or is protected."
    assert chart.description == (
        "Scatter chart of 2 points. Across: Coverage. Up: We are always learning. 1 point not shown."
    )


# What every chart must be --------------------------------------------------------------------------


def test_no_chart_has_a_script_a_stylesheet_a_style_attribute_or_an_event_handler(every_kind_of_chart):
    for chart in every_kind_of_chart:
        root = _tree(chart)
        elements = list(root.iter())

        assert [element.tag for element in elements if element.tag in (f"{SVG}script", f"{SVG}style")] == []
        assert [element.tag for element in elements if "style" in element.attrib] == []
        assert [
            name for element in elements for name in element.attrib if name.lower().startswith("on")
        ] == []
        assert "<!--" not in chart.svg
        assert "<?xml" not in chart.svg


def test_every_chart_is_an_image_named_by_its_title_and_description(every_kind_of_chart):
    for chart in every_kind_of_chart:
        root = _tree(chart)
        title, desc = root[0], root[1]

        assert root.get("role") == "img"
        assert root.get("id") == chart.element_id
        assert re.fullmatch(r"chart-[0-9a-f]{12}", chart.element_id)
        assert root.get("aria-labelledby") == f"{chart.element_id}-title {chart.element_id}-desc"
        assert (title.tag, title.get("id"), title.text) == (
            f"{SVG}title",
            f"{chart.element_id}-title",
            chart.title,
        )
        assert (desc.tag, desc.get("id"), desc.text) == (
            f"{SVG}desc",
            f"{chart.element_id}-desc",
            chart.description,
        )


def test_every_chart_scales_to_its_container_and_uses_the_nhs_font_at_a_readable_size(every_kind_of_chart):
    for chart in every_kind_of_chart:
        root = _tree(chart)

        assert root.get("width") == "100%"
        assert root.get("height") is None
        assert root.get("viewBox").startswith("0 0 ")
        assert root.get("font-family") == FONT_FAMILY.replace(", ", ",")
        sizes = {element.get("font-size") for element in root.iter() if element.get("font-size")}
        assert sizes == {"16px"}


def test_ids_in_two_charts_never_clash(every_kind_of_chart):
    ids = [
        element.get("id")
        for chart in every_kind_of_chart
        for element in _tree(chart).iter()
        if element.get("id")
    ]

    assert len(ids) == len(set(ids)) == 3 * len(every_kind_of_chart)


def test_labels_and_titles_are_escaped():
    chart = bar_chart(title="<script>alert(1)</script>", labels=["<b>A</b>"], series=[Series("S & T", [5])])

    assert "<script>" not in chart.svg
    assert "&lt;b&gt;A&lt;/b&gt;" in chart.svg
    assert _tree(chart)[0].text == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Series("S", [1, float("nan")]), ValueError, "Chart values must be finite numbers, not nan"),
        (lambda: Series("S", [-1]), ValueError, "Chart values must be 0 or more, not -1"),
        (lambda: Series("S", [True]), TypeError, "Chart values must be numbers or None, not True"),
        (lambda: Series("S", ["5"]), TypeError, "Chart values must be numbers or None, not '5'"),
        (lambda: Series(" ", [1]), ValueError, "Give each series a name"),
        (
            lambda: bar_chart(title="T", labels=["A", "B"], series=[Series("S", [1])]),
            ValueError,
            "The series 'S' has 1 values for 2 labels",
        ),
        (
            lambda: bar_chart(title="", labels=["A"], series=[Series("S", [1])]),
            ValueError,
            "Give the chart a title",
        ),
        (lambda: bar_chart(title="T", labels=[], series=[]), ValueError, "A chart needs at least one label"),
        (
            lambda: bar_chart(title="T", labels=["A"], series=[]),
            ValueError,
            "A chart needs at least one series",
        ),
        (
            lambda: bar_chart(title="T", labels=["A"], series=[Series(f"S{i}", [1]) for i in range(7)]),
            ValueError,
            "A chart can show at most 6 series: use a table instead",
        ),
        (
            lambda: line_chart(title="T", x_labels=["A"], series=[Series("S", [1])], unit="pounds"),
            ValueError,
            "The unit must be one of %, people, score, not 'pounds'",
        ),
        (
            lambda: scatter_chart(title="T", x_title="", y_title="Y", points=[]),
            ValueError,
            "Give the chart a x title",
        ),
    ],
)
def test_bad_chart_input_is_refused_with_a_clear_message(make, error, message):
    with pytest.raises(error) as raised:
        make()

    assert str(raised.value) == message


# Template tag and Content-Security-Policy ----------------------------------------------------------


class _PageParts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, str] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag):
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag) :]

    def handle_data(self, data):
        if self._open:
            self.text[self._open[-1]] = self.text.get(self._open[-1], "") + data


def _page_with_chart(rf, chart: Chart) -> HttpResponse:
    """A response with the chart, as a view would send it: through the CSP middleware, with a script nonce."""
    template = engines["django"].from_string(
        '{% load reporting_charts %}<script nonce="{{ csp_nonce }}">1</script>{% chart chart %}'
    )

    def view(request):
        return HttpResponse(template.render({"chart": chart}, request))

    return ContentSecurityPolicyMiddleware(view)(rf.get("/reports/"))


def test_chart_tag_renders_a_figure_captioned_with_the_title_and_the_note(rf, coverage_by_band):
    parts = _PageParts()
    parts.feed(_page_with_chart(rf, coverage_by_band).content.decode())

    tags = [tag for tag, _ in parts.elements]
    assert tags[:4] == ["script", "figure", "figcaption", "svg"]
    assert parts.text["figcaption"] == "Conversation coverage by band"
    assert parts.text["p"] == "Groups marked * have a figure that is not shown, to protect people's privacy."
    svg_attributes = parts.elements[3][1]
    assert svg_attributes["role"] == "img"


def test_chart_tag_output_needs_nothing_the_content_security_policy_blocks(rf, every_kind_of_chart):
    for chart in every_kind_of_chart:
        response = _page_with_chart(rf, chart)
        policy = response["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        parts = _PageParts()
        parts.feed(response.content.decode())

        directives = {name: values for name, *values in (part.split() for part in policy.split(";"))}
        assert directives["style-src"] == ["'self'"]
        assert "unsafe-inline" not in policy
        # The only script is the page's own, with the nonce; the chart brings no script and no inline CSS
        # (no <style> element that would need the nonce, no style attribute that nothing can allow).
        assert [(tag, attributes.get("nonce")) for tag, attributes in parts.elements if tag == "script"] == [
            ("script", nonce)
        ]
        assert [tag for tag, _ in parts.elements if tag == "style"] == []
        assert [tag for tag, attributes in parts.elements if "style" in attributes] == []


def test_chart_tag_refuses_anything_but_a_chart():
    template = engines["django"].from_string("{% load reporting_charts %}{% chart chart %}")

    with pytest.raises(TypeError) as raised:
        template.render({"chart": "<svg/>"})

    assert str(raised.value) == "The chart tag takes a Chart from reporting.charts, not '<svg/>'"


# PDF -----------------------------------------------------------------------------------------------


def test_chart_renders_in_a_pdf_the_same_as_on_the_page(coverage_by_band):
    html = (
        engines["django"]
        .from_string(
            "{% load reporting_charts %}<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>"
            "<link rel='stylesheet' href='css/print.css'></head><body><h1>Coverage report</h1>"
            "{% chart chart %}</body></html>"
        )
        .render({"chart": coverage_by_band})
    )
    fetcher = StaticFilesURLFetcher()

    pdf = pypdf.PdfReader(io.BytesIO(html_to_pdf(html, url_fetcher=fetcher)))

    assert fetcher.refused == []
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    for expected in (
        "Coverage report",
        "Conversation coverage by band",
        "Band 6 *",
        "Band 8a",
        "75%",
        "100%",
    ):
        assert expected in text
    # The bars are filled NHS blue (#005eb8 is 0, 94, 184 out of 255).
    assert "0 0.368627 0.721569 rg" in pdf.pages[0].get_contents().get_data().decode("latin-1")
