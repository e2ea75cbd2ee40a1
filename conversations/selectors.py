"""Reads for Scope for Growth pages, always scoped to the person asking."""

from django.db.models import QuerySet

from accounts.models import StaffProfile

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
