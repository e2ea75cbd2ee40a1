"""Turn a dashboard's chart specification (published values only) into an SVG chart."""

from reporting.charts import Chart, Point, Series, bar_chart, line_chart, scatter_chart
from reporting.dashboards import ChartSpec


def render_chart(spec: ChartSpec) -> Chart:
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
