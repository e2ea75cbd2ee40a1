"""Sponsor meetings: logged by the participant or their sponsor, confirmed by the other one.

Both sides call these services: the participant from "Your scheme", the sponsor from their own pages.
Whoever logs a meeting cannot confirm it; the other party confirms it once. `scheme_date_error` is the
rule every dated record of the scheme follows: within the participant's 24 months and, for things that
have happened, not in the future.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from core.audit import audit, snapshot
from core.models import AuditEvent
from core.notifications import notify
from hps.models import Participant, SponsorMeeting

ENTER_MEETING_DATE = "Enter the date of the meeting"
NOT_A_PARTY = "Only the participant or their sponsor can log or confirm a sponsor meeting"
ALREADY_CONFIRMED = "This meeting has already been confirmed"
CANNOT_CONFIRM_OWN = "You logged this meeting, so the other person needs to confirm it"

MEETING_FIELDS = ["held_on", "notes", "logged_by", "confirmed_by", "confirmed_at"]


def long_date(value: datetime.date) -> str:
    """A date as the NHS writes it: 1 March 2027."""
    return dateformat.format(value, "j F Y")


def scheme_last_day(participant: Participant) -> datetime.date:
    """The last day of the 24 months (`ends_on` is the day after it, 24 months after the start)."""
    return participant.ends_on - datetime.timedelta(days=1)


def scheme_date_error(
    *,
    participant: Participant,
    day: datetime.date,
    by=None,
    label: str = "Date",
    is_past: bool = True,
    today: datetime.date | None = None,
) -> str | None:
    """What is wrong with a date on the scheme, or None if nothing.

    The date must fall within the scheme and, for something that has happened (`is_past`), not be after
    `today` (the local date by default). The message starts with `label` ("Date", "Start date") and says
    "your scheme" to the participant and "the scheme" to anyone else.
    """
    whose = "your" if by is not None and by.pk == participant.user_id else "the"
    if not participant.starts_on <= day <= scheme_last_day(participant):
        return (
            f"{label} must be within {whose} scheme: {long_date(participant.starts_on)} "
            f"to {long_date(scheme_last_day(participant))}"
        )
    if is_past and day > (today or timezone.localdate()):
        return f"{label} must be today or in the past"
    return None


def _other_party_id(participant: Participant, by) -> int | None:
    return participant.sponsor_id if by.pk == participant.user_id else participant.user_id


def _is_party(participant: Participant, by) -> bool:
    return by.is_authenticated and by.pk in (participant.user_id, participant.sponsor_id)


@transaction.atomic
def sponsor_meeting_log(
    *, participant: Participant, by, held_on: datetime.date | None, notes: str
) -> SponsorMeeting:
    """Log a meeting between the participant and their sponsor; it waits for the other one to confirm.

    Raises PermissionDenied for anyone but the two of them, and ValidationError (on `held_on`) for a
    missing date, a date outside the scheme or in the future, or a date already logged.
    """
    if not _is_party(participant, by):
        raise PermissionDenied(NOT_A_PARTY)
    if held_on is None:
        raise ValidationError({"held_on": ENTER_MEETING_DATE})
    error = scheme_date_error(participant=participant, day=held_on, by=by)
    if error:
        raise ValidationError({"held_on": error})
    if participant.sponsor_meetings.filter(held_on=held_on).exists():
        raise ValidationError(
            {
                "held_on": f"A meeting on {long_date(held_on)} is already logged. "
                "Confirm it rather than logging it again"
            }
        )
    meeting = SponsorMeeting.objects.create(
        participant=participant, held_on=held_on, notes=notes.strip(), logged_by=by
    )
    audit(
        actor=by,
        action=AuditEvent.Action.CREATE,
        verb="sponsor_meeting_log",
        instance=meeting,
        after=snapshot(meeting, fields=MEETING_FIELDS),
    )
    other_party_id = _other_party_id(participant, by)
    if other_party_id is not None:
        is_for_participant = other_party_id == participant.user_id
        notify(
            recipient=participant.user if is_for_participant else participant.sponsor,
            event_key=f"hps-sponsor-meeting-{meeting.pk}-logged",
            title=f"Confirm the sponsor meeting of {long_date(held_on)}",
            body=f"{by.get_full_name() or by.email} logged a sponsor meeting on {long_date(held_on)}. "
            "Confirm that it took place.",
            url=(
                reverse("hps:scheme_meetings")
                if is_for_participant
                else reverse("hps:sponsor_participant", kwargs={"pk": participant.pk})
            ),
        )
    return meeting


@transaction.atomic
def sponsor_meeting_confirm(*, meeting: SponsorMeeting, by) -> SponsorMeeting:
    """Confirm a meeting the other party logged. Confirming your own, or confirming twice, is refused."""
    meeting = SponsorMeeting.objects.select_for_update().select_related("participant").get(pk=meeting.pk)
    if not _is_party(meeting.participant, by):
        raise PermissionDenied(NOT_A_PARTY)
    if meeting.confirmed_at is not None:
        raise ValidationError(ALREADY_CONFIRMED)
    if meeting.logged_by_id == by.pk:
        raise ValidationError(CANNOT_CONFIRM_OWN)
    before = snapshot(meeting, fields=MEETING_FIELDS)
    meeting.confirmed_by = by
    meeting.confirmed_at = timezone.now()
    meeting.save(update_fields=["confirmed_by", "confirmed_at", "updated_at"])
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="sponsor_meeting_confirm",
        instance=meeting,
        before=before,
        after=snapshot(meeting, fields=MEETING_FIELDS),
    )
    return meeting
