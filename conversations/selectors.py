"""Reads for Scope for Growth, always scoped to the person asking (DESIGN section 5).

Views load conversations, records and actions only through these functions, so anything outside
the reader's scope is simply not found (404).
"""

import datetime

from django.db.models import (
    Case,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

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


class TeamStatus(TextChoices):
    """Where a person on the team page stands with their latest career conversation."""

    NOT_HAD_ONE = "not_had_one", "Not had one"
    PLANNED = "planned", "Planned"
    AWAITING_AGREEMENT = "awaiting_agreement", "Awaiting agreement"
    NOT_AGREED = "not_agreed", "Not agreed"
    AGREED = "agreed", "Agreed"


class TeamDueness(TextChoices):
    """Whether the next conversation (from the latest record) is overdue or coming up."""

    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due_soon", "Due within 30 days"


#: What the team page can be filtered by: a conversation status or a due-ness.
TEAM_STATUS_FILTERS = [*TeamStatus.choices, *TeamDueness.choices]
TEAM_DUE_SOON_DAYS = 30
_TEAM_STATUS_RANK = {status: rank for rank, status in enumerate(TeamStatus.values)}
_TEAM_NAME_ORDER = ("user__last_name", "user__first_name", "user__email", "pk")
TEAM_STATUS_ORDERINGS = {
    "name": _TEAM_NAME_ORDER,
    "job_title": ("job_title", *_TEAM_NAME_ORDER),
    "band": ("pay_band__sort_order", *_TEAM_NAME_ORDER),
    "status": ("status_rank", *_TEAM_NAME_ORDER),
    "next_due": ("next_due", *_TEAM_NAME_ORDER),
}
_OPEN_STATUSES = (
    Conversation.Status.PLANNED,
    Conversation.Status.AWAITING_AGREEMENT,
    Conversation.Status.NOT_AGREED,
)


def _team_order_by(ordering: str) -> list[OrderBy]:
    """`name`, `band`... ascending; `-name`, `-band`... descending. The name tie-breaks stay ascending,
    and people with no next due date come last either way."""
    is_descending = ordering.startswith("-")
    key = ordering.removeprefix("-")
    first, *rest = TEAM_STATUS_ORDERINGS.get(key, TEAM_STATUS_ORDERINGS["name"])
    first_order = F(first).desc(nulls_last=True) if is_descending else F(first).asc(nulls_last=True)
    return [first_order, *(F(name).asc() for name in rest)]


def team_with_status(*, manager, ordering: str = "name", status_filter: str = "") -> QuerySet[StaffProfile]:
    """The people a facilitator looks after, each annotated with their conversation status.

    The team is the manager's current, active direct reports plus, for a coach, everyone whose open
    conversation they facilitate. Every figure comes from the conversations and records the viewer may
    see (a new manager does not learn about unshared records made with a previous one), in one query:

    - `latest_conversation_id`, `latest_status`, `latest_planned_for`, `latest_agreed_at` and
      `latest_facilitator_id`: the latest conversation that was not cancelled;
    - `status`: a `TeamStatus` value ("not_had_one" when there is no such conversation);
    - `next_due`: `next_conversation_due` of the latest record, and `dueness` (a `TeamDueness` value,
      or "" when not due within 30 days);
    - `is_direct_report`: the person reports to the viewer now (only then can the viewer plan one).

    `ordering` is a key of `TEAM_STATUS_ORDERINGS`, optionally prefixed with "-"; `status_filter` is a
    value of `TEAM_STATUS_FILTERS` or "" for everyone.
    """
    today = timezone.localdate()
    visible = Conversation.objects.filter(_visibility(manager)).exclude(status=Conversation.Status.CANCELLED)
    latest = visible.filter(individual=OuterRef("user_id")).order_by("-planned_for", "-pk")
    latest_record = ConversationRecord.objects.filter(
        conversation__in=visible.values("pk"), conversation__individual=OuterRef("user_id")
    ).order_by("-conversation__planned_for", "-conversation_id", "-version")
    coached = Conversation.objects.filter(
        facilitator=manager, facilitator_role=FacilitatorRole.COACH, status__in=_OPEN_STATUSES
    ).values("individual")
    is_direct_report = Q(line_manager=manager, is_active=True)
    team = (
        StaffProfile.objects.filter(is_direct_report | Q(user__in=coached))
        .select_related("user", "pay_band", "staff_group")
        .annotate(
            is_direct_report=Case(When(is_direct_report, then=Value(True)), default=Value(False)),
            latest_conversation_id=Subquery(latest.values("pk")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            latest_planned_for=Subquery(latest.values("planned_for")[:1]),
            latest_agreed_at=Subquery(latest.values("agreed_at")[:1]),
            latest_facilitator_id=Subquery(latest.values("facilitator_id")[:1]),
            next_due=Subquery(latest_record.values("next_conversation_due")[:1]),
        )
        .annotate(
            status=Coalesce(F("latest_status"), Value(TeamStatus.NOT_HAD_ONE)),
            status_rank=Case(
                *(When(status=status, then=Value(rank)) for status, rank in _TEAM_STATUS_RANK.items()),
                default=Value(len(_TEAM_STATUS_RANK)),
            ),
            dueness=Case(
                When(next_due__lt=today, then=Value(TeamDueness.OVERDUE)),
                When(
                    next_due__lte=today + datetime.timedelta(days=TEAM_DUE_SOON_DAYS),
                    then=Value(TeamDueness.DUE_SOON),
                ),
                default=Value(""),
            ),
        )
    )
    if status_filter in TeamStatus.values:
        team = team.filter(status=status_filter)
    elif status_filter in TeamDueness.values:
        team = team.filter(dueness=status_filter)
    return team.order_by(*_team_order_by(ordering))
