"""The career coach's pages and services: their participants, session logs, and private notes."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditEvent, Notification
from hps import coaching_services
from hps.models import CoachingSession, Participant
from tests.hps.conftest import SCHEME_STARTS_ON
from tests.hps.factories import (
    CoachFactory,
    CoachingSessionFactory,
    KeyExperienceFactory,
    LearningLogEntryFactory,
    ParticipantFactory,
    SponsorMeetingFactory,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 9, 15, 10, 30, tzinfo=LONDON)
TODAY = NOW.date()

#: Words that appear only in coaching notes and agreed actions: no page but the coach's may show them.
PRIVATE_NOTE = "Confided worries about the Larkspur restructure"
PRIVATE_ACTION = "Rehearse the Quillfeather conversation with the director"

NOTES_LABEL = "Only you and Amara Osei can see these notes."


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def other_coach(db):
    return CoachFactory(email="other.coach@nhs.test", first_name="Oluwaseun", last_name="Adeyemi")


@pytest.fixture
def session(participant):
    return CoachingSessionFactory(
        participant=participant,
        held_on=datetime.date(2027, 4, 17),
        duration_minutes=90,
        notes=PRIVATE_NOTE,
        agreed_actions=PRIVATE_ACTION,
    )


def _state():
    """Everything the coach's pages can change, to check that a refused request changed nothing."""
    return (
        list(CoachingSession.objects.order_by("pk").values()),
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


def _session_data(**overrides) -> dict:
    data = {
        "held_on-day": "10",
        "held_on-month": "9",
        "held_on-year": "2027",
        "duration_minutes": "90",
        "notes": PRIVATE_NOTE,
        "agreed_actions": PRIVATE_ACTION,
    }
    data.update(overrides)
    return data


#: Everyone but the participant's coach. The participant may read their notes, but not on these pages.
REFUSED = ["anonymous", "participant_user", "sponsor", "other_coach", "administrator", "stranger"]


# --- Who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", REFUSED)
def test_only_the_participants_coach_reaches_their_pages(client, request, role, participant, session):
    _sign_in(client, request, role)
    before = _state()

    page = reverse("hps:coach_participant", kwargs={"pk": participant.pk})
    forms = [
        reverse("hps:coach_session_add", kwargs={"pk": participant.pk}),
        reverse("hps:coach_session_edit", kwargs={"pk": session.pk}),
    ]
    for url in [page, *forms]:
        _assert_refused(client.get(url), role)
    for url in forms:
        _assert_refused(client.post(url, _session_data(notes="Overwritten")), role)

    assert _state() == before


@pytest.mark.parametrize("role", ["anonymous", "participant_user", "sponsor", "administrator", "stranger"])
def test_people_who_are_not_coaches_cannot_see_the_coach_list(client, request, role, participant):
    _sign_in(client, request, role)

    _assert_refused(client.get(reverse("hps:coach_participants")), role)


def test_another_coach_does_not_see_someone_elses_participants(client, other_coach, participant):
    client.force_login(other_coach)

    response = client.get(reverse("hps:coach_participants"))

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Amara Osei" not in response.content.decode()
    assert "You are not the career coach for any participants yet." in response.content.decode()


def test_the_coach_reaches_every_page(client, coach, participant, session):
    client.force_login(coach)

    for url in [
        reverse("hps:coach_participants"),
        reverse("hps:coach_participant", kwargs={"pk": participant.pk}),
        reverse("hps:coach_session_add", kwargs={"pk": participant.pk}),
        reverse("hps:coach_session_edit", kwargs={"pk": session.pk}),
    ]:
        assert client.get(url).status_code == 200, url


def test_a_former_coach_cannot_change_their_old_sessions(client, coach, other_coach, participant, session):
    participant.coach = other_coach
    participant.save()
    client.force_login(coach)
    before = _state()

    response = client.post(
        reverse("hps:coach_session_edit", kwargs={"pk": session.pk}), _session_data(notes="Changed")
    )

    assert response.status_code == 404
    assert _state() == before


def test_the_new_coach_sees_but_cannot_change_the_former_coachs_sessions(
    client, coach, other_coach, participant, session
):
    participant.coach = other_coach
    participant.save()
    client.force_login(other_coach)

    page = client.get(reverse("hps:coach_participant", kwargs={"pk": participant.pk}))
    edit = client.get(reverse("hps:coach_session_edit", kwargs={"pk": session.pk}))

    content = page.content.decode()
    assert PRIVATE_NOTE in content
    assert reverse("hps:coach_session_edit", kwargs={"pk": session.pk}) not in content
    assert edit.status_code == 404


# --- The coach's list ---------------------------------------------------------------------------


def test_the_list_shows_sessions_against_the_target_and_time_since_the_last(client, coach, participant):
    for held_on in (datetime.date(2027, 3, 20), datetime.date(2027, 5, 3), datetime.date(2027, 5, 20)):
        CoachingSessionFactory(participant=participant, held_on=held_on)
    paused = ParticipantFactory(
        coach=coach, user__first_name="Bea", user__last_name="Nowak", status=Participant.Status.PAUSED
    )
    client.force_login(coach)

    response = client.get(reverse("hps:coach_participants"))

    rows = {row.participant.pk: row for row in response.context["rows"]}
    assert rows[participant.pk].sessions_summary == "3 of 6 to 8"
    assert rows[participant.pk].last_session_on == datetime.date(2027, 5, 20)
    assert rows[participant.pk].months_since_last_session == 3
    assert rows[participant.pk].is_session_overdue is False
    assert rows[paused.pk].sessions_summary == "0 of 6 to 8"
    assert rows[paused.pk].last_session_on is None
    assert rows[paused.pk].months_since_last_session is None
    content = response.content.decode()
    assert "20 May 2027" in content
    assert "3 months" in content
    assert "No sessions yet" in content
    assert '<strong class="nhsuk-tag nhsuk-tag--yellow">Paused</strong>' in content
    assert '<strong class="nhsuk-tag nhsuk-tag--blue">Active</strong>' in content


def test_an_active_participant_without_a_session_for_4_months_is_flagged(client, coach, participant):
    CoachingSessionFactory(participant=participant, held_on=datetime.date(2027, 5, 15))
    client.force_login(coach)

    response = client.get(reverse("hps:coach_participants"))

    (row,) = response.context["rows"]
    assert row.months_since_last_session == 4
    assert row.is_session_overdue is True
    assert "Session due" in response.content.decode()


def test_the_list_never_shows_coaching_notes(client, coach, session):
    client.force_login(coach)

    content = client.get(reverse("hps:coach_participants")).content.decode()

    assert PRIVATE_NOTE not in content
    assert PRIVATE_ACTION not in content


COACH_LIST_QUERIES = 8


@pytest.mark.parametrize("count", [2, 20])
def test_the_coach_list_query_count_does_not_grow(client, django_assert_num_queries, coach, cohort, count):
    for _ in range(count):
        participant = ParticipantFactory(coach=coach, cohort=cohort)
        CoachingSessionFactory.create_batch(2, participant=participant)
    client.force_login(coach)

    with django_assert_num_queries(COACH_LIST_QUERIES):
        response = client.get(reverse("hps:coach_participants"))

    assert len(response.context["rows"]) == count


# --- The participant's page for the coach -------------------------------------------------------


def test_the_coach_sees_the_plan_experiences_and_sessions_with_notes(client, coach, participant, session):
    plan = participant.career_development_plan
    plan.aspirations = "To lead a whole nursing service"
    plan.save()
    KeyExperienceFactory(
        participant=participant,
        host_organisation="University Hospitals of North Midlands NHS Trust",
        reflection="I learnt to let the team lead.",
    )
    client.force_login(coach)

    response = client.get(reverse("hps:coach_participant", kwargs={"pk": participant.pk}))

    content = response.content.decode()
    assert PRIVATE_NOTE in content
    assert PRIVATE_ACTION in content
    assert "17 April 2027" in content
    assert "90 minutes" in content
    assert "1 of 6 to 8" in content
    assert "To lead a whole nursing service" in content
    assert "Project at University Hospitals of North Midlands NHS Trust" in content
    assert "I learnt to let the team lead." in content
    assert "1 March 2027 to 28 February 2029" in content
    assert AuditEvent.objects.filter(
        verb="participant_view_as_coach", actor=coach, object_id=str(participant.pk)
    ).exists()


def test_the_coach_does_not_see_the_private_learning_log(client, coach, participant):
    LearningLogEntryFactory(participant=participant, text="A private reflection about Zanzibar")
    client.force_login(coach)

    content = client.get(reverse("hps:coach_participant", kwargs={"pk": participant.pk})).content.decode()

    assert "Zanzibar" not in content


COACH_PARTICIPANT_QUERIES = 12


@pytest.mark.parametrize("count", [1, 8])
def test_the_participant_page_query_count_does_not_grow(
    client, django_assert_num_queries, coach, participant, count
):
    for day in range(count):
        CoachingSessionFactory(
            participant=participant, held_on=SCHEME_STARTS_ON + datetime.timedelta(days=day * 20)
        )
        KeyExperienceFactory(participant=participant)
    client.force_login(coach)

    with django_assert_num_queries(COACH_PARTICIPANT_QUERIES):
        response = client.get(reverse("hps:coach_participant", kwargs={"pk": participant.pk}))

    assert len(response.context["sessions"]) == count


# --- Logging and changing a session -------------------------------------------------------------


def test_the_coach_logs_a_session_and_the_participant_is_told_without_the_notes(
    client, coach, participant, django_capture_on_commit_callbacks
):
    client.force_login(coach)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("hps:coach_session_add", kwargs={"pk": participant.pk}), _session_data()
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("hps:coach_participant", kwargs={"pk": participant.pk})
    session = CoachingSession.objects.get(participant=participant)
    assert (session.coach, session.held_on, session.duration_minutes) == (
        coach,
        datetime.date(2027, 9, 10),
        90,
    )
    assert (session.notes, session.agreed_actions) == (PRIVATE_NOTE, PRIVATE_ACTION)
    event = AuditEvent.objects.get(verb="coaching_session_log")
    assert event.actor == coach
    assert event.after == {
        "participant": participant.pk,
        "coach": coach.pk,
        "held_on": "2027-09-10",
        "duration_minutes": 90,
        "has_notes": True,
        "has_agreed_actions": True,
    }
    notification = Notification.objects.get(recipient=participant.user)
    assert notification.title == f"{coach} logged your coaching session of 10 September 2027"
    assert PRIVATE_NOTE not in notification.body
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amara.osei@nhs.test"]
    assert PRIVATE_NOTE not in mail.outbox[0].body
    assert PRIVATE_ACTION not in mail.outbox[0].body


def test_the_session_form_says_who_can_see_the_notes(client, coach, participant):
    client.force_login(coach)

    response = client.get(reverse("hps:coach_session_add", kwargs={"pk": participant.pk}))

    assert NOTES_LABEL in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "expected_errors"),
    [
        (
            {"held_on-day": "", "held_on-month": "", "held_on-year": "", "duration_minutes": ""},
            {
                "held_on": ["Enter the date of the session"],
                "duration_minutes": ["Enter how long the session lasted, in minutes"],
            },
        ),
        (
            {"duration_minutes": "121"},
            {"duration_minutes": ["A coaching session can last up to 120 minutes (2 hours)"]},
        ),
        ({"duration_minutes": "0"}, {"duration_minutes": ["A coaching session must last at least 1 minute"]}),
        (
            {"duration_minutes": "ninety"},
            {"duration_minutes": ["Length of the session must be a whole number of minutes, like 90"]},
        ),
        ({"held_on-month": ""}, {"held_on": ["Date of the session must include a month"]}),
        (
            {"held_on-day": "31", "held_on-month": "9"},
            {"held_on": ["Date of the session must be a real date"]},
        ),
        ({"held_on-year": "27"}, {"held_on": ["Year must include 4 numbers"]}),
        ({"held_on-day": "16"}, {"held_on": ["Date of the session must be today or in the past"]}),
        (
            {"held_on-day": "28", "held_on-month": "2"},
            {"held_on": ["Date of the session must be within the scheme: 1 March 2027 to 28 February 2029"]},
        ),
        ({"notes": "x" * 10_001}, {"notes": ["Notes must be 10,000 characters or fewer"]}),
    ],
)
def test_a_session_that_breaks_a_rule_is_refused_with_a_clear_message(
    client, coach, participant, overrides, expected_errors
):
    client.force_login(coach)
    before = _state()

    response = client.post(
        reverse("hps:coach_session_add", kwargs={"pk": participant.pk}), _session_data(**overrides)
    )

    assert response.status_code == 200
    assert _errors(response) == expected_errors
    assert "<title>Error: Log a coaching session" in response.content.decode()
    assert _state() == before


def test_the_session_can_be_on_the_schemes_first_day_and_today(client, coach, participant):
    client.force_login(coach)
    url = reverse("hps:coach_session_add", kwargs={"pk": participant.pk})

    first = client.post(url, _session_data(**{"held_on-day": "1", "held_on-month": "3"}))
    today = client.post(url, _session_data(**{"held_on-day": "15"}))

    assert (first.status_code, today.status_code) == (302, 302)
    assert sorted(CoachingSession.objects.values_list("held_on", flat=True)) == [SCHEME_STARTS_ON, TODAY]


def test_the_coach_changes_their_session_and_the_audit_names_the_fields_not_the_text(
    client, coach, participant, session
):
    client.force_login(coach)

    response = client.post(
        reverse("hps:coach_session_edit", kwargs={"pk": session.pk}),
        _session_data(
            **{"held_on-day": "17", "held_on-month": "4", "duration_minutes": "90"},
            notes="Now about the Halberd programme",
        ),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.notes == "Now about the Halberd programme"
    event = AuditEvent.objects.get(verb="coaching_session_update")
    assert event.after["changed_fields"] == ["notes"]
    assert event.before["has_notes"] is True
    assert "Halberd" not in str(event.before) + str(event.after) + event.object_repr
    assert PRIVATE_NOTE not in str(event.before) + str(event.after)


def test_saving_a_session_unchanged_writes_no_audit_event(client, coach, participant, session):
    client.force_login(coach)

    response = client.post(
        reverse("hps:coach_session_edit", kwargs={"pk": session.pk}),
        _session_data(**{"held_on-day": "17", "held_on-month": "4"}),
    )

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(verb="coaching_session_update").exists()


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (
            Participant.Status.WITHDRAWN,
            "Amara Osei has withdrawn from the scheme, so you cannot log or change sessions",
        ),
        (
            Participant.Status.COMPLETED,
            "Amara Osei has completed the scheme, so you cannot log or change sessions",
        ),
    ],
)
def test_no_session_is_logged_or_changed_once_the_participant_has_left(
    client, coach, participant, session, status, message
):
    participant.status = status
    participant.save()
    client.force_login(coach)
    before = _state()

    add = client.post(reverse("hps:coach_session_add", kwargs={"pk": participant.pk}), _session_data())
    edit = client.post(
        reverse("hps:coach_session_edit", kwargs={"pk": session.pk}), _session_data(notes="Changed")
    )

    assert (
        add["Location"] == edit["Location"] == reverse("hps:coach_participant", kwargs={"pk": participant.pk})
    )
    assert _state() == before
    page = client.get(add["Location"]).content.decode()
    assert message in page
    assert reverse("hps:coach_session_add", kwargs={"pk": participant.pk}) not in page
    with pytest.raises(ValidationError) as error:
        coaching_services.coaching_session_log(
            participant=participant, by=coach, held_on=TODAY, duration_minutes=60, notes="", agreed_actions=""
        )
    assert error.value.messages == [message]


# --- The services on their own ------------------------------------------------------------------


def test_the_service_refuses_a_session_over_2_hours_whatever_the_caller(coach, participant):
    with pytest.raises(ValidationError) as error:
        coaching_services.coaching_session_log(
            participant=participant,
            by=coach,
            held_on=TODAY,
            duration_minutes=121,
            notes="",
            agreed_actions="",
        )

    assert error.value.message_dict == {
        "duration_minutes": ["A coaching session can last up to 120 minutes (2 hours)"]
    }
    assert not CoachingSession.objects.exists()


def test_only_the_participants_coach_can_log_a_session(other_coach, participant):
    with pytest.raises(PermissionDenied):
        coaching_services.coaching_session_log(
            participant=participant,
            by=other_coach,
            held_on=TODAY,
            duration_minutes=60,
            notes="",
            agreed_actions="",
        )

    assert not CoachingSession.objects.exists()


# --- Coaching notes reach nobody else -----------------------------------------------------------


def test_the_sponsors_page_never_shows_coaching_notes_or_dates(client, sponsor, participant, session):
    client.force_login(sponsor)

    response = client.get(reverse("hps:sponsor_participant", kwargs={"pk": participant.pk}))

    assert response.status_code == 200
    content = response.content.decode()
    assert PRIVATE_NOTE not in content
    assert PRIVATE_ACTION not in content
    assert "17 April 2027" not in content
    assert "1 of 6 to 8" in content


def _administrator_pages(participant) -> list[str]:
    """The HPS administrator's pages about the participant: they show that sessions happened, no more."""
    return [
        reverse("hps:admin_participant", kwargs={"pk": participant.pk}),
        reverse("hps:cohort_progress", kwargs={"pk": participant.cohort_id}),
        reverse("hps:cohort_progress_export", kwargs={"pk": participant.cohort_id}),
    ]


def test_no_other_role_or_record_ever_holds_the_coaching_notes(
    client, coach, administrator, sponsor, participant, django_capture_on_commit_callbacks
):
    client.force_login(coach)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("hps:coach_session_add", kwargs={"pk": participant.pk}), _session_data())
    SponsorMeetingFactory(participant=participant)
    pages = [(sponsor, reverse("hps:sponsor_participant", kwargs={"pk": participant.pk}))]
    pages += [(administrator, url) for url in _administrator_pages(participant)]

    for user, url in pages:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response).decode()
        assert PRIVATE_NOTE not in content, url
        assert PRIVATE_ACTION not in content, url

    audit_rows = str(list(AuditEvent.objects.values()))
    notification_rows = str(list(Notification.objects.values()))
    emails = " ".join(message.subject + message.body for message in mail.outbox)
    for text in (PRIVATE_NOTE, PRIVATE_ACTION):
        assert text not in audit_rows
        assert text not in notification_rows
        assert text not in emails
