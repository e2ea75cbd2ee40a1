"""Every write to talent pools and the critical roles (succession) register.

One function per domain action: it validates, writes in a transaction and records an audit event.
Errors are `ValidationError`s keyed by the form field they belong to, in NHS content style. Views
load pools and roles through `conversations.talent_selectors`, so they are already in the talent
lead's scope; the services check the scope again so that no caller can write outside it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Organisation, StaffProfile
from conversations.models import (
    Conversation,
    CriticalRole,
    Successor,
    TalentPool,
    TalentPoolMembership,
)
from conversations.talent_selectors import (
    SUCCESSION_READINESS,
    successor_candidates,
    talent_lead_organisations,
)
from core.audit import audit, snapshot
from core.models import AuditEvent
from core.notifications import notify

POOL_FIELDS = ["name", "description", "organisation", "is_open"]
MEMBERSHIP_FIELDS = ["pool", "individual", "nominated_by", "source_conversation", "status"]
CRITICAL_ROLE_FIELDS = ["title", "organisation", "description", "incumbent"]
SUCCESSOR_FIELDS = [
    "critical_role",
    "individual",
    "readiness",
    "source_membership",
    "source_conversation",
]

#: The statuses a talent lead may set; "nominated" is only ever set by a nomination.
MEMBERSHIP_STATUSES_TO_SET = (
    TalentPoolMembership.Status.ACCEPTED,
    TalentPoolMembership.Status.DECLINED,
    TalentPoolMembership.Status.LEFT,
)

NAME_MAX_LENGTH = TalentPool._meta.get_field("name").max_length
TITLE_MAX_LENGTH = CriticalRole._meta.get_field("title").max_length


def _require_scope(user, organisation: Organisation) -> None:
    """A safety net behind the scoped selectors: never write outside the talent lead's scope."""
    if not talent_lead_organisations(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied


def _already_in_pool(individual, pool: TalentPool) -> str:
    return f"{individual} is already in the {pool.name} talent pool. Select a different talent pool"


def _works_at(individual, organisation: Organisation) -> bool:
    return StaffProfile.objects.filter(user=individual, organisation=organisation, is_active=True).exists()


# --- Talent pools -------------------------------------------------------------------------------


def _clean_pool_name(name: str, *, organisation: Organisation, pool: TalentPool | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the talent pool"})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": f"Name must be {NAME_MAX_LENGTH} characters or fewer"})
    others = TalentPool.objects.filter(organisation=organisation, name__iexact=name)
    if pool is not None:
        others = others.exclude(pk=pool.pk)
    if others.exists():
        raise ValidationError(
            {"name": f"{organisation} already has a talent pool called {name}. Enter a different name"}
        )
    return name


@transaction.atomic
def talent_pool_create(
    *, organisation: Organisation, name: str, description: str = "", created_by
) -> TalentPool:
    """Create an open talent pool for an organisation in the talent lead's scope."""
    _require_scope(created_by, organisation)
    pool = TalentPool.objects.create(
        organisation=organisation,
        name=_clean_pool_name(name, organisation=organisation),
        description=(description or "").strip(),
        created_by=created_by,
    )
    audit(
        actor=created_by,
        action=AuditEvent.Action.CREATE,
        verb="talent_pool_create",
        instance=pool,
        after=snapshot(pool, fields=POOL_FIELDS),
    )
    return pool


@transaction.atomic
def talent_pool_update(*, pool: TalentPool, updated_by, data: dict) -> TalentPool:
    """Change a pool's name or description, or close or reopen it (`is_open`).

    `data` holds only the fields to change; the organisation of a pool never changes, because its
    members work there.
    """
    _require_scope(updated_by, pool.organisation)
    unknown = set(data) - {"name", "description", "is_open"}
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} of a talent pool")
    before = snapshot(pool, fields=POOL_FIELDS)
    if "name" in data:
        pool.name = _clean_pool_name(data["name"], organisation=pool.organisation, pool=pool)
    if "description" in data:
        pool.description = (data["description"] or "").strip()
    if "is_open" in data:
        pool.is_open = bool(data["is_open"])
    after = snapshot(pool, fields=POOL_FIELDS)
    if after == before:
        return pool
    pool.save()
    audit(
        actor=updated_by,
        action=AuditEvent.Action.UPDATE,
        verb="talent_pool_update",
        instance=pool,
        before=before,
        after=after,
    )
    return pool


@transaction.atomic
def talent_pool_nominate(
    *,
    pool: TalentPool,
    individual,
    nominated_by,
    source_conversation: Conversation | None = None,
    reason: str = "",
) -> TalentPoolMembership:
    """Nominate someone to an open talent pool of the organisation they work in, and tell them.

    The caller has checked that `nominated_by` may nominate this person (the facilitator of one of
    their conversations, through `conversation_facilitated_by`).
    """
    # Lock the pool so that closing it and nominating to it cannot interleave.
    pool = TalentPool.objects.select_for_update().select_related("organisation").get(pk=pool.pk)
    if not pool.is_open:
        raise ValidationError({"pool": f"The {pool.name} talent pool is closed. Select an open talent pool"})
    if not _works_at(individual, pool.organisation):
        message = f"{individual} does not work at {pool.organisation}. Select a pool of their organisation"
        raise ValidationError({"pool": message})
    if source_conversation is not None and source_conversation.individual_id != individual.pk:
        raise ValidationError("The conversation must be one of the nominated person's conversations")
    if TalentPoolMembership.objects.filter(pool=pool, individual=individual).exists():
        raise ValidationError({"pool": _already_in_pool(individual, pool)})
    try:
        with transaction.atomic():
            membership = TalentPoolMembership.objects.create(
                pool=pool,
                individual=individual,
                nominated_by=nominated_by,
                source_conversation=source_conversation,
                reason=(reason or "").strip(),
            )
    except IntegrityError:
        # Two nominations at the same moment: the unique constraint keeps only one.
        raise ValidationError({"pool": _already_in_pool(individual, pool)}) from None
    audit(
        actor=nominated_by,
        action=AuditEvent.Action.CREATE,
        verb="talent_pool_nominate",
        instance=membership,
        after=snapshot(membership, fields=MEMBERSHIP_FIELDS),
    )
    # In the same transaction: a nomination that rolls back leaves no notification behind.
    notify(
        recipient=individual,
        event_key=f"talent-pool-nominated:{membership.pk}",
        title=f"You have been nominated to the {pool.name} talent pool",
        body=f"{nominated_by} nominated you to the {pool.name} talent pool at {pool.organisation}. "
        "Your organisation's talent lead will be in touch about what happens next.",
        url=reverse("conversations:growth"),
    )
    return membership


@transaction.atomic
def talent_pool_membership_set_status(
    *, membership: TalentPoolMembership, status: str, changed_by
) -> TalentPoolMembership:
    """Record that a member accepted or declined their place, or left the pool."""
    _require_scope(changed_by, membership.pool.organisation)
    if status not in MEMBERSHIP_STATUSES_TO_SET:
        raise ValidationError({"status": "Select whether they accepted, declined or left the pool"})
    if membership.status == status:
        return membership
    before = snapshot(membership, fields=["status"])
    membership.status = status
    membership.save(update_fields=["status", "updated_at"])
    audit(
        actor=changed_by,
        action=AuditEvent.Action.UPDATE,
        verb="talent_pool_membership_set_status",
        instance=membership,
        before=before,
        after=snapshot(membership, fields=["status"]),
    )
    return membership


@transaction.atomic
def talent_pool_membership_remove(*, membership: TalentPoolMembership, removed_by) -> None:
    """Take someone off a pool's list altogether (for a nomination made in error)."""
    _require_scope(removed_by, membership.pool.organisation)
    before = snapshot(membership, fields=MEMBERSHIP_FIELDS)
    audit(
        actor=removed_by,
        action=AuditEvent.Action.DELETE,
        verb="talent_pool_membership_remove",
        instance=membership,
        before=before,
    )
    membership.delete()


# --- Critical roles and successors -------------------------------------------------------------


def _clean_title(title: str, *, organisation: Organisation, critical_role: CriticalRole | None = None) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Enter the title of the role"})
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError({"title": f"Title must be {TITLE_MAX_LENGTH} characters or fewer"})
    others = CriticalRole.objects.filter(organisation=organisation, title__iexact=title)
    if critical_role is not None:
        others = others.exclude(pk=critical_role.pk)
    if others.exists():
        raise ValidationError(
            {"title": f"{organisation} already has a critical role called {title}. Enter a different title"}
        )
    return title


def _check_incumbent(incumbent, organisation: Organisation) -> None:
    if incumbent is not None and not _works_at(incumbent, organisation):
        raise ValidationError(
            {"incumbent": f"Enter the email address of someone who works at {organisation}"}
        )


@transaction.atomic
def critical_role_create(
    *, organisation: Organisation, title: str, description: str = "", incumbent=None, created_by
) -> CriticalRole:
    """Add a role to the register of an organisation in the talent lead's scope."""
    _require_scope(created_by, organisation)
    title = _clean_title(title, organisation=organisation)
    _check_incumbent(incumbent, organisation)
    critical_role = CriticalRole.objects.create(
        organisation=organisation,
        title=title,
        description=(description or "").strip(),
        incumbent=incumbent,
        created_by=created_by,
    )
    audit(
        actor=created_by,
        action=AuditEvent.Action.CREATE,
        verb="critical_role_create",
        instance=critical_role,
        after=snapshot(critical_role, fields=CRITICAL_ROLE_FIELDS),
    )
    return critical_role


@transaction.atomic
def critical_role_update(
    *, critical_role: CriticalRole, updated_by, title: str, description: str = "", incumbent=None
) -> CriticalRole:
    """Change a role's title, description or incumbent. The organisation of a role never changes."""
    _require_scope(updated_by, critical_role.organisation)
    title = _clean_title(title, organisation=critical_role.organisation, critical_role=critical_role)
    _check_incumbent(incumbent, critical_role.organisation)
    if incumbent is not None and critical_role.successors.filter(individual=incumbent).exists():
        raise ValidationError(
            {"incumbent": f"{incumbent} is a successor for this role. Remove them as a successor first"}
        )
    before = snapshot(critical_role, fields=CRITICAL_ROLE_FIELDS)
    critical_role.title = title
    critical_role.description = (description or "").strip()
    critical_role.incumbent = incumbent
    after = snapshot(critical_role, fields=CRITICAL_ROLE_FIELDS)
    if after == before:
        return critical_role
    critical_role.save()
    audit(
        actor=updated_by,
        action=AuditEvent.Action.UPDATE,
        verb="critical_role_update",
        instance=critical_role,
        before=before,
        after=after,
    )
    return critical_role


@transaction.atomic
def successor_add(*, critical_role: CriticalRole, individual, readiness: str, added_by) -> Successor:
    """Add a possible successor to a critical role.

    Only people in `successor_candidates` for the talent lead qualify (a member of a talent pool in
    their scope, or someone whose latest conversation says they are ready); the successor keeps a
    link to the pool membership and the conversation they were drawn from.
    """
    _require_scope(added_by, critical_role.organisation)
    if readiness not in SUCCESSION_READINESS:
        raise ValidationError({"readiness": "Select when they will be ready for the role"})
    if critical_role.successors.filter(individual=individual).exists():
        raise ValidationError({"individual": f"{individual} is already a successor for this role"})
    candidate = next(
        (
            candidate
            for candidate in successor_candidates(user=added_by, critical_role=critical_role)
            if candidate.user.pk == individual.pk
        ),
        None,
    )
    if candidate is None:
        raise ValidationError({"individual": "Select a person from the list"})
    successor = Successor.objects.create(
        critical_role=critical_role,
        individual=individual,
        readiness=readiness,
        source_membership_id=candidate.membership_id,
        source_conversation_id=candidate.record_conversation_id,
        added_by=added_by,
    )
    audit(
        actor=added_by,
        action=AuditEvent.Action.CREATE,
        verb="successor_add",
        instance=successor,
        after=snapshot(successor, fields=SUCCESSOR_FIELDS),
    )
    return successor


@transaction.atomic
def successor_remove(*, successor: Successor, removed_by) -> None:
    """Take someone off a critical role's succession plan."""
    _require_scope(removed_by, successor.critical_role.organisation)
    audit(
        actor=removed_by,
        action=AuditEvent.Action.DELETE,
        verb="successor_remove",
        instance=successor,
        before=snapshot(successor, fields=SUCCESSOR_FIELDS),
    )
    successor.delete()
