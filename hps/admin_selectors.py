"""Reads for HPS administrators: their cohorts with counts, the review queue, and one application's checks.

Everything starts from the scoped selectors in `hps.selectors` (`cohorts_administered_by`,
`applications_administered_by`), so a cohort or application the administrator does not run is a 404.
Nothing here reads equality monitoring answers: they are never shown to administrators.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import dateformat, timezone

from accounts.models import IntegratedCareSystem, Organisation, PayBand, Role, Scope
from accounts.roles import current_role_assignments
from hps.applicant_services import STATEMENTS
from hps.eligibility import (
    PAY_BAND_QUESTION,
    YES_NO_QUESTIONS,
    Criterion,
    EligibilityAnswers,
    check_eligibility,
    rules_for,
)
from hps.models import Application, ApplicationTransition, Cohort, SponsorInvitation
from hps.selectors import applications_administered_by, cohorts_administered_by
from hps.workflow import Actor, Transition, transitions_from

Status = Application.Status

#: Every status an administrator sees: drafts have not been sent to anyone yet.
QUEUE_STATUSES = [status for status in Status if status != Status.DRAFT]

#: Statuses where the next move is the administrator's.
WAITING_FOR_DECISION = (Status.ELIGIBILITY_REVIEW, Status.ASSESSMENT_COMPLETE, Status.SHORTLISTED)

#: The queue's sort orders: value, label and the ordering it applies (the pk keeps pages stable).
SORT_ORDERS = {
    "submitted": ("Submitted, oldest first", ("submitted_at", "pk")),
    "-submitted": ("Submitted, newest first", ("-submitted_at", "-pk")),
    "name": ("Applicant name, A to Z", ("applicant__last_name", "applicant__first_name", "pk")),
    "status": ("Status", ("status", "submitted_at", "pk")),
}
DEFAULT_SORT = "submitted"


def _count_field(status: str) -> str:
    return f"{status}_count"


def _status_counts() -> dict:
    counts = {
        _count_field(status): Count("applications", filter=Q(applications__status=status))
        for status in QUEUE_STATUSES
    }
    counts["application_count"] = Count("applications", filter=~Q(applications__status=Status.DRAFT))
    counts["waiting_count"] = Count("applications", filter=Q(applications__status__in=WAITING_FOR_DECISION))
    return counts


def cohorts_with_counts(*, user) -> QuerySet[Cohort]:
    """The cohorts the user administers, each annotated with its number of applications by status.

    `application_count` counts every application sent (drafts are left out), `waiting_count` those
    waiting for an administrator's decision, and `<status>_count` each status. One query, however many
    cohorts and applications, plus one for the ICS footprints.
    """
    return (
        cohorts_administered_by(user=user)
        .annotate(**_status_counts())
        .prefetch_related("integrated_care_systems")
        .order_by("-opens_on", "name")
    )


def cohort_with_counts(*, user, pk) -> Cohort:
    """One cohort the user administers, with the counts of `cohorts_with_counts` (404 otherwise)."""
    return get_object_or_404(
        cohorts_administered_by(user=user)
        .annotate(**_status_counts())
        .prefetch_related("integrated_care_systems", "eligible_pay_bands", "administrators"),
        pk=pk,
    )


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def status_counts(cohort: Cohort) -> list[StatusCount]:
    """The counts annotated on a cohort, one per status, in the order of the workflow."""
    return [
        StatusCount(status=status.value, label=status.label, count=getattr(cohort, _count_field(status)))
        for status in QUEUE_STATUSES
    ]


def integrated_care_systems_in_scope(user) -> QuerySet[IntegratedCareSystem]:
    """The current ICSs the user may put in a cohort's footprint, from their HPS administrator roles.

    A national role covers every ICS, a regional one the ICSs of that region, an ICS one that ICS, and
    an organisation one the ICS of that organisation.
    """
    assignments = [a for a in current_role_assignments(user) if a.role == Role.HPS_ADMINISTRATOR]
    current = IntegratedCareSystem.objects.current()
    if any(assignment.scope == Scope.NATIONAL for assignment in assignments):
        return current.order_by("name")
    condition = Q()
    for assignment in assignments:
        if assignment.scope == Scope.REGION:
            condition |= Q(region_id=assignment.region_id)
        elif assignment.scope == Scope.ICS:
            condition |= Q(pk=assignment.integrated_care_system_id)
        elif assignment.scope == Scope.ORGANISATION:
            condition |= Q(organisations=assignment.organisation_id)
    if not condition:
        return IntegratedCareSystem.objects.none()
    return IntegratedCareSystem.objects.filter(pk__in=current.filter(condition).values("pk")).order_by("name")


def integrated_care_systems_for_cohort(
    *, user, cohort: Cohort | None = None
) -> QuerySet[IntegratedCareSystem]:
    """The ICSs offered for a cohort's footprint: those in the user's scope, and those it already has."""
    in_scope = integrated_care_systems_in_scope(user)
    if cohort is None:
        return in_scope
    return IntegratedCareSystem.objects.filter(
        Q(pk__in=in_scope.values("pk")) | Q(pk__in=cohort.integrated_care_systems.values("pk"))
    ).order_by("name")


def pay_bands_for_cohort(cohort: Cohort | None = None) -> QuerySet[PayBand]:
    """The pay bands offered for a cohort: every current band, and any it already accepts."""
    condition = Q(pk__in=PayBand.objects.current().values("pk"))
    if cohort is not None:
        condition |= Q(pk__in=cohort.eligible_pay_bands.values("pk"))
    return PayBand.objects.filter(condition).order_by("sort_order", "code")


# --- The review queue ---------------------------------------------------------------------------


def application_queue(
    *, user, cohort: Cohort, status: str = "", organisation=None, development_stream=None, sort: str = ""
) -> QuerySet[Application]:
    """The applications to one cohort the user administers (never drafts), filtered and sorted.

    Applicant, organisation and pay band come in the same query, so a page of the queue costs the same
    number of queries whatever its length.
    """
    applications = applications_administered_by(user=user).filter(cohort=cohort)
    if status:
        applications = applications.filter(status=status)
    if organisation is not None:
        applications = applications.filter(organisation=organisation)
    if development_stream:
        applications = applications.filter(development_stream=development_stream)
    _label, ordering = SORT_ORDERS.get(sort, SORT_ORDERS[DEFAULT_SORT])
    return applications.order_by(*ordering)


def organisations_applying_to(*, user, cohort: Cohort) -> QuerySet[Organisation]:
    """The organisations of the applications to the cohort, for the queue's organisation filter."""
    return Organisation.objects.filter(
        pk__in=applications_administered_by(user=user)
        .filter(cohort=cohort, organisation__isnull=False)
        .values("organisation")
    ).order_by("name")


# --- One application ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EligibilityCheck:
    """One automatic check of an application against its cohort's settings."""

    title: str
    is_passed: bool
    detail: str


@dataclass(frozen=True)
class EligibilityAnswer:
    question: str
    answer: str


def eligibility_checks(application: Application) -> list[EligibilityCheck]:
    """The automatic checks: band, organisation's ICS, the applicant's own answers, the sponsor's signature.

    They help the administrator decide; the decision is theirs.
    """
    cohort = application.cohort
    footprint = list(cohort.integrated_care_systems.all())
    bands = list(cohort.eligible_pay_bands.all())
    band = application.pay_band
    organisation = application.organisation
    checks = []
    if band is None:
        checks.append(EligibilityCheck("Pay band", False, "No pay band given"))
    else:
        is_eligible_band = band.pk in {eligible.pk for eligible in bands}
        checks.append(
            EligibilityCheck(
                "Pay band",
                is_eligible_band,
                f"{band.name} is {'' if is_eligible_band else 'not '}one of the cohort's eligible bands",
            )
        )
    if organisation is None:
        checks.append(EligibilityCheck("Organisation in the footprint", False, "No organisation given"))
    else:
        ics = organisation.integrated_care_system
        is_in_footprint = ics.pk in {member.pk for member in footprint}
        checks.append(
            EligibilityCheck(
                "Organisation in the footprint",
                is_in_footprint,
                f"{organisation.name} is in {ics.name}, which is "
                f"{'' if is_in_footprint else 'not '}in the cohort's footprint",
            )
        )
    result = check_eligibility(
        rules=rules_for(cohort), answers=EligibilityAnswers.from_mapping(application.eligibility_answers)
    )
    checks.append(
        EligibilityCheck(
            "Eligibility questions",
            result.is_eligible,
            "The applicant's answers meet every criterion"
            if result.is_eligible
            else "Not met: " + ", ".join(reason.title.lower() for reason in result.reasons),
        )
    )
    if application.is_sponsor_signed:
        detail = f"Signed by {application.sponsor_signed_name} on {_date_text(application.sponsor_signed_at)}"
    else:
        detail = "The sponsor has not signed yet"
    checks.append(EligibilityCheck("Sponsor's signature", application.is_sponsor_signed, detail))
    return checks


def _date_text(moment) -> str:
    return dateformat.format(timezone.localtime(moment), "j F Y")


def eligibility_answers(application: Application) -> list[EligibilityAnswer]:
    """The applicant's answers to the eligibility questions, in the order they were asked."""
    answers = EligibilityAnswers.from_mapping(application.eligibility_answers)
    band_names = dict(PayBand.objects.values_list("code", "name"))
    rows = [
        EligibilityAnswer(
            YES_NO_QUESTIONS[Criterion.FOOTPRINT], "Yes" if answers.works_in_footprint else "No"
        ),
        EligibilityAnswer(PAY_BAND_QUESTION, band_names.get(answers.pay_band, "Another band")),
    ]
    for criterion, question in YES_NO_QUESTIONS.items():
        if criterion != Criterion.FOOTPRINT:
            rows.append(EligibilityAnswer(question, "Yes" if getattr(answers, criterion.value) else "No"))
    return rows


@dataclass(frozen=True)
class SupportingStatement:
    question: str
    text: str


def supporting_statements(application: Application) -> list[SupportingStatement]:
    """The applicant's three supporting statements, each under the question they answered."""
    return [
        SupportingStatement(statement.question, getattr(application, statement.field))
        for statement in STATEMENTS
    ]


def application_history(application: Application) -> QuerySet[ApplicationTransition]:
    """Every change of the application's status, oldest first, with who made it."""
    return application.transitions.select_related("by").order_by("at", "id")


def sponsor_invitations_of(application: Application) -> QuerySet[SponsorInvitation]:
    """The sponsor invitations sent for the application, newest first (to see who declined and why)."""
    return application.sponsor_invitations.order_by("-created_at", "-id")


def administrator_actions(application: Application) -> list[Transition]:
    """The moves an administrator may make from the application's status now."""
    return transitions_from(application.status, actor=Actor.ADMINISTRATOR)
