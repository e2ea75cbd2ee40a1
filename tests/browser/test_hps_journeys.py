"""The High Potential Scheme in the browser: applying, the sponsor signing from the emailed link, and the
administrator taking the application to an offer that the applicant accepts."""

import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import PayBand
from hps.models import Application, ApplicationTransition, DevelopmentStream, SponsorInvitation
from hps.sponsor_services import sponsor_invitation_send
from tests.accounts.factories import StaffProfileFactory, give_totp
from tests.browser.helpers import (
    choose,
    fill_date,
    fill_in_sign_in_page,
    long_date,
    open_from_menu,
    sign_in,
    sign_in_with_authenticator,
    sign_out,
    summary_value,
)
from tests.hps.factories import ApplicationFactory, CohortFactory

Status = Application.Status
COHORT_NAME = "Staffordshire and Stoke-on-Trent November 2026 intake"
MOTIVATION = "I want to lead a whole maternity service and improve care for families."
LEADERSHIP = "I hold weekly listening sessions with my team and act on what they tell me."
TRANSITION = "I am moving towards managing a range of teams, and the placements will stretch me."


@pytest.fixture
def applicant(organisation):
    return StaffProfileFactory(
        user__email="applicant@nhs.test",
        user__first_name="Priya",
        user__last_name="Shah",
        organisation=organisation,
        job_title="Head of midwifery",
        pay_band=PayBand.objects.get(code="AFC8A"),
    ).user


@pytest.fixture
def sponsor(organisation):
    return StaffProfileFactory(
        user__email="sponsor@nhs.test",
        user__first_name="Alex",
        user__last_name="Morgan",
        organisation=organisation,
        job_title="Director of nursing",
        pay_band=PayBand.objects.get(code="AFC9"),
    ).user


@pytest.fixture
def cohort(organisation, hps_administrator):
    return CohortFactory(
        name=COHORT_NAME,
        integrated_care_systems=[organisation.integrated_care_system],
        administrators=[hps_administrator],
    )


def _application(applicant, named_sponsor, cohort, organisation, **status_trait) -> Application:
    """A complete application by `applicant` naming `named_sponsor`, in the status the trait gives."""
    return ApplicationFactory(
        applicant=applicant,
        cohort=cohort,
        organisation=organisation,
        pay_band=PayBand.objects.get(code="AFC8A"),
        job_title="Head of midwifery",
        development_stream=DevelopmentStream.STREAM_TWO,
        motivation_statement=MOTIVATION,
        leadership_statement=LEADERSHIP,
        transition_statement=TRANSITION,
        sponsor_email=named_sponsor.email,
        sponsor_relationship=Application.SponsorRelationship.LINE_MANAGER,
        **status_trait,
    )


def _success_banner(page):
    return page.locator(".nhsuk-notification-banner--success")


def _task_status(page, title: str):
    """The status cell of the task list item called `title`."""
    item = page.locator(".nhsuk-task-list__item").filter(
        has=page.locator(
            ".nhsuk-task-list__name-and-hint", has_text=re.compile(rf"^\s*{re.escape(title)}\s*$")
        )
    )
    return item.locator(".nhsuk-task-list__status")


def _history(page):
    """The status column of the applicant's history table."""
    return page.locator("table", has=page.get_by_text("What has happened to your application")).locator(
        "tbody tr td:nth-child(2)"
    )


def _review_status(page):
    """The tag after "Status:" on the administrator's page for an application."""
    return page.locator("p").filter(has_text=re.compile(r"^\s*Status:")).locator(".nhsuk-tag")


def _transitions(application) -> list[tuple[str, str, object]]:
    return [
        (transition.from_status, transition.to_status, transition.by)
        for transition in ApplicationTransition.objects.filter(application=application).order_by("at", "pk")
    ]


def test_applicant_applies_end_to_end_and_their_sponsor_is_emailed(
    journey, applicant, sponsor, cohort, organisation, mailoutbox
):
    name = str(applicant)
    today = timezone.localdate()
    sign_in(journey, applicant)
    page = journey.page

    open_from_menu(journey, "High Potential Scheme")
    intake = page.get_by_role("row").filter(has_text=COHORT_NAME)
    expect(intake).to_contain_text("Staffordshire and Stoke-on-Trent")
    expect(intake).to_contain_text(long_date(cohort.closes_on))
    intake.get_by_role("link", name=f"Check if you can apply to {COHORT_NAME}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{COHORT_NAME} – Check if you can apply")
    journey.check_accessibility()
    choose(page, "Do you work in an NHS or health and care funded role in this area?", "Yes")
    choose(page, "What is your pay band?", "Band 8a")
    choose(
        page,
        "Are you interested in progressing to senior leadership roles, for example at board or governing "
        "body level?",
        "Yes",
    )
    choose(
        page, "Are you ready and willing to learn and develop your leadership skills and behaviours?", "Yes"
    )
    choose(page, "Can you show compassionate and inclusive leadership values and style?", "Yes")
    choose(page, "Are you working towards one of the scheme's two career transitions?", "Yes")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"High Potential Scheme – Your application to {COHORT_NAME}"
    )
    expect(_success_banner(page)).to_contain_text(
        f"You can apply to {COHORT_NAME}. We have saved your application as a draft"
    )
    expect(summary_value(page, "Status").locator(".nhsuk-tag")).to_have_text("Draft")
    # The role comes from the staff record; everything else is still to do.
    for title, status in [
        ("Your role and organisation", "Completed"),
        ("Development stream", "Incomplete"),
        ("Supporting statements", "Incomplete"),
        ("Your sponsor", "Incomplete"),
        ("Terms and conditions", "Cannot start yet"),
        ("Check and submit your application", "Cannot start yet"),
    ]:
        expect(_task_status(page, title)).to_have_text(status)
    journey.check_accessibility()
    page.get_by_role("link", name="Your role and organisation").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Your role and organisation")
    expect(page.get_by_role("heading", level=1)).to_contain_text("(section 1 of 5)")
    expect(page.get_by_label("Job title")).to_have_value("Head of midwifery")
    expect(page.get_by_role("group", name="Pay band").get_by_label("Band 8a", exact=True)).to_be_checked()
    journey.check_accessibility()
    page.get_by_label("Job title").fill("Head of midwifery and gynaecology")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Which development stream are you applying for?"
    )
    expect(_success_banner(page)).to_contain_text("Your role and organisation saved")
    journey.check_accessibility()
    choose(
        page,
        "Which development stream are you applying for?",
        "Development stream 2: moving towards leading a whole function or service",
    )
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Supporting statements")
    journey.check_accessibility()
    page.get_by_label("Why do you want to join the High Potential Scheme?").fill(MOTIVATION)
    page.get_by_label("How do you show compassionate and inclusive leadership?").fill(LEADERSHIP)
    page.get_by_label(
        "Which career transition are you working towards, and how will the scheme help you make it?"
    ).fill(TRANSITION)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Your sponsor")
    journey.check_accessibility()
    choose(page, "Who is your sponsor?", "My line manager")
    sponsor_email = page.get_by_label("Your sponsor's email address")
    sponsor_email.fill(applicant.email)
    page.get_by_role("button", name="Save and continue").click()

    expect(page).to_have_title(re.compile(rf"^Error: Your sponsor – Your application to {COHORT_NAME}"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(["Your sponsor must be someone else"])
    journey.check_accessibility()
    summary.get_by_role("link", name="Your sponsor must be someone else").click()
    expect(sponsor_email).to_be_focused()
    expect(
        page.get_by_role("group", name="Who is your sponsor?").get_by_label("My line manager")
    ).to_be_checked()
    sponsor_email.fill("Sponsor@NHS.test")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Read and sign the terms and conditions")
    terms = page.locator(".nhsuk-card")
    expect(terms.get_by_role("heading")).to_have_text("Terms and conditions (version 1.0)")
    expect(terms).to_contain_text("You agree to take part in the scheme for 24 months.")
    journey.check_accessibility()
    page.get_by_label("Your full name").fill(name)
    page.get_by_label(
        "I have read and agree to the terms and conditions, and the information in my application is true"
    ).check()
    page.get_by_role("button", name="Sign and continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Check your answers before submitting your application"
    )
    for key, value in [
        ("Job title", "Head of midwifery and gynaecology"),
        ("Organisation", organisation.name),
        ("Pay band", "Band 8a"),
        ("Stream", "Development stream 2: moving towards leading a whole function or service"),
        ("Why do you want to join the High Potential Scheme?", MOTIVATION),
        ("How do you show compassionate and inclusive leadership?", LEADERSHIP),
        (
            "Which career transition are you working towards, and how will the scheme help you make it?",
            TRANSITION,
        ),
        ("Who they are", "My line manager"),
        ("Email address", "sponsor@nhs.test"),
    ]:
        expect(summary_value(page, key)).to_have_text(value)
    expect(summary_value(page, "Signed by")).to_contain_text(f"{name}{long_date(today)}, version 1.0")
    journey.check_accessibility()
    page.get_by_role("button", name="Submit application").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"High Potential Scheme – Your application to {COHORT_NAME}"
    )
    expect(_success_banner(page)).to_contain_text(
        "Application submitted. We have asked sponsor@nhs.test to sign"
    )
    expect(summary_value(page, "Status").locator(".nhsuk-tag")).to_have_text("Waiting for sponsor")
    expect(summary_value(page, "Submitted")).to_have_text(long_date(today))
    expect(page.get_by_text("Waiting for sponsor@nhs.test to sign.")).to_be_visible()
    expect(_history(page)).to_have_text(["Submitted", "Waiting for sponsor"])
    journey.check_accessibility()
    sign_out(journey)

    invitation_emails = [message for message in mailoutbox if message.to == ["sponsor@nhs.test"]]
    assert [message.subject for message in invitation_emails] == [
        f"{settings.SERVICE_NAME}: {name} has asked you to sponsor their High Potential Scheme application"
    ]
    link = re.search(
        rf"{re.escape(settings.SITE_URL.rstrip('/'))}/hps/sponsor/invitation/(?P<token>[\w-]+)/",
        invitation_emails[0].body,
    )
    assert link is not None

    application = Application.objects.get()
    assert (application.applicant, application.cohort, application.status) == (
        applicant,
        cohort,
        Status.AWAITING_SPONSOR,
    )
    assert application.eligibility_answers == {
        "works_in_footprint": True,
        "pay_band": "AFC8A",
        "interested_in_senior_roles": True,
        "ready_to_learn": True,
        "compassionate_leadership": True,
        "career_transition": True,
    }
    assert (application.job_title, application.organisation, application.pay_band.code) == (
        "Head of midwifery and gynaecology",
        organisation,
        "AFC8A",
    )
    assert application.development_stream == DevelopmentStream.STREAM_TWO
    assert (
        application.motivation_statement,
        application.leadership_statement,
        application.transition_statement,
    ) == (MOTIVATION, LEADERSHIP, TRANSITION)
    assert (application.sponsor_email, application.sponsor_relationship, application.sponsor) == (
        "sponsor@nhs.test",
        Application.SponsorRelationship.LINE_MANAGER,
        None,
    )
    assert (application.applicant_signed_name, application.applicant_terms_version) == (name, "1.0")
    assert timezone.localdate(application.applicant_signed_at) == today
    assert timezone.localdate(application.submitted_at) == today
    assert _transitions(application) == [
        (Status.DRAFT, Status.SUBMITTED, applicant),
        (Status.SUBMITTED, Status.AWAITING_SPONSOR, applicant),
    ]
    invitation = SponsorInvitation.objects.get()
    assert (invitation.application, invitation.email, invitation.used_at, invitation.declined_at) == (
        application,
        "sponsor@nhs.test",
        None,
        None,
    )
    assert invitation.token_hash == SponsorInvitation.hash_token(link["token"])


def test_sponsor_signs_from_the_emailed_link(
    journey, applicant, sponsor, cohort, organisation, mailoutbox, live_server
):
    application = _application(applicant, sponsor, cohort, organisation, awaiting_sponsor=True)
    sponsor_invitation_send(application=application)
    [email] = [message for message in mailoutbox if message.to == [sponsor.email]]
    link = re.search(
        rf"{re.escape(settings.SITE_URL.rstrip('/'))}(/hps/sponsor/invitation/[\w-]+/)", email.body
    )
    assert link is not None
    invitation_path = link.group(1)
    applicant_name, sponsor_name = str(applicant), str(sponsor)
    today = timezone.localdate()
    page = journey.page

    journey.goto(invitation_path)
    expect(page).to_have_url(re.compile(rf"/account/login/\?next={re.escape(invitation_path)}$"))
    fill_in_sign_in_page(journey, sponsor)

    expect(page).to_have_url(f"{live_server.url}/hps/sponsor/applications/{application.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{COHORT_NAME} Application from {applicant_name}"
    )
    expect(
        page.get_by_text(
            f"{applicant_name} has asked you to sponsor their application to the NHS High Potential"
        )
    ).to_be_visible()
    for key, value in [
        ("Status", "Waiting for sponsor"),
        ("Job title", "Head of midwifery"),
        ("Organisation", organisation.name),
        ("Pay band", "Band 8a"),
        ("Development stream", "Development stream 2: moving towards leading a whole function or service"),
        ("Your relationship to the applicant", "Line manager"),
        ("Submitted", long_date(today)),
    ]:
        expect(summary_value(page, key)).to_have_text(value)
    expect(page.get_by_text(LEADERSHIP)).to_be_visible()
    journey.check_accessibility()
    page.get_by_role("button", name="Confirm your support and sign").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Application from {applicant_name} Confirm your support and sign"
    )
    journey.check_accessibility()
    page.get_by_label("Your full name").fill(sponsor_name)
    page.get_by_label(
        "I support this application and agree to the High Potential Scheme terms and conditions"
    ).check()
    page.get_by_role("button", name="Confirm your support and sign").click()

    expect(page.locator(".nhsuk-panel")).to_contain_text(
        f"Application signed You support the application from {applicant_name}"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Application signed")
    expect(
        page.get_by_text(
            f"You signed as {sponsor_name} on {long_date(today)}, agreeing to the terms and conditions "
            "version 1.0."
        )
    ).to_be_visible()
    journey.check_accessibility()
    page.get_by_role("link", name="Go back to the application").click()

    expect(summary_value(page, "Status")).to_have_text("Eligibility review")
    expect(page.get_by_role("button", name="Confirm your support and sign")).to_have_count(0)
    journey.check_accessibility()

    # The link worked once: opening it again explains why it no longer does.
    journey.goto(invitation_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has already been used")
    journey.check_accessibility()
    sign_out(journey)

    application.refresh_from_db()
    assert application.status == Status.ELIGIBILITY_REVIEW
    assert (application.sponsor, application.sponsor_signed_name, application.sponsor_terms_version) == (
        sponsor,
        sponsor_name,
        "1.0",
    )
    assert timezone.localdate(application.sponsor_signed_at) == today
    assert _transitions(application) == [(Status.AWAITING_SPONSOR, Status.ELIGIBILITY_REVIEW, sponsor)]
    invitation = SponsorInvitation.objects.get()
    assert invitation.used_at == application.sponsor_signed_at
    assert invitation.declined_at is None


def test_administrator_takes_the_application_to_an_offer_and_the_applicant_accepts(
    journey, applicant, sponsor, cohort, organisation, hps_administrator
):
    application = _application(
        applicant, sponsor, cohort, organisation, eligibility_review=True, sponsor=sponsor
    )
    secret = give_totp(hps_administrator)
    applicant_name = str(applicant)
    today = timezone.localdate()
    page = journey.page

    sign_in_with_authenticator(journey, hps_administrator, secret)
    page.get_by_role("link", name="Run High Potential Scheme intakes").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("High Potential Scheme cohorts")
    journey.check_accessibility()
    page.get_by_role("link", name=COHORT_NAME).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"High Potential Scheme cohort {COHORT_NAME}")
    expect(summary_value(page, "Total sent")).to_have_text("1")
    journey.check_accessibility()
    page.get_by_role("link", name="Review applications").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{COHORT_NAME} Applications")
    row = page.get_by_role("row").filter(has_text=applicant_name)
    expect(row.locator(".nhsuk-tag")).to_have_text("Eligibility review")
    journey.check_accessibility()
    row.get_by_role("link", name=applicant_name).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{COHORT_NAME} Application from {applicant_name}"
    )
    expect(_review_status(page)).to_have_text("Eligibility review")
    expect(summary_value(page, "Signature")).to_contain_text(f"Signed by {sponsor} on {long_date(today)}")
    journey.check_accessibility()

    decisions = [
        ("Confirm eligibility and invite to the assessment", "Invited to assessment"),
        ("Record the assessment", "Assessment complete"),
        ("Shortlist", "Shortlisted"),
        ("Offer a place", "Offered a place"),
    ]
    for decision, status in decisions:
        page.get_by_role("button", name=decision, exact=True).click()

        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Application from {applicant_name} {decision}"
        )
        journey.check_accessibility()
        if decision == "Record the assessment":
            fill_date(page, "Date the assessment was completed", today)
            page.get_by_label("Result", exact=True).fill("Recommended")
        page.get_by_role("button", name=decision, exact=True).click()

        expect(_success_banner(page)).to_contain_text(f"{decision}: done. {applicant_name} has been told.")
        expect(_review_status(page)).to_have_text(status)
        journey.check_accessibility()

    expect(summary_value(page, "Invited")).to_have_text(long_date(today))
    expect(summary_value(page, "Completed")).to_have_text(long_date(today))
    expect(summary_value(page, "Result")).to_have_text("Recommended")
    expect(page.get_by_role("button", name="Offer a place")).to_have_count(0)
    sign_out(journey)

    sign_in(journey, applicant)
    open_from_menu(journey, "High Potential Scheme")
    applications = page.get_by_role("table", name="Your applications", exact=True)
    expect(applications.locator(".nhsuk-tag")).to_have_text(["Offered a place"])
    applications.get_by_role("link", name=COHORT_NAME).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"High Potential Scheme – Your application to {COHORT_NAME}"
    )
    expect(summary_value(page, "Status").locator(".nhsuk-tag")).to_have_text("Offered a place")
    expect(page.get_by_role("heading", name="You have been offered a place")).to_be_visible()
    journey.check_accessibility()
    page.get_by_role("button", name="Accept my place").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Your application to {COHORT_NAME} – Accept your place on the High Potential Scheme"
    )
    journey.check_accessibility()
    page.get_by_role("button", name="Accept my place").click()

    expect(_success_banner(page)).to_contain_text(f"You have accepted your place on {COHORT_NAME}")
    expect(summary_value(page, "Status").locator(".nhsuk-tag")).to_have_text("Accepted")
    expect(page.get_by_role("button", name="Accept my place")).to_have_count(0)
    expect(_history(page)).to_have_text(
        ["Invited to assessment", "Assessment complete", "Shortlisted", "Offered a place", "Accepted"]
    )
    journey.check_accessibility()
    sign_out(journey)

    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    assert timezone.localdate(application.assessment_invited_at) == today
    assert (application.assessment_completed_on, application.assessment_result) == (today, "Recommended")
    assert _transitions(application) == [
        (Status.ELIGIBILITY_REVIEW, Status.ASSESSMENT_INVITED, hps_administrator),
        (Status.ASSESSMENT_INVITED, Status.ASSESSMENT_COMPLETE, hps_administrator),
        (Status.ASSESSMENT_COMPLETE, Status.SHORTLISTED, hps_administrator),
        (Status.SHORTLISTED, Status.OFFERED, hps_administrator),
        (Status.OFFERED, Status.ACCEPTED, applicant),
    ]
