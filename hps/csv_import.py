"""Importing the results of the leadership potential assessment from a CSV file.

The assessment is a 90-minute online questionnaire run outside this service; its results come back as
a spreadsheet. The file has a header row and one row per application::

    application_id,completed_on,result
    1042,2026-10-15,Recommended
    1043,16/10/2026,Not recommended

Every row is checked before anything is saved. If any row is wrong, every problem is reported (by row
number, counting the header as row 1) and nothing changes; otherwise each result is recorded through
`hps.admin_services.application_decide`, all in one transaction, so the applicants are told as they
would be for a result entered by hand.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import dateformat, timezone

from core.audit import audit
from core.csv_upload import read_csv_rows
from core.models import AuditEvent
from hps.admin_services import RESULT_MAX_LENGTH, application_decide
from hps.models import Application, Cohort
from hps.selectors import applications_administered_by

COLUMNS = ("application_id", "completed_on", "result")
MAX_ROWS = 2000
MAX_ID_DIGITS = 18  # below the largest 64-bit integer, so no number overflows the database
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)

EXAMPLE = "application_id,completed_on,result\n1042,2026-10-15,Recommended\n1043,16/10/2026,Not recommended\n"

NO_ROWS = "The selected file has no results in it. Add a row for each application under the column names"
WRONG_HEADER = "The first row of the file must be the column names application_id, completed_on and result"
TOO_MANY_ROWS = f"The selected file must have {MAX_ROWS} results or fewer"


@dataclass(frozen=True)
class ResultRow:
    """One checked row: the application and the result to record for it."""

    row_number: int
    application: Application
    completed_on: datetime.date
    result: str


def _parse_date(text: str) -> datetime.date | None:
    """A date written 2026-10-15 or 15/10/2026, or None if it is neither or not a real date."""
    if match := ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := UK_DATE.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _long_date(value: datetime.date) -> str:
    return dateformat.format(value, "j F Y")


def _read_rows(upload) -> list[list[str]]:
    """The file's rows as lists of cells, or a ValidationError about the file as a whole."""
    return read_csv_rows(upload, max_rows=MAX_ROWS)


def _application_id(text: str) -> int | None:
    """The application ID in a cell, or None if it is not a whole number a database key can be."""
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_ID_DIGITS:
        return None
    return int(text)


def _cells(row: list[str]) -> list[str]:
    """The row's cells, trimmed, without the empty cells spreadsheets leave after the last column."""
    cells = [cell.strip() for cell in row]
    while len(cells) > len(COLUMNS) and not cells[-1]:
        cells.pop()
    return cells


def assessment_results_check(*, upload, cohort: Cohort, user) -> list[ResultRow]:
    """Read and check every row of a CSV of assessment results for the cohort; save nothing.

    Raises a ValidationError listing every problem found (the file itself, or each row by number).
    """
    rows = _read_rows(upload)
    header = [cell.lower() for cell in _cells(rows[0])]
    if header != list(COLUMNS):
        raise ValidationError(WRONG_HEADER)
    numbered = [(number, _cells(row)) for number, row in enumerate(rows[1:], start=2)]
    numbered = [(number, cells) for number, cells in numbered if any(cells)]
    if len(rows) > MAX_ROWS + 1:
        raise ValidationError(TOO_MANY_ROWS)
    if not numbered:
        raise ValidationError(NO_ROWS)

    ids = {_application_id(cells[0]) for _number, cells in numbered}
    applications = {
        application.pk: application
        for application in applications_administered_by(user=user).filter(
            cohort=cohort, pk__in=[value for value in ids if value is not None]
        )
    }
    today = timezone.localdate()
    errors = []
    checked = []
    first_row_of = {}
    for number, cells in numbered:
        row_errors = []
        if len(cells) != len(COLUMNS):
            errors.append(
                f"Row {number}: enter 3 values, the application ID, the date completed and the result"
            )
            continue
        id_text, completed_text, result = cells
        application_id = _application_id(id_text)
        application = None
        if application_id is None:
            row_errors.append(f"Row {number}: application ID must be a number, like 1042")
        elif application_id in first_row_of:
            row_errors.append(
                f"Row {number}: application {application_id} is already in row {first_row_of[application_id]}"
            )
        else:
            first_row_of[application_id] = number
            application = applications.get(application_id)
            if application is None:
                row_errors.append(f"Row {number}: there is no application {application_id} in this cohort")
            elif application.status != Application.Status.ASSESSMENT_INVITED:
                row_errors.append(
                    f"Row {number}: application {application_id} is not waiting for an assessment result "
                    f"(its status is {application.get_status_display().lower()})"
                )
        completed_on = None
        if not completed_text:
            row_errors.append(f"Row {number}: enter the date the assessment was completed")
        else:
            completed_on = _parse_date(completed_text)
            if completed_on is None:
                row_errors.append(
                    f"Row {number}: date completed must be a real date, like 2026-10-15 or 15/10/2026"
                )
            elif completed_on > today:
                row_errors.append(f"Row {number}: date completed must be today or in the past")
            elif (
                application is not None
                and application.status == Application.Status.ASSESSMENT_INVITED
                and application.assessment_invited_at is not None
                and completed_on < timezone.localdate(application.assessment_invited_at)
            ):
                invited_on = timezone.localdate(application.assessment_invited_at)
                row_errors.append(
                    f"Row {number}: date completed must be on or after the date of the invitation, "
                    f"{_long_date(invited_on)}"
                )
        if not result:
            row_errors.append(f"Row {number}: enter the result")
        elif len(result) > RESULT_MAX_LENGTH:
            row_errors.append(f"Row {number}: result must be {RESULT_MAX_LENGTH} characters or fewer")
        if row_errors:
            errors += row_errors
        elif application is not None and completed_on is not None:
            checked.append(ResultRow(number, application, completed_on, result))
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def assessment_results_import(*, upload, cohort: Cohort, by) -> list[ResultRow]:
    """Check a CSV of assessment results and, if every row is right, record them all in one transaction.

    Raises a ValidationError listing every problem, and saves nothing, if any row is wrong.
    """
    rows = assessment_results_check(upload=upload, cohort=cohort, user=by)
    for row in rows:
        try:
            application_decide(
                application=row.application,
                by=by,
                name="record_assessment",
                completed_on=row.completed_on,
                result=row.result,
            )
        except ValidationError as error:
            # Another administrator changed the application since the check: undo every row.
            messages = [f"Row {row.row_number}: {message}" for message in error.messages]
            raise ValidationError(messages) from None
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="hps_assessment_results_import",
        instance=cohort,
        after={"cohort": cohort.pk, "rows": len(rows)},
    )
    return rows
