"""The sponsor's pages for participants: milestones, shared log entries, and sponsor meetings."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from conversations.models import LeadershipDimension
from core.models import AuditEvent, Notification
from hps.models import KeyExperience, Participant, SponsorMeeting
from tests.accounts.factories import UserFactory
from tests.hps.conftest import SCHEME_STARTS_ON
from tests.hps.factories import (
    CoachingSessionFactory,
    KeyExperienceFactory,
    LearningLogEntryFactory,
    ParticipantFactory,
    SponsorMeetingFactory,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 9, 15, 10, 30, tzinfo=LONDON)

PRIVATE_NOTE = "Confided worries about the Larkspur restructure"
PRIVATE_ACTION = "Rehearse the Quillfeather conversation with the director"
REFLECTION = "The secondment taught me how the Tamarind board works"
SHARED_ENTRY = "Chairing the Marigold ward huddle showed me how to listen"
PRIVATE_ENTRY = "A private worry about the Juniper team that I have not shared"


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def other_sponsor(cohort):
    """The sponsor of someone else on the same cohort."""
    user = UserFactory(email="other.sponsor@nhs.test", first_name="Priya", last_name="Shah")
    ParticipantFactory(cohort=cohort, sponsor=user, user__first_name="Bea", user__last_name="Nowak")
    return user


@pytest.fixture
def meetings(participant, sponsor):
    """March confirmed, April waiting for the participant, June logged by the participant."""
    return {
        "march": SponsorMeetingFactory(
            participant=participant, held_on=datetime.date(2027, 3, 10), confirmed=True, notes="First meeting"
        ),
        "april": SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 4, 12)),
        "june": SponsorMeetingFactory(
            participant=participant,
            held_on=datetime.date(2027, 6, 14),
            logged_by=participant.user,
            notes="Talked about the Keele secondment",
        ),
    }


@pytest.fixture
def records(participant, meetings):
    """Two coaching sessions, a secondment with a reflection, one shared and one private log entry."""
    CoachingSessionFactory(
        participant=participant,
        held_on=datetime.date(2027, 4, 17),
        notes=PRIVATE_NOTE,
        agreed_actions=PRIVATE_ACTION,
    )
    CoachingSessionFactory(participant=participant, held_on=datetime.date(2027, 6, 23), notes=PRIVATE_NOTE)
    experience = KeyExperienceFactory(
        participant=participant,
        experience_type=KeyExperience.ExperienceType.SECONDMENT,
        host_organisation="The Royal Wolverhampton NHS Trust",
        starts_on=datetime.date(2027, 4, 1),
        ends_on=datetime.date(2027, 8, 31),
        days_per_week=Decimal("2.0"),
        reflection=REFLECTION,
    )
    LearningLogEntryFactory(
        participant=participant,
        written_on=datetime.date(2027, 3, 21),
        text=SHARED_ENTRY,
        is_shared_with_sponsor=True,
        key_experience=experience,
        leadership_dimensions=[LeadershipDimension.objects.get(name="Engaging the team")],
    )
    LearningLogEntryFactory(participant=participant, written_on=datetime.date(2027, 7, 5), text=PRIVATE_ENTRY)


def _state():
    """Everything the sponsor's pages can change, to check that a refused request changed nothing."""
    return (
        list(SponsorMeeting.objects.order_by("pk").values()),
        list(Participant.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def _errors(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def _sign_in(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def _assert_refused(response, role):
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 404


def _meeting_data(day="12", month="9", year="2027", notes="Planned the next key experience"):
    return {"held_on-day": day, "held_on-month": month, "held_on-year": year, "notes": notes}


REFUSED = ["anonymous", "participant_user", "coach", "other_sponsor", "administrator", "stranger"]


# --- Who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", REFUSED)
def test_only_the_participants_sponsor_reaches_their_pages(client, request, role, participant, meetings):
    _sign_in(client, request, role)
    before = _state()

    page = reverse("hps:sponsor_participant", kwargs={"pk": participant.pk})
    add = reverse("hps:sponsor_meeting_add", kwargs={"pk": participant.pk})
    confirm = reverse("hps:sponsor_meeting_confirm", kwargs={"pk": meetings["june"].pk})
    _assert_refused(client.get(page), role)
    _assert_refused(client.get(add), role)
    _assert_refused(client.post(add, _meeting_data()), role)
    _assert_refused(client.post(confirm), role)

    assert _state() == before


def test_the_sponsor_reaches_every_page(client, sponsor, participant):
    client.force_login(sponsor)

    for url in [
        reverse("hps:sponsor_participants"),
        reverse("hps:sponsor_participant", kwargs={"pk": participant.pk}),
        reverse("hps:sponsor_meeting_add", kwargs={"pk": participant.pk}),
    ]:
        assert client.get(url).status_code == 200, url


def test_the_anonymous_visitor_is_sent_to_sign_in_from_the_list(client, db):
    _assert_refused(client.get(reverse("hps:sponsor_participants")), "anonymous")


@pytest.mark.parametrize("role", ["participant_user", "coach", "stranger"])
def test_someone_who_sponsors_nobody_sees_an_empty_list(client, request, role, participant):
    _sign_in(client, request, role)

    response = client.get(reverse("hps:sponsor_participants"))

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "You do not sponsor any participants yet." in response.content.decode()


def test_another_sponsor_sees_only_their_own_participant(client, other_sponsor, participant):
    client.force_login(other_sponsor)

    response = client.get(reverse("hps:sponsor_participants"))

    assert [str(row.participant.user) for row in response.context["rows"]] == ["Bea Nowak"]
    assert "Amara Osei" not in response.content.decode()


def test_confirming_a_meeting_needs_a_post(client, sponsor, meetings):
    client.force_login(sponsor)

    response = client.get(reverse("hps:sponsor_meeting_confirm", kwargs={"pk": meetings["june"].pk}))

    assert response.status_code == 405


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_meetings_missed_and_waiting_and_what_is_behind(client, sponsor, participant, records):
    client.force_login(sponsor)

    response = client.get(reverse("hps:sponsor_participants"))

    (row,) = response.context["rows"]
    assert row.participant == participant
    assert row.meetings_summary == "3 of 24 months, 3 missed"
    assert row.meetings_to_confirm == 1
    assert row.behind == ["Sponsor meetings", "Career development plan"]
    content = response.content.decode()
    assert "1 to confirm" in content
    assert "Behind on sponsor meetings, career development plan" in content
    for text in (PRIVATE_NOTE, PRIVATE_ACTION, PRIVATE_ENTRY, REFLECTION):
        assert text not in content


SPONSOR_LIST_QUERIES = 16


@pytest.mark.parametrize("count", [2, 20])
def test_the_sponsor_list_query_count_does_not_grow(
    client, django_assert_num_queries, sponsor, cohort, count
):
    for _ in range(count):
        participant = ParticipantFactory(sponsor=sponsor, cohort=cohort)
        SponsorMeetingFactory(participant=participant, logged_by=participant.user)
        CoachingSessionFactory(participant=participant)
        LearningLogEntryFactory(participant=participant)
    client.force_login(sponsor)

    with django_assert_num_queries(SPONSOR_LIST_QUERIES):
        response = client.get(reverse("hps:sponsor_participants"))

    assert len(response.context["rows"]) == count
    assert {row.meetings_to_confirm for row in response.context["rows"]} == {1}


# --- The participant's page for the sponsor -----------------------------------------------------


def test_the_sponsor_sees_milestones_with_only_a_count_of_coaching_sessions(
    client, sponsor, participant, records
):
    client.force_login(sponsor)

    response = client.get(reverse("hps:sponsor_participant", kwargs={"pk": participant.pk}))

    progress = response.context["progress"]
    assert [(requirement.label, requirement.summary) for requirement in progress.requirements] == [
        ("Coaching sessions", "2 of 6 to 8"),
        ("Sponsor meetings", "3 of 24 months, 3 missed"),
        ("Key experiences", "1 of 2 completed with a reflection"),
        ("Core workshops", "0 of 0 attended"),
        ("Learning log", "2 entries"),
        ("Career development plan", "Not complete"),
        ("Final presentation", "Not scheduled"),
    ]
    content = response.content.decode()
    assert "2 of 6 to 8" in content
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Behind</strong>' in content
    for text in (PRIVATE_NOTE, PRIVATE_ACTION, "17 April 2027", "23 June 2027"):
        assert text not in content
    assert "sessions" not in response.context
    assert AuditEvent.objects.filter(
        verb="participant_view_as_sponsor", actor=sponsor, object_id=str(participant.pk)
    ).exists()


def test_the_sponsor_sees_key_experiences_without_reflections(client, sponsor, participant, records):
    client.force_login(sponsor)

    content = client.get(reverse("hps:sponsor_participant", kwargs={"pk": participant.pk})).content.decode()

    assert '<td class="nhsuk-table__cell">Secondment</td>' in content
    assert "The Royal Wolverhampton NHS Trust" in content
    assert "1 April 2027 to 31 August 2027" in content
    assert REFLECTION not in content


def test_the_sponsor_sees_only_the_learning_log_entries_shared_with_them(
    client, sponsor, participant, records
):
    client.force_login(sponsor)

    response = client.get(reverse("hps:sponsor_participant", kwargs={"pk": participant.pk}))

    assert [entry.text for entry in response.context["log_entries"]] == [SHARED_ENTRY]
    content = response.content.decode()
    assert SHARED_ENTRY in content
    assert "Engaging the team" in content
    assert PRIVATE_ENTRY not in content


def test_an_entry_the_participant_stops_sharing_disappears(client, sponsor, participant, records):
    participant.learning_log.update(is_shared_with_sponsor=False)
    client.force_login(sponsor)

    content = client.get(reverse("hps:sponsor_participant", kwargs={"pk": participant.pk})).content.decode()

    assert SHARED_ENTRY not in content
    assert "Amara Osei has not shared any learning log entries with you." in content


def test_the_sponsor_sees_meetings_and_the_months_missed(client, sponsor, participant, meetings):
    client.force_login(sponsor)

    response = client.get(reverse("hps:sponsor_participant", kwargs={"pk": participant.pk}))

    assert response.context["progress"].missed_sponsor_months == [
        datetime.date(2027, 5, 1),
        datetime.date(2027, 7, 1),
        datetime.date(2027, 8, 1),
    ]
    content = response.content.decode()
    for month in ("<li>May 2027</li>", "<li>July 2027</li>", "<li>August 2027</li>"):
        assert month in content
    assert "Talked about the Keele secondment" in content
    assert "Confirmed by Amara Osei" in content
    assert "Waiting for Amara Osei" in content
    confirm_url = reverse("hps:sponsor_meeting_confirm", kwargs={"pk": meetings["june"].pk})
    assert f'action="{confirm_url}"' in content
    for own in ("march", "april"):
        assert reverse("hps:sponsor_meeting_confirm", kwargs={"pk": meetings[own].pk}) not in content


SPONSOR_PAGE_QUERIES = 20


@pytest.mark.parametrize("count", [1, 6])
def test_the_participant_page_query_count_does_not_grow(
    client, django_assert_num_queries, sponsor, participant, count
):
    dimensions = list(LeadershipDimension.objects.all()[:2])
    for index in range(count):
        day = SCHEME_STARTS_ON + datetime.timedelta(days=index * 25)
        SponsorMeetingFactory(participant=participant, held_on=day, confirmed=True)
        CoachingSessionFactory(participant=participant, held_on=day)
        experience = KeyExperienceFactory(participant=participant, starts_on=day)
        LearningLogEntryFactory(
            participant=participant,
            written_on=day,
            is_shared_with_sponsor=True,
            key_experience=experience,
            leadership_dimensions=dimensions,
        )
    client.force_login(sponsor)

    with django_assert_num_queries(SPONSOR_PAGE_QUERIES):
        response = client.get(reverse("hps:sponsor_participant", kwargs={"pk": participant.pk}))

    assert len(response.context["log_entries"]) == count


# --- Logging and confirming meetings ------------------------------------------------------------


def test_the_sponsor_logs_a_meeting_and_the_participant_is_asked_to_confirm_it(client, sponsor, participant):
    client.force_login(sponsor)

    response = client.post(reverse("hps:sponsor_meeting_add", kwargs={"pk": participant.pk}), _meeting_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("hps:sponsor_participant", kwargs={"pk": participant.pk})
    meeting = SponsorMeeting.objects.get(participant=participant)
    assert (meeting.held_on, meeting.notes, meeting.logged_by, meeting.confirmed_at) == (
        datetime.date(2027, 9, 12),
        "Planned the next key experience",
        sponsor,
        None,
    )
    assert AuditEvent.objects.filter(verb="sponsor_meeting_log", actor=sponsor).count() == 1
    notification = Notification.objects.get(recipient=participant.user)
    assert notification.title == "Confirm the sponsor meeting of 12 September 2027"
    page = client.get(response["Location"]).content.decode()
    assert "Meeting of 12 September 2027 logged. We have asked Amara Osei to confirm it." in page


@pytest.mark.parametrize(
    ("data", "expected_errors"),
    [
        (_meeting_data(day="", month="", year=""), {"held_on": ["Enter the date of the meeting"]}),
        (_meeting_data(year=""), {"held_on": ["Date of the meeting must include a year"]}),
        (_meeting_data(day="31", month="9"), {"held_on": ["Date of the meeting must be a real date"]}),
        (_meeting_data(day="16"), {"held_on": ["Date must be today or in the past"]}),
        (
            _meeting_data(day="28", month="2"),
            {"held_on": ["Date must be within the scheme: 1 March 2027 to 28 February 2029"]},
        ),
        (
            _meeting_data(day="10", month="3"),
            {
                "held_on": [
                    "A meeting on 10 March 2027 is already logged. Confirm it rather than logging it again"
                ]
            },
        ),
        (_meeting_data(notes="x" * 10_001), {"notes": ["Notes must be 10,000 characters or fewer"]}),
    ],
)
def test_a_meeting_that_breaks_a_rule_is_refused_with_a_clear_message(
    client, sponsor, participant, meetings, data, expected_errors
):
    client.force_login(sponsor)
    before = _state()

    response = client.post(reverse("hps:sponsor_meeting_add", kwargs={"pk": participant.pk}), data)

    assert response.status_code == 200
    assert _errors(response) == expected_errors
    assert "<title>Error: Log a sponsor meeting" in response.content.decode()
    assert _state() == before


def test_the_sponsor_confirms_a_meeting_the_participant_logged(client, sponsor, meetings):
    client.force_login(sponsor)
    meeting = meetings["june"]

    response = client.post(reverse("hps:sponsor_meeting_confirm", kwargs={"pk": meeting.pk}))

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.confirmed_by == sponsor
    assert meeting.confirmed_at == NOW
    assert AuditEvent.objects.filter(verb="sponsor_meeting_confirm", actor=sponsor).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Meeting of 14 June 2027 confirmed" in page


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("april", "You logged this meeting, so the other person needs to confirm it"),
        ("march", "This meeting has already been confirmed"),
    ],
)
def test_the_sponsor_cannot_confirm_their_own_meeting_or_confirm_twice(
    client, sponsor, participant, meetings, which, message
):
    client.force_login(sponsor)
    before = _state()

    response = client.post(reverse("hps:sponsor_meeting_confirm", kwargs={"pk": meetings[which].pk}))

    assert response["Location"] == reverse("hps:sponsor_participant", kwargs={"pk": participant.pk})
    assert _state() == before
    assert message in client.get(response["Location"]).content.decode()


def test_the_scheme_home_page_leads_a_sponsor_to_their_participants(client, db):
    participant = ParticipantFactory()
    client.force_login(participant.sponsor)

    content = client.get(reverse("hps:home")).content.decode()

    assert f'href="{reverse("hps:sponsor_participants")}"' in content
