"""Reads for the individual's pages and the shared conversation pages.

Everything here starts from an object already loaded through a scoped selector in
`conversations.selectors` (or from the signed-in person), so nothing reaches beyond what the reader
may see. Records are turned into labelled answers here, once, for the detail page and the history.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import dateformat, timezone

from accounts.models import Role, RoleAssignment, Scope, User
from conversations.models import (
    ActionProgressUpdate,
    Ambition,
    AspirationTimeframe,
    Conversation,
    ConversationRecord,
    DevelopmentAction,
    GrowthCategory,
    GrowthSharing,
    Readiness,
)
from conversations.selectors import actions_visible_to

OPEN_ACTION_STATUSES = (DevelopmentAction.Status.NOT_STARTED, DevelopmentAction.Status.IN_PROGRESS)


@dataclass(frozen=True)
class Answer:
    """One answer of a record, ready to show: a label, its text and optional tags."""

    label: str
    text: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordSection:
    title: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Change:
    """An answer that differs from the previous version."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class RecordVersion:
    """One version in the history, with what changed since the version before it."""

    record: ConversationRecord
    changes: tuple[Change, ...]
    is_first: bool


@dataclass(frozen=True)
class GrowthOverview:
    """Everything the "Your growth" page shows, read with a fixed number of queries."""

    conversations: list[Conversation]
    latest_agreed_record: ConversationRecord | None
    open_actions: list[DevelopmentAction]
    is_history_shared_with_new_managers: bool
    today: datetime.date = field(default_factory=timezone.localdate)


def format_date(value: datetime.date | None) -> str:
    return dateformat.format(value, "j F Y") if value else ""


def _label(choices, value: str) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def position_text(level, category: str) -> str:
    """ "Established impact, growth in depth": an impact level and a growth category in words."""
    return f"{level.label}, growth in {_label(GrowthCategory, category).lower()}"


def _plan_text(snapshot: Iterable[dict]) -> str:
    lines = []
    for item in snapshot:
        try:
            due = format_date(datetime.date.fromisoformat(item.get("due_on", "")))
        except (TypeError, ValueError):
            due = ""
        action_type = _label(DevelopmentAction.ActionType, item.get("action_type", "")).lower()
        owner = _label(DevelopmentAction.Owner, item.get("owner", "")).lower()
        lines.append(f"{item.get('description', '')} ({action_type}, owned by {owner}, due {due})")
    return "\n".join(lines) or "No actions"


def record_sections(record: ConversationRecord) -> list[RecordSection]:
    """The main answers of a record in the order the facilitator records them, with labels, not codes.

    Uses the record's prefetched strength dimensions and barriers (see `selectors.latest_record`).
    """
    dimensions = tuple(dimension.name for dimension in record.strength_dimensions.all())
    barriers = tuple(barrier.name for barrier in record.barriers.all())
    return [
        RecordSection(
            "Wellbeing check-in",
            (
                Answer("Wellbeing discussed", _yes_no(record.wellbeing_discussed)),
                Answer("Support signposted", _yes_no(record.support_signposted)),
            ),
        ),
        RecordSection(
            "Strengths",
            (
                Answer("Strengths", record.strengths),
                Answer(
                    "Healthcare Leadership Model dimensions",
                    ", ".join(dimensions) or "None tagged",
                    dimensions,
                ),
            ),
        ),
        RecordSection(
            "Aspirations",
            (
                Answer("Ambition for depth", _label(Ambition, record.ambition_depth)),
                Answer("Ambition for breadth", _label(Ambition, record.ambition_breadth)),
                Answer("Ambition for stretch and complexity", _label(Ambition, record.ambition_stretch)),
                Answer("Aspirations", record.aspirations),
                Answer("Timeframe", _label(AspirationTimeframe, record.aspiration_timeframe)),
            ),
        ),
        RecordSection(
            "Position on the framework",
            (
                Answer(
                    "Current position",
                    position_text(record.current_impact_level, record.current_growth_category),
                ),
                Answer(
                    "Target position",
                    position_text(record.target_impact_level, record.target_growth_category),
                ),
                Answer("Readiness for a next step", _label(Readiness, record.readiness)),
            ),
        ),
        RecordSection(
            "Barriers and support",
            (
                Answer("Barriers", ", ".join(barriers) or "None recorded", barriers),
                Answer("More about the barriers", record.barrier_notes or "Nothing recorded"),
                Answer("How the organisation could help", record.organisation_support or "Nothing recorded"),
            ),
        ),
        RecordSection(
            "Next conversation",
            (Answer("Next conversation due", format_date(record.next_conversation_due)),),
        ),
    ]


def record_answers(record: ConversationRecord) -> list[Answer]:
    """Every main answer of a record, including the development plan as it was saved."""
    answers = [Answer("Date of conversation", format_date(record.held_on))]
    for section in record_sections(record):
        answers.extend(section.answers)
    answers.append(Answer("Development plan", _plan_text(record.plan_snapshot)))
    return answers


def record_history(records: Iterable[ConversationRecord]) -> list[RecordVersion]:
    """Every version newest first, each with the answers that changed from the version before it."""
    oldest_first = sorted(records, key=lambda record: record.version)
    versions = []
    previous_answers: list[Answer] | None = None
    for record in oldest_first:
        answers = record_answers(record)
        changes = ()
        if previous_answers is not None:
            changes = tuple(
                Change(label=after.label, before=before.text, after=after.text)
                for before, after in zip(previous_answers, answers, strict=True)
                if before.text != after.text
            )
        versions.append(RecordVersion(record=record, changes=changes, is_first=previous_answers is None))
        previous_answers = answers
    return list(reversed(versions))


def growth_overview(*, user) -> GrowthOverview:
    """The person's own conversations, latest agreed position and open development actions."""
    latest_held_on = (
        ConversationRecord.objects.filter(conversation=OuterRef("pk"))
        .order_by("-version")
        .values("held_on")[:1]
    )
    conversations = list(
        Conversation.objects.filter(individual=user)
        .select_related("facilitator")
        .annotate(held_on=Subquery(latest_held_on))
        .order_by("-planned_for", "-pk")
    )
    latest_agreed_record = (
        ConversationRecord.objects.filter(
            conversation__individual=user, individual_response=ConversationRecord.Response.AGREED
        )
        .select_related("current_impact_level", "target_impact_level", "conversation__facilitator")
        .order_by("-individual_responded_at", "-pk")
        .first()
    )
    open_actions = list(
        DevelopmentAction.objects.filter(individual=user, status__in=OPEN_ACTION_STATUSES)
        .exclude(conversation__status=Conversation.Status.CANCELLED)
        .select_related("conversation")
        .order_by("due_on", "pk")
    )
    return GrowthOverview(
        conversations=conversations,
        latest_agreed_record=latest_agreed_record,
        open_actions=open_actions,
        is_history_shared_with_new_managers=is_history_shared(user=user),
    )


def is_history_shared(*, user) -> bool:
    """Whether the person lets a new line manager see records made with a previous one."""
    return GrowthSharing.objects.filter(user=user, is_history_shared_with_new_managers=True).exists()


def actions_of(conversation: Conversation) -> QuerySet[DevelopmentAction]:
    """The conversation's development plan with each action's progress notes (newest first)."""
    return (
        conversation.actions.select_related("leadership_dimension")
        .prefetch_related(
            Prefetch("progress_updates", queryset=ActionProgressUpdate.objects.select_related("created_by"))
        )
        .order_by("due_on", "pk")
    )


def action_for(*, user, pk) -> DevelopmentAction:
    """An action the user may follow up (its individual, facilitator or current manager), or 404."""
    action = (
        actions_visible_to(user=user)
        .filter(pk=pk)
        .select_related("individual", "conversation__facilitator")
        .prefetch_related(
            Prefetch("progress_updates", queryset=ActionProgressUpdate.objects.select_related("created_by"))
        )
        .first()
    )
    if action is None:
        raise Http404
    return action


def coaches_for(*, user) -> QuerySet[User]:
    """People the individual may ask to facilitate: a current coach role covering their organisation."""
    assignments = RoleAssignment.objects.current().filter(role=Role.COACH)
    profile = getattr(user, "staff_profile", None)
    covering = Q(scope=Scope.NATIONAL)
    if profile is not None:
        organisation = profile.organisation
        covering |= (
            Q(scope=Scope.ORGANISATION, organisation=organisation)
            | Q(scope=Scope.ICS, integrated_care_system_id=organisation.integrated_care_system_id)
            | Q(scope=Scope.REGION, region__integrated_care_systems__organisations=organisation)
        )
    return (
        User.objects.filter(is_active=True, pk__in=assignments.filter(covering).values("user"))
        .exclude(pk=user.pk)
        .order_by("last_name", "first_name", "email")
    )
