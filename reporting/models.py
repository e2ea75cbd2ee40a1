"""Summary tables behind the talent dashboards, the Staff Survey results and exports of aggregates.

The dashboards never read raw rows: `reporting.refresh` aggregates people, conversations, talent pools,
succession plans and HPS applications into these tables once per snapshot date (by Celery every night,
and on demand), and the dashboard selectors read a handful of indexed rows from them. Every count here is
a true count; what may be shown is decided by `reporting.disclosure` when a view, CSV or PDF is built.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AreaLevel(models.TextChoices):
    NATIONAL = "national", "England"
    REGION = "region", "Region"
    ICS = "ics", "Integrated care system"
    ORGANISATION = "organisation", "Organisation"


class Snapshot(models.Model):
    """One refresh of the summary tables, as things stood at the end of `as_of`.

    One snapshot per date: refreshing a date again replaces its rows. The dashboards' period filter
    picks a snapshot (by default the latest), so month-end snapshots kept over time give the trends.
    """

    as_of = models.DateField(unique=True)
    refreshed_at = models.DateTimeField(default=timezone.now)
    staff_count = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-as_of"]

    def __str__(self) -> str:
        return f"Snapshot as of {self.as_of:%-d %B %Y}"


class CubeKey(models.Model):
    """Where a summary row belongs: an area, a row dimension with its key, and an equality group.

    `dimension` is "all", "pay_band", "staff_group" or "organisation" (the key is the code of the band,
    staff group or organisation, or "" for all). `breakdown` is "all", an `EqualityProfile` field or a
    derived grouping from `reporting.groups` (the group is its code, or "" for all).
    """

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+")
    area_level = models.CharField(max_length=12, choices=AreaLevel)
    area_id = models.PositiveIntegerField(default=0)
    dimension = models.CharField(max_length=20)
    dimension_key = models.CharField(max_length=20, blank=True)
    breakdown = models.CharField(max_length=30)
    group = models.CharField(max_length=20, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        where = f"{self.area_level} {self.area_id}, {self.dimension} {self.dimension_key}"
        return f"{where}, {self.breakdown} {self.group}"


class StaffCube(CubeKey):
    """People in post and where they are in their conversations and the talent pipeline."""

    staff = models.PositiveIntegerField(default=0)
    had_conversation = models.PositiveIntegerField("had a conversation in the last 12 months", default=0)
    agreed = models.PositiveIntegerField("agreed record in the last 12 months", default=0)
    overdue = models.PositiveIntegerField("next conversation overdue", default=0)
    never_had = models.PositiveIntegerField("never had a conversation", default=0)
    with_position = models.PositiveIntegerField("framework position recorded", default=0)
    wants_to_move_up = models.PositiveIntegerField("target level above current level", default=0)
    ready_now = models.PositiveIntegerField(default=0)
    ready_one_to_two_years = models.PositiveIntegerField(default=0)
    ready_later = models.PositiveIntegerField("ready in 3 years or more", default=0)
    developing_in_role = models.PositiveIntegerField(default=0)
    in_talent_pool = models.PositiveIntegerField(default=0)
    successor = models.PositiveIntegerField("named as a successor", default=0)

    MEASURES = (
        "staff",
        "had_conversation",
        "agreed",
        "overdue",
        "never_had",
        "with_position",
        "wants_to_move_up",
        "ready_now",
        "ready_one_to_two_years",
        "ready_later",
        "developing_in_role",
        "in_talent_pool",
        "successor",
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["snapshot", "area_level", "area_id", "breakdown", "dimension"],
                name="staff_cube_lookup",
            )
        ]


class DistributionCube(CubeKey):
    """How many people fall in each category of one measure (a framework level, a barrier...).

    Only rows with `dimension` "all" or `breakdown` "all" are kept: a measure is shown by band, staff
    group or organisation, or by equality group, but the two are not crossed.
    """

    class Measure(models.TextChoices):
        CURRENT_LEVEL = "current_level", "Current impact level"
        TARGET_LEVEL = "target_level", "Target impact level"
        CURRENT_GROWTH = "current_growth", "Current growth category"
        TARGET_GROWTH = "target_growth", "Target growth category"
        READINESS = "readiness", "Readiness"
        TIMEFRAME = "timeframe", "When they want to move"
        BARRIER = "barrier", "Barriers"
        ACTION_TYPE = "action_type", "Development needs"

    measure = models.CharField(max_length=20, choices=Measure)
    category = models.CharField(max_length=40)
    people = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["snapshot", "area_level", "area_id", "measure", "breakdown", "dimension"],
                name="distribution_cube_lookup",
            )
        ]


class HpsFunnelCube(models.Model):
    """How many people reached each step of one HPS intake, for an area and an equality group.

    The area is the applicant's organisation's; "eligible" counts staff in the cohort's ICS footprint
    and eligible bands.
    """

    STEPS = (
        "eligible",
        "applied",
        "sponsor_signed",
        "invited",
        "assessed",
        "shortlisted",
        "offered",
        "accepted",
        "completed",
        "promoted",
    )

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey("hps.Cohort", on_delete=models.CASCADE, related_name="+")
    area_level = models.CharField(max_length=12, choices=AreaLevel)
    area_id = models.PositiveIntegerField(default=0)
    breakdown = models.CharField(max_length=30)
    group = models.CharField(max_length=20, blank=True)
    eligible = models.PositiveIntegerField(default=0)
    applied = models.PositiveIntegerField(default=0)
    sponsor_signed = models.PositiveIntegerField(default=0)
    invited = models.PositiveIntegerField("invited to assessment", default=0)
    assessed = models.PositiveIntegerField(default=0)
    shortlisted = models.PositiveIntegerField(default=0)
    offered = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    promoted = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["snapshot", "area_level", "area_id", "breakdown"], name="hps_funnel_lookup")
        ]

    def __str__(self) -> str:
        return f"HPS funnel of cohort {self.cohort_id}, {self.area_level} {self.area_id}, {self.breakdown}"


class SuccessionCube(models.Model):
    """Successors named for one critical role, by readiness and equality group."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+")
    critical_role = models.ForeignKey(
        "conversations.CriticalRole", on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    breakdown = models.CharField(max_length=30)
    group = models.CharField(max_length=20, blank=True)
    ready_now = models.PositiveIntegerField(default=0)
    ready_one_to_two_years = models.PositiveIntegerField(default=0)
    ready_later = models.PositiveIntegerField("ready in 3 years or more", default=0)

    class Meta:
        indexes = [
            models.Index(fields=["snapshot", "breakdown", "organisation"], name="succession_cube_lookup")
        ]

    def __str__(self) -> str:
        return f"Successors for role {self.critical_role_id}, {self.breakdown} {self.group}"


class TalentPoolCube(models.Model):
    """Members of one talent pool and the flows in and out in the 12 months to the snapshot."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+")
    pool = models.ForeignKey("conversations.TalentPool", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    breakdown = models.CharField(max_length=30)
    group = models.CharField(max_length=20, blank=True)
    members = models.PositiveIntegerField("nominated or accepted", default=0)
    joined = models.PositiveIntegerField("nominated in the last 12 months", default=0)
    left = models.PositiveIntegerField("left or declined in the last 12 months", default=0)

    class Meta:
        indexes = [
            models.Index(fields=["snapshot", "breakdown", "organisation"], name="talent_pool_cube_lookup")
        ]

    def __str__(self) -> str:
        return f"Members of pool {self.pool_id}, {self.breakdown} {self.group}"


class OrganisationYearCoverage(models.Model):
    """People in post in an organisation and how many of them had a conversation in a calendar year.

    Used only for the Staff Survey comparison, which is at organisation level.
    """

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    staff = models.PositiveIntegerField()
    had_conversation = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "organisation", "year"], name="organisation_year_coverage_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Coverage of organisation {self.organisation_id} in {self.year}"


class SurveyTheme(models.TextChoices):
    """The NHS Staff Survey results the service compares conversation coverage with."""

    ALWAYS_LEARNING = "always_learning", "We are always learning"
    INTENTION_TO_STAY = "intention_to_stay", "Intention to stay"


class SurveyResult(models.Model):
    """One organisation's NHS Staff Survey score for one theme or question in one year (imported)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    theme = models.CharField("theme or question", max_length=30, choices=SurveyTheme)
    score = models.DecimalField(max_digits=5, decimal_places=2)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation", "year", "theme"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "theme"], name="survey_result_unique")
        ]
        indexes = [models.Index(fields=["theme", "year"])]

    def __str__(self) -> str:
        return f"{self.get_theme_display()} {self.year}: {self.score}"


def report_upload_to(instance: "ReportExport", filename: str) -> str:
    return f"reports/{instance.requested_by_id}/{filename}"


class ReportExport(models.Model):
    """A dashboard exported as CSV or PDF, built by a Celery task and downloadable by who asked."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        PENDING = "pending", "Being created"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be created"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_exports"
    )
    dashboard = models.CharField(max_length=30)
    file_format = models.CharField(max_length=3, choices=Format)
    parameters = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    file = models.FileField(upload_to=report_upload_to, max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "status"]), models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.get_file_format_display()} export {self.pk} of the {self.dashboard} dashboard"
