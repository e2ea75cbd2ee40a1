from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.models import Notification
from tests.hps.factories import ParticipantFactory


def test_sends_the_scheme_reminders_once_and_prints_the_counts(db):
    participant = ParticipantFactory()
    first, second = StringIO(), StringIO()

    call_command("send_hps_reminders", date="2026-11-21", stdout=first)
    call_command("send_hps_reminders", date="2026-11-21", stdout=second)

    lines = first.getvalue().splitlines()
    assert lines[0] == "High Potential Scheme reminders for 21 November 2026:"
    assert len(lines) == 10
    sent = int(lines[-1].removeprefix("Reminders sent: ").removesuffix("."))
    assert sent == Notification.objects.count()
    assert sent >= 1
    assert Notification.objects.filter(recipient=participant.user).exists()
    assert second.getvalue().splitlines()[-1] == "Reminders sent: 0."


def test_refuses_a_date_that_does_not_exist(db):
    with pytest.raises(CommandError, match="Enter a real date in the format YYYY-MM-DD"):
        call_command("send_hps_reminders", date="2026-02-30", stdout=StringIO())
