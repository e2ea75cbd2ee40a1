"""The whole application state machine, through `application_transition`.

Every (status, transition name) pair is tried by every kind of person: the allowed transition by the
right actor succeeds and writes exactly one history row and one audit event; every other pair, and
every wrong actor, is refused and changes nothing.
"""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role, Scope
from core.models import AuditEvent
from hps.models import Application, ApplicationTransition, Participant
from hps.services import NOT_ALLOWED, application_transition
from hps.workflow import FINAL_STATUSES, TRANSITIONS, Actor, find_transition, transitions_from
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.hps.factories import ApplicationFactory, CohortFactory

Status = Application.Status
STATUSES = list(Status)
NAMES = sorted({transition.name for transition in TRANSITIONS})
PEOPLE = ["applicant", "sponsor", "administrator", "administrator_of_another_cohort", "stranger"]
ACTOR_OF = {Actor.APPLICANT: "applicant", Actor.SPONSOR: "sponsor", Actor.ADMINISTRATOR: "administrator"}
REASON = "Recorded for the test"


def _hps_administrator(email):
    user = UserFactory(email=email)
    RoleAssignmentFactory(user=user, role=Role.HPS_ADMINISTRATOR, scope=Scope.NATIONAL)
    return user


@pytest.fixture
def people(db):
    administrator = _hps_administrator("cohort.admin@nhs.test")
    other_administrator = _hps_administrator("other.admin@nhs.test")
    CohortFactory(name="Another intake", administrators=[other_administrator])
    return {
        "applicant": UserFactory(email="applicant@nhs.test"),
        "sponsor": UserFactory(email="sponsor@nhs.test"),
        "administrator": administrator,
        "administrator_of_another_cohort": other_administrator,
        "stranger": UserFactory(email="stranger@nhs.test"),
    }


def _application(people, status):
    """An application in `status` whose sponsor has signed, so that only the table decides."""
    cohort = CohortFactory(name="Staffordshire intake", administrators=[people["administrator"]])
    return ApplicationFactory(
        sponsor_signed=True,
        status=status,
        cohort=cohort,
        applicant=people["applicant"],
        sponsor=people["sponsor"],
    )


def _state(application):
    application.refresh_from_db()
    return (
        application.status,
        list(ApplicationTransition.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def _assert_refused(application, *, by, name, reason=REASON, message=NOT_ALLOWED):
    before = _state(application)
    with pytest.raises(ValidationError) as error:
        application_transition(application=application, name=name, by=by, reason=reason)
    assert message in error.value.messages
    assert _state(application) == before


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("status", STATUSES, ids=[status.value for status in STATUSES])
def test_every_transition_from_every_status_by_every_person(people, status, name):
    application = _application(people, status)
    transition = find_transition(source=status, name=name)
    right_person = ACTOR_OF[transition.actor] if transition is not None else None

    for person in PEOPLE:
        if person != right_person:
            _assert_refused(application, by=people[person], name=name)

    if transition is None:
        return
    by = people[right_person]
    if transition.needs_reason:
        _assert_refused(application, by=by, name=name, reason="  ", message="Enter the reason")
    history_before = ApplicationTransition.objects.count()

    moved = application_transition(application=application, name=name, by=by, reason=f"  {REASON} ")

    application.refresh_from_db()
    assert moved.status == application.status == transition.target
    assert ApplicationTransition.objects.count() == history_before + 1
    row = ApplicationTransition.objects.get()
    assert (row.application, row.from_status, row.to_status, row.by, row.reason) == (
        application,
        status,
        transition.target,
        by,
        REASON,
    )
    event = AuditEvent.objects.get(verb=f"application_{name}")
    assert (event.actor, event.verb, event.object_id, event.before, event.after) == (
        by,
        f"application_{name}",
        str(application.pk),
        {"status": status.value},
        {"status": transition.target.value},
    )


def test_the_sponsor_cannot_move_an_application_on_before_signing(people):
    application = _application(people, Status.AWAITING_SPONSOR)
    application.sponsor_signed_at = None
    application.save()

    _assert_refused(
        application,
        by=people["sponsor"],
        name="sponsor_sign",
        message="The sponsor has not signed the terms and conditions yet",
    )


def test_the_applicant_may_withdraw_while_waiting_for_a_sponsor_who_has_not_signed(people):
    application = _application(people, Status.AWAITING_SPONSOR)
    application.sponsor_signed_at = None
    application.save()

    application_transition(application=application, name="withdraw", by=people["applicant"])

    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def test_an_administrator_whose_role_has_ended_cannot_move_their_cohorts_applications(people):
    application = _application(people, Status.ELIGIBILITY_REVIEW)
    people["administrator"].role_assignments.update(valid_to="2000-01-01")
    administrator = type(people["administrator"]).objects.get(pk=people["administrator"].pk)

    _assert_refused(application, by=administrator, name="invite_to_assessment")


def test_final_statuses_have_no_way_out_and_every_other_status_has_one():
    for status in STATUSES:
        outgoing = [t for actor in Actor for t in transitions_from(status, actor=actor)]
        if status in FINAL_STATUSES:
            assert outgoing == [], status
        else:
            assert outgoing, status


def test_each_status_has_at_most_one_transition_of_each_name():
    pairs = [(transition.source, transition.name) for transition in TRANSITIONS]

    assert len(pairs) == len(set(pairs))


def test_history_rows_cannot_be_changed(people):
    application = _application(people, Status.DRAFT)
    application_transition(application=application, name="submit", by=people["applicant"], reason="")
    row = ApplicationTransition.objects.get()

    row.to_status = Status.ACCEPTED
    row.reason = "Rewritten"
    with pytest.raises(ValueError, match="Application history cannot be changed"):
        row.save()

    assert list(ApplicationTransition.objects.values_list("from_status", "to_status", "reason")) == [
        (Status.DRAFT, Status.SUBMITTED, "")
    ]


def test_accepting_an_offer_makes_a_participant_for_24_months_with_their_sponsor(db):
    application = ApplicationFactory(offered=True)

    application_transition(application=application, name="accept_offer", by=application.applicant)

    participant = Participant.objects.get()
    assert (participant.user, participant.cohort, participant.sponsor, participant.status) == (
        application.applicant,
        application.cohort,
        application.sponsor,
        Participant.Status.ACTIVE,
    )
    assert participant.starts_on == application.cohort.starts_on
    assert participant.ends_on == application.cohort.starts_on.replace(
        year=application.cohort.starts_on.year + 2
    )
    assert participant.career_development_plan.is_complete is False
