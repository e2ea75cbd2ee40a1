"""Reading a person's current roles, cached on the user object for the length of a request."""

from accounts.models import Role, RoleAssignment

_CACHE_ATTRIBUTE = "_current_role_assignments"


def current_role_assignments(user) -> list[RoleAssignment]:
    """The person's role assignments valid today, fetched once per user object."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.current()
            .filter(user=user)
            .select_related("region", "integrated_care_system", "organisation")
        )
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def has_role(user, role: Role) -> bool:
    return any(assignment.role == role for assignment in current_role_assignments(user))


def requires_mfa(user) -> bool:
    """Talent leads, HPS administrators and system administrators must use an authenticator app."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return has_role(user, Role.TALENT_LEAD) or has_role(user, Role.HPS_ADMINISTRATOR)
