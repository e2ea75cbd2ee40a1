"""Permission predicates for people and roles. Templates and views ask these, never restate them."""

import rules

from accounts.models import Role
from accounts.roles import has_role


@rules.predicate
def is_system_administrator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def is_talent_lead(user) -> bool:
    return has_role(user, Role.TALENT_LEAD)


@rules.predicate
def is_hps_administrator(user) -> bool:
    return has_role(user, Role.HPS_ADMINISTRATOR)


@rules.predicate
def is_coach(user) -> bool:
    return has_role(user, Role.COACH)


@rules.predicate
def has_staff_profile(user) -> bool:
    if not user.is_authenticated:
        return False
    profile = getattr(user, "staff_profile", None)
    return profile is not None and profile.is_active


@rules.predicate
def is_line_manager(user) -> bool:
    """Someone with at least one active direct report."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_line_manager", None)
    if cached is None:
        cached = user.direct_report_profiles.filter(is_active=True).exists()
        user._is_line_manager = cached
    return cached


@rules.predicate
def is_equality_profile_owner(user, equality_profile) -> bool:
    return equality_profile is not None and equality_profile.user_id == user.pk


rules.add_perm("accounts.change_own_equality_profile", rules.is_authenticated)
rules.add_perm("accounts.view_equality_profile", is_equality_profile_owner)
rules.add_perm("accounts.change_equality_profile", is_equality_profile_owner)
rules.add_perm("conversations.view_own_growth", has_staff_profile)
rules.add_perm("conversations.view_team", is_line_manager | is_coach)
rules.add_perm("reporting.view_dashboards", is_talent_lead)
rules.add_perm("hps.view_scheme", rules.is_authenticated)
rules.add_perm("hps.administer_cohorts", is_hps_administrator)
rules.add_perm("hps.coach_participants", is_coach)
rules.add_perm("core.use_admin", is_system_administrator)
