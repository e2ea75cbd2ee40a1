import re

from playwright.sync_api import expect

from accounts.models import EqualityProfile, ReligionGroup
from tests.accounts.factories import TEST_PASSWORD, totp_code


def test_talent_lead_signs_in_sets_up_mfa_declares_equality_data_and_signs_out(journey, talent_lead):
    page = journey.goto("/")

    expect(page).to_have_title("Sign in – Scope for Growth – NHS")
    journey.check_accessibility()
    page.get_by_label("Email address").fill(talent_lead.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.get_by_text("Because you can see information about many people")).to_be_visible()
    journey.check_accessibility()
    page.get_by_label("Enter the 6-digit code").fill("000000")
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_title(re.compile(r"^Error: Set up your authenticator app"))
    journey.check_accessibility()
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Enter the 6-digit code").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    journey.check_accessibility()
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_title("Home – Scope for Growth – NHS")
    journey.check_accessibility()
    page.get_by_role("link", name="Your equality monitoring information").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your equality monitoring information")
    expect(page.get_by_text("Nobody can see your answers with your name on them")).to_be_visible()
    journey.check_accessibility()
    page.get_by_role("link", name=re.compile("^Change")).first.click()

    journey.check_accessibility()
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    journey.check_accessibility()
    for group in page.locator("fieldset").all():
        group.get_by_label("Prefer not to say", exact=True).check()
    page.get_by_role("group", name="What is your religion or belief?").get_by_label("Buddhist").check()
    page.get_by_role("button", name=re.compile("Save")).click()

    expect(page.locator(".nhsuk-notification-banner--success")).to_be_visible()
    journey.check_accessibility()
    assert EqualityProfile.objects.get(user=talent_lead).religion_group == ReligionGroup.BUDDHIST
    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_title("Sign in – Scope for Growth – NHS")
    journey.check_accessibility()
    journey.goto("/")
    expect(page).to_have_url(re.compile(r"/account/login/\?next=/$"))
    journey.check_accessibility()
