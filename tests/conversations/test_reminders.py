import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from conversations.models import Conversation, DevelopmentAction
from conversations.reminders import ReminderSummary, send_due_reminders
from conversations.tasks import send_due_reminders_task
from core.models import Notification, NotificationPreference
from core.tasks import send_notification_email_task
from tests.accounts.factories import StaffProfileFactory
from tests.conversations.factories import (
    ConversationFactory,
    ConversationRecordFactory,
    DevelopmentActionFactory,
)

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2027, 2, 10)
# The beat schedule runs the scan at 07:00 London time.
SCAN_TIME = datetime.datetime(2027, 2, 10, 7, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(SCAN_TIME, tick=False):
        yield


@pytest.fixture
def manager(db):
    return StaffProfileFactory(
        user__email="morgan.ellis@nhs.test", user__first_name="Morgan", user__last_name="Ellis"
    ).user


@pytest.fixture
def person(manager):
    return StaffProfileFactory(
        user__email="imani.okafor@nhs.test",
        user__first_name="Imani",
        user__last_name="Okafor",
        line_manager=manager,
    ).user


def _held_conversation(
    individual,
    *,
    next_due,
    held_on=datetime.date(2026, 3, 12),
    status=Conversation.Status.AGREED,
    facilitator=None,
    recorded_at=None,
):
    """A conversation that took place, with one record version."""
    conversation = ConversationFactory(
        individual=individual,
        facilitator=facilitator or individual.staff_profile.line_manager,
        status=status,
        planned_for=held_on,
    )
    return ConversationRecordFactory(
        conversation=conversation,
        held_on=held_on,
        next_conversation_due=next_due,
        recorded_at=recorded_at or datetime.datetime(2026, 3, 12, 15, 0, tzinfo=LONDON),
    )


def _action(individual, *, due_on, status=DevelopmentAction.Status.NOT_STARTED, description=None):
    conversation = _held_conversation(individual, next_due=datetime.date(2027, 12, 1)).conversation
    return DevelopmentActionFactory(
        conversation=conversation,
        individual=individual,
        due_on=due_on,
        status=status,
        description=description or "Shadow the matron on a night shift",
    )


def _notifications():
    """(recipient, title, url, event key) of every notification, in a stable order."""
    return sorted(
        Notification.objects.values_list("recipient__email", "title", "url", "event_key"),
        key=lambda row: (row[0], row[3]),
    )


def _scan(django_capture_on_commit_callbacks, today=TODAY):
    """Run the scan and the email tasks it enqueues when it commits."""
    with django_capture_on_commit_callbacks(execute=True):
        return send_due_reminders(today=today)


# --- conversation due within 30 days --------------------------------------------------------------------


def test_conversation_due_within_30_days_reminds_the_individual_and_their_line_manager(
    person, manager, mailoutbox, django_capture_on_commit_callbacks
):
    profile_id = person.staff_profile.pk
    _held_conversation(person, next_due=datetime.date(2027, 3, 12))

    summary = _scan(django_capture_on_commit_callbacks)

    assert summary == ReminderSummary(conversation_due_soon=2)
    assert _notifications() == [
        (
            "imani.okafor@nhs.test",
            "Your career conversation is due by 12 March 2027",
            reverse("conversations:growth"),
            f"conversation-due:{profile_id}:2027-03-12:to:{person.pk}",
        ),
        (
            "morgan.ellis@nhs.test",
            "A career conversation with Imani Okafor is due by 12 March 2027",
            reverse("conversations:team"),
            f"conversation-due:{profile_id}:2027-03-12:to:{manager.pk}",
        ),
    ]
    assert sorted((message.to[0], message.subject) for message in mailoutbox) == [
        ("imani.okafor@nhs.test", "Scope for Growth: Your career conversation is due by 12 March 2027"),
        (
            "morgan.ellis@nhs.test",
            "Scope for Growth: A career conversation with Imani Okafor is due by 12 March 2027",
        ),
    ]


def test_conversation_due_in_31_days_is_not_reminded_yet(person, django_capture_on_commit_callbacks):
    _held_conversation(person, next_due=datetime.date(2027, 3, 13))

    assert _scan(django_capture_on_commit_callbacks) == ReminderSummary()
    assert _notifications() == []


def test_conversation_due_today_is_still_due_not_overdue(person, django_capture_on_commit_callbacks):
    _held_conversation(person, next_due=TODAY)

    assert _scan(django_capture_on_commit_callbacks) == ReminderSummary(conversation_due_soon=2)


def test_a_person_without_a_line_manager_is_reminded_alone(db, django_capture_on_commit_callbacks):
    coach = StaffProfileFactory(user__email="coach@nhs.test").user
    person = StaffProfileFactory(user__email="no.manager@nhs.test").user
    _held_conversation(person, next_due=datetime.date(2027, 3, 1), facilitator=coach)

    assert _scan(django_capture_on_commit_callbacks) == ReminderSummary(conversation_due_soon=1)
    assert [row[0] for row in _notifications()] == ["no.manager@nhs.test"]


# --- conversation overdue ---------------------------------------------------------------------------------


def test_overdue_conversation_reminds_the_individual_and_their_line_manager(
    person, manager, django_capture_on_commit_callbacks
):
    profile_id = person.staff_profile.pk
    _held_conversation(person, next_due=datetime.date(2027, 2, 9))

    summary = _scan(django_capture_on_commit_callbacks)

    assert summary == ReminderSummary(conversation_overdue=2)
    assert _notifications() == [
        (
            "imani.okafor@nhs.test",
            "Your career conversation was due by 9 February 2027",
            reverse("conversations:growth"),
            f"conversation-overdue:{profile_id}:2027-02-09:to:{person.pk}",
        ),
        (
            "morgan.ellis@nhs.test",
            "A career conversation with Imani Okafor was due by 9 February 2027",
            reverse("conversations:team"),
            f"conversation-overdue:{profile_id}:2027-02-09:to:{manager.pk}",
        ),
    ]


def test_a_planned_next_conversation_stops_due_and_overdue_reminders(
    person, manager, django_capture_on_commit_callbacks
):
    _held_conversation(person, next_due=datetime.date(2027, 1, 31))
    ConversationFactory(
        individual=person,
        facilitator=manager,
        status=Conversation.Status.PLANNED,
        planned_for=datetime.date(2027, 2, 20),
    )

    assert _scan(django_capture_on_commit_callbacks) == ReminderSummary()


def test_a_cancelled_conversation_does_not_stop_reminders(
    person, manager, django_capture_on_commit_callbacks
):
    _held_conversation(person, next_due=datetime.date(2027, 1, 31))
    ConversationFactory(
        individual=person,
        facilitator=manager,
        status=Conversation.Status.CANCELLED,
        planned_for=datetime.date(2027, 2, 20),
    )

    assert _scan(django_capture_on_commit_callbacks) == ReminderSummary(conversation_overdue=2)


def test_the_due_date_comes_from_the_latest_version_of_the_latest_conversation(
    person, django_capture_on_commit_callbacks
):
    # An old conversation whose due date has long passed, then a newer one amended to a later due date.
    _held_conversation(person, next_due=datetime.date(2026, 1, 1), held_on=datetime.date(2025, 1, 1))
    latest = _held_conversation(person, next_due=datetime.date(2027, 2, 20))
    ConversationRecordFactory(
        conversation=latest.conversation,
        version=2,
        held_on=latest.held_on,
        next_conversation_due=datetime.date(2027, 9, 1),
    )

    assert _scan(django_capture_on_commit_callbacks) == ReminderSummary()


def test_a_record_not_agreed_still_counts_as_the_latest_conversation(
    person, django_capture_on_commit_callbacks
):
    _held_conversation(person, next_due=datetime.date(2026, 6, 1), held_on=datetime.date(2025, 6, 1))
    _held_conversation(person, next_due=datetime.date(2028, 1, 1), status=Conversation.Status.NOT_AGREED)

    assert _scan(django_capture_on_commit_callbacks) == ReminderSummary()


def test_people_who_left_are_not_reminded_and_a_line_manager_who_left_is_not_either(
    person, manager, django_capture_on_commit_callbacks
):
    leaver = StaffProfileFactory(user__email="leaver@nhs.test", line_manager=manager, is_active=False).user
    _held_conversation(leaver, next_due=datetime.date(2027, 2, 1))
    _held_conversation(person, next_due=datetime.date(2027, 2, 1))
    manager.is_active = False
    manager.save()

    assert _scan(django_capture_on_commit_callbacks) == ReminderSummary(conversation_overdue=1)
    assert [row[0] for row in _notifications()] == ["imani.okafor@nhs.test"]


def test_a_new_line_manager_is_reminded_and_the_previous_one_is_not(
    person, manager, django_capture_on_commit_callbacks
):
    _held_conversation(person, next_due=datetime.date(2027, 2, 1))
    new_manager = StaffProfileFactory(user__email="new.manager@nhs.test").user
    profile = person.staff_profile
    profile.line_manager = new_manager
    profile.save()

    _scan(django_capture_on_commit_callbacks)

    assert [row[0] for row in _notifications()] == ["imani.okafor@nhs.test", "new.manager@nhs.test"]


# --- record awaiting agreement ----------------------------------------------------------------------------


def test_a_record_awaiting_agreement_for_7_days_reminds_the_individual_only(
    person, django_capture_on_commit_callbacks
):
    record = _held_conversation(
        person,
        next_due=datetime.date(2028, 1, 25),
        held_on=datetime.date(2027, 1, 25),
        status=Conversation.Status.AWAITING_AGREEMENT,
        # Seven days ago, late in the evening.
        recorded_at=datetime.datetime(2027, 2, 3, 23, 30, tzinfo=LONDON),
    )

    summary = _scan(django_capture_on_commit_callbacks)

    assert summary == ReminderSummary(record_awaiting_agreement=1)
    assert _notifications() == [
        (
            "imani.okafor@nhs.test",
            "The record of your career conversation on 25 January 2027 is waiting for your response",
            reverse("conversations:conversation_detail", kwargs={"pk": record.conversation_id}),
            f"record-awaiting:{record.pk}:to:{person.pk}",
        )
    ]


def test_a_record_awaiting_agreement_for_6_days_is_not_reminded_yet(
    person, django_capture_on_commit_callbacks
):
    _held_conversation(
        person,
        next_due=datetime.date(2028, 1, 25),
        held_on=datetime.date(2027, 1, 25),
        status=Conversation.Status.AWAITING_AGREEMENT,
        recorded_at=datetime.datetime(2027, 2, 4, 0, 30, tzinfo=LONDON),
    )

    assert _scan(django_capture_on_commit_callbacks) == ReminderSummary()


def test_only_the_latest_version_of_a_record_is_chased(person, django_capture_on_commit_callbacks):
    first = _held_conversation(
        person,
        next_due=datetime.date(2028, 1, 1),
        held_on=datetime.date(2027, 1, 1),
        status=Conversation.Status.AWAITING_AGREEMENT,
        recorded_at=datetime.datetime(2027, 1, 1, 12, 0, tzinfo=LONDON),
    )
    latest = ConversationRecordFactory(
        conversation=first.conversation,
        version=2,
        held_on=first.held_on,
        next_conversation_due=datetime.date(2028, 1, 1),
        recorded_at=datetime.datetime(2027, 2, 2, 12, 0, tzinfo=LONDON),
    )

    _scan(django_capture_on_commit_callbacks)

    assert [row[3] for row in _notifications()] == [f"record-awaiting:{latest.pk}:to:{person.pk}"]


@pytest.mark.parametrize("status", [Conversation.Status.AGREED, Conversation.Status.NOT_AGREED])
def test_a_record_already_responded_to_is_not_chased(person, status, django_capture_on_commit_callbacks):
    _held_conversation(
        person,
        next_due=datetime.date(2028, 1, 1),
        held_on=datetime.date(2027, 1, 1),
        status=status,
        recorded_at=datetime.datetime(2027, 1, 1, 12, 0, tzinfo=LONDON),
    )

    assert _scan(django_capture_on_commit_callbacks) == ReminderSummary()


# --- development actions -----------------------------------------------------------------------------------


def test_an_action_due_within_14_days_reminds_the_individual_only(person, django_capture_on_commit_callbacks):
    action = _action(person, due_on=datetime.date(2027, 2, 24), description="Lead the ward safety huddle")
    _action(person, due_on=datetime.date(2027, 2, 25))

    summary = _scan(django_capture_on_commit_callbacks)

    assert summary == ReminderSummary(action_due_soon=1)
    assert _notifications() == [
        (
            "imani.okafor@nhs.test",
            "Your development action is due by 24 February 2027",
            reverse("conversations:conversation_detail", kwargs={"pk": action.conversation_id}),
            f"action-due-soon:{action.pk}:2027-02-24:to:{person.pk}",
        )
    ]
    assert Notification.objects.get().body == "Lead the ward safety huddle"


def test_an_overdue_action_reminds_the_individual_and_their_line_manager(
    person, manager, django_capture_on_commit_callbacks
):
    action = _action(person, due_on=datetime.date(2027, 2, 9), status=DevelopmentAction.Status.IN_PROGRESS)

    summary = _scan(django_capture_on_commit_callbacks)

    assert summary == ReminderSummary(action_overdue=2)
    assert _notifications() == [
        (
            "imani.okafor@nhs.test",
            "Your development action was due by 9 February 2027",
            reverse("conversations:conversation_detail", kwargs={"pk": action.conversation_id}),
            f"action-overdue:{action.pk}:2027-02-09:to:{person.pk}",
        ),
        (
            "morgan.ellis@nhs.test",
            "A development action for Imani Okafor was due by 9 February 2027",
            reverse("conversations:team"),
            f"action-overdue:{action.pk}:2027-02-09:to:{manager.pk}",
        ),
    ]


@pytest.mark.parametrize("status", [DevelopmentAction.Status.DONE, DevelopmentAction.Status.DROPPED])
def test_finished_actions_are_not_reminded(person, status, django_capture_on_commit_callbacks):
    _action(person, due_on=datetime.date(2027, 2, 9), status=status)
    _action(person, due_on=datetime.date(2027, 2, 20), status=status)

    assert _scan(django_capture_on_commit_callbacks) == ReminderSummary()


def test_actions_of_a_cancelled_conversation_are_not_reminded(person, django_capture_on_commit_callbacks):
    action = _action(person, due_on=datetime.date(2027, 2, 9))
    Conversation.objects.filter(pk=action.conversation_id).update(status=Conversation.Status.CANCELLED)

    assert _scan(django_capture_on_commit_callbacks) == ReminderSummary()


# --- once per event ----------------------------------------------------------------------------------------


def test_running_the_scan_twice_notifies_and_emails_each_event_once(
    person, manager, mailoutbox, django_capture_on_commit_callbacks
):
    record = _held_conversation(person, next_due=datetime.date(2027, 2, 1))
    DevelopmentActionFactory(
        conversation=record.conversation, individual=person, due_on=datetime.date(2027, 2, 1)
    )

    first = _scan(django_capture_on_commit_callbacks)
    second = _scan(django_capture_on_commit_callbacks)

    assert first == ReminderSummary(conversation_overdue=2, action_overdue=2)
    assert second == ReminderSummary()
    assert Notification.objects.count() == 4
    assert len(mailoutbox) == 4
    assert len({(message.to[0], message.subject) for message in mailoutbox}) == 4
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_running_the_email_task_again_for_a_reminder_sends_nothing_more(
    person, mailoutbox, django_capture_on_commit_callbacks
):
    _action(person, due_on=datetime.date(2027, 2, 20))
    _scan(django_capture_on_commit_callbacks)
    notification = Notification.objects.get()

    assert send_notification_email_task.delay(notification.pk).get() is False
    assert len(mailoutbox) == 1


def test_a_new_due_date_is_a_new_reminder(person, django_capture_on_commit_callbacks):
    action = _action(person, due_on=datetime.date(2027, 2, 20))
    _scan(django_capture_on_commit_callbacks)
    action.due_on = datetime.date(2027, 2, 22)
    action.save()

    summary = _scan(django_capture_on_commit_callbacks)

    assert summary == ReminderSummary(action_due_soon=1)
    assert [row[1] for row in _notifications()] == [
        "Your development action is due by 20 February 2027",
        "Your development action is due by 22 February 2027",
    ]


def test_a_new_next_conversation_date_is_a_new_reminder(person, django_capture_on_commit_callbacks):
    record = _held_conversation(person, next_due=datetime.date(2027, 2, 1))
    _scan(django_capture_on_commit_callbacks)
    ConversationRecordFactory(
        conversation=record.conversation,
        version=2,
        held_on=record.held_on,
        next_conversation_due=datetime.date(2027, 3, 1),
    )

    summary = _scan(django_capture_on_commit_callbacks)

    assert summary == ReminderSummary(conversation_due_soon=2)
    assert Notification.objects.count() == 4


def test_a_due_soon_reminder_is_followed_by_an_overdue_one(person, django_capture_on_commit_callbacks):
    _held_conversation(person, next_due=datetime.date(2027, 2, 20))
    _scan(django_capture_on_commit_callbacks)

    later = _scan(django_capture_on_commit_callbacks, today=datetime.date(2027, 2, 21))

    assert later == ReminderSummary(conversation_overdue=2)


# --- preferences ---------------------------------------------------------------------------------------


def test_someone_who_turned_emails_off_gets_the_notification_without_an_email(
    person, manager, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=person, is_reminder_email_wanted=False)
    _held_conversation(person, next_due=datetime.date(2027, 2, 1))

    _scan(django_capture_on_commit_callbacks)

    assert list(
        Notification.objects.order_by("recipient__email").values_list(
            "recipient__email", "is_email_wanted", "emailed_at"
        )
    ) == [
        ("imani.okafor@nhs.test", False, None),
        ("morgan.ellis@nhs.test", True, SCAN_TIME),
    ]
    assert [message.to for message in mailoutbox] == [["morgan.ellis@nhs.test"]]


# --- scale ------------------------------------------------------------------------------------------------


def _busy_team(manager, size):
    """`size` people, each with an overdue conversation, a record to agree and actions due and overdue."""
    for index in range(size):
        person = StaffProfileFactory(user__email=f"report{index}@nhs.test", line_manager=manager).user
        old = _held_conversation(
            person, next_due=datetime.date(2027, 1, 1), held_on=datetime.date(2026, 1, 1)
        )
        DevelopmentActionFactory(
            conversation=old.conversation, individual=person, due_on=datetime.date(2027, 2, 1)
        )
        DevelopmentActionFactory(
            conversation=old.conversation, individual=person, due_on=datetime.date(2027, 2, 15)
        )
        Conversation.objects.filter(pk=old.conversation_id).update(
            status=Conversation.Status.AWAITING_AGREEMENT
        )
    NotificationPreference.objects.create(user=manager, is_reminder_email_wanted=False)


@pytest.mark.parametrize("size", [5, 50])
def test_the_scan_makes_the_same_number_of_queries_for_5_or_50_people(
    manager, django_assert_num_queries, size
):
    _busy_team(manager, size)

    # Savepoint; four scans (conversations, records, actions due soon, actions overdue); events already
    # notified; email preferences; savepoint, insert, release; release.
    with django_assert_num_queries(11):
        summary = send_due_reminders(today=TODAY)

    assert summary == ReminderSummary(
        conversation_overdue=2 * size,
        record_awaiting_agreement=size,
        action_due_soon=size,
        action_overdue=2 * size,
    )
    # Everything already notified: savepoint, the four scans, one lookup, release; nothing is written.
    with django_assert_num_queries(7):
        assert send_due_reminders(today=TODAY) == ReminderSummary()


# --- the task and the schedule -------------------------------------------------------------------------


def test_the_task_runs_the_scan_for_today(person, django_capture_on_commit_callbacks):
    _held_conversation(person, next_due=datetime.date(2027, 2, 1))

    with django_capture_on_commit_callbacks(execute=True):
        result = send_due_reminders_task.delay()

    assert result.get() == {
        "conversation_due_soon": 0,
        "conversation_overdue": 2,
        "record_awaiting_agreement": 0,
        "action_due_soon": 0,
        "action_overdue": 0,
    }


def test_the_scan_is_scheduled_daily_at_7_london_time():
    entry = settings.CELERY_BEAT_SCHEDULE["conversations-send-due-reminders"]

    assert entry["task"] == send_due_reminders_task.name == "conversations.tasks.send_due_reminders_task"
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute, schedule.day_of_week) == ({7}, {0}, set(range(7)))
    assert settings.CELERY_TIMEZONE == "Europe/London"
