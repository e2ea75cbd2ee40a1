"""The HPS administrator's participant pages and services: who may use them, what they change, the
completion rule, workshops, the final panel, and that coaching notes never reach an administrator."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Role, RoleAssignment, Scope
from core.models import AuditEvent, Notification
from hps import participant_admin_services as services
from hps.models import (
    FinalPanel,
    Participant,
    ReadinessAssessment,
    Workshop,
    WorkshopAttendance,
)
from hps.progress import add_months
from tests.accounts.factories import RoleAssignmentFactory, UserFactory, give_totp
from tests.hps.factories import (
    CoachFactory,
    CoachingSessionFactory,
    FinalPanelFactory,
    KeyExperienceFactory,
    LearningLogEntryFactory,
    ParticipantFactory,
    SponsorMeetingFactory,
    UnderWayCohortFactory,
    WorkshopAttendanceFactory,
    WorkshopFactory,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 9, 15, 10, 30, tzinfo=LONDON)
TODAY = NOW.date()
START = datetime.date(2027, 3, 1)
OUTSIDE_THE_SCHEME = "within the scheme: 1 March 2027 to 28 February 2029"

#: Written in every coaching session of these tests: it must never appear on an administrator's page.
SECRET_NOTES = "Zanzibar-notes: worried about the restructure at the trust"
SECRET_ACTIONS = "Quokka-actions: speak to occupational health"

Status = Participant.Status


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def administrator(hps_administrator):
    give_totp(hps_administrator)
    return hps_administrator


@pytest.fixture
def cohort(administrator):
    return UnderWayCohortFactory(
        name="Staffordshire and Stoke-on-Trent March 2027", starts_on=START, administrators=[administrator]
    )


@pytest.fixture
def sponsor(db):
    return UserFactory(email="morgan.ellis@nhs.test", first_name="Morgan", last_name="Ellis")


@pytest.fixture
def participant(cohort, coach, sponsor):
    user = UserFactory(email="amara.osei@nhs.test", first_name="Amara", last_name="Osei")
    participant = ParticipantFactory(cohort=cohort, user=user, coach=coach, sponsor=sponsor)
    CoachingSessionFactory(
        participant=participant,
        held_on=datetime.date(2027, 4, 6),
        duration_minutes=95,
        notes=SECRET_NOTES,
        agreed_actions=SECRET_ACTIONS,
    )
    return participant


@pytest.fixture
def participant_user(participant):
    return participant.user


@pytest.fixture
def other_administrator(db):
    """An HPS administrator (with MFA) who runs a different cohort."""
    user = UserFactory(email="other.admin@nhs.test")
    RoleAssignmentFactory(user=user, role=Role.HPS_ADMINISTRATOR, scope=Scope.NATIONAL)
    give_totp(user)
    UnderWayCohortFactory(name="Devon March 2027", starts_on=START, administrators=[user])
    return user


@pytest.fixture
def workshop(cohort):
    return WorkshopFactory(
        cohort=cohort, title="Leading inclusively and with compassion", held_on=datetime.date(2027, 5, 4)
    )


@pytest.fixture
def panel(participant):
    return FinalPanelFactory(participant=participant, held_on=datetime.date(2027, 9, 1))


def _state():
    """Everything these pages can change, to check that a refused request changed nothing."""
    return (
        list(Participant.objects.order_by("pk").values()),
        list(Workshop.objects.order_by("pk").values()),
        list(WorkshopAttendance.objects.order_by("pk").values()),
        list(FinalPanel.objects.order_by("pk").values()),
        list(ReadinessAssessment.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def _messages(error: ValidationError) -> dict:
    return error.message_dict


def _errors(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


def _reload(participant) -> Participant:
    return Participant.objects.get(pk=participant.pk)


# --- Assigning a coach, sponsor and mentor ------------------------------------------------------


def test_assigning_a_coach_saves_audits_and_tells_the_participant_and_the_coach(
    administrator, participant, coach
):
    new_coach = CoachFactory(email="kim.lee@nhs.test", first_name="Kim", last_name="Lee")

    services.participant_coach_assign(participant=participant, by=administrator, coach=new_coach)

    assert _reload(participant).coach == new_coach
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.verb, event.object_id) == (
        administrator,
        "update",
        "participant_coach_assign",
        str(participant.pk),
    )
    assert (event.before["coach"], event.after["coach"]) == (coach.pk, new_coach.pk)
    notices = {notice.recipient.email: notice.title for notice in Notification.objects.all()}
    assert notices == {
        "amara.osei@nhs.test": "You have a new career coach",
        "kim.lee@nhs.test": "You have a new High Potential Scheme participant",
    }
    assert Notification.objects.get(recipient=participant.user).url == reverse("hps:scheme")


@pytest.mark.parametrize("who", ["not_a_coach", "former_coach"])
def test_only_someone_with_a_current_coach_role_can_be_assigned(administrator, participant, who):
    person = UserFactory()
    if who == "former_coach":
        RoleAssignmentFactory(
            user=person,
            role=Role.COACH,
            scope=Scope.NATIONAL,
            valid_from=datetime.date(2026, 1, 1),
            valid_to=datetime.date(2027, 9, 14),
        )
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.participant_coach_assign(participant=participant, by=administrator, coach=person)

    assert _messages(error.value) == {"coach": ["Select a coach from the list"]}
    assert _state() == before


def test_assigning_the_same_coach_again_changes_nothing(administrator, participant, coach):
    before = _state()

    services.participant_coach_assign(participant=participant, by=administrator, coach=coach)

    assert _state() == before


def test_the_sponsor_is_found_by_email_address_whatever_the_case(administrator, participant):
    new_sponsor = UserFactory(email="jo.hart@nhs.test", first_name="Jo", last_name="Hart")

    services.participant_sponsor_assign(
        participant=participant, by=administrator, email="  Jo.Hart@NHS.test "
    )

    assert _reload(participant).sponsor == new_sponsor
    event = AuditEvent.objects.get()
    assert (event.verb, event.after["sponsor"]) == ("participant_sponsor_assign", new_sponsor.pk)
    notice = Notification.objects.get()
    assert (notice.recipient, notice.title) == (
        participant.user,
        "Your High Potential Scheme sponsor has changed",
    )
    assert (
        notice.body == "Jo Hart is now your sponsor. Meet them at least once a month and log your meetings."
    )


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter the sponsor's email address"),
        ("not-an-email", "Enter an email address in the correct format, like name@nhs.net"),
        (
            "nobody@nhs.test",
            "There is no account with the email address nobody@nhs.test. Ask them to sign in to the service "
            "once, then try again",
        ),
        (
            "left@nhs.test",
            "There is no account with the email address left@nhs.test. Ask them to sign in to the service "
            "once, then try again",
        ),
        ("amara.osei@nhs.test", "Enter the email address of someone other than Amara Osei"),
    ],
)
def test_a_sponsor_email_that_is_not_someone_else_with_an_account_is_refused(
    administrator, participant, email, message
):
    UserFactory(email="left@nhs.test", is_active=False)
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.participant_sponsor_assign(participant=participant, by=administrator, email=email)

    assert _messages(error.value) == {"email": [message]}
    assert _state() == before


def test_a_mentor_or_buddy_is_assigned_by_email_address(administrator, participant):
    mentor = UserFactory(email="sam.patel@nhs.test", first_name="Sam", last_name="Patel")

    services.participant_mentor_assign(participant=participant, by=administrator, email="sam.patel@nhs.test")

    assert _reload(participant).mentor == mentor
    assert AuditEvent.objects.get().verb == "participant_mentor_assign"
    assert (
        Notification.objects.get().body
        == "Sam Patel is now your mentor or buddy on the High Potential Scheme."
    )


def test_an_administrator_of_another_cohort_cannot_change_a_participant(other_administrator, participant):
    before = _state()

    with pytest.raises(PermissionDenied):
        services.participant_mentor_assign(
            participant=participant, by=other_administrator, email="sponsor@nhs.test"
        )
    with pytest.raises(PermissionDenied):
        services.participant_complete(
            participant=participant, by=other_administrator, exception_reason="Because"
        )

    assert _state() == before


def test_nothing_can_be_assigned_once_a_participant_has_withdrawn(administrator, participant):
    Participant.objects.filter(pk=participant.pk).update(status=Status.WITHDRAWN)
    UserFactory(email="sam.patel@nhs.test")
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.participant_mentor_assign(
            participant=participant, by=administrator, email="sam.patel@nhs.test"
        )

    assert error.value.messages == ["Amara Osei has withdrawn from the scheme, so this cannot be changed"]
    assert _state() == before


# --- Readiness assessment -----------------------------------------------------------------------


def test_recording_a_readiness_assessment(administrator, participant):
    assessment = services.readiness_assessment_record(
        participant=participant,
        by=administrator,
        assessed_on=datetime.date(2027, 9, 2),
        outcome=ReadinessAssessment.Outcome.READY_NOW,
    )

    assert (assessment.participant, assessment.assessed_on, assessment.outcome, assessment.recorded_by) == (
        participant,
        datetime.date(2027, 9, 2),
        "ready_now",
        administrator,
    )
    event = AuditEvent.objects.get()
    assert (event.verb, event.after) == (
        "readiness_assessment_record",
        {"participant": participant.pk, "assessed_on": "2027-09-02", "outcome": "ready_now"},
    )
    assert Notification.objects.get().body == "Your readiness assessment on 2 September 2027: Ready now."


@pytest.mark.parametrize(
    ("assessed_on", "message"),
    [
        (datetime.date(2027, 2, 28), f"Date of the assessment must be {OUTSIDE_THE_SCHEME}"),
        (datetime.date(2029, 3, 1), f"Date of the assessment must be {OUTSIDE_THE_SCHEME}"),
        (datetime.date(2027, 9, 16), "Date of the assessment must be today or in the past"),
    ],
)
def test_a_readiness_assessment_outside_the_scheme_or_in_the_future_is_refused(
    administrator, participant, assessed_on, message
):
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.readiness_assessment_record(
            participant=participant, by=administrator, assessed_on=assessed_on, outcome="ready_now"
        )

    assert _messages(error.value) == {"assessed_on": [message]}
    assert _state() == before


def test_whether_a_readiness_assessment_is_needed_is_recorded(administrator, participant):
    services.participant_readiness_need_set(participant=participant, by=administrator, is_needed=True)

    assert _reload(participant).needs_readiness_assessment is True
    assert AuditEvent.objects.get().verb == "participant_readiness_need_set"
    assert Notification.objects.get().title == "Readiness assessment needed"


# --- Pausing, withdrawing and resuming ----------------------------------------------------------


def test_pausing_then_resuming_keeps_the_reason_and_tells_the_participant(administrator, participant):
    services.participant_pause(participant=participant, by=administrator, reason="Maternity leave")

    participant = _reload(participant)
    assert (participant.status, participant.status_reason) == ("paused", "Maternity leave")

    services.participant_resume(participant=participant, by=administrator, reason="Back from leave")

    participant = _reload(participant)
    assert (participant.status, participant.status_reason) == ("active", "Back from leave")
    assert list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True)) == [
        "participant_pause",
        "participant_resume",
    ]
    assert list(Notification.objects.order_by("pk").values_list("title", flat=True)) == [
        "Your High Potential Scheme place is paused",
        "Your High Potential Scheme place has resumed",
    ]


@pytest.mark.parametrize(
    ("service", "message"),
    [
        (services.participant_pause, "Enter why Amara Osei is pausing their place"),
        (services.participant_withdraw, "Enter why Amara Osei is withdrawing from the scheme"),
    ],
)
def test_pausing_or_withdrawing_needs_a_reason(administrator, participant, service, message):
    before = _state()

    with pytest.raises(ValidationError) as error:
        service(participant=participant, by=administrator, reason="   ")

    assert _messages(error.value) == {"reason": [message]}
    assert _state() == before


def test_withdrawing_a_paused_participant(administrator, participant):
    Participant.objects.filter(pk=participant.pk).update(status=Status.PAUSED)

    services.participant_withdraw(participant=participant, by=administrator, reason="Left the NHS")

    assert (_reload(participant).status, _reload(participant).status_reason) == ("withdrawn", "Left the NHS")


def test_an_active_place_cannot_be_resumed(administrator, participant):
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.participant_resume(participant=participant, by=administrator, reason="Back")

    assert error.value.messages == ["Only a paused place can be resumed. Amara Osei's place is active"]
    assert _state() == before


# --- Completion ---------------------------------------------------------------------------------


def _meet_every_requirement(participant):
    """Every record graduation needs, dated within the 24 months, as if it were now after the end."""
    plan = participant.career_development_plan
    plan.aspirations, plan.strengths, plan.areas_to_develop = "Director", "Teams", "Finance"
    plan.save()
    for number in range(5):
        CoachingSessionFactory(
            participant=participant, held_on=START + datetime.timedelta(days=60 * (number + 1))
        )
    for month in range(24):
        SponsorMeetingFactory(
            participant=participant, held_on=add_months(START, month) + datetime.timedelta(days=3)
        )
    for offset in (30, 300):
        KeyExperienceFactory(
            participant=participant,
            starts_on=START + datetime.timedelta(days=offset),
            ends_on=START + datetime.timedelta(days=offset + 90),
            reflection="I learned to lead across organisations.",
        )
    for quarter in range(8):
        LearningLogEntryFactory(participant=participant, written_on=add_months(START, 3 * quarter + 1))
    workshop = WorkshopFactory(cohort=participant.cohort, held_on=datetime.date(2027, 5, 4))
    WorkshopAttendanceFactory(participant=participant, workshop=workshop)
    FinalPanelFactory(participant=participant, held_on=datetime.date(2029, 2, 1), passed=True)


def test_completing_with_a_requirement_unmet_and_no_reason_is_refused(administrator, participant):
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.participant_complete(participant=participant, by=administrator, exception_reason="  ")

    assert _messages(error.value) == {
        "exception_reason": ["Enter why Amara Osei is completing without meeting every requirement"]
    }
    assert _state() == before


def test_completing_with_a_requirement_unmet_needs_and_keeps_an_exception_reason(administrator, participant):
    services.participant_complete(
        participant=participant, by=administrator, exception_reason="Long-term sickness; agreed by the panel"
    )

    participant = _reload(participant)
    assert participant.status == "completed"
    assert participant.completion_exception_reason == "Long-term sickness; agreed by the panel"
    assert participant.completed_at == NOW
    event = AuditEvent.objects.get()
    assert event.verb == "participant_complete"
    assert event.after["completion_exception_reason"] == "Long-term sickness; agreed by the panel"
    assert event.after["unmet"] == [
        "coaching",
        "sponsor_meetings",
        "key_experiences",
        "learning_log",
        "career_development_plan",
        "final_presentation",
    ]
    assert Notification.objects.get().title == "Congratulations: you have completed the High Potential Scheme"


def test_completing_when_every_requirement_is_met_needs_no_reason(administrator, participant):
    _meet_every_requirement(participant)
    after_the_end = datetime.date(2029, 3, 10)

    services.participant_complete(
        participant=participant, by=administrator, exception_reason="ignored", today=after_the_end
    )

    participant = _reload(participant)
    assert (participant.status, participant.completion_exception_reason) == ("completed", "")
    assert AuditEvent.objects.get().after["unmet"] == []


def test_a_paused_participant_cannot_be_completed(administrator, participant):
    Participant.objects.filter(pk=participant.pk).update(status=Status.PAUSED)
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.participant_complete(participant=participant, by=administrator, exception_reason="Because")

    assert error.value.messages == [
        "Only an active participant can complete the scheme. Amara Osei's place is paused"
    ]
    assert _state() == before


# --- Workshops ----------------------------------------------------------------------------------


def test_scheduling_a_workshop_tells_the_cohorts_active_participants(administrator, cohort, participant):
    ParticipantFactory(cohort=cohort, status=Status.WITHDRAWN)

    workshop = services.workshop_schedule(
        cohort=cohort,
        by=administrator,
        title=" Leading in complex systems ",
        held_on=datetime.date(2027, 10, 12),
        is_core=True,
    )

    assert (workshop.cohort, workshop.title, workshop.held_on, workshop.is_core) == (
        cohort,
        "Leading in complex systems",
        datetime.date(2027, 10, 12),
        True,
    )
    event = AuditEvent.objects.get()
    assert (event.verb, event.after) == (
        "workshop_schedule",
        {
            "cohort": cohort.pk,
            "title": "Leading in complex systems",
            "held_on": "2027-10-12",
            "is_core": True,
        },
    )
    notice = Notification.objects.get()
    assert (notice.recipient, notice.title, notice.body) == (
        participant.user,
        "Workshop on 12 October 2027: Leading in complex systems",
        "A core workshop for Staffordshire and Stoke-on-Trent March 2027 is on 12 October 2027: "
        "Leading in complex systems.",
    )


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        (
            {"title": "", "held_on": None, "is_core": None},
            {
                "title": ["Enter the title of the workshop"],
                "held_on": ["Enter the date of the workshop"],
                "is_core": ["Select whether it is a core or a local workshop"],
            },
        ),
        (
            {"title": "Induction", "held_on": datetime.date(2027, 2, 28), "is_core": True},
            {"held_on": [f"Date of the workshop must be {OUTSIDE_THE_SCHEME}"]},
        ),
        (
            {"title": "Celebration", "held_on": datetime.date(2029, 3, 1), "is_core": False},
            {"held_on": [f"Date of the workshop must be {OUTSIDE_THE_SCHEME}"]},
        ),
    ],
)
def test_a_workshop_needs_a_title_a_date_within_the_scheme_and_a_type(administrator, cohort, values, errors):
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.workshop_schedule(cohort=cohort, by=administrator, **values)

    assert _messages(error.value) == errors
    assert _state() == before


def test_recording_attendance_sets_exactly_who_attended_and_tells_the_new_attendees(
    administrator, cohort, participant, workshop
):
    absent = ParticipantFactory(cohort=cohort)
    late = ParticipantFactory(cohort=cohort)
    WorkshopAttendanceFactory(workshop=workshop, participant=absent)

    services.workshop_attendance_record(workshop=workshop, by=administrator, participants=[participant, late])

    assert set(workshop.attendances.values_list("participant_id", flat=True)) == {participant.pk, late.pk}
    event = AuditEvent.objects.get()
    assert (event.verb, event.before, event.after) == (
        "workshop_attendance_record",
        {"attended": [absent.pk]},
        {"attended": sorted([participant.pk, late.pk])},
    )
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(
        [participant.user_id, late.user_id]
    )
    assert Notification.objects.filter(recipient=participant.user).get().body == (
        "We have recorded that you attended Leading inclusively and with compassion on 4 May 2027."
    )


def test_attendance_of_someone_from_another_cohort_is_refused(administrator, participant, workshop):
    stranger = ParticipantFactory()
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.workshop_attendance_record(
            workshop=workshop, by=administrator, participants=[participant, stranger]
        )

    assert _messages(error.value) == {"participants": ["Select people from this cohort"]}
    assert _state() == before


def test_attendance_cannot_be_recorded_before_the_workshop(administrator, cohort, participant):
    coming = WorkshopFactory(cohort=cohort, held_on=datetime.date(2027, 10, 1))
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.workshop_attendance_record(workshop=coming, by=administrator, participants=[participant])

    assert error.value.messages == [
        "You can record attendance once the workshop has taken place, on 1 October 2027"
    ]
    assert _state() == before


# --- The final panel ----------------------------------------------------------------------------


def test_scheduling_the_final_panel_then_moving_it_keeps_one_panel(administrator, participant):
    panel = services.final_panel_schedule(
        participant=participant,
        by=administrator,
        held_on=datetime.date(2029, 1, 20),
        panel_members="Dr Ada Okafor, chief executive\n\n  Sam Patel, chief nurse  ",
    )

    assert (panel.held_on, panel.panel_members, panel.outcome) == (
        datetime.date(2029, 1, 20),
        "Dr Ada Okafor, chief executive\nSam Patel, chief nurse",
        "",
    )

    moved = services.final_panel_schedule(
        participant=participant,
        by=administrator,
        held_on=datetime.date(2029, 2, 3),
        panel_members="Jo Hart, director",
    )

    assert moved.pk == panel.pk
    assert list(FinalPanel.objects.values_list("held_on", "panel_members")) == [
        (datetime.date(2029, 2, 3), "Jo Hart, director")
    ]
    assert [(event.action, event.verb) for event in AuditEvent.objects.order_by("pk")] == [
        ("create", "final_panel_schedule"),
        ("update", "final_panel_schedule"),
    ]
    assert list(Notification.objects.order_by("pk").values_list("title", flat=True)) == [
        "Your final presentation panel is on 20 January 2029",
        "Your final presentation panel is on 3 February 2029",
    ]


@pytest.mark.parametrize(
    ("held_on", "members", "errors"),
    [
        (
            None,
            " \n ",
            {
                "held_on": ["Enter the date of the panel"],
                "panel_members": ["Enter the panel members, one per line"],
            },
        ),
        (
            datetime.date(2029, 3, 1),
            "Jo Hart",
            {"held_on": [f"Date of the panel must be {OUTSIDE_THE_SCHEME}"]},
        ),
    ],
)
def test_a_panel_needs_a_date_within_the_scheme_and_its_members(
    administrator, participant, held_on, members, errors
):
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.final_panel_schedule(
            participant=participant, by=administrator, held_on=held_on, panel_members=members
        )

    assert _messages(error.value) == errors
    assert _state() == before


def test_no_panel_is_scheduled_after_a_pass(administrator, participant):
    FinalPanelFactory(participant=participant, held_on=datetime.date(2027, 9, 1), passed=True)
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.final_panel_schedule(
            participant=participant,
            by=administrator,
            held_on=datetime.date(2029, 1, 5),
            panel_members="Jo Hart",
        )

    assert error.value.messages == ["Amara Osei has already passed the final panel"]
    assert _state() == before


def test_recording_the_panel_outcome(administrator, participant, panel):
    services.final_panel_outcome_record(
        panel=panel,
        by=administrator,
        outcome=FinalPanel.Outcome.RESUBMIT,
        feedback="Say more about the system.",
    )

    panel.refresh_from_db()
    assert (panel.outcome, panel.feedback) == ("resubmit", "Say more about the system.")
    event = AuditEvent.objects.get()
    assert (event.verb, event.before, event.after) == (
        "final_panel_outcome_record",
        {"outcome": "", "feedback": ""},
        {"outcome": "resubmit", "feedback": "Say more about the system."},
    )
    notice = Notification.objects.get()
    assert (notice.title, notice.body) == (
        "The panel has asked you to resubmit",
        "The panel of 1 September 2027 has asked you to present again. "
        "Their feedback: Say more about the system.",
    )


def test_a_panel_outcome_is_recorded_once_and_only_after_it_met(administrator, participant, panel):
    coming = FinalPanelFactory(participant=participant, held_on=datetime.date(2027, 9, 20))
    before = _state()

    with pytest.raises(ValidationError) as error:
        services.final_panel_outcome_record(panel=coming, by=administrator, outcome="passed", feedback="Good")
    assert error.value.messages == ["You can record the outcome once the panel has met, on 20 September 2027"]

    with pytest.raises(ValidationError) as error:
        services.final_panel_outcome_record(panel=panel, by=administrator, outcome="maybe", feedback="")
    assert _messages(error.value) == {
        "outcome": ["Select the outcome of the panel"],
        "feedback": ["Enter the panel's feedback"],
    }
    assert _state() == before

    services.final_panel_outcome_record(panel=panel, by=administrator, outcome="passed", feedback="Clear")
    with pytest.raises(ValidationError) as error:
        services.final_panel_outcome_record(
            panel=panel, by=administrator, outcome="resubmit", feedback="Again"
        )
    assert error.value.messages == ["The outcome of this panel has already been recorded"]


# --- Who may see and use the pages --------------------------------------------------------------

REFUSED = ["anonymous", "participant_user", "coach", "sponsor", "other_administrator", "talent_lead_with_mfa"]


def _get_urls(cohort, participant, workshop, panel):
    return [
        reverse("hps:cohort_progress", kwargs={"pk": cohort.pk}),
        reverse("hps:cohort_progress_export", kwargs={"pk": cohort.pk}),
        reverse("hps:cohort_workshops", kwargs={"pk": cohort.pk}),
        reverse("hps:workshop_create", kwargs={"pk": cohort.pk}),
        reverse("hps:workshop_attendance", kwargs={"pk": workshop.pk}),
        reverse("hps:admin_participant", kwargs={"pk": participant.pk}),
        reverse("hps:admin_participant_coach", kwargs={"pk": participant.pk}),
        reverse("hps:admin_participant_sponsor", kwargs={"pk": participant.pk}),
        reverse("hps:admin_participant_mentor", kwargs={"pk": participant.pk}),
        reverse("hps:admin_participant_readiness_need", kwargs={"pk": participant.pk}),
        reverse("hps:admin_participant_readiness", kwargs={"pk": participant.pk}),
        reverse("hps:admin_participant_status", kwargs={"pk": participant.pk, "action": "pause"}),
        reverse("hps:admin_participant_status", kwargs={"pk": participant.pk, "action": "withdraw"}),
        reverse("hps:admin_participant_complete", kwargs={"pk": participant.pk}),
        reverse("hps:final_panel_schedule", kwargs={"pk": participant.pk}),
        reverse("hps:final_panel_outcome", kwargs={"pk": panel.pk}),
    ]


def _posts(cohort, participant, workshop, panel):
    """A valid submission to every page that changes something, in an order the administrator can follow."""
    new_coach = CoachFactory()
    UserFactory(email="sam.patel@nhs.test")
    pk = {"pk": participant.pk}
    return [
        (reverse("hps:cohort_progress_export", kwargs={"pk": cohort.pk}), {}),
        (
            reverse("hps:workshop_create", kwargs={"pk": cohort.pk}),
            {"title": "Local networking", "is_core": "local", **_date("held_on", datetime.date(2027, 10, 1))},
        ),
        (reverse("hps:workshop_attendance", kwargs={"pk": workshop.pk}), {"participants": [participant.pk]}),
        (reverse("hps:admin_participant_coach", kwargs=pk), {"coach": new_coach.pk}),
        (reverse("hps:admin_participant_sponsor", kwargs=pk), {"email": "sam.patel@nhs.test"}),
        (reverse("hps:admin_participant_mentor", kwargs=pk), {"email": "sam.patel@nhs.test"}),
        (reverse("hps:admin_participant_readiness_need", kwargs=pk), {"is_needed": "yes"}),
        (
            reverse("hps:admin_participant_readiness", kwargs=pk),
            {"outcome": "ready_now", **_date("assessed_on", datetime.date(2027, 9, 1))},
        ),
        (
            reverse("hps:final_panel_outcome", kwargs={"pk": panel.pk}),
            {"outcome": "passed", "feedback": "Clear"},
        ),
        (
            reverse("hps:final_panel_schedule", kwargs=pk),
            {"panel_members": "Jo Hart", **_date("held_on", datetime.date(2029, 1, 5))},
        ),
        (reverse("hps:admin_participant_status", kwargs={**pk, "action": "pause"}), {"reason": "Leave"}),
        (reverse("hps:admin_participant_status", kwargs={**pk, "action": "resume"}), {"reason": "Back"}),
        (reverse("hps:admin_participant_complete", kwargs=pk), {"exception_reason": "Agreed"}),
        (reverse("hps:admin_participant_status", kwargs={**pk, "action": "withdraw"}), {"reason": "Left"}),
    ]


def _sign_in(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def _assert_refused(response, role):
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", REFUSED)
def test_only_the_cohorts_administrator_sees_the_pages(
    client, request, role, cohort, participant, workshop, panel
):
    _sign_in(client, request, role)
    before = _state()

    for url in _get_urls(cohort, participant, workshop, panel):
        _assert_refused(client.get(url), role)

    assert _state() == before


@pytest.mark.parametrize("role", REFUSED)
def test_refused_people_change_nothing(client, request, role, cohort, participant, workshop, panel):
    posts = _posts(cohort, participant, workshop, panel)
    _sign_in(client, request, role)
    before = _state()

    for url, data in posts:
        _assert_refused(client.post(url, data), role)

    assert _state() == before


def test_the_cohorts_administrator_sees_every_page(
    client, administrator, cohort, participant, workshop, panel
):
    client.force_login(administrator)

    for url in _get_urls(cohort, participant, workshop, panel):
        assert client.get(url).status_code == 200, url


def test_the_cohorts_administrator_can_submit_every_form(
    client, administrator, cohort, participant, workshop, panel
):
    posts = _posts(cohort, participant, workshop, panel)
    client.force_login(administrator)

    codes = [client.post(url, data).status_code for url, data in posts]

    # The export answers with the file; a new panel after a pass is refused; withdrawing after completion
    # is refused with a message. Everything else saves and goes back.
    assert codes == [200, 302, 302, 302, 302, 302, 302, 302, 302, 200, 302, 302, 302, 302]
    participant = _reload(participant)
    assert (participant.status, participant.completion_exception_reason) == ("completed", "Agreed")
    assert (participant.sponsor.email, participant.mentor.email) == (
        "sam.patel@nhs.test",
        "sam.patel@nhs.test",
    )
    assert participant.needs_readiness_assessment is True
    assert FinalPanel.objects.get().outcome == "passed"
    assert list(WorkshopAttendance.objects.values_list("participant_id", flat=True)) == [participant.pk]
    assert Workshop.objects.filter(title="Local networking", is_core=False).exists()
    assert ReadinessAssessment.objects.get().outcome == "ready_now"


def test_an_hps_administrator_must_set_up_an_authenticator_app_first(client, cohort):
    without_app = UserFactory(email="new.admin@nhs.test")
    RoleAssignmentFactory(user=without_app, role=Role.HPS_ADMINISTRATOR, scope=Scope.NATIONAL)
    cohort.administrators.add(without_app)
    client.force_login(without_app)

    response = client.get(reverse("hps:cohort_progress", kwargs={"pk": cohort.pk}))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_status_action_that_does_not_exist_is_not_found(client, administrator, participant):
    client.force_login(administrator)

    response = client.get(
        reverse("hps:admin_participant_status", kwargs={"pk": participant.pk, "action": "delete"})
    )

    assert response.status_code == 404


# --- Coaching notes never reach an administrator ------------------------------------------------


def test_coaching_notes_never_appear_on_any_administrator_page_or_in_the_export(
    client, administrator, cohort, participant, workshop, panel
):
    client.force_login(administrator)
    texts = [client.get(url).text for url in _get_urls(cohort, participant, workshop, panel)]
    export = client.post(reverse("hps:cohort_progress_export", kwargs={"pk": cohort.pk}))
    texts.append(b"".join(export.streaming_content).decode("utf-8"))

    detail = texts[5]
    assert "Amara Osei" in detail
    assert "6 April 2027" in detail
    assert "95 minutes" in detail
    for text in texts:
        assert "Zanzibar-notes" not in text
        assert "Quokka-actions" not in text


def test_no_audit_event_or_notification_holds_coaching_notes(
    client, administrator, cohort, participant, workshop, panel
):
    client.force_login(administrator)
    for url, data in _posts(cohort, participant, workshop, panel):
        client.post(url, data)

    for event in AuditEvent.objects.all():
        assert "Zanzibar" not in str(event.before) + str(event.after)
    for notice in Notification.objects.all():
        assert "Zanzibar" not in notice.title + notice.body


# --- The cohort progress page -------------------------------------------------------------------


def test_the_progress_page_shows_everyone_against_every_requirement(
    client, administrator, cohort, participant
):
    ParticipantFactory(
        cohort=cohort, user__first_name="Bea", user__last_name="Ahmed", career_development_plan__complete=True
    )
    client.force_login(administrator)

    response = client.get(reverse("hps:cohort_progress", kwargs={"pk": cohort.pk}))

    rows = response.context["rows"]
    assert [str(row.participant.user) for row in rows] == ["Bea Ahmed", "Amara Osei"]
    amara = rows[1]
    assert [(cell.label, cell.state_label, cell.summary) for cell in amara.cells] == [
        ("Coaching sessions", "Not yet met", "1 of 6 to 8"),
        ("Sponsor meetings", "Behind", "0 of 24 months, 6 missed"),
        ("Key experiences", "Not yet met", "0 of 2 completed with a reflection"),
        ("Core workshops", "Met", "0 of 0 attended"),
        ("Learning log", "Behind", "0 entries, 2 quarters without one"),
        ("Career development plan", "Behind", "Not complete"),
        ("Final presentation", "Not yet met", "Not scheduled"),
        ("Readiness assessment", "Not needed", ""),
    ]
    assert "2 participants. 2 are behind on at least one requirement." in response.text
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Behind</strong>' in response.text


def test_the_progress_page_can_show_only_people_who_are_behind(client, administrator, cohort, participant):
    on_track = ParticipantFactory(cohort=cohort, user__first_name="Bea", user__last_name="Ahmed")
    RoleAssignment.objects.filter(user=administrator).update(valid_from=datetime.date(2026, 1, 1))
    url = reverse("hps:cohort_progress", kwargs={"pk": cohort.pk})

    with time_machine.travel(datetime.datetime(2027, 3, 20, 9, tzinfo=LONDON), tick=False):
        # Three weeks in, nobody is behind yet: the filter shows nobody.
        client.force_login(administrator)
        assert [row.participant for row in client.get(url).context["rows"]] == [on_track, participant]
        assert client.get(url, {"behind": "on"}).context["rows"] == []

    client.force_login(administrator)
    behind = client.get(url, {"behind": "on"})

    assert [row.participant for row in behind.context["rows"]] == [on_track, participant]
    assert behind.context["only_behind"] is True
    assert "Nobody is behind." not in behind.text


def test_another_cohorts_participants_are_not_on_the_progress_page(
    client, administrator, cohort, participant
):
    ParticipantFactory()
    client.force_login(administrator)

    response = client.get(reverse("hps:cohort_progress", kwargs={"pk": cohort.pk}))

    assert [row.participant for row in response.context["rows"]] == [participant]


PROGRESS_PAGE_QUERIES = 15


@pytest.mark.parametrize("count", [5, 100])
def test_the_progress_page_costs_the_same_queries_for_5_or_100_participants(
    client, django_assert_num_queries, administrator, cohort, count
):
    workshop = WorkshopFactory(cohort=cohort)
    for participant in ParticipantFactory.create_batch(count, cohort=cohort):
        CoachingSessionFactory(participant=participant)
        SponsorMeetingFactory(participant=participant)
        KeyExperienceFactory(participant=participant)
        LearningLogEntryFactory(participant=participant)
        WorkshopAttendanceFactory(participant=participant, workshop=workshop)
        FinalPanelFactory(participant=participant)
    client.force_login(administrator)
    url = reverse("hps:cohort_progress", kwargs={"pk": cohort.pk})
    client.get(url)

    with django_assert_num_queries(PROGRESS_PAGE_QUERIES):
        response = client.get(url)

    assert len(response.context["rows"]) == count
    assert response.context["rows"][0].cells[3].summary == "1 of 1 attended"


# --- The export ---------------------------------------------------------------------------------


def test_the_export_page_warns_that_the_file_holds_personal_data(client, administrator, cohort, participant):
    client.force_login(administrator)

    response = client.get(reverse("hps:cohort_progress_export", kwargs={"pk": cohort.pk}))

    assert "This file contains personal data" in response.text
    assert "The file lists the 1 participant of this cohort" in response.text
    assert AuditEvent.objects.count() == 0


def test_the_export_holds_the_progress_table_and_is_audited(
    client, administrator, cohort, participant, coach, sponsor
):
    client.force_login(administrator)

    response = client.post(reverse("hps:cohort_progress_export", kwargs={"pk": cohort.pk}))

    assert response["Content-Disposition"] == (
        'attachment; filename="hps-progress-staffordshire-and-stoke-on-trent-march-2027-2027-09-15.csv"'
    )
    content = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
    assert rows[0] == [
        "Participant ID",
        "Name",
        "Email",
        "Status",
        "Career coach",
        "Sponsor",
        "Mentor or buddy",
        "Coaching sessions",
        "Coaching sessions: status",
        "Sponsor meetings",
        "Sponsor meetings: status",
        "Key experiences",
        "Key experiences: status",
        "Core workshops",
        "Core workshops: status",
        "Learning log",
        "Learning log: status",
        "Career development plan",
        "Career development plan: status",
        "Final presentation",
        "Final presentation: status",
        "Readiness assessment",
        "Readiness assessment: status",
        "Sponsor meetings missed",
        "Behind",
    ]
    assert rows[1:] == [
        [
            str(participant.pk),
            "Amara Osei",
            "amara.osei@nhs.test",
            "Active",
            str(coach),
            "Morgan Ellis",
            "",
            "1 of 6 to 8",
            "Not yet met",
            "0 of 24 months, 6 missed",
            "Behind",
            "0 of 2 completed with a reflection",
            "Not yet met",
            "0 of 0 attended",
            "Met",
            "0 entries, 2 quarters without one",
            "Behind",
            "Not complete",
            "Behind",
            "Not scheduled",
            "Not yet met",
            "",
            "Not needed",
            "March 2027; April 2027; May 2027; June 2027; July 2027; August 2027",
            "Yes",
        ]
    ]
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.verb, event.object_id, event.after) == (
        administrator,
        "read",
        "hps_cohort_progress_export",
        str(cohort.pk),
        {"cohort": cohort.pk, "rows": 1},
    )


# --- The participant page and its forms ---------------------------------------------------------


def test_viewing_a_participant_is_audited(client, administrator, participant):
    client.force_login(administrator)

    client.get(reverse("hps:admin_participant", kwargs={"pk": participant.pk}))

    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.verb, event.object_id) == (
        administrator,
        "read",
        "hps_participant_view",
        str(participant.pk),
    )


def test_a_forged_coach_id_gets_an_error(client, administrator, participant, coach):
    not_a_coach = UserFactory()
    client.force_login(administrator)
    before = _state()

    response = client.post(
        reverse("hps:admin_participant_coach", kwargs={"pk": participant.pk}), {"coach": not_a_coach.pk}
    )

    assert response.status_code == 200
    assert _errors(response) == {"coach": ["Select a coach from the list"]}
    assert response.context["form"].fields["coach"].queryset.get() == coach
    assert _state() == before


def test_an_unknown_sponsor_email_gets_an_error_on_the_page(client, administrator, participant):
    client.force_login(administrator)

    response = client.post(
        reverse("hps:admin_participant_sponsor", kwargs={"pk": participant.pk}), {"email": "nobody@nhs.test"}
    )

    assert _errors(response) == {
        "email": [
            "There is no account with the email address nobody@nhs.test. Ask them to sign in to the service "
            "once, then try again"
        ]
    }
    assert response.text.count("There is no account with the email address nobody@nhs.test") == 2


def test_completing_from_the_page_asks_why_when_a_requirement_is_unmet(client, administrator, participant):
    client.force_login(administrator)
    url = reverse("hps:admin_participant_complete", kwargs={"pk": participant.pk})

    page = client.get(url)
    assert "Not every requirement is met" in page.text
    assert "Coaching sessions: 1 of 6 to 8" in page.text

    refused = client.post(url, {"exception_reason": ""})
    assert _errors(refused) == {
        "exception_reason": ["Enter why Amara Osei is completing without meeting every requirement"]
    }
    assert _reload(participant).status == "active"

    done = client.post(url, {"exception_reason": "Agreed by the programme board"}, follow=True)
    assert done.redirect_chain == [(reverse("hps:admin_participant", kwargs={"pk": participant.pk}), 302)]
    assert "Amara Osei has completed the scheme. They have been told." in done.text
    assert _reload(participant).completion_exception_reason == "Agreed by the programme board"


def test_completing_from_the_page_needs_no_reason_when_every_requirement_is_met(
    client, administrator, participant
):
    _meet_every_requirement(participant)
    client.force_login(administrator)
    url = reverse("hps:admin_participant_complete", kwargs={"pk": participant.pk})

    with time_machine.travel(datetime.datetime(2029, 3, 10, 9, tzinfo=LONDON), tick=False):
        client.force_login(administrator)
        page = client.get(url)
        assert list(page.context["form"].fields) == []
        assert "Amara Osei has met every requirement of the scheme." in page.text
        client.post(url, {})

    assert (_reload(participant).status, _reload(participant).completion_exception_reason) == (
        "completed",
        "",
    )


def test_a_forged_attendee_from_another_cohort_gets_an_error(client, administrator, participant, workshop):
    stranger = ParticipantFactory()
    client.force_login(administrator)
    before = _state()

    response = client.post(
        reverse("hps:workshop_attendance", kwargs={"pk": workshop.pk}),
        {"participants": [participant.pk, stranger.pk]},
    )

    assert _errors(response) == {"participants": ["Select people from this cohort"]}
    assert _state() == before


def test_the_workshop_list_counts_attendance(client, administrator, cohort, participant, workshop):
    ParticipantFactory(cohort=cohort)
    WorkshopAttendanceFactory(workshop=workshop, participant=participant)
    WorkshopFactory(
        cohort=cohort, title="Career development – accessing tools", held_on=datetime.date(2027, 11, 2)
    )
    client.force_login(administrator)

    response = client.get(reverse("hps:cohort_workshops", kwargs={"pk": cohort.pk}))

    assert [(workshop.title, workshop.attendance_count) for workshop in response.context["workshops"]] == [
        ("Leading inclusively and with compassion", 1),
        ("Career development – accessing tools", 0),
    ]
    assert "1 of 2" in response.text
    assert "Not held yet" in response.text


def test_scheduling_a_workshop_from_the_page_explains_a_date_outside_the_scheme(
    client, administrator, cohort
):
    client.force_login(administrator)

    response = client.post(
        reverse("hps:workshop_create", kwargs={"pk": cohort.pk}),
        {"title": "Induction", "is_core": "core", **_date("held_on", datetime.date(2027, 1, 12))},
    )

    assert _errors(response) == {"held_on": [f"Date of the workshop must be {OUTSIDE_THE_SCHEME}"]}
    assert "<title>Error: " in response.text
    assert Workshop.objects.count() == 0


def test_a_resume_on_an_active_place_is_refused_with_a_message(client, administrator, participant):
    client.force_login(administrator)
    before = _state()

    response = client.post(
        reverse("hps:admin_participant_status", kwargs={"pk": participant.pk, "action": "resume"}),
        {"reason": "Back"},
        follow=True,
    )

    assert (
        escape("Amara Osei's place is active, so you cannot resume it. Nothing was changed.") in response.text
    )
    assert _state()[:5] == before[:5]
