"""Who may see which conversations (DESIGN section 5), through `conversations.selectors`."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from conversations.models import Conversation, FacilitatorRole, GrowthSharing
from conversations.selectors import (
    actions_visible_to,
    conversation_facilitated_by,
    conversation_for,
    conversation_of_individual,
    conversations_visible_to,
    may_see_facilitator_preparation,
    may_see_reflection,
    may_see_wellbeing_notes,
)
from tests.accounts.factories import StaffProfileFactory, UserFactory
from tests.conversations.factories import ConversationFactory, DevelopmentActionFactory

TOOK_OVER_ON = datetime.date(2026, 4, 1)


def _visible(user) -> set[Conversation]:
    return set(conversations_visible_to(user=user))


def _conversation(individual, facilitator, planned_for, role=FacilitatorRole.LINE_MANAGER, **kwargs):
    return ConversationFactory(
        individual=individual,
        facilitator=facilitator,
        facilitator_role=role,
        planned_for=planned_for,
        **kwargs,
    )


def _move(individual, new_manager, since=TOOK_OVER_ON):
    profile = individual.staff_profile
    profile.line_manager = new_manager
    profile.line_manager_since = since
    profile.save()


def test_individual_sees_all_their_own_conversations_and_no_one_elses(individual, line_manager, coach):
    with_manager = _conversation(individual, line_manager, datetime.date(2025, 5, 1))
    with_coach = _conversation(individual, coach, datetime.date(2026, 5, 1), FacilitatorRole.COACH)
    _conversation(StaffProfileFactory().user, line_manager, datetime.date(2026, 5, 1))

    assert _visible(individual) == {with_manager, with_coach}


def test_current_manager_sees_conversations_they_facilitated_whenever_held(individual, line_manager):
    facilitated = _conversation(individual, line_manager, datetime.date(2020, 1, 15))

    assert _visible(line_manager) == {facilitated}


def test_current_manager_sees_conversations_held_since_they_took_over(individual, line_manager, coach):
    previous_manager = StaffProfileFactory().user
    _move(individual, line_manager)
    before = _conversation(individual, previous_manager, TOOK_OVER_ON - datetime.timedelta(days=1))
    on_the_day = _conversation(individual, previous_manager, TOOK_OVER_ON)
    with_coach_since = _conversation(individual, coach, datetime.date(2026, 6, 1), FacilitatorRole.COACH)

    visible = _visible(line_manager)

    assert visible == {on_the_day, with_coach_since}
    assert before not in visible


def test_manager_cannot_see_other_peoples_conversations(individual, line_manager):
    someone_else = StaffProfileFactory().user
    _move(individual, line_manager)
    _conversation(someone_else, StaffProfileFactory().user, datetime.date(2026, 6, 1))

    assert _visible(line_manager) == set()


def test_previous_manager_loses_access_when_the_person_moves(individual, line_manager):
    facilitated = _conversation(individual, line_manager, datetime.date(2025, 9, 1))
    assert _visible(line_manager) == {facilitated}
    new_manager = StaffProfileFactory().user

    _move(individual, new_manager, since=datetime.date(2026, 1, 5))

    assert _visible(line_manager) == set()
    assert _visible(new_manager) == set()
    assert _visible(individual) == {facilitated}


def test_older_records_are_visible_to_a_new_manager_only_when_the_person_shares_them(
    individual, line_manager
):
    older = _conversation(individual, line_manager, datetime.date(2025, 9, 1))
    new_manager = StaffProfileFactory().user
    _move(individual, new_manager, since=datetime.date(2026, 1, 5))
    sharing = GrowthSharing.objects.create(user=individual, is_history_shared_with_new_managers=False)
    assert _visible(new_manager) == set()

    sharing.is_history_shared_with_new_managers = True
    sharing.save()

    assert _visible(new_manager) == {older}
    assert _visible(line_manager) == set()


def test_shared_history_is_never_visible_to_someone_who_is_not_the_current_manager(individual, line_manager):
    _conversation(individual, line_manager, datetime.date(2025, 9, 1))
    GrowthSharing.objects.create(user=individual, is_history_shared_with_new_managers=True)
    _move(individual, StaffProfileFactory().user)

    assert _visible(line_manager) == set()
    assert _visible(StaffProfileFactory().user) == set()


def test_coach_sees_only_the_conversations_they_facilitate(individual, line_manager, coach):
    coached = _conversation(individual, coach, datetime.date(2026, 6, 1), FacilitatorRole.COACH)
    other_coach = UserFactory()
    _conversation(StaffProfileFactory().user, other_coach, datetime.date(2026, 6, 1), FacilitatorRole.COACH)
    _conversation(individual, line_manager, datetime.date(2025, 6, 1), status=Conversation.Status.AGREED)

    assert _visible(coach) == {coached}
    assert len(_visible(other_coach)) == 1
    assert coached not in _visible(other_coach)


@pytest.mark.parametrize("role", ["stranger", "talent_lead_with_mfa", "system_administrator_with_mfa"])
def test_people_without_a_relationship_see_no_conversations(request, individual, line_manager, coach, role):
    _conversation(individual, line_manager, datetime.date(2026, 6, 1))
    _conversation(individual, coach, datetime.date(2026, 7, 1), FacilitatorRole.COACH)
    GrowthSharing.objects.create(user=individual, is_history_shared_with_new_managers=True)
    user = request.getfixturevalue(role)

    assert _visible(user) == set()
    assert set(actions_visible_to(user=user)) == set()


def test_anonymous_visitor_sees_no_conversations(individual, line_manager):
    _conversation(individual, line_manager, datetime.date(2026, 6, 1))

    assert _visible(AnonymousUser()) == set()


def test_inactive_staff_profile_hides_conversations_from_the_manager(individual, line_manager):
    facilitated = _conversation(individual, line_manager, datetime.date(2026, 6, 1))
    _move(individual, line_manager)
    profile = individual.staff_profile
    profile.is_active = False
    profile.save()

    assert _visible(line_manager) == set()
    assert _visible(individual) == {facilitated}


def test_conversation_for_is_not_found_outside_the_readers_scope(individual, line_manager, stranger):
    conversation = _conversation(individual, line_manager, datetime.date(2026, 6, 1))

    assert conversation_for(user=line_manager, pk=conversation.pk) == conversation
    with pytest.raises(Http404):
        conversation_for(user=stranger, pk=conversation.pk)
    with pytest.raises(Http404):
        conversation_for(user=line_manager, pk=conversation.pk + 1000)


def test_conversation_facilitated_by_is_only_for_the_facilitator(individual, line_manager, coach):
    _move(individual, line_manager)
    coached = _conversation(individual, coach, datetime.date(2026, 6, 1), FacilitatorRole.COACH)

    assert conversation_facilitated_by(user=coach, pk=coached.pk) == coached
    # The line manager can read it (held since they took over) but cannot act as its facilitator.
    assert conversation_for(user=line_manager, pk=coached.pk) == coached
    for user in (line_manager, individual, AnonymousUser()):
        with pytest.raises(Http404):
            conversation_facilitated_by(user=user, pk=coached.pk)


def test_conversation_of_individual_is_only_for_the_person_it_is_about(individual, line_manager):
    conversation = _conversation(individual, line_manager, datetime.date(2026, 6, 1))

    assert conversation_of_individual(user=individual, pk=conversation.pk) == conversation
    with pytest.raises(Http404):
        conversation_of_individual(user=line_manager, pk=conversation.pk)


def test_actions_follow_the_visibility_of_their_conversation(individual, line_manager):
    conversation = _conversation(individual, line_manager, datetime.date(2025, 9, 1))
    action = DevelopmentActionFactory(conversation=conversation)
    new_manager = StaffProfileFactory().user

    assert set(actions_visible_to(user=line_manager)) == {action}
    _move(individual, new_manager, since=datetime.date(2026, 1, 5))

    assert set(actions_visible_to(user=line_manager)) == set()
    assert set(actions_visible_to(user=new_manager)) == set()
    assert set(actions_visible_to(user=individual)) == {action}


def test_wellbeing_notes_are_private_to_the_individual_until_shared(individual, line_manager):
    conversation = _conversation(individual, line_manager, datetime.date(2026, 6, 1), wellbeing_notes="Tired")

    assert may_see_wellbeing_notes(user=individual, conversation=conversation) is True
    assert may_see_wellbeing_notes(user=line_manager, conversation=conversation) is False
    conversation.is_wellbeing_notes_shared = True
    assert may_see_wellbeing_notes(user=line_manager, conversation=conversation) is True


def test_reflection_is_private_to_the_individual_until_shared(individual, line_manager):
    conversation = _conversation(individual, line_manager, datetime.date(2026, 6, 1))

    assert may_see_reflection(user=individual, conversation=conversation) is True
    assert may_see_reflection(user=line_manager, conversation=conversation) is False
    conversation.is_reflection_shared = True
    assert may_see_reflection(user=line_manager, conversation=conversation) is True


def test_preparation_notes_are_only_for_the_facilitator(individual, line_manager, coach):
    _move(individual, line_manager)
    coached = _conversation(individual, coach, datetime.date(2026, 6, 1), FacilitatorRole.COACH)

    assert may_see_facilitator_preparation(user=coach, conversation=coached) is True
    assert may_see_facilitator_preparation(user=individual, conversation=coached) is False
    assert may_see_facilitator_preparation(user=line_manager, conversation=coached) is False
