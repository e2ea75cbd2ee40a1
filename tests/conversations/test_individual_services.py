"""The individual's actions: agree, disagree, progress, sharing, asking for a conversation, coaches."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conversations import services
from conversations.models import (
    ActionProgressUpdate,
    Conversation,
    ConversationRecord,
    DevelopmentAction,
    FacilitatorRole,
    GrowthSharing,
    Readiness,
)
from core.models import AuditEvent, Notification
from tests.accounts.factories import StaffProfileFactory, UserFactory
from tests.conversations.factories import (
    ConversationFactory,
    ConversationRecordFactory,
    DevelopmentActionFactory,
    impact_levels,
)


@pytest.fixture
def awaiting(individual, line_manager):
    """A conversation whose first record version waits for the individual to agree it."""
    conversation = ConversationFactory(
        individual=individual,
        facilitator=line_manager,
        planned_for=datetime.date(2026, 11, 2),
        status=Conversation.Status.AWAITING_AGREEMENT,
    )
    ConversationRecordFactory(conversation=conversation)
    return conversation


def _record_data(**changes) -> services.RecordData:
    levels = impact_levels()
    values = {
        "held_on": datetime.date(2026, 11, 2),
        "wellbeing_discussed": True,
        "support_signposted": True,
        "strengths": "Calm under pressure",
        "ambition_depth": "some",
        "ambition_breadth": "not_now",
        "ambition_stretch": "strong",
        "aspirations": "Lead a ward",
        "aspiration_timeframe": "one_to_two_years",
        "current_impact_level": levels[0],
        "current_growth_category": "depth",
        "target_impact_level": levels[1],
        "target_growth_category": "stretch",
        "readiness": Readiness.ONE_TO_TWO_YEARS,
        "next_conversation_due": datetime.date(2027, 11, 2),
    }
    values.update(changes)
    return services.RecordData(**values)


def _state(conversation) -> tuple:
    conversation.refresh_from_db()
    records = tuple(
        conversation.records.order_by("version").values_list(
            "version", "individual_response", "individual_comment", "individual_responded_at"
        )
    )
    return conversation.status, conversation.agreed_at, records, AuditEvent.objects.count()


def test_individual_agrees_the_record_which_locks_it(
    awaiting, individual, line_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = services.conversation_agree(conversation=awaiting, by=individual, comment="  Thank you  ")

    awaiting.refresh_from_db()
    assert awaiting.status == Conversation.Status.AGREED
    assert awaiting.is_locked is True
    assert awaiting.agreed_at == record.individual_responded_at
    assert record.individual_response == ConversationRecord.Response.AGREED
    assert record.individual_comment == "Thank you"
    event = AuditEvent.objects.get(verb="conversation_agree")
    assert (event.actor, event.action, event.object_id) == (
        individual,
        AuditEvent.Action.UPDATE,
        str(record.pk),
    )
    assert event.after == {"individual_response": "agreed", "version": 1}
    notification = Notification.objects.get(recipient=line_manager)
    assert notification.title == f"{individual} agreed their career conversation record"
    assert notification.url == reverse("conversations:conversation_detail", kwargs={"pk": awaiting.pk})


def test_a_record_cannot_be_agreed_twice(awaiting, individual):
    services.conversation_agree(conversation=awaiting, by=individual, comment="First")
    before = _state(awaiting)

    with pytest.raises(ValidationError) as error:
        services.conversation_agree(conversation=awaiting, by=individual, comment="Second")

    assert error.value.messages == ["You have already agreed this record"]
    assert _state(awaiting) == before
    assert awaiting.records.get().individual_comment == "First"


def test_disagreeing_with_an_agreed_record_changes_nothing(awaiting, individual):
    services.conversation_agree(conversation=awaiting, by=individual)
    before = _state(awaiting)

    with pytest.raises(ValidationError) as error:
        services.conversation_disagree(conversation=awaiting, by=individual, comment="Changed my mind")

    assert error.value.messages == ["You have already agreed this record"]
    assert _state(awaiting) == before


def test_only_the_individual_can_agree(awaiting, line_manager):
    before = _state(awaiting)

    with pytest.raises(ValidationError) as error:
        services.conversation_agree(conversation=awaiting, by=line_manager)

    assert error.value.messages == ["Only the person the conversation is about can do this"]
    assert _state(awaiting) == before


def test_a_planned_conversation_has_nothing_to_agree(individual, line_manager):
    planned = ConversationFactory(individual=individual, facilitator=line_manager)

    with pytest.raises(ValidationError) as error:
        services.conversation_agree(conversation=planned, by=individual)

    assert error.value.messages == ["There is no record waiting for you to agree"]
    planned.refresh_from_db()
    assert planned.status == Conversation.Status.PLANNED


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_disagreeing_needs_a_comment(awaiting, individual, comment):
    before = _state(awaiting)

    with pytest.raises(ValidationError) as error:
        services.conversation_disagree(conversation=awaiting, by=individual, comment=comment)

    assert error.value.message_dict == {"comment": ["Enter what you do not agree with"]}
    assert _state(awaiting) == before


def test_disagreement_and_a_later_agreed_version_are_both_kept(
    awaiting, individual, line_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_disagree(
            conversation=awaiting, by=individual, comment="My readiness is ready now"
        )
    awaiting.refresh_from_db()
    assert awaiting.status == Conversation.Status.NOT_AGREED
    assert Notification.objects.get(recipient=line_manager).body == "My readiness is ready now"

    services.conversation_record(
        conversation=awaiting,
        by=line_manager,
        data=_record_data(readiness=Readiness.READY_NOW),
        actions=[],
        change_reason="Readiness changed after we talked again",
    )
    services.conversation_agree(conversation=awaiting, by=individual)

    awaiting.refresh_from_db()
    assert awaiting.status == Conversation.Status.AGREED
    assert list(
        awaiting.records.order_by("version").values_list(
            "version", "readiness", "individual_response", "individual_comment", "change_reason"
        )
    ) == [
        (1, Readiness.ONE_TO_TWO_YEARS, "not_agreed", "My readiness is ready now", ""),
        (2, Readiness.READY_NOW, "agreed", "", "Readiness changed after we talked again"),
    ]
    assert list(
        AuditEvent.objects.filter(verb__startswith="conversation_")
        .order_by("id")
        .values_list("verb", flat=True)
    ) == ["conversation_disagree", "conversation_record", "conversation_agree"]


def test_progress_update_moves_the_action_on(individual, line_manager):
    action = DevelopmentActionFactory(
        conversation=ConversationFactory(individual=individual, facilitator=line_manager)
    )

    update = services.development_action_progress_add(
        action=action, by=individual, note="  Booked the shadowing shift  ", status="in_progress"
    )

    action.refresh_from_db()
    assert action.status == DevelopmentAction.Status.IN_PROGRESS
    assert (update.note, update.status, update.created_by) == (
        "Booked the shadowing shift",
        "in_progress",
        individual,
    )
    event = AuditEvent.objects.get(verb="development_action_progress_add")
    assert (event.actor, event.before, event.after) == (
        individual,
        {"status": "not_started"},
        {"status": "in_progress"},
    )


@pytest.mark.parametrize(
    ("note", "status", "errors"),
    [
        ("", "done", {"note": ["Enter what progress has been made"]}),
        ("Done it", "finished", {"status": ["Select the status of the action"]}),
    ],
)
def test_progress_update_needs_a_note_and_a_known_status(individual, note, status, errors):
    action = DevelopmentActionFactory(conversation=ConversationFactory(individual=individual))

    with pytest.raises(ValidationError) as error:
        services.development_action_progress_add(action=action, by=individual, note=note, status=status)

    assert error.value.message_dict == errors
    action.refresh_from_db()
    assert action.status == DevelopmentAction.Status.NOT_STARTED
    assert ActionProgressUpdate.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_sharing_choice_is_created_then_changed(individual):
    services.growth_sharing_update(user=individual, is_history_shared_with_new_managers=True)
    services.growth_sharing_update(user=individual, is_history_shared_with_new_managers=False)

    assert GrowthSharing.objects.get(user=individual).is_history_shared_with_new_managers is False
    assert list(
        AuditEvent.objects.filter(verb="growth_sharing_update").order_by("id").values_list("before", "after")
    ) == [
        ({"is_history_shared_with_new_managers": False}, {"is_history_shared_with_new_managers": True}),
        ({"is_history_shared_with_new_managers": True}, {"is_history_shared_with_new_managers": False}),
    ]


def test_asking_for_a_conversation_notifies_the_line_manager_once_a_day(
    individual, line_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_request(individual=individual, message="About the band 7 post")
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_request(individual=individual, message="Again")

    notification = Notification.objects.get()
    assert notification.recipient == line_manager
    assert notification.title == f"{individual} has asked for a career conversation"
    assert notification.body == "About the band 7 post"
    assert (
        notification.event_key == f"conversation-requested:{individual.pk}:{timezone.localdate().isoformat()}"
    )
    assert AuditEvent.objects.filter(verb="conversation_request", actor=individual).count() == 2


def test_asking_for_a_conversation_without_a_line_manager_is_refused(individual):
    with pytest.raises(ValidationError) as error:
        services.conversation_request(individual=individual)

    assert error.value.messages == ["You do not have a line manager recorded. Ask a coach instead."]
    assert Notification.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_individual_plans_a_conversation_with_a_coach(individual, coach, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        conversation = services.conversation_plan(
            facilitator=coach,
            individual=individual,
            planned_for=datetime.date(2026, 12, 14),
            facilitator_role=FacilitatorRole.COACH,
            requested_by_individual=True,
        )

    assert (
        conversation.facilitator,
        conversation.facilitator_role,
        conversation.requested_by_individual,
    ) == (
        coach,
        FacilitatorRole.COACH,
        True,
    )
    assert conversation.status == Conversation.Status.PLANNED
    assert AuditEvent.objects.get(verb="conversation_plan").actor == individual
    assert Notification.objects.get().recipient == coach


def test_someone_without_a_coach_role_cannot_be_chosen_as_coach(individual):
    not_a_coach = UserFactory()

    with pytest.raises(ValidationError) as error:
        services.conversation_plan(
            facilitator=not_a_coach,
            individual=individual,
            planned_for=datetime.date(2026, 12, 14),
            facilitator_role=FacilitatorRole.COACH,
            requested_by_individual=True,
        )

    assert error.value.message_dict == {"coach": ["Select a coach from the list"]}
    assert Conversation.objects.count() == 0


def test_reflection_and_wellbeing_notes_are_saved_with_the_sharing_choice(individual, line_manager):
    conversation = ConversationFactory(individual=individual, facilitator=line_manager)

    services.conversation_reflection_update(
        conversation=conversation, by=individual, text="Ideas", is_shared=True
    )
    services.conversation_wellbeing_notes_update(
        conversation=conversation, by=individual, notes="Sleeping badly", is_shared=False
    )

    conversation.refresh_from_db()
    assert (conversation.individual_reflection, conversation.is_reflection_shared) == ("Ideas", True)
    assert (conversation.wellbeing_notes, conversation.is_wellbeing_notes_shared) == ("Sleeping badly", False)
    assert list(AuditEvent.objects.order_by("id").values_list("verb", "actor")) == [
        ("conversation_reflection_update", individual.pk),
        ("conversation_wellbeing_notes_update", individual.pk),
    ]


def test_the_facilitator_cannot_write_the_individuals_reflection(individual, line_manager):
    conversation = ConversationFactory(individual=individual, facilitator=line_manager)

    with pytest.raises(ValidationError) as error:
        services.conversation_reflection_update(
            conversation=conversation, by=line_manager, text="X", is_shared=True
        )

    assert error.value.messages == ["Only the person the conversation is about can do this"]
    conversation.refresh_from_db()
    assert conversation.individual_reflection == ""


def test_a_planned_conversation_can_be_cancelled_but_not_once_recorded(awaiting, individual, line_manager):
    planned = ConversationFactory(
        individual=StaffProfileFactory(line_manager=line_manager).user, facilitator=line_manager
    )

    services.conversation_cancel(conversation=planned, by=line_manager)
    with pytest.raises(ValidationError) as error:
        services.conversation_cancel(conversation=awaiting, by=individual)

    planned.refresh_from_db()
    awaiting.refresh_from_db()
    assert planned.status == Conversation.Status.CANCELLED
    assert awaiting.status == Conversation.Status.AWAITING_AGREEMENT
    assert error.value.messages == ["Only a planned conversation with nothing recorded can be cancelled"]
