"""`manage.py send_reminders`: run the daily reminder scan now, as the scheduled task does."""

import datetime
import re

from django.core.management.base import BaseCommand, CommandError
from django.utils import dateformat, timezone

from conversations.reminders import ReminderSummary, send_due_reminders

DATE_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}")
REMINDER_KINDS = (
    ("conversation_due_soon", "Conversation due within 30 days"),
    ("conversation_overdue", "Conversation overdue"),
    ("record_awaiting_agreement", "Record awaiting agreement for 7 days or more"),
    ("action_due_soon", "Development action due within 14 days"),
    ("action_overdue", "Development action overdue"),
)


def parse_date(value: str) -> datetime.date:
    """A date written as YYYY-MM-DD; ValueError for anything else, including dates that do not exist."""
    if not DATE_FORMAT.fullmatch(value):
        raise ValueError(value)
    return datetime.date.fromisoformat(value)


class Command(BaseCommand):
    help = (
        "Send the Scope for Growth reminders that are due now, as the daily scheduled task does, and print "
        "how many of each kind were sent. Each reminder is sent once per event, so running it again sends "
        "only new ones. Without a broker, reminder emails are sent in-process (printed to the console "
        "unless EMAIL_HOST is set)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help="Send the reminders due on this date instead of today (in the service's time zone).",
        )

    def handle(self, *args, date: str | None, **options):
        if date is None:
            today = timezone.localdate()
        else:
            try:
                today = parse_date(date)
            except ValueError as error:
                raise CommandError(
                    f"Enter a real date in the format YYYY-MM-DD, for example 2026-03-31 (not {date!r})"
                ) from error
        summary = send_due_reminders(today=today)
        self._report(today, summary)

    def _report(self, today: datetime.date, summary: ReminderSummary) -> None:
        self.stdout.write(f"Reminders for {dateformat.format(today, 'j F Y')}:")
        width = max(len(label) for _, label in REMINDER_KINDS)
        for kind, label in REMINDER_KINDS:
            self.stdout.write(f"  {label.ljust(width)}  {getattr(summary, kind)}")
        self.stdout.write(self.style.SUCCESS(f"Reminders sent: {summary.total}."))
        if not summary.total:
            self.stdout.write("Nothing new was due: each reminder is sent only once.")
