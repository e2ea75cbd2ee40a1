from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TIMEOUT = 30 * 60


@pytest.fixture(autouse=True)
def inactivity_timeout(settings):
    settings.SESSION_INACTIVITY_TIMEOUT = TIMEOUT


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in_client(client, individual, clock):
    client.force_login(individual)
    assert client.get(reverse("core:home")).status_code == 200
    return client


def test_requests_within_the_timeout_keep_the_person_signed_in(signed_in_client, clock, individual):
    clock.shift(TIMEOUT - 1)
    first = signed_in_client.get(reverse("core:home"))
    # The window runs from the last request, not from signing in.
    clock.shift(TIMEOUT - 1)
    second = signed_in_client.get(reverse("core:home"))

    assert first.status_code == 200
    assert second.status_code == 200
    assert second.wsgi_request.user == individual


def test_person_is_signed_out_after_the_timeout_without_a_request(signed_in_client, clock):
    clock.shift(TIMEOUT + 1)

    response = signed_in_client.get(reverse("core:home"))

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/"
    assert not response.wsgi_request.user.is_authenticated
    assert "_auth_user_id" not in signed_in_client.session


def test_signed_out_person_stays_signed_out(signed_in_client, clock):
    clock.shift(TIMEOUT + 1)
    signed_in_client.get(reverse("core:home"))

    response = signed_in_client.get(reverse("accounts:account"))

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/account/"


def test_timeout_comes_from_settings(signed_in_client, clock, settings):
    settings.SESSION_INACTIVITY_TIMEOUT = 5 * 60
    clock.shift(5 * 60 + 1)

    response = signed_in_client.get(reverse("core:home"))

    assert response.status_code == 302


def test_last_activity_is_saved_at_most_once_a_minute(signed_in_client, clock):
    started = int(START.timestamp())
    assert signed_in_client.session["last_activity"] == started

    clock.shift(59)
    signed_in_client.get(reverse("core:home"))
    assert signed_in_client.session["last_activity"] == started

    clock.shift(1)
    signed_in_client.get(reverse("core:home"))
    assert signed_in_client.session["last_activity"] == started + 60


def test_anonymous_visits_record_no_activity(client, clock):
    client.get(reverse("core:accessibility"))

    assert "last_activity" not in client.session
