"""The NHS Staff Survey link: importing results, the import page and the coverage comparison dashboard."""

import datetime
import math
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import IntegratedCareSystem, Role, Scope
from accounts.selectors import organisations_in_scope
from core import csv_upload
from core.models import AuditEvent
from reporting import survey
from reporting.dashboards import ChartSpec, Filters, Table
from reporting.models import AreaLevel, OrganisationYearCoverage, Snapshot, SurveyResult, SurveyTheme
from reporting.scope import ENGLAND, Area
from tests.accounts.factories import OrganisationFactory, RoleAssignmentFactory, UserFactory, give_totp

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2025, 6, 16, 10, 0, tzinfo=LONDON)
HEADER = "organisation code,year,theme,score\n"
LEARNING = SurveyTheme.ALWAYS_LEARNING
STAY = SurveyTheme.INTENTION_TO_STAY


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def lead(talent_lead_with_mfa):
    """A talent lead for one organisation, RRE (the shared `organisation` fixture)."""
    return talent_lead_with_mfa


@pytest.fixture
def other_organisation(db):
    """An organisation that exists but is not the talent lead's."""
    return OrganisationFactory(code="RYJ", name="Imperial College Healthcare NHS Trust")


def _upload(text: str | bytes, name: str = "survey.csv") -> SimpleUploadedFile:
    content = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _import(user, text, name="survey.csv"):
    return survey.import_survey_results(
        user=user, file=_upload(text, name), organisations_in_scope=organisations_in_scope(user)
    )


def _results():
    return sorted(
        (code, year, theme, score)
        for code, year, theme, score in SurveyResult.objects.values_list(
            "organisation__code", "year", "theme", "score"
        )
    )


def _state():
    return (
        list(SurveyResult.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


# --- Import: a valid file -----------------------------------------------------------------------


def test_a_valid_file_adds_every_result_and_records_an_audit_event(lead, organisation):
    result = _import(
        lead,
        "organisation code,year,theme,score\n"
        "RRE,2024,We are always learning,5.9\n"
        "RRE,2024,Intention to stay,6.12\n"
        "RRE,2023,We are always learning,6\n",
    )

    assert result == survey.ImportResult(added=3, updated=0, unchanged=0)
    assert result.summary == "Staff Survey results imported: 3 added and 0 updated"
    assert _results() == [
        ("RRE", 2023, "always_learning", Decimal("6.00")),
        ("RRE", 2024, "always_learning", Decimal("5.90")),
        ("RRE", 2024, "intention_to_stay", Decimal("6.12")),
    ]
    assert set(SurveyResult.objects.values_list("imported_by", "imported_at")) == {(lead.pk, NOW)}
    event = AuditEvent.objects.get(verb="staff_survey_results_import")
    assert (event.actor, event.action, event.object_type) == (lead, AuditEvent.Action.UPDATE, "")
    assert event.after == {"rows": 3, "added": 3, "updated": 0}


def test_a_spreadsheet_file_with_a_byte_order_mark_blank_lines_and_trailing_cells_is_read(lead, organisation):
    content = (
        "\ufeffOrganisation name,ODS_CODE,Theme or question,YEAR,Score,,\r\n"
        "Midlands Partnership,rre,people promise 5: we are always learning, 2024 ,5.94,,\r\n"
        ",,,,,,\r\n"
        "Midlands Partnership,RRE,Thinking about leaving,2024,6.125\r\n"
    ).encode()

    result = _import(lead, content)

    assert result == survey.ImportResult(added=2, updated=0)
    assert _results() == [
        ("RRE", 2024, "always_learning", Decimal("5.94")),
        ("RRE", 2024, "intention_to_stay", Decimal("6.13")),
    ]


@pytest.mark.parametrize(
    "content",
    [
        "organisation code,year,theme,score\nRRE,2024,We are always learning,5.9\n",
        "Org code,Year,Question,Score\nRRE,2024,We are always learning,5.9\n",
        "ODS code,Survey year,Theme/question,SCORE\nRRE,2024,We are always learning,5.9\n",
        "organisation_code,year,theme_or_question,score\nRRE,2024,We are always learning,5.9\n",
        "Score,Theme,Year,Organization Code\n5.9,We are always learning,2024,RRE\n",
    ],
)
def test_the_usual_spellings_of_the_column_names_are_accepted_in_any_order(lead, organisation, content):
    _import(lead, content)

    assert _results() == [("RRE", 2024, "always_learning", Decimal("5.90"))]


@pytest.mark.parametrize(
    ("name", "theme"),
    [
        ("We are always learning", LEARNING),
        ("WE ARE ALWAYS LEARNING", LEARNING),
        ("Always learning", LEARNING),
        ("People Promise element 5", LEARNING),
        ("always_learning", LEARNING),
        ("Intention to stay", STAY),
        ("Thinking about leaving", STAY),
        ("Morale - thinking about leaving", STAY),
        ("intention_to_stay", STAY),
    ],
)
def test_theme_names_from_staff_survey_files_are_mapped_to_the_themes(lead, organisation, name, theme):
    _import(lead, f"{HEADER}RRE,2024,{name},6.0\n")

    assert list(SurveyResult.objects.values_list("theme", flat=True)) == [theme]


def test_results_already_held_are_replaced_and_counted(lead, organisation):
    earlier = UserFactory()
    imported_at = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=LONDON)
    kept = SurveyResult.objects.create(
        organisation=organisation,
        year=2023,
        theme=LEARNING,
        score=Decimal("5.80"),
        imported_by=earlier,
        imported_at=imported_at,
    )
    changed = SurveyResult.objects.create(
        organisation=organisation,
        year=2024,
        theme=LEARNING,
        score=Decimal("5.50"),
        imported_by=earlier,
        imported_at=imported_at,
    )

    result = _import(
        lead,
        f"{HEADER}RRE,2023,We are always learning,5.8\nRRE,2024,We are always learning,5.9\n"
        "RRE,2024,Intention to stay,6.1\n",
    )

    assert result == survey.ImportResult(added=1, updated=1, unchanged=1)
    assert result.summary == "Staff Survey results imported: 1 added, 1 updated and 1 already up to date"
    assert _results() == [
        ("RRE", 2023, "always_learning", Decimal("5.80")),
        ("RRE", 2024, "always_learning", Decimal("5.90")),
        ("RRE", 2024, "intention_to_stay", Decimal("6.10")),
    ]
    changed.refresh_from_db()
    kept.refresh_from_db()
    assert (changed.imported_by, changed.imported_at) == (lead, NOW)
    assert (kept.imported_by, kept.imported_at) == (earlier, imported_at)
    assert AuditEvent.objects.get(verb="staff_survey_results_import").after == {
        "rows": 3,
        "added": 1,
        "updated": 1,
    }


# --- Import: rows that are wrong ----------------------------------------------------------------


def test_every_row_problem_is_listed_and_nothing_is_saved(lead, organisation, other_organisation):
    SurveyResult.objects.create(organisation=organisation, year=2023, theme=LEARNING, score=Decimal("5.00"))
    before = _state()
    content = (
        HEADER
        + "RRE,2023,We are always learning,6.5\n"  # 2: right, but not saved because others are wrong
        + "RRE,24,We are always learning,6.0\n"  # 3
        + "RYJ,2024,We are always learning,6.0\n"  # 4
        + "RXX,2024,We are always learning,6.0\n"  # 5
        + "RRE,2026,We are always learning,6.0\n"  # 6
        + "RRE,1999,Intention to stay,6.0\n"  # 7
        + "RRE,2024,Morale,6.0\n"  # 8
        + "RRE,2024,We are always learning,high\n"  # 9
        + "RRE,2024,We are always learning,10.5\n"  # 10
        + "RRE,2024,Intention to stay,-1\n"  # 11
        + "RRE,2024,Engagement,12\n"  # 12
        + "RRE,2024,Intention to stay,32%\n"  # 13
        + ",,,\n"  # blank: skipped
        + "RRE,,,\n"  # 15
        + "RRE,2023,People Promise 5,6.5\n"  # 16: the same as row 2
        + "RRE,2024,Intention to stay,6.0,extra\n"  # 17
    )

    with pytest.raises(ValidationError) as error:
        _import(lead, content)

    assert error.value.messages == [
        "Row 3: year must be a year, like 2024",
        "Row 4: organisation RYJ is not one of your organisations",
        "Row 5: organisation RXX is not one of your organisations",
        "Row 6: year must be between 2000 and 2025",
        "Row 7: year must be between 2000 and 2025",
        'Row 8: theme "Morale" is not one the service compares. Use "We are always learning" or '
        '"Intention to stay"',
        "Row 9: score must be a number, like 6.4",
        "Row 10: score for We are always learning must be between 0 and 10",
        "Row 11: score for Intention to stay must be between 0 and 10",
        'Row 12: theme "Engagement" is not one the service compares. Use "We are always learning" or '
        '"Intention to stay"',
        "Row 12: score must be between 0 and 10",
        "Row 13: score must be the score out of 10, like 6.4, not a percentage",
        "Row 15: enter the year",
        "Row 15: enter the theme",
        "Row 15: enter the score",
        "Row 16: organisation RRE, 2023, We are always learning is already in row 2",
        "Row 17: there are more values than column names in the first row",
    ]
    assert _state() == before


def test_a_file_with_many_problems_lists_the_first_50(lead, organisation):
    before = _state()

    with pytest.raises(ValidationError) as error:
        _import(lead, HEADER + "RRE,2024,We are always learning,11\n" * 53)

    assert len(error.value.messages) == 51
    assert error.value.messages[0] == "Row 2: score for We are always learning must be between 0 and 10"
    assert error.value.messages[49] == "Row 51: score for We are always learning must be between 0 and 10"
    assert error.value.messages[50] == (
        "There are 3 more problems in the file. Correct the rows listed and upload it again to see them"
    )
    assert _state() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", csv_upload.EMPTY),
        (b" \r\n\r\n", csv_upload.EMPTY),
        (b"organisation,year,theme,score\nRRE,2024,We are always learning,6\n", survey.WRONG_HEADER),
        (b"organisation code;year;theme;score\nRRE;2024;We are always learning;6\n", survey.WRONG_HEADER),
        (
            b"org code,ods code,year,theme,score\nRRE,RRE,2024,We are always learning,6\n",
            f"{survey.WRONG_HEADER}. The file has more than one organisation column",
        ),
        (HEADER.encode(), survey.NO_ROWS),
        ((HEADER + ",,,\n").encode(), survey.NO_ROWS),
        ((HEADER + "RRE,2024,Intention to stay,6\n").encode("utf-16"), csv_upload.NOT_UTF8),
        ((HEADER + "RRE,2024,We are always learning,6,Café\n").encode("latin-1"), csv_upload.NOT_UTF8),
        ((HEADER + 'RRE,2024,"unclosed\n').encode(), csv_upload.NOT_CSV),
        ((HEADER + "RRE,2024,We are\x00 always learning,6\n").encode(), csv_upload.NOT_CSV),
        ((HEADER + "RRE,2024," + "x" * 200_000 + ",6\n").encode(), csv_upload.NOT_CSV),
        ((HEADER + "RRE,2024,We are always learning,6\n" * 10_001).encode(), survey.TOO_MANY_ROWS),
        (b"a" * (csv_upload.MAX_BYTES + 1), csv_upload.TOO_LARGE),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_clear_message(lead, organisation, content, message):
    before = _state()

    with pytest.raises(ValidationError) as error:
        _import(lead, content)

    assert error.value.messages == [message]
    assert _state() == before


def test_the_file_limits_have_clear_messages():
    assert survey.TOO_MANY_ROWS == "The selected file must have 10,000 results or fewer"
    assert csv_upload.TOO_LARGE == "The selected file must be smaller than 1 MB"


def test_a_talent_lead_for_a_whole_ics_can_import_for_any_of_its_organisations(organisation):
    ics_lead = UserFactory()
    RoleAssignmentFactory(
        user=ics_lead,
        role=Role.TALENT_LEAD,
        scope=Scope.ICS,
        integrated_care_system=organisation.integrated_care_system,
    )
    OrganisationFactory(code="RJE", name="University Hospitals of North Midlands NHS Trust")

    result = _import(ics_lead, f"{HEADER}RRE,2024,Intention to stay,6.1\nRJE,2024,Intention to stay,5.7\n")

    assert result.added == 2
    assert _results() == [
        ("RJE", 2024, "intention_to_stay", Decimal("5.70")),
        ("RRE", 2024, "intention_to_stay", Decimal("6.10")),
    ]


def test_a_result_saved_by_another_import_meanwhile_undoes_every_row(lead, organisation, monkeypatch):
    before = _state()
    real_manager = SurveyResult.objects

    class RacingManager:
        """Another import saves the 2024 result between this import's check and its save."""

        def select_for_update(self):
            real_manager.create(organisation=organisation, year=2024, theme=LEARNING, score=Decimal("4.00"))
            return real_manager.none()

        def bulk_create(self, *args, **kwargs):
            return real_manager.bulk_create(*args, **kwargs)

    monkeypatch.setattr(SurveyResult, "objects", RacingManager())

    with pytest.raises(ValidationError) as error:
        _import(lead, f"{HEADER}RRE,2024,Intention to stay,6.1\nRRE,2024,We are always learning,5.9\n")

    monkeypatch.undo()
    assert error.value.messages == [survey.CHANGED_MEANWHILE]
    assert _state() == before


# --- Import: the page ---------------------------------------------------------------------------


def _import_url():
    return reverse("reporting:survey_import")


def _post(client, content, name="survey.csv"):
    return client.post(_import_url(), {"file": _upload(content, name)})


def test_the_import_page_documents_the_format_with_an_example(client, lead):
    client.force_login(lead)

    response = client.get(_import_url())

    assert response.status_code == 200
    assert "<title>Import NHS Staff Survey results" in response.text
    assert survey.EXAMPLE in response.text
    assert 'enctype="multipart/form-data"' in response.text
    assert "Thinking about leaving" in response.text
    assert "up to 10,000 results" in response.text
    assert response.context["themes"][0] == ("We are always learning", survey.THEME_NAMES[LEARNING])


def test_a_successful_import_shows_the_dashboard_with_how_many_results_changed(client, lead, organisation):
    SurveyResult.objects.create(organisation=organisation, year=2024, theme=LEARNING, score=Decimal("5.00"))
    client.force_login(lead)

    response = _post(client, f"{HEADER}RRE,2024,We are always learning,5.9\nRRE,2024,Intention to stay,6.1\n")

    assert response.status_code == 302
    assert response.url == reverse("reporting:dashboard_detail", kwargs={"slug": "survey"})
    assert [str(message) for message in response.wsgi_request._messages] == [
        "Staff Survey results imported: 1 added and 1 updated"
    ]
    assert _results() == [
        ("RRE", 2024, "always_learning", Decimal("5.90")),
        ("RRE", 2024, "intention_to_stay", Decimal("6.10")),
    ]


def test_the_import_page_lists_every_row_error_in_the_error_summary(client, lead, organisation):
    client.force_login(lead)
    before = _state()

    response = _post(client, f"{HEADER}RXX,2024,We are always learning,5.9\nRRE,2024,Intention to stay,\n")

    assert response.status_code == 200
    assert list(response.context["form"].non_field_errors()) == [
        "Row 2: organisation RXX is not one of your organisations",
        "Row 3: enter the score",
    ]
    assert '<a href="#id_file">Row 2: organisation RXX is not one of your organisations</a>' in response.text
    assert "<title>Error: Import NHS Staff Survey results" in response.text
    assert _state() == before


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\xff\xfe\x00\x01", "survey.csv", csv_upload.NOT_UTF8),
        (HEADER.encode(), "survey.xlsx", "The selected file must be a CSV"),
        (b"", "survey.csv", "The selected file is empty"),
        (b"a" * (csv_upload.MAX_BYTES + 1), "survey.csv", "The selected file must be smaller than 1 MB"),
        (bytes(range(256)) * 8, "survey.csv", csv_upload.NOT_UTF8),
    ],
)
def test_the_import_page_never_fails_on_a_bad_file(client, lead, organisation, content, name, message):
    client.force_login(lead)
    before = _state()

    response = _post(client, content, name)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.non_field_errors()) + form.errors.get("file", []) == [message]
    assert _state() == before


def test_the_import_page_asks_for_a_file(client, lead):
    client.force_login(lead)

    response = client.post(_import_url(), {})

    assert response.context["form"].errors == {"file": ["Select a CSV file"]}


@pytest.mark.parametrize("who", ["individual", "line_manager", "hps_administrator", "system_administrator"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_talent_leads_can_reach_the_import_page(client, request, organisation, who, method):
    user = request.getfixturevalue(who)
    give_totp(user)
    client.force_login(user)
    before = _state()

    if method == "get":
        response = client.get(_import_url())
    else:
        response = _post(client, f"{HEADER}RRE,2024,We are always learning,5.9\n")

    assert response.status_code == 404
    assert _state() == before


def test_someone_not_signed_in_is_sent_to_sign_in(client, organisation):
    before = _state()

    response = _post(client, f"{HEADER}RRE,2024,We are always learning,5.9\n")

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={_import_url()}"
    assert _state() == before


# --- The dashboard ------------------------------------------------------------------------------


@pytest.fixture
def snapshot(db):
    return Snapshot.objects.create(as_of=datetime.date(2025, 5, 31))


def _coverage(snapshot, organisation, year, staff, had_conversation):
    OrganisationYearCoverage.objects.create(
        snapshot=snapshot,
        organisation=organisation,
        year=year,
        staff=staff,
        had_conversation=had_conversation,
    )


def _score(organisation, year, theme, score):
    SurveyResult.objects.create(organisation=organisation, year=year, theme=theme, score=Decimal(score))


def test_the_correlation_matches_a_hand_worked_example(snapshot, django_assert_num_queries):
    alpha = OrganisationFactory(code="RAA", name="Alpha NHS Trust")
    beta = OrganisationFactory(code="RBB", name="Beta NHS Trust")
    gamma = OrganisationFactory(code="RCC", name="Gamma NHS Trust")
    for organisation, had_2023, had_2024 in ((alpha, 20, 40), (beta, 10, 60), (gamma, 30, 80)):
        _coverage(snapshot, organisation, 2023, 100, had_2023)
        _coverage(snapshot, organisation, 2024, 100, had_2024)
    # Four points (coverage %, score): (20, 5.0), (40, 6.0), (60, 6.0), (80, 7.0). Means 50 and 6.0;
    # deviations (-30, -10, 10, 30) and (-1, 0, 0, 1); sum of products 60, sums of squares 2000 and 2.
    # r = 60 / sqrt(2000 * 2) = 3 / sqrt(10) = 0.9487, shown as 0.95.
    _score(alpha, 2023, LEARNING, "5.0")
    _score(alpha, 2024, LEARNING, "6.0")
    _score(beta, 2024, LEARNING, "6.0")
    _score(gamma, 2024, LEARNING, "7.0")
    _score(beta, 2022, LEARNING, "4.0")  # no conversation figures for 2022: not compared
    # Another snapshot's figures are not used.
    older = Snapshot.objects.create(as_of=datetime.date(2025, 4, 30))
    _coverage(older, beta, 2023, 100, 100)
    filters = Filters(area=ENGLAND, snapshot=snapshot)

    with django_assert_num_queries(2):
        dashboard = survey.survey(filters)

    assert (dashboard.slug, dashboard.title) == ("survey", "Conversations and the NHS Staff Survey")
    assert [section.title for section in dashboard.sections] == [
        "We are always learning",
        "Intention to stay",
    ]
    assert [section.slug for section in dashboard.sections] == ["always-learning", "intention-to-stay"]
    learning, stay = dashboard.sections
    assert learning.tables[0] == Table(
        caption="Conversation coverage and We are always learning score by organisation and year",
        header=(
            "Organisation",
            "Year",
            "Staff",
            "Had a conversation that year",
            "Coverage",
            "Score (out of 10)",
        ),
        rows=(
            ("Alpha NHS Trust", "2023", "100", "20", "20.0%", "5.0"),
            ("Alpha NHS Trust", "2024", "100", "40", "40.0%", "6.0"),
            ("Beta NHS Trust", "2024", "100", "60", "60.0%", "6.0"),
            ("Gamma NHS Trust", "2024", "100", "80", "80.0%", "7.0"),
        ),
        text_columns=2,
    )
    # 2024 alone: x = 40, 60, 80 and y = 6, 6, 7 give r = 20 / sqrt(800 x 2/3) = 0.866.
    assert learning.tables[1].rows == (
        ("All years together", "0.95", "4"),
        ("2023", "Not calculated", "1"),
        ("2024", "0.87", "3"),
    )
    assert learning.chart == ChartSpec(
        kind="scatter",
        title="Conversation coverage and We are always learning score",
        labels=(),
        series=(),
        x_title="Staff who had a conversation that year (%)",
        y_title="We are always learning score (out of 10)",
        points=(
            ("Alpha NHS Trust, 2023", 20.0, 5.0),
            ("Alpha NHS Trust, 2024", 40.0, 6.0),
            ("Beta NHS Trust, 2024", 60.0, 6.0),
            ("Gamma NHS Trust, 2024", 80.0, 7.0),
        ),
    )
    assert learning.intro == (
        "Each point is one organisation in one year. The correlation coefficient (Pearson's r) is 0.95, over "
        "4 points. It runs from -1 to 1: near 1, organisations with higher coverage had higher scores; near "
        "-1, lower scores; near 0, there is no straight-line link."
    )
    assert survey.correlation_of(list(learning.chart.points)).coefficient == pytest.approx(3 / math.sqrt(10))
    assert stay.tables == ()
    assert stay.chart is None
    assert stay.intro.startswith("There are no Intention to stay results to compare yet")
    assert any(note.startswith("Correlation is not causation.") for note in dashboard.notes)


def test_a_small_organisation_is_hidden_and_left_out_of_the_chart_and_correlation(
    snapshot, organisation, django_assert_num_queries
):
    ics = organisation.integrated_care_system
    tiny = OrganisationFactory(code="RA1", name="A tiny trust", integrated_care_system=ics)
    small = OrganisationFactory(code="RB2", name="B small trust", integrated_care_system=ics)
    middle = OrganisationFactory(code="RC3", name="C middle trust", integrated_care_system=ics)
    large = OrganisationFactory(code="RD4", name="D large trust", integrated_care_system=ics)
    largest = OrganisationFactory(code="RE5", name="E largest trust", integrated_care_system=ics)
    elsewhere = OrganisationFactory(
        code="RQ3",
        name="Another ICS trust",
        integrated_care_system=IntegratedCareSystem.objects.get(code="QHL"),
    )
    for trust, staff, had, score in (
        (tiny, 5, 2, "5.0"),
        (small, 50, 10, "5.2"),
        (middle, 100, 50, "6.0"),
        (large, 200, 60, "5.5"),
        (largest, 400, 300, "7.0"),
        (elsewhere, 300, 30, "4.0"),
    ):
        _coverage(snapshot, trust, 2024, staff, had)
        _score(trust, 2024, STAY, score)
    filters = Filters(area=Area(AreaLevel.ICS, ics.pk, ics.name), snapshot=snapshot)

    with django_assert_num_queries(2):
        dashboard = survey.survey(filters)

    stay = dashboard.sections[1]
    # The tiny trust's counts (5 staff, 2 conversations) are 7 or fewer; the small trust's are hidden
    # too, so that the tiny trust's cannot be worked out from the ICS's total.
    assert stay.tables[0].rows == (
        ("A tiny trust", "2024", "*", "*", "Not shown", "5.0"),
        ("B small trust", "2024", "*", "*", "Not shown", "5.2"),
        ("C middle trust", "2024", "100", "50", "50.0%", "6.0"),
        ("D large trust", "2024", "200", "60", "30.0%", "5.5"),
        ("E largest trust", "2024", "400", "300", "75.0%", "7.0"),
    )
    assert stay.chart.points == (
        ("C middle trust, 2024", 50.0, 6.0),
        ("D large trust, 2024", 30.0, 5.5),
        ("E largest trust, 2024", 75.0, 7.0),
    )
    # Deviations from the means (155/3, 37/6): x (-5/3, -65/3, 70/3), y (-1/6, -4/6, 5/6).
    # r = (615/18) / sqrt((9150/9) * (42/36)) = 615 / sqrt(384300) = 0.9921, shown as 0.99.
    assert stay.tables[1].rows == (("All years together", "0.99", "3"), ("2024", "0.99", "3"))
    assert survey.correlation_of(list(stay.chart.points)).coefficient == pytest.approx(
        615 / math.sqrt(384300)
    )
    assert stay.intro.endswith(
        "2 organisations and years are left out of the chart and the correlation because a count is hidden "
        "to protect privacy."
    )


def test_counts_are_rounded_below_national_level(snapshot, organisation):
    _coverage(snapshot, organisation, 2024, 1234, 618)
    _score(organisation, 2024, LEARNING, "5.94")
    area = Area(AreaLevel.ORGANISATION, organisation.pk, organisation.name)

    learning = survey.survey(Filters(area=area, snapshot=snapshot)).sections[0]

    # 1234 rounds to 1235 and 618 to 620: coverage is worked out from the published counts.
    assert learning.tables[0].rows == (
        ("Midlands Partnership University NHS Foundation Trust", "2024", "1235", "620", "50.2%", "5.94"),
    )
    assert learning.tables[1].rows == (
        ("All years together", "Not calculated", "1"),
        ("2024", "Not calculated", "1"),
    )
    assert learning.intro == (
        "Each point is one organisation in one year. The correlation is not calculated because there are "
        "fewer than 3 points to compare."
    )


def test_when_every_organisation_is_hidden_there_is_no_chart(snapshot, organisation):
    _coverage(snapshot, organisation, 2024, 6, 3)
    _score(organisation, 2024, LEARNING, "6.0")
    area = Area(AreaLevel.ORGANISATION, organisation.pk, organisation.name)

    learning = survey.survey(Filters(area=area, snapshot=snapshot)).sections[0]

    assert learning.chart is None
    assert learning.tables[0].rows == (
        ("Midlands Partnership University NHS Foundation Trust", "2024", "*", "*", "Not shown", "6.0"),
    )
    assert learning.intro == (
        "The correlation is not calculated because there are fewer than 3 points to compare. 1 organisation "
        "and year is left out of the chart and the correlation because a count is hidden to protect privacy."
    )


@pytest.mark.parametrize(
    ("points", "display"),
    [
        ([("a", 10.0, 5.0), ("b", 20.0, 6.0)], "Not calculated"),
        ([("a", 10.0, 5.0), ("b", 20.0, 5.0), ("c", 30.0, 5.0)], "Not calculated"),
        ([("a", 10.0, 7.0), ("b", 20.0, 6.0), ("c", 30.0, 5.0)], "-1.00"),
    ],
)
def test_the_correlation_needs_three_points_that_vary(points, display):
    assert survey.correlation_of(points).display == display
