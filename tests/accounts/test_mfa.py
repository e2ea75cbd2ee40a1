"""Authenticator apps (TOTP) and recovery codes: set-up, signing in, forced set-up for privileged roles."""

import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from tests.accounts.factories import TEST_PASSWORD, give_totp, totp_code

WHY_REQUIRED = (
    "Because you can see information about many people, "
    "you must set up an authenticator app before you continue."
)


def page_title(text: str) -> str:
    return f"<title>{text} \N{EN DASH} Scope for Growth \N{EN DASH} NHS</title>"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    # allauth counts failed codes in the cache; a count left by another test must not lock anyone out.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def commit_callbacks_run_at_once(monkeypatch):
    """allauth adds its messages in on-commit callbacks. In production they run inside the request; under
    the test's transaction they would run after it, too late to reach the next page."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def wrong_code(secret: str) -> str:
    return f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"


def confirm_password(client):
    """allauth asks for the password again before anyone changes how they sign in."""
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302


def open_activation_page(client):
    confirm_password(client)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    return response


def is_signed_in(client) -> bool:
    return SESSION_KEY in client.session


def authenticators(user) -> set[str]:
    return set(Authenticator.objects.filter(user=user).values_list("type", flat=True))


@pytest.mark.django_db
def test_activation_page_shows_qr_code_secret_and_code_input(client, individual):
    client.force_login(individual)

    response = open_activation_page(client)

    content = response.content.decode()
    secret = response.context["form"].secret
    assert page_title("Set up your authenticator app") in content
    assert '<h1 class="nhsuk-heading-l">Set up your authenticator app</h1>' in content
    assert 'src="data:image/svg+xml;base64,' in content
    assert f'<p class="nhsuk-input--code nhsuk-u-font-weight-bold" id="totp-secret">{secret}</p>' in content
    assert (
        '<label class="nhsuk-label" for="id_code">Enter the 6-digit code from your authenticator app</label>'
        in content
    )
    assert 'autocomplete="one-time-code"' in content
    assert 'inputmode="numeric"' in content
    assert WHY_REQUIRED not in content


@pytest.mark.django_db
@pytest.mark.usefixtures("commit_callbacks_run_at_once")
def test_activating_with_a_correct_code_creates_the_app_and_recovery_codes(client, individual):
    client.force_login(individual)
    secret = open_activation_page(client).context["form"].secret

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response.url == reverse("mfa_view_recovery_codes")
    assert authenticators(individual) == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    codes_page = client.get(response.url)
    content = codes_page.content.decode()
    unused_codes = RecoveryCodes(
        Authenticator.objects.get(user=individual, type="recovery_codes")
    ).get_unused_codes()
    assert codes_page.status_code == 200
    assert [str(message) for message in codes_page.context["messages"]] == [
        "Your authenticator app has been set up"
    ]
    assert '<h1 class="nhsuk-heading-l">Your recovery codes</h1>' in content
    assert "10 of 10 codes not used yet" in content
    assert len(unused_codes) == 10
    for code in unused_codes:
        assert f"<li>{code}</li>" in content
    assert f'href="{reverse("mfa_download_recovery_codes")}"' in content


@pytest.mark.django_db
def test_activation_accepts_a_code_typed_with_a_space(client, individual):
    client.force_login(individual)
    secret = open_activation_page(client).context["form"].secret
    code = totp_code(secret)

    response = client.post(reverse("mfa_activate_totp"), {"code": f"{code[:3]} {code[3:]}"})

    assert response.status_code == 302
    assert Authenticator.Type.TOTP in authenticators(individual)


@pytest.mark.django_db
def test_recovery_codes_download_as_a_text_file(client, individual):
    client.force_login(individual)
    secret = open_activation_page(client).context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    response = client.get(reverse("mfa_download_recovery_codes"))

    unused_codes = RecoveryCodes(
        Authenticator.objects.get(user=individual, type="recovery_codes")
    ).get_unused_codes()
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"] == 'attachment; filename="recovery-codes.txt"'
    assert body.startswith("Scope for Growth recovery codes for individual@nhs.test")
    assert body.strip().splitlines()[-10:] == unused_codes


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "error"),
    [
        pytest.param("wrong", "Enter a correct 6-digit code", id="wrong code"),
        pytest.param("", "Enter the 6-digit code from your authenticator app", id="no code"),
        pytest.param("12ab56", "Enter a correct 6-digit code", id="letters"),
    ],
)
def test_activating_with_a_wrong_code_is_rejected_and_creates_nothing(client, individual, code, error):
    client.force_login(individual)
    secret = open_activation_page(client).context["form"].secret

    response = client.post(
        reverse("mfa_activate_totp"), {"code": wrong_code(secret) if code == "wrong" else code}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {"code": [error]}
    assert page_title("Error: Set up your authenticator app") in content
    assert f'<li><a href="#id_code">{error}</a></li>' in content
    assert authenticators(individual) == set()


@pytest.mark.django_db
def test_sign_in_with_an_authenticator_app_needs_the_code(client, individual):
    secret = give_totp(individual)

    response = client.post(
        reverse("account_login"), {"login": "individual@nhs.test", "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert not is_signed_in(client)
    code_page = client.get(response.url)
    assert '<h1 class="nhsuk-heading-l">Check your authenticator app</h1>' in code_page.content.decode()
    home = client.get(reverse("core:home"))
    assert home.status_code == 302
    assert home.url.startswith(reverse("account_login"))

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert client.session[SESSION_KEY] == str(individual.pk)


@pytest.mark.django_db
def test_sign_in_with_a_wrong_code_keeps_the_person_out(client, individual):
    secret = give_totp(individual)
    client.post(reverse("account_login"), {"login": "individual@nhs.test", "password": TEST_PASSWORD})

    response = client.post(reverse("mfa_authenticate"), {"code": wrong_code(secret)})

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {"code": ["Enter a correct 6-digit code or recovery code"]}
    assert page_title("Error: Check your authenticator app") in content
    assert not is_signed_in(client)
    assert client.get(reverse("core:home")).status_code == 302


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once_only(client, individual):
    give_totp(individual)
    first_code, second_code = RecoveryCodes.activate(individual).get_unused_codes()[:2]
    credentials = {"login": "individual@nhs.test", "password": TEST_PASSWORD}

    client.post(reverse("account_login"), credentials)
    used = client.post(reverse("mfa_authenticate"), {"code": first_code})
    assert used.status_code == 302
    assert used.url == reverse("core:home")
    assert client.session[SESSION_KEY] == str(individual.pk)
    client.post(reverse("account_logout"))
    assert not is_signed_in(client)

    client.post(reverse("account_login"), credentials)
    reused = client.post(reverse("mfa_authenticate"), {"code": first_code})

    assert reused.status_code == 200
    assert reused.context["form"].errors == {"code": ["Enter a correct 6-digit code or recovery code"]}
    assert not is_signed_in(client)
    another = client.post(reverse("mfa_authenticate"), {"code": second_code})
    assert another.status_code == 302
    assert client.session[SESSION_KEY] == str(individual.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["talent_lead", "hps_administrator", "system_administrator"])
@pytest.mark.parametrize(
    "page", ["core:home", "accounts:account", "accounts:equality_profile", "account_change_password"]
)
def test_privileged_roles_without_an_app_are_sent_to_set_up(client, request, role, page):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["individual", "line_manager", "coach", "talent_lead_with_mfa"])
def test_other_people_reach_home_without_setting_up_an_app(client, request, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("core:home"))

    assert response.status_code == 200


@pytest.mark.django_db
def test_set_up_page_explains_why_a_talent_lead_must_set_up_an_app(client, talent_lead):
    client.force_login(talent_lead)

    response = open_activation_page(client)

    content = response.content.decode()
    assert WHY_REQUIRED in content
    assert 'class="nhsuk-back-link"' not in content


@pytest.mark.django_db
def test_talent_lead_signs_in_sets_up_an_app_and_reaches_home(client, talent_lead):
    signed_in = client.post(
        reverse("account_login"), {"login": "talent.lead@nhs.test", "password": TEST_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert signed_in.url == reverse("core:home")

    home = client.get(reverse("core:home"))
    assert home.status_code == 302
    assert home.url == reverse("mfa_activate_totp")
    # Straight after typing the password, set-up does not ask for it again.
    activation = client.get(home.url)
    assert activation.status_code == 200
    secret = activation.context["form"].secret

    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert activated.status_code == 302
    assert activated.url == reverse("mfa_view_recovery_codes")
    assert authenticators(talent_lead) == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_index_page_shows_the_app_and_recovery_codes(client, individual):
    give_totp(individual)
    RecoveryCodes.activate(individual)
    client.force_login(individual)

    response = client.get(reverse("mfa_index"))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="nhsuk-heading-l">Authenticator app and recovery codes</h1>' in content
    assert '<dd class="nhsuk-summary-list__value">Set up</dd>' in content
    assert "10 of 10 codes not used yet" in content
    assert f'href="{reverse("mfa_deactivate_totp")}"' in content


@pytest.mark.django_db
def test_removing_the_app_warns_a_talent_lead_and_then_sends_them_back_to_set_up(
    client, talent_lead_with_mfa
):
    client.force_login(talent_lead_with_mfa)
    confirm_password(client)
    page = client.get(reverse("mfa_deactivate_totp"))
    assert page.status_code == 200
    assert "you will have to set up an authenticator app again" in page.content.decode()

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert authenticators(talent_lead_with_mfa) == set()
    home = client.get(reverse("core:home"))
    assert home.status_code == 302
    assert home.url == reverse("mfa_activate_totp")


@pytest.mark.django_db
@pytest.mark.usefixtures("commit_callbacks_run_at_once")
def test_creating_new_recovery_codes_replaces_the_old_ones(client, individual):
    give_totp(individual)
    old_codes = RecoveryCodes.activate(individual).get_unused_codes()
    client.force_login(individual)
    confirm_password(client)
    page = client.get(reverse("mfa_generate_recovery_codes"))
    assert "Your current recovery codes will stop working." in page.content.decode()

    response = client.post(reverse("mfa_generate_recovery_codes"))

    assert response.status_code == 302
    assert response.url == reverse("mfa_view_recovery_codes")
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Your new recovery codes have been created. Your old codes no longer work"
    ]
    new_codes = RecoveryCodes(
        Authenticator.objects.get(user=individual, type="recovery_codes")
    ).get_unused_codes()
    assert len(new_codes) == 10
    assert set(new_codes).isdisjoint(old_codes)


@pytest.mark.django_db
def test_talent_lead_who_asked_for_a_password_reset_can_still_set_up_an_app(client, talent_lead):
    # Asking for a reset records the email address as unverified. Accounts come from the employer, so
    # that must not stop anyone setting up the app they are forced to set up.
    client.post(reverse("account_reset_password"), {"email": "talent.lead@nhs.test"})
    client.force_login(talent_lead)

    secret = open_activation_page(client).context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response.url == reverse("mfa_view_recovery_codes")
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_wrong_password_before_set_up_is_rejected(client, talent_lead):
    client.force_login(talent_lead)

    response = client.post(reverse("account_reauthenticate"), {"password": "not-the-password"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"password": ["Enter your password correctly"]}
    assert client.get(reverse("mfa_activate_totp")).status_code == 302


@pytest.mark.django_db
def test_too_many_wrong_codes_at_sign_in_pause_further_tries(client, individual):
    secret = give_totp(individual)
    client.post(reverse("account_login"), {"login": "individual@nhs.test", "password": TEST_PASSWORD})
    for _ in range(5):
        assert client.post(reverse("mfa_authenticate"), {"code": wrong_code(secret)}).status_code == 200

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "code": ["You have tried too many times. Wait 5 minutes, then try again."]
    }
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_set_up_asks_for_the_password_again_once_the_sign_in_is_not_recent(client, talent_lead):
    with time_machine.travel(datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC), tick=False):
        client.post(reverse("account_login"), {"login": "talent.lead@nhs.test", "password": TEST_PASSWORD})
    with time_machine.travel(datetime.datetime(2026, 11, 27, 9, 10, tzinfo=datetime.UTC), tick=False):
        activation = client.get(reverse("mfa_activate_totp"))
        # The password check before set-up must be reachable, or the redirects would go round in a loop.
        assert activation.status_code == 302
        assert (
            activation.url
            == f"{reverse('account_reauthenticate')}?next=%2Faccount%2F2fa%2Ftotp%2Factivate%2F"
        )
        assert client.get(activation.url).status_code == 200
        confirmed = client.post(
            activation.url, {"password": TEST_PASSWORD, "next": reverse("mfa_activate_totp")}
        )
        assert confirmed.url == reverse("mfa_activate_totp")
        assert client.get(confirmed.url).status_code == 200
