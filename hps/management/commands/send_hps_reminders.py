"""`manage.py send_hps_reminders`: run the High Potential Scheme reminder scans now, as beat does."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import dateformat, timezone

from conversations.management.commands.send_reminders import parse_date
from hps.participant_reminders import send_participant_reminders
from hps.reminders import send_hps_reminders

REMINDER_KINDS = (
    ("sponsor_not_responded", "Sponsor has not responded for 5 days"),
    ("draft_closing_soon", "Draft application, intake closing within 7 days"),
    ("administrator_digest", "Administrator digest of applications waiting"),
    ("sponsor_meeting_due", "No sponsor meeting this month by the 20th"),
    ("coaching_overdue", "No coaching session for 4 months"),
    ("reflection_due", "Key experience ending without a reflection"),
    ("final_panel_soon", "Final panel within 30 days"),
    ("scheme_ending_unmet", "Scheme ending with requirements unmet"),
)


class Command(BaseCommand):
    help = (
        "Send the High Potential Scheme reminders due now (applications and participants), as the daily "
        "scheduled tasks do, and print how many of each kind were sent. Each is sent once per event."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", metavar="YYYY-MM-DD", help="Send the reminders due on this date instead."
        )

    def handle(self, *args, date: str | None, **options):
        try:
            today = timezone.localdate() if date is None else parse_date(date)
        except ValueError as error:
            raise CommandError(
                f"Enter a real date in the format YYYY-MM-DD, for example 2026-03-31 (not {date!r})"
            ) from error
        applications = send_hps_reminders(today=today)
        participants = send_participant_reminders(today=today)
        counts = {
            kind: getattr(applications, kind, None)
            if hasattr(applications, kind)
            else getattr(participants, kind)
            for kind, _ in REMINDER_KINDS
        }
        self.stdout.write(f"High Potential Scheme reminders for {dateformat.format(today, 'j F Y')}:")
        width = max(len(label) for _, label in REMINDER_KINDS)
        for kind, label in REMINDER_KINDS:
            self.stdout.write(f"  {label.ljust(width)}  {counts[kind]}")
        self.stdout.write(self.style.SUCCESS(f"Reminders sent: {applications.total + participants.total}."))
