"""Factories for the High Potential Scheme: cohorts, applications (a trait per status), invitations."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import IntegratedCareSystem, PayBand
from hps.models import Application, Cohort, DevelopmentStream, SponsorInvitation
from tests.accounts.factories import OrganisationFactory, PayBandFactory, UserFactory

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
