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
