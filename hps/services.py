"""Writes for the High Potential Scheme.

`application_transition` is the only function that changes an application's status: it checks the
state machine in `hps.workflow`, checks the actor may make that move, stores the immutable history
row and the audit event, all in one transaction. Other services call it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit
from core.models import AuditEvent
from hps.models import Application, ApplicationTransition, CareerDevelopmentPlan, Cohort, Participant
from hps.progress import add_months
from hps.selectors import cohorts_administered_by
from hps.workflow import Actor, find_transition

NOT_ALLOWED = "This application cannot be moved to that stage"


def _actor_matches(application: Application, actor: Actor, by) -> bool:
    if actor == Actor.APPLICANT:
        return application.applicant_id == by.pk
    if actor == Actor.SPONSOR:
        return application.sponsor_id == by.pk
    return cohorts_administered_by(user=by).filter(pk=application.cohort_id).exists()


@transaction.atomic
def application_transition(*, application: Application, name: str, by, reason: str = "") -> Application:
    """Move the application along the named transition, or raise a ValidationError and change nothing."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    transition = find_transition(source=application.status, name=name)
    if transition is None or not _actor_matches(application, transition.actor, by):
        raise ValidationError(NOT_ALLOWED)
    if transition.needs_reason and not reason.strip():
        raise ValidationError({"reason": "Enter the reason"})
    leaves_awaiting_sponsor = transition.source == Application.Status.AWAITING_SPONSOR
    if (
        leaves_awaiting_sponsor
        and transition.target != Application.Status.WITHDRAWN
        and not (application.is_sponsor_signed)
    ):
        raise ValidationError("The sponsor has not signed the terms and conditions yet")
    previous = application.status
    application.status = transition.target
    application.save(update_fields=["status", "updated_at"])
    ApplicationTransition.objects.create(
        application=application,
        from_status=previous,
        to_status=transition.target,
        by=by,
        at=timezone.now(),
        reason=reason.strip(),
    )
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb=f"application_{name}",
        instance=application,
        before={"status": previous},
        after={"status": application.status},
    )
    if application.status == Application.Status.ACCEPTED:
        participant_create(application=application, by=by)
    return application


def participant_create(*, application: Application, by) -> Participant:
    """An accepted offer makes a participant: 24 months from the cohort's start, with their sponsor."""
    starts_on = application.cohort.starts_on
    participant, is_created = Participant.objects.get_or_create(
        application=application,
        defaults={
            "user_id": application.applicant_id,
            "cohort_id": application.cohort_id,
            "sponsor_id": application.sponsor_id,
            "starts_on": starts_on,
            "ends_on": add_months(starts_on, Cohort.SCHEME_LENGTH_MONTHS),
        },
    )
    if is_created:
        CareerDevelopmentPlan.objects.create(participant=participant)
        audit(actor=by, action=AuditEvent.Action.CREATE, verb="participant_create", instance=participant)
    return participant
