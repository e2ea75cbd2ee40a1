"""The CSV export of a cohort's applications, for its administrators.

It holds personal data (names, email addresses, decisions), so the page asks the administrator to
confirm first and every export writes an audit event with the number of rows. It never holds equality
monitoring answers or the applicants' statements.
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify

from core.audit import audit
from core.models import AuditEvent
from hps.models import Application, Cohort
from hps.selectors import applications_administered_by

HEADER = (
    "Application ID",
    "Applicant name",
    "Email",
    "Organisation",
    "ODS code",
    "Pay band",
    "Development stream",
    "Status",
    "Submitted at",
    "Sponsor email",
    "Sponsor signed at",
    "Assessment completed on",
    "Assessment result",
)

#: A cell starting with one of these is read as a formula by spreadsheets (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The value as text, with a leading apostrophe if a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return f"'{text}"
    return text


def _moment(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value is not None else ""


def application_row(application: Application) -> list[str]:
    """One application as a row of the export, in the order of `HEADER`."""
    organisation = application.organisation
    stream = f"Development stream {application.development_stream}" if application.development_stream else ""
    values = (
        application.pk,
        application.applicant.get_full_name(),
        application.applicant.email,
        organisation.name if organisation else "",
        organisation.code if organisation else "",
        application.pay_band.name if application.pay_band else "",
        stream,
        application.get_status_display(),
        _moment(application.submitted_at),
        application.sponsor_email,
        _moment(application.sponsor_signed_at),
        application.assessment_completed_on.isoformat() if application.assessment_completed_on else "",
        application.assessment_result,
    )
    return [safe_cell(value) for value in values]


@dataclass(frozen=True)
class ApplicationExport:
    filename: str
    row_count: int
    rows: list[list[str]]

    def lines(self) -> Iterator[list[str]]:
        yield list(HEADER)
        yield from self.rows


def application_export(*, cohort: Cohort, by) -> ApplicationExport:
    """Every application sent to the cohort (not drafts), as CSV rows; audited with the row count.

    `cohort` must be one `by` administers (the view loads it through `cohort_administered_by`); the
    applications are read through `applications_administered_by` all the same.
    """
    applications = applications_administered_by(user=by).filter(cohort=cohort).order_by("submitted_at", "pk")
    rows = [application_row(application) for application in applications]
    audit(
        actor=by,
        action=AuditEvent.Action.READ,
        verb="hps_applications_export",
        instance=cohort,
        after={"cohort": cohort.pk, "rows": len(rows)},
    )
    filename = f"hps-applications-{slugify(cohort.name)[:60]}-{timezone.localdate():%Y-%m-%d}.csv"
    return ApplicationExport(filename=filename, row_count=len(rows), rows=rows)


class _Echo:
    """A file-like object whose write returns the text, for streaming a csv.writer's output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """The rows as CSV text, one line at a time, after a byte order mark so that Excel reads UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)
