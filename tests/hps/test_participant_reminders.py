"""The daily reminders for participants: sponsor meetings, coaching, reflections, the panel, the end."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.urls import reverse

from accounts.models import Role, Scope
from core.models import Notification, NotificationPreference
from hps.models import FinalPanel, KeyExperience, Participant
from hps.participant_reminders import ParticipantReminderSummary, send_participant_reminders
from hps.tasks import send_participant_reminders_task
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.hps.factories import (
    CoachFactory,
    CoachingSessionFactory,
    CohortFactory,
    FinalPanelFactory,
    KeyExperienceFactory,
    LearningLogEntryFactory,
    ParticipantFactory,
    SponsorMeetingFactory,
)

LONDON = ZoneInfo("Europe/London")
# The scheme runs from 1 March 2027; its last day is 28 February 2029 (`ends_on` is 1 March 2029).
STARTS_ON = datetime.date(2027, 3, 1)


def scan(day: datetime.date) -> ParticipantReminderSummary:
    """Run the scan as the beat schedule does: at 07:30 London time on that day."""
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(7, 30), tzinfo=LONDON), tick=False):
        return send_participant_reminders()


def summary(**counts) -> ParticipantReminderSummary:
    return ParticipantReminderSummary(**counts)


def notified(prefix: str = "") -> list[tuple[str, str, str, str]]:
    return sorted(
        (notification.recipient.email, notification.title, notification.body, notification.url)
        for notification in Notification.objects.filter(event_key__startswith=prefix).select_related(
            "recipient"
        )
    )


@pytest.fixture
def cohort(db):
    return CohortFactory(
        name="Black Country 2027",
        opens_on=datetime.date(2026, 9, 1),
        closes_on=datetime.date(2026, 10, 31),
        starts_on=STARTS_ON,
    )


@pytest.fixture
def coach(db):
    return CoachFactory(email="helen.price@nhs.test", first_name="Helen", last_name="Price")


@pytest.fixture
def sponsor(db):
    return UserFactory(email="morgan.ellis@nhs.test", first_name="Morgan", last_name="Ellis")


@pytest.fixture
def participant(cohort, coach, sponsor):
    return ParticipantFactory(
        user=UserFactory(email="amara.osei@nhs.test", first_name="Amara", last_name="Osei"),
        cohort=cohort,
        coach=coach,
        sponsor=sponsor,
    )


def keep_up(participant: Participant, day: datetime.date) -> None:
    """A coaching session and a sponsor meeting on that day: nothing about them is due for a while."""
    CoachingSessionFactory(participant=participant, held_on=day)
    SponsorMeetingFactory(participant=participant, held_on=day)


# --- Sponsor meetings -----------------------------------------------------------------------------


def test_no_sponsor_meeting_by_the_20th_reminds_the_participant_and_the_sponsor(participant):
    CoachingSessionFactory(participant=participant, held_on=datetime.date(2027, 5, 28))
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 5, 28))

    assert scan(datetime.date(2027, 6, 20)) == summary(sponsor_meeting_due=2)

    assert notified() == [
        (
            "amara.osei@nhs.test",
            "You have not logged a sponsor meeting in June 2027",
            "The High Potential Scheme asks you to meet your sponsor, Morgan Ellis, at least once a month. "
            "Meet before the end of June 2027 and log the meeting.",
            reverse("hps:scheme_meetings"),
        ),
        (
            "morgan.ellis@nhs.test",
            "No sponsor meeting logged with Amara Osei in June 2027",
            "As their sponsor on the High Potential Scheme, you agreed to meet Amara Osei at least once a "
            "month. Meet before the end of June 2027 and log the meeting.",
            reverse("hps:sponsor_participant", kwargs={"pk": participant.pk}),
        ),
    ]


def test_no_sponsor_meeting_reminder_before_the_20th(participant):
    keep_up(participant, datetime.date(2027, 5, 28))

    assert scan(datetime.date(2027, 6, 19)) == summary()
    assert Notification.objects.count() == 0


def test_a_meeting_this_month_means_no_sponsor_meeting_reminder(participant):
    keep_up(participant, datetime.date(2027, 5, 28))
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 6, 1))

    assert scan(datetime.date(2027, 6, 20)) == summary()


def test_the_sponsor_meeting_reminder_is_sent_once_a_month(participant):
    keep_up(participant, datetime.date(2027, 5, 28))
    scan(datetime.date(2027, 6, 20))

    assert scan(datetime.date(2027, 6, 20)) == summary()
    assert scan(datetime.date(2027, 6, 30)) == summary()
    assert Notification.objects.count() == 2

    CoachingSessionFactory(participant=participant, held_on=datetime.date(2027, 7, 5))
    assert scan(datetime.date(2027, 7, 20)) == summary(sponsor_meeting_due=2)
    assert [title for _email, title, _body, _url in notified()] == [
        "You have not logged a sponsor meeting in July 2027",
        "You have not logged a sponsor meeting in June 2027",
        "No sponsor meeting logged with Amara Osei in July 2027",
        "No sponsor meeting logged with Amara Osei in June 2027",
    ]


def test_without_an_active_sponsor_only_the_participant_is_reminded(participant, sponsor):
    keep_up(participant, datetime.date(2027, 5, 28))
    sponsor.is_active = False
    sponsor.save()

    assert scan(datetime.date(2027, 6, 20)) == summary(sponsor_meeting_due=1)
    assert notified() == [
        (
            "amara.osei@nhs.test",
            "You have not logged a sponsor meeting in June 2027",
            "The High Potential Scheme asks you to meet your sponsor at least once a month. Meet before the "
            "end of June 2027 and log the meeting.",
            reverse("hps:scheme_meetings"),
        )
    ]


def test_no_meeting_or_coaching_reminder_after_the_scheme_ends(participant):
    # The last day is 28 February 2029: from March no meeting or session is due, even months later.
    keep_up(participant, datetime.date(2029, 2, 25))
    FinalPanelFactory(participant=participant, held_on=datetime.date(2029, 2, 1), passed=True)

    assert scan(datetime.date(2029, 3, 20)) == summary()
    assert scan(datetime.date(2029, 8, 20)) == summary()


# --- Coaching -------------------------------------------------------------------------------------


def test_four_months_without_coaching_from_the_start_reminds_the_participant_and_the_coach(participant):
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 6, 1))
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 7, 1))

    assert scan(datetime.date(2027, 6, 30)) == summary()
    assert scan(datetime.date(2027, 7, 1)) == summary(coaching_overdue=2)

    assert notified() == [
        (
            "amara.osei@nhs.test",
            "You have not had a coaching session since your scheme started on 1 March 2027",
            "You meet your career coach six to eight times over the 2 years of the scheme. Book your next "
            "session with Helen Price.",
            reverse("hps:scheme_sessions"),
        ),
        (
            "helen.price@nhs.test",
            "Amara Osei has not had a coaching session since their scheme started on 1 March 2027",
            "Participants meet their career coach six to eight times over the 2 years of the scheme. "
            "Arrange their next session and log it.",
            reverse("hps:coach_participant", kwargs={"pk": participant.pk}),
        ),
    ]


def test_four_months_after_the_last_session_reminds_once_per_session(participant, coach):
    CoachingSessionFactory(participant=participant, held_on=datetime.date(2027, 4, 15))
    CoachingSessionFactory(participant=participant, held_on=datetime.date(2027, 5, 10))
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 9, 1))

    assert scan(datetime.date(2027, 9, 9)) == summary()
    assert scan(datetime.date(2027, 9, 10)) == summary(coaching_overdue=2)
    assert scan(datetime.date(2027, 9, 10)) == summary()
    assert scan(datetime.date(2027, 9, 15)) == summary()
    assert [title for _email, title, _body, _url in notified()] == [
        "You have not had a coaching session since 10 May 2027",
        "Amara Osei has not had a coaching session since 10 May 2027",
    ]

    # A new session starts a new four months.
    CoachingSessionFactory(participant=participant, held_on=datetime.date(2027, 9, 16))
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2028, 1, 2))
    assert scan(datetime.date(2028, 1, 15)) == summary()
    assert scan(datetime.date(2028, 1, 16)) == summary(coaching_overdue=2)
    assert Notification.objects.filter(recipient=coach).count() == 2


def test_without_a_coach_the_participant_is_told_to_ask_for_one(participant):
    participant.coach = None
    participant.save()
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 7, 1))

    assert scan(datetime.date(2027, 7, 1)) == summary(coaching_overdue=1)
    assert notified() == [
        (
            "amara.osei@nhs.test",
            "You have not had a coaching session since your scheme started on 1 March 2027",
            "You meet your career coach six to eight times over the 2 years of the scheme. You do not have "
            "a career coach yet: ask your programme administrator.",
            reverse("hps:scheme_sessions"),
        )
    ]


# --- Key experiences ------------------------------------------------------------------------------


@pytest.fixture
def secondment(participant):
    return KeyExperienceFactory(
        participant=participant,
        experience_type=KeyExperience.ExperienceType.SECONDMENT,
        host_organisation="NHS Black Country Integrated Care Board",
        starts_on=datetime.date(2027, 6, 1),
        ends_on=datetime.date(2027, 10, 15),
        days_per_week=Decimal("2.0"),
    )


@pytest.mark.parametrize(
    ("day", "is_reminded"),
    [
        (datetime.date(2027, 9, 30), False),  # 15 days before the end
        (datetime.date(2027, 10, 1), True),  # 14 days before
        (datetime.date(2027, 10, 15), True),  # the last day
        (datetime.date(2027, 10, 16), False),  # over
    ],
)
def test_an_experience_ending_within_14_days_without_a_reflection_is_reminded(
    participant, secondment, day, is_reminded
):
    keep_up(participant, datetime.date(2027, 9, 1))
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 10, 1))

    assert scan(day) == summary(reflection_due=int(is_reminded))
    assert notified() == (
        [
            (
                "amara.osei@nhs.test",
                "Write a reflection on your secondment before it ends on 15 October 2027",
                "Your secondment at NHS Black Country Integrated Care Board ends on 15 October 2027. Add a "
                "reflection on what you learnt: to complete the scheme you need at least two key "
                "experiences with a reflection.",
                reverse("hps:scheme_experience_reflection", kwargs={"pk": secondment.pk}),
            )
        ]
        if is_reminded
        else []
    )


def test_an_experience_with_a_reflection_is_not_reminded(participant, secondment):
    keep_up(participant, datetime.date(2027, 9, 1))
    secondment.reflection = "Working across the system taught me to listen first."
    secondment.save()

    assert scan(datetime.date(2027, 10, 5)) == summary()


def test_an_experience_is_reminded_once_per_end_date(participant, secondment):
    keep_up(participant, datetime.date(2027, 9, 1))
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 10, 1))
    scan(datetime.date(2027, 10, 1))

    assert scan(datetime.date(2027, 10, 2)) == summary()

    secondment.ends_on = datetime.date(2027, 10, 29)
    secondment.save()
    assert scan(datetime.date(2027, 10, 15)) == summary(reflection_due=1)
    assert [title for _email, title, _body, _url in notified()] == [
        "Write a reflection on your secondment before it ends on 15 October 2027",
        "Write a reflection on your secondment before it ends on 29 October 2027",
    ]


# --- Final panel ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "is_reminded"),
    [
        (datetime.date(2028, 11, 14), False),  # 31 days before
        (datetime.date(2028, 11, 15), True),  # 30 days before
        (datetime.date(2028, 12, 15), True),  # the day itself
        (datetime.date(2028, 12, 16), False),  # over
    ],
)
def test_a_final_panel_within_30_days_is_reminded(participant, day, is_reminded):
    keep_up(participant, datetime.date(2028, 11, 1))
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2028, 12, 1))
    FinalPanelFactory(participant=participant, held_on=datetime.date(2028, 12, 15))

    assert scan(day) == summary(final_panel_soon=int(is_reminded))
    assert notified() == (
        [
            (
                "amara.osei@nhs.test",
                "Your final panel is on 15 December 2028",
                "You present to a panel of senior system leaders on 15 December 2028. Prepare a "
                "presentation of your reflections on what you have learnt on the scheme.",
                reverse("hps:scheme"),
            )
        ]
        if is_reminded
        else []
    )


def test_a_final_panel_is_reminded_once_and_not_when_it_has_an_outcome(participant):
    keep_up(participant, datetime.date(2028, 11, 1))
    panel = FinalPanelFactory(participant=participant, held_on=datetime.date(2028, 12, 15))
    scan(datetime.date(2028, 11, 15))

    assert scan(datetime.date(2028, 11, 16)) == summary()

    FinalPanelFactory(
        participant=participant, held_on=datetime.date(2028, 12, 1), outcome=FinalPanel.Outcome.RESUBMIT
    )
    assert scan(datetime.date(2028, 11, 17)) == summary()
    assert Notification.objects.filter(event_key__contains=f":{panel.pk}:").count() == 1
    assert Notification.objects.count() == 1


# --- The end of the scheme with requirements unmet ------------------------------------------------


def administrator(email: str, cohort, *, has_role: bool = True, is_active: bool = True):
    user = UserFactory(email=email, first_name="Gareth", last_name="Evans", is_active=is_active)
    if has_role:
        RoleAssignmentFactory(user=user, role=Role.HPS_ADMINISTRATOR, scope=Scope.NATIONAL)
    cohort.administrators.add(user)
    return user


@pytest.fixture
def nearly_done(participant):
    """Everything met except coaching (4 of 6), the meetings still to come and the final presentation."""
    for held_on in [
        datetime.date(2027, 4, 1),
        datetime.date(2027, 8, 1),
        datetime.date(2027, 12, 1),
        datetime.date(2028, 10, 1),
    ]:
        CoachingSessionFactory(participant=participant, held_on=held_on)
    month = STARTS_ON
    while month <= datetime.date(2028, 12, 1):
        SponsorMeetingFactory(participant=participant, held_on=month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    for starts_on in [datetime.date(2027, 5, 1), datetime.date(2028, 1, 1)]:
        KeyExperienceFactory(
            participant=participant,
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=120),
            reflection="I learnt to lead without authority.",
        )
    for written_on in [datetime.date(2027, month, 15) for month in (3, 6, 9, 12)] + [
        datetime.date(2028, month, 15) for month in (3, 6, 9, 12)
    ]:
        LearningLogEntryFactory(participant=participant, written_on=written_on)
    plan = participant.career_development_plan
    plan.aspirations = "A director of nursing role."
    plan.strengths = "Building teams."
    plan.areas_to_develop = "Finance."
    plan.save()
    return participant


def scheme_end_body(sponsor_meetings: str) -> str:
    return (
        "- Coaching sessions: 4 of 6 to 8\n"
        f"- Sponsor meetings: {sponsor_meetings}\n"
        "- Final presentation: Not scheduled"
    )


@pytest.mark.parametrize(
    ("day", "sponsor_meetings"),
    [
        (datetime.date(2028, 12, 29), None),  # 61 days before the last day
        (datetime.date(2028, 12, 30), "22 of 24 months"),  # 60 days before
        (datetime.date(2029, 2, 28), "22 of 24 months, 1 missed"),  # the last day, January missed
        (datetime.date(2029, 3, 1), None),  # over
    ],
)
def test_the_scheme_ending_with_requirements_unmet_reminds_the_participant_and_administrators(
    nearly_done, cohort, day, sponsor_meetings
):
    is_reminded = sponsor_meetings is not None
    administrator("gareth.evans@nhs.test", cohort)
    administrator("no.role@nhs.test", cohort, has_role=False)
    administrator("left@nhs.test", cohort, is_active=False)

    result = scan(day)

    assert result.scheme_ending_unmet == (2 if is_reminded else 0)
    assert notified("hps-participant-scheme-end:") == (
        [
            (
                "amara.osei@nhs.test",
                "Your scheme ends on 28 February 2029: 3 requirements are not met yet",
                "To complete the High Potential Scheme, you still need to meet:\n"
                + scheme_end_body(sponsor_meetings),
                reverse("hps:scheme"),
            ),
            (
                "gareth.evans@nhs.test",
                "Amara Osei's scheme ends on 28 February 2029 with 3 requirements not met",
                "Amara Osei (Black Country 2027) still needs to meet:\n" + scheme_end_body(sponsor_meetings),
                reverse("hps:admin_participant", kwargs={"pk": nearly_done.pk}),
            ),
        ]
        if is_reminded
        else []
    )


def test_the_scheme_end_is_reminded_once(nearly_done, cohort):
    administrator("gareth.evans@nhs.test", cohort)
    scan(datetime.date(2028, 12, 30))

    assert scan(datetime.date(2029, 1, 5)).scheme_ending_unmet == 0
    assert Notification.objects.filter(event_key__startswith="hps-participant-scheme-end:").count() == 2


def test_no_scheme_end_reminder_when_every_requirement_is_met(nearly_done, cohort):
    administrator("gareth.evans@nhs.test", cohort)
    for held_on in [datetime.date(2028, 11, 1), datetime.date(2028, 12, 1)]:
        CoachingSessionFactory(participant=nearly_done, held_on=held_on)
    for held_on in [datetime.date(2029, 1, 10), datetime.date(2029, 2, 10)]:
        SponsorMeetingFactory(participant=nearly_done, held_on=held_on)
    FinalPanelFactory(participant=nearly_done, held_on=datetime.date(2029, 2, 1), passed=True)

    assert scan(datetime.date(2029, 2, 20)) == summary()


# --- Who is reminded ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", [Participant.Status.PAUSED, Participant.Status.WITHDRAWN, Participant.Status.COMPLETED]
)
def test_only_active_participants_are_reminded(participant, status):
    participant.status = status
    participant.save()
    KeyExperienceFactory(participant=participant, ends_on=datetime.date(2027, 7, 25))
    FinalPanelFactory(participant=participant, held_on=datetime.date(2027, 8, 1))

    assert scan(datetime.date(2027, 7, 20)) == summary()
    assert Notification.objects.count() == 0


def test_a_participant_whose_account_is_inactive_is_not_reminded(participant):
    participant.user.is_active = False
    participant.user.save()

    assert scan(datetime.date(2027, 7, 20)) == summary()


def test_nothing_is_due_before_the_scheme_starts(participant):
    assert scan(datetime.date(2027, 2, 20)) == summary()


def test_an_opted_out_participant_gets_the_notification_but_no_email(
    participant, mailoutbox, django_capture_on_commit_callbacks
):
    keep_up(participant, datetime.date(2027, 5, 28))
    NotificationPreference.objects.create(user=participant.user, is_reminder_email_wanted=False)

    with (
        time_machine.travel(datetime.datetime(2027, 6, 20, 7, 30, tzinfo=LONDON), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = send_participant_reminders_task.delay().get()

    assert result == {
        "sponsor_meeting_due": 2,
        "coaching_overdue": 0,
        "reflection_due": 0,
        "final_panel_soon": 0,
        "scheme_ending_unmet": 0,
    }
    assert [(message.to, message.subject) for message in mailoutbox] == [
        (
            ["morgan.ellis@nhs.test"],
            "Scope for Growth: No sponsor meeting logged with Amara Osei in June 2027",
        )
    ]
    assert list(
        Notification.objects.filter(recipient=participant.user).values_list("title", "is_email_wanted")
    ) == [("You have not logged a sponsor meeting in June 2027", False)]


#: Participants with their user, cohort, coach, sponsor and plan; eight prefetches of their records;
#: the cohorts' administrators; events already notified, email preferences, the insert; the savepoints.
SCAN_QUERIES = 17


@pytest.mark.parametrize("count", [2, 20])
def test_the_scan_costs_the_same_number_of_queries_however_many_participants(
    django_assert_num_queries, cohort, coach, count
):
    administrator("gareth.evans@nhs.test", cohort)
    for number in range(count):
        participant = ParticipantFactory(
            user=UserFactory(email=f"participant{number}@nhs.test"), cohort=cohort, coach=coach
        )
        KeyExperienceFactory(participant=participant, ends_on=datetime.date(2029, 1, 5))
        FinalPanelFactory(participant=participant, held_on=datetime.date(2029, 1, 20))

    with (
        time_machine.travel(datetime.datetime(2028, 12, 30, 7, 30, tzinfo=LONDON), tick=False),
        django_assert_num_queries(SCAN_QUERIES),
    ):
        result = send_participant_reminders()

    assert result == summary(
        sponsor_meeting_due=2 * count,
        coaching_overdue=2 * count,
        reflection_due=count,
        final_panel_soon=count,
        scheme_ending_unmet=2 * count,
    )
    assert result.total == 8 * count


def test_the_scan_runs_daily_at_half_past_seven():
    assert settings.CELERY_BEAT_SCHEDULE["hps-send-participant-reminders"] == {
        "task": "hps.tasks.send_participant_reminders_task",
        "schedule": crontab(hour=7, minute=30),
    }
