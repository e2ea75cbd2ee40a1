"""Turn a dashboard's chart specification (published values only) into an SVG chart.

Drawing a chart costs a few milliseconds, most of a dashboard's server time, and the same chart is
asked for again and again until the next refresh. So rendered charts are cached, keyed by a digest
of the specification: it holds only published (disclosure-controlled) values, so the cache holds
nothing that the page itself does not show.
"""

import hashlib
import logging
import pickle

from django.core.cache import cache

from reporting.charts import Chart, Point, Series, bar_chart, line_chart, scatter_chart
from reporting.dashboards import ChartSpec

logger = logging.getLogger(__name__)

CHART_CACHE_SECONDS = 24 * 60 * 60
CHART_CACHE_VERSION = 1


def render_chart(spec: ChartSpec) -> Chart:
    digest = hashlib.sha256(pickle.dumps((CHART_CACHE_VERSION, spec))).hexdigest()
    key = f"reporting:chart:{digest}"
    try:
        chart = cache.get(key)
    except Exception:  # a cache that is down must not stop the page: draw the chart instead
        logger.warning("Chart cache unavailable", exc_info=True)
        return draw_chart(spec)
    if chart is None:
        chart = draw_chart(spec)
        try:
            cache.set(key, chart, CHART_CACHE_SECONDS)
        except Exception:
            logger.warning("Chart cache unavailable", exc_info=True)
    return chart


def draw_chart(spec: ChartSpec) -> Chart:
    series = [Series(name=name, values=tuple(values)) for name, values in spec.series]
    if spec.kind == "line":
        return line_chart(title=spec.title, x_labels=spec.labels, series=series, unit=spec.unit)
    if spec.kind == "scatter":
        return scatter_chart(
            title=spec.title,
            x_title=spec.x_title,
            y_title=spec.y_title,
            points=[Point(label=label, x=x, y=y) for label, x, y in spec.points],
        )
    return bar_chart(
        title=spec.title,
        labels=spec.labels,
        series=series,
        unit=spec.unit,
        horizontal=True,
        max_value=100 if spec.unit == "%" else None,
    )
