"""The participant's services and the shared sponsor meeting services: rules, messages and audit."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conversations.models import LeadershipDimension
from core.models import AuditEvent, Notification
from hps import meeting_services, participant_services
from hps.models import (
    CareerDevelopmentPlan,
    CoachingSession,
    Destination,
    KeyExperience,
    LearningLogEntry,
    SponsorMeeting,
)
from tests.accounts.factories import UserFactory
from tests.hps.factories import (
    CoachingSessionFactory,
    DestinationFactory,
    KeyExperienceFactory,
    LearningLogEntryFactory,
    ParticipantFactory,
    SponsorMeetingFactory,
    UnderWayCohortFactory,
    WorkshopFactory,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 9, 15, 10, 30, tzinfo=LONDON)
TODAY = NOW.date()
START = datetime.date(2027, 3, 1)
OUTSIDE_YOUR_SCHEME = "Date must be within your scheme: 1 March 2027 to 28 February 2029"


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def cohort(db):
    return UnderWayCohortFactory(name="Staffordshire and Stoke-on-Trent March 2027", starts_on=START)


@pytest.fixture
def participant(cohort):
    return ParticipantFactory(
        cohort=cohort,
        user__email="amara.osei@nhs.test",
        user__first_name="Amara",
        user__last_name="Osei",
        sponsor__email="morgan.ellis@nhs.test",
        sponsor__first_name="Morgan",
        sponsor__last_name="Ellis",
    )


@pytest.fixture
def other_participant(cohort):
    return ParticipantFactory(cohort=cohort, user__email="jo.bright@nhs.test")


def _events(verb):
    return list(AuditEvent.objects.filter(verb=verb).values("actor_id", "action", "before", "after"))


def _message(error: ValidationError) -> dict:
    return error.message_dict


# --- The factories give a scheme under way ---------------------------------------------------


def test_the_participant_factory_gives_a_scheme_under_way_with_its_application_and_plan(db):
    participant = ParticipantFactory()

    assert participant.starts_on == datetime.date(2027, 3, 15)
    assert participant.ends_on == datetime.date(2029, 3, 15)
    assert participant.application.status == "accepted"
    assert (participant.application.applicant, participant.application.sponsor) == (
        participant.user,
        participant.sponsor,
    )
    assert participant.career_development_plan.is_complete is False
    assert participant.coach.role_assignments.get().role == "coach"


# --- Dates on the scheme ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2027, 2, 28), OUTSIDE_YOUR_SCHEME),
        (datetime.date(2027, 3, 1), None),
        (TODAY, None),
        (TODAY + datetime.timedelta(days=1), "Date must be today or in the past"),
        (datetime.date(2029, 3, 1), OUTSIDE_YOUR_SCHEME),
    ],
)
def test_a_date_must_be_within_the_scheme_and_not_in_the_future(participant, day, expected):
    assert (
        meeting_services.scheme_date_error(participant=participant, day=day, by=participant.user) == expected
    )


def test_the_scheme_date_message_says_the_scheme_to_anyone_but_the_participant(participant):
    assert meeting_services.scheme_date_error(
        participant=participant, day=datetime.date(2027, 1, 1), by=participant.sponsor, label="Start date"
    ) == ("Start date must be within the scheme: 1 March 2027 to 28 February 2029")


# --- Career development plan -----------------------------------------------------------------


def test_the_participant_updates_their_plan_with_an_audit_event(participant):
    dimensions = list(LeadershipDimension.objects.order_by("order")[:2])

    plan = participant_services.career_development_plan_update(
        participant=participant,
        by=participant.user,
        aspirations="  Director of nursing within five years ",
        strengths="Building teams",
        areas_to_develop="Finance",
        leadership_dimensions=dimensions,
        planned_experiences="A secondment to the ICB",
    )

    plan.refresh_from_db()
    assert (plan.aspirations, plan.strengths, plan.areas_to_develop, plan.planned_experiences) == (
        "Director of nursing within five years",
        "Building teams",
        "Finance",
        "A secondment to the ICB",
    )
    assert list(plan.leadership_dimensions.order_by("order")) == dimensions
    assert plan.is_complete is True
    [event] = _events("career_development_plan_update")
    assert event["actor_id"] == participant.user.pk
    assert event["before"]["aspirations"] == ""
    assert event["after"]["aspirations"] == "Director of nursing within five years"
    assert event["after"]["leadership_dimensions"] == [dimension.pk for dimension in dimensions]


def test_nobody_else_can_update_the_plan(participant):
    with pytest.raises(PermissionDenied):
        participant_services.career_development_plan_update(
            participant=participant,
            by=participant.coach,
            aspirations="Changed by the coach",
            strengths="",
            areas_to_develop="",
            leadership_dimensions=[],
            planned_experiences="",
        )

    assert CareerDevelopmentPlan.objects.get(participant=participant).aspirations == ""
    assert not AuditEvent.objects.filter(verb="career_development_plan_update").exists()


# --- Learning log ----------------------------------------------------------------------------


def _entry(participant, **overrides):
    values = {
        "participant": participant,
        "by": participant.user,
        "written_on": datetime.date(2027, 9, 1),
        "text": "Chairing the bed meeting taught me to ask for data early.",
    }
    return participant_services.learning_log_entry_create(**{**values, **overrides})


def test_the_participant_adds_a_learning_log_entry_linked_to_their_experience(participant):
    experience = KeyExperienceFactory(participant=participant)
    dimension = LeadershipDimension.objects.order_by("order").first()

    entry = _entry(
        participant,
        text="  Chairing the bed meeting taught me to ask for data early.  ",
        leadership_dimensions=[dimension],
        key_experience=experience,
        is_shared_with_sponsor=True,
    )

    entry.refresh_from_db()
    assert (
        entry.written_on,
        entry.text,
        entry.key_experience,
        entry.workshop,
        entry.is_shared_with_sponsor,
    ) == (
        datetime.date(2027, 9, 1),
        "Chairing the bed meeting taught me to ask for data early.",
        experience,
        None,
        True,
    )
    assert list(entry.leadership_dimensions.all()) == [dimension]
    [event] = _events("learning_log_entry_create")
    assert (event["actor_id"], event["action"], event["before"]) == (participant.user.pk, "create", None)
    assert event["after"]["key_experience"] == experience.pk


def test_an_entry_can_be_linked_to_a_workshop_of_the_cohort(participant):
    workshop = WorkshopFactory(cohort=participant.cohort, title="Leading in complex systems")

    entry = _entry(participant, workshop=workshop)

    assert entry.workshop == workshop


@pytest.mark.parametrize(
    ("written_on", "message"),
    [
        (None, "Enter the date of the entry"),
        (datetime.date(2027, 2, 28), OUTSIDE_YOUR_SCHEME),
        (datetime.date(2029, 3, 1), OUTSIDE_YOUR_SCHEME),
        (datetime.date(2027, 9, 16), "Date must be today or in the past"),
    ],
)
def test_an_entry_needs_a_date_within_the_scheme_and_not_in_the_future(participant, written_on, message):
    with pytest.raises(ValidationError) as error:
        _entry(participant, written_on=written_on)

    assert _message(error.value) == {"written_on": [message]}
    assert not LearningLogEntry.objects.exists()


def test_an_entry_needs_text(participant):
    with pytest.raises(ValidationError) as error:
        _entry(participant, text="   ")

    assert _message(error.value) == {"text": ["Enter your reflection"]}


def test_an_entry_cannot_be_linked_to_someone_elses_experience_or_another_cohorts_workshop(
    participant, other_participant
):
    others_experience = KeyExperienceFactory(participant=other_participant)
    other_cohorts_workshop = WorkshopFactory()

    with pytest.raises(ValidationError) as error:
        _entry(participant, key_experience=others_experience, workshop=other_cohorts_workshop)

    assert _message(error.value) == {
        "key_experience": ["Select one of your key experiences or a workshop of your cohort"],
        "workshop": ["Select one of your key experiences or a workshop of your cohort"],
    }
    assert not LearningLogEntry.objects.exists()


def test_an_entry_is_linked_to_an_experience_or_a_workshop_not_both(participant):
    with pytest.raises(ValidationError) as error:
        _entry(
            participant,
            key_experience=KeyExperienceFactory(participant=participant),
            workshop=WorkshopFactory(cohort=participant.cohort),
        )

    assert _message(error.value) == {
        "key_experience": ["Link the entry to a key experience or a workshop, not both"]
    }


def test_only_the_participant_writes_in_their_log(participant):
    for person in (participant.sponsor, participant.coach, UserFactory()):
        with pytest.raises(PermissionDenied):
            _entry(participant, by=person)

    assert not LearningLogEntry.objects.exists()


def test_the_participant_changes_an_entry_with_an_audit_event(participant):
    entry = LearningLogEntryFactory(participant=participant, text="First thoughts")

    participant_services.learning_log_entry_update(
        entry=entry,
        by=participant.user,
        written_on=datetime.date(2027, 9, 2),
        text="Second thoughts",
        is_shared_with_sponsor=True,
    )

    entry.refresh_from_db()
    assert (entry.written_on, entry.text, entry.is_shared_with_sponsor) == (
        datetime.date(2027, 9, 2),
        "Second thoughts",
        True,
    )
    [event] = _events("learning_log_entry_update")
    assert (event["before"]["text"], event["after"]["text"]) == ("First thoughts", "Second thoughts")


def test_a_changed_entry_follows_the_same_date_rule(participant):
    entry = LearningLogEntryFactory(participant=participant)

    with pytest.raises(ValidationError) as error:
        participant_services.learning_log_entry_update(
            entry=entry, by=participant.user, written_on=datetime.date(2030, 1, 1), text="Later"
        )

    assert _message(error.value) == {"written_on": [OUTSIDE_YOUR_SCHEME]}
    entry.refresh_from_db()
    assert entry.text != "Later"


# --- Key experiences -------------------------------------------------------------------------


def _experience(participant, **overrides):
    values = {
        "participant": participant,
        "by": participant.user,
        "experience_type": KeyExperience.ExperienceType.SECONDMENT,
        "host_organisation": "Staffordshire and Stoke-on-Trent ICB",
        "starts_on": datetime.date(2027, 10, 1),
        "ends_on": datetime.date(2028, 3, 31),
        "days_per_week": Decimal("1.5"),
        "objectives": "Lead the winter plan for urgent care.",
    }
    return participant_services.key_experience_create(**{**values, **overrides})


def test_the_participant_records_a_planned_experience_of_one_and_a_half_days_a_week(participant):
    experience = _experience(participant)

    experience.refresh_from_db()
    assert (
        experience.experience_type,
        experience.host_organisation,
        experience.starts_on,
        experience.ends_on,
        experience.days_per_week,
        experience.reflection,
    ) == (
        "secondment",
        "Staffordshire and Stoke-on-Trent ICB",
        datetime.date(2027, 10, 1),
        datetime.date(2028, 3, 31),
        Decimal("1.5"),
        "",
    )
    [event] = _events("key_experience_create")
    assert event["after"]["days_per_week"] == "1.5"


@pytest.mark.parametrize(
    ("days_per_week", "message"),
    [
        (None, "Enter the number of days a week"),
        (Decimal("0.5"), "Days per week must be 1 or more"),
        (Decimal("0"), "Days per week must be 1 or more"),
        (Decimal("5.5"), "Days per week must be 5 or fewer"),
        (Decimal("1.25"), "Days per week must be a whole number or have 1 decimal place, like 1.5"),
    ],
)
def test_an_experience_is_at_least_one_day_a_week(participant, days_per_week, message):
    with pytest.raises(ValidationError) as error:
        _experience(participant, days_per_week=days_per_week)

    assert _message(error.value) == {"days_per_week": [message]}
    assert not KeyExperience.objects.exists()


@pytest.mark.parametrize("days_per_week", [Decimal("1"), Decimal("5")])
def test_one_and_five_days_a_week_are_allowed(participant, days_per_week):
    assert _experience(participant, days_per_week=days_per_week).days_per_week == days_per_week


def test_an_experience_must_be_within_the_scheme(participant):
    with pytest.raises(ValidationError) as error:
        _experience(participant, starts_on=datetime.date(2027, 2, 1), ends_on=datetime.date(2029, 6, 30))

    assert _message(error.value) == {
        "starts_on": ["Start date must be within your scheme: 1 March 2027 to 28 February 2029"],
        "ends_on": ["End date must be within your scheme: 1 March 2027 to 28 February 2029"],
    }


def test_an_experience_ends_after_it_starts(participant):
    with pytest.raises(ValidationError) as error:
        _experience(participant, starts_on=datetime.date(2027, 10, 1), ends_on=datetime.date(2027, 9, 30))

    assert _message(error.value) == {"ends_on": ["End date must be the same as or after the start date"]}


def test_an_experience_needs_every_detail(participant):
    with pytest.raises(ValidationError) as error:
        _experience(
            participant,
            experience_type="holiday",
            host_organisation=" ",
            starts_on=None,
            ends_on=None,
            objectives="",
        )

    assert _message(error.value) == {
        "experience_type": ["Select the type of experience"],
        "host_organisation": ["Enter the host organisation"],
        "starts_on": ["Enter the start date"],
        "ends_on": ["Enter the end date"],
        "objectives": ["Enter the objectives of the experience"],
    }


def test_the_participant_changes_an_experience_with_the_same_rules(participant):
    experience = KeyExperienceFactory(participant=participant, days_per_week=Decimal("2"))
    arguments = {
        "experience": experience,
        "by": participant.user,
        "experience_type": "placement",
        "host_organisation": "Royal Stoke University Hospital",
        "starts_on": datetime.date(2027, 4, 1),
        "ends_on": datetime.date(2027, 8, 31),
        "objectives": "Run the discharge lounge.",
    }

    with pytest.raises(ValidationError) as error:
        participant_services.key_experience_update(**arguments, days_per_week=Decimal("0.5"))
    participant_services.key_experience_update(**arguments, days_per_week=Decimal("3"))

    assert _message(error.value) == {"days_per_week": ["Days per week must be 1 or more"]}
    experience.refresh_from_db()
    assert (experience.experience_type, experience.days_per_week) == ("placement", Decimal("3.0"))
    [event] = _events("key_experience_update")
    assert (event["before"]["days_per_week"], event["after"]["days_per_week"]) == ("2.0", "3")


def test_a_reflection_can_be_added_once_the_experience_has_started(participant):
    started = KeyExperienceFactory(participant=participant, starts_on=datetime.date(2027, 9, 15))
    planned = KeyExperienceFactory(participant=participant, starts_on=datetime.date(2027, 9, 16))

    participant_services.key_experience_reflection_save(
        experience=started, by=participant.user, reflection="  I learnt to delegate.  "
    )
    with pytest.raises(ValidationError) as error:
        participant_services.key_experience_reflection_save(
            experience=planned, by=participant.user, reflection="Too early"
        )

    started.refresh_from_db()
    planned.refresh_from_db()
    assert (started.reflection, planned.reflection) == ("I learnt to delegate.", "")
    assert _message(error.value) == {
        "reflection": ["You can add a reflection once the experience has started on 16 September 2027"]
    }


def test_a_reflection_needs_text_and_only_the_participant_writes_it(participant):
    experience = KeyExperienceFactory(participant=participant)

    with pytest.raises(ValidationError) as error:
        participant_services.key_experience_reflection_save(
            experience=experience, by=participant.user, reflection=""
        )
    with pytest.raises(PermissionDenied):
        participant_services.key_experience_reflection_save(
            experience=experience, by=participant.coach, reflection="Written by the coach"
        )

    assert _message(error.value) == {"reflection": ["Enter your reflection on the experience"]}
    experience.refresh_from_db()
    assert experience.reflection == ""


# --- Coaching sessions -----------------------------------------------------------------------


def test_the_participant_chooses_to_put_a_sessions_notes_in_their_portfolio(participant):
    session = CoachingSessionFactory(participant=participant)

    participant_services.coaching_session_portfolio_choose(
        session=session, by=participant.user, is_in_portfolio=True
    )

    session.refresh_from_db()
    assert session.is_in_portfolio is True
    [event] = _events("coaching_session_portfolio_choose")
    assert (event["before"], event["after"]) == ({"is_in_portfolio": False}, {"is_in_portfolio": True})


def test_the_coach_cannot_choose_for_the_participant(participant):
    session = CoachingSessionFactory(participant=participant)

    with pytest.raises(PermissionDenied):
        participant_services.coaching_session_portfolio_choose(
            session=session, by=participant.coach, is_in_portfolio=True
        )

    assert CoachingSession.objects.get().is_in_portfolio is False


# --- Destinations ----------------------------------------------------------------------------


def _destination(participant, **overrides):
    values = {
        "participant": participant,
        "by": participant.user,
        "started_on": datetime.date(2027, 9, 1),
        "job_title": "Deputy chief nurse",
        "organisation_name": "University Hospitals of North Midlands NHS Trust",
        "pay_band": None,
        "is_promotion": True,
    }
    return participant_services.destination_create(**{**values, **overrides})


def test_the_participant_records_a_role_during_the_scheme(participant):
    destination = _destination(participant)

    destination.refresh_from_db()
    assert (
        destination.started_on,
        destination.job_title,
        destination.is_promotion,
        destination.pay_band,
    ) == (
        datetime.date(2027, 9, 1),
        "Deputy chief nurse",
        True,
        None,
    )
    assert _events("destination_create")[0]["after"]["job_title"] == "Deputy chief nurse"


def test_a_role_can_be_recorded_after_the_scheme_has_ended(participant):
    with time_machine.travel(datetime.datetime(2029, 6, 1, 9, 0, tzinfo=LONDON), tick=False):
        destination = _destination(participant, started_on=datetime.date(2029, 5, 1))

    assert destination.started_on == datetime.date(2029, 5, 1)


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"started_on": datetime.date(2027, 2, 28)},
            {
                "started_on": [
                    "Date you started the role must be on or after the start of your scheme, 1 March 2027"
                ]
            },
        ),
        (
            {"started_on": datetime.date(2027, 9, 16)},
            {"started_on": ["Date you started the role must be today or in the past"]},
        ),
        (
            {"started_on": None, "job_title": "", "organisation_name": " ", "is_promotion": None},
            {
                "started_on": ["Enter the date you started the role"],
                "job_title": ["Enter the job title"],
                "organisation_name": ["Enter the organisation"],
                "is_promotion": ["Select yes if the role is a promotion"],
            },
        ),
    ],
)
def test_a_role_needs_its_details_and_a_start_on_or_after_the_scheme(participant, overrides, errors):
    with pytest.raises(ValidationError) as error:
        _destination(participant, **overrides)

    assert _message(error.value) == errors
    assert not Destination.objects.exists()


def test_the_participant_changes_a_role(participant):
    destination = DestinationFactory(participant=participant, is_promotion=True)

    participant_services.destination_update(
        destination=destination,
        by=participant.user,
        started_on=datetime.date(2027, 8, 1),
        job_title="Head of nursing",
        organisation_name="Midlands Partnership University NHS Foundation Trust",
        is_promotion=False,
    )

    destination.refresh_from_db()
    assert (destination.started_on, destination.job_title, destination.is_promotion) == (
        datetime.date(2027, 8, 1),
        "Head of nursing",
        False,
    )


# --- Sponsor meetings (shared with the sponsor's pages) ------------------------------------------


def test_the_participant_logs_a_meeting_which_waits_for_the_sponsors_confirmation(participant):
    meeting = meeting_services.sponsor_meeting_log(
        participant=participant, by=participant.user, held_on=datetime.date(2027, 9, 10), notes=" Good chat "
    )

    meeting.refresh_from_db()
    assert (
        meeting.held_on,
        meeting.notes,
        meeting.logged_by,
        meeting.confirmed_by,
        meeting.confirmed_at,
    ) == (
        datetime.date(2027, 9, 10),
        "Good chat",
        participant.user,
        None,
        None,
    )
    notification = Notification.objects.get()
    assert (notification.recipient, notification.title, notification.body, notification.url) == (
        participant.sponsor,
        "Confirm the sponsor meeting of 10 September 2027",
        "Amara Osei logged a sponsor meeting on 10 September 2027. Confirm that it took place.",
        reverse("hps:sponsor_participant", kwargs={"pk": participant.pk}),
    )
    [event] = _events("sponsor_meeting_log")
    assert (event["actor_id"], event["after"]["logged_by"]) == (participant.user.pk, participant.user.pk)


def test_the_sponsor_logs_a_meeting_and_the_participant_is_told_where_to_confirm_it(participant):
    meeting = meeting_services.sponsor_meeting_log(
        participant=participant, by=participant.sponsor, held_on=datetime.date(2027, 9, 10), notes=""
    )

    assert meeting.logged_by == participant.sponsor
    notification = Notification.objects.get()
    assert (notification.recipient, notification.url) == (participant.user, reverse("hps:scheme_meetings"))


@pytest.mark.parametrize(
    ("by", "held_on", "message"),
    [
        ("user", None, "Enter the date of the meeting"),
        ("user", datetime.date(2027, 9, 16), "Date must be today or in the past"),
        ("user", datetime.date(2027, 2, 27), OUTSIDE_YOUR_SCHEME),
        (
            "sponsor",
            datetime.date(2027, 2, 27),
            "Date must be within the scheme: 1 March 2027 to 28 February 2029",
        ),
    ],
)
def test_a_meeting_needs_a_date_within_the_scheme_and_not_in_the_future(participant, by, held_on, message):
    with pytest.raises(ValidationError) as error:
        meeting_services.sponsor_meeting_log(
            participant=participant, by=getattr(participant, by), held_on=held_on, notes=""
        )

    assert _message(error.value) == {"held_on": [message]}
    assert not SponsorMeeting.objects.exists()
    assert not Notification.objects.exists()


def test_a_meeting_already_logged_for_that_day_is_confirmed_rather_than_logged_again(participant):
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 9, 10))

    with pytest.raises(ValidationError) as error:
        meeting_services.sponsor_meeting_log(
            participant=participant, by=participant.user, held_on=datetime.date(2027, 9, 10), notes=""
        )

    assert _message(error.value) == {
        "held_on": [
            "A meeting on 10 September 2027 is already logged. Confirm it rather than logging it again"
        ]
    }
    assert SponsorMeeting.objects.count() == 1


def test_only_the_participant_and_their_sponsor_log_meetings(participant, other_participant):
    for person in (participant.coach, other_participant.user, UserFactory()):
        with pytest.raises(PermissionDenied):
            meeting_services.sponsor_meeting_log(
                participant=participant, by=person, held_on=datetime.date(2027, 9, 10), notes=""
            )

    assert not SponsorMeeting.objects.exists()


def test_the_other_party_confirms_a_meeting(participant):
    meeting = SponsorMeetingFactory(participant=participant)

    meeting_services.sponsor_meeting_confirm(meeting=meeting, by=participant.user)

    meeting.refresh_from_db()
    assert (meeting.confirmed_by, meeting.confirmed_at) == (participant.user, NOW)
    [event] = _events("sponsor_meeting_confirm")
    assert (event["before"]["confirmed_by"], event["after"]["confirmed_by"]) == (None, participant.user.pk)


def test_whoever_logged_a_meeting_cannot_confirm_it(participant):
    meeting = SponsorMeetingFactory(participant=participant, logged_by=participant.user)

    with pytest.raises(ValidationError) as error:
        meeting_services.sponsor_meeting_confirm(meeting=meeting, by=participant.user)

    assert error.value.messages == ["You logged this meeting, so the other person needs to confirm it"]
    meeting.refresh_from_db()
    assert meeting.confirmed_at is None


def test_a_meeting_cannot_be_confirmed_twice(participant):
    meeting = SponsorMeetingFactory(participant=participant, logged_by=participant.user, confirmed=False)
    meeting_services.sponsor_meeting_confirm(meeting=meeting, by=participant.sponsor)

    with pytest.raises(ValidationError) as error:
        meeting_services.sponsor_meeting_confirm(meeting=meeting, by=participant.sponsor)

    assert error.value.messages == ["This meeting has already been confirmed"]
    assert len(_events("sponsor_meeting_confirm")) == 1


def test_nobody_else_confirms_a_meeting(participant):
    meeting = SponsorMeetingFactory(participant=participant)

    for person in (participant.coach, UserFactory()):
        with pytest.raises(PermissionDenied):
            meeting_services.sponsor_meeting_confirm(meeting=meeting, by=person)

    meeting.refresh_from_db()
    assert meeting.confirmed_at is None


# --- "Your scheme" ---------------------------------------------------------------------------


def test_the_overview_tags_each_requirement_done_behind_or_in_progress(participant):
    for month in range(3, 9):
        SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, month, 10))
    CoachingSessionFactory(participant=participant, held_on=datetime.date(2027, 4, 1))
    workshop = WorkshopFactory(cohort=participant.cohort, held_on=datetime.date(2027, 4, 20))
    participant.workshop_attendances.create(workshop=workshop, recorded_by=participant.coach)
    LearningLogEntryFactory(participant=participant, written_on=datetime.date(2027, 3, 20))
    LearningLogEntryFactory(participant=participant, written_on=datetime.date(2027, 7, 10))

    overview = participant_services.scheme_overview(participant=participant)

    assert [
        (row.requirement.key, row.requirement.summary, row.tag_text, row.tag_class) for row in overview.rows
    ] == [
        ("coaching", "1 of 6 to 8", "In progress", "nhsuk-tag--blue"),
        ("sponsor_meetings", "6 of 24 months", "In progress", "nhsuk-tag--blue"),
        ("key_experiences", "0 of 2 completed with a reflection", "In progress", "nhsuk-tag--blue"),
        ("core_workshops", "1 of 1 attended", "Done", "nhsuk-tag--green"),
        ("learning_log", "2 entries", "Done", "nhsuk-tag--green"),
        ("career_development_plan", "Not complete", "Behind", "nhsuk-tag--red"),
        ("final_presentation", "Not scheduled", "In progress", "nhsuk-tag--blue"),
    ]
    assert [row.url for row in overview.rows] == [
        reverse("hps:scheme_sessions"),
        reverse("hps:scheme_meetings"),
        reverse("hps:scheme_experiences"),
        "",
        reverse("hps:scheme_log"),
        reverse("hps:scheme_plan"),
        "",
    ]
    assert overview.progress.missed_sponsor_months == []
    assert overview.meetings_to_confirm == 6
    assert overview.last_day == datetime.date(2029, 2, 28)
