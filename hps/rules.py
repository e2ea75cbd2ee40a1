"""Permission predicates for the High Potential Scheme."""

import rules

from accounts.rules import is_hps_administrator


@rules.predicate
def is_applicant(user, application) -> bool:
    return application is not None and application.applicant_id == user.pk


@rules.predicate
def is_sponsor(user, application) -> bool:
    return application is not None and application.sponsor_id == user.pk


@rules.predicate
def administers_cohort(user, cohort) -> bool:
    return (
        cohort is not None
        and is_hps_administrator(user)
        and cohort.administrators.filter(pk=user.pk).exists()
    )


rules.add_perm("hps.view_application", is_applicant | is_sponsor)
rules.add_perm("hps.administer_cohort", administers_cohort)
