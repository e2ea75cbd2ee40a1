"""CSV files for HPS administrators: importing assessment results and exporting applications."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import csv_upload
from core.models import AuditEvent, Notification
from hps import csv_export, csv_import
from hps.models import Application, ApplicationTransition
from tests.accounts.factories import UserFactory, give_totp
from tests.hps.factories import ApplicationFactory, CohortFactory

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 2, 10, 10, 30, tzinfo=LONDON)
INVITED_AT = datetime.datetime(2027, 2, 1, 9, 0, tzinfo=LONDON)
HEADER = "application_id,completed_on,result\n"

Status = Application.Status


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def administrator(hps_administrator):
    give_totp(hps_administrator)
    return hps_administrator


@pytest.fixture
def cohort(administrator):
    return CohortFactory(
        name="Staffordshire and Stoke-on-Trent November 2027", administrators=[administrator]
    )


@pytest.fixture
def invited(cohort):
    """Two applications waiting for their assessment results."""
    return [
        ApplicationFactory(cohort=cohort, assessment_invited=True, assessment_invited_at=INVITED_AT)
        for _number in range(2)
    ]


def _upload(text: str | bytes, name: str = "results.csv") -> SimpleUploadedFile:
    content = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _state():
    return (
        list(Application.objects.order_by("pk").values()),
        ApplicationTransition.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def _import(cohort, administrator, text):
    return csv_import.assessment_results_import(upload=_upload(text), cohort=cohort, by=administrator)


# --- Import: a valid file -----------------------------------------------------------------------


def test_a_valid_file_records_every_result_and_tells_each_applicant(cohort, administrator, invited):
    first, second = invited
    text = f"{HEADER}{first.pk},2027-02-08,Recommended\n{second.pk},09/02/2027,Not recommended\n"

    rows = _import(cohort, administrator, text)

    assert [(row.row_number, row.application.pk, row.completed_on, row.result) for row in rows] == [
        (2, first.pk, datetime.date(2027, 2, 8), "Recommended"),
        (3, second.pk, datetime.date(2027, 2, 9), "Not recommended"),
    ]
    recorded = list(
        Application.objects.filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
        .values_list("status", "assessment_completed_on", "assessment_result")
    )
    assert recorded == [
        (Status.ASSESSMENT_COMPLETE, datetime.date(2027, 2, 8), "Recommended"),
        (Status.ASSESSMENT_COMPLETE, datetime.date(2027, 2, 9), "Not recommended"),
    ]
    assert sorted(Notification.objects.values_list("event_key", flat=True)) == sorted(
        f"hps-application:{application.pk}:record_assessment" for application in invited
    )
    event = AuditEvent.objects.get(verb="hps_assessment_results_import")
    assert (event.actor, event.object_id, event.after) == (
        administrator,
        str(cohort.pk),
        {"cohort": cohort.pk, "rows": 2},
    )


def test_a_spreadsheet_file_with_a_byte_order_mark_blank_lines_and_trailing_cells_is_read(
    cohort, administrator, invited
):
    first, second = invited
    text = (
        "\ufeffApplication_ID , Completed_On,RESULT,,\r\n"
        f"{first.pk}, 2027-02-08 ,Recommended,,\r\n"
        ",,,,\r\n"
        f'{second.pk},2027-02-09,"Recommended, with development"\r\n'
    )

    rows = _import(cohort, administrator, text)

    assert [row.result for row in rows] == ["Recommended", "Recommended, with development"]


# --- Import: invalid rows -----------------------------------------------------------------------


def test_every_row_problem_is_listed_and_nothing_is_saved(cohort, administrator, invited):
    first, second = invited
    shortlisted = ApplicationFactory(cohort=cohort, shortlisted=True)
    draft = ApplicationFactory(cohort=cohort)
    elsewhere = ApplicationFactory(cohort=CohortFactory(), assessment_invited=True)
    text = (
        HEADER
        + f"{first.pk},2027-02-08,Recommended\n"  # row 2: fine
        + "abc,2027-02-08,Recommended\n"  # row 3
        + f"{elsewhere.pk},2027-02-08,Recommended\n"  # row 4
        + f"{draft.pk},2027-02-08,Recommended\n"  # row 5
        + f"{shortlisted.pk},2027-02-08,Recommended\n"  # row 6
        + f"{second.pk},2027-02-30,Recommended\n"  # row 7
        + f"{first.pk},2027-02-08,Recommended\n"  # row 8
        + f"{second.pk},,\n"  # row 9 (row 7 did not count it, so it is not a duplicate)
        + f"{second.pk},2027-02-11,{'x' * 101}\n"  # row 10
        + f"{second.pk},2027-01-31,Recommended\n"  # row 11
        + f"{second.pk},2027-02-08\n"  # row 12
        + "99999999999999999999,2027-02-08,Recommended\n"  # row 13
    )
    before = _state()

    with pytest.raises(ValidationError) as error:
        _import(cohort, administrator, text)

    assert error.value.messages == [
        "Row 3: application ID must be a number, like 1042",
        f"Row 4: there is no application {elsewhere.pk} in this cohort",
        f"Row 5: there is no application {draft.pk} in this cohort",
        f"Row 6: application {shortlisted.pk} is not waiting for an assessment result "
        "(its status is shortlisted)",
        "Row 7: date completed must be a real date, like 2026-10-15 or 15/10/2026",
        f"Row 8: application {first.pk} is already in row 2",
        f"Row 9: application {second.pk} is already in row 7",
        "Row 9: enter the date the assessment was completed",
        "Row 9: enter the result",
        f"Row 10: application {second.pk} is already in row 7",
        "Row 10: date completed must be today or in the past",
        "Row 10: result must be 100 characters or fewer",
        f"Row 11: application {second.pk} is already in row 7",
        "Row 12: enter 3 values, the application ID, the date completed and the result",
        "Row 13: application ID must be a number, like 1042",
    ]
    assert _state() == before


def test_a_date_before_the_invitation_is_refused(cohort, administrator, invited):
    first, _second = invited
    before = _state()

    with pytest.raises(ValidationError) as error:
        _import(cohort, administrator, f"{HEADER}{first.pk},31/01/2027,Recommended\n")

    assert error.value.messages == [
        "Row 2: date completed must be on or after the date of the invitation, 1 February 2027"
    ]
    assert _state() == before


def test_an_administrator_of_another_cohort_cannot_import_into_it(cohort, invited):
    other = UserFactory(email="other.admin@nhs.test")
    before = _state()

    with pytest.raises(ValidationError) as error:
        _import(cohort, other, f"{HEADER}{invited[0].pk},2027-02-08,Recommended\n")

    assert error.value.messages == [f"Row 2: there is no application {invited[0].pk} in this cohort"]
    assert _state() == before


def test_a_change_made_between_the_check_and_the_save_undoes_every_row(
    cohort, administrator, invited, monkeypatch
):
    """If recording one row fails (another administrator acted meanwhile), no row is saved."""
    first, second = invited
    real_check = csv_import.assessment_results_check

    def check_then_someone_else_acts(**kwargs):
        rows = real_check(**kwargs)
        Application.objects.filter(pk=second.pk).update(status=Status.WITHDRAWN)
        return rows

    monkeypatch.setattr(csv_import, "assessment_results_check", check_then_someone_else_acts)
    before = _state()

    with pytest.raises(ValidationError) as error:
        _import(cohort, administrator, f"{HEADER}{first.pk},2027-02-08,Pass\n{second.pk},2027-02-08,Pass\n")

    assert error.value.messages == ["Row 3: This application cannot be moved to that stage"]
    after = _state()
    assert after[1:] == before[1:]
    assert Application.objects.get(pk=first.pk).status == Status.ASSESSMENT_INVITED


# --- Import: invalid files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The selected file is empty"),
        (b"  \n\n", "The selected file is empty"),
        (b"Application ID,Date,Result\n1,2027-02-08,Pass\n", csv_import.WRONG_HEADER),
        (b"application_id,completed_on\n1,2027-02-08\n", csv_import.WRONG_HEADER),
        (HEADER.encode(), csv_import.NO_ROWS),
        ((HEADER + ",,\n").encode(), csv_import.NO_ROWS),
        ("application_id,completed_on,result\n1,2027-02-08,Réussi\n".encode("latin-1"), csv_upload.NOT_UTF8),
        (b"\xff\xfea\x00p\x00p\x00", csv_upload.NOT_UTF8),
        ((HEADER + '1,2027-02-08,"unclosed\n').encode(), csv_upload.NOT_CSV),
        ((HEADER + "1,2027-02-08,Pa\x00ss\n").encode(), csv_upload.NOT_CSV),
        ((HEADER + "1,2027-02-08," + "x" * 200_000 + "\n").encode(), csv_upload.NOT_CSV),
        ((HEADER + "1,2027-02-08,Pass\n" * 2001).encode(), csv_import.TOO_MANY_ROWS),
        (b"a" * (csv_upload.MAX_BYTES + 1), csv_upload.TOO_LARGE),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_clear_message(
    cohort, administrator, invited, content, message
):
    before = _state()

    with pytest.raises(ValidationError) as error:
        _import(cohort, administrator, content)

    assert error.value.messages == [message]
    assert _state() == before


# --- Import: the page ---------------------------------------------------------------------------


def _post(client, cohort, content, name="results.csv"):
    return client.post(
        reverse("hps:assessment_import", kwargs={"pk": cohort.pk}), {"file": _upload(content, name)}
    )


def test_the_import_page_documents_the_format_with_an_example(client, administrator, cohort):
    client.force_login(administrator)

    response = client.get(reverse("hps:assessment_import", kwargs={"pk": cohort.pk}))

    assert response.status_code == 200
    assert "application_id,completed_on,result\n1042,2026-10-15,Recommended" in response.text
    assert 'enctype="multipart/form-data"' in response.text


def test_the_import_page_shows_a_summary_of_what_it_recorded(client, administrator, cohort, invited):
    first, second = invited
    client.force_login(administrator)

    response = _post(client, cohort, f"{HEADER}{first.pk},2027-02-08,Pass\n{second.pk},2027-02-09,Pass\n")

    assert response.status_code == 200
    assert "2 assessment results recorded" in response.text
    assert [row.application.pk for row in response.context["rows"]] == [first.pk, second.pk]
    assert Application.objects.filter(status=Status.ASSESSMENT_COMPLETE).count() == 2


def test_the_import_page_lists_every_row_error_in_the_error_summary(client, administrator, cohort, invited):
    client.force_login(administrator)
    before = _state()

    response = _post(client, cohort, f"{HEADER}abc,2027-02-08,Pass\n{invited[0].pk},,Pass\n")

    assert response.status_code == 200
    assert list(response.context["form"].non_field_errors()) == [
        "Row 2: application ID must be a number, like 1042",
        "Row 3: enter the date the assessment was completed",
    ]
    assert '<a href="#id_file">Row 2: application ID must be a number, like 1042</a>' in response.text
    assert '<a href="#id_file">Row 3: enter the date the assessment was completed</a>' in response.text
    assert "<title>Error: Import assessment results" in response.text
    assert _state() == before


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\xff\xfe\x00\x01", "results.csv", csv_upload.NOT_UTF8),
        (b"application_id,completed_on,result\n", "results.xlsx", "The selected file must be a CSV"),
        (b"", "results.csv", "The selected file is empty"),
        (b"a" * (csv_upload.MAX_BYTES + 1), "results.csv", "The selected file must be smaller than 1 MB"),
    ],
)
def test_the_import_page_never_fails_on_a_bad_file(
    client, administrator, cohort, invited, content, name, message
):
    client.force_login(administrator)
    before = _state()

    response = _post(client, cohort, content, name)

    assert response.status_code == 200
    errors = list(response.context["form"].non_field_errors()) + response.context["form"].errors.get(
        "file", []
    )
    assert errors == [message]
    assert _state() == before


def test_the_import_page_asks_for_a_file(client, administrator, cohort):
    client.force_login(administrator)

    response = client.post(reverse("hps:assessment_import", kwargs={"pk": cohort.pk}), {})

    assert response.context["form"].errors == {"file": ["Select a CSV file"]}


# --- Export -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil.test")', '\'=HYPERLINK("http://evil.test")'),
        ("+441234", "'+441234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Amara", "Amara"),
        ("a=b", "a=b"),
        (None, ""),
        (42, "42"),
    ],
)
def test_cells_a_spreadsheet_would_run_as_formulas_are_made_text(value, cell):
    assert csv_export.safe_cell(value) == cell


def test_exported_rows_are_protected_against_formulas(cohort, administrator):
    application = ApplicationFactory(
        cohort=cohort,
        assessment_complete=True,
        applicant__first_name="=cmd",
        applicant__last_name="Osei",
        assessment_result="@risk",
        assessment_completed_on=datetime.date(2027, 2, 8),
    )

    export = csv_export.application_export(cohort=cohort, by=administrator)

    (row,) = export.rows
    assert (row[0], row[1], row[11], row[12]) == (str(application.pk), "'=cmd Osei", "2027-02-08", "'@risk")
    assert export.row_count == 1


def test_the_export_has_the_documented_header_and_no_statements(cohort, administrator):
    ApplicationFactory(cohort=cohort, submitted=True, motivation_statement="A very private statement")

    export = csv_export.application_export(cohort=cohort, by=administrator)
    text = "".join(csv_export.csv_lines(export.lines()))

    assert text.splitlines()[0] == (
        "\ufeffApplication ID,Applicant name,Email,Organisation,ODS code,Pay band,Development stream,Status,"
        "Submitted at,Sponsor email,Sponsor signed at,Assessment completed on,Assessment result"
    )
    assert "A very private statement" not in text
    assert io.StringIO(text).read().count("\r\n") == 2
