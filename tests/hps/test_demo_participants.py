"""The demo cohort under way: who is on it, their records so far, and seeding again changing nothing."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.db.models import Count, Max, Min

from accounts.demo import seed_demo
from accounts.models import StaffProfile
from core.models import AuditEvent
from hps.demo_participants import DEMO_PARTICIPANT_COHORT_NAME, seed_demo_participants
from hps.models import (
    Application,
    ApplicationTransition,
    CareerDevelopmentPlan,
    CoachingSession,
    Cohort,
    KeyExperience,
    LearningLogEntry,
    Participant,
    SponsorMeeting,
    Workshop,
    WorkshopAttendance,
)
from hps.progress import participant_progress

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 11, 27)
STARTS_ON = datetime.date(2026, 1, 1)
ENDS_ON = datetime.date(2028, 1, 1)
SIGN_IN_EMAILS = {
    "individual@demo.nhs.test",
    "line.manager@demo.nhs.test",
    "talent.lead@demo.nhs.test",
    "hps.applicant@demo.nhs.test",
    "sponsor@demo.nhs.test",
    "coach@demo.nhs.test",
    "hps.admin@demo.nhs.test",
    "admin@demo.nhs.test",
}
Status = Application.Status


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(datetime.datetime(2026, 11, 27, 9, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def demo_people(db):
    seed_demo(with_demo_password=False)


def row_counts() -> dict[str, int]:
    return {
        "cohorts": Cohort.objects.filter(name=DEMO_PARTICIPANT_COHORT_NAME).count(),
        "applications": Application.objects.count(),
        "transitions": ApplicationTransition.objects.count(),
        "participants": Participant.objects.count(),
        "plans": CareerDevelopmentPlan.objects.count(),
        "coaching_sessions": CoachingSession.objects.count(),
        "sponsor_meetings": SponsorMeeting.objects.count(),
        "key_experiences": KeyExperience.objects.count(),
        "workshops": Workshop.objects.count(),
        "workshop_attendances": WorkshopAttendance.objects.count(),
        "learning_log_entries": LearningLogEntry.objects.count(),
    }


EXPECTED_COUNTS = {
    "cohorts": 1,
    "applications": 12,
    "transitions": 96,
    "participants": 12,
    "plans": 12,
    "coaching_sessions": 34,
    "sponsor_meetings": 117,
    "key_experiences": 17,
    "workshops": 5,
    "workshop_attendances": 41,
    "learning_log_entries": 52,
}


def test_seeding_makes_a_cohort_under_way_once(demo_people):
    audit_events_before = AuditEvent.objects.count()

    first = seed_demo_participants(today=TODAY)
    counts_after_first_run = row_counts()
    rows_after_first_run = seeded_rows()
    second = seed_demo_participants(today=TODAY)

    assert (first.is_created, first.participant_count) == (True, 12)
    assert (second.is_created, second.participant_count, second.cohort) == (False, 12, first.cohort)
    assert counts_after_first_run == EXPECTED_COUNTS
    assert row_counts() == EXPECTED_COUNTS
    assert seeded_rows() == rows_after_first_run
    # Made-up history, not anything a user did.
    assert AuditEvent.objects.count() == audit_events_before


def seeded_rows() -> list[tuple]:
    """Everything seeded, by natural keys: the same on every run."""
    return [
        *Participant.objects.order_by("user__email").values_list(
            "user__email", "coach__email", "sponsor__email", "mentor__email", "status", "starts_on", "ends_on"
        ),
        *CoachingSession.objects.order_by("participant__user__email", "held_on").values_list(
            "participant__user__email", "held_on", "duration_minutes", "notes"
        ),
        *SponsorMeeting.objects.order_by("participant__user__email", "held_on").values_list(
            "participant__user__email", "held_on", "logged_by__email", "confirmed_by__email"
        ),
        *KeyExperience.objects.order_by("participant__user__email", "starts_on").values_list(
            "participant__user__email",
            "experience_type",
            "starts_on",
            "ends_on",
            "days_per_week",
            "reflection",
        ),
        *LearningLogEntry.objects.order_by("participant__user__email", "written_on", "text").values_list(
            "participant__user__email", "written_on", "text", "key_experience__starts_on", "workshop__title"
        ),
    ]


def test_seeding_is_the_same_every_time(demo_people):
    runs = []
    for _run in range(2):
        with transaction.atomic():
            seed_demo_participants(today=TODAY)
            runs.append((row_counts(), seeded_rows()))
            transaction.set_rollback(True)

    assert runs[0] == runs[1]
    assert Cohort.objects.filter(name=DEMO_PARTICIPANT_COHORT_NAME).count() == 0


def test_the_cohort_started_ten_months_ago_in_staffordshire_for_bands_8a_to_8d(demo_people):
    cohort = seed_demo_participants(today=TODAY).cohort

    assert (cohort.opens_on, cohort.closes_on, cohort.starts_on) == (
        datetime.date(2025, 8, 1),
        datetime.date(2025, 9, 12),
        STARTS_ON,
    )
    assert list(cohort.integrated_care_systems.values_list("code", flat=True)) == ["QNC"]
    assert sorted(cohort.eligible_pay_bands.values_list("code", flat=True)) == [
        "AFC8A",
        "AFC8B",
        "AFC8C",
        "AFC8D",
    ]
    assert list(cohort.administrators.values_list("email", flat=True)) == ["hps.admin@demo.nhs.test"]
    assert not cohort.is_open
    assert set(Participant.objects.values_list("starts_on", "ends_on")) == {(STARTS_ON, ENDS_ON)}


def test_participants_are_band_8_staff_in_the_footprint_sponsored_by_their_line_managers(demo_people):
    seed_demo_participants(today=TODAY)

    participants = list(Participant.objects.select_related("application", "user__staff_profile__pay_band"))
    assert len(participants) == 12
    for participant in participants:
        profile = participant.user.staff_profile
        assert participant.user.email not in SIGN_IN_EMAILS
        assert profile.organisation.integrated_care_system.code == "QNC"
        assert profile.pay_band.code in {"AFC8A", "AFC8B", "AFC8C", "AFC8D"}
        assert participant.sponsor_id == profile.line_manager_id
        application = participant.application
        assert (application.status, application.sponsor_id, application.sponsor_relationship) == (
            Status.ACCEPTED,
            profile.line_manager_id,
            "line_manager",
        )
        assert (application.job_title, application.organisation_id, application.pay_band_id) == (
            profile.job_title,
            profile.organisation_id,
            profile.pay_band_id,
        )
    assert not Participant.objects.filter(user__email="hps.applicant@demo.nhs.test").exists()
    assert sorted(Participant.objects.values_list("status", flat=True)) == ["active"] * 11 + ["paused"]


def test_the_demo_coach_and_sponsor_have_participants(demo_people):
    seed_demo_participants(today=TODAY)

    assert Participant.objects.filter(coach__email="coach@demo.nhs.test").count() == 11
    assert Participant.objects.filter(coach__isnull=True).count() == 1
    sponsored = Participant.objects.filter(sponsor__email="sponsor@demo.nhs.test")
    assert sponsored.count() == 2
    assert set(sponsored.values_list("status", flat=True)) == {"active"}
    # Each has a meeting they logged that waits for the sponsor, and none yet this month.
    for participant in sponsored:
        latest = participant.sponsor_meetings.order_by("-held_on").first()
        assert (latest.logged_by_id, latest.confirmed_at) == (participant.user_id, None)
        assert latest.held_on < TODAY.replace(day=1)


def test_every_application_went_through_the_workflow_before_the_scheme_started(demo_people):
    seed_demo_participants(today=TODAY)

    for application in Application.objects.prefetch_related("transitions"):
        transitions = list(application.transitions.all())
        assert [(transition.from_status, transition.to_status) for transition in transitions] == [
            (Status.DRAFT, Status.SUBMITTED),
            (Status.SUBMITTED, Status.AWAITING_SPONSOR),
            (Status.AWAITING_SPONSOR, Status.ELIGIBILITY_REVIEW),
            (Status.ELIGIBILITY_REVIEW, Status.ASSESSMENT_INVITED),
            (Status.ASSESSMENT_INVITED, Status.ASSESSMENT_COMPLETE),
            (Status.ASSESSMENT_COMPLETE, Status.SHORTLISTED),
            (Status.SHORTLISTED, Status.OFFERED),
            (Status.OFFERED, Status.ACCEPTED),
        ]
        moments = [transition.at for transition in transitions]
        assert moments == sorted(moments)
        assert application.created_at < moments[0]
        assert application.submitted_at == moments[0]
        assert application.sponsor_signed_at == moments[2]
        assert [transition.by.email for transition in transitions] == [
            application.applicant.email,
            application.applicant.email,
            application.sponsor.email,
            "hps.admin@demo.nhs.test",
            "hps.admin@demo.nhs.test",
            "hps.admin@demo.nhs.test",
            "hps.admin@demo.nhs.test",
            application.applicant.email,
        ]
        assert moments[1].date() <= application.cohort.closes_on
        assert moments[-1].date() < application.cohort.starts_on


def test_every_record_is_within_the_scheme_and_in_the_past(demo_people):
    seed_demo_participants(today=TODAY)

    sessions = CoachingSession.objects.aggregate(
        first=Min("held_on"), last=Max("held_on"), longest=Max("duration_minutes")
    )
    assert sessions["first"] >= STARTS_ON
    assert sessions["last"] < TODAY
    assert sessions["longest"] <= 120
    assert not CoachingSession.objects.exclude(coach__email="coach@demo.nhs.test").exists()
    for model, field in [
        (SponsorMeeting, "held_on"),
        (LearningLogEntry, "written_on"),
        (KeyExperience, "starts_on"),
    ]:
        dates = model.objects.aggregate(first=Min(field), last=Max(field))
        assert STARTS_ON <= dates["first"] <= dates["last"] < TODAY, model
    assert KeyExperience.objects.aggregate(last=Max("ends_on"))["last"] < ENDS_ON
    assert KeyExperience.objects.filter(days_per_week__lt=1).count() == 0
    # Sessions so far: none to five each; experiences: one or two each.
    per_participant = Participant.objects.annotate(
        sessions=Count("coaching_sessions", distinct=True),
        experiences=Count("key_experiences", distinct=True),
    )
    assert {row.sessions for row in per_participant} <= {0, 1, 2, 3, 4, 5}
    assert {row.experiences for row in per_participant} <= {1, 2}
    assert not KeyExperience.objects.filter(ends_on__gte=TODAY).exclude(reflection="").exists()


def test_the_paused_participant_has_a_reason_and_nothing_after_the_pause(demo_people):
    seed_demo_participants(today=TODAY)

    paused = Participant.objects.get(status=Participant.Status.PAUSED)
    assert paused.status_reason.startswith("Paused from ")
    paused_on = datetime.datetime.strptime(
        paused.status_reason.removeprefix("Paused from ").split(" during")[0], "%d %B %Y"
    ).date()
    assert paused_on < TODAY
    for records, field in [
        (paused.coaching_sessions, "held_on"),
        (paused.sponsor_meetings, "held_on"),
        (paused.learning_log, "written_on"),
    ]:
        assert not records.filter(**{f"{field}__gte": paused_on}).exists()


def test_three_core_workshops_held_so_far_with_attendance(demo_people):
    cohort = seed_demo_participants(today=TODAY).cohort

    assert list(cohort.workshops.values_list("title", "held_on", "is_core")) == [
        ("Leading inclusively and with compassion", datetime.date(2026, 1, 20), True),
        ("Leading in an environment with complex systems", datetime.date(2026, 4, 12), True),
        ("Staffordshire action learning set: system pressures", datetime.date(2026, 6, 15), False),
        ("Career development: accessing tools", datetime.date(2026, 8, 9), True),
        ("Leading change across organisations", datetime.date(2026, 12, 21), True),
    ]
    assert not WorkshopAttendance.objects.filter(workshop__held_on__gte=TODAY).exists()
    assert WorkshopAttendance.objects.values("participant").distinct().count() == 12


def test_progress_is_mixed_like_a_real_cohort(demo_people):
    seed_demo_participants(today=TODAY)

    progress = [
        participant_progress(participant, today=TODAY)
        for participant in Participant.objects.order_by("user__email")
    ]
    plans = [row.requirement("career_development_plan").is_met for row in progress]
    assert (plans.count(True), plans.count(False)) == (8, 4)
    behind = [row.participant.user.email for row in progress if row.requirement("sponsor_meetings").is_behind]
    assert len(behind) == 9
    assert any(not row.requirement("key_experiences").is_met for row in progress)
    with_reflection = KeyExperience.objects.exclude(reflection="").count()
    assert 0 < with_reflection < KeyExperience.objects.count()
    assert StaffProfile.objects.filter(user__hps_participations__isnull=False).count() == 12
