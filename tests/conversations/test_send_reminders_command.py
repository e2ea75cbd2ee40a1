import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.demo import seed_demo
from accounts.models import User
from conversations.demo import seed_conversation_history
from core.models import Notification, NotificationPreference

NOW = datetime.datetime(2027, 3, 15, 9, 0, tzinfo=ZoneInfo("Europe/London"))
FIRST_RUN = [
    "Reminders for 15 March 2027:",
    "  Conversation due within 30 days               34",
    "  Conversation overdue                          28",
    "  Record awaiting agreement for 7 days or more  11",
    "  Development action due within 14 days         12",
    "  Development action overdue                    44",
    "Reminders sent: 129.",
]
SECOND_RUN = [
    "Reminders for 15 March 2027:",
    "  Conversation due within 30 days               0",
    "  Conversation overdue                          0",
    "  Record awaiting agreement for 7 days or more  0",
    "  Development action due within 14 days         0",
    "  Development action overdue                    0",
    "Reminders sent: 0.",
    "Nothing new was due: each reminder is sent only once.",
]


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def demo(db, settings):
    """The demo people and their conversation history, seeded on the frozen date."""
    settings.DEMO_MODE = True
    seed_demo(with_demo_password=True)
    seed_conversation_history()


def send_reminders(*arguments) -> list[str]:
    output = StringIO()
    call_command("send_reminders", *arguments, stdout=output)
    return output.getvalue().splitlines()


def event_kinds(email: str) -> list[str]:
    return sorted(
        key.split(":")[0]
        for key in Notification.objects.filter(recipient__email=email).values_list("event_key", flat=True)
    )


def test_the_seeded_demo_gets_every_kind_of_reminder_once(demo):
    first_run = send_reminders("--date", "2027-03-15")
    notification_count = Notification.objects.count()
    second_run = send_reminders("--date", "2027-03-15")

    assert first_run == FIRST_RUN
    assert second_run == SECOND_RUN
    assert notification_count == Notification.objects.count() == 129


def test_the_demo_manager_and_their_team_are_reminded(demo):
    send_reminders()

    assert event_kinds("line.manager@demo.nhs.test") == [
        "action-overdue",
        "conversation-due",
        "conversation-overdue",
    ]
    assert event_kinds("eilidh.begum@demo.nhs.test") == ["action-due-soon", "conversation-due"]
    assert event_kinds("megan.wood@demo.nhs.test") == ["action-overdue", "conversation-overdue"]
    assert event_kinds("mei.mitchell@demo.nhs.test") == ["record-awaiting"]
    assert event_kinds("mohammed.clarke@demo.nhs.test") == []
    assert event_kinds("rebecca.baker@demo.nhs.test") == []
    assert event_kinds("individual@demo.nhs.test") == []


def test_without_a_date_the_reminders_due_today_are_sent(demo):
    assert send_reminders() == FIRST_RUN


def test_reminder_emails_go_out_when_the_scan_commits(demo, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(
        user=User.objects.get(email="megan.wood@demo.nhs.test"),
        is_reminder_email_wanted=False,
    )

    with django_capture_on_commit_callbacks(execute=True):
        send_reminders()

    recipients = sorted(message.to[0] for message in mail.outbox)
    # Every notification is emailed except the two for the person who turned reminder emails off.
    assert (Notification.objects.count(), len(recipients)) == (129, 127)
    assert "megan.wood@demo.nhs.test" not in recipients
    assert recipients.count("line.manager@demo.nhs.test") == 3
    assert Notification.objects.filter(recipient__email="megan.wood@demo.nhs.test").count() == 2


def test_a_later_date_sends_the_reminders_due_then(demo):
    send_reminders("--date", "2027-03-15")

    assert send_reminders("--date", "2027-04-30") == [
        "Reminders for 30 April 2027:",
        # Due dates already reminded on 15 March are not reminded again.
        "  Conversation due within 30 days               2",
        "  Conversation overdue                          34",
        "  Record awaiting agreement for 7 days or more  4",
        "  Development action due within 14 days         16",
        "  Development action overdue                    76",
        "Reminders sent: 132.",
    ]


@pytest.mark.parametrize("date", ["2027-02-30", "15/03/2027", "2027-3-15", "20270315", "tomorrow", ""])
def test_a_date_that_is_not_a_real_yyyy_mm_dd_date_is_refused(demo, date):
    with pytest.raises(CommandError) as error:
        send_reminders("--date", date)

    assert str(error.value) == (
        f"Enter a real date in the format YYYY-MM-DD, for example 2026-03-31 (not {date!r})"
    )
    assert not Notification.objects.exists()
