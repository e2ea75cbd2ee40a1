"""The application state machine: which status may follow which, and who may move it.

Every change of status goes through `application_transition` (hps/services.py), which checks this
table, stores an immutable `ApplicationTransition` row and writes an audit event.

An application leaves "awaiting sponsor" only when the sponsor signs (or the applicant withdraws). A
sponsor who declines is recorded on their invitation; the application waits for the applicant to
name another sponsor.
"""

from dataclasses import dataclass
from enum import StrEnum

from hps.models import Application

Status = Application.Status


class Actor(StrEnum):
    APPLICANT = "applicant"
    SPONSOR = "sponsor"
    ADMINISTRATOR = "administrator"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    actor: Actor
    name: str
    needs_reason: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.DRAFT, Status.SUBMITTED, Actor.APPLICANT, "submit"),
    Transition(Status.SUBMITTED, Status.AWAITING_SPONSOR, Actor.APPLICANT, "invite_sponsor"),
    Transition(Status.AWAITING_SPONSOR, Status.ELIGIBILITY_REVIEW, Actor.SPONSOR, "sponsor_sign"),
    Transition(Status.ELIGIBILITY_REVIEW, Status.INELIGIBLE, Actor.ADMINISTRATOR, "reject_eligibility", True),
    Transition(
        Status.ELIGIBILITY_REVIEW, Status.ASSESSMENT_INVITED, Actor.ADMINISTRATOR, "invite_to_assessment"
    ),
    Transition(
        Status.ASSESSMENT_INVITED, Status.ASSESSMENT_COMPLETE, Actor.ADMINISTRATOR, "record_assessment"
    ),
    Transition(Status.ASSESSMENT_COMPLETE, Status.SHORTLISTED, Actor.ADMINISTRATOR, "shortlist"),
    Transition(
        Status.ASSESSMENT_COMPLETE, Status.UNSUCCESSFUL, Actor.ADMINISTRATOR, "mark_unsuccessful", True
    ),
    Transition(Status.SHORTLISTED, Status.OFFERED, Actor.ADMINISTRATOR, "offer"),
    Transition(Status.SHORTLISTED, Status.UNSUCCESSFUL, Actor.ADMINISTRATOR, "mark_unsuccessful", True),
    Transition(Status.OFFERED, Status.ACCEPTED, Actor.APPLICANT, "accept_offer"),
    Transition(Status.OFFERED, Status.DECLINED, Actor.APPLICANT, "decline_offer"),
    # When the applicant answers the offer by email or phone, an administrator records it.
    Transition(Status.OFFERED, Status.ACCEPTED, Actor.ADMINISTRATOR, "record_acceptance"),
    Transition(Status.OFFERED, Status.DECLINED, Actor.ADMINISTRATOR, "record_decline", needs_reason=True),
    *(
        Transition(source, Status.WITHDRAWN, Actor.APPLICANT, "withdraw")
        for source in (
            Status.DRAFT,
            Status.SUBMITTED,
            Status.AWAITING_SPONSOR,
            Status.ELIGIBILITY_REVIEW,
            Status.ASSESSMENT_INVITED,
            Status.ASSESSMENT_COMPLETE,
            Status.SHORTLISTED,
        )
    ),
)

FINAL_STATUSES = frozenset(
    {Status.INELIGIBLE, Status.ACCEPTED, Status.DECLINED, Status.UNSUCCESSFUL, Status.WITHDRAWN}
)


def find_transition(*, source: str, name: str) -> Transition | None:
    """The transition called `name` from `source`, or None if it is not allowed from there."""
    return next((t for t in TRANSITIONS if t.source == source and t.name == name), None)


def transitions_from(source: str, *, actor: Actor) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == source and t.actor == actor]
