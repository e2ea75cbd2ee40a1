"""Reads for a participant's sponsor, built on `hps.participant_selectors` and `hps.progress`.

A sponsor sees the participants they sponsor (anyone else is a 404): their milestones, key experiences
without the reflections, the learning log entries the participant shared, and their sponsor meetings.
Coaching sessions reach the sponsor only as a count: the rows are loaded without their notes
(`participants_with_progress` loads the id and date only) and nothing here hands them to a template.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from hps.models import LearningLogEntry, Participant, SponsorMeeting
from hps.participant_selectors import learning_log_for, participants_sponsored_by
from hps.progress import Progress, participant_progress, participants_with_progress


@dataclass(frozen=True)
class SponsoredParticipant:
    """One row of the sponsor's list: a participant, their progress and meetings waiting for the sponsor."""

    participant: Participant
    progress: Progress
    meetings_to_confirm: int

    @property
    def meetings_summary(self) -> str:
        return self.progress.requirement("sponsor_meetings").summary

    @property
    def behind(self) -> list[str]:
        """The requirements the participant is behind on, by label."""
        return [requirement.label for requirement in self.progress.requirements if requirement.is_behind]


def _with_meetings_to_confirm(queryset: QuerySet[Participant], *, user) -> QuerySet[Participant]:
    return queryset.annotate(
        meetings_to_confirm=Count(
            "sponsor_meetings",
            filter=Q(sponsor_meetings__confirmed_at__isnull=True) & ~Q(sponsor_meetings__logged_by=user),
        )
    )


def sponsored_participants(*, user, today: datetime.date) -> list[SponsoredParticipant]:
    """The participants the person sponsors, with progress: a fixed number of queries for any number."""
    participants = participants_with_progress(
        _with_meetings_to_confirm(participants_sponsored_by(user=user), user=user)
    )
    return [
        SponsoredParticipant(
            participant=participant,
            progress=participant_progress(participant, today=today),
            meetings_to_confirm=participant.meetings_to_confirm,
        )
        for participant in participants
    ]


def participant_sponsored_by(*, user, pk) -> Participant:
    """A participant the person sponsors, ready for `participant_progress`, or 404."""
    participant = participants_with_progress(participants_sponsored_by(user=user).filter(pk=pk)).first()
    if participant is None:
        raise Http404
    return participant


def meetings_for_sponsor(*, participant: Participant) -> QuerySet[SponsorMeeting]:
    """The participant's sponsor meetings, newest first, with who logged and confirmed each."""
    return SponsorMeeting.objects.filter(participant=participant).select_related("logged_by", "confirmed_by")


def meeting_sponsored_by(*, user, pk) -> SponsorMeeting:
    """A sponsor meeting of a participant the person sponsors, or 404."""
    meeting = (
        SponsorMeeting.objects.filter(
            pk=pk, participant__in=participants_sponsored_by(user=user).values("pk")
        )
        .select_related("participant__user")
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def shared_learning_log(*, user, participant: Participant) -> QuerySet[LearningLogEntry]:
    """The learning log entries the participant shared with this sponsor (never the others)."""
    if user.pk != participant.sponsor_id:
        raise Http404
    # `defer(None)`: the participant's prefetched log holds dates only, and its filter would inherit that.
    return (
        learning_log_for(user=user, participant=participant)
        .defer(None)
        .select_related("key_experience", "workshop")
        .prefetch_related("leadership_dimensions")
    )
