"""Scope for Growth: the framework, conversations, versioned records, plans, pools and succession."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.models import TimeStampedModel


class FrameworkVersionQuerySet(models.QuerySet):
    def in_force(self, on=None):
        """The version in force on a date: the latest whose effective date has passed."""
        on = on or timezone.localdate()
        return self.filter(effective_from__lte=on).order_by("-effective_from").first()


class FrameworkVersion(models.Model):
    """A version of the Scope for Growth framework.

    The official impact-level labels are not published, so they are data that a system
    administrator edits; only the structure (an impact axis and three growth categories) is fixed.
    """

    name = models.CharField(max_length=100, unique=True)
    effective_from = models.DateField(unique=True)
    description = models.TextField(blank=True)

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return self.name


class ImpactLevel(models.Model):
    """A level on the impact axis (capability and contribution) of one framework version."""

    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="impact_levels"
    )
    order = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["framework_version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework_version", "order"], name="impact_level_order_unique")
        ]

    def __str__(self) -> str:
        return self.label


class GrowthCategory(models.TextChoices):
    """The three categories of the growth axis (verified structure of the framework)."""

    DEPTH = "depth", "Depth"
    BREADTH = "breadth", "Breadth"
    STRETCH = "stretch", "Stretch and complexity"


class Ambition(models.TextChoices):
    NOT_NOW = "not_now", "Not a focus for now"
    SOME = "some", "Some interest"
    STRONG = "strong", "Strong ambition"


class AspirationTimeframe(models.TextChoices):
    NOW = "now", "Now"
    WITHIN_12_MONTHS = "within_12_months", "Within 12 months"
    ONE_TO_TWO_YEARS = "one_to_two_years", "In 1 to 2 years"
    THREE_PLUS_YEARS = "three_plus_years", "In 3 years or more"


class Readiness(models.TextChoices):
    READY_NOW = "ready_now", "Ready now"
    ONE_TO_TWO_YEARS = "one_to_two_years", "Ready within 1 to 2 years"
    THREE_PLUS_YEARS = "three_plus_years", "Ready in 3 years or more"
    DEVELOPING_IN_ROLE = "developing_in_role", "Developing in current role"


class LeadershipDimension(models.Model):
    """A dimension of the NHS Healthcare Leadership Model, used to tag strengths and actions."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class BarrierType(models.Model):
    """A coded barrier to growth (admin-editable list)."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class FacilitatorRole(models.TextChoices):
    LINE_MANAGER = "line_manager", "Line manager"
    COACH = "coach", "Coach"


class Conversation(TimeStampedModel):
    """One Scope for Growth conversation between an individual and their facilitator.

    What was agreed lives in `ConversationRecord` versions; this row holds the plan for the meeting
    and each side's own preparation.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        AWAITING_AGREEMENT = "awaiting_agreement", "Awaiting agreement"
        NOT_AGREED = "not_agreed", "Not agreed"
        AGREED = "agreed", "Agreed"
        CANCELLED = "cancelled", "Cancelled"

    individual = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="facilitated_conversations"
    )
    facilitator_role = models.CharField(max_length=20, choices=FacilitatorRole)
    status = models.CharField(max_length=20, choices=Status, default=Status.PLANNED)
    planned_for = models.DateField()
    requested_by_individual = models.BooleanField(default=False)
    # The facilitator's private notes: never shown to the individual.
    facilitator_preparation = models.TextField(blank=True)
    # The individual's own reflection, shown to the facilitator only when they choose.
    individual_reflection = models.TextField(blank=True)
    is_reflection_shared = models.BooleanField(default=False)
    # The individual's wellbeing notes, private to them unless they choose to share.
    wellbeing_notes = models.TextField(blank=True)
    is_wellbeing_notes_shared = models.BooleanField(default=False)
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-planned_for", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(facilitator=F("individual")), name="conversation_not_self_facilitated"
            )
        ]
        indexes = [
            models.Index(fields=["individual", "status"]),
            models.Index(fields=["facilitator", "status"]),
        ]

    def __str__(self) -> str:
        return f"Conversation with {self.individual} on {self.planned_for:%d %B %Y}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.AGREED


class ConversationRecord(models.Model):
    """One version of the outcome of a conversation. Versions are never changed once agreed."""

    class Response(models.TextChoices):
        PENDING = "pending", "Waiting for a response"
        AGREED = "agreed", "Agreed"
        NOT_AGREED = "not_agreed", "Not agreed"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="records")
    version = models.PositiveSmallIntegerField()
    held_on = models.DateField()
    wellbeing_discussed = models.BooleanField()
    support_signposted = models.BooleanField()
    strengths = models.TextField()
    strength_dimensions = models.ManyToManyField(LeadershipDimension, blank=True, related_name="+")
    ambition_depth = models.CharField(max_length=10, choices=Ambition)
    ambition_breadth = models.CharField(max_length=10, choices=Ambition)
    ambition_stretch = models.CharField(max_length=10, choices=Ambition)
    aspirations = models.TextField()
    aspiration_timeframe = models.CharField(max_length=20, choices=AspirationTimeframe)
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+")
    current_impact_level = models.ForeignKey(ImpactLevel, on_delete=models.PROTECT, related_name="+")
    current_growth_category = models.CharField(max_length=10, choices=GrowthCategory)
    target_impact_level = models.ForeignKey(ImpactLevel, on_delete=models.PROTECT, related_name="+")
    target_growth_category = models.CharField(max_length=10, choices=GrowthCategory)
    readiness = models.CharField(max_length=20, choices=Readiness)
    barriers = models.ManyToManyField(BarrierType, blank=True, related_name="+")
    barrier_notes = models.TextField(blank=True)
    organisation_support = models.TextField("how the organisation could help", blank=True)
    next_conversation_due = models.DateField()
    # The development plan as it stood when this version was saved, for the history.
    plan_snapshot = models.JSONField(default=list)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    change_reason = models.TextField(blank=True)
    individual_response = models.CharField(max_length=12, choices=Response, default=Response.PENDING)
    individual_responded_at = models.DateTimeField(null=True, blank=True)
    individual_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["conversation", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "version"], name="record_version_unique"),
        ]

    def __str__(self) -> str:
        return f"Record version {self.version} of {self.conversation}"


class DevelopmentAction(TimeStampedModel):
    """An action in a person's development plan, agreed in a conversation."""

    class ActionType(models.TextChoices):
        EXPERIENCE = "experience", "Experience"
        EXPOSURE = "exposure", "Exposure"
        EDUCATION = "education", "Education"

    class Owner(models.TextChoices):
        INDIVIDUAL = "individual", "The individual"
        FACILITATOR = "facilitator", "The line manager or coach"
        ORGANISATION = "organisation", "The organisation"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "No longer needed"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="actions")
    individual = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="development_actions"
    )
    description = models.TextField()
    action_type = models.CharField(max_length=12, choices=ActionType)
    leadership_dimension = models.ForeignKey(
        LeadershipDimension, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.CharField(max_length=12, choices=Owner)
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status, default=Status.NOT_STARTED)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["individual", "status"]), models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.description[:80]


class ActionProgressUpdate(models.Model):
    """A note on progress against a development action, with the status it left the action in."""

    action = models.ForeignKey(DevelopmentAction, on_delete=models.CASCADE, related_name="progress_updates")
    note = models.TextField()
    status = models.CharField(max_length=12, choices=DevelopmentAction.Status)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Progress on {self.action}"


class GrowthSharing(TimeStampedModel):
    """The individual's choices about who else may see their growth records."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="growth_sharing"
    )
    is_history_shared_with_new_managers = models.BooleanField(
        "let a new line manager see records made with a previous one", default=False
    )

    def __str__(self) -> str:
        return f"Sharing choices of {self.user}"


class TalentPool(TimeStampedModel):
    """A group of people at a similar stage with similar aspirations, run by a talent lead."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="talent_pools"
    )
    is_open = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="talent_pool_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class TalentPoolMembership(TimeStampedModel):
    class Status(models.TextChoices):
        NOMINATED = "nominated", "Nominated"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        LEFT = "left", "Left the pool"

    pool = models.ForeignKey(TalentPool, on_delete=models.CASCADE, related_name="memberships")
    individual = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="talent_pool_memberships"
    )
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source_conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="nominations"
    )
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.NOMINATED)

    class Meta:
        ordering = ["pool", "individual"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "individual"], name="talent_pool_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.individual} in {self.pool}"


class CriticalRole(TimeStampedModel):
    """A role the organisation must be able to fill, with its succession plan."""

    title = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="critical_roles"
    )
    description = models.TextField(blank=True)
    incumbent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["organisation", "title"]

    def __str__(self) -> str:
        return self.title


class Successor(TimeStampedModel):
    """A possible successor for a critical role, drawn from a talent pool or a conversation."""

    critical_role = models.ForeignKey(CriticalRole, on_delete=models.CASCADE, related_name="successors")
    individual = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    readiness = models.CharField(
        max_length=20,
        choices=[
            (Readiness.READY_NOW, "Ready now"),
            (Readiness.ONE_TO_TWO_YEARS, "Ready in 1 to 2 years"),
            (Readiness.THREE_PLUS_YEARS, "Ready in 3 years or more"),
        ],
    )
    source_membership = models.ForeignKey(
        TalentPoolMembership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["critical_role", "readiness"]
        constraints = [
            models.UniqueConstraint(fields=["critical_role", "individual"], name="successor_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.individual} for {self.critical_role}"


def portable_export_upload_to(instance: "PortableExport", filename: str) -> str:
    """Exports live under `exports/<user id>/`, in storage that is never served publicly."""
    return f"exports/{instance.user_id}/{filename}"


class PortableExport(models.Model):
    """Everything the service holds about a person, as a PDF and a JSON file, to take elsewhere.

    Built by a Celery task; downloadable only by its owner, through a view, until `expires_at`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Being created"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be created"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portable_exports"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    pdf_file = models.FileField(upload_to=portable_export_upload_to, max_length=255, blank=True)
    json_file = models.FileField(upload_to=portable_export_upload_to, max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "status"]), models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"Portable export {self.pk} of {self.user}"

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())
