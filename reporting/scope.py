"""The areas a talent lead may report on: England, a region, an ICS or an organisation.

A talent lead's role assignments (accounts.RoleAssignment) set their scope. Every dashboard, CSV and PDF
is built for one area, and only an area returned by `areas_for(user)` may be asked for: anything else
is treated as not found.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import IntegratedCareSystem, Organisation, Region, Role, Scope
from accounts.roles import current_role_assignments
from reporting.models import AreaLevel


@dataclass(frozen=True, slots=True)
class Area:
    level: str
    pk: int
    name: str

    @property
    def key(self) -> str:
        """The value used in the dashboards' filter: "national", "region-3", "ics-12", "organisation-45"."""
        return AreaLevel.NATIONAL.value if self.level == AreaLevel.NATIONAL else f"{self.level}-{self.pk}"

    @property
    def is_national(self) -> bool:
        return self.level == AreaLevel.NATIONAL

    @property
    def level_label(self) -> str:
        return str(AreaLevel(self.level).label)


ENGLAND = Area(level=AreaLevel.NATIONAL, pk=0, name="England")


def areas_for(user) -> list[Area]:
    """Every area the person may see as a talent lead, widest first; empty when they are not one.

    At most three queries, whatever the number of assignments.
    """
    assignments = [a for a in current_role_assignments(user) if a.role == Role.TALENT_LEAD]
    if not assignments:
        return []
    if any(a.scope == Scope.NATIONAL for a in assignments):
        region_ids = ics_ids = organisation_ids = None
        areas = [ENGLAND]
    else:
        region_ids = {a.region_id for a in assignments if a.scope == Scope.REGION}
        ics_ids = {a.integrated_care_system_id for a in assignments if a.scope == Scope.ICS}
        organisation_ids = {a.organisation_id for a in assignments if a.scope == Scope.ORGANISATION}
        areas = []

    regions = Region.objects.order_by("name")
    systems = IntegratedCareSystem.objects.order_by("name")
    organisations = Organisation.objects.select_related(None).order_by("name")
    if region_ids is not None:
        regions = regions.filter(pk__in=region_ids)
        systems = systems.filter(pk__in=ics_ids) | systems.filter(region_id__in=region_ids)
        organisations = (
            organisations.filter(pk__in=organisation_ids)
            | organisations.filter(integrated_care_system_id__in=ics_ids)
            | organisations.filter(integrated_care_system__region_id__in=region_ids)
        )
    if region_ids is None or region_ids:
        areas.extend(Area(AreaLevel.REGION, pk, name) for pk, name in regions.values_list("pk", "name"))
    if region_ids is None or region_ids or ics_ids:
        areas.extend(Area(AreaLevel.ICS, pk, name) for pk, name in systems.values_list("pk", "name"))
    areas.extend(
        Area(AreaLevel.ORGANISATION, pk, name) for pk, name in organisations.values_list("pk", "name")
    )
    return areas


def find_area(areas: list[Area], key: str | None) -> Area | None:
    """The area with filter value `key` among `areas`, the widest when `key` is empty, else None."""
    if not key:
        return areas[0] if areas else None
    return next((area for area in areas if area.key == key), None)
