"""The participant's own pages: who may see them, what they show, and the records kept from them."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from conversations.models import LeadershipDimension
from core.models import AuditEvent, Notification
from hps.models import (
    CareerDevelopmentPlan,
    CoachingSession,
    Destination,
    KeyExperience,
    LearningLogEntry,
    SponsorMeeting,
)
from hps.services import participant_create
from tests.accounts.factories import give_totp
from tests.hps.factories import (
    ApplicationFactory,
    CoachingSessionFactory,
    DestinationFactory,
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
START = datetime.date(2027, 3, 1)

#: Every signed-in page: the session and user, the person's roles, the header's links and saving the
#: session (with its savepoint): 7 queries.
PAGE_QUERIES = 7
#: "Your scheme", whatever the number of records: the participation (1), the participation again with
#: everything progress reads (1 + 8 prefetches) and the meetings waiting for confirmation (1).
SCHEME_QUERIES = PAGE_QUERIES + 11
#: A page of the learning log: the participation (1), the paginator's count (1), the page of entries
#: with their experience and workshop (1) and their dimensions (1).
LOG_QUERIES = PAGE_QUERIES + 4


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
def participant(cohort, coach):
    return ParticipantFactory(
        cohort=cohort,
        coach=coach,
        user__email="amara.osei@nhs.test",
        user__first_name="Amara",
        user__last_name="Osei",
        sponsor__email="morgan.ellis@nhs.test",
        sponsor__first_name="Morgan",
        sponsor__last_name="Ellis",
    )


@pytest.fixture
def participant_user(participant):
    return participant.user


@pytest.fixture
def sponsor(participant):
    return participant.sponsor


@pytest.fixture
def other_participant(cohort):
    return ParticipantFactory(cohort=cohort, user__email="jo.bright@nhs.test", user__first_name="Jo")


@pytest.fixture
def other_participant_user(other_participant):
    return other_participant.user


@pytest.fixture
def records(participant):
    """One of each record the participant's pages change."""
    return {
        "entry": LearningLogEntryFactory(participant=participant, text="My first entry"),
        "experience": KeyExperienceFactory(participant=participant, starts_on=datetime.date(2027, 4, 1)),
        "meeting": SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 4, 10)),
        "session": CoachingSessionFactory(participant=participant, notes="Private coaching note"),
        "destination": DestinationFactory(participant=participant),
    }


def _state():
    """Everything the participant's pages can change, to check a refused request changed nothing."""
    return (
        list(LearningLogEntry.objects.order_by("pk").values()),
        list(KeyExperience.objects.order_by("pk").values()),
        list(SponsorMeeting.objects.order_by("pk").values()),
        list(CoachingSession.objects.order_by("pk").values()),
        list(Destination.objects.order_by("pk").values()),
        list(CareerDevelopmentPlan.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def _sign_in(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def _assert_refused(response, role):
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 404


def _errors(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def _date(name: str, day: datetime.date) -> dict:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


PAGES = [
    "hps:scheme",
    "hps:scheme_plan",
    "hps:scheme_plan_edit",
    "hps:scheme_log",
    "hps:scheme_log_add",
    "hps:scheme_experiences",
    "hps:scheme_experience_add",
    "hps:scheme_meetings",
    "hps:scheme_meeting_log",
    "hps:scheme_sessions",
    "hps:scheme_destinations",
    "hps:scheme_destination_add",
    "hps:scheme_portfolio",
]


def _record_pages(records):
    return [
        reverse("hps:scheme_log_edit", kwargs={"pk": records["entry"].pk}),
        reverse("hps:scheme_experience_edit", kwargs={"pk": records["experience"].pk}),
        reverse("hps:scheme_experience_reflection", kwargs={"pk": records["experience"].pk}),
        reverse("hps:scheme_destination_edit", kwargs={"pk": records["destination"].pk}),
    ]


def _writes(records):
    """A valid submission to every page that changes something."""
    entry = {
        **_date("written_on", datetime.date(2027, 9, 1)),
        "text": "Forged entry",
        "is_shared_with_sponsor": "no",
    }
    experience = {
        "experience_type": "project",
        "host_organisation": "Forged host",
        **_date("starts_on", datetime.date(2027, 10, 1)),
        **_date("ends_on", datetime.date(2028, 1, 31)),
        "days_per_week": "2",
        "objectives": "Forged objectives",
    }
    destination = {
        **_date("started_on", datetime.date(2027, 9, 1)),
        "job_title": "Forged role",
        "organisation_name": "Forged organisation",
        "is_promotion": "yes",
    }
    return [
        (reverse("hps:scheme_plan_edit"), {"aspirations": "Forged aspirations"}),
        (reverse("hps:scheme_log_add"), entry),
        (reverse("hps:scheme_log_edit", kwargs={"pk": records["entry"].pk}), entry),
        (reverse("hps:scheme_experience_add"), experience),
        (reverse("hps:scheme_experience_edit", kwargs={"pk": records["experience"].pk}), experience),
        (
            reverse("hps:scheme_experience_reflection", kwargs={"pk": records["experience"].pk}),
            {"reflection": "Forged reflection"},
        ),
        (reverse("hps:scheme_meeting_log"), _date("held_on", datetime.date(2027, 9, 1))),
        (reverse("hps:scheme_meeting_confirm", kwargs={"pk": records["meeting"].pk}), {}),
        (
            reverse("hps:scheme_session_portfolio", kwargs={"pk": records["session"].pk}),
            {"is_in_portfolio": "yes"},
        ),
        (reverse("hps:scheme_destination_add"), destination),
        (reverse("hps:scheme_destination_edit", kwargs={"pk": records["destination"].pk}), destination),
    ]


def _is_about_a_record(url: str) -> bool:
    """Whether an address names one of the participant's records (the others are about your own)."""
    return any(character.isdigit() for character in url)


# --- Who may see what ------------------------------------------------------------------------

NOT_PARTICIPANTS = ["anonymous", "coach", "sponsor", "administrator", "stranger"]


@pytest.mark.parametrize("role", NOT_PARTICIPANTS)
def test_people_without_a_place_on_the_scheme_get_no_participant_page(client, request, role, records):
    _sign_in(client, request, role)
    before = _state()

    for name in PAGES:
        _assert_refused(client.get(reverse(name)), role)
    for url in _record_pages(records):
        _assert_refused(client.get(url), role)

    assert _state() == before


@pytest.mark.parametrize("role", NOT_PARTICIPANTS)
def test_people_without_a_place_cannot_change_anything(client, request, role, records):
    _sign_in(client, request, role)
    before = _state()

    for url, data in _writes(records):
        _assert_refused(client.post(url, data), role)

    assert _state() == before


def test_another_participant_cannot_open_or_change_this_participants_records(
    client, other_participant, records
):
    client.force_login(other_participant.user)
    before = _state()

    for url in _record_pages(records):
        assert client.get(url).status_code == 404, url
    for url, data in _writes(records):
        if _is_about_a_record(url):
            assert client.post(url, data).status_code == 404, url

    assert _state() == before


def test_another_participant_sees_their_own_scheme_and_never_this_participants_records(
    client, other_participant, records
):
    client.force_login(other_participant.user)

    for name in PAGES[:-1]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        content = response.content.decode()
        assert "My first entry" not in content
        assert "Private coaching note" not in content
        assert "Amara Osei" not in content


def test_another_participants_additions_go_to_their_own_scheme(client, participant, other_participant):
    client.force_login(other_participant.user)

    client.post(
        reverse("hps:scheme_log_add"),
        {**_date("written_on", datetime.date(2027, 9, 1)), "text": "Mine", "is_shared_with_sponsor": "no"},
    )

    assert list(LearningLogEntry.objects.values_list("participant", "text")) == [
        (other_participant.pk, "Mine")
    ]


def test_the_participant_opens_every_page(client, participant, records):
    client.force_login(participant.user)

    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    for url in _record_pages(records):
        assert client.get(url).status_code == 200, url


# --- "Your scheme" ---------------------------------------------------------------------------


def test_your_scheme_shows_status_dates_people_progress_and_missed_months(client, participant):
    for month in (3, 4, 6, 8):
        SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, month, 10), confirmed=True)
    client.force_login(participant.user)

    response = client.get(reverse("hps:scheme"))

    content = response.content.decode()
    assert "<title>Your scheme – " in content
    assert "Staffordshire and Stoke-on-Trent March 2027" in content
    assert "1 March 2027 to 28 February 2029" in content
    assert str(participant.coach) in content
    assert "Morgan Ellis" in content
    assert "Not assigned yet" in content
    overview = response.context["overview"]
    assert [(row.requirement.label, row.tag_text) for row in overview.rows] == [
        ("Coaching sessions", "Behind"),
        ("Sponsor meetings", "Behind"),
        ("Key experiences", "In progress"),
        ("Core workshops", "Done"),
        ("Learning log", "Behind"),
        ("Career development plan", "Behind"),
        ("Final presentation", "In progress"),
    ]
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Behind</strong>' in content
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Done</strong>' in content
    assert "<li>May 2027</li>" in content
    assert "<li>July 2027</li>" in content
    assert "<li>June 2027</li>" not in content
    for name in ("hps:scheme_sessions", "hps:scheme_meetings", "hps:scheme_log", "hps:scheme_plan"):
        assert f'href="{reverse(name)}"' in content


def test_your_scheme_asks_the_participant_to_confirm_meetings_the_sponsor_logged(client, participant):
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 9, 1))
    SponsorMeetingFactory(
        participant=participant, held_on=datetime.date(2027, 9, 2), logged_by=participant.user
    )
    client.force_login(participant.user)

    content = client.get(reverse("hps:scheme")).content.decode()

    assert "Your sponsor has logged a meeting for you to confirm." in content


@pytest.mark.parametrize("count", [1, 12])
def test_your_scheme_takes_a_fixed_number_of_queries(client, django_assert_num_queries, participant, count):
    for index in range(count):
        day = START + datetime.timedelta(days=index * 7)
        CoachingSessionFactory(participant=participant, held_on=day)
        SponsorMeetingFactory(participant=participant, held_on=day)
        KeyExperienceFactory(participant=participant, starts_on=day)
        LearningLogEntryFactory(participant=participant, written_on=day)
        WorkshopAttendanceFactory(participant=participant)
    client.force_login(participant.user)

    with django_assert_num_queries(SCHEME_QUERIES):
        response = client.get(reverse("hps:scheme"))

    assert response.status_code == 200


def test_the_scheme_home_page_links_a_participant_to_their_scheme(client, participant, stranger):
    client.force_login(participant.user)
    participant_home = client.get(reverse("hps:home")).content.decode()
    client.force_login(stranger)
    stranger_home = client.get(reverse("hps:home")).content.decode()

    assert f'<a href="{reverse("hps:scheme")}">Your scheme' in participant_home
    assert f'href="{reverse("hps:scheme")}"' not in stranger_home


# --- Career development plan -----------------------------------------------------------------


def test_the_participant_saves_their_plan(client, participant):
    client.force_login(participant.user)

    response = client.post(
        reverse("hps:scheme_plan_edit"),
        {
            "aspirations": "Director of nursing",
            "strengths": "Building teams",
            "areas_to_develop": "Finance",
            "leadership_dimensions": [],
            "planned_experiences": "",
        },
    )

    assert response["Location"] == reverse("hps:scheme_plan")
    plan = CareerDevelopmentPlan.objects.get(participant=participant)
    assert (plan.aspirations, plan.is_complete) == ("Director of nursing", True)
    assert "Complete" in client.get(reverse("hps:scheme_plan")).content.decode()


def test_a_forged_dimension_is_refused(client, participant):
    client.force_login(participant.user)

    response = client.post(reverse("hps:scheme_plan_edit"), {"leadership_dimensions": ["999999"]})

    assert _errors(response) == {
        "leadership_dimensions": ["Select Healthcare Leadership Model dimensions from the list"]
    }
    assert CareerDevelopmentPlan.objects.get(participant=participant).leadership_dimensions.count() == 0


# --- Learning log ----------------------------------------------------------------------------


def test_the_participant_adds_an_entry_linked_to_a_workshop(client, participant):
    workshop = WorkshopFactory(cohort=participant.cohort, title="Leading inclusively")
    client.force_login(participant.user)

    response = client.post(
        reverse("hps:scheme_log_add"),
        {
            **_date("written_on", datetime.date(2027, 9, 14)),
            "text": "The workshop changed how I run huddles.",
            "linked_to": f"workshop-{workshop.pk}",
            "is_shared_with_sponsor": "yes",
        },
    )

    assert response["Location"] == reverse("hps:scheme_log")
    entry = LearningLogEntry.objects.get()
    assert (
        entry.participant,
        entry.written_on,
        entry.workshop,
        entry.key_experience,
        entry.is_shared_with_sponsor,
    ) == (
        participant,
        datetime.date(2027, 9, 14),
        workshop,
        None,
        True,
    )


@pytest.mark.parametrize("whose", ["other_participant", "other_cohort"])
def test_a_forged_experience_or_workshop_is_a_form_error(client, participant, other_participant, whose):
    forged = (
        f"experience-{KeyExperienceFactory(participant=other_participant).pk}"
        if whose == "other_participant"
        else f"workshop-{WorkshopFactory().pk}"
    )
    client.force_login(participant.user)

    response = client.post(
        reverse("hps:scheme_log_add"),
        {
            **_date("written_on", datetime.date(2027, 9, 14)),
            "text": "Forged link",
            "linked_to": forged,
            "is_shared_with_sponsor": "no",
        },
    )

    assert response.status_code == 200
    assert _errors(response) == {
        "linked_to": ["Select one of your key experiences or a workshop of your cohort"]
    }
    assert not LearningLogEntry.objects.exists()


def test_an_entry_dated_outside_the_scheme_shows_the_scheme_dates(client, participant):
    client.force_login(participant.user)

    response = client.post(
        reverse("hps:scheme_log_add"),
        {
            **_date("written_on", datetime.date(2027, 2, 1)),
            "text": "Too early",
            "is_shared_with_sponsor": "no",
        },
    )

    assert _errors(response) == {
        "written_on": ["Date must be within your scheme: 1 March 2027 to 28 February 2029"]
    }
    assert "<title>Error: Add an entry to your learning log" in response.content.decode()
    assert not LearningLogEntry.objects.exists()


def test_an_empty_entry_has_a_message_for_every_field(client, participant):
    client.force_login(participant.user)

    response = client.post(reverse("hps:scheme_log_add"), {})

    assert _errors(response) == {
        "written_on": ["Enter the date of the entry"],
        "text": ["Enter your reflection"],
        "is_shared_with_sponsor": ["Select yes if you want to share this entry with your sponsor"],
    }


def test_the_participant_changes_an_entry(client, participant):
    entry = LearningLogEntryFactory(participant=participant, text="Before")
    client.force_login(participant.user)

    client.post(
        reverse("hps:scheme_log_edit", kwargs={"pk": entry.pk}),
        {**_date("written_on", datetime.date(2027, 9, 1)), "text": "After", "is_shared_with_sponsor": "no"},
    )

    entry.refresh_from_db()
    assert entry.text == "After"


def test_the_log_is_newest_first_twenty_to_a_page(client, participant):
    for index in range(25):
        LearningLogEntryFactory(
            participant=participant, written_on=START + datetime.timedelta(days=index), text=f"Entry {index}"
        )
    client.force_login(participant.user)

    first = client.get(reverse("hps:scheme_log"))
    second = client.get(reverse("hps:scheme_log"), {"page": 2})

    assert [entry.text for entry in first.context["page"]] == [f"Entry {index}" for index in range(24, 4, -1)]
    assert [entry.text for entry in second.context["page"]] == [
        f"Entry {index}" for index in range(4, -1, -1)
    ]
    assert "Page 2 of 2" in first.content.decode()


@pytest.mark.parametrize("count", [3, 25])
def test_the_log_takes_a_fixed_number_of_queries(client, django_assert_num_queries, participant, count):
    experience = KeyExperienceFactory(participant=participant)
    workshop = WorkshopFactory(cohort=participant.cohort)
    for index in range(count):
        entry = LearningLogEntryFactory(
            participant=participant,
            written_on=START + datetime.timedelta(days=index),
            key_experience=experience if index % 2 else None,
            workshop=None if index % 2 else workshop,
        )
        entry.leadership_dimensions.set(LeadershipDimension.objects.order_by("order")[:2])
    client.force_login(participant.user)

    with django_assert_num_queries(LOG_QUERIES):
        response = client.get(reverse("hps:scheme_log"))

    assert response.status_code == 200


# --- Key experiences -------------------------------------------------------------------------


def _experience_post(**overrides):
    return {
        "experience_type": "secondment",
        "host_organisation": "Staffordshire and Stoke-on-Trent ICB",
        **_date("starts_on", datetime.date(2027, 10, 1)),
        **_date("ends_on", datetime.date(2028, 3, 31)),
        "days_per_week": "1.5",
        "objectives": "Lead the winter plan.",
        **overrides,
    }


def test_the_participant_adds_an_experience_of_one_and_a_half_days_a_week(client, participant):
    client.force_login(participant.user)

    response = client.post(reverse("hps:scheme_experience_add"), _experience_post())

    assert response["Location"] == reverse("hps:scheme_experiences")
    experience = KeyExperience.objects.get()
    assert (experience.participant, experience.days_per_week, experience.ends_on) == (
        participant,
        Decimal("1.5"),
        datetime.date(2028, 3, 31),
    )


@pytest.mark.parametrize(
    ("days_per_week", "message"),
    [
        ("0.5", "Days per week must be 1 or more"),
        ("6", "Days per week must be 5 or fewer"),
        ("one", "Days per week must be a number, like 1 or 1.5"),
        ("1.25", "Days per week must be a whole number or have 1 decimal place, like 1.5"),
        ("", "Enter the number of days a week"),
    ],
)
def test_days_per_week_must_be_a_number_from_one_to_five(client, participant, days_per_week, message):
    client.force_login(participant.user)

    response = client.post(
        reverse("hps:scheme_experience_add"), _experience_post(days_per_week=days_per_week)
    )

    assert _errors(response) == {"days_per_week": [message]}
    assert not KeyExperience.objects.exists()


def test_an_empty_experience_has_a_message_for_every_field(client, participant):
    client.force_login(participant.user)

    response = client.post(reverse("hps:scheme_experience_add"), {"days_per_week": "0.5"})

    assert _errors(response) == {
        "experience_type": ["Select the type of experience"],
        "host_organisation": ["Enter the host organisation"],
        "starts_on": ["Enter the start date"],
        "ends_on": ["Enter the end date"],
        "days_per_week": ["Days per week must be 1 or more"],
        "objectives": ["Enter the objectives of the experience"],
    }


def test_an_experience_outside_the_scheme_shows_the_scheme_dates(client, participant):
    client.force_login(participant.user)

    response = client.post(
        reverse("hps:scheme_experience_add"), _experience_post(**_date("ends_on", datetime.date(2029, 3, 1)))
    )

    assert _errors(response) == {
        "ends_on": ["End date must be within your scheme: 1 March 2027 to 28 February 2029"]
    }
    assert not KeyExperience.objects.exists()


def test_a_reflection_waits_until_the_experience_has_started(client, participant):
    planned = KeyExperienceFactory(participant=participant, starts_on=datetime.date(2027, 10, 1))
    client.force_login(participant.user)
    url = reverse("hps:scheme_experience_reflection", kwargs={"pk": planned.pk})

    page = client.get(url).content.decode()
    client.post(url, {"reflection": "Too early"})

    assert "You can add a reflection once the experience has started on 1 October 2027." in page
    planned.refresh_from_db()
    assert planned.reflection == ""


def test_the_participant_adds_a_reflection_to_a_started_experience(client, participant):
    experience = KeyExperienceFactory(participant=participant, starts_on=datetime.date(2027, 4, 1))
    client.force_login(participant.user)

    response = client.post(
        reverse("hps:scheme_experience_reflection", kwargs={"pk": experience.pk}),
        {"reflection": "I learnt a lot."},
    )

    assert response["Location"] == reverse("hps:scheme_experiences")
    experience.refresh_from_db()
    assert experience.reflection == "I learnt a lot."


# --- Sponsor meetings ------------------------------------------------------------------------


def test_the_participant_logs_a_meeting_for_the_sponsor_to_confirm(client, participant):
    client.force_login(participant.user)

    response = client.post(
        reverse("hps:scheme_meeting_log"),
        {**_date("held_on", datetime.date(2027, 9, 14)), "notes": "Agreed a plan"},
    )

    assert response["Location"] == reverse("hps:scheme_meetings")
    meeting = SponsorMeeting.objects.get()
    assert (meeting.participant, meeting.logged_by, meeting.confirmed_at, meeting.notes) == (
        participant,
        participant.user,
        None,
        "Agreed a plan",
    )
    assert "Waiting for your sponsor" in client.get(reverse("hps:scheme_meetings")).content.decode()


def test_a_meeting_in_the_future_is_refused(client, participant):
    client.force_login(participant.user)

    response = client.post(reverse("hps:scheme_meeting_log"), _date("held_on", datetime.date(2027, 9, 16)))

    assert _errors(response) == {"held_on": ["Date must be today or in the past"]}
    assert not SponsorMeeting.objects.exists()


def test_the_meetings_page_lists_the_missed_months(client, participant):
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 3, 10))
    client.force_login(participant.user)

    response = client.get(reverse("hps:scheme_meetings"))

    assert [month.strftime("%B %Y") for month in response.context["missed_months"]] == [
        "April 2027",
        "May 2027",
        "June 2027",
        "July 2027",
        "August 2027",
    ]


def test_the_participant_confirms_a_meeting_the_sponsor_logged(client, participant):
    meeting = SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 9, 1))
    client.force_login(participant.user)

    response = client.post(reverse("hps:scheme_meeting_confirm", kwargs={"pk": meeting.pk}))

    assert response["Location"] == reverse("hps:scheme_meetings")
    meeting.refresh_from_db()
    assert (meeting.confirmed_by, meeting.confirmed_at) == (participant.user, NOW)


def test_the_participant_cannot_confirm_their_own_meeting(client, participant):
    meeting = SponsorMeetingFactory(participant=participant, logged_by=participant.user)
    client.force_login(participant.user)

    response = client.post(reverse("hps:scheme_meeting_confirm", kwargs={"pk": meeting.pk}), follow=True)

    assert "You logged this meeting, so the other person needs to confirm it" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.confirmed_at is None


def test_confirming_is_a_post(client, participant):
    meeting = SponsorMeetingFactory(participant=participant)
    client.force_login(participant.user)

    assert client.get(reverse("hps:scheme_meeting_confirm", kwargs={"pk": meeting.pk})).status_code == 405


# --- Coaching sessions -----------------------------------------------------------------------


def test_the_participant_sees_their_sessions_notes_and_chooses_the_portfolio(client, participant):
    session = CoachingSessionFactory(participant=participant, notes="Talked about the ICB role")
    client.force_login(participant.user)

    page = client.get(reverse("hps:scheme_sessions")).content.decode()
    response = client.post(
        reverse("hps:scheme_session_portfolio", kwargs={"pk": session.pk}), {"is_in_portfolio": "yes"}
    )

    assert "Talked about the ICB role" in page
    assert response["Location"] == reverse("hps:scheme_sessions")
    session.refresh_from_db()
    assert session.is_in_portfolio is True


def test_a_forged_portfolio_choice_changes_nothing(client, participant):
    session = CoachingSessionFactory(participant=participant)
    client.force_login(participant.user)

    response = client.post(
        reverse("hps:scheme_session_portfolio", kwargs={"pk": session.pk}),
        {"is_in_portfolio": "maybe"},
        follow=True,
    )

    assert "Select whether to include the notes" in response.content.decode()
    session.refresh_from_db()
    assert session.is_in_portfolio is False


# --- Destinations ----------------------------------------------------------------------------


def test_the_participant_records_a_new_role(client, participant):
    client.force_login(participant.user)

    response = client.post(
        reverse("hps:scheme_destination_add"),
        {
            **_date("started_on", datetime.date(2027, 9, 1)),
            "job_title": "Deputy chief nurse",
            "organisation_name": "University Hospitals of North Midlands NHS Trust",
            "pay_band": "",
            "is_promotion": "yes",
        },
    )

    assert response["Location"] == reverse("hps:scheme_destinations")
    destination = Destination.objects.get()
    assert (destination.participant, destination.job_title, destination.is_promotion) == (
        participant,
        "Deputy chief nurse",
        True,
    )


def test_a_role_without_details_has_a_message_for_each(client, participant):
    client.force_login(participant.user)

    response = client.post(reverse("hps:scheme_destination_add"), {})

    assert _errors(response) == {
        "started_on": ["Enter the date you started the role"],
        "job_title": ["Enter the job title"],
        "organisation_name": ["Enter the organisation"],
        "is_promotion": ["Select yes if the role is a promotion"],
    }


def test_a_participant_with_an_accepted_offer_sees_their_scheme_from_the_start(client, cohort):
    application = ApplicationFactory(cohort=cohort, accepted=True)
    participant_create(application=application, by=application.applicant)
    client.force_login(application.applicant)

    assert client.get(reverse("hps:scheme")).status_code == 200
