"""Steps that many journeys share: signing in and out, and filling in NHS.UK form controls."""

import datetime
import re
import time

from allauth.mfa import app_settings as mfa_settings
from playwright.sync_api import expect

from tests.accounts.factories import TEST_PASSWORD, totp_code


def sign_in(journey, user) -> None:
    """Sign in through the real sign-in page (for someone who needs no authenticator app)."""
    page = journey.goto("/")
    fill_in_sign_in_page(journey, user)
    expect(page).to_have_title("Home – Scope for Growth – NHS")
    journey.check_accessibility()


def sign_out(journey) -> None:
    page = journey.page
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_title("Sign in – Scope for Growth – NHS")
    journey.check_accessibility()


def open_from_menu(journey, title: str) -> None:
    """Follow a link in the header's menu and check the page it opens."""
    page = journey.page
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    journey.check_accessibility()


def fill_date(page, legend: str, date: datetime.date) -> None:
    """Type a date into the three-part date input whose legend is `legend`."""
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(date.day))
    group.get_by_label("Month").fill(str(date.month))
    group.get_by_label("Year").fill(str(date.year))


def choose(page, legend: str, option: str) -> None:
    """Pick a radio (or tick a checkbox) in the group whose legend is `legend`."""
    page.get_by_role("group", name=legend, exact=True).get_by_label(option, exact=True).check()


def summary_value(scope, key: str):
    """The value cell of the summary list row whose key is `key`: the first such row in `scope` (a page
    or a locator)."""
    page = getattr(scope, "page", scope)
    row = scope.locator(".nhsuk-summary-list__row").filter(
        has=page.locator(".nhsuk-summary-list__key", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
    )
    return row.first.locator(".nhsuk-summary-list__value")


def long_date(date: datetime.date) -> str:
    """A date as the pages show it: "27 November 2026"."""
    return f"{date.day} {date:%B %Y}"


def fill_in_sign_in_page(journey, user) -> None:
    """On the sign-in page the browser has been sent to (for example from a link in an email): check it,
    then sign in with the person's email address and password."""
    page = journey.page
    expect(page).to_have_title("Sign in – Scope for Growth – NHS")
    journey.check_accessibility()
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_in_with_authenticator(journey, user, secret: str) -> None:
    """Sign in through the real pages for someone with an authenticator app (`give_totp` gives the
    secret): password first, then the code the app shows now."""
    journey.goto("/")
    fill_in_sign_in_page(journey, user)
    page = journey.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your authenticator app")
    journey.check_accessibility()
    # A code typed in the last seconds of its 30-second window may have expired when the form arrives.
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Home – Scope for Growth – NHS")
    journey.check_accessibility()
