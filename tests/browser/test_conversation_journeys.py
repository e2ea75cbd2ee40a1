"""Scope for Growth in the browser: recording a conversation, disagreeing and agreeing, downloading it."""

import datetime
import io
import re

import pypdf
from django.utils import timezone
from playwright.sync_api import expect

from conversations.models import (
    Ambition,
    AspirationTimeframe,
    Conversation,
    ConversationRecord,
    DevelopmentAction,
    GrowthCategory,
    Readiness,
)
from tests.browser.helpers import (
    choose,
    fill_date,
    long_date,
    open_from_menu,
    sign_in,
    sign_out,
    summary_value,
)
from tests.conversations.factories import (
    ConversationFactory,
    ConversationRecordFactory,
    DevelopmentActionFactory,
)


def _status_tag(page):
    """The tag in the conversation page's "Status" row."""
    return summary_value(page, "Status").locator(".nhsuk-tag")


def test_line_manager_plans_prepares_and_records_a_conversation(journey, line_manager, individual):
    today = timezone.localdate()
    first_action_due = today + datetime.timedelta(days=60)
    second_action_due = today + datetime.timedelta(days=120)
    next_due = today + datetime.timedelta(days=330)
    name = str(individual)
    sign_in(journey, line_manager)
    page = journey.page

    open_from_menu(journey, "Your team")
    row = page.get_by_role("row").filter(has_text=name)
    expect(row.locator(".nhsuk-tag")).to_have_text("Not had one")
    row.get_by_role("link", name=f"Plan a conversation with {name}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Plan a conversation with {name}")
    journey.check_accessibility()
    fill_date(page, "When is the conversation planned for?", today)
    page.get_by_role("button", name="Plan conversation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Career conversation with {name}")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        f"Conversation with {name} planned for {long_date(today)}"
    )
    expect(_status_tag(page)).to_have_text("Planned")
    journey.check_accessibility()
    page.get_by_role("link", name="Write preparation notes").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Prepare for your conversation with {name}")
    journey.check_accessibility()
    page.get_by_label("Your preparation notes").fill("Ask about the band 7 secondment.")
    page.get_by_role("button", name="Save notes").click()

    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Your preparation notes have been saved"
    )
    expect(page.get_by_text("Ask about the band 7 secondment.")).to_be_visible()
    journey.check_accessibility()
    page.get_by_role("button", name="Record the outcome").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Date and wellbeing check-in")
    expect(page.get_by_role("heading", level=1)).to_contain_text("(step 1 of 7)")
    journey.check_accessibility()
    fill_date(page, "When was the conversation held?", today)
    choose(page, "Did you discuss wellbeing?", "Yes")
    choose(page, "Was support signposted?", "No")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Strengths")
    journey.check_accessibility()
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_title(re.compile(r"^Error: Strengths – Record the conversation with "))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(["Enter the strengths you discussed"])
    journey.check_accessibility()
    summary.get_by_role("link", name="Enter the strengths you discussed").click()
    strengths = page.get_by_label("What strengths did you discuss?")
    expect(strengths).to_be_focused()
    strengths.fill("Calm in a crisis and a natural teacher of students.")
    choose(
        page,
        "Which Healthcare Leadership Model dimensions do these strengths show? (optional)",
        "Developing capability",
    )
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Aspirations")
    journey.check_accessibility()
    choose(page, "How much do they want to grow in depth?", "Strong ambition")
    choose(page, "How much do they want to grow in breadth?", "Some interest")
    choose(page, "How much do they want to grow in stretch and complexity?", "Not a focus for now")
    page.get_by_label("What are their aspirations?").fill("Become a clinical educator.")
    choose(page, "When would they like to achieve them?", "Within 12 months")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Position on the framework")
    journey.check_accessibility()
    choose(page, "What is their current impact level?", "Building impact")
    choose(page, "In which growth category are they now?", "Depth")
    choose(page, "Which impact level do they want to reach?", "Established impact")
    choose(page, "In which growth category do they want to grow?", "Breadth")
    choose(page, "How ready are they for a next step?", "Ready within 1 to 2 years")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Barriers")
    journey.check_accessibility()
    choose(page, "What is holding them back? (optional)", "Workload or time")
    page.get_by_label("Tell us more about the barriers (optional)").fill("Short-staffed on nights.")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Development plan")
    expect(page.get_by_text("No actions have been added yet.")).to_be_visible()
    journey.check_accessibility()
    _fill_action(page, "Teach on the preceptorship course", "Education", "The individual", first_action_due)
    page.get_by_label(
        "Which Healthcare Leadership Model dimension does it develop? (optional)"
    ).select_option(label="Developing capability")
    page.get_by_role("button", name="Add action").click()

    expect(page.get_by_role("heading", name="Action 1", exact=True)).to_be_visible()
    journey.check_accessibility()
    _fill_action(
        page, "Shadow the practice educator", "Exposure", "The line manager or coach", second_action_due
    )
    page.get_by_role("button", name="Add action").click()

    expect(page.get_by_role("heading", name="Action 2", exact=True)).to_be_visible()
    journey.check_accessibility()
    page.get_by_role("button", name="Continue", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Next conversation")
    journey.check_accessibility()
    fill_date(page, "When is the next conversation due?", next_due)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Check your answers before sending the record"
    )
    for key, value in [
        ("Date held", long_date(today)),
        ("Wellbeing discussed", "Yes"),
        ("Support signposted", "No"),
        ("Strengths", "Calm in a crisis and a natural teacher of students."),
        ("Healthcare Leadership Model dimensions", "Developing capability"),
        ("Growth in depth", "Strong ambition"),
        ("Growth in breadth", "Some interest"),
        ("Growth in stretch and complexity", "Not a focus for now"),
        ("Aspirations", "Become a clinical educator."),
        ("Timeframe", "Within 12 months"),
        ("Current impact level", "Building impact"),
        ("Current growth category", "Depth"),
        ("Target impact level", "Established impact"),
        ("Target growth category", "Breadth"),
        ("Readiness for a next step", "Ready within 1 to 2 years"),
        ("Barriers", "Workload or time"),
        ("More about the barriers", "Short-staffed on nights."),
        ("How the organisation could help", "None"),
        ("Next conversation due", long_date(next_due)),
    ]:
        expect(summary_value(page, key)).to_have_text(value)
    expect(summary_value(page, "Action 1")).to_contain_text("Teach on the preceptorship course")
    expect(summary_value(page, "Action 2")).to_contain_text("Shadow the practice educator")
    journey.check_accessibility()
    page.get_by_role("button", name=f"Save and send to {name} to agree").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Career conversation with {name}")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        f"Record sent to {name} to agree"
    )
    expect(_status_tag(page)).to_have_text("Awaiting agreement")
    expect(page.get_by_text(f"Waiting for {name} to agree version 1 of this record.")).to_be_visible()
    journey.check_accessibility()
    sign_out(journey)

    conversation = Conversation.objects.get()
    assert (conversation.individual, conversation.facilitator) == (individual, line_manager)
    assert conversation.status == Conversation.Status.AWAITING_AGREEMENT
    assert conversation.planned_for == today
    assert conversation.facilitator_preparation == "Ask about the band 7 secondment."
    record = ConversationRecord.objects.get()
    assert record.conversation == conversation
    assert record.version == 1
    assert record.held_on == today
    assert (record.wellbeing_discussed, record.support_signposted) == (True, False)
    assert record.strengths == "Calm in a crisis and a natural teacher of students."
    assert [dimension.name for dimension in record.strength_dimensions.all()] == ["Developing capability"]
    assert (record.ambition_depth, record.ambition_breadth, record.ambition_stretch) == (
        Ambition.STRONG,
        Ambition.SOME,
        Ambition.NOT_NOW,
    )
    assert record.aspirations == "Become a clinical educator."
    assert record.aspiration_timeframe == AspirationTimeframe.WITHIN_12_MONTHS
    assert record.current_impact_level.label == "Building impact"
    assert record.current_growth_category == GrowthCategory.DEPTH
    assert record.target_impact_level.label == "Established impact"
    assert record.target_growth_category == GrowthCategory.BREADTH
    assert record.readiness == Readiness.ONE_TO_TWO_YEARS
    assert [barrier.name for barrier in record.barriers.all()] == ["Workload or time"]
    assert record.barrier_notes == "Short-staffed on nights."
    assert record.organisation_support == ""
    assert record.next_conversation_due == next_due
    assert record.individual_response == ConversationRecord.Response.PENDING
    assert record.recorded_by == line_manager
    actions = DevelopmentAction.objects.order_by("due_on")
    assert [
        (
            action.conversation,
            action.individual,
            action.description,
            action.action_type,
            action.owner,
            action.due_on,
            action.leadership_dimension.name if action.leadership_dimension else None,
            action.status,
        )
        for action in actions
    ] == [
        (
            conversation,
            individual,
            "Teach on the preceptorship course",
            DevelopmentAction.ActionType.EDUCATION,
            DevelopmentAction.Owner.INDIVIDUAL,
            first_action_due,
            "Developing capability",
            DevelopmentAction.Status.NOT_STARTED,
        ),
        (
            conversation,
            individual,
            "Shadow the practice educator",
            DevelopmentAction.ActionType.EXPOSURE,
            DevelopmentAction.Owner.FACILITATOR,
            second_action_due,
            None,
            DevelopmentAction.Status.NOT_STARTED,
        ),
    ]


def _fill_action(page, description: str, action_type: str, owner: str, due_on: datetime.date) -> None:
    page.get_by_label("What is the action?").fill(description)
    choose(page, "What type of action is it?", action_type)
    choose(page, "Who owns the action?", owner)
    fill_date(page, "When is it due?", due_on)


def _conversation_awaiting_agreement(individual, line_manager) -> Conversation:
    """A conversation held a week ago whose first record waits for the individual to agree it."""
    held_on = timezone.localdate() - datetime.timedelta(days=7)
    conversation = ConversationFactory(
        individual=individual,
        facilitator=line_manager,
        planned_for=held_on,
        status=Conversation.Status.AWAITING_AGREEMENT,
    )
    action = DevelopmentActionFactory(
        conversation=conversation,
        description="Lead the ward's safety huddle for a month",
        due_on=held_on + datetime.timedelta(days=90),
    )
    ConversationRecordFactory(
        conversation=conversation,
        plan_snapshot=[
            {
                "id": action.pk,
                "description": action.description,
                "action_type": action.action_type,
                "owner": action.owner,
                "due_on": action.due_on.isoformat(),
                "status": action.status,
                "leadership_dimension": None,
            }
        ],
    )
    return conversation


def _open_conversation_from_growth(journey, facilitator) -> None:
    page = journey.page
    open_from_menu(journey, "Your growth")
    page.get_by_role("link", name=f"View your conversation with {facilitator}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your career conversation with {facilitator}")


def test_individual_disagrees_manager_amends_and_individual_agrees(journey, line_manager, individual):
    conversation = _conversation_awaiting_agreement(individual, line_manager)
    name, manager_name = str(individual), str(line_manager)
    sign_in(journey, individual)
    page = journey.page

    _open_conversation_from_growth(journey, manager_name)
    expect(_status_tag(page)).to_have_text("Awaiting agreement")
    expect(summary_value(page, "Strengths")).to_have_text("Calm under pressure; mentors new starters")
    journey.check_accessibility()
    page.get_by_role("button", name="I do not agree").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what you do not agree with")
    journey.check_accessibility()
    page.get_by_label("What do you not agree with?").fill("I also lead the ward's teaching programme.")
    page.get_by_role("button", name="Send").click()

    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        f"We have told {manager_name} that you do not agree with this record"
    )
    expect(_status_tag(page)).to_have_text("Not agreed")
    journey.check_accessibility()
    sign_out(journey)

    sign_in(journey, line_manager)
    open_from_menu(journey, "Your team")
    row = page.get_by_role("row").filter(has_text=name)
    expect(row.locator(".nhsuk-tag")).to_have_text("Not agreed")
    row.get_by_role("link", name=name, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Career conversation with {name}")
    disagreement = page.locator(".nhsuk-card--warning")
    expect(disagreement.get_by_role("heading")).to_have_text("Not agreed")
    expect(disagreement).to_contain_text(
        "What they do not agree with: I also lead the ward's teaching programme."
    )
    journey.check_accessibility()
    page.get_by_role("button", name="Change this record (creates a new version)").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Date and wellbeing check-in")
    journey.check_accessibility()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Strengths")
    journey.check_accessibility()
    page.get_by_label("What strengths did you discuss?").fill(
        "Calm under pressure; mentors new starters; leads the ward's teaching programme"
    )
    page.get_by_role("button", name="Continue").click()
    for heading in ["Aspirations", "Position on the framework", "Barriers", "Development plan"]:
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        journey.check_accessibility()
        page.get_by_role("button", name="Continue", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Next conversation")
    journey.check_accessibility()
    page.get_by_label("What changed and why?").fill("Added the teaching programme Imani leads.")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Check your answers before sending the record"
    )
    expect(summary_value(page, "Strengths")).to_have_text(
        "Calm under pressure; mentors new starters; leads the ward's teaching programme"
    )
    expect(summary_value(page, "What changed and why")).to_have_text(
        "Added the teaching programme Imani leads."
    )
    journey.check_accessibility()
    page.get_by_role("button", name=f"Save and send to {name} to agree").click()

    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        f"Record sent to {name} to agree"
    )
    expect(_status_tag(page)).to_have_text("Awaiting agreement")
    expect(page.get_by_text(f"Waiting for {name} to agree version 2 of this record.")).to_be_visible()
    journey.check_accessibility()
    sign_out(journey)

    sign_in(journey, individual)
    _open_conversation_from_growth(journey, manager_name)
    expect(summary_value(page, "Strengths")).to_have_text(
        "Calm under pressure; mentors new starters; leads the ward's teaching programme"
    )
    journey.check_accessibility()
    page.get_by_role("button", name="Agree this record").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Agree this record")
    journey.check_accessibility()
    page.get_by_role("button", name="Agree this record").click()

    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("You have agreed this record")
    expect(_status_tag(page)).to_have_text("Agreed")
    journey.check_accessibility()
    page.get_by_role("link", name="See all versions").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("All versions of the record")
    versions = page.locator(".nhsuk-card")
    expect(versions.get_by_role("heading", level=2)).to_have_text(["Version 2", "Version 1"])
    today = long_date(timezone.localdate())
    expect(summary_value(versions.nth(0), "Reason for the change")).to_have_text(
        "Added the teaching programme Imani leads."
    )
    expect(versions.nth(0).locator("tbody").get_by_role("rowheader")).to_have_text(["Strengths"])
    expect(summary_value(versions.nth(0), "Response from you")).to_have_text(f"Agreed on {today}")
    expect(summary_value(versions.nth(1), "Response from you")).to_have_text(f"Not agreed on {today}")
    expect(summary_value(versions.nth(1), "Comment")).to_have_text(
        "I also lead the ward's teaching programme."
    )
    journey.check_accessibility()
    sign_out(journey)

    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.AGREED
    records = list(conversation.records.order_by("version"))
    assert [
        (
            record.version,
            record.individual_response,
            record.individual_comment,
            record.change_reason,
            record.strengths,
        )
        for record in records
    ] == [
        (
            1,
            ConversationRecord.Response.NOT_AGREED,
            "I also lead the ward's teaching programme.",
            "",
            "Calm under pressure; mentors new starters",
        ),
        (
            2,
            ConversationRecord.Response.AGREED,
            "",
            "Added the teaching programme Imani leads.",
            "Calm under pressure; mentors new starters; leads the ward's teaching programme",
        ),
    ]
    assert records[1].recorded_by == line_manager
    assert list(conversation.actions.values_list("description", flat=True)) == [
        "Lead the ward's safety huddle for a month"
    ]


def test_individual_downloads_their_record_as_a_pdf(journey, line_manager, individual):
    _conversation_awaiting_agreement(individual, line_manager)
    sign_in(journey, individual)
    page = journey.page

    _open_conversation_from_growth(journey, str(line_manager))
    journey.check_accessibility()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF").click()

    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    content = download.path().read_bytes()
    assert content.startswith(b"%PDF")
    # Table cells wrap their text over several lines, so compare with the white space collapsed.
    text = " ".join(
        " ".join(pdf_page.extract_text() for pdf_page in pypdf.PdfReader(io.BytesIO(content)).pages).split()
    )
    assert f"Career conversation record: {individual}" in text
    assert "Current position Building impact, Depth" in text
    assert "Lead the ward's safety huddle for a month" in text
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your career conversation with {line_manager}")
