"""Writes for the career coach: logging coaching sessions and changing them.

Coaching notes and agreed actions are private to the coach and the participant. They never leave this
module except into the session row itself: the audit event records which fields were set or changed,
never their text, and the participant's notification says only that a session was logged.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit
from core.models import AuditEvent
from core.notifications import notify
from hps.meeting_services import long_date, scheme_date_error
from hps.models import CoachingSession, Participant

MAX_MINUTES = CoachingSession.MAX_MINUTES
NOTES_MAX_LENGTH = 10_000

ENTER_HELD_ON = "Enter the date of the session"
HELD_ON_LABEL = "Date of the session"
ENTER_DURATION = "Enter how long the session lasted, in minutes"
DURATION_NOT_NUMBER = "Length of the session must be a whole number of minutes, like 90"
DURATION_TOO_SHORT = "A coaching session must last at least 1 minute"
DURATION_TOO_LONG = f"A coaching session can last up to {MAX_MINUTES} minutes (2 hours)"
NOTES_TOO_LONG = f"Notes must be {NOTES_MAX_LENGTH:,} characters or fewer"
ACTIONS_TOO_LONG = f"Agreed actions must be {NOTES_MAX_LENGTH:,} characters or fewer"
NOT_THEIR_COACH = "Only the participant's career coach can log their coaching sessions"
NOT_YOUR_SESSION = "You can only change coaching sessions you logged"

#: The fields whose text is private: audit events say whether they changed, never what they say.
PRIVATE_FIELDS = ("notes", "agreed_actions")


def closed_to_sessions(participant: Participant) -> str | None:
    """Why no session can be logged or changed for this participant now, or None if it can."""
    if participant.status == Participant.Status.WITHDRAWN:
        return f"{participant.user} has withdrawn from the scheme, so you cannot log or change sessions"
    if participant.status == Participant.Status.COMPLETED:
        return f"{participant.user} has completed the scheme, so you cannot log or change sessions"
    return None


def _session_errors(
    *,
    participant: Participant,
    held_on: datetime.date,
    duration_minutes: int,
    notes: str,
    agreed_actions: str,
    today: datetime.date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if held_on is None:
        errors["held_on"] = [ENTER_HELD_ON]
    elif date_error := scheme_date_error(
        participant=participant, day=held_on, label=HELD_ON_LABEL, today=today
    ):
        errors["held_on"] = [date_error]
    if duration_minutes is None:
        errors["duration_minutes"] = [ENTER_DURATION]
    elif duration_minutes < 1:
        errors["duration_minutes"] = [DURATION_TOO_SHORT]
    elif duration_minutes > MAX_MINUTES:
        errors["duration_minutes"] = [DURATION_TOO_LONG]
    if len(notes) > NOTES_MAX_LENGTH:
        errors["notes"] = [NOTES_TOO_LONG]
    if len(agreed_actions) > NOTES_MAX_LENGTH:
        errors["agreed_actions"] = [ACTIONS_TOO_LONG]
    return errors


def _check(participant: Participant, **values) -> None:
    closed = closed_to_sessions(participant)
    if closed is not None:
        raise ValidationError(closed, code="closed")
    errors = _session_errors(participant=participant, today=timezone.localdate(), **values)
    if errors:
        raise ValidationError(errors)


def _audit_values(session: CoachingSession) -> dict:
    """What an audit event may say about a session: never the private text, only whether there is any."""
    return {
        "participant": session.participant_id,
        "coach": session.coach_id,
        "held_on": session.held_on.isoformat(),
        "duration_minutes": session.duration_minutes,
        **{f"has_{field}": bool(getattr(session, field).strip()) for field in PRIVATE_FIELDS},
    }


@transaction.atomic
def coaching_session_log(
    *,
    participant: Participant,
    by,
    held_on: datetime.date,
    duration_minutes: int,
    notes: str = "",
    agreed_actions: str = "",
) -> CoachingSession:
    """The participant's coach logs a session they held. The participant is told, without the notes."""
    if participant.coach_id is None or participant.coach_id != by.pk:
        raise PermissionDenied(NOT_THEIR_COACH)
    notes, agreed_actions = notes.strip(), agreed_actions.strip()
    _check(
        participant,
        held_on=held_on,
        duration_minutes=duration_minutes,
        notes=notes,
        agreed_actions=agreed_actions,
    )
    session = CoachingSession.objects.create(
        participant=participant,
        coach=by,
        held_on=held_on,
        duration_minutes=duration_minutes,
        notes=notes,
        agreed_actions=agreed_actions,
    )
    audit(
        actor=by,
        action=AuditEvent.Action.CREATE,
        verb="coaching_session_log",
        instance=session,
        after=_audit_values(session),
    )
    notify(
        recipient=participant.user,
        event_key=f"hps-coaching-session:{session.pk}:logged",
        title=f"{by} logged your coaching session of {long_date(held_on)}",
        body=(
            f"Your career coach has logged a {duration_minutes}-minute coaching session. "
            "You can read the notes and agreed actions in the service: only you and your coach can see them."
        ),
        url=reverse("hps:scheme_sessions"),
    )
    return session


@transaction.atomic
def coaching_session_update(
    *,
    session: CoachingSession,
    by,
    held_on: datetime.date,
    duration_minutes: int,
    notes: str = "",
    agreed_actions: str = "",
) -> CoachingSession:
    """The coach who logged a session changes it. The audit event names the changed fields only."""
    session = (
        CoachingSession.objects.select_for_update(of=("self",))
        .select_related("participant__user")
        .get(pk=session.pk)
    )
    participant = session.participant
    if session.coach_id != by.pk or participant.coach_id != by.pk:
        raise PermissionDenied(NOT_YOUR_SESSION)
    notes, agreed_actions = notes.strip(), agreed_actions.strip()
    _check(
        participant,
        held_on=held_on,
        duration_minutes=duration_minutes,
        notes=notes,
        agreed_actions=agreed_actions,
    )
    new_values = {
        "held_on": held_on,
        "duration_minutes": duration_minutes,
        "notes": notes,
        "agreed_actions": agreed_actions,
    }
    changed = [field for field, value in new_values.items() if getattr(session, field) != value]
    if not changed:
        return session
    before = _audit_values(session)
    for field in changed:
        setattr(session, field, new_values[field])
    session.save(update_fields=[*changed, "updated_at"])
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="coaching_session_update",
        instance=session,
        before=before,
        after={**_audit_values(session), "changed_fields": changed},
    )
    return session
