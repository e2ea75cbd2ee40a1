"""The High Potential Scheme: cohorts (intakes) and applications from eligibility to offer."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import TimeStampedModel


class Cohort(TimeStampedModel):
    """One intake of the scheme, run by HPS administrators for an ICS footprint."""

    SCHEME_LENGTH_MONTHS = 24

    name = models.CharField(max_length=200, unique=True)
    integrated_care_systems = models.ManyToManyField(
        "accounts.IntegratedCareSystem", related_name="hps_cohorts", verbose_name="ICS footprint"
    )
    eligible_pay_bands = models.ManyToManyField("accounts.PayBand", related_name="+")
    opens_on = models.DateField("applications open")
    closes_on = models.DateField("applications close")
    starts_on = models.DateField("scheme starts")
    capacity = models.PositiveSmallIntegerField()
    terms_version = models.CharField("terms and conditions version", max_length=20)
    terms_text = models.TextField("terms and conditions")
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="administered_cohorts", blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opens_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="cohort_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__gt=models.F("closes_on")), name="cohort_starts_after_closing"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())


class DevelopmentStream(models.IntegerChoices):
    """The two career transitions of the scheme."""

    STREAM_ONE = (
        1,
        "Development stream 1: moving towards managing a range of teams, or senior technical expert",
    )
    STREAM_TWO = 2, "Development stream 2: moving towards leading a whole function or service"


class Application(TimeStampedModel):
    """A person's application to a cohort. Its status changes only through `hps.workflow`."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        AWAITING_SPONSOR = "awaiting_sponsor", "Waiting for sponsor"
        ELIGIBILITY_REVIEW = "eligibility_review", "Eligibility review"
        INELIGIBLE = "ineligible", "Not eligible"
        ASSESSMENT_INVITED = "assessment_invited", "Invited to assessment"
        ASSESSMENT_COMPLETE = "assessment_complete", "Assessment complete"
        SHORTLISTED = "shortlisted", "Shortlisted"
        OFFERED = "offered", "Offered a place"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class SponsorRelationship(models.TextChoices):
        LINE_MANAGER = "line_manager", "My line manager"
        SENIOR_SPONSOR = "senior_sponsor", "Another senior leader in my organisation"

    STATEMENT_WORD_LIMIT = 500

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hps_applications"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    # The applicant's answers to the eligibility questions asked before the form.
    eligibility_answers = models.JSONField(default=dict, blank=True)
    # Role and organisation, as the applicant describes them.
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pay_band = models.ForeignKey(
        "accounts.PayBand", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    development_stream = models.PositiveSmallIntegerField(choices=DevelopmentStream, null=True, blank=True)
    motivation_statement = models.TextField(blank=True)
    leadership_statement = models.TextField(blank=True)
    transition_statement = models.TextField(blank=True)
    # The sponsor: named by email, linked to an account when they accept the invitation.
    sponsor_email = models.EmailField(blank=True)
    sponsor_relationship = models.CharField(max_length=20, choices=SponsorRelationship, blank=True)
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_hps_applications",
    )
    # Signatures: typed full name, when, and which version of the terms.
    applicant_signed_name = models.CharField(max_length=200, blank=True)
    applicant_signed_at = models.DateTimeField(null=True, blank=True)
    applicant_terms_version = models.CharField(max_length=20, blank=True)
    sponsor_signed_name = models.CharField(max_length=200, blank=True)
    sponsor_signed_at = models.DateTimeField(null=True, blank=True)
    sponsor_terms_version = models.CharField(max_length=20, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The leadership potential assessment, run elsewhere.
    assessment_invited_at = models.DateTimeField(null=True, blank=True)
    assessment_completed_on = models.DateField(null=True, blank=True)
    assessment_result = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["cohort", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "cohort"], name="one_application_per_cohort"),
        ]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self) -> str:
        return f"Application by {self.applicant} to {self.cohort}"

    @property
    def is_sponsor_signed(self) -> bool:
        return self.sponsor_signed_at is not None


class ApplicationTransition(models.Model):
    """One change of an application's status: who, when and why. Rows are never changed."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Application.Status)
    to_status = models.CharField(max_length=20, choices=Application.Status)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application}: {self.from_status} to {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Application history cannot be changed")
        super().save(*args, **kwargs)


class SponsorInvitation(models.Model):
    """A single-use, expiring link for the named sponsor. Only a hash of the token is stored."""

    VALID_FOR_DAYS = 14

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="sponsor_invitations")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Sponsor invitation for {self.application}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class Participant(TimeStampedModel):
    """A person on the scheme: made when they accept an offer. Completion is computed from the logs."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        WITHDRAWN = "withdrawn", "Withdrawn"
        COMPLETED = "completed", "Completed"

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="participant")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hps_participations"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="participants")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coached_participants",
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_participants",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentored_participants",
        verbose_name="mentor or buddy",
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    status_reason = models.TextField(blank=True)
    needs_readiness_assessment = models.BooleanField(default=False)
    # An administrator may complete someone whose records fall short, with a reason.
    completion_exception_reason = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cohort", "user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="participant_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.cohort}"


class CoachingSession(TimeStampedModel):
    """A session with the career coach. The notes are private to the coach and the participant."""

    MAX_MINUTES = 120

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="coaching_sessions")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True)
    agreed_actions = models.TextField(blank=True)
    # The participant chooses whether the notes go in their portfolio PDF.
    is_in_portfolio = models.BooleanField(default=False)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=120),
                name="coaching_session_up_to_2_hours",
            )
        ]

    def __str__(self) -> str:
        return f"Coaching session on {self.held_on}"


class SponsorMeeting(TimeStampedModel):
    """A meeting with the sponsor: logged by either of them and confirmed by the other."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="sponsor_meetings")
    held_on = models.DateField()
    notes = models.TextField(blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Sponsor meeting on {self.held_on}"


class KeyExperience(TimeStampedModel):
    class ExperienceType(models.TextChoices):
        PLACEMENT = "placement", "Placement"
        SECONDMENT = "secondment", "Secondment"
        STRETCH_ASSIGNMENT = "stretch_assignment", "Stretch assignment"
        PROJECT = "project", "Project"
        SHADOWING = "shadowing", "Shadowing"
        ROLE_CHANGE = "role_change", "Role change"

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="key_experiences")
    experience_type = models.CharField(max_length=20, choices=ExperienceType)
    host_organisation = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    days_per_week = models.DecimalField(max_digits=2, decimal_places=1)
    objectives = models.TextField()
    reflection = models.TextField(blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(days_per_week__gte=1, days_per_week__lte=5), name="experience_days_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="experience_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_experience_type_display()} at {self.host_organisation}"


class Workshop(TimeStampedModel):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="workshops")
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    is_core = models.BooleanField("core workshop", default=True)
    attendees = models.ManyToManyField(Participant, through="WorkshopAttendance", related_name="workshops")

    class Meta:
        ordering = ["held_on", "title"]

    def __str__(self) -> str:
        return self.title


class WorkshopAttendance(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="workshop_attendances"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "participant"], name="workshop_attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.participant} at {self.workshop}"


class LearningLogEntry(TimeStampedModel):
    """A dated reflection. Private to the participant unless they share it with their sponsor."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="learning_log")
    written_on = models.DateField()
    text = models.TextField()
    leadership_dimensions = models.ManyToManyField(
        "conversations.LeadershipDimension", blank=True, related_name="+"
    )
    key_experience = models.ForeignKey(
        KeyExperience, null=True, blank=True, on_delete=models.SET_NULL, related_name="learning_log"
    )
    workshop = models.ForeignKey(Workshop, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_shared_with_sponsor = models.BooleanField(default=False)

    class Meta:
        ordering = ["-written_on", "-id"]

    def __str__(self) -> str:
        return f"Learning log entry of {self.written_on}"


class CareerDevelopmentPlan(TimeStampedModel):
    """The plan built with the coach: one per participant, edited over the scheme."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="career_development_plan"
    )
    aspirations = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    areas_to_develop = models.TextField(blank=True)
    leadership_dimensions = models.ManyToManyField(
        "conversations.LeadershipDimension", blank=True, related_name="+"
    )
    planned_experiences = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Career development plan of {self.participant}"

    @property
    def is_complete(self) -> bool:
        return all([self.aspirations.strip(), self.strengths.strip(), self.areas_to_develop.strip()])


class FinalPanel(TimeStampedModel):
    """The final presentation to a panel of senior system leaders."""

    class Outcome(models.TextChoices):
        PASSED = "passed", "Passed"
        RESUBMIT = "resubmit", "Asked to resubmit"

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="final_panels")
    held_on = models.DateField()
    panel_members = models.TextField(help_text="One name and role per line.")
    outcome = models.CharField(max_length=10, choices=Outcome, blank=True)
    feedback = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Final panel on {self.held_on}"


class ReadinessAssessment(TimeStampedModel):
    class Outcome(models.TextChoices):
        READY_NOW = "ready_now", "Ready now"
        READY_12_MONTHS = "ready_12_months", "Ready within 12 months"
        NOT_YET = "not_yet", "Not yet ready"

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="readiness_assessments"
    )
    assessed_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"Readiness assessment on {self.assessed_on}"


class Destination(TimeStampedModel):
    """A role the participant moved to, during or after the scheme (promotion tracking)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="destinations")
    started_on = models.DateField()
    job_title = models.CharField(max_length=200)
    organisation_name = models.CharField(max_length=200)
    pay_band = models.ForeignKey(
        "accounts.PayBand", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_promotion = models.BooleanField()

    class Meta:
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"{self.job_title} from {self.started_on}"
