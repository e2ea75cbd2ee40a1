"""Template filters for the dashboards' tables: ``{% load reporting_tables %}``."""

from django import template

register = template.Library()


@register.filter
def figure(value) -> str:
    """A published count with thousands separators ("2,335"); anything else (*, 16.5%, words) as it is."""
    text = str(value)
    return f"{int(text):,}" if text.isdigit() else text
