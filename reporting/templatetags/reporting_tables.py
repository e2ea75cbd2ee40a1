"""Template tags for the dashboards' tables: ``{% load reporting_tables %}``.

A national dashboard can hold a thousand table cells, and Django's template engine spends most of a
page's server time looping over them. So a published table is written out here, in one pass with
every value escaped, in exactly the markup `templates/reporting/_table.html` documents.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def figure(value) -> str:
    """A published count with thousands separators ("2,335"); anything else (*, 16.5%, words) as it is."""
    text = str(value)
    return f"{int(text):,}" if text.isdigit() else text


def _cell(value: str, position: int, text_columns: int, *, strong: bool = False) -> str:
    if position == 0:
        return f'<th scope="row" class="nhsuk-table__header">{escape(value)}</th>'
    if position < text_columns:
        return f'<td class="nhsuk-table__cell">{escape(value)}</td>'
    shown = escape(figure(value))
    if strong:
        shown = f"<strong>{shown}</strong>"
    return f'<td class="nhsuk-table__cell nhsuk-table__cell--numeric">{shown}</td>'


@register.simple_tag
def report_table(table) -> SafeString:
    """A `reporting.dashboards.Table` as an NHS.UK table in a keyboard-scrollable region."""
    caption = escape(table.caption)
    numeric = " nhsuk-table__header--numeric"
    headings = "".join(
        f'<th scope="col" class="nhsuk-table__header{numeric if position >= table.text_columns else ""}">'
        f"{escape(heading)}</th>"
        for position, heading in enumerate(table.header)
    )
    if table.rows:
        body = "".join(
            '<tr class="nhsuk-table__row">'
            + "".join(_cell(value, position, table.text_columns) for position, value in enumerate(row))
            + "</tr>"
            for row in table.rows
        )
    else:
        body = (
            f'<tr class="nhsuk-table__row"><td class="nhsuk-table__cell" colspan="{len(table.header)}">'
            "No figures for this selection.</td></tr>"
        )
    footer = ""
    if table.footer:
        footer = (
            '<tfoot><tr class="nhsuk-table__row">'
            + "".join(_cell(value, position, 1, strong=True) for position, value in enumerate(table.footer))
            + "</tr></tfoot>"
        )
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<div class="app-table-scroll" tabindex="0" role="region" aria-label="{caption}">'
        '<table class="nhsuk-table app-report-table">'
        f'<caption class="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>'
        f'<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">{headings}</tr></thead>'
        f'<tbody class="nhsuk-table__body">{body}</tbody>{footer}</table></div>'
    )
