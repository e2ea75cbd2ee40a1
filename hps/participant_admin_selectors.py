"""Reads for the HPS administrator's participant pages, scoped to the cohorts they administer.

Everything is loaded through `participants_administered_by` or `cohorts_administered_by`, so a
participant, workshop or panel outside the administrator's cohorts is a 404. Coaching sessions are
read as dates and durations only: their notes are never loaded here.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.http import Http404

from accounts.models import Role, RoleAssignment
from hps.models import Cohort, FinalPanel, Participant, Workshop
from hps.participant_selectors import participants_administered_by
from hps.progress import Progress, Requirement, participant_progress, participants_with_progress
from hps.selectors import cohorts_administered_by

#: The columns of the cohort progress table, in the order `hps.progress` lists the requirements.
PROGRESS_COLUMNS = [
    ("coaching", "Coaching sessions"),
    ("sponsor_meetings", "Sponsor meetings"),
    ("key_experiences", "Key experiences"),
    ("core_workshops", "Core workshops"),
    ("learning_log", "Learning log"),
    ("career_development_plan", "Career development plan"),
    ("final_presentation", "Final presentation"),
    ("readiness_assessment", "Readiness assessment"),
]

STATE_LABELS = {"met": "Met", "behind": "Behind", "not_met": "Not yet met", "not_needed": "Not needed"}


@dataclass(frozen=True)
class ProgressCell:
    """One requirement of one participant: None for a readiness assessment they do not need."""

    key: str
    label: str
    requirement: Requirement | None

    @property
    def state(self) -> str:
        if self.requirement is None:
            return "not_needed"
        if self.requirement.is_met:
            return "met"
        return "behind" if self.requirement.is_behind else "not_met"

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def summary(self) -> str:
        return self.requirement.summary if self.requirement is not None else ""


@dataclass(frozen=True)
class ProgressRow:
    """One participant's line in the cohort progress table."""

    participant: Participant
    progress: Progress

    @property
    def cells(self) -> list[ProgressCell]:
        by_key = {requirement.key: requirement for requirement in self.progress.requirements}
        return [
            ProgressCell(key=key, label=label, requirement=by_key.get(key)) for key, label in PROGRESS_COLUMNS
        ]

    @property
    def is_behind(self) -> bool:
        return any(requirement.is_behind for requirement in self.progress.requirements)


def participant_administered_by(*, user, pk) -> Participant:
    """A participant in a cohort the user administers, with everything progress needs, or 404."""
    participant = participants_with_progress(participants_administered_by(user=user).filter(pk=pk)).first()
    if participant is None:
        raise Http404
    return participant


def cohort_progress(*, user, cohort: Cohort, today: datetime.date) -> list[ProgressRow]:
    """Every participant of the cohort against every requirement, in a fixed number of queries."""
    participants = participants_with_progress(participants_administered_by(user=user).filter(cohort=cohort))
    return [
        ProgressRow(participant=participant, progress=participant_progress(participant, today=today))
        for participant in participants
    ]


def coaching_sessions_held(participant: Participant) -> list[dict]:
    """When each coaching session was held and how long it lasted: never its notes or actions."""
    return list(
        participant.coaching_sessions.order_by("-held_on", "-id").values("held_on", "duration_minutes")
    )


def coaches() -> QuerySet:
    """People who hold a current career coach role, for assigning to a participant."""
    coach_ids = RoleAssignment.objects.current().filter(role=Role.COACH).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=coach_ids, is_active=True)
        .order_by("last_name", "first_name", "email")
    )


def workshops_of(*, user, cohort: Cohort) -> QuerySet[Workshop]:
    """The cohort's workshops, oldest first, with how many people attended each."""
    return (
        Workshop.objects.filter(cohort__in=cohorts_administered_by(user=user).values("pk"), cohort=cohort)
        .annotate(attendance_count=Count("attendances"))
        .order_by("held_on", "title")
    )


def workshop_administered_by(*, user, pk) -> Workshop:
    workshop = (
        Workshop.objects.filter(cohort__in=cohorts_administered_by(user=user).values("pk"), pk=pk)
        .select_related("cohort")
        .first()
    )
    if workshop is None:
        raise Http404
    return workshop


def final_panels_of(participant: Participant) -> QuerySet[FinalPanel]:
    return participant.final_panels.order_by("-held_on", "-id")


def final_panel_administered_by(*, user, pk) -> FinalPanel:
    panel = (
        FinalPanel.objects.filter(participant__in=participants_administered_by(user=user).values("pk"), pk=pk)
        .select_related("participant__user", "participant__cohort")
        .first()
    )
    if panel is None:
        raise Http404
    return panel
