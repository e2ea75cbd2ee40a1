"""Every write to Scope for Growth conversations and plans.

Each function is one domain action: it validates, writes in a transaction, records an audit
event and sends notifications after commit. Views call these and nothing else to change data.
Errors are `ValidationError`s keyed by form field where one applies, with NHS-style messages.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.roles import has_role
from conversations.models import (
    ActionProgressUpdate,
    Ambition,
    AspirationTimeframe,
    BarrierType,
    Conversation,
    ConversationRecord,
    DevelopmentAction,
    FacilitatorRole,
    FrameworkVersion,
    GrowthCategory,
    GrowthSharing,
    ImpactLevel,
    LeadershipDimension,
    Readiness,
)
from core.audit import audit, snapshot
from core.models import AuditEvent

OPEN_STATUSES = (
    Conversation.Status.PLANNED,
    Conversation.Status.AWAITING_AGREEMENT,
    Conversation.Status.NOT_AGREED,
)
DEFAULT_MONTHS_TO_NEXT_CONVERSATION = 12


@dataclass(frozen=True)
class ActionData:
    """One development action as entered in the plan. `action_id` is set when it already exists."""

    description: str
    action_type: str
    owner: str
    due_on: datetime.date
    leadership_dimension: LeadershipDimension | None = None
    action_id: int | None = None


@dataclass(frozen=True)
class RecordData:
    """The outcome of a conversation, as entered by the facilitator."""

    held_on: datetime.date
    wellbeing_discussed: bool
    support_signposted: bool
    strengths: str
    ambition_depth: str
    ambition_breadth: str
    ambition_stretch: str
    aspirations: str
    aspiration_timeframe: str
    current_impact_level: ImpactLevel
    current_growth_category: str
    target_impact_level: ImpactLevel
    target_growth_category: str
    readiness: str
    next_conversation_due: datetime.date
    strength_dimensions: list[LeadershipDimension] = field(default_factory=list)
    barriers: list[BarrierType] = field(default_factory=list)
    barrier_notes: str = ""
    organisation_support: str = ""


def default_next_conversation_due(held_on: datetime.date) -> datetime.date:
    """Twelve months after the conversation (28 February when the day does not exist)."""
    year = held_on.year + DEFAULT_MONTHS_TO_NEXT_CONVERSATION // 12
    try:
        return held_on.replace(year=year)
    except ValueError:
        return held_on.replace(year=year, day=28)


def _notify(**kwargs) -> None:
    from core.notifications import notify

    transaction.on_commit(lambda: notify(**kwargs))


def _is_current_line_manager(manager, individual) -> bool:
    profile = getattr(individual, "staff_profile", None)
    return profile is not None and profile.is_active and profile.line_manager_id == manager.pk


@transaction.atomic
def conversation_plan(
    *,
    facilitator,
    individual,
    planned_for: datetime.date,
    facilitator_role: str,
    requested_by_individual: bool = False,
) -> Conversation:
    """Plan a conversation. A line manager plans for a current direct report; a coach is chosen."""
    if facilitator.pk == individual.pk:
        raise ValidationError("You cannot facilitate your own career conversation")
    if facilitator_role == FacilitatorRole.LINE_MANAGER and not _is_current_line_manager(
        facilitator, individual
    ):
        raise ValidationError("You can only plan conversations for people who report to you")
    if facilitator_role == FacilitatorRole.COACH and not has_role(facilitator, Role.COACH):
        raise ValidationError({"coach": "Select a coach from the list"})
    if facilitator_role not in FacilitatorRole.values:
        raise ValidationError({"facilitator_role": "Select who will facilitate the conversation"})
    if Conversation.objects.filter(individual=individual, status__in=OPEN_STATUSES).exists():
        raise ValidationError(
            "You already have a career conversation in progress"
            if requested_by_individual
            else f"{individual} already has a career conversation in progress"
        )
    conversation = Conversation(
        individual=individual,
        facilitator=facilitator,
        facilitator_role=facilitator_role,
        planned_for=planned_for,
        requested_by_individual=requested_by_individual,
    )
    conversation.full_clean()
    conversation.save()
    audit(
        actor=facilitator if facilitator_role == FacilitatorRole.LINE_MANAGER else individual,
        action=AuditEvent.Action.CREATE,
        verb="conversation_plan",
        instance=conversation,
        after=snapshot(conversation, fields=["individual", "facilitator", "facilitator_role", "planned_for"]),
    )
    other = individual if facilitator_role == FacilitatorRole.LINE_MANAGER else facilitator
    _notify(
        recipient=other,
        event_key=f"conversation-planned:{conversation.pk}",
        title=f"A career conversation is planned for {planned_for:%-d %B %Y}",
        url=reverse("conversations:conversation_detail", kwargs={"pk": conversation.pk}),
    )
    return conversation


@transaction.atomic
def conversation_request(*, individual, message: str = "") -> None:
    """The individual asks their line manager for a conversation."""
    profile = getattr(individual, "staff_profile", None)
    if profile is None or profile.line_manager is None:
        raise ValidationError("You do not have a line manager recorded. Ask a coach instead.")
    today = timezone.localdate()
    audit(actor=individual, action=AuditEvent.Action.OTHER, verb="conversation_request", instance=individual)
    _notify(
        recipient=profile.line_manager,
        event_key=f"conversation-requested:{individual.pk}:{today.isoformat()}",
        title=f"{individual} has asked for a career conversation",
        body=message,
        url=reverse("conversations:team"),
    )


def _require_facilitator(conversation: Conversation, by) -> None:
    if conversation.facilitator_id != by.pk:
        raise ValidationError("Only the facilitator can do this")


def _require_individual(conversation: Conversation, by) -> None:
    if conversation.individual_id != by.pk:
        raise ValidationError("Only the person the conversation is about can do this")


@transaction.atomic
def conversation_preparation_update(*, conversation: Conversation, by, text: str) -> Conversation:
    """The facilitator's private preparation notes."""
    _require_facilitator(conversation, by)
    if conversation.status == Conversation.Status.CANCELLED:
        raise ValidationError("This conversation was cancelled")
    conversation.facilitator_preparation = text
    conversation.save(update_fields=["facilitator_preparation", "updated_at"])
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="conversation_preparation_update",
        instance=conversation,
    )
    return conversation


@transaction.atomic
def conversation_reflection_update(
    *, conversation: Conversation, by, text: str, is_shared: bool
) -> Conversation:
    """The individual's own reflection before the conversation, shared only if they choose."""
    _require_individual(conversation, by)
    if conversation.status == Conversation.Status.CANCELLED:
        raise ValidationError("This conversation was cancelled")
    before = snapshot(conversation, fields=["is_reflection_shared"])
    conversation.individual_reflection = text
    conversation.is_reflection_shared = is_shared
    conversation.save(update_fields=["individual_reflection", "is_reflection_shared", "updated_at"])
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="conversation_reflection_update",
        instance=conversation,
        before=before,
        after=snapshot(conversation, fields=["is_reflection_shared"]),
    )
    return conversation


@transaction.atomic
def conversation_wellbeing_notes_update(
    *, conversation: Conversation, by, notes: str, is_shared: bool
) -> Conversation:
    """The individual's wellbeing notes: private to them unless they share them."""
    _require_individual(conversation, by)
    conversation.wellbeing_notes = notes
    conversation.is_wellbeing_notes_shared = is_shared
    conversation.save(update_fields=["wellbeing_notes", "is_wellbeing_notes_shared", "updated_at"])
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="conversation_wellbeing_notes_update",
        instance=conversation,
        after={"is_wellbeing_notes_shared": is_shared},
    )
    return conversation


def _validate_record(
    conversation: Conversation, data: RecordData, actions: list[ActionData]
) -> FrameworkVersion:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if data.held_on > today:
        errors.setdefault("held_on", []).append("The date of the conversation must be today or in the past")
    framework_version = FrameworkVersion.objects.in_force(on=data.held_on)
    if framework_version is None:
        errors.setdefault("held_on", []).append(
            "No framework version was in force on the date of the conversation"
        )
    else:
        for name in ("current_impact_level", "target_impact_level"):
            level = getattr(data, name)
            if level is None or level.framework_version_id != framework_version.pk:
                errors.setdefault(name, []).append(
                    "Select an impact level from the framework in force on the date of the conversation"
                )
    choice_fields = {
        "ambition_depth": Ambition,
        "ambition_breadth": Ambition,
        "ambition_stretch": Ambition,
        "aspiration_timeframe": AspirationTimeframe,
        "current_growth_category": GrowthCategory,
        "target_growth_category": GrowthCategory,
        "readiness": Readiness,
    }
    for name, choices in choice_fields.items():
        if getattr(data, name) not in choices.values:
            errors.setdefault(name, []).append("Select one of the options")
    if not data.strengths.strip():
        errors.setdefault("strengths", []).append("Enter the strengths you discussed")
    if not data.aspirations.strip():
        errors.setdefault("aspirations", []).append("Enter the person's aspirations")
    if data.next_conversation_due <= data.held_on:
        errors.setdefault("next_conversation_due", []).append(
            "The next conversation must be due after the date of this conversation"
        )
    for index, action in enumerate(actions, start=1):
        key = f"action_{index}"
        if not action.description.strip():
            errors.setdefault(key, []).append(f"Enter what action {index} is")
        if action.action_type not in DevelopmentAction.ActionType.values:
            errors.setdefault(key, []).append(f"Select the type of action {index}")
        if action.owner not in DevelopmentAction.Owner.values:
            errors.setdefault(key, []).append(f"Select who owns action {index}")
        if action.due_on is None:
            errors.setdefault(key, []).append(f"Enter the date action {index} is due")
        elif action.due_on < data.held_on:
            errors.setdefault(key, []).append(
                f"Action {index} must be due after the date of the conversation"
            )
        elif action.due_on < today and action.action_id is None:
            errors.setdefault(key, []).append(f"Action {index} must be due today or in the future")
        if action.action_id is not None and not conversation.actions.filter(pk=action.action_id).exists():
            errors.setdefault(key, []).append(f"Action {index} is not part of this plan")
    if errors:
        raise ValidationError(errors)
    return framework_version


def _plan_snapshot(conversation: Conversation) -> list[dict]:
    return [
        {
            "id": action.pk,
            "description": action.description,
            "action_type": action.action_type,
            "owner": action.owner,
            "due_on": action.due_on.isoformat(),
            "status": action.status,
            "leadership_dimension": action.leadership_dimension.code if action.leadership_dimension else None,
        }
        for action in conversation.actions.select_related("leadership_dimension").order_by("due_on", "pk")
    ]


def _replace_plan(conversation: Conversation, actions: list[ActionData]) -> None:
    kept_ids = set()
    for action_data in actions:
        values = {
            "description": action_data.description.strip(),
            "action_type": action_data.action_type,
            "owner": action_data.owner,
            "due_on": action_data.due_on,
            "leadership_dimension": action_data.leadership_dimension,
        }
        if action_data.action_id is not None:
            conversation.actions.filter(pk=action_data.action_id).update(**values, updated_at=timezone.now())
            kept_ids.add(action_data.action_id)
        else:
            created = DevelopmentAction.objects.create(
                conversation=conversation, individual=conversation.individual, **values
            )
            kept_ids.add(created.pk)
    removed = conversation.actions.exclude(pk__in=kept_ids)
    # Progress already logged is part of the person's history: keep those actions, marked dropped.
    removed.filter(progress_updates__isnull=False).update(status=DevelopmentAction.Status.DROPPED)
    removed.filter(progress_updates__isnull=True).delete()


@transaction.atomic
def conversation_record(
    *,
    conversation: Conversation,
    by,
    data: RecordData,
    actions: list[ActionData],
    change_reason: str = "",
) -> ConversationRecord:
    """Save the outcome as a new record version and ask the individual to agree it.

    Versions are never edited: recording again (after the individual disagreed, or to change an
    agreed record) adds the next version, so the history keeps every view.
    """
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    _require_facilitator(conversation, by)
    if conversation.individual_id == by.pk:
        raise ValidationError("You cannot record a conversation about yourself")
    if conversation.status == Conversation.Status.CANCELLED:
        raise ValidationError("This conversation was cancelled")
    previous = conversation.records.order_by("-version").first()
    if previous is not None and not change_reason.strip():
        raise ValidationError({"change_reason": "Enter what changed and why"})
    framework_version = _validate_record(conversation, data, actions)

    _replace_plan(conversation, actions)
    record = ConversationRecord.objects.create(
        conversation=conversation,
        version=(previous.version + 1) if previous else 1,
        held_on=data.held_on,
        wellbeing_discussed=data.wellbeing_discussed,
        support_signposted=data.support_signposted,
        strengths=data.strengths.strip(),
        ambition_depth=data.ambition_depth,
        ambition_breadth=data.ambition_breadth,
        ambition_stretch=data.ambition_stretch,
        aspirations=data.aspirations.strip(),
        aspiration_timeframe=data.aspiration_timeframe,
        framework_version=framework_version,
        current_impact_level=data.current_impact_level,
        current_growth_category=data.current_growth_category,
        target_impact_level=data.target_impact_level,
        target_growth_category=data.target_growth_category,
        readiness=data.readiness,
        barrier_notes=data.barrier_notes.strip(),
        organisation_support=data.organisation_support.strip(),
        next_conversation_due=data.next_conversation_due,
        plan_snapshot=_plan_snapshot(conversation),
        recorded_by=by,
        change_reason=change_reason.strip(),
    )
    record.strength_dimensions.set(data.strength_dimensions)
    record.barriers.set(data.barriers)
    conversation.status = Conversation.Status.AWAITING_AGREEMENT
    conversation.agreed_at = None
    conversation.save(update_fields=["status", "agreed_at", "updated_at"])
    audit(
        actor=by,
        action=AuditEvent.Action.CREATE,
        verb="conversation_record",
        instance=record,
        before=snapshot(previous) if previous else None,
        after=snapshot(record),
    )
    _notify(
        recipient=conversation.individual,
        event_key=f"record-ready:{record.pk}",
        title="Your career conversation record is ready for you to agree",
        url=reverse("conversations:conversation_detail", kwargs={"pk": conversation.pk}),
    )
    return record


def _latest_pending_record(conversation: Conversation) -> ConversationRecord:
    if conversation.status == Conversation.Status.AGREED:
        raise ValidationError("You have already agreed this record")
    if conversation.status != Conversation.Status.AWAITING_AGREEMENT:
        raise ValidationError("There is no record waiting for you to agree")
    record = conversation.records.select_for_update().order_by("-version").first()
    if record is None or record.individual_response != ConversationRecord.Response.PENDING:
        raise ValidationError("There is no record waiting for you to agree")
    return record


@transaction.atomic
def conversation_agree(*, conversation: Conversation, by, comment: str = "") -> ConversationRecord:
    """The individual agrees the latest version, which locks it."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    _require_individual(conversation, by)
    record = _latest_pending_record(conversation)
    now = timezone.now()
    record.individual_response = ConversationRecord.Response.AGREED
    record.individual_responded_at = now
    record.individual_comment = comment.strip()
    record.save(update_fields=["individual_response", "individual_responded_at", "individual_comment"])
    conversation.status = Conversation.Status.AGREED
    conversation.agreed_at = now
    conversation.save(update_fields=["status", "agreed_at", "updated_at"])
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="conversation_agree",
        instance=record,
        after={"individual_response": record.individual_response, "version": record.version},
    )
    _notify(
        recipient=conversation.facilitator,
        event_key=f"record-agreed:{record.pk}",
        title=f"{conversation.individual} agreed their career conversation record",
        url=reverse("conversations:conversation_detail", kwargs={"pk": conversation.pk}),
    )
    return record


@transaction.atomic
def conversation_disagree(*, conversation: Conversation, by, comment: str) -> ConversationRecord:
    """The individual says they do not agree, and why. Both views are kept."""
    if not comment.strip():
        raise ValidationError({"comment": "Enter what you do not agree with"})
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    _require_individual(conversation, by)
    record = _latest_pending_record(conversation)
    record.individual_response = ConversationRecord.Response.NOT_AGREED
    record.individual_responded_at = timezone.now()
    record.individual_comment = comment.strip()
    record.save(update_fields=["individual_response", "individual_responded_at", "individual_comment"])
    conversation.status = Conversation.Status.NOT_AGREED
    conversation.save(update_fields=["status", "updated_at"])
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="conversation_disagree",
        instance=record,
        after={"individual_response": record.individual_response, "version": record.version},
    )
    _notify(
        recipient=conversation.facilitator,
        event_key=f"record-not-agreed:{record.pk}",
        title=f"{conversation.individual} does not agree with their career conversation record",
        body=record.individual_comment,
        url=reverse("conversations:conversation_detail", kwargs={"pk": conversation.pk}),
    )
    return record


@transaction.atomic
def conversation_cancel(*, conversation: Conversation, by) -> Conversation:
    """Cancel a planned conversation that has no record yet."""
    if by.pk not in (conversation.individual_id, conversation.facilitator_id):
        raise ValidationError("Only the people in the conversation can cancel it")
    if conversation.status != Conversation.Status.PLANNED or conversation.records.exists():
        raise ValidationError("Only a planned conversation with nothing recorded can be cancelled")
    conversation.status = Conversation.Status.CANCELLED
    conversation.save(update_fields=["status", "updated_at"])
    audit(actor=by, action=AuditEvent.Action.UPDATE, verb="conversation_cancel", instance=conversation)
    return conversation


@transaction.atomic
def development_action_progress_add(
    *, action: DevelopmentAction, by, note: str, status: str
) -> ActionProgressUpdate:
    """Log progress on a plan action and move it to a new status."""
    if not note.strip():
        raise ValidationError({"note": "Enter what progress has been made"})
    if status not in DevelopmentAction.Status.values:
        raise ValidationError({"status": "Select the status of the action"})
    before = snapshot(action, fields=["status"])
    update = ActionProgressUpdate.objects.create(
        action=action, note=note.strip(), status=status, created_by=by
    )
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="development_action_progress_add",
        instance=action,
        before=before,
        after=snapshot(action, fields=["status"]),
    )
    return update


@transaction.atomic
def growth_sharing_update(*, user, is_history_shared_with_new_managers: bool) -> GrowthSharing:
    """The individual's choice about new line managers seeing older records."""
    sharing, _ = GrowthSharing.objects.select_for_update().get_or_create(user=user)
    before = snapshot(sharing, fields=["is_history_shared_with_new_managers"])
    sharing.is_history_shared_with_new_managers = is_history_shared_with_new_managers
    sharing.save()
    audit(
        actor=user,
        action=AuditEvent.Action.UPDATE,
        verb="growth_sharing_update",
        instance=sharing,
        before=before,
        after=snapshot(sharing, fields=["is_history_shared_with_new_managers"]),
    )
    return sharing
