"""Services for the facilitator's side: planning, preparation notes and recording versions."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Role, Scope
from conversations.models import (
    Ambition,
    AspirationTimeframe,
    BarrierType,
    Conversation,
    ConversationRecord,
    DevelopmentAction,
    FacilitatorRole,
    FrameworkVersion,
    GrowthCategory,
    ImpactLevel,
    LeadershipDimension,
    Readiness,
)
from conversations.services import (
    ActionData,
    RecordData,
    conversation_plan,
    conversation_preparation_update,
    conversation_record,
    default_next_conversation_due,
)
from core.models import AuditEvent, Notification
from tests.accounts.factories import RoleAssignmentFactory, StaffProfileFactory, UserFactory
from tests.conversations.factories import (
    ActionProgressUpdateFactory,
    ConversationFactory,
    ConversationRecordFactory,
    DevelopmentActionFactory,
    impact_levels,
)

NOW = datetime.datetime(2026, 11, 27, 12, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 11, 27)
HELD_ON = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def conversation(line_manager, individual):
    return ConversationFactory(individual=individual, facilitator=line_manager, planned_for=HELD_ON)


def _record_data(**overrides) -> RecordData:
    levels = impact_levels()
    values = {
        "held_on": HELD_ON,
        "wellbeing_discussed": True,
        "support_signposted": False,
        "strengths": "  Calm under pressure  ",
        "ambition_depth": Ambition.SOME,
        "ambition_breadth": Ambition.NOT_NOW,
        "ambition_stretch": Ambition.STRONG,
        "aspirations": "Lead a ward",
        "aspiration_timeframe": AspirationTimeframe.ONE_TO_TWO_YEARS,
        "current_impact_level": levels[0],
        "current_growth_category": GrowthCategory.DEPTH,
        "target_impact_level": levels[1],
        "target_growth_category": GrowthCategory.STRETCH,
        "readiness": Readiness.ONE_TO_TWO_YEARS,
        "next_conversation_due": datetime.date(2027, 11, 20),
        "strength_dimensions": list(LeadershipDimension.objects.filter(code="LEADING_WITH_CARE")),
        "barriers": list(BarrierType.objects.filter(code="WORKLOAD_TIME")),
        "barrier_notes": "Short staffed on nights",
        "organisation_support": "Backfill for study days",
    }
    values.update(overrides)
    return RecordData(**values)


def _action(**overrides) -> ActionData:
    values = {
        "description": "Shadow the matron",
        "action_type": DevelopmentAction.ActionType.EXPOSURE,
        "owner": DevelopmentAction.Owner.INDIVIDUAL,
        "due_on": datetime.date(2027, 3, 31),
    }
    values.update(overrides)
    return ActionData(**values)


def _row_counts() -> tuple[int, int, int, int]:
    return (
        Conversation.objects.count(),
        ConversationRecord.objects.count(),
        DevelopmentAction.objects.count(),
        AuditEvent.objects.count(),
    )


# conversation_plan ------------------------------------------------------------------------------


def test_line_manager_plans_a_conversation_with_a_direct_report(
    line_manager, individual, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        conversation = conversation_plan(
            facilitator=line_manager,
            individual=individual,
            planned_for=datetime.date(2026, 12, 3),
            facilitator_role=FacilitatorRole.LINE_MANAGER,
        )

    conversation.refresh_from_db()
    assert conversation.individual == individual
    assert conversation.facilitator == line_manager
    assert conversation.facilitator_role == FacilitatorRole.LINE_MANAGER
    assert conversation.status == Conversation.Status.PLANNED
    assert conversation.planned_for == datetime.date(2026, 12, 3)
    event = AuditEvent.objects.get(verb="conversation_plan")
    assert event.actor == line_manager
    assert event.object_id == str(conversation.pk)
    assert event.after == {
        "individual": individual.pk,
        "facilitator": line_manager.pk,
        "facilitator_role": "line_manager",
        "planned_for": "2026-12-03",
    }
    notification = Notification.objects.get()
    assert notification.recipient == individual
    assert notification.event_key == f"conversation-planned:{conversation.pk}"
    assert notification.title == "A career conversation is planned for 3 December 2026"
    assert notification.url == f"/conversations/{conversation.pk}/"


@pytest.mark.parametrize(
    "who",
    ["someone_elses_report", "inactive_report", "previous_report"],
)
def test_line_manager_cannot_plan_for_someone_who_is_not_a_current_report(line_manager, individual, who):
    if who == "someone_elses_report":
        person = StaffProfileFactory().user
    elif who == "inactive_report":
        person = individual
        individual.staff_profile.is_active = False
        individual.staff_profile.save()
    else:
        person = individual
        individual.staff_profile.line_manager = StaffProfileFactory().user
        individual.staff_profile.save()
    before = _row_counts()

    with pytest.raises(ValidationError) as error:
        conversation_plan(
            facilitator=line_manager,
            individual=person,
            planned_for=datetime.date(2026, 12, 3),
            facilitator_role=FacilitatorRole.LINE_MANAGER,
        )

    assert error.value.messages == ["You can only plan conversations for people who report to you"]
    assert _row_counts() == before


def test_nobody_can_plan_their_own_conversation(line_manager):
    with pytest.raises(ValidationError) as error:
        conversation_plan(
            facilitator=line_manager,
            individual=line_manager,
            planned_for=datetime.date(2026, 12, 3),
            facilitator_role=FacilitatorRole.LINE_MANAGER,
        )

    assert error.value.messages == ["You cannot facilitate your own career conversation"]
    assert Conversation.objects.count() == 0


def test_a_coach_must_have_the_coach_role(individual):
    not_a_coach = UserFactory()

    with pytest.raises(ValidationError) as error:
        conversation_plan(
            facilitator=not_a_coach,
            individual=individual,
            planned_for=datetime.date(2026, 12, 3),
            facilitator_role=FacilitatorRole.COACH,
        )

    assert error.value.message_dict == {"coach": ["Select a coach from the list"]}
    assert Conversation.objects.count() == 0


def test_a_coach_with_the_role_can_facilitate_and_the_coach_is_notified(
    coach, individual, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        conversation = conversation_plan(
            facilitator=coach,
            individual=individual,
            planned_for=datetime.date(2026, 12, 3),
            facilitator_role=FacilitatorRole.COACH,
            requested_by_individual=True,
        )

    assert conversation.facilitator_role == FacilitatorRole.COACH
    assert conversation.requested_by_individual is True
    assert AuditEvent.objects.get(verb="conversation_plan").actor == individual
    assert Notification.objects.get().recipient == coach


def test_an_unknown_facilitator_role_is_refused(line_manager, individual):
    with pytest.raises(ValidationError) as error:
        conversation_plan(
            facilitator=line_manager,
            individual=individual,
            planned_for=datetime.date(2026, 12, 3),
            facilitator_role="mentor",
        )

    assert error.value.message_dict == {"facilitator_role": ["Select who will facilitate the conversation"]}


@pytest.mark.parametrize(
    "status",
    [Conversation.Status.PLANNED, Conversation.Status.AWAITING_AGREEMENT, Conversation.Status.NOT_AGREED],
)
def test_only_one_open_conversation_at_a_time(line_manager, individual, status):
    ConversationFactory(individual=individual, facilitator=line_manager, status=status)

    with pytest.raises(ValidationError) as error:
        conversation_plan(
            facilitator=line_manager,
            individual=individual,
            planned_for=datetime.date(2026, 12, 3),
            facilitator_role=FacilitatorRole.LINE_MANAGER,
        )

    assert error.value.messages == [f"{individual} already has a career conversation in progress"]
    assert Conversation.objects.count() == 1


@pytest.mark.parametrize("status", [Conversation.Status.AGREED, Conversation.Status.CANCELLED])
def test_a_new_conversation_can_follow_a_closed_one(line_manager, individual, status):
    ConversationFactory(individual=individual, facilitator=line_manager, status=status)

    conversation_plan(
        facilitator=line_manager,
        individual=individual,
        planned_for=datetime.date(2026, 12, 3),
        facilitator_role=FacilitatorRole.LINE_MANAGER,
    )

    assert Conversation.objects.filter(individual=individual, status=Conversation.Status.PLANNED).count() == 1


# conversation_preparation_update ----------------------------------------------------------------


def test_facilitator_writes_private_preparation_notes(conversation, line_manager):
    conversation_preparation_update(
        conversation=conversation, by=line_manager, text="Ask about the audit work"
    )

    conversation.refresh_from_db()
    assert conversation.facilitator_preparation == "Ask about the audit work"
    event = AuditEvent.objects.get(verb="conversation_preparation_update")
    assert event.actor == line_manager
    # The notes themselves stay out of the audit trail.
    assert event.before is None
    assert event.after is None


@pytest.mark.parametrize("who", ["individual", "stranger"])
def test_only_the_facilitator_writes_preparation_notes(request, conversation, who):
    with pytest.raises(ValidationError) as error:
        conversation_preparation_update(
            conversation=conversation, by=request.getfixturevalue(who), text="Sneaky"
        )

    assert error.value.messages == ["Only the facilitator can do this"]
    conversation.refresh_from_db()
    assert conversation.facilitator_preparation == ""
    assert AuditEvent.objects.count() == 0


def test_no_preparation_notes_on_a_cancelled_conversation(conversation, line_manager):
    conversation.status = Conversation.Status.CANCELLED
    conversation.save()

    with pytest.raises(ValidationError) as error:
        conversation_preparation_update(conversation=conversation, by=line_manager, text="Notes")

    assert error.value.messages == ["This conversation was cancelled"]


# conversation_record ----------------------------------------------------------------------------


def test_first_record_is_version_1_with_every_answer_and_the_plan(
    conversation, line_manager, individual, django_capture_on_commit_callbacks
):
    dimension = LeadershipDimension.objects.get(code="DEVELOPING_CAPABILITY")

    with django_capture_on_commit_callbacks(execute=True):
        record = conversation_record(
            conversation=conversation,
            by=line_manager,
            data=_record_data(),
            actions=[
                _action(leadership_dimension=dimension),
                _action(
                    description="Team leadership course",
                    action_type=DevelopmentAction.ActionType.EDUCATION,
                    owner=DevelopmentAction.Owner.ORGANISATION,
                    due_on=datetime.date(2027, 6, 30),
                ),
            ],
        )

    levels = impact_levels()
    record.refresh_from_db()
    assert record.version == 1
    assert record.held_on == HELD_ON
    assert record.wellbeing_discussed is True
    assert record.support_signposted is False
    assert record.strengths == "Calm under pressure"
    assert record.ambition_depth == Ambition.SOME
    assert record.ambition_breadth == Ambition.NOT_NOW
    assert record.ambition_stretch == Ambition.STRONG
    assert record.aspirations == "Lead a ward"
    assert record.aspiration_timeframe == AspirationTimeframe.ONE_TO_TWO_YEARS
    assert record.framework_version == FrameworkVersion.objects.get(effective_from=datetime.date(2021, 7, 1))
    assert record.current_impact_level == levels[0]
    assert record.current_growth_category == GrowthCategory.DEPTH
    assert record.target_impact_level == levels[1]
    assert record.target_growth_category == GrowthCategory.STRETCH
    assert record.readiness == Readiness.ONE_TO_TWO_YEARS
    assert record.next_conversation_due == datetime.date(2027, 11, 20)
    assert [d.code for d in record.strength_dimensions.all()] == ["LEADING_WITH_CARE"]
    assert [b.code for b in record.barriers.all()] == ["WORKLOAD_TIME"]
    assert record.barrier_notes == "Short staffed on nights"
    assert record.organisation_support == "Backfill for study days"
    assert record.recorded_by == line_manager
    assert record.change_reason == ""
    assert record.individual_response == ConversationRecord.Response.PENDING
    actions = list(conversation.actions.order_by("due_on"))
    assert [(a.description, a.action_type, a.owner, a.due_on, a.leadership_dimension) for a in actions] == [
        ("Shadow the matron", "exposure", "individual", datetime.date(2027, 3, 31), dimension),
        ("Team leadership course", "education", "organisation", datetime.date(2027, 6, 30), None),
    ]
    assert all(action.individual == individual for action in actions)
    assert record.plan_snapshot == [
        {
            "id": actions[0].pk,
            "description": "Shadow the matron",
            "action_type": "exposure",
            "owner": "individual",
            "due_on": "2027-03-31",
            "status": "not_started",
            "leadership_dimension": "DEVELOPING_CAPABILITY",
        },
        {
            "id": actions[1].pk,
            "description": "Team leadership course",
            "action_type": "education",
            "owner": "organisation",
            "due_on": "2027-06-30",
            "status": "not_started",
            "leadership_dimension": None,
        },
    ]
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.AWAITING_AGREEMENT
    event = AuditEvent.objects.get(verb="conversation_record")
    assert (event.actor, event.action, event.object_id) == (line_manager, "create", str(record.pk))
    assert event.before is None
    assert event.after["version"] == 1
    notification = Notification.objects.get()
    assert notification.recipient == individual
    assert notification.event_key == f"record-ready:{record.pk}"
    assert notification.title == "Your career conversation record is ready for you to agree"
    assert notification.url == f"/conversations/{conversation.pk}/"


def test_a_second_version_needs_a_reason_for_the_change(conversation, line_manager):
    conversation_record(conversation=conversation, by=line_manager, data=_record_data(), actions=[])
    before = _row_counts()

    with pytest.raises(ValidationError) as error:
        conversation_record(
            conversation=conversation, by=line_manager, data=_record_data(), actions=[], change_reason="  "
        )

    assert error.value.message_dict == {"change_reason": ["Enter what changed and why"]}
    assert _row_counts() == before


def test_a_second_version_replaces_the_plan_and_keeps_the_first(conversation, line_manager, individual):
    first = conversation_record(
        conversation=conversation,
        by=line_manager,
        data=_record_data(),
        actions=[
            _action(description="Kept as it was"),
            _action(description="To be changed"),
            _action(description="Removed, no progress"),
            _action(description="Removed, with progress"),
        ],
    )
    kept, changed, removed, removed_with_progress = conversation.actions.order_by("pk")
    ActionProgressUpdateFactory(action=removed_with_progress, created_by=individual)
    conversation.status = Conversation.Status.AGREED
    conversation.save()

    second = conversation_record(
        conversation=conversation,
        by=line_manager,
        data=_record_data(aspirations="Lead a ward, then a directorate"),
        actions=[
            _action(description="Kept as it was", action_id=kept.pk),
            _action(
                description="Changed",
                owner=DevelopmentAction.Owner.FACILITATOR,
                due_on=datetime.date(2027, 1, 15),
                action_id=changed.pk,
            ),
            _action(description="Brand new", action_type=DevelopmentAction.ActionType.EXPERIENCE),
        ],
        change_reason="  Added a new action after the audit  ",
    )

    assert (first.version, second.version) == (1, 2)
    assert second.change_reason == "Added a new action after the audit"
    assert second.aspirations == "Lead a ward, then a directorate"
    first.refresh_from_db()
    assert first.aspirations == "Lead a ward"
    changed.refresh_from_db()
    assert (changed.description, changed.owner, changed.due_on) == (
        "Changed",
        "facilitator",
        datetime.date(2027, 1, 15),
    )
    assert not DevelopmentAction.objects.filter(pk=removed.pk).exists()
    removed_with_progress.refresh_from_db()
    assert removed_with_progress.status == DevelopmentAction.Status.DROPPED
    new = conversation.actions.get(description="Brand new")
    assert {action.pk for action in conversation.actions.all()} == {
        kept.pk,
        changed.pk,
        removed_with_progress.pk,
        new.pk,
    }
    assert [(entry["id"], entry["status"]) for entry in second.plan_snapshot] == [
        (changed.pk, "not_started"),
        (kept.pk, "not_started"),
        (removed_with_progress.pk, "dropped"),
        (new.pk, "not_started"),
    ]
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.AWAITING_AGREEMENT
    assert conversation.agreed_at is None
    event = AuditEvent.objects.filter(verb="conversation_record").order_by("pk").last()
    assert event.before["version"] == 1
    assert event.after["version"] == 2


def _other_framework_level() -> ImpactLevel:
    other = FrameworkVersion.objects.create(name="Old labels", effective_from=datetime.date(2019, 1, 1))
    return ImpactLevel.objects.create(framework_version=other, order=1, label="Old level")


@pytest.mark.parametrize(
    ("data_overrides", "actions", "expected"),
    [
        (
            {"held_on": datetime.date(2026, 11, 28)},
            [],
            {"held_on": ["The date of the conversation must be today or in the past"]},
        ),
        (
            {"held_on": datetime.date(2020, 1, 1), "next_conversation_due": datetime.date(2021, 1, 1)},
            [],
            {"held_on": ["No framework version was in force on the date of the conversation"]},
        ),
        (
            {"strengths": "   ", "aspirations": ""},
            [],
            {
                "strengths": ["Enter the strengths you discussed"],
                "aspirations": ["Enter the person's aspirations"],
            },
        ),
        (
            {"ambition_depth": "huge", "readiness": "", "target_growth_category": "height"},
            [],
            {
                "ambition_depth": ["Select one of the options"],
                "target_growth_category": ["Select one of the options"],
                "readiness": ["Select one of the options"],
            },
        ),
        (
            {"next_conversation_due": HELD_ON},
            [],
            {
                "next_conversation_due": [
                    "The next conversation must be due after the date of this conversation"
                ]
            },
        ),
        (
            {},
            [_action(description=" ", action_type="", owner="", due_on=None)],
            {
                "action_1": [
                    "Enter what action 1 is",
                    "Select the type of action 1",
                    "Select who owns action 1",
                    "Enter the date action 1 is due",
                ]
            },
        ),
        (
            {},
            [_action(), _action(due_on=datetime.date(2026, 11, 19))],
            {"action_2": ["Action 2 must be due after the date of the conversation"]},
        ),
        (
            {},
            [_action(due_on=datetime.date(2026, 11, 26))],
            {"action_1": ["Action 1 must be due today or in the future"]},
        ),
        (
            {},
            [_action(action_id=999_999)],
            {"action_1": ["Action 1 is not part of this plan"]},
        ),
    ],
)
def test_record_validation_errors_change_nothing(
    conversation, line_manager, data_overrides, actions, expected
):
    before = _row_counts()

    with pytest.raises(ValidationError) as error:
        conversation_record(
            conversation=conversation, by=line_manager, data=_record_data(**data_overrides), actions=actions
        )

    assert error.value.message_dict == expected
    assert _row_counts() == before
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.PLANNED


def test_an_impact_level_from_another_framework_version_is_refused(conversation, line_manager):
    old_level = _other_framework_level()

    with pytest.raises(ValidationError) as error:
        conversation_record(
            conversation=conversation,
            by=line_manager,
            data=_record_data(target_impact_level=old_level),
            actions=[],
        )

    assert error.value.message_dict == {
        "target_impact_level": [
            "Select an impact level from the framework in force on the date of the conversation"
        ]
    }
    assert ConversationRecord.objects.count() == 0


def test_an_action_from_another_conversation_is_not_part_of_this_plan(conversation, line_manager):
    elsewhere = DevelopmentActionFactory()

    with pytest.raises(ValidationError) as error:
        conversation_record(
            conversation=conversation,
            by=line_manager,
            data=_record_data(),
            actions=[_action(action_id=elsewhere.pk)],
        )

    assert error.value.message_dict == {"action_1": ["Action 1 is not part of this plan"]}
    elsewhere.refresh_from_db()
    assert elsewhere.description.startswith("Shadow the matron on a night shift")


def test_an_existing_action_may_already_be_overdue(conversation, line_manager):
    conversation_record(conversation=conversation, by=line_manager, data=_record_data(), actions=[_action()])
    action = conversation.actions.get()

    record = conversation_record(
        conversation=conversation,
        by=line_manager,
        data=_record_data(),
        actions=[_action(due_on=datetime.date(2026, 11, 21), action_id=action.pk)],
        change_reason="Brought forward",
    )

    assert record.version == 2
    action.refresh_from_db()
    assert action.due_on == datetime.date(2026, 11, 21)


def test_a_facilitator_cannot_be_their_own_individual(line_manager):
    with pytest.raises(IntegrityError), transaction.atomic():
        ConversationFactory(individual=line_manager, facilitator=line_manager)


@pytest.mark.parametrize("who", ["individual", "stranger"])
def test_only_the_facilitator_can_record(request, conversation, who):
    before = _row_counts()

    with pytest.raises(ValidationError) as error:
        conversation_record(
            conversation=conversation, by=request.getfixturevalue(who), data=_record_data(), actions=[]
        )

    assert error.value.messages == ["Only the facilitator can do this"]
    assert _row_counts() == before


def test_the_individual_cannot_record_their_own_conversation_even_as_a_coach(individual):
    """Facilitating yourself is impossible twice over: the plan refuses it and the database forbids it."""
    RoleAssignmentFactory(user=individual, role=Role.COACH, scope=Scope.NATIONAL)

    with pytest.raises(ValidationError) as error:
        conversation_plan(
            facilitator=individual,
            individual=individual,
            planned_for=datetime.date(2026, 12, 3),
            facilitator_role=FacilitatorRole.COACH,
        )

    assert error.value.messages == ["You cannot facilitate your own career conversation"]
    assert Conversation.objects.count() == 0


def test_no_record_on_a_cancelled_conversation(conversation, line_manager):
    conversation.status = Conversation.Status.CANCELLED
    conversation.save()
    before = _row_counts()

    with pytest.raises(ValidationError) as error:
        conversation_record(conversation=conversation, by=line_manager, data=_record_data(), actions=[])

    assert error.value.messages == ["This conversation was cancelled"]
    assert _row_counts() == before


def test_recording_after_disagreement_adds_a_version_and_asks_again(
    conversation, line_manager, individual, django_capture_on_commit_callbacks
):
    first = ConversationRecordFactory(
        conversation=conversation, individual_response=ConversationRecord.Response.NOT_AGREED
    )
    conversation.status = Conversation.Status.NOT_AGREED
    conversation.save()

    with django_capture_on_commit_callbacks(execute=True):
        second = conversation_record(
            conversation=conversation,
            by=line_manager,
            data=_record_data(),
            actions=[],
            change_reason="Changed the target level as discussed",
        )

    assert second.version == first.version + 1
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.AWAITING_AGREEMENT
    assert list(Notification.objects.values_list("recipient", "event_key")) == [
        (individual.pk, f"record-ready:{second.pk}")
    ]


@pytest.mark.parametrize(
    ("held_on", "expected"),
    [
        (datetime.date(2026, 11, 20), datetime.date(2027, 11, 20)),
        (datetime.date(2028, 2, 29), datetime.date(2029, 2, 28)),
    ],
)
def test_next_conversation_is_due_12_months_later_by_default(held_on, expected):
    assert default_next_conversation_due(held_on) == expected
