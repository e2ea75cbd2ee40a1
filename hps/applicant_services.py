"""The applicant's side of the High Potential Scheme: starting, filling in, submitting and following
an application.

Writes: one function per action, keyword-only, in a transaction, raising a `ValidationError` (keyed by
the form field it belongs to, in NHS content style) and changing nothing when a rule fails. Every
status change goes through `hps.services.application_transition`. The sponsor's invitation and its
email belong to `hps.sponsor_services`, imported when needed.

Reads: the few things the applicant's pages work out from an application they already hold (loaded
through the scoped selectors in `hps.selectors`): the task list, the sponsor's status, the home page.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import Organisation, PayBand, StaffProfile
from core.audit import audit, snapshot
from core.models import AuditEvent
from core.notifications import notify
from hps.eligibility import EligibilityAnswers, bands_text, check_eligibility, footprint_text, rules_for
from hps.models import (
    Application,
    ApplicationTransition,
    Cohort,
    DevelopmentStream,
    Participant,
    SponsorInvitation,
)
from hps.selectors import applications_of, applications_sponsored_by, open_cohorts
from hps.services import application_transition

Status = Application.Status

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"
SPONSOR_IS_APPLICANT = "Your sponsor must be someone else"
NOT_EDITABLE = "You cannot change this application because it has been submitted"
JOB_TITLE_MAX_LENGTH = Application._meta.get_field("job_title").max_length

ROLE_FIELDS = ["job_title", "organisation", "pay_band"]
SPONSOR_FIELDS = ["sponsor_email", "sponsor_relationship", "sponsor"]
SIGNATURE_FIELDS = ["applicant_signed_name", "applicant_signed_at", "applicant_terms_version"]


#: NHS.UK tag colour for each status.
STATUS_TAG_CLASSES = {
    Status.DRAFT: "nhsuk-tag--grey",
    Status.SUBMITTED: "nhsuk-tag--yellow",
    Status.AWAITING_SPONSOR: "nhsuk-tag--yellow",
    Status.ELIGIBILITY_REVIEW: "nhsuk-tag--blue",
    Status.INELIGIBLE: "nhsuk-tag--red",
    Status.ASSESSMENT_INVITED: "nhsuk-tag--blue",
    Status.ASSESSMENT_COMPLETE: "nhsuk-tag--blue",
    Status.SHORTLISTED: "nhsuk-tag--aqua-green",
    Status.OFFERED: "nhsuk-tag--purple",
    Status.ACCEPTED: "nhsuk-tag--green",
    Status.DECLINED: "nhsuk-tag--white",
    Status.UNSUCCESSFUL: "nhsuk-tag--red",
    Status.WITHDRAWN: "nhsuk-tag--white",
}


def status_tag_class(status: str) -> str:
    return STATUS_TAG_CLASSES.get(status, "nhsuk-tag--grey")


def format_date(day: datetime.date) -> str:
    """NHS style dates: 8 September 2026."""
    return f"{day.day} {day:%B %Y}"


# --- Sections of the form ------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """One supporting statement: its field, the question, and how error messages name it."""

    field: str
    question: str
    hint: str
    subject: str

    @property
    def subject_capitalised(self) -> str:
        return self.subject[0].upper() + self.subject[1:]


STATEMENTS = (
    Statement(
        "motivation_statement",
        "Why do you want to join the High Potential Scheme?",
        "Tell us what you hope to gain from the scheme and what you will bring to it.",
        "why you want to join the scheme",
    ),
    Statement(
        "leadership_statement",
        "How do you show compassionate and inclusive leadership?",
        "Give examples from your work of how you lead with compassion and include everyone in your team.",
        "how you show compassionate and inclusive leadership",
    ),
    Statement(
        "transition_statement",
        "Which career transition are you working towards, and how will the scheme help you make it?",
        "Say where you want to be in 5 to 8 years and what you need to get there.",
        "the career transition you are working towards",
    ),
)


def word_count(text: str) -> int:
    return len((text or "").split())


def _words(count: int) -> str:
    return f"{count} word" if count == 1 else f"{count} words"


class Step(StrEnum):
    """The pages of the form, in order. The value is the page's address (`hps:application_step`)."""

    ROLE = "role"
    STREAM = "stream"
    STATEMENTS = "statements"
    SPONSOR = "sponsor"
    TERMS = "terms"


STEP_TITLES = {
    Step.ROLE: "Your role and organisation",
    Step.STREAM: "Development stream",
    Step.STATEMENTS: "Supporting statements",
    Step.SPONSOR: "Your sponsor",
    Step.TERMS: "Terms and conditions",
}
#: What to do about a section that stops the application being submitted.
INCOMPLETE_MESSAGES = {
    Step.ROLE: "Add your role and organisation",
    Step.STREAM: "Select a development stream",
    Step.STATEMENTS: "Write your 3 supporting statements",
    Step.SPONSOR: "Name your sponsor",
    Step.TERMS: "Sign the terms and conditions",
}
#: The steps to fill in before the terms can be signed.
CONTENT_STEPS = (Step.ROLE, Step.STREAM, Step.STATEMENTS, Step.SPONSOR)


class SectionStatus(StrEnum):
    COMPLETED = "Completed"
    INCOMPLETE = "Incomplete"
    CANNOT_START_YET = "Cannot start yet"


@dataclass(frozen=True)
class Section:
    step: Step
    title: str
    status: SectionStatus

    @property
    def is_startable(self) -> bool:
        return self.status != SectionStatus.CANNOT_START_YET


def statement_error(statement: Statement, text: str) -> str:
    """The error for a statement's text ("" if none): it is needed, and at most 500 words."""
    count = word_count(text)
    if count == 0:
        return f"Enter {statement.subject}"
    if count > Application.STATEMENT_WORD_LIMIT:
        return (
            f"{statement.subject_capitalised} must be {Application.STATEMENT_WORD_LIMIT} words or fewer. "
            f"You have entered {_words(count)}"
        )
    return ""


def _statement_errors(application: Application) -> dict[str, str]:
    errors = {}
    for statement in STATEMENTS:
        if message := statement_error(statement, getattr(application, statement.field)):
            errors[statement.field] = message
    return errors


def _is_step_complete(application: Application, step: Step) -> bool:
    if step == Step.ROLE:
        return bool(application.job_title and application.organisation_id and application.pay_band_id)
    if step == Step.STREAM:
        return application.development_stream in DevelopmentStream.values
    if step == Step.STATEMENTS:
        return not _statement_errors(application)
    if step == Step.SPONSOR:
        return bool(application.sponsor_email and application.sponsor_relationship)
    # The terms: signed, and signed for the version the intake asks for now.
    return (
        application.applicant_signed_at is not None
        and application.applicant_terms_version == application.cohort.terms_version
    )


def application_sections(application: Application) -> list[Section]:
    """The task list: each section with "Completed", "Incomplete" or "Cannot start yet".

    The terms can be signed only once the other sections are complete: the declaration covers them.
    """
    sections = []
    content_complete = True
    for step in Step:
        is_complete = _is_step_complete(application, step)
        if step in CONTENT_STEPS:
            content_complete = content_complete and is_complete
            status = SectionStatus.COMPLETED if is_complete else SectionStatus.INCOMPLETE
        elif not content_complete:
            status = SectionStatus.CANNOT_START_YET
        else:
            status = SectionStatus.COMPLETED if is_complete else SectionStatus.INCOMPLETE
        sections.append(Section(step=step, title=STEP_TITLES[step], status=status))
    return sections


def is_ready_to_submit(application: Application) -> bool:
    return all(section.status == SectionStatus.COMPLETED for section in application_sections(application))


def is_step_startable(application: Application, step: Step) -> bool:
    return next(section for section in application_sections(application) if section.step == step).is_startable


# --- Starting an application ---------------------------------------------------------------------


def cohort_closed_message(cohort: Cohort, *, today: datetime.date | None = None) -> str:
    """Why a cohort takes no applications today (it has not opened yet, or it has closed)."""
    today = today or timezone.localdate()
    if today < cohort.opens_on:
        return f"Applications to {cohort.name} open on {format_date(cohort.opens_on)}"
    return f"Applications to {cohort.name} closed on {format_date(cohort.closes_on)}"


def _prefill_from_profile(applicant, cohort: Cohort, answers: EligibilityAnswers) -> dict:
    """Role details from the person's staff record, where they fit the intake's footprint and bands."""
    values = {}
    profile = (
        StaffProfile.objects.filter(user=applicant, is_active=True)
        .select_related("organisation", "pay_band")
        .first()
    )
    eligible_bands = {band.code: band for band in cohort.eligible_pay_bands.all()}
    if profile is not None:
        values["job_title"] = profile.job_title[:JOB_TITLE_MAX_LENGTH]
        footprint = {ics.pk for ics in cohort.integrated_care_systems.all()}
        if profile.organisation.integrated_care_system_id in footprint:
            values["organisation"] = profile.organisation
        if profile.pay_band.code in eligible_bands:
            values["pay_band"] = profile.pay_band
    # Otherwise the band they have just told us, which the eligibility check has accepted.
    values.setdefault("pay_band", eligible_bands.get(answers.pay_band))
    return values


@transaction.atomic
def application_start(*, applicant, cohort: Cohort, answers) -> Application:
    """Start the person's draft application to an open intake after an eligible check.

    One application per person per intake: if they already have one, it is returned unchanged. An
    ineligible answer or a closed intake raises a `ValidationError` and saves nothing. `answers` is an
    `EligibilityAnswers` or a dict of them (as stored on the application).
    """
    existing = Application.objects.filter(applicant=applicant, cohort=cohort).first()
    if existing is not None:
        return existing
    if not cohort.is_open:
        raise ValidationError(cohort_closed_message(cohort), code="closed")
    if not isinstance(answers, EligibilityAnswers):
        answers = EligibilityAnswers.from_mapping(answers)
    result = check_eligibility(rules=rules_for(cohort), answers=answers)
    if not result.is_eligible:
        raise ValidationError([reason.explanation for reason in result.reasons], code="ineligible")
    application = Application(
        applicant=applicant,
        cohort=cohort,
        status=Status.DRAFT,
        eligibility_answers=answers.as_json(),
        **_prefill_from_profile(applicant, cohort, answers),
    )
    try:
        # A savepoint: two tabs starting at once meet the one-per-cohort constraint, not an error page.
        with transaction.atomic():
            application.save()
    except IntegrityError:
        existing = Application.objects.filter(applicant=applicant, cohort=cohort).first()
        if existing is None:
            raise
        return existing
    audit(
        actor=applicant,
        action=AuditEvent.Action.CREATE,
        verb="application_start",
        instance=application,
        after=snapshot(application, fields=["cohort", "status", "eligibility_answers", *ROLE_FIELDS]),
    )
    return application


# --- Filling in the draft ------------------------------------------------------------------------


def _locked_draft(application: Application, by) -> Application:
    """The application, locked for the change, if `by` is its applicant and it is still a draft."""
    locked = Application.objects.select_for_update().select_related("cohort").get(pk=application.pk)
    if locked.applicant_id != by.pk:
        raise PermissionDenied
    if locked.status != Status.DRAFT:
        raise ValidationError(NOT_EDITABLE, code="not_editable")
    return locked


def _save_changes(application: Application, *, by, verb: str, fields: list[str], before: dict) -> Application:
    after = snapshot(application, fields=fields)
    if after != before:
        application.save(update_fields=[*fields, "updated_at"])
        audit(
            actor=by,
            action=AuditEvent.Action.UPDATE,
            verb=verb,
            instance=application,
            before=before,
            after=after,
        )
    return application


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})


def organisations_in_footprint(cohort: Cohort) -> QuerySet[Organisation]:
    """The current organisations in the intake's ICS footprint: the applicant's choices."""
    return (
        Organisation.objects.current()
        .filter(integrated_care_system__in=cohort.integrated_care_systems.all())
        .order_by("name")
    )


def eligible_pay_bands(cohort: Cohort) -> QuerySet[PayBand]:
    return cohort.eligible_pay_bands.order_by("sort_order", "code")


def band_outside_range_message(cohort: Cohort) -> str:
    return f"Your pay band must be {bands_text(rules_for(cohort))} for this intake"


def organisation_outside_footprint_message(cohort: Cohort) -> str:
    return f"Select an organisation in {footprint_text(rules_for(cohort))}"


@transaction.atomic
def application_role_update(
    *,
    application: Application,
    by,
    job_title: str,
    organisation: Organisation | None,
    pay_band: PayBand | None,
) -> Application:
    """Save the applicant's job title, organisation (in the footprint) and band (one the intake takes)."""
    application = _locked_draft(application, by)
    cohort = application.cohort
    job_title = " ".join((job_title or "").split())
    errors = {}
    if not job_title:
        errors["job_title"] = "Enter your job title"
    elif len(job_title) > JOB_TITLE_MAX_LENGTH:
        errors["job_title"] = f"Job title must be {JOB_TITLE_MAX_LENGTH} characters or fewer"
    if organisation is None:
        errors["organisation"] = "Select your organisation"
    elif not organisations_in_footprint(cohort).filter(pk=organisation.pk).exists():
        errors["organisation"] = organisation_outside_footprint_message(cohort)
    if pay_band is None:
        errors["pay_band"] = "Select your pay band"
    elif not cohort.eligible_pay_bands.filter(pk=pay_band.pk).exists():
        errors["pay_band"] = band_outside_range_message(cohort)
    _raise_if(errors)
    before = snapshot(application, fields=ROLE_FIELDS)
    application.job_title, application.organisation, application.pay_band = job_title, organisation, pay_band
    return _save_changes(
        application, by=by, verb="application_role_update", fields=ROLE_FIELDS, before=before
    )


@transaction.atomic
def application_stream_update(*, application: Application, by, development_stream) -> Application:
    """Save the development stream the applicant applies for (1 or 2)."""
    application = _locked_draft(application, by)
    try:
        stream = DevelopmentStream(int(development_stream))
    except (TypeError, ValueError):
        raise ValidationError({"development_stream": ["Select a development stream"]}) from None
    before = snapshot(application, fields=["development_stream"])
    application.development_stream = stream
    return _save_changes(
        application, by=by, verb="application_stream_update", fields=["development_stream"], before=before
    )


@transaction.atomic
def application_statements_update(
    *,
    application: Application,
    by,
    motivation_statement: str,
    leadership_statement: str,
    transition_statement: str,
) -> Application:
    """Save the three supporting statements: each needed, each at most 500 words."""
    application = _locked_draft(application, by)
    fields = [statement.field for statement in STATEMENTS]
    before = snapshot(application, fields=fields)
    application.motivation_statement = (motivation_statement or "").strip()
    application.leadership_statement = (leadership_statement or "").strip()
    application.transition_statement = (transition_statement or "").strip()
    _raise_if(_statement_errors(application))
    return _save_changes(
        application, by=by, verb="application_statements_update", fields=fields, before=before
    )


def clean_sponsor(by, sponsor_email: str, sponsor_relationship: str) -> tuple[str, str]:
    """The sponsor's email (lower case) and relationship, or a ValidationError.

    Any email address is accepted, even outside the applicant's organisation: the sponsor signs in with
    their own account. Only naming yourself is refused.
    """
    email = (sponsor_email or "").strip().lower()
    errors = {}
    if sponsor_relationship not in Application.SponsorRelationship.values:
        errors["sponsor_relationship"] = "Select who your sponsor is"
    if not email:
        errors["sponsor_email"] = "Enter your sponsor's email address"
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["sponsor_email"] = EMAIL_INVALID
        else:
            if email == by.email.lower():
                errors["sponsor_email"] = SPONSOR_IS_APPLICANT
    _raise_if(errors)
    return email, sponsor_relationship


@transaction.atomic
def application_sponsor_update(
    *, application: Application, by, sponsor_email: str, sponsor_relationship: str
) -> Application:
    """Name the sponsor of a draft: their email and whether they are the line manager.

    The sponsor is invited when the application is submitted.
    """
    application = _locked_draft(application, by)
    email, relationship = clean_sponsor(by, sponsor_email, sponsor_relationship)
    before = snapshot(application, fields=SPONSOR_FIELDS)
    application.sponsor_email, application.sponsor_relationship = email, relationship
    return _save_changes(
        application, by=by, verb="application_sponsor_update", fields=SPONSOR_FIELDS, before=before
    )


def _normalised_name(name: str) -> str:
    return " ".join((name or "").split()).casefold()


@transaction.atomic
def application_terms_sign(
    *, application: Application, by, full_name: str, is_declaration_confirmed: bool
) -> Application:
    """The applicant signs the intake's terms: their typed full name, the declaration, time and version.

    The typed name must match the name on their account, ignoring case and extra spaces. The other
    sections must be complete first, because the declaration covers what they say.
    """
    application = _locked_draft(application, by)
    if not is_step_startable(application, Step.TERMS):
        raise ValidationError("Complete the other sections of your application before you sign")
    typed_name = " ".join((full_name or "").split())
    account_name = by.get_full_name().strip()
    errors = {}
    if not typed_name:
        errors["full_name"] = "Enter your full name"
    elif not account_name:
        errors["full_name"] = (
            "Your account does not have your name. Ask your organisation's system administrator to add it"
        )
    elif _normalised_name(typed_name) != _normalised_name(account_name):
        errors["full_name"] = f"Enter your full name as it is on your account: {account_name}"
    if not is_declaration_confirmed:
        errors["is_declaration_confirmed"] = (
            "Confirm that you have read and agree to the terms and conditions"
        )
    _raise_if(errors)
    before = snapshot(application, fields=SIGNATURE_FIELDS)
    application.applicant_signed_name = typed_name
    application.applicant_signed_at = timezone.now()
    application.applicant_terms_version = application.cohort.terms_version
    application.save(update_fields=[*SIGNATURE_FIELDS, "updated_at"])
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="application_terms_sign",
        instance=application,
        before=before,
        after=snapshot(application, fields=SIGNATURE_FIELDS),
    )
    return application


# --- Submitting ----------------------------------------------------------------------------------


def _send_sponsor_invitation(application: Application) -> None:
    # Imported here: the sponsor's side is its own module, and it imports from this app's services.
    from hps.sponsor_services import sponsor_invitation_send

    sponsor_invitation_send(application=application)


def _application_url(application: Application) -> str:
    return reverse("hps:application_detail", kwargs={"pk": application.pk})


@transaction.atomic
def application_submit(*, application: Application, by) -> Application:
    """Submit a complete draft before the closing date and invite the sponsor.

    Moves it draft → submitted → awaiting sponsor (transitions "submit" and "invite_sponsor"), sets
    `submitted_at`, sends the sponsor their invitation and tells the applicant. Refused, with nothing
    changed, after the intake's closing date, when a section is incomplete or when it was already
    submitted.
    """
    application = Application.objects.select_for_update().select_related("cohort").get(pk=application.pk)
    if application.applicant_id != by.pk:
        raise PermissionDenied
    if application.status != Status.DRAFT:
        raise ValidationError("This application has already been submitted", code="not_draft")
    cohort = application.cohort
    if not cohort.is_open:
        raise ValidationError(
            f"{cohort_closed_message(cohort)}. You can no longer submit this application", code="closed"
        )
    incomplete = [
        INCOMPLETE_MESSAGES[section.step]
        for section in application_sections(application)
        if section.status != SectionStatus.COMPLETED
    ]
    if incomplete:
        raise ValidationError(incomplete, code="incomplete")
    application.submitted_at = timezone.now()
    application.save(update_fields=["submitted_at", "updated_at"])
    application_transition(application=application, name="submit", by=by)
    application = application_transition(application=application, name="invite_sponsor", by=by)
    _send_sponsor_invitation(application)
    notify(
        recipient=by,
        event_key=f"hps-application-{application.pk}-submitted",
        title=f"Your application to {cohort.name} has been submitted",
        body=(
            f"We have asked {application.sponsor_email} to confirm they support your application and to "
            "sign the terms and conditions."
        ),
        url=_application_url(application),
    )
    application.refresh_from_db()
    return application


# --- After submitting ----------------------------------------------------------------------------


class SponsorState(StrEnum):
    NOT_INVITED = "not_invited"
    WAITING = "waiting"
    EXPIRED = "expired"
    DECLINED = "declined"
    SIGNED = "signed"


@dataclass(frozen=True)
class SponsorStatus:
    state: SponsorState
    email: str
    decline_reason: str = ""
    declined_at: datetime.datetime | None = None
    expires_at: datetime.datetime | None = None

    @property
    def may_name_another(self) -> bool:
        return self.state in (SponsorState.DECLINED, SponsorState.EXPIRED)


def latest_sponsor_invitation(application: Application) -> SponsorInvitation | None:
    return application.sponsor_invitations.order_by("-created_at", "-pk").first()


def sponsor_status(application: Application, invitation: SponsorInvitation | None) -> SponsorStatus:
    """Where the sponsor is: signed, declined (with their reason), waiting, or the link expired."""
    if application.is_sponsor_signed:
        return SponsorStatus(SponsorState.SIGNED, application.sponsor_email)
    if invitation is None:
        return SponsorStatus(SponsorState.NOT_INVITED, application.sponsor_email)
    if invitation.declined_at is not None:
        return SponsorStatus(
            SponsorState.DECLINED,
            invitation.email,
            decline_reason=invitation.decline_reason,
            declined_at=invitation.declined_at,
        )
    if invitation.used_at is None and invitation.expires_at <= timezone.now():
        return SponsorStatus(SponsorState.EXPIRED, invitation.email, expires_at=invitation.expires_at)
    return SponsorStatus(SponsorState.WAITING, invitation.email, expires_at=invitation.expires_at)


def may_name_another_sponsor(application: Application, invitation: SponsorInvitation | None = None) -> bool:
    """Waiting for a sponsor who declined, or whose link expired: the applicant may name someone else."""
    if application.status != Status.AWAITING_SPONSOR:
        return False
    if invitation is None:
        invitation = latest_sponsor_invitation(application)
    return sponsor_status(application, invitation).may_name_another


@transaction.atomic
def application_sponsor_replace(
    *, application: Application, by, sponsor_email: str, sponsor_relationship: str
) -> Application:
    """Name another sponsor after the first declined (or their link expired), and invite them.

    The application stays waiting for a sponsor. A sponsor who declined cannot be named again.
    """
    application = Application.objects.select_for_update().select_related("cohort").get(pk=application.pk)
    if application.applicant_id != by.pk:
        raise PermissionDenied
    invitation = latest_sponsor_invitation(application)
    if not may_name_another_sponsor(application, invitation):
        raise ValidationError("You cannot change your sponsor now", code="not_replaceable")
    email, relationship = clean_sponsor(by, sponsor_email, sponsor_relationship)
    declined = application.sponsor_invitations.filter(declined_at__isnull=False, email__iexact=email)
    if declined.exists():
        raise ValidationError(
            {
                "sponsor_email": [
                    f"{email} has declined to sponsor you. Enter the email address of someone else"
                ]
            }
        )
    before = snapshot(application, fields=SPONSOR_FIELDS)
    application.sponsor_email, application.sponsor_relationship = email, relationship
    application.sponsor = None
    application.save(update_fields=[*SPONSOR_FIELDS, "updated_at"])
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="application_sponsor_replace",
        instance=application,
        before=before,
        after=snapshot(application, fields=SPONSOR_FIELDS),
    )
    _send_sponsor_invitation(application)
    return application


def _notify_administrators(application: Application, *, event: str, title: str) -> None:
    url = ""
    try:
        url = reverse("hps:application_review", kwargs={"pk": application.pk})
    except NoReverseMatch:
        url = ""
    for administrator in application.cohort.administrators.filter(is_active=True):
        notify(
            recipient=administrator,
            event_key=f"hps-application-{application.pk}-{event}-administrator-{administrator.pk}",
            title=title,
            url=url,
        )


@transaction.atomic
def application_withdraw(*, application: Application, by, reason: str = "") -> Application:
    """The applicant withdraws their application (from any status before an offer)."""
    application = application_transition(application=application, name="withdraw", by=by, reason=reason)
    if application.sponsor_id is not None:
        notify(
            recipient=application.sponsor,
            event_key=f"hps-application-{application.pk}-withdrawn-sponsor",
            title=f"{application.applicant} has withdrawn their application to {application.cohort.name}",
            send_email=False,
        )
    if application.submitted_at is not None:
        _notify_administrators(
            application,
            event="withdrawn",
            title=f"{application.applicant} has withdrawn their application to {application.cohort.name}",
        )
    return application


@transaction.atomic
def application_offer_accept(*, application: Application, by) -> Application:
    """The applicant accepts the offer of a place."""
    application = application_transition(application=application, name="accept_offer", by=by)
    _notify_administrators(
        application,
        event="offer-accepted",
        title=f"{application.applicant} has accepted a place on {application.cohort.name}",
    )
    return application


@transaction.atomic
def application_offer_decline(*, application: Application, by, reason: str = "") -> Application:
    """The applicant declines the offer of a place."""
    application = application_transition(application=application, name="decline_offer", by=by, reason=reason)
    _notify_administrators(
        application,
        event="offer-declined",
        title=f"{application.applicant} has declined a place on {application.cohort.name}",
    )
    return application


# --- The home page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationSummary:
    application: Application
    tag_class: str


@dataclass(frozen=True)
class OpenCohort:
    cohort: Cohort
    footprint: str
    application: Application | None


@dataclass(frozen=True)
class SponsoredApplication:
    application: Application
    url: str


@dataclass(frozen=True)
class SchemeHome:
    open_cohorts: list[OpenCohort]
    applications: list[ApplicationSummary]
    sponsored: list[SponsoredApplication]
    is_sponsoring_participants: bool


def _optional_url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def scheme_home(*, user) -> SchemeHome:
    """The scheme's home page for a person, in a fixed number of queries."""
    applications = list(applications_of(applicant=user).order_by("-created_at", "-pk"))
    by_cohort = {application.cohort_id: application for application in applications}
    cohorts = open_cohorts().order_by("closes_on", "name").prefetch_related("integrated_care_systems")
    sponsored = list(applications_sponsored_by(user=user).order_by("-submitted_at", "-pk"))
    return SchemeHome(
        open_cohorts=[
            OpenCohort(
                cohort=cohort,
                footprint=", ".join(sorted(ics.name for ics in cohort.integrated_care_systems.all())),
                application=by_cohort.get(cohort.pk),
            )
            for cohort in cohorts
        ],
        applications=[
            ApplicationSummary(application=application, tag_class=status_tag_class(application.status))
            for application in applications
        ],
        sponsored=[
            SponsoredApplication(
                application=application,
                url=_optional_url("hps:sponsor_application", pk=application.pk),
            )
            for application in sponsored
        ],
        is_sponsoring_participants=Participant.objects.filter(sponsor=user).exists(),
    )


def cohort_to_apply_to(pk) -> Cohort | None:
    """An intake with its footprint and bands loaded. Intakes are open to everyone: no scope applies."""
    return (
        Cohort.objects.prefetch_related(
            "integrated_care_systems",
            Prefetch("eligible_pay_bands", queryset=PayBand.objects.order_by("sort_order", "code")),
        )
        .filter(pk=pk)
        .first()
    )


def application_history(application: Application) -> list[ApplicationTransition]:
    return list(application.transitions.select_related("by").order_by("at", "pk"))
