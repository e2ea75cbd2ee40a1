"""Rendered charts are cached by their published values, and a cache that is down costs nothing."""

from unittest import mock

from reporting import charts_render
from reporting.dashboards import ChartSpec

SPEC = ChartSpec(
    kind="bar",
    title="Coverage by pay band",
    labels=("Band 5", "Band 6"),
    series=(("Coverage", (50.0, None)),),
)


def test_the_same_chart_is_drawn_once(db):
    charts_render.cache.clear()
    with mock.patch.object(charts_render, "draw_chart", wraps=charts_render.draw_chart) as draw:
        first = charts_render.render_chart(SPEC)
        second = charts_render.render_chart(SPEC)
    assert draw.call_count == 1
    assert second.svg == first.svg
    assert "Band 6 *" in str(first.svg)


def test_different_values_are_drawn_again(db):
    other = ChartSpec(kind="bar", title=SPEC.title, labels=SPEC.labels, series=(("Coverage", (50.0, 60.0)),))
    assert charts_render.render_chart(other).svg != charts_render.render_chart(SPEC).svg


def test_a_cache_that_is_down_still_gives_the_chart(db):
    with mock.patch.object(charts_render.cache, "get", side_effect=ConnectionError("redis down")):
        chart = charts_render.render_chart(SPEC)
    assert chart.title == "Coverage by pay band"
    assert "<svg" in str(chart.svg)
