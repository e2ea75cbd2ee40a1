"""The daily High Potential Scheme reminders: sponsors, drafts near the closing date, administrators."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.urls import reverse

from accounts.models import Role, Scope
from core.models import Notification, NotificationPreference
from hps.models import Application
from hps.reminders import HpsReminderSummary, send_hps_reminders
from hps.tasks import send_hps_reminders_task
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.hps.factories import ApplicationFactory, CohortFactory, SponsorInvitationFactory

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2027, 2, 10)
# The beat schedule runs the scan at 07:15 London time.
SCAN_TIME = datetime.datetime(2027, 2, 10, 7, 15, tzinfo=LONDON)

Status = Application.Status


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(SCAN_TIME, tick=False):
        yield


@pytest.fixture
def applicant(db):
    return UserFactory(email="amara.osei@nhs.test", first_name="Amara", last_name="Osei")


@pytest.fixture
def sponsor(db):
    return UserFactory(email="morgan.ellis@nhs.test", first_name="Morgan", last_name="Ellis")


@pytest.fixture
def cohort(db):
    return CohortFactory(
        name="Black Country 2027",
        opens_on=datetime.date(2027, 1, 4),
        closes_on=datetime.date(2027, 3, 31),
        starts_on=datetime.date(2027, 6, 1),
    )


def _invited(applicant, cohort, *, sent_at, email="morgan.ellis@nhs.test", **invitation):
    application = ApplicationFactory(
        awaiting_sponsor=True, applicant=applicant, cohort=cohort, sponsor_email=email
    )
    return SponsorInvitationFactory(
        application=application,
        email=email,
        created_at=sent_at,
        expires_at=sent_at + datetime.timedelta(days=14),
        **invitation,
    )


def _at(day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2027, 2, day, hour, 0, tzinfo=LONDON)


def _notified() -> list[tuple[str, str, str, str]]:
    return sorted(
        (notification.recipient.email, notification.title, notification.body, notification.url)
        for notification in Notification.objects.select_related("recipient")
    )


# --- Sponsors who have not responded ------------------------------------------------------------


def test_a_sponsor_is_reminded_five_days_after_the_invitation(applicant, sponsor, cohort):
    invitation = _invited(applicant, cohort, sent_at=_at(5, 23))

    summary = send_hps_reminders()

    assert summary == HpsReminderSummary(sponsor_not_responded=1)
    notification = Notification.objects.get()
    assert (notification.recipient, notification.event_key, notification.title, notification.body) == (
        sponsor,
        f"hps-sponsor-reminder:{invitation.pk}:to:{sponsor.pk}",
        "Please respond to a request to sponsor a High Potential Scheme application",
        "Amara Osei asked you on 5 February 2027 to sponsor their application to Black Country 2027. "
        "Read the application, then confirm your support and sign, or decline. Use the link in the "
        "email we sent you: it works until 19 February 2027.",
    )
    # Not linked to the application yet (they have not followed the link), so no page to open.
    assert notification.url == ""


def test_a_sponsor_who_followed_the_link_is_sent_to_the_application(applicant, sponsor, cohort):
    invitation = _invited(applicant, cohort, sent_at=_at(1))
    Application.objects.filter(pk=invitation.application_id).update(sponsor=sponsor)

    send_hps_reminders()

    assert Notification.objects.get().url == reverse(
        "hps:sponsor_application", kwargs={"pk": invitation.application_id}
    )


def test_without_an_active_sponsor_account_the_applicant_is_told_instead(applicant, sponsor, cohort):
    sponsor.is_active = False
    sponsor.save()
    invitation = _invited(applicant, cohort, sent_at=_at(5))

    send_hps_reminders()

    assert _notified() == [
        (
            "amara.osei@nhs.test",
            "Your sponsor has not responded yet",
            "We asked morgan.ellis@nhs.test on 5 February 2027 to sponsor your application to Black "
            "Country 2027. Remind them to use the link in our email before 19 February 2027, or name "
            "another sponsor.",
            reverse("hps:application_detail", kwargs={"pk": invitation.application_id}),
        )
    ]


@pytest.mark.parametrize(
    ("sent_at", "changes", "application_changes"),
    [
        pytest.param(_at(6, 0), {}, {}, id="sent four days ago"),
        pytest.param(_at(1), {"used_at": _at(3)}, {}, id="used or superseded"),
        pytest.param(
            _at(1), {"used_at": _at(3), "declined_at": _at(3), "decline_reason": "No"}, {}, id="declined"
        ),
        pytest.param(datetime.datetime(2027, 1, 27, 7, 0, tzinfo=LONDON), {}, {}, id="expired"),
        pytest.param(_at(1), {}, {"status": Status.WITHDRAWN}, id="application withdrawn"),
    ],
)
def test_no_sponsor_reminder_when_nothing_is_waiting_for_them(
    applicant, sponsor, cohort, sent_at, changes, application_changes
):
    invitation = _invited(applicant, cohort, sent_at=sent_at, **changes)
    Application.objects.filter(pk=invitation.application_id).update(**application_changes)

    assert send_hps_reminders() == HpsReminderSummary()
    assert not Notification.objects.exists()


def test_each_invitation_is_reminded_once(applicant, sponsor, cohort):
    _invited(applicant, cohort, sent_at=_at(1))
    send_hps_reminders()

    with time_machine.travel(SCAN_TIME + datetime.timedelta(days=1), tick=False):
        assert send_hps_reminders() == HpsReminderSummary()

    assert Notification.objects.count() == 1


# --- Drafts near the closing date ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("closes_on", "is_reminded"),
    [
        (datetime.date(2027, 2, 17), True),
        (datetime.date(2027, 2, 10), True),
        (datetime.date(2027, 2, 18), False),
        (datetime.date(2027, 2, 9), False),
    ],
)
def test_a_draft_is_reminded_in_the_seven_days_before_the_closing_date(applicant, closes_on, is_reminded):
    cohort = CohortFactory(
        name="Black Country 2027",
        opens_on=datetime.date(2027, 1, 4),
        closes_on=closes_on,
        starts_on=datetime.date(2027, 6, 1),
    )
    draft = ApplicationFactory(applicant=applicant, cohort=cohort)

    summary = send_hps_reminders()

    if is_reminded:
        long_date = f"{closes_on.day} February 2027"
        assert summary == HpsReminderSummary(draft_closing_soon=1)
        assert _notified() == [
            (
                "amara.osei@nhs.test",
                f"Submit your High Potential Scheme application by {long_date}",
                f"Your application to Black Country 2027 is still a draft. Finish it and submit it by the "
                f"end of {long_date}. You cannot submit it after that.",
                reverse("hps:application_detail", kwargs={"pk": draft.pk}),
            )
        ]
        assert Notification.objects.get().event_key == (
            f"hps-draft-closing:{draft.pk}:{closes_on.isoformat()}:to:{applicant.pk}"
        )
    else:
        assert summary == HpsReminderSummary()


def test_only_active_applicants_with_a_draft_are_reminded(applicant):
    cohort = CohortFactory(
        opens_on=datetime.date(2027, 1, 4),
        closes_on=datetime.date(2027, 2, 14),
        starts_on=datetime.date(2027, 6, 1),
    )
    ApplicationFactory(applicant=applicant, cohort=cohort, submitted=True)
    ApplicationFactory(applicant=UserFactory(is_active=False), cohort=cohort)

    assert send_hps_reminders() == HpsReminderSummary()


def test_a_draft_is_reminded_once_per_closing_date(applicant):
    cohort = CohortFactory(
        opens_on=datetime.date(2027, 1, 4),
        closes_on=datetime.date(2027, 2, 14),
        starts_on=datetime.date(2027, 6, 1),
    )
    ApplicationFactory(applicant=applicant, cohort=cohort)
    send_hps_reminders()
    with time_machine.travel(SCAN_TIME + datetime.timedelta(days=1), tick=False):
        assert send_hps_reminders() == HpsReminderSummary()

        # The closing date moves: a new event, reminded again.
        cohort.closes_on = datetime.date(2027, 2, 16)
        cohort.save()
        assert send_hps_reminders() == HpsReminderSummary(draft_closing_soon=1)

    assert Notification.objects.count() == 2


# --- The administrators' digest ------------------------------------------------------------------


def _administrator(email, *cohorts, has_role=True):
    user = UserFactory(email=email)
    if has_role:
        RoleAssignmentFactory(user=user, role=Role.HPS_ADMINISTRATOR, scope=Scope.NATIONAL)
    for cohort in cohorts:
        cohort.administrators.add(user)
    return user


def test_each_administrator_gets_one_digest_of_the_applications_waiting_in_their_cohorts(cohort):
    other_cohort = CohortFactory(name="Arden 2027")
    quiet_cohort = CohortFactory(name="Quiet 2027")
    for trait in ("eligibility_review", "eligibility_review", "assessment_complete", "shortlisted"):
        ApplicationFactory(cohort=cohort, **{trait: True})
    ApplicationFactory(cohort=other_cohort, eligibility_review=True)
    # Not waiting for an administrator: the sponsor, the applicant or nobody has the next move.
    for trait in ("awaiting_sponsor", "assessment_invited", "offered", "withdrawn"):
        ApplicationFactory(cohort=cohort, **{trait: True})
    ApplicationFactory(cohort=quiet_cohort, offered=True)
    both = _administrator("both.admin@nhs.test", cohort, other_cohort)
    _administrator("arden.admin@nhs.test", other_cohort)
    _administrator("quiet.admin@nhs.test", quiet_cohort)
    _administrator("former.admin@nhs.test", cohort, has_role=False)

    summary = send_hps_reminders()

    assert summary == HpsReminderSummary(administrator_digest=2)
    assert _notified() == [
        (
            "arden.admin@nhs.test",
            "1 High Potential Scheme application is waiting for a decision",
            "Arden 2027: 1 waiting for an eligibility decision.",
            reverse("hps:cohort_list"),
        ),
        (
            "both.admin@nhs.test",
            "5 High Potential Scheme applications are waiting for a decision",
            "Arden 2027: 1 waiting for an eligibility decision.\n"
            "Black Country 2027: 2 waiting for an eligibility decision; 1 with the assessment complete; "
            "1 shortlisted, waiting for an offer or outcome.",
            reverse("hps:cohort_list"),
        ),
    ]
    assert (
        Notification.objects.get(recipient=both).event_key
        == f"hps-administrator-digest:2027-02-10:to:{both.pk}"
    )


def test_the_digest_is_sent_once_a_day(cohort):
    ApplicationFactory(cohort=cohort, eligibility_review=True)
    _administrator("admin@nhs.test", cohort)

    assert send_hps_reminders() == HpsReminderSummary(administrator_digest=1)
    assert send_hps_reminders() == HpsReminderSummary()
    with time_machine.travel(SCAN_TIME + datetime.timedelta(days=1), tick=False):
        assert send_hps_reminders() == HpsReminderSummary(administrator_digest=1)

    assert Notification.objects.count() == 2


# --- Emails, the task and the schedule ------------------------------------------------------------


def test_reminder_emails_go_to_exactly_the_people_reminded(
    applicant, sponsor, cohort, mailoutbox, django_capture_on_commit_callbacks
):
    _invited(applicant, cohort, sent_at=_at(1))
    ApplicationFactory(
        applicant=UserFactory(email="drafting@nhs.test"),
        cohort=CohortFactory(
            opens_on=datetime.date(2027, 1, 4),
            closes_on=datetime.date(2027, 2, 12),
            starts_on=datetime.date(2027, 6, 1),
        ),
    )
    ApplicationFactory(cohort=cohort, eligibility_review=True)
    _administrator("admin@nhs.test", cohort)
    quiet = _administrator("no.emails@nhs.test", cohort)
    NotificationPreference.objects.create(user=quiet, is_reminder_email_wanted=False)

    with django_capture_on_commit_callbacks(execute=True):
        summary = send_hps_reminders_task.delay().get()

    assert summary == {"sponsor_not_responded": 1, "draft_closing_soon": 1, "administrator_digest": 2}
    assert sorted((message.to[0], message.subject) for message in mailoutbox) == [
        (
            "admin@nhs.test",
            "Scope for Growth: 1 High Potential Scheme application is waiting for a decision",
        ),
        (
            "drafting@nhs.test",
            "Scope for Growth: Submit your High Potential Scheme application by 12 February 2027",
        ),
        (
            "morgan.ellis@nhs.test",
            "Scope for Growth: Please respond to a request to sponsor a High Potential Scheme application",
        ),
    ]
    assert Notification.objects.filter(recipient=quiet).count() == 1


#: Sponsor invitations and their accounts, drafts, the digest counts and its administrators, the
#: events already notified, email preferences, the insert, and the savepoints around the scan.
SCAN_QUERIES = 12


@pytest.mark.parametrize("count", [1, 4])
def test_the_scan_costs_the_same_number_of_queries_however_many_reminders(
    django_assert_num_queries, cohort, count
):
    closing = CohortFactory(
        opens_on=datetime.date(2027, 1, 4),
        closes_on=datetime.date(2027, 2, 12),
        starts_on=datetime.date(2027, 6, 1),
    )
    for number in range(count):
        applicant = UserFactory(email=f"applicant{number}@nhs.test")
        UserFactory(email=f"sponsor{number}@nhs.test")
        _invited(applicant, cohort, sent_at=_at(1), email=f"sponsor{number}@nhs.test")
        ApplicationFactory(applicant=applicant, cohort=closing)
        ApplicationFactory(cohort=cohort, eligibility_review=True)
        _administrator(f"admin{number}@nhs.test", cohort)

    with django_assert_num_queries(SCAN_QUERIES):
        summary = send_hps_reminders()

    assert summary == HpsReminderSummary(
        sponsor_not_responded=count, draft_closing_soon=count, administrator_digest=count
    )


def test_the_scan_runs_daily_at_quarter_past_seven():
    assert settings.CELERY_BEAT_SCHEDULE["hps-send-reminders"] == {
        "task": "hps.tasks.send_hps_reminders_task",
        "schedule": crontab(hour=7, minute=15),
    }
