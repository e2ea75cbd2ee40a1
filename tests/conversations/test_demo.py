import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Min

from accounts.demo import seed_demo
from accounts.models import StaffProfile, User
from conversations.demo import seed_conversation_history
from conversations.models import (
    ActionProgressUpdate,
    Conversation,
    ConversationRecord,
    DevelopmentAction,
    FacilitatorRole,
    FrameworkVersion,
    ImpactLevel,
)
from conversations.reminders import ACTION_DUE_SOON_DAYS, OPEN_ACTION_STATUSES
from conversations.selectors import TeamDueness, TeamStatus, team_with_status
from core.models import AuditEvent
from tests.accounts.factories import StaffProfileFactory
from tests.conversations.factories import ConversationFactory

TODAY = datetime.date(2027, 3, 15)
NOW = datetime.datetime(2027, 3, 15, 9, 0, tzinfo=ZoneInfo("Europe/London"))
SIGN_IN_EMAILS = [
    "individual@demo.nhs.test",
    "line.manager@demo.nhs.test",
    "talent.lead@demo.nhs.test",
    "hps.applicant@demo.nhs.test",
    "sponsor@demo.nhs.test",
    "coach@demo.nhs.test",
    "hps.admin@demo.nhs.test",
    "admin@demo.nhs.test",
]
HISTORY_LINE = (
    "Career conversation history: 265 conversations (259 record versions, 713 development actions) "
    "created for 168 people; 0 people left as they were because they already have conversations."
)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def demo_people(db, settings):
    """The demo organisations and staff, without any conversation history yet."""
    settings.DEMO_MODE = True
    seed_demo(with_demo_password=True)


def seed() -> str:
    output = StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def row_counts() -> dict[str, int]:
    return {
        "conversations": Conversation.objects.count(),
        "records": ConversationRecord.objects.count(),
        "actions": DevelopmentAction.objects.count(),
        "progress_updates": ActionProgressUpdate.objects.count(),
        "people_with_history": Conversation.objects.values("individual").distinct().count(),
    }


def history_rows() -> list[tuple]:
    return list(
        ConversationRecord.objects.order_by(
            "conversation__individual__email", "conversation__planned_for", "version"
        ).values_list(
            "conversation__individual__email",
            "conversation__status",
            "conversation__planned_for",
            "version",
            "held_on",
            "recorded_at",
            "individual_response",
            "readiness",
            "current_impact_level__order",
            "target_impact_level__order",
            "next_conversation_due",
        )
    )


def test_seeding_gives_the_history_once_and_a_second_run_creates_nothing(db, settings):
    settings.DEMO_MODE = True

    first_output = seed()
    counts_after_first_run = row_counts()
    rows_after_first_run = history_rows()
    second_output = seed()

    expected_counts = {
        "conversations": 265,
        "records": 259,
        "actions": 713,
        "progress_updates": 989,
        "people_with_history": 168,
    }
    assert counts_after_first_run == expected_counts
    assert row_counts() == expected_counts
    assert history_rows() == rows_after_first_run
    assert first_output.splitlines()[1] == HISTORY_LINE
    assert second_output.splitlines()[1] == (
        "Career conversation history: 0 conversations (0 record versions, 0 development actions) "
        "created for 0 people; 168 people left as they were because they already have conversations."
    )


def test_about_60_percent_of_staff_with_a_line_manager_get_a_history(demo_people):
    result = seed_conversation_history()

    eligible = (
        StaffProfile.objects.filter(line_manager__isnull=False)
        .exclude(user__email__in=SIGN_IN_EMAILS)
        .count()
    )
    assert (result.people_count, eligible) == (168, 284)
    assert Conversation.objects.values("individual").distinct().count() == 168
    assert Conversation.objects.filter(facilitator_role=FacilitatorRole.LINE_MANAGER).count() == 265
    assert set(Conversation.objects.values_list("status", flat=True)) == {
        Conversation.Status.PLANNED,
        Conversation.Status.AWAITING_AGREEMENT,
        Conversation.Status.NOT_AGREED,
        Conversation.Status.AGREED,
    }
    assert ConversationRecord.objects.filter(version=2).count() == 25


def test_the_same_history_is_seeded_again_after_it_is_deleted(demo_people):
    seed_conversation_history()
    rows = history_rows()
    Conversation.objects.all().delete()

    result = seed_conversation_history()

    assert result.conversation_count == 265
    assert history_rows() == rows


def test_the_demo_managers_team_shows_every_state(demo_people):
    seed_conversation_history()

    manager = User.objects.get(email="line.manager@demo.nhs.test")
    team = {
        profile.user.email: (profile.status, profile.dueness, profile.latest_planned_for, profile.next_due)
        for profile in team_with_status(manager=manager)
    }
    assert team == {
        "individual@demo.nhs.test": (TeamStatus.NOT_HAD_ONE, "", None, None),
        # Agreed a year ago: the next conversation is due within 30 days.
        "eilidh.begum@demo.nhs.test": (
            TeamStatus.AGREED,
            TeamDueness.DUE_SOON,
            datetime.date(2026, 3, 29),
            datetime.date(2027, 3, 29),
        ),
        # Agreed long ago: the next conversation is overdue.
        "megan.wood@demo.nhs.test": (
            TeamStatus.AGREED,
            TeamDueness.OVERDUE,
            datetime.date(2025, 12, 15),
            datetime.date(2026, 12, 15),
        ),
        # Recorded 10 days ago and waiting for the individual.
        "mei.mitchell@demo.nhs.test": (
            TeamStatus.AWAITING_AGREEMENT,
            "",
            datetime.date(2027, 3, 5),
            datetime.date(2028, 3, 5),
        ),
        "mohammed.clarke@demo.nhs.test": (
            TeamStatus.NOT_AGREED,
            "",
            datetime.date(2027, 2, 22),
            datetime.date(2028, 2, 22),
        ),
        # Planned for next week.
        "rebecca.baker@demo.nhs.test": (
            TeamStatus.PLANNED,
            "",
            datetime.date(2027, 3, 22),
            datetime.date(2027, 4, 19),
        ),
    }
    awaiting = ConversationRecord.objects.get(
        conversation__individual__email="mei.mitchell@demo.nhs.test",
        conversation__status=Conversation.Status.AWAITING_AGREEMENT,
    )
    assert awaiting.recorded_at.astimezone(NOW.tzinfo).date() == datetime.date(2027, 3, 5)
    not_agreed = ConversationRecord.objects.get(
        conversation__individual__email="mohammed.clarke@demo.nhs.test"
    )
    assert not_agreed.individual_response == ConversationRecord.Response.NOT_AGREED
    assert not_agreed.individual_comment != ""
    open_actions = DevelopmentAction.objects.filter(
        individual__staff_profile__line_manager=manager, status__in=OPEN_ACTION_STATUSES
    )
    due_soon = open_actions.filter(
        due_on__gte=TODAY, due_on__lte=TODAY + datetime.timedelta(days=ACTION_DUE_SOON_DAYS)
    )
    overdue = open_actions.filter(due_on__lt=TODAY)
    assert list(due_soon.values_list("individual__email", "due_on")) == [
        ("eilidh.begum@demo.nhs.test", datetime.date(2027, 3, 22))
    ]
    assert list(overdue.values_list("individual__email", "due_on")) == [
        ("megan.wood@demo.nhs.test", datetime.date(2027, 2, 22))
    ]
    # Amended after the individual disagreed: the history keeps both versions.
    assert list(
        ConversationRecord.objects.filter(
            conversation__individual__email="eilidh.begum@demo.nhs.test",
            conversation__planned_for=datetime.date(2026, 3, 29),
        )
        .order_by("version")
        .values_list("version", "individual_response")
    ) == [(1, ConversationRecord.Response.NOT_AGREED), (2, ConversationRecord.Response.AGREED)]


def test_the_demo_sign_ins_get_no_history(demo_people):
    seed_conversation_history()

    assert not Conversation.objects.filter(individual__email__in=SIGN_IN_EMAILS).exists()
    assert Conversation.objects.filter(facilitator__email="line.manager@demo.nhs.test").count() == 7


def test_seeded_records_and_plans_are_consistent(demo_people):
    seed_conversation_history()

    now = datetime.datetime.now(tz=datetime.UTC)
    records = ConversationRecord.objects.select_related(
        "conversation__individual__staff_profile", "current_impact_level", "target_impact_level"
    )
    for record in records:
        conversation = record.conversation
        assert record.framework_version == FrameworkVersion.objects.in_force(on=record.held_on)
        assert record.current_impact_level.framework_version_id == record.framework_version_id
        assert record.target_impact_level.framework_version_id == record.framework_version_id
        assert record.target_impact_level.order >= record.current_impact_level.order
        assert record.held_on == conversation.planned_for
        assert record.next_conversation_due > record.held_on
        assert conversation.created_at.date() < record.held_on <= record.recorded_at.date()
        assert record.recorded_at < now
        assert record.recorded_by_id == conversation.facilitator_id
        assert record.strengths
        assert record.aspirations
        if record.individual_responded_at is not None:
            assert record.recorded_at < record.individual_responded_at < now
        assert sorted(item["id"] for item in record.plan_snapshot) == sorted(
            conversation.actions.values_list("pk", flat=True)
        )
    for conversation in Conversation.objects.select_related("individual__staff_profile"):
        profile = conversation.individual.staff_profile
        assert conversation.facilitator_id == profile.line_manager_id
        assert profile.line_manager_since < conversation.planned_for
        assert conversation.updated_at < now
        versions = list(conversation.records.order_by("version"))
        assert [record.version for record in versions] == list(range(1, len(versions) + 1))
        if conversation.status == Conversation.Status.PLANNED:
            assert (versions, conversation.actions.exists()) == ([], False)
            assert conversation.planned_for > TODAY
            continue
        latest = versions[-1]
        expected_response = {
            Conversation.Status.AGREED: ConversationRecord.Response.AGREED,
            Conversation.Status.AWAITING_AGREEMENT: ConversationRecord.Response.PENDING,
            Conversation.Status.NOT_AGREED: ConversationRecord.Response.NOT_AGREED,
        }[conversation.status]
        assert latest.individual_response == expected_response
        assert conversation.agreed_at == (
            latest.individual_responded_at if conversation.status == Conversation.Status.AGREED else None
        )
        assert all(record.individual_response != "pending" for record in versions[:-1])
        assert all(
            record.individual_comment for record in versions if record.individual_response == "not_agreed"
        )
        assert all(record.change_reason for record in versions[1:])
    held_on = dict(
        ConversationRecord.objects.values("conversation")
        .annotate(held_on=Min("held_on"))
        .values_list("conversation", "held_on")
    )
    for action in DevelopmentAction.objects.select_related("conversation"):
        assert action.due_on > held_on[action.conversation_id]
        assert action.individual_id == action.conversation.individual_id
        assert action.created_at < now
        for update in action.progress_updates.all():
            assert action.created_at < update.created_at < now
            assert update.created_by_id == action.individual_id
    assert not ImpactLevel.objects.exclude(framework_version__in=FrameworkVersion.objects.all()).exists()


def test_people_who_already_have_a_conversation_are_left_alone(demo_people):
    manager = User.objects.get(email="line.manager@demo.nhs.test")
    recorded_live = ConversationFactory(
        individual=User.objects.get(email="eilidh.begum@demo.nhs.test"),
        facilitator=manager,
        planned_for=TODAY,
    )
    StaffProfile.objects.filter(user__email="eilidh.begum@demo.nhs.test").update(line_manager_since=None)

    result = seed_conversation_history()

    assert (result.people_count, result.skipped_people_count) == (167, 1)
    assert list(Conversation.objects.filter(individual__email="eilidh.begum@demo.nhs.test")) == [
        recorded_live
    ]
    assert StaffProfile.objects.get(user__email="eilidh.begum@demo.nhs.test").line_manager_since is None


def test_only_demo_accounts_get_a_history(demo_people):
    manager = StaffProfileFactory(user__email="real.manager@nhs.test").user
    StaffProfileFactory(user__email="real.person@nhs.test", line_manager=manager)

    seed_conversation_history()

    assert not Conversation.objects.exclude(individual__email__endswith="@demo.nhs.test").exists()
    assert not Conversation.objects.exclude(facilitator__email__endswith="@demo.nhs.test").exists()


def test_a_line_manager_since_date_already_set_is_kept(demo_people):
    StaffProfile.objects.filter(user__email="megan.wood@demo.nhs.test").update(
        line_manager_since=datetime.date(2019, 4, 1)
    )

    seed_conversation_history()

    assert StaffProfile.objects.get(user__email="megan.wood@demo.nhs.test").line_manager_since == (
        datetime.date(2019, 4, 1)
    )


def test_seeding_writes_no_audit_events(demo_people):
    events_before = AuditEvent.objects.count()

    seed_conversation_history()

    assert AuditEvent.objects.count() == events_before


def test_seeding_refuses_without_a_framework_version(db, settings):
    settings.DEMO_MODE = True
    ImpactLevel.objects.all().delete()

    with pytest.raises(CommandError) as error:
        seed()

    assert str(error.value) == (
        "Reference data is missing (a Scope for Growth framework version with impact levels). "
        "Run `python manage.py migrate` to load it, then run seed_demo again."
    )
    assert not Conversation.objects.exists()
