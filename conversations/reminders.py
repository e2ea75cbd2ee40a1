"""The daily reminder scan: conversations and development actions that are due, overdue or waiting.

`send_due_reminders` finds every reminder due today with four queries (conversations, records, actions
due soon, overdue actions), then creates the notifications with `core.notifications.notify_many` (a
fixed number of queries more), so the scan costs the same number of queries for 5 people as for 50,000.

Each reminder names its event in the notification's unique `event_key`: the kind, the thing it is
about, its due date where there is one, and the recipient, for example
`conversation-due:<staff profile id>:<due date>:to:<user id>`. A re-run or a retried task therefore
never sends a reminder twice, while a new due date is a new event that is reminded again.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.models import StaffProfile
from conversations.models import Conversation, ConversationRecord, DevelopmentAction
from core.notifications import Notice, notify_many

#: A conversation is "due soon" this many days before its due date.
CONVERSATION_DUE_SOON_DAYS = 30
#: A record is chased when the individual has not responded for this many days.
RECORD_AWAITING_DAYS = 7
#: A development action is "due soon" this many days before its due date.
ACTION_DUE_SOON_DAYS = 14

#: Conversations that took place (they have a record), whatever the individual's response.
HELD_STATUSES = (
    Conversation.Status.AWAITING_AGREEMENT,
    Conversation.Status.NOT_AGREED,
    Conversation.Status.AGREED,
)
OPEN_ACTION_STATUSES = (DevelopmentAction.Status.NOT_STARTED, DevelopmentAction.Status.IN_PROGRESS)


@dataclass(frozen=True)
class ReminderSummary:
    """How many notifications one scan created, by kind of reminder."""

    conversation_due_soon: int = 0
    conversation_overdue: int = 0
    record_awaiting_agreement: int = 0
    action_due_soon: int = 0
    action_overdue: int = 0

    @property
    def total(self) -> int:
        return (
            self.conversation_due_soon
            + self.conversation_overdue
            + self.record_awaiting_agreement
            + self.action_due_soon
            + self.action_overdue
        )


def send_due_reminders(*, today: datetime.date | None = None) -> ReminderSummary:
    """Notify everyone with a reminder due on `today` (default: today in the service's time zone).

    - A conversation due within 30 days, or overdue: the individual and their current line manager,
      from the next-conversation date of the latest version of the person's latest held conversation,
      unless the next conversation is already planned.
    - A record waiting for the individual's response for 7 days or more: the individual.
    - A development action (not done or dropped) due within 14 days: the individual; overdue: the
      individual and their current line manager.

    Only active people are reminded. Emails follow each person's preference, after the scan commits.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        due_soon, overdue = _conversation_notices(today)
        kinds = {
            "conversation_due_soon": due_soon,
            "conversation_overdue": overdue,
            "record_awaiting_agreement": _record_awaiting_notices(today),
            "action_due_soon": _action_due_soon_notices(today),
            "action_overdue": _action_overdue_notices(today),
        }
        created_keys = {
            notification.event_key
            for notification in notify_many([notice for notices in kinds.values() for notice in notices])
        }
    return ReminderSummary(
        **{
            kind: sum(notice.event_key in created_keys for notice in notices)
            for kind, notices in kinds.items()
        }
    )


def _long_date(value: datetime.date) -> str:
    return dateformat.format(value, "j F Y")


def _conversation_url(conversation_id: int) -> str:
    return reverse("conversations:conversation_detail", kwargs={"pk": conversation_id})


def _current_line_manager(profile: StaffProfile | None):
    """The person's line manager while both are active, or None."""
    if profile is None or not profile.is_active:
        return None
    manager = profile.line_manager
    if manager is None or not manager.is_active:
        return None
    return manager


def _conversation_notices(today: datetime.date) -> tuple[list[Notice], list[Notice]]:
    """Conversations due within 30 days, and overdue ones: one query."""
    latest_held_conversation = (
        Conversation.objects.filter(individual=OuterRef(OuterRef("user_id")), status__in=HELD_STATUSES)
        .order_by("-planned_for", "-id")
        .values("pk")[:1]
    )
    latest_record = ConversationRecord.objects.filter(
        conversation=Subquery(latest_held_conversation)
    ).order_by("-version")
    profiles = (
        StaffProfile.objects.filter(is_active=True, user__is_active=True)
        .annotate(
            next_due=Subquery(latest_record.values("next_conversation_due")[:1]),
            has_planned_conversation=Exists(
                Conversation.objects.filter(
                    individual=OuterRef("user_id"), status=Conversation.Status.PLANNED
                )
            ),
        )
        .filter(
            next_due__isnull=False,
            next_due__lte=today + datetime.timedelta(days=CONVERSATION_DUE_SOON_DAYS),
            has_planned_conversation=False,
        )
        .select_related("user", "line_manager")
        .order_by("pk")
    )
    due_soon, overdue = [], []
    for profile in profiles.iterator():
        due = profile.next_due
        is_overdue = due < today
        kind = "conversation-overdue" if is_overdue else "conversation-due"
        verb = "was due" if is_overdue else "is due"
        notices = overdue if is_overdue else due_soon
        individual = profile.user
        notices.append(
            Notice(
                recipient=individual,
                event_key=f"{kind}:{profile.pk}:{due.isoformat()}:to:{individual.pk}",
                title=f"Your career conversation {verb} by {_long_date(due)}",
                body=(
                    "Your line manager will plan your next Scope for Growth conversation with you. "
                    "You can also ask them for one, or start one with a coach, from Your growth."
                ),
                url=reverse("conversations:growth"),
            )
        )
        manager = _current_line_manager(profile)
        if manager is not None:
            notices.append(
                Notice(
                    recipient=manager,
                    event_key=f"{kind}:{profile.pk}:{due.isoformat()}:to:{manager.pk}",
                    title=f"A career conversation with {individual} {verb} by {_long_date(due)}",
                    body=f"Plan your next Scope for Growth conversation with {individual} from Your team.",
                    url=reverse("conversations:team"),
                )
            )
    return due_soon, overdue


def _record_awaiting_notices(today: datetime.date) -> list[Notice]:
    """Latest record versions the individual has not responded to for 7 days or more: one query."""
    # Recorded on or before the day 7 days ago: before midnight (local time) at the start of 6 days ago.
    recorded_before = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=RECORD_AWAITING_DAYS - 1), datetime.time.min
        )
    )
    records = (
        ConversationRecord.objects.filter(
            conversation__status=Conversation.Status.AWAITING_AGREEMENT,
            conversation__individual__is_active=True,
            individual_response=ConversationRecord.Response.PENDING,
            recorded_at__lt=recorded_before,
        )
        .exclude(
            Exists(
                ConversationRecord.objects.filter(
                    conversation=OuterRef("conversation"), version__gt=OuterRef("version")
                )
            )
        )
        .select_related("conversation__individual")
        .order_by("pk")
    )
    notices = []
    for record in records.iterator():
        individual = record.conversation.individual
        notices.append(
            Notice(
                recipient=individual,
                event_key=f"record-awaiting:{record.pk}:to:{individual.pk}",
                title=(
                    f"The record of your career conversation on {_long_date(record.held_on)} "
                    "is waiting for your response"
                ),
                body=(
                    "Read the record, then agree it or tell your line manager or coach "
                    "what you do not agree with."
                ),
                url=_conversation_url(record.conversation_id),
            )
        )
    return notices


def _open_actions():
    return DevelopmentAction.objects.filter(
        status__in=OPEN_ACTION_STATUSES, individual__is_active=True
    ).exclude(conversation__status=Conversation.Status.CANCELLED)


def _action_due_soon_notices(today: datetime.date) -> list[Notice]:
    """Open development actions due within 14 days: one query."""
    actions = (
        _open_actions()
        .filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=ACTION_DUE_SOON_DAYS))
        .select_related("individual")
        .order_by("pk")
    )
    return [
        Notice(
            recipient=action.individual,
            event_key=f"action-due-soon:{action.pk}:{action.due_on.isoformat()}:to:{action.individual_id}",
            title=f"Your development action is due by {_long_date(action.due_on)}",
            body=action.description,
            url=_conversation_url(action.conversation_id),
        )
        for action in actions.iterator()
    ]


def _action_overdue_notices(today: datetime.date) -> list[Notice]:
    """Open development actions past their due date: one query."""
    actions = (
        _open_actions()
        .filter(due_on__lt=today)
        .select_related("individual__staff_profile__line_manager")
        .order_by("pk")
    )
    notices = []
    for action in actions.iterator():
        individual = action.individual
        due = action.due_on.isoformat()
        notices.append(
            Notice(
                recipient=individual,
                event_key=f"action-overdue:{action.pk}:{due}:to:{individual.pk}",
                title=f"Your development action was due by {_long_date(action.due_on)}",
                body=action.description,
                url=_conversation_url(action.conversation_id),
            )
        )
        manager = _current_line_manager(getattr(individual, "staff_profile", None))
        if manager is not None:
            notices.append(
                Notice(
                    recipient=manager,
                    event_key=f"action-overdue:{action.pk}:{due}:to:{manager.pk}",
                    title=f"A development action for {individual} was due by {_long_date(action.due_on)}",
                    body=action.description,
                    # Not the conversation itself: a new manager may not see records made before them.
                    url=reverse("conversations:team"),
                )
            )
    return notices
