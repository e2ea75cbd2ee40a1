"""Template tags for reporting pages: ``{% load reporting_charts %}``."""

from django import template

from reporting.charts import Chart

register = template.Library()


@register.inclusion_tag("reporting/components/chart.html")
def chart(chart: Chart) -> dict:
    """A chart from `reporting.charts` as a figure, captioned with its title: ``{% chart coverage_chart %}``.

    The SVG carries no <script>, <style> or style attribute, so it needs no CSP nonce and renders the
    same in a page and in a PDF. Put the table of the same figures next to it.
    """
    if not isinstance(chart, Chart):
        raise TypeError(f"The chart tag takes a Chart from reporting.charts, not {chart!r}")
    return {"chart": chart}
