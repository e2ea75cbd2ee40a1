"""Signing in and out, resetting and changing a password, and the pages for refused requests."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import TEST_PASSWORD

NEW_PASSWORD = "purple-elephant-sandwich-42"
SIGN_IN_FAILED = "Enter a correct email address and password"


def page_title(text: str) -> str:
    return f"<title>{text} \N{EN DASH} Scope for Growth \N{EN DASH} NHS</title>"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    # allauth counts failed sign-ins in the cache; a count left by another test must not lock anyone out.
    cache.clear()
    yield
    cache.clear()


def sign_in(client, email, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def is_signed_in(client) -> bool:
    return SESSION_KEY in client.session


def reset_link_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/account/password/reset/key/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_sign_in_page_uses_nhs_form_and_does_not_offer_sign_up(client):
    response = client.get(reverse("account_login"))

    content = response.content.decode()
    assert response.status_code == 200
    assert page_title("Sign in") in content
    assert '<h1 class="nhsuk-heading-l">Sign in</h1>' in content
    assert '<label class="nhsuk-label" for="id_login">Email address</label>' in content
    assert '<label class="nhsuk-label" for="id_password">Password</label>' in content
    assert 'class="nhsuk-input"' in content
    assert '<button class="nhsuk-button" data-module="nhsuk-button" type="submit">Sign in</button>' in content
    assert f'href="{reverse("account_reset_password")}"' in content
    assert reverse("account_signup") not in content
    assert "sign up" not in content.lower()


@pytest.mark.django_db
def test_sign_in_with_email_and_password_lands_on_home(client, individual):
    response = sign_in(client, "individual@nhs.test")

    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert client.session[SESSION_KEY] == str(individual.pk)
    home = client.get(response.url)
    assert home.status_code == 200
    assert "Hello, Imani" in home.content.decode()


@pytest.mark.django_db
def test_sign_in_ignores_the_case_of_the_email_address(client, individual):
    response = sign_in(client, "Individual@NHS.test")

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(individual.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "password"),
    [
        pytest.param("individual@nhs.test", "not-the-password", id="wrong password"),
        pytest.param("nobody@nhs.test", TEST_PASSWORD, id="unknown email"),
    ],
)
def test_failed_sign_in_shows_the_same_error_and_does_not_sign_in(client, individual, email, password):
    response = sign_in(client, email, password)

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {"login": [SIGN_IN_FAILED]}
    assert page_title("Error: Sign in") in content
    assert f'<li><a href="#id_login">{SIGN_IN_FAILED}</a></li>' in content
    assert (
        '<span class="nhsuk-error-message" id="id_login-error">'
        f'<span class="nhsuk-u-visually-hidden">Error: </span>{SIGN_IN_FAILED}</span>'
    ) in content
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_sign_in_with_nothing_entered_asks_for_both_answers(client):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "login": ["Enter your email address"],
        "password": ["Enter your password"],
    }
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_sign_in_with_a_badly_formed_email_address_says_how_to_write_it(client):
    response = client.post(reverse("account_login"), {"login": "not-an-email", "password": TEST_PASSWORD})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "login": ["Enter an email address in the correct format, like name@example.com"]
    }


@pytest.mark.django_db
def test_too_many_failed_sign_ins_locks_the_account_for_a_while(client, individual):
    for _ in range(5):
        assert sign_in(client, "individual@nhs.test", "not-the-password").status_code == 200

    response = sign_in(client, "individual@nhs.test")

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "login": ["You have tried too many times. Wait 5 minutes, then try again."]
    }
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_too_many_sign_in_requests_get_the_nhs_429_page(client, individual):
    with override_settings(ACCOUNT_RATE_LIMITS={"login": "1/m/ip"}):
        assert sign_in(client, "individual@nhs.test", "not-the-password").status_code == 200
        response = sign_in(client, "individual@nhs.test")

    content = response.content.decode()
    assert response.status_code == 429
    assert page_title("You have tried too many times") in content
    assert "Wait 5 minutes, then try again." in content
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_sign_out_by_post_signs_out(client, individual):
    client.force_login(individual)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response.url == reverse("account_login")
    assert not is_signed_in(client)
    login_page = client.get(response.url)
    assert "You have signed out" in login_page.content.decode()


@pytest.mark.django_db
def test_sign_out_page_asks_to_confirm_and_get_does_not_sign_out(client, individual):
    client.force_login(individual)

    response = client.get(reverse("account_logout"))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="nhsuk-heading-l">Sign out</h1>' in content
    assert f'<form method="post" action="{reverse("account_logout")}" novalidate>' in content
    assert (
        '<button class="nhsuk-button" data-module="nhsuk-button" type="submit">Sign out</button>' in content
    )
    assert client.session[SESSION_KEY] == str(individual.pk)


@pytest.mark.django_db
def test_header_sign_out_is_a_post_form(client, individual):
    client.force_login(individual)

    content = client.get(reverse("core:home")).content.decode()

    assert (
        f'<form class="nhsuk-header__account-form" action="{reverse("account_logout")}" method="post"'
        in content
    )


@pytest.mark.django_db
def test_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="nhsuk-heading-l">You cannot create an account here</h1>' in content
    assert "<form" not in content.split('id="maincontent"')[1]


@pytest.mark.django_db
def test_password_reset_sends_a_link_that_sets_a_new_password(client, individual, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "individual@nhs.test"})

    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["individual@nhs.test"]
    assert message.subject == "Scope for Growth: Reset your password"

    link = client.get(reset_link_path(message))
    # allauth moves the key out of the address (so it cannot leak in a Referer header) and redirects.
    assert link.status_code == 302
    form_page = client.get(link.url)
    assert form_page.status_code == 200
    assert '<h1 class="nhsuk-heading-l">Create a new password</h1>' in form_page.content.decode()

    saved = client.post(link.url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert saved.status_code == 302
    assert saved.url == reverse("account_reset_password_from_key_done")
    individual.refresh_from_db()
    assert individual.check_password(NEW_PASSWORD)
    assert sign_in(Client(), "individual@nhs.test", NEW_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_password_reset_for_an_unknown_email_looks_the_same_and_offers_no_sign_up(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@nhs.test"})

    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Scope for Growth: Password reset request"
    assert "there is no account for it" in mailoutbox[0].body
    assert "signup" not in mailoutbox[0].body
    assert "sign up" not in mailoutbox[0].body.lower()


@pytest.mark.django_db
def test_password_reset_without_an_email_address_asks_for_one(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {"email": ["Enter your email address"]}
    assert page_title("Error: Reset your password") in response.content.decode()
    assert mailoutbox == []


def assert_invalid_link_page(response):
    content = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="nhsuk-heading-l">This link has expired or is not valid</h1>' in content
    assert (
        f'<a href="{reverse("account_reset_password")}">Request a new link to reset your password</a>'
        in content
    )
    assert "<form method" not in content.split('id="maincontent"')[1]


@pytest.mark.django_db
def test_tampered_password_reset_link_shows_the_invalid_link_page(client, individual, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": "individual@nhs.test"})
    path = reset_link_path(mailoutbox[0])
    tampered = path[:-3] + ("x" if path[-3] != "x" else "y") + path[-2:]

    response = client.get(tampered)

    assert_invalid_link_page(response)
    individual.refresh_from_db()
    assert individual.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_tampered_link_cannot_set_a_password(client, individual):
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "set-password"})

    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert_invalid_link_page(response)
    individual.refresh_from_db()
    assert individual.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_expired_password_reset_link_shows_the_invalid_link_page(client, individual, mailoutbox, settings):
    client.post(reverse("account_reset_password"), {"email": "individual@nhs.test"})
    path = reset_link_path(mailoutbox[0])

    with time_machine.travel(timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)):
        response = client.get(path)

    assert_invalid_link_page(response)
    individual.refresh_from_db()
    assert individual.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_password_reset_link_only_works_once(client, individual, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": "individual@nhs.test"})
    path = reset_link_path(mailoutbox[0])
    set_password_url = client.get(path).url
    client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    response = Client().get(path)

    assert_invalid_link_page(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password1", "password2", "errors"),
    [
        pytest.param(
            "", "", {"password1": ["Enter a new password"], "password2": ["Confirm your new password"]}
        ),
        pytest.param(
            NEW_PASSWORD, "something-else-entirely", {"password2": ["Enter the same password in both boxes"]}
        ),
        pytest.param("short-pw", "short-pw", {"password1": ["Password must be 12 characters or more"]}),
        pytest.param(
            "123456123456",
            "123456123456",
            {
                "password1": [
                    "Enter a password that is harder to guess. This one is too common",
                    "Password must include letters or symbols, not only numbers",
                ]
            },
        ),
    ],
)
def test_new_password_errors_are_clear_and_change_nothing(
    client, individual, mailoutbox, password1, password2, errors
):
    client.post(reverse("account_reset_password"), {"email": "individual@nhs.test"})
    set_password_url = client.get(reset_link_path(mailoutbox[0])).url

    response = client.post(set_password_url, {"password1": password1, "password2": password2})

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert page_title("Error: Create a new password") in response.content.decode()
    individual.refresh_from_db()
    assert individual.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_change_password_with_wrong_current_password_changes_nothing(client, individual):
    client.force_login(individual)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-the-password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"oldpassword": ["Enter your current password correctly"]}
    individual.refresh_from_db()
    assert individual.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_change_password(client, individual):
    client.force_login(individual)
    page = client.get(reverse("account_change_password"))
    assert '<h1 class="nhsuk-heading-l">Change your password</h1>' in page.content.decode()

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][1] == 302
    assert "Your password has been changed" in response.content.decode()
    individual.refresh_from_db()
    assert individual.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_form_without_csrf_token_gets_the_nhs_403_page(individual):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("account_login"), {"login": "individual@nhs.test", "password": TEST_PASSWORD}
    )

    content = response.content.decode()
    assert response.status_code == 403
    assert page_title("Sorry, we could not accept your form") in content
    assert '<h1 class="nhsuk-heading-l">Sorry, we could not accept your form</h1>' in content
    assert "Nothing you entered has been saved." in content
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_form_with_tampered_csrf_token_gets_the_nhs_403_page(individual):
    client = Client(enforce_csrf_checks=True)
    client.force_login(individual)
    client.get(reverse("account_change_password"))

    response = client.post(
        reverse("account_change_password"),
        {
            "csrfmiddlewaretoken": "x" * 64,
            "oldpassword": TEST_PASSWORD,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 403
    assert (
        '<h1 class="nhsuk-heading-l">Sorry, we could not accept your form</h1>' in response.content.decode()
    )
    individual.refresh_from_db()
    assert individual.check_password(TEST_PASSWORD)
