"""The talent dashboards in the browser (issue 6): a talent lead opens each dashboard, filters one by an
equality group, asks for it as CSV and PDF, hears that the files are ready and downloads them."""

import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import EthnicCategory, PayBand, Sex, YesNoNotStated
from conversations.models import BarrierType, Conversation, ConversationRecord, DevelopmentAction, Readiness
from core.models import AuditEvent, Notification
from hps.models import ApplicationTransition
from reporting.models import ReportExport, SurveyResult, SurveyTheme
from reporting.refresh import refresh_snapshot
from tests.accounts.factories import EqualityProfileFactory, StaffProfileFactory, UserFactory, give_totp
from tests.browser.helpers import long_date, open_from_menu, sign_in_with_authenticator, sign_out
from tests.conversations.factories import (
    ConversationRecordFactory,
    CriticalRoleFactory,
    DevelopmentActionFactory,
    SuccessorFactory,
    TalentPoolFactory,
    TalentPoolMembershipFactory,
)
from tests.hps.factories import ApplicationFactory, CohortFactory

ORGANISATION = "Midlands Partnership University NHS Foundation Trust"
COHORT_NAME = "Staffordshire and Stoke-on-Trent spring intake"
POOL_NAME = "Aspiring ward leaders"
ROLE_TITLE = "Director of nursing"
STAFF = 40
# How long ago the conversations were held: within the 12 months before the figures, none overdue.
CONVERSATIONS_AGO = datetime.timedelta(days=40)
# The ethnic group of people 0 to 9, 10 to 19 and so on: in every ten, 6 White and 4 from Black and
# minority ethnic groups.
ETHNIC_MIX = (
    EthnicCategory.WHITE_BRITISH,
    EthnicCategory.ASIAN_INDIAN,
    EthnicCategory.WHITE_BRITISH,
    EthnicCategory.BLACK_AFRICAN,
    EthnicCategory.WHITE_IRISH,
    EthnicCategory.ASIAN_PAKISTANI,
    EthnicCategory.WHITE_OTHER,
    EthnicCategory.BLACK_CARIBBEAN,
    EthnicCategory.WHITE_BRITISH,
    EthnicCategory.WHITE_BRITISH,
)
READINESS_MIX = (
    Readiness.READY_NOW,
    Readiness.ONE_TO_TWO_YEARS,
    Readiness.ONE_TO_TWO_YEARS,
    Readiness.THREE_PLUS_YEARS,
    Readiness.DEVELOPING_IN_ROLE,
)
ACTION_MIX = (
    DevelopmentAction.ActionType.EXPERIENCE,
    DevelopmentAction.ActionType.EXPOSURE,
    DevelopmentAction.ActionType.EDUCATION,
)
# The HPS application workflow from submission to acceptance, and how far along it each of the 9
# applicants (people 0 to 8, in band 8a like person 9) got: 2 accepted, 2 offered, 1 shortlisted,
# 2 assessed, 1 in eligibility review and 1 waiting for their sponsor.
APPLICATION_STATUSES = (
    "submitted",
    "awaiting_sponsor",
    "eligibility_review",
    "assessment_invited",
    "assessment_complete",
    "shortlisted",
    "offered",
    "accepted",
)
STATUSES_REACHED = (8, 8, 7, 7, 6, 5, 5, 3, 2)
ALWAYS_LEARNING_SCORE = "6.4"
INTENTION_TO_STAY_SCORE = "6.1"
COVERAGE_HEADER = (
    "Staff",
    "Had a conversation in the last 12 months",
    "Coverage",
    "Agreed record",
    "Agreed",
    "Next conversation overdue",
    "Never had one",
)


@dataclass(frozen=True)
class DashboardPage:
    """What a dashboard shows: its title, the name of one of its charts and one of its tables, cell by
    cell (header row first), every count through disclosure control."""

    title: str
    chart: str
    table: str
    rows: tuple[tuple[str, ...], ...]


def _dashboard_pages(survey_year: int) -> tuple[DashboardPage, ...]:
    """The six dashboards in the order the dashboards page lists them."""
    return (
        DashboardPage(
            "Conversation coverage",
            "Coverage by pay band",
            "Conversation coverage by pay band",
            (
                ("Pay band", *COVERAGE_HEADER),
                # 31 in band 6 (the lead among them), 24 had a conversation; 10 in band 8a, 8 had one.
                ("Band 6", "30", "25", "83.3%", "*", "Not shown", "0", "*"),
                ("Band 8a", "10", "10", "100.0%", "*", "Not shown", "0", "*"),
                ("Total", "40", "30", "75.0%", "15", "37.5%", "0", "10"),
            ),
        ),
        DashboardPage(
            "Talent pipeline",
            "People at each impact level, now and aimed for",
            "Impact level now and aimed for (all staff)",
            (
                ("Impact level", "Current position", "Target position"),
                ("1. Building impact", "30", "0"),
                ("2. Established impact", "0", "30"),
                ("3. Wide impact", "0", "0"),
                ("Total", "30", "30"),
            ),
        ),
        DashboardPage(
            "Barriers and development needs",
            "People by kind of development",
            "People by kind of development (all staff)",
            (
                ("Kind of development", "People"),
                ("Experience", "10"),
                ("Exposure", "10"),
                ("Education", "0"),
                ("Total", "20"),
            ),
        ),
        DashboardPage(
            "Succession for critical roles",
            "Successors named by readiness",
            "Successors named by readiness",
            (
                (
                    "Critical role",
                    "Ready now",
                    "Ready within 1 to 2 years",
                    "Ready in 3 years or more",
                    "All successors",
                ),
                (f"{ROLE_TITLE} ({ORGANISATION})", "*", "*", "*", "10"),
                ("All successors", "*", "*", "*", "10"),
            ),
        ),
        DashboardPage(
            "High Potential Scheme funnel",
            "HPS funnel: all intakes",
            "People reaching each step, by intake",
            (
                (
                    "Intake",
                    "Eligible",
                    "Applied",
                    "Sponsor signed",
                    "Invited to assessment",
                    "Assessed",
                    "Shortlisted",
                    "Offered a place",
                    "Accepted",
                    "Completed",
                    "Promoted",
                ),
                (COHORT_NAME, "10", "10", "10", "*", "*", "*", "*", "*", "0", "0"),
                ("Total", "10", "10", "10", "*", "*", "*", "*", "*", "0", "0"),
            ),
        ),
        DashboardPage(
            "Conversations and the NHS Staff Survey",
            "Conversation coverage and We are always learning score",
            "Conversation coverage and We are always learning score by organisation and year",
            (
                (
                    "Organisation",
                    "Year",
                    "Staff",
                    "Had a conversation that year",
                    "Coverage",
                    "Score (out of 10)",
                ),
                (ORGANISATION, str(survey_year), "40", "30", "75.0%", ALWAYS_LEARNING_SCORE),
            ),
        ),
    )


# The coverage dashboard's equality table, first by the default breakdown, then by disability.
BY_ETHNIC_GROUP = (
    ("Ethnic group (WRES)", *COVERAGE_HEADER),
    ("White", "25", "15", "60.0%", "15", "60.0%", "0", "10"),
    ("Black and minority ethnic (BME)", "15", "15", "100.0%", "0", "0.0%", "0", "0"),
    ("Not known or not stated", "0", "0", "Not shown", "0", "Not shown", "0", "0"),
    ("Total", "40", "30", "75.0%", "15", "37.5%", "0", "10"),
)
BY_DISABILITY = (
    ("Disability (WDES)", *COVERAGE_HEADER),
    # 14 disabled staff, 11 had a conversation; 27 non-disabled staff, 21 had one.
    ("Disabled", "15", "10", "66.7%", "*", "Not shown", "0", "*"),
    ("Non-disabled", "25", "20", "80.0%", "*", "Not shown", "0", "*"),
    ("Not known or not stated", "0", "0", "Not shown", "0", "Not shown", "0", "0"),
    ("Total", "40", "30", "75.0%", "15", "37.5%", "0", "10"),
)


def _build_the_organisation(organisation, talent_lead) -> datetime.date:
    """40 staff with equality answers, conversations, barriers, actions, a talent pool, a critical role
    with successors and an HPS intake; then the figures as at today."""
    today = timezone.localdate()
    held_on = today - CONVERSATIONS_AGO
    band_8a = PayBand.objects.get(code="AFC8A")
    manager = UserFactory(email="ward.manager@nhs.test")
    barriers = list(BarrierType.objects.order_by("order")[:2])
    # The lead answers too, so nobody in the organisation is "not known".
    EqualityProfileFactory(
        user=talent_lead,
        ethnic_category=EthnicCategory.WHITE_BRITISH,
        disability=YesNoNotStated.NO,
        sex=Sex.FEMALE,
    )
    people = []
    for number in range(STAFF):
        person = StaffProfileFactory(
            organisation=organisation, **({"pay_band": band_8a} if number < 10 else {})
        ).user
        EqualityProfileFactory(
            user=person,
            ethnic_category=ETHNIC_MIX[number % 10],
            disability=YesNoNotStated.YES if number % 3 == 0 else YesNoNotStated.NO,
            sex=Sex.FEMALE if number % 2 == 0 else Sex.MALE,
        )
        people.append(person)
        if number % 5 == 4:
            continue  # 8 people have never had a conversation.
        is_agreed = number % 2 == 0
        record = ConversationRecordFactory(
            conversation__individual=person,
            conversation__facilitator=manager,
            conversation__planned_for=held_on,
            conversation__status=(
                Conversation.Status.AGREED if is_agreed else Conversation.Status.AWAITING_AGREEMENT
            ),
            held_on=held_on,
            readiness=READINESS_MIX[number % 5],
            individual_response=(
                ConversationRecord.Response.AGREED if is_agreed else ConversationRecord.Response.PENDING
            ),
            individual_responded_at=timezone.now() if is_agreed else None,
        )
        if number % 4 == 0:
            record.barriers.set(barriers[: 1 + number % 8 // 4])
        if number % 3 != 2:
            DevelopmentActionFactory(conversation=record.conversation, action_type=ACTION_MIX[number % 3])
    pool = TalentPoolFactory(name=POOL_NAME, organisation=organisation, created_by=talent_lead)
    for person in people[:9]:
        TalentPoolMembershipFactory(pool=pool, individual=person, nominated_by=manager)
    role = CriticalRoleFactory(title=ROLE_TITLE, organisation=organisation, created_by=talent_lead)
    for person, readiness in zip(
        people[10:20],
        [Readiness.READY_NOW] * 2 + [Readiness.ONE_TO_TWO_YEARS] * 5 + [Readiness.THREE_PLUS_YEARS] * 3,
        strict=True,
    ):
        SuccessorFactory(critical_role=role, individual=person, readiness=readiness, added_by=talent_lead)
    cohort = CohortFactory(name=COHORT_NAME, integrated_care_systems=[organisation.integrated_care_system])
    for person, reached in zip(people[:9], STATUSES_REACHED, strict=True):
        path = APPLICATION_STATUSES[:reached]
        application = ApplicationFactory(
            applicant=person, cohort=cohort, complete=True, organisation=organisation, status=path[-1]
        )
        for from_status, to_status in zip(("draft", *path), path, strict=False):
            ApplicationTransition.objects.create(
                application=application, from_status=from_status, to_status=to_status
            )
    for theme, score in (
        (SurveyTheme.ALWAYS_LEARNING, ALWAYS_LEARNING_SCORE),
        (SurveyTheme.INTENTION_TO_STAY, INTENTION_TO_STAY_SCORE),
    ):
        SurveyResult.objects.create(
            organisation=organisation, year=held_on.year, theme=theme, score=Decimal(score)
        )
    refresh_snapshot(today)
    return today


@pytest.fixture
def lead_secret(talent_lead, settings, tmp_path):
    """The talent lead's authenticator; exports are stored in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return give_totp(talent_lead)


def _expect_table(table, rows) -> None:
    """Check a table cell by cell: header, body and footer rows in order."""
    lines = table.locator("tr")
    expect(lines).to_have_count(len(rows))
    for number, row in enumerate(rows):
        expect(lines.nth(number).locator("th, td")).to_have_text(list(row))


def _success_banner(page):
    return page.locator(".nhsuk-notification-banner--success")


def test_talent_lead_opens_each_dashboard_filters_by_group_and_downloads_csv_and_pdf(
    journey, organisation, talent_lead, lead_secret
):
    today = _build_the_organisation(organisation, talent_lead)
    dashboards = _dashboard_pages(survey_year=(today - CONVERSATIONS_AGO).year)
    caption = f"{ORGANISATION}, as at {long_date(today)}"
    sign_in_with_authenticator(journey, talent_lead, lead_secret)
    page = journey.page

    open_from_menu(journey, "Talent dashboards")
    expect(page.get_by_text(f"The latest figures are as at {long_date(today)}")).to_be_visible()
    expect(page.get_by_text("You have not exported any dashboards yet.")).to_be_visible()
    expect(page.locator(".nhsuk-card__heading")).to_have_text([dashboard.title for dashboard in dashboards])

    for dashboard in dashboards:
        page.get_by_role("link", name=dashboard.title, exact=True).click()

        expect(page).to_have_title(f"{dashboard.title} – Scope for Growth – NHS")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text(f"{caption}{dashboard.title}")
        expect(heading.locator(".nhsuk-caption-l")).to_have_text(caption)
        expect(page.get_by_role("img", name=re.compile(rf"^{re.escape(dashboard.chart)} "))).to_be_visible()
        table = page.get_by_role("table", name=dashboard.table, exact=True)
        expect(table).to_be_visible()
        _expect_table(table, dashboard.rows)
        journey.check_accessibility()
        page.get_by_role("link", name="Back to talent dashboards").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Talent dashboards")
        journey.check_accessibility()

    page.get_by_role("link", name="Conversation coverage", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{caption}Conversation coverage")
    _expect_table(
        page.get_by_role(
            "table", name="Conversation coverage by ethnic group (WRES) (all staff)", exact=True
        ),
        BY_ETHNIC_GROUP,
    )
    expect(page.get_by_role("img", name=re.compile(r"^Coverage by ethnic group \(WRES\) "))).to_be_visible()
    journey.check_accessibility()
    page.get_by_label("Equality breakdown").select_option(label="Disability (WDES)")
    page.get_by_role("button", name="Apply filters").click()

    by_disability = page.get_by_role(
        "table", name="Conversation coverage by disability (WDES) (all staff)", exact=True
    )
    _expect_table(by_disability, BY_DISABILITY)
    expect(page.get_by_role("img", name=re.compile(r"^Coverage by disability \(WDES\) "))).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("ethnic group"))).to_have_count(0)
    journey.check_accessibility()

    for file_format in ("CSV", "PDF"):
        page.get_by_role("button", name=f"Download as {file_format}").click()

        expect(_success_banner(page)).to_contain_text(
            f"We are creating your {file_format} file. We will tell you in your notifications when it is "
            "ready to download from the dashboards page."
        )
        # The page the lead comes back to keeps their filter.
        expect(page.get_by_label("Equality breakdown")).to_have_value("wdes_disability")
        _expect_table(by_disability, BY_DISABILITY)
        journey.check_accessibility()

    page.get_by_role("navigation", name="Account").get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    journey.check_accessibility()
    page.get_by_role("link", name="Your notifications").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    pdf_ready = "Your PDF of the conversation coverage dashboard is ready to download"
    csv_ready = "Your CSV of the conversation coverage dashboard is ready to download"
    expect(page.locator("main h2")).to_have_text([pdf_ready, csv_ready])
    expect(page.locator("main li .nhsuk-tag")).to_have_text(["Unread", "Unread"])
    journey.check_accessibility()
    page.get_by_role("link", name=pdf_ready).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Talent dashboards")
    pdf_export, csv_export = ReportExport.objects.order_by("-created_at", "-id")
    exports = page.get_by_role("table", name="Your exports")
    _expect_table(
        exports,
        [
            ("Dashboard", "Format", "Asked for", "Status"),
            *(
                (
                    "Conversation coverage",
                    export.get_file_format_display(),
                    f"{long_date(today)} at {timezone.localtime(export.created_at):%H:%M}",
                    f"Download {export.get_file_format_display()} of Conversation coverage",
                )
                for export in (pdf_export, csv_export)
            ),
        ],
    )
    journey.check_accessibility()

    filename = (
        f"conversation-coverage-midlands-partnership-university-nhs-foundation-trust-{today.isoformat()}"
    )
    with page.expect_download() as csv_download:
        exports.get_by_role("link", name="Download CSV of Conversation coverage").click()
    assert csv_download.value.suggested_filename == f"{filename}.csv"
    csv_text = csv_download.value.path().read_bytes().decode("utf-8-sig")
    assert csv_text.splitlines()[:5] == [
        "Conversation coverage",
        f"Area: {ORGANISATION}",
        f"Figures as at {long_date(today)}",
        "Staff: All staff",
        "Counts from 1 to 7 are shown as * and other counts are rounded to the nearest 5.",
    ]
    # The file holds the figures the lead saw, by disability: the same table, cell by cell.
    csv_rows = list(csv.reader(io.StringIO(csv_text)))
    caption_at = csv_rows.index(["Conversation coverage by disability (WDES) (all staff)"])
    assert csv_rows[caption_at + 1 : caption_at + 1 + len(BY_DISABILITY)] == [
        list(row) for row in BY_DISABILITY
    ]
    assert "ethnic group" not in csv_text.lower()
    with page.expect_download() as pdf_download:
        exports.get_by_role("link", name="Download PDF of Conversation coverage").click()
    assert pdf_download.value.suggested_filename == f"{filename}.pdf"
    pdf_content = pdf_download.value.path().read_bytes()
    assert pdf_content.startswith(b"%PDF-")
    pdf_text = " ".join(
        " ".join(
            pdf_page.extract_text() for pdf_page in pypdf.PdfReader(io.BytesIO(pdf_content)).pages
        ).split()
    )
    assert "Conversation coverage" in pdf_text
    assert "Conversation coverage by disability (WDES) (all staff)" in pdf_text
    expect(page.get_by_role("heading", level=1)).to_have_text("Talent dashboards")
    sign_out(journey)

    parameters = {
        "area": f"organisation-{organisation.pk}",
        "period": today.isoformat(),
        "staff": "",
        "breakdown": "wdes_disability",
        "cohort": "",
    }
    assert [
        (export.dashboard, export.file_format, export.status, export.parameters)
        for export in (csv_export, pdf_export)
    ] == [
        ("coverage", "csv", ReportExport.Status.READY, parameters),
        ("coverage", "pdf", ReportExport.Status.READY, parameters),
    ]
    assert [
        (notification.title, notification.url, notification.read_at is not None)
        for notification in Notification.objects.filter(recipient=talent_lead).order_by("created_at", "id")
    ] == [(csv_ready, "/dashboards/", False), (pdf_ready, "/dashboards/", True)]
    assert list(
        AuditEvent.objects.filter(verb__startswith="report_export")
        .order_by("occurred_at", "id")
        .values_list("actor", "verb", "object_id")
    ) == [
        (talent_lead.pk, "report_export_request", str(csv_export.pk)),
        (None, "report_export_build", str(csv_export.pk)),
        (talent_lead.pk, "report_export_request", str(pdf_export.pk)),
        (None, "report_export_build", str(pdf_export.pk)),
        (talent_lead.pk, "report_export_download", str(csv_export.pk)),
        (talent_lead.pk, "report_export_download", str(pdf_export.pk)),
    ]
