"""The High Potential Scheme's 24 months in the browser: the coach logging a session, the participant
keeping their learning log and key experiences, the sponsor logging a meeting, and the administrator
recording the final panel and completing the participant."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import PayBand
from core.models import AuditEvent, Notification
from hps.models import (
    CoachingSession,
    FinalPanel,
    KeyExperience,
    LearningLogEntry,
    Participant,
    SponsorMeeting,
)
from hps.progress import add_months
from tests.accounts.factories import StaffProfileFactory, give_totp
from tests.browser.helpers import (
    choose,
    fill_date,
    long_date,
    open_from_menu,
    sign_in,
    sign_in_with_authenticator,
    sign_out,
    summary_value,
)
from tests.hps.factories import (
    CoachingSessionFactory,
    KeyExperienceFactory,
    LearningLogEntryFactory,
    ParticipantFactory,
    SponsorMeetingFactory,
    UnderWayCohortFactory,
    WorkshopAttendanceFactory,
    WorkshopFactory,
)

COHORT_NAME = "Staffordshire and Stoke-on-Trent March intake"
SESSION_NOTES = "Talked through the first months leading the maternity directorate."
SESSION_ACTIONS = "Priya to ask her sponsor about shadowing the chief nurse."
LOG_TEXT = "Presenting the maternity safety report to the board taught me to lead with the data."
OBJECTIVES = "Lead the system-wide review of discharge planning with the integrated care board."
MEETING_NOTES = "Agreed the secondment to the integrated care board and the next 3 months' priorities."
PANEL_MEMBERS = "Dr Ada Okafor, chief executive\nSam Patel, chief nurse"
PANEL_FEEDBACK = "A clear and honest account of how Priya's leadership has grown."


def _person(organisation, email: str, first_name: str, last_name: str, job_title: str):
    return StaffProfileFactory(
        user__email=email,
        user__first_name=first_name,
        user__last_name=last_name,
        organisation=organisation,
        job_title=job_title,
        pay_band=PayBand.objects.get(code="AFC8A"),
    ).user


@pytest.fixture
def participant_user(organisation):
    return _person(organisation, "participant@nhs.test", "Priya", "Shah", "Head of midwifery")


@pytest.fixture
def sponsor(organisation):
    return _person(organisation, "sponsor@nhs.test", "Alex", "Morgan", "Director of nursing")


def _under_way_cohort(organisation, *, starts_on: datetime.date, administrators=()):
    return UnderWayCohortFactory(
        name=COHORT_NAME,
        starts_on=starts_on,
        integrated_care_systems=[organisation.integrated_care_system],
        administrators=list(administrators),
    )


def _six_months_in(organisation, participant_user, sponsor, coach, **kwargs) -> Participant:
    """Priya, on a scheme that started on the first of the month six months ago."""
    starts_on = add_months(timezone.localdate().replace(day=1), -6)
    return ParticipantFactory(
        user=participant_user,
        cohort=_under_way_cohort(organisation, starts_on=starts_on),
        sponsor=sponsor,
        coach=coach,
        **kwargs,
    )


def _success_banner(page):
    return page.locator(".nhsuk-notification-banner--success")


def _progress_item(page, label: str):
    """The item of the participant's progress task list whose requirement is `label`."""
    return page.locator(".nhsuk-task-list__item").filter(has=page.get_by_role("link", name=label, exact=True))


def _expect_progress(page, label: str, summary: str, tag: str) -> None:
    item = _progress_item(page, label)
    expect(item.locator(".nhsuk-task-list__hint")).to_have_text(summary)
    expect(item.locator(".nhsuk-task-list__status")).to_have_text(tag)


def test_coach_logs_a_session_after_correcting_its_length(
    journey, organisation, participant_user, sponsor, coach
):
    participant = _six_months_in(organisation, participant_user, sponsor, coach)
    first = CoachingSessionFactory(participant=participant)
    name = str(participant_user)
    held_on = timezone.localdate() - datetime.timedelta(days=2)
    sign_in(journey, coach)
    page = journey.page

    open_from_menu(journey, "Your participants")
    row = page.get_by_role("row").filter(has_text=name)
    expect(row.get_by_role("cell")).to_have_text(
        [
            name,
            COHORT_NAME,
            "1 of 6 to 8",
            long_date(first.held_on),
            re.compile(r"^\s*\d months\s+Session due\s*$"),
            "Active",
        ]
    )
    row.get_by_role("link", name=name).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{COHORT_NAME} {name}")
    expect(summary_value(page, "Coaching sessions held")).to_have_text("1 of 6 to 8")
    expect(page.locator(".nhsuk-card__heading")).to_have_text([long_date(first.held_on)])
    journey.check_accessibility()
    page.get_by_role("button", name="Log a session").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{name} Log a coaching session")
    journey.check_accessibility()
    fill_date(page, "Date of the session", held_on)
    duration = page.get_by_label("How long did the session last, in minutes?")
    duration.fill("150")
    page.get_by_label("Notes", exact=True).fill(SESSION_NOTES)
    page.get_by_label("Agreed actions").fill(SESSION_ACTIONS)
    page.get_by_role("button", name="Save session").click()

    expect(page).to_have_title(re.compile(r"^Error: Log a coaching session"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(
        ["A coaching session can last up to 120 minutes (2 hours)"]
    )
    journey.check_accessibility()
    summary.get_by_role("link", name="A coaching session can last up to 120 minutes (2 hours)").click()
    expect(duration).to_be_focused()
    expect(duration).to_have_value("150")
    expect(page.get_by_label("Notes", exact=True)).to_have_value(SESSION_NOTES)
    expect(page.get_by_role("group", name="Date of the session").get_by_label("Day")).to_have_value(
        str(held_on.day)
    )
    duration.fill("90")
    page.get_by_role("button", name="Save session").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{COHORT_NAME} {name}")
    expect(_success_banner(page)).to_contain_text(f"Coaching session of {long_date(held_on)} saved")
    expect(summary_value(page, "Coaching sessions held")).to_have_text("2 of 6 to 8")
    card = page.locator(".nhsuk-card").filter(
        has=page.get_by_role("heading", name=long_date(held_on), exact=True)
    )
    expect(summary_value(card, "Length")).to_have_text("90 minutes")
    expect(summary_value(card, "Notes")).to_have_text(SESSION_NOTES)
    expect(summary_value(card, "Agreed actions")).to_have_text(SESSION_ACTIONS)
    journey.check_accessibility()
    page.get_by_role("link", name="Back to your participants").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your participants")
    row = page.get_by_role("row").filter(has_text=name)
    expect(row.get_by_role("cell")).to_have_text(
        [name, COHORT_NAME, "2 of 6 to 8", long_date(held_on), "Less than a month", "Active"]
    )
    journey.check_accessibility()
    sign_out(journey)

    session = CoachingSession.objects.exclude(pk=first.pk).get()
    assert (
        session.participant,
        session.coach,
        session.held_on,
        session.duration_minutes,
        session.notes,
        session.agreed_actions,
        session.is_in_portfolio,
    ) == (participant, coach, held_on, 90, SESSION_NOTES, SESSION_ACTIONS, False)
    assert CoachingSession.objects.count() == 2
    notification = Notification.objects.get(recipient=participant_user)
    assert notification.title == f"{coach} logged your coaching session of {long_date(held_on)}"
    assert SESSION_NOTES not in notification.body
    assert SESSION_ACTIONS not in notification.body


def test_participant_adds_a_learning_log_entry_and_a_key_experience(
    journey, organisation, participant_user, sponsor, coach
):
    participant = _six_months_in(
        organisation, participant_user, sponsor, coach, career_development_plan__complete=True
    )
    # An entry in the first quarter only: the second quarter has none yet.
    LearningLogEntryFactory(
        participant=participant, written_on=participant.starts_on + datetime.timedelta(days=20)
    )
    written_on = participant.starts_on + datetime.timedelta(days=120)
    today = timezone.localdate()
    experience_starts_on = today - datetime.timedelta(days=30)
    experience_ends_on = today + datetime.timedelta(days=90)
    sign_in(journey, participant_user)
    page = journey.page

    open_from_menu(journey, "High Potential Scheme")
    applications = page.get_by_role("table", name="Your applications", exact=True)
    expect(applications.locator(".nhsuk-tag")).to_have_text(["Accepted"])
    applications.get_by_role("link", name="Your scheme").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("High Potential Scheme – Your scheme")
    expect(summary_value(page, "Cohort")).to_have_text(COHORT_NAME)
    expect(summary_value(page, "Status")).to_have_text("Active")
    expect(summary_value(page, "Sponsor")).to_have_text(str(sponsor))
    _expect_progress(page, "Learning log", "1 entry, 1 quarter without one", "Behind")
    _expect_progress(page, "Key experiences", "0 of 2 completed with a reflection", "In progress")
    _expect_progress(page, "Career development plan", "Complete", "Done")
    journey.check_accessibility()
    _progress_item(page, "Learning log").get_by_role("link", name="Learning log").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("High Potential Scheme – Your learning log")
    journey.check_accessibility()
    page.get_by_role("button", name="Add an entry").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "High Potential Scheme – Add an entry to your learning log"
    )
    journey.check_accessibility()
    fill_date(page, "Date of the entry", written_on)
    page.get_by_label("Your reflection").fill(LOG_TEXT)
    choose(page, "Healthcare Leadership Model dimensions (optional)", "Evaluating information")
    choose(page, "Share this entry with your sponsor?", "No")
    page.get_by_role("button", name="Save entry").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("High Potential Scheme – Your learning log")
    expect(_success_banner(page)).to_contain_text("Your learning log entry has been saved")
    entry = page.locator(".nhsuk-card").filter(
        has=page.get_by_role("heading", name=long_date(written_on), exact=True)
    )
    expect(entry.locator(".nhsuk-card__content > p")).to_have_text(LOG_TEXT)
    expect(summary_value(entry, "Dimensions")).to_have_text("Evaluating information")
    expect(summary_value(entry, "Shared with your sponsor")).to_have_text("No")
    journey.check_accessibility()
    page.get_by_role("link", name="Back to your scheme").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("High Potential Scheme – Your scheme")
    _expect_progress(page, "Learning log", "2 entries", "Done")
    journey.check_accessibility()
    _progress_item(page, "Key experiences").get_by_role("link", name="Key experiences").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("High Potential Scheme – Your key experiences")
    expect(page.get_by_text("You have not added any key experiences yet.")).to_be_visible()
    journey.check_accessibility()
    page.get_by_role("button", name="Add a key experience").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("High Potential Scheme – Add a key experience")
    journey.check_accessibility()
    choose(page, "Type of experience", "Secondment")
    page.get_by_label("Host organisation").fill("Staffordshire and Stoke-on-Trent Integrated Care Board")
    fill_date(page, "Start date", experience_starts_on)
    fill_date(page, "End date", experience_ends_on)
    page.get_by_label("Days per week").fill("1.5")
    page.get_by_label("Objectives").fill(OBJECTIVES)
    page.get_by_role("button", name="Save experience").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("High Potential Scheme – Your key experiences")
    expect(_success_banner(page)).to_contain_text("Your key experience has been saved")
    card = page.locator(".nhsuk-card")
    expect(card.locator(".nhsuk-card__heading")).to_have_text(
        ["Secondment at Staffordshire and Stoke-on-Trent Integrated Care Board"]
    )
    expect(summary_value(card, "Dates")).to_have_text(
        f"{long_date(experience_starts_on)} to {long_date(experience_ends_on)}"
    )
    expect(summary_value(card, "Days per week")).to_have_text("1.5")
    expect(summary_value(card, "Objectives")).to_have_text(OBJECTIVES)
    expect(summary_value(card, "Reflection")).to_have_text("Not written yet")
    journey.check_accessibility()
    page.get_by_role("link", name="Back to your scheme").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("High Potential Scheme – Your scheme")
    _expect_progress(
        page, "Key experiences", "0 of 2 completed with a reflection, 1 under way", "In progress"
    )
    _expect_progress(page, "Learning log", "2 entries", "Done")
    journey.check_accessibility()
    sign_out(journey)

    entry = LearningLogEntry.objects.get(written_on=written_on)
    assert (
        entry.participant,
        entry.text,
        entry.key_experience,
        entry.workshop,
        entry.is_shared_with_sponsor,
    ) == (participant, LOG_TEXT, None, None, False)
    assert [dimension.name for dimension in entry.leadership_dimensions.all()] == ["Evaluating information"]
    assert LearningLogEntry.objects.count() == 2
    experience = KeyExperience.objects.get()
    assert (
        experience.participant,
        experience.experience_type,
        experience.host_organisation,
        experience.starts_on,
        experience.ends_on,
        experience.days_per_week,
        experience.objectives,
        experience.reflection,
    ) == (
        participant,
        KeyExperience.ExperienceType.SECONDMENT,
        "Staffordshire and Stoke-on-Trent Integrated Care Board",
        experience_starts_on,
        experience_ends_on,
        Decimal("1.5"),
        OBJECTIVES,
        "",
    )


def test_sponsor_logs_the_meeting_of_a_missed_month(journey, organisation, participant_user, sponsor, coach):
    participant = _six_months_in(organisation, participant_user, sponsor, coach)
    # Meetings in the first five months, confirmed; last month has none.
    for month in range(5):
        SponsorMeetingFactory(
            participant=participant,
            held_on=add_months(participant.starts_on, month) + datetime.timedelta(days=9),
            confirmed=True,
        )
    last_month = add_months(participant.starts_on, 5)
    held_on = last_month + datetime.timedelta(days=9)
    name = str(participant_user)
    sign_in(journey, sponsor)
    page = journey.page

    # The sponsor's list of participants is reached from the High Potential Scheme's home page.
    open_from_menu(journey, "High Potential Scheme")
    page.get_by_role(
        "link", name="See the participants you sponsor, their milestones and your monthly meetings"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Participants you sponsor")
    row = page.get_by_role("row").filter(has_text=name)
    expect(row.get_by_role("cell").nth(2)).to_have_text("5 of 24 months, 1 missed")
    journey.check_accessibility()
    row.get_by_role("link", name=name).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{COHORT_NAME} {name}")
    callout = page.locator(".nhsuk-warning-callout")
    expect(callout).to_contain_text("Months without a meeting")
    expect(callout.get_by_role("listitem")).to_have_text([f"{last_month:%B %Y}"])
    expect(summary_value(page, "Sponsor meetings")).to_contain_text("5 of 24 months, 1 missed")
    journey.check_accessibility()
    page.get_by_role("button", name="Log a meeting").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{name} Log a sponsor meeting")
    journey.check_accessibility()
    fill_date(page, "Date of the meeting", held_on)
    page.get_by_label("Notes (optional)").fill(MEETING_NOTES)
    page.get_by_role("button", name="Log the meeting").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{COHORT_NAME} {name}")
    expect(_success_banner(page)).to_contain_text(
        f"Meeting of {long_date(held_on)} logged. We have asked {name} to confirm it."
    )
    expect(page.locator(".nhsuk-warning-callout")).to_have_count(0)
    expect(summary_value(page, "Sponsor meetings")).to_contain_text("6 of 24 months")
    meeting_row = page.get_by_role("table", name="Sponsor meetings").get_by_role("row").nth(1)
    cells = meeting_row.get_by_role("cell")
    expect(cells.nth(0)).to_contain_text(long_date(held_on))
    expect(cells.nth(0)).to_contain_text("Logged by you")
    expect(cells.nth(1)).to_have_text(MEETING_NOTES)
    expect(cells.nth(2).locator(".nhsuk-tag")).to_have_text(f"Waiting for {name}")
    journey.check_accessibility()
    sign_out(journey)

    meeting = SponsorMeeting.objects.get(held_on=held_on)
    assert (
        meeting.participant,
        meeting.notes,
        meeting.logged_by,
        meeting.confirmed_by,
        meeting.confirmed_at,
    ) == (participant, MEETING_NOTES, sponsor, None, None)
    assert SponsorMeeting.objects.count() == 6
    notification = Notification.objects.get(recipient=participant_user)
    assert notification.title == f"Confirm the sponsor meeting of {long_date(held_on)}"


def _ready_for_the_final_panel(organisation, participant_user, sponsor, coach, hps_administrator):
    """Priya in the last month of her scheme, with every requirement met but the final panel: 6 sessions,
    a confirmed meeting every month, 2 long key experiences with reflections, every core workshop, a log
    entry every quarter and a complete plan."""
    starts_on = add_months(timezone.localdate().replace(day=1), -23)
    participant = ParticipantFactory(
        user=participant_user,
        cohort=_under_way_cohort(organisation, starts_on=starts_on, administrators=[hps_administrator]),
        sponsor=sponsor,
        coach=coach,
        career_development_plan__complete=True,
    )
    for number in range(6):
        CoachingSessionFactory(
            participant=participant, held_on=add_months(starts_on, 3 * number) + datetime.timedelta(days=7)
        )
    for month in range(24):
        SponsorMeetingFactory(participant=participant, held_on=add_months(starts_on, month), confirmed=True)
    for months_in, days in [(2, 120), (9, 150)]:
        experience_starts_on = add_months(starts_on, months_in)
        KeyExperienceFactory(
            participant=participant,
            starts_on=experience_starts_on,
            ends_on=experience_starts_on + datetime.timedelta(days=days),
            reflection="Leading people I had no authority over taught me to build coalitions.",
        )
    for months_in in (1, 8, 16):
        WorkshopAttendanceFactory(
            participant=participant,
            workshop=WorkshopFactory(
                cohort=participant.cohort,
                held_on=add_months(starts_on, months_in) + datetime.timedelta(days=10),
            ),
            recorded_by=hps_administrator,
        )
    for quarter in range(8):
        LearningLogEntryFactory(
            participant=participant,
            written_on=add_months(starts_on, 3 * quarter) + datetime.timedelta(days=20),
        )
    return participant


def test_administrator_records_the_final_panel_and_completes_the_participant(
    journey, organisation, participant_user, sponsor, coach, hps_administrator
):
    participant = _ready_for_the_final_panel(
        organisation, participant_user, sponsor, coach, hps_administrator
    )
    secret = give_totp(hps_administrator)
    name = str(participant_user)
    today = timezone.localdate()
    panel_on = today - datetime.timedelta(days=14)
    sign_in_with_authenticator(journey, hps_administrator, secret)
    page = journey.page

    page.get_by_role("link", name="Run High Potential Scheme intakes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("High Potential Scheme cohorts")
    journey.check_accessibility()
    page.get_by_role("link", name=COHORT_NAME).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"High Potential Scheme cohort {COHORT_NAME}")
    journey.check_accessibility()
    page.get_by_role("link", name="Participants' progress").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{COHORT_NAME} Progress of the participants")
    expect(page.get_by_text("1 participant. 0 are behind on at least one requirement.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=name)
    expect(row.locator(".nhsuk-tag")).to_have_text(
        ["Active", "Met", "Met", "Met", "Met", "Met", "Met", "Not yet met", "Not needed"]
    )
    journey.check_accessibility()
    row.get_by_role("link", name=name).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{COHORT_NAME} {name}")
    expect(summary_value(page, "Final presentation")).to_have_text("Not yet met Not scheduled")
    expect(summary_value(page, "Coaching sessions")).to_have_text("Met 6 of 6 to 8")
    expect(summary_value(page, "Sponsor meetings")).to_have_text("Met 24 of 24 months")
    expect(page.get_by_text("No panel scheduled yet.")).to_be_visible()
    journey.check_accessibility()
    page.get_by_role("link", name="Schedule the final panel").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{name}, {COHORT_NAME} Schedule the final panel"
    )
    journey.check_accessibility()
    fill_date(page, "Date of the panel", panel_on)
    page.get_by_label("Panel members").fill(PANEL_MEMBERS)
    page.get_by_role("button", name="Schedule the panel").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{COHORT_NAME} {name}")
    expect(_success_banner(page)).to_contain_text(
        f"Final panel on {long_date(panel_on)} saved. {name} has been told."
    )
    panel_card = page.locator(".nhsuk-card").filter(
        has=page.get_by_role("heading", name=f"Panel on {long_date(panel_on)}")
    )
    expect(panel_card.get_by_role("listitem")).to_have_text(
        ["Dr Ada Okafor, chief executive", "Sam Patel, chief nurse"]
    )
    expect(summary_value(page, "Final presentation")).to_have_text(
        f"Not yet met Scheduled ({long_date(panel_on)})"
    )
    journey.check_accessibility()
    panel_card.get_by_role("link", name=f"Record the outcome of the panel on {long_date(panel_on)}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{name}, {COHORT_NAME} Record the outcome of the final panel"
    )
    expect(
        page.get_by_text(
            f"The panel met on {long_date(panel_on)}: Dr Ada Okafor, chief executive, Sam Patel, chief nurse."
        )
    ).to_be_visible()
    journey.check_accessibility()
    choose(page, "Outcome", "Passed")
    page.get_by_label("The panel's feedback").fill(PANEL_FEEDBACK)
    page.get_by_role("button", name="Record the outcome").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{COHORT_NAME} {name}")
    expect(_success_banner(page)).to_contain_text(f"Panel outcome recorded. {name} has been told.")
    expect(summary_value(page, "Final presentation")).to_have_text(f"Met Passed on {long_date(panel_on)}")
    expect(page.get_by_role("link", name="Schedule the final panel")).to_have_count(0)
    journey.check_accessibility()
    page.get_by_role("link", name="Mark as complete").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{name}, {COHORT_NAME} Mark as complete")
    expect(page.get_by_text(f"{name} has met every requirement of the scheme.")).to_be_visible()
    expect(page.get_by_role("textbox")).to_have_count(0)
    journey.check_accessibility()
    page.get_by_role("button", name="Mark as complete").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{COHORT_NAME} {name}")
    expect(_success_banner(page)).to_contain_text(f"{name} has completed the scheme. They have been told.")
    expect(page.locator("h1 + p .nhsuk-tag")).to_have_text("Completed")
    expect(summary_value(page, "Status")).to_have_text(f"Completed on {long_date(today)}")
    expect(page.get_by_role("heading", name="Actions")).to_have_count(0)
    journey.check_accessibility()
    sign_out(journey)

    participant.refresh_from_db()
    assert (
        participant.status,
        participant.status_reason,
        participant.completion_exception_reason,
        timezone.localdate(participant.completed_at),
    ) == (Participant.Status.COMPLETED, "", "", today)
    panel = FinalPanel.objects.get()
    assert (panel.participant, panel.held_on, panel.panel_members, panel.outcome, panel.feedback) == (
        participant,
        panel_on,
        PANEL_MEMBERS,
        FinalPanel.Outcome.PASSED,
        PANEL_FEEDBACK,
    )
    assert list(
        AuditEvent.objects.filter(actor=hps_administrator)
        .exclude(action__in=[AuditEvent.Action.READ, AuditEvent.Action.SIGN_IN, AuditEvent.Action.SIGN_OUT])
        .order_by("occurred_at", "id")
        .values_list("verb", flat=True)
    ) == ["final_panel_schedule", "final_panel_outcome_record", "participant_complete"]
    completion = AuditEvent.objects.get(verb="participant_complete")
    assert completion.after["unmet"] == []
    assert [
        notification.title for notification in Notification.objects.filter(recipient=participant_user)
    ] == [
        "Congratulations: you have completed the High Potential Scheme",
        "You passed your final presentation panel",
        f"Your final presentation panel is on {long_date(panel_on)}",
    ]
