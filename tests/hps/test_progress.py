"""Progress against what graduation needs, computed from the records, with exact figures.

The scheme in these tests runs from 1 March 2027; `ends_on` is 1 March 2029, the day after its last
day. Every call passes `today` explicitly.
"""

import datetime

import pytest

from hps.models import FinalPanel, Participant, ReadinessAssessment
from hps.progress import add_months, participant_progress, participants_with_progress
from tests.hps.factories import (
    CoachingSessionFactory,
    FinalPanelFactory,
    KeyExperienceFactory,
    LearningLogEntryFactory,
    ParticipantFactory,
    ReadinessAssessmentFactory,
    SponsorMeetingFactory,
    UnderWayCohortFactory,
    WorkshopAttendanceFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2027, 3, 1)
AFTER_THE_END = datetime.date(2029, 4, 1)

ALL_KEYS = [
    "coaching",
    "sponsor_meetings",
    "key_experiences",
    "core_workshops",
    "learning_log",
    "career_development_plan",
    "final_presentation",
]


def _participant(start=START, **kwargs) -> Participant:
    return ParticipantFactory(cohort=UnderWayCohortFactory(starts_on=start), **kwargs)


def _requirement(participant, key, today):
    return participant_progress(participant, today=today).requirement(key)


def _state(requirement) -> tuple:
    return (requirement.summary, requirement.is_met, requirement.is_behind)


def _sessions(participant, count, first=START):
    for number in range(count):
        CoachingSessionFactory(participant=participant, held_on=first + datetime.timedelta(days=30 * number))


def _meetings_every_month(participant):
    for month in range(24):
        SponsorMeetingFactory(
            participant=participant, held_on=add_months(START, month) + datetime.timedelta(9)
        )


def _log_every_quarter(participant):
    for quarter in range(8):
        LearningLogEntryFactory(participant=participant, written_on=add_months(START, 3 * quarter + 1))


def _experience(participant, *, days, reflection="I learned to lead people I do not manage."):
    starts_on = START + datetime.timedelta(days=40)
    return KeyExperienceFactory(
        participant=participant,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=days),
        reflection=reflection,
    )


def test_add_months_keeps_the_day_or_falls_back_to_the_end_of_the_month():
    assert add_months(datetime.date(2027, 3, 1), 24) == datetime.date(2029, 3, 1)
    assert add_months(datetime.date(2027, 8, 31), 6) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2027, 11, 30), 3) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2028, 1, 31), 1) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 5, 15), -6) == datetime.date(2026, 11, 15)


# --- Coaching -----------------------------------------------------------------------------------


def test_five_coaching_sessions_are_not_enough():
    participant = _participant()
    _sessions(participant, 5)

    assert _state(_requirement(participant, "coaching", AFTER_THE_END)) == ("5 of 6 to 8", False, True)


def test_six_coaching_sessions_meet_the_target():
    participant = _participant()
    _sessions(participant, 6)

    assert _state(_requirement(participant, "coaching", AFTER_THE_END)) == ("6 of 6 to 8", True, False)


def test_coaching_is_behind_when_fewer_sessions_than_the_share_of_the_scheme_elapsed():
    participant = _participant()
    _sessions(participant, 2)
    # 1 March 2028 is 366 of the scheme's 731 days: three sessions are expected by then.
    halfway = datetime.date(2028, 3, 1)

    assert _state(_requirement(participant, "coaching", halfway)) == ("2 of 6 to 8", False, True)

    CoachingSessionFactory(participant=participant, held_on=datetime.date(2028, 2, 1))

    assert _state(_requirement(participant, "coaching", halfway)) == ("3 of 6 to 8", False, False)


# --- Sponsor meetings ---------------------------------------------------------------------------


def test_the_sponsor_months_missed_are_listed_and_the_current_month_is_not_yet_missed():
    participant = _participant()
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 3, 10))
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 3, 24))
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 5, 2))
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 7, 30))

    progress = participant_progress(participant, today=datetime.date(2027, 9, 15))

    assert progress.missed_sponsor_months == [
        datetime.date(2027, 4, 1),
        datetime.date(2027, 6, 1),
        datetime.date(2027, 8, 1),
    ]
    assert _state(progress.requirement("sponsor_meetings")) == ("3 of 24 months, 3 missed", False, True)


def test_a_meeting_every_month_meets_the_requirement_even_after_the_scheme_has_ended():
    participant = _participant()
    _meetings_every_month(participant)

    progress = participant_progress(participant, today=datetime.date(2029, 6, 1))

    assert progress.missed_sponsor_months == []
    assert _state(progress.requirement("sponsor_meetings")) == ("24 of 24 months", True, False)


def test_meetings_before_the_scheme_do_not_count():
    participant = _participant()
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 2, 20))

    progress = participant_progress(participant, today=datetime.date(2027, 4, 2))

    assert progress.missed_sponsor_months == [datetime.date(2027, 3, 1)]
    assert progress.requirement("sponsor_meetings").summary == "0 of 24 months, 1 missed"


# --- Key experiences ----------------------------------------------------------------------------


def test_experiences_shorter_than_60_days_do_not_count():
    participant = _participant()
    _experience(participant, days=59)
    _experience(participant, days=59)

    assert _state(_requirement(participant, "key_experiences", AFTER_THE_END)) == (
        "0 of 2 completed with a reflection",
        False,
        True,
    )


def test_experiences_without_a_reflection_are_under_way_not_completed():
    participant = _participant()
    _experience(participant, days=60)
    _experience(participant, days=200, reflection="  ")

    assert _state(_requirement(participant, "key_experiences", AFTER_THE_END)) == (
        "1 of 2 completed with a reflection, 1 under way",
        False,
        False,
    )


def test_two_experiences_of_60_days_or_more_with_reflections_meet_the_requirement():
    participant = _participant()
    _experience(participant, days=60)
    _experience(participant, days=120)

    assert _state(_requirement(participant, "key_experiences", AFTER_THE_END)) == (
        "2 of 2 completed with a reflection",
        True,
        False,
    )


def test_no_experience_under_way_is_behind_only_from_halfway():
    participant = _participant()

    assert _requirement(participant, "key_experiences", datetime.date(2028, 2, 27)).is_behind is False
    assert _requirement(participant, "key_experiences", datetime.date(2028, 3, 1)).is_behind is True


# --- Core workshops -----------------------------------------------------------------------------


def test_core_workshops_attended_are_counted_against_those_held_so_far():
    participant = _participant()
    cohort = participant.cohort
    first = WorkshopFactory(cohort=cohort, held_on=datetime.date(2027, 4, 20))
    second = WorkshopFactory(cohort=cohort, held_on=datetime.date(2027, 9, 14))
    WorkshopFactory(cohort=cohort, held_on=datetime.date(2028, 1, 11))  # not held yet
    local = WorkshopFactory(cohort=cohort, held_on=datetime.date(2027, 5, 5), is_core=False)
    WorkshopAttendanceFactory(participant=participant, workshop=first)
    WorkshopAttendanceFactory(participant=participant, workshop=local)
    today = datetime.date(2027, 10, 1)

    assert _state(_requirement(participant, "core_workshops", today)) == ("1 of 2 attended", False, True)

    WorkshopAttendanceFactory(participant=participant, workshop=second)

    assert _state(_requirement(participant, "core_workshops", today)) == ("2 of 2 attended", True, False)


def test_another_cohorts_workshops_do_not_count():
    participant = _participant()
    WorkshopFactory(held_on=datetime.date(2027, 4, 20))

    assert _requirement(participant, "core_workshops", AFTER_THE_END).summary == "0 of 0 attended"


# --- Learning log -------------------------------------------------------------------------------


def test_each_full_quarter_needs_a_learning_log_entry():
    participant = _participant()
    LearningLogEntryFactory(participant=participant, written_on=datetime.date(2027, 4, 10))
    today = datetime.date(2027, 9, 15)  # two full quarters: March to May, June to August

    assert _state(_requirement(participant, "learning_log", today)) == (
        "1 entry, 1 quarter without one",
        False,
        True,
    )

    # 1 June starts the second quarter.
    LearningLogEntryFactory(participant=participant, written_on=datetime.date(2027, 6, 1))

    assert _state(_requirement(participant, "learning_log", today)) == ("2 entries", True, False)


def test_an_empty_learning_log_is_not_met_before_the_first_quarter_ends():
    participant = _participant()

    assert _state(_requirement(participant, "learning_log", datetime.date(2027, 5, 31))) == (
        "0 entries",
        False,
        False,
    )


def test_learning_log_quarters_count_from_the_start_date_without_drifting():
    # From 31 August the quarters end on 30 November, 29 February and 31 May.
    participant = _participant(start=datetime.date(2027, 8, 31))
    for written_on in (datetime.date(2027, 10, 1), datetime.date(2028, 1, 1), datetime.date(2028, 5, 30)):
        LearningLogEntryFactory(participant=participant, written_on=written_on)

    assert _state(_requirement(participant, "learning_log", datetime.date(2028, 5, 31))) == (
        "3 entries",
        True,
        False,
    )


def test_eight_quarters_with_entries_meet_the_requirement_at_the_end():
    participant = _participant()
    _log_every_quarter(participant)

    assert _state(_requirement(participant, "learning_log", AFTER_THE_END)) == ("8 entries", True, False)


# --- Career development plan --------------------------------------------------------------------


def test_an_empty_plan_is_not_complete_and_behind_from_a_quarter_of_the_way():
    participant = _participant()

    assert _state(_requirement(participant, "career_development_plan", datetime.date(2027, 5, 1))) == (
        "Not complete",
        False,
        False,
    )
    assert _state(_requirement(participant, "career_development_plan", datetime.date(2027, 9, 1))) == (
        "Not complete",
        False,
        True,
    )


def test_a_plan_needs_aspirations_strengths_and_areas_to_develop():
    participant = _participant(career_development_plan__complete=True)

    assert _state(_requirement(participant, "career_development_plan", AFTER_THE_END)) == (
        "Complete",
        True,
        False,
    )

    plan = participant.career_development_plan
    plan.areas_to_develop = "   "
    plan.save()

    assert _requirement(participant, "career_development_plan", AFTER_THE_END).is_met is False


# --- Final presentation -------------------------------------------------------------------------


def test_the_final_presentation_is_met_only_when_a_panel_passed_it():
    participant = _participant()

    assert _state(_requirement(participant, "final_presentation", AFTER_THE_END)) == (
        "Not scheduled",
        False,
        False,
    )

    FinalPanelFactory(participant=participant, held_on=datetime.date(2029, 1, 12))
    participant = Participant.objects.get(pk=participant.pk)

    assert (
        _requirement(participant, "final_presentation", AFTER_THE_END).summary
        == "Scheduled (12 January 2029)"
    )

    FinalPanel.objects.update(outcome=FinalPanel.Outcome.RESUBMIT)

    assert _state(_requirement(participant, "final_presentation", AFTER_THE_END)) == (
        "Asked to resubmit (12 January 2029)",
        False,
        False,
    )

    FinalPanelFactory(participant=participant, held_on=datetime.date(2029, 2, 9), passed=True)

    assert _state(_requirement(participant, "final_presentation", AFTER_THE_END)) == (
        "Passed on 9 February 2029",
        True,
        False,
    )


# --- Readiness assessment -----------------------------------------------------------------------


def test_readiness_assessment_is_a_requirement_only_when_needed():
    participant = _participant()

    keys = [
        requirement.key for requirement in participant_progress(participant, today=AFTER_THE_END).requirements
    ]

    assert keys == ALL_KEYS


def test_a_needed_readiness_assessment_is_met_once_taken():
    participant = _participant(needs_readiness_assessment=True)
    progress = participant_progress(participant, today=AFTER_THE_END)

    assert [requirement.key for requirement in progress.requirements] == [*ALL_KEYS, "readiness_assessment"]
    assert _state(progress.requirement("readiness_assessment")) == ("Not taken", False, False)

    ReadinessAssessmentFactory(
        participant=participant,
        assessed_on=datetime.date(2028, 11, 3),
        outcome=ReadinessAssessment.Outcome.READY_12_MONTHS,
    )

    assert _state(_requirement(participant, "readiness_assessment", AFTER_THE_END)) == (
        "Ready within 12 months",
        True,
        False,
    )


# --- Completion ---------------------------------------------------------------------------------


def _complete_participant(**kwargs) -> Participant:
    participant = _participant(career_development_plan__complete=True, **kwargs)
    _sessions(participant, 6)
    _meetings_every_month(participant)
    _experience(participant, days=90)
    _experience(participant, days=150)
    workshop = WorkshopFactory(cohort=participant.cohort, held_on=datetime.date(2027, 6, 8))
    WorkshopAttendanceFactory(participant=participant, workshop=workshop)
    _log_every_quarter(participant)
    FinalPanelFactory(participant=participant, held_on=datetime.date(2029, 2, 9), passed=True)
    return participant


def test_a_participant_with_every_record_is_complete():
    participant = _complete_participant()

    progress = participant_progress(participant, today=AFTER_THE_END)

    assert progress.is_complete is True
    assert progress.unmet == []
    assert not any(requirement.is_behind for requirement in progress.requirements)


def test_one_requirement_short_is_not_complete():
    participant = _complete_participant(needs_readiness_assessment=True)

    progress = participant_progress(participant, today=AFTER_THE_END)

    assert progress.is_complete is False
    assert [requirement.key for requirement in progress.unmet] == ["readiness_assessment"]


def test_a_core_workshop_missed_stops_completion():
    participant = _complete_participant()
    WorkshopFactory(cohort=participant.cohort, held_on=datetime.date(2028, 6, 8))

    progress = participant_progress(participant, today=AFTER_THE_END)

    assert progress.is_complete is False
    assert [requirement.key for requirement in progress.unmet] == ["core_workshops"]


# --- Prefetching --------------------------------------------------------------------------------


PROGRESS_QUERIES = 9  # the participants, then one query for each kind of record


@pytest.mark.parametrize("count", [2, 8])
def test_progress_of_many_participants_costs_a_fixed_number_of_queries(django_assert_num_queries, count):
    cohort = UnderWayCohortFactory(starts_on=START)
    for _number in range(count):
        participant = ParticipantFactory(cohort=cohort)
        CoachingSessionFactory(participant=participant)
        SponsorMeetingFactory(participant=participant)
        KeyExperienceFactory(participant=participant)
        LearningLogEntryFactory(participant=participant)
        FinalPanelFactory(participant=participant)
        ReadinessAssessmentFactory(participant=participant)
        WorkshopAttendanceFactory(participant=participant, workshop__cohort=cohort)

    with django_assert_num_queries(PROGRESS_QUERIES):
        summaries = [
            [
                requirement.summary
                for requirement in participant_progress(participant, today=AFTER_THE_END).requirements
            ]
            for participant in participants_with_progress(Participant.objects.filter(cohort=cohort))
        ]

    assert len(summaries) == count
    assert summaries[0][0] == "1 of 6 to 8"


def test_prefetched_progress_matches_progress_read_directly():
    participant = _complete_participant(needs_readiness_assessment=True)
    ReadinessAssessmentFactory(participant=participant, assessed_on=datetime.date(2028, 11, 3))
    today = datetime.date(2028, 3, 15)

    direct = participant_progress(Participant.objects.get(pk=participant.pk), today=today)
    prefetched = participant_progress(
        participants_with_progress(Participant.objects.filter(pk=participant.pk)).get(), today=today
    )

    assert prefetched.requirements == direct.requirements
    assert prefetched.missed_sponsor_months == direct.missed_sponsor_months
