"""Factories for the High Potential Scheme: cohorts, applications (a trait per status), invitations."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import IntegratedCareSystem, PayBand, Role, Scope
from hps.models import (
    Application,
    CareerDevelopmentPlan,
    CoachingSession,
    Cohort,
    Destination,
    DevelopmentStream,
    FinalPanel,
    KeyExperience,
    LearningLogEntry,
    Participant,
    ReadinessAssessment,
    SponsorInvitation,
    SponsorMeeting,
    Workshop,
    WorkshopAttendance,
)
from hps.progress import add_months
from tests.accounts.factories import (
    OrganisationFactory,
    PayBandFactory,
    RoleAssignmentFactory,
    UserFactory,
)

#: The bands most intakes take: Agenda for Change 8a to 8d.
DEFAULT_BAND_CODES = ("AFC8A", "AFC8B", "AFC8C", "AFC8D")


def _today() -> datetime.date:
    return timezone.localdate()


class CohortFactory(DjangoModelFactory):
    """An intake open today, for the Staffordshire and Stoke-on-Trent ICS, bands 8a to 8d.

    Pass `integrated_care_systems=[...]`, `eligible_pay_bands=[...]` or `administrators=[...]` to
    choose them.
    """

    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Staffordshire and Stoke-on-Trent intake {n}")
    opens_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=30))
    starts_on = factory.LazyAttribute(lambda cohort: cohort.closes_on + datetime.timedelta(days=60))
    capacity = 20
    terms_version = "1.0"
    terms_text = (
        "You agree to take part in the scheme for 24 months.\n\nYour sponsor agrees to meet you monthly."
    )
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def integrated_care_systems(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [IntegratedCareSystem.objects.get(code="QNC")]
        self.integrated_care_systems.set(extracted)

    @factory.post_generation
    def eligible_pay_bands(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = list(PayBand.objects.filter(code__in=DEFAULT_BAND_CODES))
        self.eligible_pay_bands.set(extracted)

    @factory.post_generation
    def administrators(self, create, extracted, **kwargs):
        if create and extracted:
            self.administrators.set(extracted)


def _band_8a():
    return PayBandFactory(code="AFC8A", name="Band 8a", sort_order=81)


class ApplicationFactory(DjangoModelFactory):
    """A draft with nothing filled in. `complete=True` fills every section and signs the terms.

    A trait per status (`submitted=True`, `offered=True`...) gives an application as it would be in that
    status: complete, submitted, and signed by a sponsor once past "awaiting sponsor".
    """

    class Meta:
        model = Application

    applicant = factory.SubFactory(UserFactory)
    cohort = factory.SubFactory(CohortFactory)
    status = Application.Status.DRAFT

    class Params:
        complete = factory.Trait(
            job_title="Head of nursing",
            organisation=factory.SubFactory(OrganisationFactory),
            pay_band=factory.LazyFunction(_band_8a),
            development_stream=DevelopmentStream.STREAM_ONE,
            motivation_statement="I want to lead a whole service.",
            leadership_statement="I lead with compassion.",
            transition_statement="I am moving towards managing managers.",
            sponsor_email=factory.Sequence(lambda n: f"sponsor{n}@nhs.test"),
            sponsor_relationship=Application.SponsorRelationship.LINE_MANAGER,
            applicant_signed_name=factory.LazyAttribute(lambda application: str(application.applicant)),
            applicant_signed_at=factory.LazyFunction(timezone.now),
            applicant_terms_version=factory.LazyAttribute(
                lambda application: application.cohort.terms_version
            ),
        )
        was_submitted = factory.Trait(complete=True, submitted_at=factory.LazyFunction(timezone.now))
        sponsor_signed = factory.Trait(
            was_submitted=True,
            sponsor=factory.SubFactory(UserFactory),
            sponsor_signed_name=factory.LazyAttribute(lambda application: str(application.sponsor)),
            sponsor_signed_at=factory.LazyFunction(timezone.now),
            sponsor_terms_version=factory.LazyAttribute(lambda application: application.cohort.terms_version),
        )
        submitted = factory.Trait(was_submitted=True, status=Application.Status.SUBMITTED)
        awaiting_sponsor = factory.Trait(was_submitted=True, status=Application.Status.AWAITING_SPONSOR)
        eligibility_review = factory.Trait(sponsor_signed=True, status=Application.Status.ELIGIBILITY_REVIEW)
        ineligible = factory.Trait(sponsor_signed=True, status=Application.Status.INELIGIBLE)
        assessment_invited = factory.Trait(
            sponsor_signed=True,
            status=Application.Status.ASSESSMENT_INVITED,
            assessment_invited_at=factory.LazyFunction(timezone.now),
        )
        assessment_complete = factory.Trait(
            assessment_invited=True,
            status=Application.Status.ASSESSMENT_COMPLETE,
            assessment_completed_on=factory.LazyFunction(_today),
            assessment_result="Completed",
        )
        shortlisted = factory.Trait(assessment_complete=True, status=Application.Status.SHORTLISTED)
        offered = factory.Trait(assessment_complete=True, status=Application.Status.OFFERED)
        accepted = factory.Trait(assessment_complete=True, status=Application.Status.ACCEPTED)
        declined = factory.Trait(assessment_complete=True, status=Application.Status.DECLINED)
        unsuccessful = factory.Trait(assessment_complete=True, status=Application.Status.UNSUCCESSFUL)
        withdrawn = factory.Trait(was_submitted=True, status=Application.Status.WITHDRAWN)


class SponsorInvitationFactory(DjangoModelFactory):
    """An open invitation for the application's named sponsor. `token` is the raw token in the link."""

    class Meta:
        model = SponsorInvitation
        exclude = ("token",)

    application = factory.SubFactory(ApplicationFactory, awaiting_sponsor=True)
    email = factory.LazyAttribute(lambda invitation: invitation.application.sponsor_email)
    token = factory.Sequence(lambda n: f"test-token-{n}")
    token_hash = factory.LazyAttribute(lambda invitation: SponsorInvitation.hash_token(invitation.token))
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=SponsorInvitation.VALID_FOR_DAYS)
    )


# Participants and their logs (issue 5). Every log date defaults to a day early in the scheme, so it is
# within the 24 months and in the past.


class UnderWayCohortFactory(CohortFactory):
    """An intake whose 24 months started six months ago (applications closed two months before that)."""

    starts_on = factory.LazyFunction(lambda: add_months(_today(), -6))
    closes_on = factory.LazyAttribute(lambda cohort: cohort.starts_on - datetime.timedelta(days=60))
    opens_on = factory.LazyAttribute(lambda cohort: cohort.closes_on - datetime.timedelta(days=30))


class CoachFactory(UserFactory):
    """A career coach: a user with the national coach role."""

    @factory.post_generation
    def coach_role(self, create, extracted, **kwargs):
        if create:
            RoleAssignmentFactory(user=self, role=Role.COACH, scope=Scope.NATIONAL)


class CareerDevelopmentPlanFactory(DjangoModelFactory):
    """Made by `ParticipantFactory` (as an accepted offer does): empty unless `complete=True`.

    Fill it through the participant: `ParticipantFactory(career_development_plan__complete=True)`.
    """

    class Meta:
        model = CareerDevelopmentPlan
        skip_postgeneration_save = True

    class Params:
        complete = factory.Trait(
            aspirations="To lead a whole nursing service within five years.",
            strengths="Building teams; calm under pressure.",
            areas_to_develop="Finance and system-wide working.",
            planned_experiences="A secondment to the ICB; shadowing a chief nurse.",
        )


class ParticipantFactory(DjangoModelFactory):
    """A person six months into the scheme: an accepted application, a coach, a sponsor, an empty plan.

    `user`, `cohort` and `sponsor` are shared with the application; pass any of them to choose them.
    """

    class Meta:
        model = Participant
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    cohort = factory.SubFactory(UnderWayCohortFactory)
    sponsor = factory.SubFactory(UserFactory)
    coach = factory.SubFactory(CoachFactory)
    mentor = None
    application = factory.SubFactory(
        ApplicationFactory,
        accepted=True,
        applicant=factory.SelfAttribute("..user"),
        cohort=factory.SelfAttribute("..cohort"),
        sponsor=factory.SelfAttribute("..sponsor"),
    )
    starts_on = factory.LazyAttribute(lambda participant: participant.cohort.starts_on)
    ends_on = factory.LazyAttribute(
        lambda participant: add_months(participant.starts_on, Cohort.SCHEME_LENGTH_MONTHS)
    )
    status = Participant.Status.ACTIVE
    career_development_plan = factory.RelatedFactory(
        CareerDevelopmentPlanFactory, factory_related_name="participant"
    )


def _days_in(days: int):
    """A date the given number of days after the participant's start."""
    return factory.LazyAttribute(lambda row: row.participant.starts_on + datetime.timedelta(days=days))


class CoachingSessionFactory(DjangoModelFactory):
    class Meta:
        model = CoachingSession

    participant = factory.SubFactory(ParticipantFactory)
    coach = factory.LazyAttribute(lambda session: session.participant.coach)
    held_on = _days_in(14)
    duration_minutes = 90
    notes = "Talked through the move from leading one ward to leading several."
    agreed_actions = "Ask the sponsor about a secondment to the ICB."
    is_in_portfolio = False


class SponsorMeetingFactory(DjangoModelFactory):
    """Logged by the sponsor and not yet confirmed. `confirmed=True`: confirmed by the participant."""

    class Meta:
        model = SponsorMeeting

    participant = factory.SubFactory(ParticipantFactory)
    held_on = _days_in(10)
    notes = "Reviewed the first month and agreed the first key experience."
    logged_by = factory.LazyAttribute(lambda meeting: meeting.participant.sponsor)

    class Params:
        confirmed = factory.Trait(
            confirmed_by=factory.LazyAttribute(lambda meeting: meeting.participant.user),
            confirmed_at=factory.LazyFunction(timezone.now),
        )


class KeyExperienceFactory(DjangoModelFactory):
    """A four-month project, one day a week, without a reflection yet."""

    class Meta:
        model = KeyExperience

    participant = factory.SubFactory(ParticipantFactory)
    experience_type = KeyExperience.ExperienceType.PROJECT
    host_organisation = "University Hospitals of North Midlands NHS Trust"
    starts_on = _days_in(30)
    ends_on = factory.LazyAttribute(lambda experience: experience.starts_on + datetime.timedelta(days=120))
    days_per_week = Decimal("1.0")
    objectives = "Lead the redesign of discharge planning across two wards."
    reflection = ""


class WorkshopFactory(DjangoModelFactory):
    class Meta:
        model = Workshop

    cohort = factory.SubFactory(UnderWayCohortFactory)
    title = factory.Sequence(lambda n: f"Leading inclusively and with compassion {n}")
    held_on = factory.LazyAttribute(lambda workshop: workshop.cohort.starts_on + datetime.timedelta(days=21))
    is_core = True


class WorkshopAttendanceFactory(DjangoModelFactory):
    class Meta:
        model = WorkshopAttendance

    participant = factory.SubFactory(ParticipantFactory)
    workshop = factory.SubFactory(WorkshopFactory, cohort=factory.SelfAttribute("..participant.cohort"))
    recorded_by = factory.SubFactory(UserFactory)


class LearningLogEntryFactory(DjangoModelFactory):
    """A private entry. Pass `leadership_dimensions=[...]` to tag it."""

    class Meta:
        model = LearningLogEntry
        skip_postgeneration_save = True

    participant = factory.SubFactory(ParticipantFactory)
    written_on = _days_in(20)
    text = "Chairing the bed meeting showed me how much I rely on my own team's data."
    key_experience = None
    workshop = None
    is_shared_with_sponsor = False

    @factory.post_generation
    def leadership_dimensions(self, create, extracted, **kwargs):
        if create and extracted:
            self.leadership_dimensions.set(extracted)


class FinalPanelFactory(DjangoModelFactory):
    """Scheduled a month before the scheme ends, no outcome yet. `passed=True` for a pass."""

    class Meta:
        model = FinalPanel

    participant = factory.SubFactory(ParticipantFactory)
    held_on = factory.LazyAttribute(lambda panel: panel.participant.ends_on - datetime.timedelta(days=30))
    panel_members = "Dr Ada Okafor, chief executive\nSam Patel, chief nurse"
    outcome = ""
    feedback = ""

    class Params:
        passed = factory.Trait(outcome=FinalPanel.Outcome.PASSED, feedback="A clear and honest presentation.")


class ReadinessAssessmentFactory(DjangoModelFactory):
    class Meta:
        model = ReadinessAssessment

    participant = factory.SubFactory(ParticipantFactory)
    assessed_on = _days_in(150)
    outcome = ReadinessAssessment.Outcome.READY_12_MONTHS
    recorded_by = factory.SubFactory(UserFactory)


class DestinationFactory(DjangoModelFactory):
    class Meta:
        model = Destination

    participant = factory.SubFactory(ParticipantFactory)
    started_on = _days_in(120)
    job_title = "Deputy director of nursing"
    organisation_name = "Midlands Partnership University NHS Foundation Trust"
    pay_band = None
    is_promotion = True
