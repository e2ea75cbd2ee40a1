import datetime
import smtplib
import socket
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from core import notifications
from core.models import AuditEvent, Notification, NotificationPreference
from core.notifications import (
    Notice,
    notification_email_send,
    notification_mark_read,
    notification_preference_update,
    notifications_for,
    notify,
    notify_many,
)
from core.tasks import send_notification_email_task
from tests.accounts.factories import StaffProfileFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 2, 10, 7, 0, tzinfo=LONDON)
TITLE_END = " \N{EN DASH} Scope for Growth \N{EN DASH} NHS</title>"


@pytest.fixture
def person(db):
    return UserFactory(email="imani.okafor@nhs.test", first_name="Imani", last_name="Okafor")


@pytest.fixture
def other_person(db):
    return UserFactory(email="sam.jones@nhs.test", first_name="Sam", last_name="Jones")


def _notify(recipient, event_key="conversation-due:1:2027-03-12:to:1", **kwargs):
    return notify(
        recipient=recipient,
        event_key=event_key,
        title=kwargs.pop("title", "Your career conversation is due by 12 March 2027"),
        **kwargs,
    )


def _opt_out(user):
    NotificationPreference.objects.create(user=user, is_reminder_email_wanted=False)


# --- notify ---------------------------------------------------------------------------------------


def test_notify_creates_a_notification_that_wants_an_email_by_default(person):
    notification = _notify(person, body="Plan it with your line manager.", url="/growth/")

    assert notification is not None
    stored = Notification.objects.get()
    assert stored == notification
    assert (stored.recipient, stored.event_key, stored.title, stored.body, stored.url) == (
        person,
        "conversation-due:1:2027-03-12:to:1",
        "Your career conversation is due by 12 March 2027",
        "Plan it with your line manager.",
        "/growth/",
    )
    assert stored.is_email_wanted is True
    assert stored.read_at is None
    assert stored.emailed_at is None


def test_notify_twice_for_the_same_event_creates_one_notification_and_returns_none(person):
    first = _notify(person)
    second = _notify(person, title="A different title")

    assert first is not None
    assert second is None
    assert list(Notification.objects.values_list("title", flat=True)) == [
        "Your career conversation is due by 12 March 2027"
    ]


def test_a_repeated_event_leaves_the_callers_transaction_usable(person):
    with transaction.atomic():
        _notify(person)
        assert _notify(person) is None
        # Without a savepoint round the insert, Postgres would refuse every query from here on.
        assert Notification.objects.count() == 1
        _notify(person, event_key="another-event")

    assert Notification.objects.count() == 2


def test_notify_emails_only_after_the_transaction_commits(
    person, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        notification = _notify(person)

    assert len(callbacks) == 1
    assert mailoutbox == []

    callbacks[0]()

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["imani.okafor@nhs.test"]
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_notify_without_email_enqueues_nothing(person, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = _notify(person, send_email=False)

    assert callbacks == []
    assert notification.is_email_wanted is False
    assert mailoutbox == []


def test_notify_for_someone_who_turned_emails_off_creates_the_notification_but_sends_nothing(
    person, mailoutbox, django_capture_on_commit_callbacks
):
    _opt_out(person)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = _notify(person)

    assert notification is not None
    assert notification.is_email_wanted is False
    assert callbacks == []
    assert mailoutbox == []


# --- notify_many ----------------------------------------------------------------------------------


def test_notify_many_skips_events_already_notified_and_repeated_notices(
    person, other_person, mailoutbox, django_capture_on_commit_callbacks
):
    _notify(person, event_key="event-a", send_email=False)
    _opt_out(other_person)
    notices = [
        Notice(recipient=person, event_key="event-a", title="Already notified"),
        Notice(recipient=person, event_key="event-b", title="New for Imani"),
        Notice(recipient=person, event_key="event-b", title="New for Imani"),
        Notice(recipient=other_person, event_key="event-c", title="New for Sam"),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        created = notify_many(notices)

    assert [(item.event_key, item.recipient, item.is_email_wanted) for item in created] == [
        ("event-b", person, True),
        ("event-c", other_person, False),
    ]
    assert all(item.pk for item in created)
    assert Notification.objects.count() == 3
    assert [message.subject for message in mailoutbox] == ["Scope for Growth: New for Imani"]


def test_notify_many_falls_back_to_one_by_one_when_another_process_got_there_first(
    person, monkeypatch, django_capture_on_commit_callbacks
):
    # The race: another scan notifies event-a between this scan's lookup and its insert.
    _notify(person, event_key="event-a", title="From the other scan", send_email=False)
    monkeypatch.setattr(notifications, "_already_notified", lambda event_keys: set())

    with django_capture_on_commit_callbacks() as callbacks:
        created = notify_many(
            [
                Notice(recipient=person, event_key="event-a", title="From this scan"),
                Notice(recipient=person, event_key="event-b", title="From this scan"),
            ]
        )

    assert [item.event_key for item in created] == ["event-b"]
    assert len(callbacks) == 1
    assert dict(Notification.objects.values_list("event_key", "title")) == {
        "event-a": "From the other scan",
        "event-b": "From this scan",
    }


def test_notify_many_with_nothing_to_do_makes_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert notify_many([]) == []


# --- the email --------------------------------------------------------------------------------------


def test_the_email_names_the_service_and_links_to_the_notification(person, mailoutbox, settings):
    settings.SITE_URL = "https://scopeforgrowth.example.nhs.uk/"
    notification = _notify(
        person,
        title="A career conversation with Siobhan O'Brien is due by 12 March 2027",
        body="Plan your next Scope for Growth conversation with Siobhan O'Brien from Your team.",
        url="/team/",
    )

    with time_machine.travel(NOW, tick=False):
        assert notification_email_send(notification_id=notification.pk) is True

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert (
        message.subject
        == "Scope for Growth: A career conversation with Siobhan O'Brien is due by 12 March 2027"
    )
    assert message.to == ["imani.okafor@nhs.test"]
    assert message.from_email == "Scope for Growth <noreply@scopeforgrowth.nhs.uk>"
    assert message.body.startswith(
        "Dear Imani,\n\nA career conversation with Siobhan O'Brien is due by 12 March 2027\n"
    )
    assert "Plan your next Scope for Growth conversation with Siobhan O'Brien from Your team." in message.body
    assert f"https://scopeforgrowth.example.nhs.uk/notifications/{notification.pk}/\n" in message.body
    assert "https://scopeforgrowth.example.nhs.uk/notifications/preferences/\n" in message.body
    assert "&#x27;" not in message.body
    notification.refresh_from_db()
    assert notification.emailed_at == NOW


def test_the_email_task_run_twice_sends_one_email(person, mailoutbox):
    notification = _notify(person)

    first = send_notification_email_task.delay(notification.pk)
    second = send_notification_email_task.delay(notification.pk)

    assert (first.get(), second.get()) == (True, False)
    assert len(mailoutbox) == 1


def test_the_email_is_not_sent_to_someone_who_turned_emails_off_after_it_was_queued(person, mailoutbox):
    notification = _notify(person)
    notification_preference_update(user=person, is_reminder_email_wanted=False)

    assert notification_email_send(notification_id=notification.pk) is False

    assert mailoutbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_the_email_is_not_sent_to_an_inactive_account(person, mailoutbox):
    notification = _notify(person)
    person.is_active = False
    person.save()

    assert notification_email_send(notification_id=notification.pk) is False
    assert mailoutbox == []


def test_the_email_of_a_notification_that_no_longer_exists_is_not_sent(person, mailoutbox):
    notification = _notify(person)
    notification_id = notification.pk
    notification.delete()

    assert notification_email_send(notification_id=notification_id) is False
    assert mailoutbox == []


def test_the_email_task_retries_after_a_mail_server_failure_and_sends_once(person, mailoutbox, monkeypatch):
    notification = _notify(person)
    original_send = notifications.EmailMessage.send
    attempts = []

    def flaky_send(message, *args, **kwargs):
        attempts.append(message.subject)
        if len(attempts) == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return original_send(message, *args, **kwargs)

    monkeypatch.setattr(notifications.EmailMessage, "send", flaky_send)

    # As a worker runs it: `throw=False` lets the eager run retry instead of raising Retry.
    result = send_notification_email_task.apply(args=[notification.pk], throw=False)

    assert result.get() is True
    assert len(attempts) == 2
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_failed_send_leaves_the_notification_unsent_for_the_next_attempt(person, mailoutbox, monkeypatch):
    notification = _notify(person)

    def failing_send(message, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(notifications.EmailMessage, "send", failing_send)

    with pytest.raises(smtplib.SMTPServerDisconnected):
        notification_email_send(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_the_email_task_retries_mail_server_failures_with_back_off():
    assert set(send_notification_email_task.autoretry_for) == {
        smtplib.SMTPException,
        ConnectionError,
        TimeoutError,
        socket.gaierror,
    }
    assert send_notification_email_task.retry_backoff == 30
    assert send_notification_email_task.retry_backoff_max == 60 * 60
    assert send_notification_email_task.max_retries == 8


# --- reading and preferences --------------------------------------------------------------------------


def test_notifications_for_lists_only_the_persons_own_unread_first_then_newest(person, other_person):
    with time_machine.travel(NOW, tick=False):
        old_read = _notify(person, event_key="old-read", title="Old, read")
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        old_unread = _notify(person, event_key="old-unread", title="Old, unread")
    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        new_read = _notify(person, event_key="new-read", title="New, read")
        new_unread = _notify(person, event_key="new-unread", title="New, unread")
        _notify(other_person, event_key="someone-else", title="Someone else's")
        notification_mark_read(notification=old_read, by=person)
        notification_mark_read(notification=new_read, by=person)

    assert list(notifications_for(person)) == [new_unread, old_unread, new_read, old_read]


def test_mark_read_records_when_it_was_first_read_with_an_audit_event(person):
    notification = _notify(person)

    with time_machine.travel(NOW, tick=False):
        notification_mark_read(notification=notification, by=person)
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        notification_mark_read(notification=notification, by=person)

    notification.refresh_from_db()
    assert notification.read_at == NOW
    event = AuditEvent.objects.get()
    assert (event.actor, event.verb, event.object_id, event.after) == (
        person,
        "notification_mark_read",
        str(notification.pk),
        {"read_at": "2027-02-10T07:00:00+00:00"},
    )


def test_only_the_recipient_can_mark_a_notification_read(person, other_person):
    notification = _notify(person)

    with pytest.raises(PermissionDenied):
        notification_mark_read(notification=notification, by=other_person)

    notification.refresh_from_db()
    assert notification.read_at is None
    assert not AuditEvent.objects.exists()


def test_preference_update_turns_emails_off_and_on_with_audit(person):
    notification_preference_update(user=person, is_reminder_email_wanted=False)
    notification_preference_update(user=person, is_reminder_email_wanted=False)
    notification_preference_update(user=person, is_reminder_email_wanted=True)

    assert NotificationPreference.objects.get(user=person).is_reminder_email_wanted is True
    events = list(AuditEvent.objects.order_by("id").values_list("action", "verb", "before", "after"))
    assert events == [
        ("create", "notification_preference_update", None, {"is_reminder_email_wanted": False}),
        (
            "update",
            "notification_preference_update",
            {"is_reminder_email_wanted": False},
            {"is_reminder_email_wanted": True},
        ),
    ]


# --- pages ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "kwargs"),
    [
        ("core:notifications", {}),
        ("core:notification_open", {"pk": 1}),
        ("core:notification_preferences", {}),
    ],
)
def test_anonymous_people_are_asked_to_sign_in(client, db, url_name, kwargs):
    url = reverse(url_name, kwargs=kwargs)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_the_notifications_page_shows_only_the_persons_own(client, person, other_person):
    _notify(
        person, event_key="mine", title="Your career conversation is due by 12 March 2027", body="Plan it."
    )
    _notify(other_person, event_key="theirs", title="Sam's reminder")
    client.force_login(person)

    response = client.get(reverse("core:notifications"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Your career conversation is due by 12 March 2027" in content
    assert "Plan it." in content
    assert "Unread" in content
    assert "Sam&#x27;s reminder" not in content
    assert f"<title>Notifications{TITLE_END}" in content
    assert f'href="{reverse("core:notification_preferences")}"' in content


def test_the_notifications_page_says_when_there_are_none(client, person):
    client.force_login(person)

    response = client.get(reverse("core:notifications"))

    assert "You have no notifications." in response.content.decode()


def test_the_notifications_page_is_paginated(client, person):
    for index in range(25):
        _notify(person, event_key=f"event-{index}", send_email=False)
    client.force_login(person)

    first_page = client.get(reverse("core:notifications"))
    second_page = client.get(reverse("core:notifications"), {"page": 2})

    assert len(first_page.context["page"].object_list) == 20
    assert len(second_page.context["page"].object_list) == 5
    assert 'href="?page=2"' in first_page.content.decode()


@pytest.mark.parametrize("notification_count", [5, 50])
def test_the_notifications_page_query_count_does_not_grow(
    client, person, django_assert_num_queries, notification_count
):
    for index in range(notification_count):
        _notify(person, event_key=f"event-{index}", send_email=False)
    client.force_login(person)
    client.get(reverse("core:notifications"))

    # Session, user, the header navigation (roles, direct reports), page count, page of notifications.
    with django_assert_num_queries(6):
        response = client.get(reverse("core:notifications"))

    assert response.status_code == 200


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, person):
    notification = _notify(person, url=reverse("conversations:growth"))
    client.force_login(person)

    response = client.get(reverse("core:notification_open", kwargs={"pk": notification.pk}))

    assert response.status_code == 302
    assert response.url == reverse("conversations:growth")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_a_notification_without_a_page_goes_back_to_the_list(client, person):
    notification = _notify(person)
    client.force_login(person)

    response = client.get(reverse("core:notification_open", kwargs={"pk": notification.pk}))

    assert response.url == reverse("core:notifications")


def test_a_notification_never_redirects_to_another_site(client, person):
    notification = _notify(person, url="https://example.com/phish")
    client.force_login(person)

    response = client.get(reverse("core:notification_open", kwargs={"pk": notification.pk}))

    assert response.url == reverse("core:notifications")


def test_someone_elses_notification_is_not_found_and_stays_unread(client, person, other_person):
    notification = _notify(other_person, url=reverse("conversations:growth"))
    client.force_login(person)

    response = client.get(reverse("core:notification_open", kwargs={"pk": notification.pk}))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
    assert not AuditEvent.objects.exists()


def test_opening_a_notification_does_not_accept_a_post(client, person):
    notification = _notify(person)
    client.force_login(person)

    response = client.post(reverse("core:notification_open", kwargs={"pk": notification.pk}))

    assert response.status_code == 405


def test_the_preferences_page_shows_the_current_choice(client, person):
    _opt_out(person)
    client.force_login(person)

    response = client.get(reverse("core:notification_preferences"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Do you want reminder emails?" in content
    assert "Reminders still appear in your notifications in the service." in content
    assert 'type="radio" value="no" checked' in content
    assert 'type="radio" value="yes" checked' not in content


def test_the_preferences_page_defaults_to_yes(client, person):
    client.force_login(person)

    response = client.get(reverse("core:notification_preferences"))

    assert 'type="radio" value="yes" checked' in response.content.decode()


def test_turning_reminder_emails_off(client, person):
    client.force_login(person)

    response = client.post(reverse("core:notification_preferences"), {"is_reminder_email_wanted": "no"})

    assert response.status_code == 302
    assert response.url == reverse("core:notifications")
    assert NotificationPreference.objects.get(user=person).is_reminder_email_wanted is False
    followed = client.get(response.url)
    assert "Your notification preferences have been saved" in followed.content.decode()


@pytest.mark.parametrize("answer", [None, "", "maybe"])
def test_the_preferences_form_needs_an_answer(client, person, answer):
    client.force_login(person)
    data = {} if answer is None else {"is_reminder_email_wanted": answer}

    response = client.post(reverse("core:notification_preferences"), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert f"<title>Error: Notification preferences{TITLE_END}" in content
    assert '<a href="#id_is_reminder_email_wanted">Select yes if you want reminder emails</a>' in content
    assert not NotificationPreference.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_account_page_links_to_notifications_and_preferences(client, db):
    user = StaffProfileFactory().user
    client.force_login(user)

    content = client.get(reverse("accounts:account")).content.decode()

    assert f'<a href="{reverse("core:notifications")}">Your notifications</a>' in content
    assert f'<a href="{reverse("core:notification_preferences")}">Notification preferences</a>' in content
