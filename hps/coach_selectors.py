"""Reads for the career coach, built on `hps.participant_selectors` so the scope is the same everywhere.

A coach sees only the participants they coach (anyone else is a 404), and only the sessions they logged
can be changed by them. Each read here is a fixed number of queries, whatever the number of participants.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, QuerySet
from django.http import Http404

from hps.models import CoachingSession, KeyExperience, Participant
from hps.participant_selectors import coaching_sessions_with_notes_for, participants_coached_by
from hps.progress import COACHING_SESSIONS_TARGET, COACHING_SESSIONS_TARGET_UPPER

#: After this many months without a session the participant is flagged (the reminder rule's figure).
MONTHS_WITHOUT_SESSION_FLAG = 4


def sessions_against_target(count: int) -> str:
    """Sessions held against the scheme's target, like "3 of 6 to 8"."""
    return f"{count} of {COACHING_SESSIONS_TARGET} to {COACHING_SESSIONS_TARGET_UPPER}"


def whole_months_between(earlier: datetime.date, later: datetime.date) -> int:
    """Whole calendar months from `earlier` to `later` (0 when less than a month)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


@dataclass(frozen=True)
class CoachedParticipant:
    """One row of the coach's list: a participant and where their coaching stands."""

    participant: Participant
    session_count: int
    last_session_on: datetime.date | None
    months_since_last_session: int | None

    @property
    def sessions_summary(self) -> str:
        return sessions_against_target(self.session_count)

    @property
    def is_session_overdue(self) -> bool:
        return (
            self.participant.status == Participant.Status.ACTIVE
            and self.months_since_last_session is not None
            and self.months_since_last_session >= MONTHS_WITHOUT_SESSION_FLAG
        )


def coached_participants(*, user, today: datetime.date) -> list[CoachedParticipant]:
    """The participants the person coaches, with their session count and last session: one query."""
    participants = participants_coached_by(user=user).annotate(
        session_count=Count("coaching_sessions"), last_session_on=Max("coaching_sessions__held_on")
    )
    return [
        CoachedParticipant(
            participant=participant,
            session_count=participant.session_count,
            last_session_on=participant.last_session_on,
            months_since_last_session=(
                whole_months_between(participant.last_session_on, today)
                if participant.last_session_on
                else None
            ),
        )
        for participant in participants
    ]


def participant_coached_by(*, user, pk) -> Participant:
    """A participant the person coaches, with their plan and key experiences, or 404."""
    participant = (
        participants_coached_by(user=user)
        .filter(pk=pk)
        .select_related("career_development_plan", "sponsor")
        .prefetch_related(
            "career_development_plan__leadership_dimensions",
            Prefetch("key_experiences", queryset=KeyExperience.objects.order_by("starts_on", "id")),
        )
        .first()
    )
    if participant is None:
        raise Http404
    return participant


def sessions_for_coach(*, user, participant: Participant) -> QuerySet[CoachingSession]:
    """The participant's sessions, notes included: only ever for their coach (or the participant)."""
    return coaching_sessions_with_notes_for(user=user, participant=participant).select_related("coach")


def session_logged_by(*, user, pk) -> CoachingSession:
    """A session the person logged, for a participant they still coach, or 404."""
    session = (
        CoachingSession.objects.filter(
            pk=pk, coach=user, participant__in=participants_coached_by(user=user).values("pk")
        )
        .select_related("participant__user", "participant__cohort")
        .first()
    )
    if session is None:
        raise Http404
    return session
