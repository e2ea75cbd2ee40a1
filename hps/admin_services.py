"""Writes for HPS administrators: setting up cohorts and deciding on applications.

Every decision goes through `hps.services.application_transition` (the state machine, its history row
and audit event); `application_decide` adds the decision's own details (the assessment invitation
time, the assessment date and result) and tells the applicant.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.models import Role
from accounts.roles import has_role
from core.audit import audit, snapshot
from core.models import AuditEvent
from core.notifications import notify
from hps.admin_selectors import integrated_care_systems_for_cohort, pay_bands_for_cohort
from hps.models import Application, Cohort
from hps.selectors import cohorts_administered_by
from hps.services import NOT_ALLOWED, application_transition
from hps.workflow import TRANSITIONS, Actor, find_transition

NAME_MAX_LENGTH = Cohort._meta.get_field("name").max_length
TERMS_VERSION_MAX_LENGTH = Cohort._meta.get_field("terms_version").max_length
RESULT_MAX_LENGTH = Application._meta.get_field("assessment_result").max_length
CAPACITY_MAX = 1000

COHORT_FIELDS = [
    "name",
    "integrated_care_systems",
    "eligible_pay_bands",
    "opens_on",
    "closes_on",
    "starts_on",
    "capacity",
    "terms_version",
    "terms_text",
    "administrators",
]

#: The decisions an administrator makes, by transition name.
DECISIONS = frozenset(
    transition.name for transition in TRANSITIONS if transition.actor == Actor.ADMINISTRATOR
)

OWN_APPLICATION = "You cannot make decisions on your own application"
ENTER_COMPLETED_ON = "Enter the date the assessment was completed"
COMPLETED_IN_FUTURE = "The date the assessment was completed must be today or in the past"
ENTER_RESULT = "Enter the result of the assessment"
RESULT_TOO_LONG = f"Result must be {RESULT_MAX_LENGTH} characters or fewer"
REASON_REQUIRED = {
    "reject_eligibility": "Enter the reason the application is not eligible",
    "mark_unsuccessful": "Enter the reason the application was not successful",
    "record_decline": "Enter how the applicant declined the offer",
}


# --- Cohorts ------------------------------------------------------------------------------------


def _long_date(value: datetime.date) -> str:
    return dateformat.format(value, "j F Y")


def _cohort_errors(
    *,
    by,
    cohort: Cohort | None,
    name: str,
    integrated_care_systems,
    eligible_pay_bands,
    opens_on,
    closes_on,
    starts_on,
    capacity,
    terms_text: str,
    terms_version: str,
) -> dict[str, str]:
    """Every problem with the cohort's settings, by field (empty when they are all right)."""
    errors = {}
    if not name:
        errors["name"] = "Enter a name for the cohort"
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = f"Name must be {NAME_MAX_LENGTH} characters or fewer"
    else:
        others = Cohort.objects.filter(name__iexact=name)
        if cohort is not None:
            others = others.exclude(pk=cohort.pk)
        if others.exists():
            errors["name"] = f"There is already a cohort called {name}. Enter a different name"
    if not integrated_care_systems:
        errors["integrated_care_systems"] = "Select at least one integrated care system"
    else:
        # Another administrator with a wider scope may have set the footprint: keeping it is fine.
        allowed = set(integrated_care_systems_for_cohort(user=by, cohort=cohort).values_list("pk", flat=True))
        if any(ics.pk not in allowed for ics in integrated_care_systems):
            errors["integrated_care_systems"] = "Select integrated care systems from your own area"
    if not eligible_pay_bands:
        errors["eligible_pay_bands"] = "Select at least one pay band"
    else:
        allowed = set(pay_bands_for_cohort(cohort).values_list("pk", flat=True))
        if any(band.pk not in allowed for band in eligible_pay_bands):
            errors["eligible_pay_bands"] = "Select pay bands from the list"
    if opens_on is None:
        errors["opens_on"] = "Enter the date applications open"
    if closes_on is None:
        errors["closes_on"] = "Enter the date applications close"
    elif opens_on is not None and closes_on <= opens_on:
        errors["closes_on"] = "The date applications close must be after the date they open"
    if starts_on is None:
        errors["starts_on"] = "Enter the date the scheme starts"
    elif closes_on is not None and starts_on <= closes_on:
        errors["starts_on"] = "The date the scheme starts must be after the date applications close"
    if capacity is None:
        errors["capacity"] = "Enter the number of places"
    elif not 1 <= capacity <= CAPACITY_MAX:
        errors["capacity"] = f"Number of places must be between 1 and {CAPACITY_MAX}"
    if not terms_text:
        errors["terms_text"] = "Enter the terms and conditions"
    if not terms_version:
        errors["terms_version"] = "Enter the version of the terms and conditions"
    elif len(terms_version) > TERMS_VERSION_MAX_LENGTH:
        errors["terms_version"] = f"Version must be {TERMS_VERSION_MAX_LENGTH} characters or fewer"
    elif cohort is not None and terms_version == cohort.terms_version and terms_text != cohort.terms_text:
        signed = cohort.applications.filter(
            Q(applicant_terms_version=cohort.terms_version, applicant_signed_at__isnull=False)
            | Q(sponsor_terms_version=cohort.terms_version, sponsor_signed_at__isnull=False)
        ).exists()
        if signed:
            errors["terms_version"] = (
                f"Enter a new version number: people have already signed version {cohort.terms_version} "
                "of the terms and conditions, so that version cannot change"
            )
    return errors


def _cohort_snapshot(cohort: Cohort) -> dict:
    return snapshot(cohort, fields=COHORT_FIELDS)


@transaction.atomic
def cohort_create(
    *,
    by,
    name: str,
    integrated_care_systems,
    eligible_pay_bands,
    opens_on: datetime.date,
    closes_on: datetime.date,
    starts_on: datetime.date,
    capacity: int,
    terms_text: str,
    terms_version: str,
) -> Cohort:
    """Create a cohort (intake) run by `by`, who becomes its first administrator.

    Raises ValidationError (a dict by field) if a setting is wrong, and PermissionDenied if `by` is not
    an HPS administrator.
    """
    if not has_role(by, Role.HPS_ADMINISTRATOR):
        raise PermissionDenied("Only an HPS administrator can create a cohort")
    values = {
        "name": (name or "").strip(),
        "opens_on": opens_on,
        "closes_on": closes_on,
        "starts_on": starts_on,
        "capacity": capacity,
        "terms_text": (terms_text or "").strip(),
        "terms_version": (terms_version or "").strip(),
    }
    integrated_care_systems = list(integrated_care_systems)
    eligible_pay_bands = list(eligible_pay_bands)
    errors = _cohort_errors(
        by=by,
        cohort=None,
        integrated_care_systems=integrated_care_systems,
        eligible_pay_bands=eligible_pay_bands,
        **values,
    )
    if errors:
        raise ValidationError(errors)
    cohort = Cohort.objects.create(created_by=by, **values)
    cohort.integrated_care_systems.set(integrated_care_systems)
    cohort.eligible_pay_bands.set(eligible_pay_bands)
    cohort.administrators.add(by)
    audit(
        actor=by,
        action=AuditEvent.Action.CREATE,
        verb="cohort_create",
        instance=cohort,
        after=_cohort_snapshot(cohort),
    )
    return cohort


@transaction.atomic
def cohort_update(
    *,
    cohort: Cohort,
    by,
    name: str,
    integrated_care_systems,
    eligible_pay_bands,
    opens_on: datetime.date,
    closes_on: datetime.date,
    starts_on: datetime.date,
    capacity: int,
    terms_text: str,
    terms_version: str,
) -> Cohort:
    """Change a cohort's settings. Only its administrators may.

    The terms and conditions cannot change under a version someone has already signed: a new text
    needs a new version number. Raises ValidationError (a dict by field) and changes nothing if a
    setting is wrong.
    """
    cohort = cohorts_administered_by(user=by).select_for_update().filter(pk=cohort.pk).first()
    if cohort is None:
        raise PermissionDenied("Only the cohort's administrators can change it")
    values = {
        "name": (name or "").strip(),
        "opens_on": opens_on,
        "closes_on": closes_on,
        "starts_on": starts_on,
        "capacity": capacity,
        "terms_text": (terms_text or "").strip(),
        "terms_version": (terms_version or "").strip(),
    }
    integrated_care_systems = list(integrated_care_systems)
    eligible_pay_bands = list(eligible_pay_bands)
    errors = _cohort_errors(
        by=by,
        cohort=cohort,
        integrated_care_systems=integrated_care_systems,
        eligible_pay_bands=eligible_pay_bands,
        **values,
    )
    if errors:
        raise ValidationError(errors)
    before = _cohort_snapshot(cohort)
    for field, value in values.items():
        setattr(cohort, field, value)
    cohort.save()
    cohort.integrated_care_systems.set(integrated_care_systems)
    cohort.eligible_pay_bands.set(eligible_pay_bands)
    after = _cohort_snapshot(cohort)
    if after != before:
        audit(
            actor=by,
            action=AuditEvent.Action.UPDATE,
            verb="cohort_update",
            instance=cohort,
            before=before,
            after=after,
        )
    return cohort


# --- Decisions on applications ------------------------------------------------------------------


def _applicant_url(application: Application) -> str:
    """The applicant's own page for the application, for the links in their notifications."""
    return reverse("hps:application_detail", kwargs={"pk": application.pk})


def _notice(application: Application, name: str, reason: str) -> tuple[str, str]:
    """The title and body of the notification the applicant gets for a decision."""
    cohort = application.cohort
    if name == "invite_to_assessment":
        return (
            "You are invited to the High Potential Scheme leadership potential assessment",
            f"We have confirmed that you are eligible for {cohort}. The next step is an assessment of "
            "your leadership potential: a 90-minute online questionnaire. We will send you the details "
            "of how to take it.",
        )
    if name == "reject_eligibility":
        return (
            "Your High Potential Scheme application is not eligible",
            f"We have checked your application to {cohort} and it does not meet the scheme's "
            f"eligibility criteria. The reason: {reason}",
        )
    if name == "record_assessment":
        return (
            "We have received your leadership potential assessment",
            f"Thank you for completing the assessment for {cohort}. We will tell you when we have "
            "decided who to shortlist.",
        )
    if name == "shortlist":
        return (
            "You have been shortlisted for the High Potential Scheme",
            f"Your application to {cohort} has been shortlisted. We will tell you when we have made "
            "our offers.",
        )
    if name == "offer":
        return (
            "You have been offered a place on the High Potential Scheme",
            f"We are pleased to offer you a place on {cohort}, starting on "
            f"{_long_date(cohort.starts_on)}. Accept or decline the offer from your application.",
        )
    if name == "record_acceptance":
        return (
            "We have recorded that you accepted your High Potential Scheme place",
            f"Thank you for accepting your place on {cohort}, starting on {_long_date(cohort.starts_on)}.",
        )
    if name == "record_decline":
        return (
            "We have recorded that you declined your High Potential Scheme place",
            f"We have recorded that you declined your place on {cohort}. Note: {reason}",
        )
    return (
        "Your High Potential Scheme application was not successful",
        f"We are sorry: your application to {cohort} was not successful this time. The reason: {reason}",
    )


def _decision_errors(
    application: Application, name: str, *, reason: str, completed_on, result: str
) -> dict[str, str]:
    errors = {}
    if name in REASON_REQUIRED and not reason:
        errors["reason"] = REASON_REQUIRED[name]
    if name == "record_assessment":
        if completed_on is None:
            errors["completed_on"] = ENTER_COMPLETED_ON
        elif completed_on > timezone.localdate():
            errors["completed_on"] = COMPLETED_IN_FUTURE
        elif application.assessment_invited_at is not None and completed_on < timezone.localdate(
            application.assessment_invited_at
        ):
            invited_on = timezone.localdate(application.assessment_invited_at)
            errors["completed_on"] = (
                "The date the assessment was completed must be on or after the date of the invitation, "
                f"{_long_date(invited_on)}"
            )
        if not result:
            errors["result"] = ENTER_RESULT
        elif len(result) > RESULT_MAX_LENGTH:
            errors["result"] = RESULT_TOO_LONG
    return errors


@transaction.atomic
def application_decide(
    *,
    application: Application,
    by,
    name: str,
    reason: str = "",
    completed_on: datetime.date | None = None,
    result: str = "",
) -> Application:
    """Make an administrator's decision on an application and tell the applicant.

    `name` is one of the administrator's transitions in `hps.workflow` (`invite_to_assessment`,
    `reject_eligibility`, `record_assessment`, `shortlist`, `offer`, `mark_unsuccessful`,
    `record_acceptance`, `record_decline`). Rejections
    need a `reason`; recording the assessment needs the date it was `completed_on` and its `result`.
    Raises ValidationError and changes nothing if the decision is not allowed now, not `by`'s to make,
    or missing a detail.
    """
    reason = (reason or "").strip()
    result = (result or "").strip()
    if name not in DECISIONS:
        raise ValidationError(NOT_ALLOWED)
    application = Application.objects.select_for_update().select_related("cohort").get(pk=application.pk)
    if not cohorts_administered_by(user=by).filter(pk=application.cohort_id).exists():
        raise ValidationError(NOT_ALLOWED)
    if application.applicant_id == by.pk:
        raise ValidationError(OWN_APPLICATION)
    if find_transition(source=application.status, name=name) is None:
        raise ValidationError(NOT_ALLOWED)
    errors = _decision_errors(application, name, reason=reason, completed_on=completed_on, result=result)
    if errors:
        raise ValidationError(errors)
    application = application_transition(application=application, name=name, by=by, reason=reason)
    if name == "invite_to_assessment":
        application.assessment_invited_at = timezone.now()
        application.save(update_fields=["assessment_invited_at", "updated_at"])
    elif name == "record_assessment":
        before = snapshot(application, fields=["assessment_completed_on", "assessment_result"])
        application.assessment_completed_on = completed_on
        application.assessment_result = result
        application.save(update_fields=["assessment_completed_on", "assessment_result", "updated_at"])
        audit(
            actor=by,
            action=AuditEvent.Action.UPDATE,
            verb="application_assessment_result",
            instance=application,
            before=before,
            after=snapshot(application, fields=["assessment_completed_on", "assessment_result"]),
        )
    title, body = _notice(application, name, reason)
    notify(
        recipient=application.applicant,
        event_key=f"hps-application:{application.pk}:{name}",
        title=title,
        body=body,
        url=_applicant_url(application),
    )
    return application
