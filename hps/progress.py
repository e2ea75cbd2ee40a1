"""Progress of a participant against what graduation needs, computed from their records.

Nothing here is a checkbox: every figure is counted from coaching sessions, sponsor meetings, key
experiences, workshop attendance, learning log entries, the career development plan, the final
panel and readiness assessments. `participant_progress` works on prefetched rows, so the cohort
progress page computes every participant in a fixed number of queries (see `participants_with_progress`).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from hps.models import (
    CoachingSession,
    FinalPanel,
    KeyExperience,
    LearningLogEntry,
    Participant,
    ReadinessAssessment,
    SponsorMeeting,
    Workshop,
    WorkshopAttendance,
)

COACHING_SESSIONS_TARGET = 6
COACHING_SESSIONS_TARGET_UPPER = 8
KEY_EXPERIENCES_REQUIRED = 2
# A key experience should span several months: at least this many days from start to end.
KEY_EXPERIENCE_MIN_DAYS = 60
# The learning log is kept when there is at least one entry in every full quarter of the scheme so far.
LEARNING_LOG_PERIOD_MONTHS = 3


@dataclass(frozen=True)
class Requirement:
    """One thing graduation needs: where the participant is, and whether it is met."""

    key: str
    label: str
    summary: str
    is_met: bool
    is_behind: bool


@dataclass(frozen=True)
class Progress:
    participant: Participant
    requirements: list[Requirement]
    missed_sponsor_months: list[datetime.date]

    @property
    def is_complete(self) -> bool:
        return all(requirement.is_met for requirement in self.requirements)

    @property
    def unmet(self) -> list[Requirement]:
        return [requirement for requirement in self.requirements if not requirement.is_met]

    def requirement(self, key: str) -> Requirement:
        return next(requirement for requirement in self.requirements if requirement.key == key)


def _month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months = []
    current = first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError(day)


def participant_progress(participant: Participant, *, today: datetime.date) -> Progress:
    """Progress from prefetched relations (see `participants_with_progress`) or plain queries."""
    scheme_end = min(today, participant.ends_on)
    sessions = list(participant.coaching_sessions.all())
    meetings = list(participant.sponsor_meetings.all())
    experiences = list(participant.key_experiences.all())
    attended_workshop_ids = {attendance.workshop_id for attendance in participant.workshop_attendances.all()}
    core_workshops_so_far = [
        workshop
        for workshop in participant.cohort.workshops.all()
        if workshop.is_core and workshop.held_on <= today
    ]
    log_entries = list(participant.learning_log.all())
    panels = list(participant.final_panels.all())
    assessments = list(participant.readiness_assessments.all())
    plan = getattr(participant, "career_development_plan", None)

    elapsed_share = max(
        0.0,
        min(
            1.0,
            (scheme_end - participant.starts_on).days / (participant.ends_on - participant.starts_on).days,
        ),
    )

    session_count = len(sessions)
    expected_sessions = int(COACHING_SESSIONS_TARGET * elapsed_share)
    coaching = Requirement(
        key="coaching",
        label="Coaching sessions",
        summary=f"{session_count} of {COACHING_SESSIONS_TARGET} to {COACHING_SESSIONS_TARGET_UPPER}",
        is_met=session_count >= COACHING_SESSIONS_TARGET,
        is_behind=session_count < expected_sessions,
    )

    # Every calendar month of the scheme that has ended needs a meeting; the current month is still open.
    # `ends_on` is the day after the last day (24 months on from the start), so its month is not due.
    last_day = participant.ends_on - datetime.timedelta(days=1)
    all_months = _month_starts(participant.starts_on, last_day)
    months_due = [month for month in all_months if month < today.replace(day=1)]
    months_met = {meeting.held_on.replace(day=1) for meeting in meetings}
    missed = [month for month in months_due if month not in months_met]
    sponsor = Requirement(
        key="sponsor_meetings",
        label="Sponsor meetings",
        summary=f"{len(months_met & set(all_months))} of {len(all_months)} months"
        + (f", {len(missed)} missed" if missed else ""),
        is_met=not [month for month in all_months if month not in months_met],
        is_behind=bool(missed),
    )

    qualifying = [
        experience
        for experience in experiences
        if (experience.ends_on - experience.starts_on).days >= KEY_EXPERIENCE_MIN_DAYS
        and experience.days_per_week >= 1
    ]
    finished_with_reflection = [experience for experience in qualifying if experience.reflection.strip()]
    key_experiences = Requirement(
        key="key_experiences",
        label="Key experiences",
        summary=f"{len(finished_with_reflection)} of {KEY_EXPERIENCES_REQUIRED} completed with a reflection"
        + (
            f", {len(qualifying) - len(finished_with_reflection)} under way"
            if len(qualifying) > len(finished_with_reflection)
            else ""
        ),
        is_met=len(finished_with_reflection) >= KEY_EXPERIENCES_REQUIRED,
        is_behind=elapsed_share >= 0.5 and len(qualifying) < 1,
    )

    attended_core = [workshop for workshop in core_workshops_so_far if workshop.pk in attended_workshop_ids]
    workshops = Requirement(
        key="core_workshops",
        label="Core workshops",
        summary=f"{len(attended_core)} of {len(core_workshops_so_far)} attended",
        is_met=len(attended_core) == len(core_workshops_so_far),
        is_behind=len(attended_core) < len(core_workshops_so_far),
    )

    # Quarters counted from the start date each time, so a start on the 31st does not drift.
    periods = []
    quarter = 1
    while (
        period_end := add_months(participant.starts_on, quarter * LEARNING_LOG_PERIOD_MONTHS)
    ) <= scheme_end:
        periods.append(
            (add_months(participant.starts_on, (quarter - 1) * LEARNING_LOG_PERIOD_MONTHS), period_end)
        )
        quarter += 1
    empty_periods = [
        period
        for period in periods
        if not any(period[0] <= entry.written_on < period[1] for entry in log_entries)
    ]
    learning_log = Requirement(
        key="learning_log",
        label="Learning log",
        summary=f"{len(log_entries)} {'entry' if len(log_entries) == 1 else 'entries'}"
        + (
            f", {len(empty_periods)} {'quarter' if len(empty_periods) == 1 else 'quarters'} without one"
            if empty_periods
            else ""
        ),
        is_met=bool(log_entries) and not empty_periods,
        is_behind=bool(empty_periods),
    )

    plan_requirement = Requirement(
        key="career_development_plan",
        label="Career development plan",
        summary="Complete" if plan is not None and plan.is_complete else "Not complete",
        is_met=plan is not None and plan.is_complete,
        is_behind=elapsed_share >= 0.25 and not (plan is not None and plan.is_complete),
    )

    passed = [panel for panel in panels if panel.outcome == FinalPanel.Outcome.PASSED]
    latest_panel = panels[0] if panels else None
    panel_summary = (
        f"Passed on {passed[0].held_on:%-d %B %Y}"
        if passed
        else (
            f"{latest_panel.get_outcome_display() or 'Scheduled'} ({latest_panel.held_on:%-d %B %Y})"
            if latest_panel
            else "Not scheduled"
        )
    )
    final_presentation = Requirement(
        key="final_presentation",
        label="Final presentation",
        summary=panel_summary,
        is_met=bool(passed),
        is_behind=False,
    )

    requirements = [
        coaching,
        sponsor,
        key_experiences,
        workshops,
        learning_log,
        plan_requirement,
        final_presentation,
    ]
    if participant.needs_readiness_assessment:
        requirements.append(
            Requirement(
                key="readiness_assessment",
                label="Readiness assessment",
                summary=assessments[0].get_outcome_display() if assessments else "Not taken",
                is_met=bool(assessments),
                is_behind=False,
            )
        )
    return Progress(participant=participant, requirements=requirements, missed_sponsor_months=missed)


def participants_with_progress(queryset: QuerySet[Participant]) -> QuerySet[Participant]:
    """Prefetch everything `participant_progress` reads: a fixed number of queries for any cohort size."""
    return queryset.select_related(
        "user", "cohort", "coach", "sponsor", "career_development_plan"
    ).prefetch_related(
        Prefetch(
            "coaching_sessions",
            queryset=CoachingSession.objects.only("id", "participant_id", "held_on").order_by("-held_on"),
        ),
        Prefetch("sponsor_meetings", queryset=SponsorMeeting.objects.only("id", "participant_id", "held_on")),
        Prefetch("key_experiences", queryset=KeyExperience.objects.all()),
        Prefetch(
            "workshop_attendances",
            queryset=WorkshopAttendance.objects.only("id", "participant_id", "workshop_id"),
        ),
        Prefetch("cohort__workshops", queryset=Workshop.objects.all()),
        Prefetch(
            "learning_log", queryset=LearningLogEntry.objects.only("id", "participant_id", "written_on")
        ),
        Prefetch("final_panels", queryset=FinalPanel.objects.order_by("-held_on", "-id")),
        Prefetch(
            "readiness_assessments", queryset=ReadinessAssessment.objects.order_by("-assessed_on", "-id")
        ),
    )
