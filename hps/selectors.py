"""Reads for the High Potential Scheme, scoped to the person asking (DESIGN section 5).

Applicants see their own applications, sponsors the ones they sponsor, and HPS administrators the
cohorts they administer. Views load applications only through these, so anything else is a 404.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Role
from accounts.roles import has_role
from hps.models import Application, Cohort


def cohorts_administered_by(*, user) -> QuerySet[Cohort]:
    """Cohorts the user runs. Only a current HPS administrator runs any."""
    if not user.is_authenticated or not has_role(user, Role.HPS_ADMINISTRATOR):
        return Cohort.objects.none()
    return Cohort.objects.filter(administrators=user)


def cohort_administered_by(*, user, pk) -> Cohort:
    cohort = cohorts_administered_by(user=user).filter(pk=pk).first()
    if cohort is None:
        raise Http404
    return cohort


def open_cohorts(*, on=None) -> QuerySet[Cohort]:
    """Cohorts taking applications on a date (today by default)."""
    from django.utils import timezone

    on = on or timezone.localdate()
    return Cohort.objects.filter(opens_on__lte=on, closes_on__gte=on)


def applications_of(*, applicant) -> QuerySet[Application]:
    return Application.objects.filter(applicant=applicant).select_related("cohort")


def application_of_applicant(*, user, pk) -> Application:
    application = applications_of(applicant=user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def applications_sponsored_by(*, user) -> QuerySet[Application]:
    return Application.objects.filter(sponsor=user).select_related("cohort", "applicant")


def application_sponsored_by(*, user, pk) -> Application:
    application = applications_sponsored_by(user=user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def applications_administered_by(*, user) -> QuerySet[Application]:
    """Applications to the cohorts the user administers, except drafts (not yet sent to anyone)."""
    return (
        Application.objects.filter(cohort__in=cohorts_administered_by(user=user).values("pk"))
        .exclude(status=Application.Status.DRAFT)
        .select_related("cohort", "applicant", "organisation", "pay_band")
    )


def application_administered_by(*, user, pk) -> Application:
    application = applications_administered_by(user=user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def applications_visible_to(*, user) -> QuerySet[Application]:
    """Every application the user may read in any capacity."""
    if not user.is_authenticated:
        return Application.objects.none()
    administered = cohorts_administered_by(user=user).values("pk")
    return Application.objects.filter(
        Q(applicant=user)
        | Q(sponsor=user)
        | (Q(cohort__in=administered) & ~Q(status=Application.Status.DRAFT))
    ).select_related("cohort", "applicant")
