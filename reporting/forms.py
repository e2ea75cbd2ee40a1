"""The dashboards' filter: area, period (snapshot date), staff, equality breakdown and HPS intake."""

from django import forms

from accounts.models import Organisation, PayBand, StaffGroup
from core.forms import Field, Layout, NhsukFormHelper, Size, Submit
from hps.models import Cohort
from reporting.dashboards import ALL, BREAKDOWN_CHOICES, DEFAULT_BREAKDOWN, Filters
from reporting.models import AreaLevel, Snapshot
from reporting.scope import Area, find_area


class DashboardFilterForm(forms.Form):
    area = forms.ChoiceField(
        label="Area", required=False, error_messages={"invalid_choice": "Select an area from the list"}
    )
    period = forms.ChoiceField(
        label="Figures as at",
        required=False,
        error_messages={"invalid_choice": "Select a date from the list"},
    )
    staff = forms.ChoiceField(
        label="Staff", required=False, error_messages={"invalid_choice": "Select staff from the list"}
    )
    breakdown = forms.ChoiceField(
        label="Equality breakdown",
        choices=BREAKDOWN_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Select an equality breakdown from the list"},
    )
    cohort = forms.ChoiceField(
        label="HPS intake",
        required=False,
        error_messages={"invalid_choice": "Select an intake from the list"},
    )

    def __init__(self, data, *, areas: list[Area], snapshots: list[Snapshot], with_cohort: bool):
        super().__init__(data)
        self.areas = areas
        self.snapshots = {snapshot.as_of.isoformat(): snapshot for snapshot in snapshots}
        self.fields["area"].choices = [(area.key, _area_label(area)) for area in areas]
        self.fields["period"].choices = [(key, f"{s.as_of:%-d %B %Y}") for key, s in self.snapshots.items()]
        bands = list(PayBand.objects.order_by("sort_order", "name").values_list("code", "name"))
        groups = list(StaffGroup.objects.order_by("name").values_list("code", "name"))
        self.staff_labels = {"": "All staff"}
        self.staff_labels.update({f"pay_band:{code}": name for code, name in bands})
        self.staff_labels.update({f"staff_group:{code}": name for code, name in groups})
        self.fields["staff"].choices = [
            ("", "All staff"),
            ("Pay band", [(f"pay_band:{code}", name) for code, name in bands]),
            ("Staff group", [(f"staff_group:{code}", name) for code, name in groups]),
        ]
        if with_cohort:
            self.cohorts = {
                str(pk): (pk, name)
                for pk, name in _cohorts_for(areas).order_by("-opens_on", "name").values_list("pk", "name")
            }
            self.fields["cohort"].choices = [
                ("", "All intakes"),
                *((key, name) for key, (_pk, name) in self.cohorts.items()),
            ]
        else:
            del self.fields["cohort"]
            self.cohorts = {}
        self.helper = NhsukFormHelper(self, label_size=Size.SMALL)
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            *(Field.select(name) for name in self.fields),
            Submit("Apply filters", secondary=True),
        )

    def filters(self) -> Filters:
        """The filters to apply; call only when the form is valid and there is a snapshot."""
        data = self.cleaned_data
        area = find_area(self.areas, data.get("area"))
        snapshot = self.snapshots.get(data.get("period")) or next(iter(self.snapshots.values()))
        staff = data.get("staff") or ""
        dimension, _, key = staff.partition(":") if staff else (ALL, "", "")
        cohort = None
        if data.get("cohort"):
            cohort = Cohort.objects.filter(pk=self.cohorts[data["cohort"]][0]).first()
        return Filters(
            area=area,
            snapshot=snapshot,
            dimension=dimension or ALL,
            dimension_key=key,
            dimension_label=self.staff_labels[staff] if staff else "All staff",
            breakdown=data.get("breakdown") or DEFAULT_BREAKDOWN,
            cohort=cohort,
        )


def _cohorts_for(areas: list[Area]):
    """Intakes whose ICS footprint meets the person's areas (every intake for a national lead)."""
    if any(area.is_national for area in areas):
        return Cohort.objects.all()
    ics_ids = {area.pk for area in areas if area.level == AreaLevel.ICS}
    organisation_ids = [area.pk for area in areas if area.level == AreaLevel.ORGANISATION]
    if organisation_ids:
        ics_ids.update(
            Organisation.objects.filter(pk__in=organisation_ids).values_list(
                "integrated_care_system_id", flat=True
            )
        )
    return Cohort.objects.filter(
        pk__in=Cohort.integrated_care_systems.through.objects.filter(
            integratedcaresystem_id__in=ics_ids
        ).values("cohort_id")
    )


def _area_label(area: Area) -> str:
    return area.name if area.is_national else f"{area.name} ({area.level_label.lower()})"
