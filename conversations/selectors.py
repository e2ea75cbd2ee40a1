"""Reads for Scope for Growth, always scoped to the person asking (DESIGN section 5).

Views load conversations, records and actions only through these functions, so anything outside
the reader's scope is simply not found (404).
"""

from django.db.models import F, Q, QuerySet
from django.http import Http404

from accounts.models import StaffProfile
from conversations.models import Conversation, ConversationRecord, DevelopmentAction, FacilitatorRole

TEAM_ORDERINGS = {
    "name": ("user__last_name", "user__first_name", "user__email"),
    "job_title": ("job_title", "user__last_name", "user__first_name"),
    "band": ("pay_band__sort_order", "user__last_name", "user__first_name"),
}


def direct_reports_of(*, manager, ordering: str = "name") -> QuerySet[StaffProfile]:
    """The manager's current, active direct reports, with what the team page shows."""
    return (
        StaffProfile.objects.filter(line_manager=manager, is_active=True)
        .select_related("user", "pay_band", "staff_group", "organisation")
        .order_by(*TEAM_ORDERINGS.get(ordering, TEAM_ORDERINGS["name"]))
    )


def own_staff_profile(*, user) -> StaffProfile | None:
    """The person's own staff record, or None if their account is not linked to one."""
    return (
        StaffProfile.objects.filter(user=user)
        .select_related(
            "organisation__integrated_care_system__region", "pay_band", "staff_group", "line_manager"
        )
        .first()
    )


def _visibility(user) -> Q:
    """Who may read a conversation:

    - the individual, always;
    - a coach, for the conversations they were asked to facilitate;
    - the individual's current line manager (while the person is active), for conversations they
      facilitated, and for others only if held since they became the manager or if the individual
      chose to share their history with new managers. A previous manager loses access.
    """
    is_current_manager = Q(
        individual__staff_profile__line_manager=user, individual__staff_profile__is_active=True
    )
    since_manager_took_over = Q(individual__staff_profile__line_manager_since__isnull=False) & Q(
        planned_for__gte=F("individual__staff_profile__line_manager_since")
    )
    history_shared = Q(individual__growth_sharing__is_history_shared_with_new_managers=True)
    return (
        Q(individual=user)
        | Q(facilitator=user, facilitator_role=FacilitatorRole.COACH)
        | (is_current_manager & (Q(facilitator=user) | since_manager_took_over | history_shared))
    )


def conversations_visible_to(*, user) -> QuerySet[Conversation]:
    if not user.is_authenticated:
        return Conversation.objects.none()
    return Conversation.objects.filter(_visibility(user)).select_related("individual", "facilitator")


def conversation_for(*, user, pk) -> Conversation:
    """One conversation the user may read, or 404."""
    conversation = conversations_visible_to(user=user).filter(pk=pk).first()
    if conversation is None:
        raise Http404
    return conversation


def conversation_facilitated_by(*, user, pk) -> Conversation:
    """A conversation the user may act on as its facilitator (current manager or chosen coach), or 404."""
    conversation = (
        conversations_visible_to(user=user).filter(pk=pk, facilitator=user).first()
        if user.is_authenticated
        else None
    )
    if conversation is None:
        raise Http404
    return conversation


def conversation_of_individual(*, user, pk) -> Conversation:
    """One of the user's own conversations, or 404."""
    conversation = Conversation.objects.filter(pk=pk, individual=user).select_related("facilitator").first()
    if conversation is None:
        raise Http404
    return conversation


def latest_record(conversation: Conversation) -> ConversationRecord | None:
    return (
        conversation.records.select_related(
            "framework_version", "current_impact_level", "target_impact_level", "recorded_by"
        )
        .prefetch_related("strength_dimensions", "barriers")
        .order_by("-version")
        .first()
    )


def records_of(conversation: Conversation) -> QuerySet[ConversationRecord]:
    """Every version, newest first (the history)."""
    return (
        conversation.records.select_related("current_impact_level", "target_impact_level", "recorded_by")
        .prefetch_related("strength_dimensions", "barriers")
        .order_by("-version")
    )


def actions_visible_to(*, user) -> QuerySet[DevelopmentAction]:
    return DevelopmentAction.objects.filter(
        conversation__in=conversations_visible_to(user=user).values("pk")
    ).select_related("conversation", "leadership_dimension")


def may_see_wellbeing_notes(*, user, conversation: Conversation) -> bool:
    return user.pk == conversation.individual_id or conversation.is_wellbeing_notes_shared


def may_see_reflection(*, user, conversation: Conversation) -> bool:
    return user.pk == conversation.individual_id or conversation.is_reflection_shared


def may_see_facilitator_preparation(*, user, conversation: Conversation) -> bool:
    return user.pk == conversation.facilitator_id
