"""Scheduled and queued work for the High Potential Scheme (see CELERY_BEAT_SCHEDULE)."""

from dataclasses import asdict

from celery import shared_task
from django.db import DatabaseError

from core.tasks import EMAIL_RETRY_ERRORS
from hps.participant_reminders import send_participant_reminders
from hps.reminders import send_hps_reminders
from hps.sponsor_services import sponsor_invitation_email_send


@shared_task(
    bind=True,
    autoretry_for=EMAIL_RETRY_ERRORS,
    retry_backoff=30,
    retry_backoff_max=60 * 60,
    retry_jitter=True,
    max_retries=8,
)
def send_sponsor_invitation_email_task(self, invitation_id: int, token: str) -> bool:
    """Email a sponsor their invitation link; retried with back-off when the mail server is unreachable.

    Sends nothing once the invitation has been used, superseded or has expired.
    """
    return sponsor_invitation_email_send(invitation_id=invitation_id, token=token)


@shared_task(
    bind=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def send_hps_reminders_task(self) -> dict[str, int]:
    """Send today's High Potential Scheme reminders. Safe to run again: each is sent once per event.

    The scan runs in one transaction, so a failed attempt (retried when the database is unavailable)
    leaves nothing half done.
    """
    return asdict(send_hps_reminders())


@shared_task(
    bind=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def send_participant_reminders_task(self) -> dict[str, int]:
    """Send today's reminders to High Potential Scheme participants and the people who support them.

    Safe to run again: each is sent once per event. The scan runs in one transaction, so a failed
    attempt (retried when the database is unavailable) leaves nothing half done.
    """
    return asdict(send_participant_reminders())
