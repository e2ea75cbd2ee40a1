"""Reads about participants, scoped to who is asking (issue 5 visibility rules).

- The participant sees everything about their own scheme, coaching notes included.
- Their coach sees the participants they coach, and the sessions they logged.
- Their sponsor sees milestones and sponsor meetings, never coaching notes, and learning log entries
  only where the participant shared them.
- A cohort's HPS administrators see their participants and that sessions happened, never the notes.
Anything else is a 404.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from hps.models import CoachingSession, LearningLogEntry, Participant
from hps.selectors import cohorts_administered_by


def own_participation(*, user) -> Participant | None:
    """The person's current (most recent) place on the scheme, if any."""
    if not user.is_authenticated:
        return None
    return (
        Participant.objects.filter(user=user)
        .select_related("cohort", "coach", "sponsor", "mentor")
        .order_by("-starts_on")
        .first()
    )


def participants_coached_by(*, user) -> QuerySet[Participant]:
    return Participant.objects.filter(coach=user).select_related("user", "cohort")


def participants_sponsored_by(*, user) -> QuerySet[Participant]:
    return Participant.objects.filter(sponsor=user).select_related("user", "cohort")


def participants_administered_by(*, user) -> QuerySet[Participant]:
    return Participant.objects.filter(
        cohort__in=cohorts_administered_by(user=user).values("pk")
    ).select_related("user", "cohort", "coach", "sponsor", "mentor")


def participant_for(*, user, pk) -> Participant:
    """A participant the user may see in any capacity, or 404."""
    if not user.is_authenticated:
        raise Http404
    administered = cohorts_administered_by(user=user).values("pk")
    participant = (
        Participant.objects.filter(pk=pk)
        .filter(Q(user=user) | Q(coach=user) | Q(sponsor=user) | Q(mentor=user) | Q(cohort__in=administered))
        .select_related("user", "cohort", "coach", "sponsor", "mentor")
        .first()
    )
    if participant is None:
        raise Http404
    return participant


def coaching_sessions_with_notes_for(*, user, participant: Participant) -> QuerySet[CoachingSession]:
    """Sessions with their notes: only for the participant and their coach. Nobody else, ever."""
    if user.pk not in (participant.user_id, participant.coach_id):
        raise Http404
    return participant.coaching_sessions.all()


def learning_log_for(*, user, participant: Participant) -> QuerySet[LearningLogEntry]:
    """The whole log for the participant; the shared entries for their sponsor; nothing for anyone else."""
    if user.pk == participant.user_id:
        return participant.learning_log.all()
    if user.pk == participant.sponsor_id:
        return participant.learning_log.filter(is_shared_with_sponsor=True)
    raise Http404
