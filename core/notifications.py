"""Notifications: messages in a person's notification list, and the reminder emails that go with them.

Every notification names the event it is about in `event_key`, which is unique in the database. That is
what makes reminders "once per event": creating a notification for an event that was already notified
does nothing, whether the second attempt comes from a re-run of the daily scan, a retried task or two
workers racing each other.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.audit import audit, snapshot
from core.models import AuditEvent, Notification, NotificationPreference

#: How many event keys or people to put in one `IN (...)` list (Postgres allows 65,535 parameters).
LOOKUP_BATCH_SIZE = 1000


@dataclass(frozen=True)
class Notice:
    """A notification to create: what `notify` takes, for many people at once (see `notify_many`)."""

    recipient: object
    event_key: str
    title: str
    body: str = ""
    url: str = ""
    send_email: bool = True


def reminder_emails_wanted(user) -> bool:
    """Whether the person wants reminder emails: yes unless they have said no in their preferences."""
    return not NotificationPreference.objects.filter(user=user, is_reminder_email_wanted=False).exists()


def notify(
    *, recipient, event_key: str, title: str, body: str = "", url: str = "", send_email: bool = True
) -> Notification | None:
    """Put a notification in the recipient's list, once per `event_key`; email it if they want emails.

    Returns the new notification, or None when the event was already notified (nothing changes then).
    The email is sent by a task enqueued when the surrounding transaction commits, so a rolled-back
    action never sends one.
    """
    is_email_wanted = send_email and reminder_emails_wanted(recipient)
    try:
        # A savepoint, so a clash on the unique event key leaves the caller's transaction usable.
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                event_key=event_key,
                title=title,
                body=body,
                url=url,
                is_email_wanted=is_email_wanted,
            )
    except IntegrityError:
        if Notification.objects.filter(event_key=event_key).exists():
            return None
        raise
    if is_email_wanted:
        _email_on_commit([notification.pk])
    return notification


def notify_many(notices: Sequence[Notice]) -> list[Notification]:
    """Create many notifications with a fixed number of queries, skipping events already notified.

    The same rules as `notify`, for the daily reminder scan: one query for the events already notified,
    one for who has turned reminder emails off and one insert, whatever the number of notices (in
    batches of `LOOKUP_BATCH_SIZE`). If another process notifies some of the same events in the
    meantime, the insert clashes and each notice falls back to `notify`, which skips the clashes.
    Returns the notifications created.
    """
    notices = list({notice.event_key: notice for notice in notices}.values())
    if not notices:
        return []
    already_notified = _already_notified([notice.event_key for notice in notices])
    new_notices = [notice for notice in notices if notice.event_key not in already_notified]
    if not new_notices:
        return []
    opted_out = set()
    for batch in _batches(sorted({notice.recipient.pk for notice in new_notices if notice.send_email})):
        opted_out.update(
            NotificationPreference.objects.filter(
                user_id__in=batch, is_reminder_email_wanted=False
            ).values_list("user_id", flat=True)
        )
    notifications = [
        Notification(
            recipient=notice.recipient,
            event_key=notice.event_key,
            title=notice.title,
            body=notice.body,
            url=notice.url,
            is_email_wanted=notice.send_email and notice.recipient.pk not in opted_out,
        )
        for notice in new_notices
    ]
    try:
        with transaction.atomic():
            # Postgres and SQLite (3.35+) return the new primary keys, which the email tasks need.
            created = Notification.objects.bulk_create(notifications, batch_size=LOOKUP_BATCH_SIZE)
    except IntegrityError:
        # Someone else notified some of these events since the first query: take them one by one.
        created = []
        for notice in new_notices:
            notification = notify(
                recipient=notice.recipient,
                event_key=notice.event_key,
                title=notice.title,
                body=notice.body,
                url=notice.url,
                send_email=notice.send_email,
            )
            if notification is not None:
                created.append(notification)
        return created
    _email_on_commit([notification.pk for notification in created if notification.is_email_wanted])
    return created


def _already_notified(event_keys: Sequence[str]) -> set[str]:
    """Which of these events already have a notification."""
    found = set()
    for batch in _batches(event_keys):
        found.update(Notification.objects.filter(event_key__in=batch).values_list("event_key", flat=True))
    return found


def _batches(values: Sequence) -> Iterable[Sequence]:
    for start in range(0, len(values), LOOKUP_BATCH_SIZE):
        yield values[start : start + LOOKUP_BATCH_SIZE]


def _email_on_commit(notification_ids: list[int]) -> None:
    from core.tasks import send_notification_email_task

    for notification_id in notification_ids:
        # Robust: the action that notified has committed; a broker that cannot take the task is logged
        # rather than turned into an error page, and the notification is in the list all the same.
        transaction.on_commit(
            lambda notification_id=notification_id: send_notification_email_task.delay(notification_id),
            robust=True,
        )


def absolute_url(path: str) -> str:
    """The full address of a page of the service, for links in emails (from `SITE_URL`)."""
    return f"{settings.SITE_URL.rstrip('/')}/{path.lstrip('/')}"


def notification_email_send(*, notification_id: int) -> bool:
    """Email a notification to its recipient, at most once; return whether an email was sent.

    The row is locked (`select_for_update`) for the whole send, and `emailed_at` is set in the same
    transaction after the email has gone, so two workers holding the same notification send it once:
    the second waits for the lock, then finds `emailed_at` set and does nothing.

    Delivery is at least once, never lost: if the worker dies after the mail server accepted the email
    and before the transaction commits, `emailed_at` is not saved and the retried task sends the email
    again. That one crash window is the only way to get a duplicate. The other order (save `emailed_at`
    first, then send) would instead lose the email in the same crash, which is worse for a reminder.

    Nothing is sent if the notification no longer exists, was not meant to be emailed, the person has
    since turned reminder emails off, or their account is inactive.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None or not notification.is_email_wanted:
            return False
        recipient = notification.recipient
        if not recipient.is_active or not reminder_emails_wanted(recipient):
            return False
        context = {
            "service_name": settings.SERVICE_NAME,
            "recipient": recipient,
            "notification": notification,
            "link": absolute_url(reverse("core:notification_open", kwargs={"pk": notification.pk})),
            "preferences_link": absolute_url(reverse("core:notification_preferences")),
        }
        subject = render_to_string("email/notification_subject.txt", context).strip()
        message = render_to_string("email/notification_message.txt", context)
        EmailMessage(subject=subject, body=message, to=[recipient.email]).send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notifications_for(user) -> QuerySet[Notification]:
    """The person's own notifications: unread first, then newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )


def notification_for(*, user, pk) -> Notification | None:
    """One of the person's own notifications, or None (the view answers 404)."""
    return notifications_for(user).filter(pk=pk).first()


def notification_mark_read(*, notification: Notification, by) -> Notification:
    """Mark the notification read by its recipient; reading it again changes nothing."""
    if notification.recipient_id != by.pk:
        raise PermissionDenied("Only the recipient can mark a notification as read")
    with transaction.atomic():
        # The filter on read_at keeps the first time it was read, even if two tabs open it at once.
        is_first_read = bool(
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
                read_at=timezone.now()
            )
        )
        if is_first_read:
            notification.refresh_from_db(fields=["read_at"])
            audit(
                actor=by,
                action=AuditEvent.Action.UPDATE,
                verb="notification_mark_read",
                instance=notification,
                after={"read_at": notification.read_at.isoformat()},
            )
    return notification


def notification_preference_for(user) -> NotificationPreference:
    """The person's preferences, or the defaults (unsaved) if they have never changed them."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)


def notification_preference_update(*, user, is_reminder_email_wanted: bool) -> NotificationPreference:
    """Turn the person's reminder emails on or off. Notifications still appear in the service."""
    with transaction.atomic():
        preference, is_new = NotificationPreference.objects.select_for_update().get_or_create(
            user=user, defaults={"is_reminder_email_wanted": is_reminder_email_wanted}
        )
        before = None if is_new else snapshot(preference, fields=["is_reminder_email_wanted"])
        if not is_new:
            if preference.is_reminder_email_wanted == is_reminder_email_wanted:
                return preference
            preference.is_reminder_email_wanted = is_reminder_email_wanted
            preference.save(update_fields=["is_reminder_email_wanted"])
        audit(
            actor=user,
            action=AuditEvent.Action.CREATE if is_new else AuditEvent.Action.UPDATE,
            verb="notification_preference_update",
            instance=preference,
            before=before,
            after=snapshot(preference, fields=["is_reminder_email_wanted"]),
        )
    return preference
