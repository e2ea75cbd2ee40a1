"""Reads for talent pools and succession, always scoped to the person asking.

A talent lead sees the pools and critical roles of the organisations their current talent lead
assignments cover (`accounts.selectors.organisations_in_scope`); anything else is not found (404).
These pages are the only place the service shows named lists of people (DESIGN section 5).
"""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404

from accounts.models import Organisation, StaffProfile
from accounts.selectors import organisations_in_scope
from conversations.models import (
    Conversation,
    ConversationRecord,
    CriticalRole,
    Readiness,
    Successor,
    TalentPool,
    TalentPoolMembership,
)

#: Memberships that still count: the person is nominated or has accepted, not declined or left.
CURRENT_MEMBERSHIP_STATUSES = (TalentPoolMembership.Status.NOMINATED, TalentPoolMembership.Status.ACCEPTED)

#: Readiness answers in a conversation record that make someone a possible successor.
SUCCESSION_READINESS = (Readiness.READY_NOW, Readiness.ONE_TO_TWO_YEARS, Readiness.THREE_PLUS_YEARS)


def talent_lead_organisations(user) -> QuerySet[Organisation]:
    """The organisations covered by the person's current talent lead assignments (none for anyone else)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return organisations_in_scope(user)


def _get_or_404(queryset: QuerySet, **lookups):
    found = queryset.filter(**lookups).first()
    if found is None:
        raise Http404
    return found


# --- Talent pools -------------------------------------------------------------------------------


def talent_pools_visible_to(*, user) -> QuerySet[TalentPool]:
    """The pools of the organisations in the talent lead's scope, with their current member count."""
    return (
        TalentPool.objects.filter(organisation__in=talent_lead_organisations(user).values("pk"))
        .select_related("organisation")
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__status__in=CURRENT_MEMBERSHIP_STATUSES))
        )
        .order_by("organisation__name", "name", "pk")
    )


def talent_pool_for(*, user, pk) -> TalentPool:
    """One pool in the talent lead's scope, or 404."""
    return _get_or_404(talent_pools_visible_to(user=user), pk=pk)


def memberships_of(pool: TalentPool) -> QuerySet[TalentPoolMembership]:
    """Everyone nominated to the pool, with what the named list shows, by surname."""
    return pool.memberships.select_related(
        "individual__staff_profile__pay_band", "nominated_by", "source_conversation"
    ).order_by("individual__last_name", "individual__first_name", "individual__email", "pk")


def membership_for(*, pool: TalentPool, pk) -> TalentPoolMembership:
    """One membership of a pool the caller already loaded through `talent_pool_for`, or 404."""
    return _get_or_404(memberships_of(pool), pk=pk)


def open_pools_for_nomination(*, individual) -> QuerySet[TalentPool]:
    """The open pools of the organisation the person works in (none if they have no staff record)."""
    profile = StaffProfile.objects.filter(user=individual, is_active=True).first()
    if profile is None:
        return TalentPool.objects.none()
    return TalentPool.objects.filter(organisation_id=profile.organisation_id, is_open=True).order_by(
        "name", "pk"
    )


# --- Critical roles and successors -------------------------------------------------------------


def critical_roles_visible_to(*, user) -> QuerySet[CriticalRole]:
    """The critical roles of the organisations in scope, with successor counts by readiness."""

    def successors_ready(readiness: str) -> Count:
        return Count("successors", filter=Q(successors__readiness=readiness))

    return (
        CriticalRole.objects.filter(organisation__in=talent_lead_organisations(user).values("pk"))
        .select_related("organisation", "incumbent")
        .annotate(
            ready_now_count=successors_ready(Readiness.READY_NOW),
            one_to_two_years_count=successors_ready(Readiness.ONE_TO_TWO_YEARS),
            three_plus_years_count=successors_ready(Readiness.THREE_PLUS_YEARS),
        )
        .order_by("organisation__name", "title", "pk")
    )


def critical_role_for(*, user, pk) -> CriticalRole:
    """One critical role in the talent lead's scope, or 404."""
    return _get_or_404(critical_roles_visible_to(user=user), pk=pk)


def _case_rank(field: str, ranks: dict[str, int]) -> Case:
    return Case(
        *(When(**{field: value}, then=Value(rank)) for value, rank in ranks.items()),
        default=Value(len(ranks)),
        output_field=IntegerField(),
    )


def successors_of(critical_role: CriticalRole) -> QuerySet[Successor]:
    """The role's successors, readiest first, then by surname."""
    readiness_order = {value: position for position, value in enumerate(SUCCESSION_READINESS)}
    return (
        critical_role.successors.select_related(
            "individual__staff_profile__pay_band", "source_membership__pool", "added_by"
        )
        .alias(readiness_rank=_case_rank("readiness", readiness_order))
        .order_by("readiness_rank", "individual__last_name", "individual__first_name", "pk")
    )


def successor_for(*, critical_role: CriticalRole, pk) -> Successor:
    """One successor of a role the caller already loaded through `critical_role_for`, or 404."""
    return _get_or_404(successors_of(critical_role), pk=pk)


@dataclass(frozen=True)
class SuccessorCandidate:
    """Someone who may be added as a successor, and why they are on the list."""

    profile: StaffProfile
    membership_id: int | None
    pool_name: str
    record_readiness: str
    record_conversation_id: int | None

    @property
    def user(self):
        return self.profile.user

    @property
    def reason(self) -> str:
        reasons = []
        if self.pool_name:
            reasons.append(f"{self.pool_name} talent pool")
        if self.record_readiness:
            reasons.append(f"latest conversation: {Readiness(self.record_readiness).label.lower()}")
        return "; ".join(reasons)

    @property
    def label(self) -> str:
        return f"{self.user}, {self.profile.job_title} ({self.reason})"


def successor_candidates(*, user, critical_role: CriticalRole) -> list[SuccessorCandidate]:
    """The people of the role's organisation who may succeed to it.

    They are drawn from (a) current members of the talent pools in the talent lead's scope and
    (b) people whose latest conversation record (of a conversation not cancelled) gives a readiness
    of ready now, 1 to 2 years or 3 years or more. The incumbent and existing successors are left out.
    Nobody is eligible for someone whose scope does not cover the role's organisation.
    """
    organisations = talent_lead_organisations(user)
    if not organisations.filter(pk=critical_role.organisation_id).exists():
        return []
    memberships = TalentPoolMembership.objects.filter(
        individual=OuterRef("user"),
        status__in=CURRENT_MEMBERSHIP_STATUSES,
        pool__organisation__in=organisations.values("pk"),
    ).order_by("pool__name", "pk")
    latest_records = (
        ConversationRecord.objects.filter(conversation__individual=OuterRef("user"))
        .exclude(conversation__status=Conversation.Status.CANCELLED)
        .order_by("-held_on", "-conversation__planned_for", "-conversation_id", "-version")
    )
    profiles = (
        StaffProfile.objects.filter(organisation=critical_role.organisation_id, is_active=True)
        .exclude(user_id=critical_role.incumbent_id)
        .exclude(user__in=critical_role.successors.values("individual"))
        .select_related("user")
        .annotate(
            membership_id=Subquery(memberships.values("pk")[:1]),
            pool_name=Subquery(memberships.values("pool__name")[:1]),
            record_readiness=Subquery(latest_records.values("readiness")[:1]),
            record_conversation_id=Subquery(latest_records.values("conversation_id")[:1]),
        )
        .filter(Q(membership_id__isnull=False) | Q(record_readiness__in=SUCCESSION_READINESS))
        .order_by("user__last_name", "user__first_name", "user__email", "pk")
    )
    candidates = []
    for profile in profiles:
        is_record_ready = profile.record_readiness in SUCCESSION_READINESS
        candidates.append(
            SuccessorCandidate(
                profile=profile,
                membership_id=profile.membership_id,
                pool_name=profile.pool_name or "",
                record_readiness=profile.record_readiness if is_record_ready else "",
                record_conversation_id=profile.record_conversation_id if is_record_ready else None,
            )
        )
    return candidates
