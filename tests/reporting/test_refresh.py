"""The summary refresh gives the same numbers as direct counts on the raw rows (issue 6).

One small workforce is built by hand (`world`): 4 organisations in 3 ICSs in 2 regions, 15 people in post
and 1 who has left, conversations in every state, barriers, development actions, talent pools, critical
roles and two HPS intakes moved through the real application workflow. Each summary table is then compared
with counts written here from the definitions in the model labels and `reporting.refresh`'s docstring,
and a few figures are checked against numbers worked out by hand.

Snapshot dates: AS_OF (30 September 2026, the main one) and EARLIER (31 March 2026). "The last 12
months" to AS_OF is 1 October 2025 to 30 September 2026, both days included.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Coalesce

from accounts.models import (
    EqualityProfile,
    IntegratedCareSystem,
    PayBand,
    Role,
    Scope,
    StaffGroup,
    StaffProfile,
    User,
)
from conversations.models import (
    AspirationTimeframe,
    BarrierType,
    Conversation,
    ConversationRecord,
    DevelopmentAction,
    GrowthCategory,
    Readiness,
    Successor,
    TalentPoolMembership,
)
from hps.models import Application, ApplicationTransition, Cohort, Participant
from hps.services import application_transition
from hps.workflow import Actor, find_transition
from reporting.models import (
    DistributionCube,
    HpsFunnelCube,
    OrganisationYearCoverage,
    Snapshot,
    StaffCube,
    SuccessionCube,
    TalentPoolCube,
)
from reporting.refresh import refresh_snapshot
from tests.accounts.factories import (
    EqualityProfileFactory,
    OrganisationFactory,
    RoleAssignmentFactory,
    StaffProfileFactory,
    UserFactory,
)
from tests.conversations.factories import (
    ConversationFactory,
    ConversationRecordFactory,
    CriticalRoleFactory,
    DevelopmentActionFactory,
    SuccessorFactory,
    TalentPoolFactory,
    TalentPoolMembershipFactory,
    impact_levels,
)
from tests.hps.factories import ApplicationFactory, CohortFactory, DestinationFactory

LONDON = ZoneInfo("Europe/London")
AS_OF = datetime.date(2026, 9, 30)
EARLIER = datetime.date(2026, 3, 31)
# The world is built as if on this day; each row that has a creation time is made at its own moment.
BUILT_AT = datetime.datetime(2026, 10, 15, 9, 0, tzinfo=LONDON)

MEASURES = (
    "staff",
    "had_conversation",
    "agreed",
    "overdue",
    "never_had",
    "with_position",
    "wants_to_move_up",
    "ready_now",
    "ready_one_to_two_years",
    "ready_later",
    "developing_in_role",
    "in_talent_pool",
    "successor",
)
READINESS_MEASURE = {
    Readiness.READY_NOW: "ready_now",
    Readiness.ONE_TO_TWO_YEARS: "ready_one_to_two_years",
    Readiness.THREE_PLUS_YEARS: "ready_later",
    Readiness.DEVELOPING_IN_ROLE: "developing_in_role",
}
HPS_STEPS = (
    "eligible",
    "applied",
    "sponsor_signed",
    "invited",
    "assessed",
    "shortlisted",
    "offered",
    "accepted",
    "completed",
    "promoted",
)
# The status an application reaches at each step of the funnel (hps/workflow.py).
STEP_STATUS = {
    "applied": Application.Status.SUBMITTED,
    "sponsor_signed": Application.Status.ELIGIBILITY_REVIEW,
    "invited": Application.Status.ASSESSMENT_INVITED,
    "assessed": Application.Status.ASSESSMENT_COMPLETE,
    "shortlisted": Application.Status.SHORTLISTED,
    "offered": Application.Status.OFFERED,
    "accepted": Application.Status.ACCEPTED,
}

# Equality breakdowns: the code a missing answer (or a missing profile) counts as, and the derived groups.
NOT_KNOWN = {
    "ethnic_category": "99",
    "sex": "0",
    "gender_identity": "X",
    "gender_same_as_birth": "X",
    "sexual_orientation": "X",
    "religion_group": "N",
    "disability": "X",
    "age_band": "X",
}
DERIVED = {
    "wres_ethnic_group": (
        "ethnic_category",
        {
            "white": ("A", "B", "C"),
            "bme": ("D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S"),
            "unknown": ("Z", "99"),
        },
    ),
    "wdes_disability": ("disability", {"disabled": ("Y",), "non_disabled": ("N",), "unknown": ("Z", "X")}),
    "age_group": (
        "age_band",
        {
            "under_35": ("U25", "25_34"),
            "35_54": ("35_44", "45_54"),
            "55_plus": ("55_64", "65P"),
            "unknown": ("Z", "X"),
        },
    ),
}
BREAKDOWNS = (*NOT_KNOWN, *DERIVED)


def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def end_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the end of `day`, London time: rows made before it count for a snapshot of `day`."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=LONDON)


def window_start(as_of: datetime.date) -> datetime.date:
    """The first day of the 12 months (365 days) to `as_of`."""
    return as_of - datetime.timedelta(days=364)


def d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


# The world -----------------------------------------------------------------------------------------


@dataclass
class World:
    organisations: dict
    people: dict
    cohorts: dict
    pools: dict
    roles: dict


class _Builder:
    def __init__(self) -> None:
        self.facilitator = UserFactory(email="facilitator@nhs.test")
        self.levels = impact_levels()
        self.people: dict[str, User] = {}

    def person(self, name, organisation, band, staff_group, equality=None, *, is_active=True) -> User:
        """Someone in post (or not), with an equality profile only when `equality` is given."""
        profile = StaffProfileFactory(
            user__email=f"{name}@nhs.test",
            user__first_name=name.title(),
            organisation=organisation,
            pay_band=PayBand.objects.get(code=band),
            staff_group=StaffGroup.objects.get(code=staff_group),
            is_active=is_active,
        )
        if equality is not None:
            EqualityProfileFactory(user=profile.user, **equality)
        self.people[name] = profile.user
        return profile.user

    def conversation(self, person, status, planned_for, *, agreed_on=None) -> Conversation:
        return ConversationFactory(
            individual=person,
            facilitator=self.facilitator,
            status=status,
            planned_for=planned_for,
            agreed_at=moment(agreed_on, 15) if agreed_on else None,
        )

    def record(
        self,
        conversation,
        *,
        held_on,
        readiness,
        current=1,
        target=2,
        version=1,
        recorded_on=None,
        response=ConversationRecord.Response.PENDING,
        responded_on=None,
        next_due=None,
        barriers=(),
        timeframe=AspirationTimeframe.ONE_TO_TWO_YEARS,
        current_growth=GrowthCategory.DEPTH,
        target_growth=GrowthCategory.STRETCH,
    ) -> ConversationRecord:
        record = ConversationRecordFactory(
            conversation=conversation,
            version=version,
            held_on=held_on,
            readiness=readiness,
            current_impact_level=self.levels[current - 1],
            target_impact_level=self.levels[target - 1],
            aspiration_timeframe=timeframe,
            current_growth_category=current_growth,
            target_growth_category=target_growth,
            next_conversation_due=next_due or held_on.replace(year=held_on.year + 1),
            recorded_at=moment(recorded_on or held_on, 14),
            individual_response=response,
            individual_responded_at=moment(responded_on, 16) if responded_on else None,
        )
        record.barriers.set(BarrierType.objects.filter(code__in=barriers))
        return record

    def action(self, conversation, action_type, created_on) -> DevelopmentAction:
        with time_machine.travel(moment(created_on), tick=False):
            return DevelopmentActionFactory(conversation=conversation, action_type=action_type)

    def agreed(self, person, *, held_on, agreed_on, readiness, current=1, target=2, **values) -> Conversation:
        """A conversation with one record version, which the person agreed."""
        conversation = self.conversation(person, Conversation.Status.AGREED, held_on, agreed_on=agreed_on)
        self.record(
            conversation,
            held_on=held_on,
            readiness=readiness,
            current=current,
            target=target,
            response=ConversationRecord.Response.AGREED,
            responded_on=agreed_on,
            **values,
        )
        return conversation

    def awaiting(self, person, *, held_on, readiness, current=1, target=2, **values) -> Conversation:
        """A conversation with one record version, waiting for the person to agree it."""
        conversation = self.conversation(person, Conversation.Status.AWAITING_AGREEMENT, held_on)
        self.record(
            conversation, held_on=held_on, readiness=readiness, current=current, target=target, **values
        )
        return conversation


def _membership(pool, person, status, created_on, *, changed_on=None) -> TalentPoolMembership:
    with time_machine.travel(moment(created_on), tick=False):
        membership = TalentPoolMembershipFactory(pool=pool, individual=person, nominated_by=pool.created_by)
    if status != TalentPoolMembership.Status.NOMINATED:
        with time_machine.travel(moment(changed_on or created_on, 11), tick=False):
            membership.status = status
            membership.save()
    return membership


def _successor(role, person, readiness, created_on) -> Successor:
    with time_machine.travel(moment(created_on), tick=False):
        return SuccessorFactory(
            critical_role=role, individual=person, readiness=readiness, added_by=role.created_by
        )


def _walk(application, steps, *, administrator) -> Application:
    """Move an application through the real workflow service, each step on its own day."""
    for name, day in steps:
        transition = find_transition(source=application.status, name=name)
        by = {
            Actor.APPLICANT: application.applicant,
            Actor.SPONSOR: application.sponsor,
            Actor.ADMINISTRATOR: administrator,
        }[transition.actor]
        with time_machine.travel(moment(day), tick=False):
            application = application_transition(
                application=application, name=name, by=by, reason="Recorded for the test"
            )
    return application


def _apply(cohort, person, sponsor, organisation) -> Application:
    """A draft, complete and signed by the sponsor; `organisation` None leaves it to the staff record."""
    return ApplicationFactory(
        sponsor_signed=True, applicant=person, cohort=cohort, sponsor=sponsor, organisation=organisation
    )


SUBMIT_TO_ASSESSED = (
    "submit",
    "invite_sponsor",
    "sponsor_sign",
    "invite_to_assessment",
    "record_assessment",
)


def _path(names, days):
    return list(zip(names, days, strict=True))


def build_world() -> World:
    """The hand-built workforce. Facts at AS_OF are noted against each person."""
    w = _Builder()
    ics = {code: IntegratedCareSystem.objects.get(code=code) for code in ("QNC", "QHL", "QMJ")}
    organisations = {
        "A": OrganisationFactory(code="RAA", name="Trust A", integrated_care_system=ics["QNC"]),
        "B": OrganisationFactory(code="RBB", name="Trust B", integrated_care_system=ics["QNC"]),
        "C": OrganisationFactory(code="RCC", name="Trust C", integrated_care_system=ics["QHL"]),
        "D": OrganisationFactory(code="RDD", name="Trust D", integrated_care_system=ics["QMJ"]),
    }
    org_a, org_b, org_c, org_d = organisations.values()
    lead = UserFactory(email="talent.lead@nhs.test")
    pools = {
        "P1": TalentPoolFactory(name="Aspiring ward leaders", organisation=org_a, created_by=lead),
        "P2": TalentPoolFactory(name="Future directors", organisation=org_c, created_by=lead),
    }
    roles = {
        "R1": CriticalRoleFactory(title="Chief nurse", organisation=org_a, created_by=lead),
        "R2": CriticalRoleFactory(title="Director of finance", organisation=org_c, created_by=lead),
    }

    # Organisation A: 4 in post (and Eve, who has left).
    # Ada: agreed in May 2026, ready in 1 to 2 years, moving up, in pool P1, successor for R1.
    ada = w.person(
        "ada",
        org_a,
        "AFC6",
        "NURSES",
        {"ethnic_category": "A", "sex": "2", "disability": "N", "age_band": "35_44"},
    )
    conversation = w.agreed(
        ada,
        held_on=d(2026, 5, 12),
        agreed_on=d(2026, 5, 20),
        readiness=Readiness.ONE_TO_TWO_YEARS,
        barriers=("WORKLOAD_TIME", "CONFIDENCE"),
    )
    w.action(conversation, DevelopmentAction.ActionType.EXPERIENCE, d(2026, 5, 12))
    w.action(conversation, DevelopmentAction.ActionType.EDUCATION, d(2026, 5, 12))
    _membership(
        pools["P1"], ada, TalentPoolMembership.Status.ACCEPTED, d(2026, 6, 1), changed_on=d(2026, 6, 5)
    )
    _successor(roles["R1"], ada, Readiness.READY_NOW, d(2026, 7, 1))

    # Ben: 2 conversations. An agreed one in March 2025 (more than 12 months before), and the latest in
    # September 2026 awaiting agreement: ready now, moving up. Nominated to P1.
    ben = w.person(
        "ben", org_a, "AFC6", "NURSES", {"ethnic_category": "H", "disability": "Y", "age_band": "25_34"}
    )
    old = w.agreed(
        ben,
        held_on=d(2025, 3, 10),
        agreed_on=d(2025, 3, 20),
        readiness=Readiness.DEVELOPING_IN_ROLE,
        current=1,
        target=1,
        next_due=d(2026, 3, 10),
    )
    w.action(old, DevelopmentAction.ActionType.EXPERIENCE, d(2025, 3, 10))
    latest = w.awaiting(
        ben,
        held_on=d(2026, 9, 2),
        readiness=Readiness.READY_NOW,
        current=2,
        target=3,
        timeframe=AspirationTimeframe.NOW,
        barriers=("FUNDING",),
    )
    w.action(latest, DevelopmentAction.ActionType.EXPOSURE, d(2026, 9, 2))
    _membership(pools["P1"], ben, TalentPoolMembership.Status.NOMINATED, d(2026, 9, 10))

    # Cara: no equality profile; only a cancelled conversation (with a stray record) and a planned one,
    # so she has never had a conversation. Declined P1 in February 2026.
    cara = w.person("cara", org_a, "AFC8A", "CENTRAL")
    cancelled = w.conversation(cara, Conversation.Status.CANCELLED, d(2026, 4, 1))
    w.record(cancelled, held_on=d(2026, 4, 1), readiness=Readiness.READY_NOW)
    w.conversation(cara, Conversation.Status.PLANNED, d(2026, 10, 20))
    _membership(
        pools["P1"], cara, TalentPoolMembership.Status.DECLINED, d(2025, 6, 1), changed_on=d(2026, 2, 1)
    )

    # Dev: latest conversation held in September 2025 (more than 12 months before), next one due
    # 15 September 2026, so overdue; a newer conversation was held after the snapshot date.
    dev = w.person(
        "dev",
        org_a,
        "AFC8A",
        "CENTRAL",
        {"ethnic_category": "Z", "sex": "9", "disability": "Z", "age_band": "55_64"},
    )
    w.agreed(
        dev,
        held_on=d(2025, 9, 15),
        agreed_on=d(2025, 9, 20),
        readiness=Readiness.THREE_PLUS_YEARS,
        current=2,
        target=2,
        timeframe=AspirationTimeframe.THREE_PLUS_YEARS,
        next_due=d(2026, 9, 15),
    )
    w.awaiting(dev, held_on=d(2026, 10, 5), readiness=Readiness.READY_NOW)

    # Eve has left (inactive staff record): counted for her pool and role, not as staff.
    eve = w.person("eve", org_a, "AFC7", "NURSES", {"ethnic_category": "B"}, is_active=False)
    w.agreed(eve, held_on=d(2026, 6, 1), agreed_on=d(2026, 6, 2), readiness=Readiness.READY_NOW)
    _membership(pools["P1"], eve, TalentPoolMembership.Status.ACCEPTED, d(2026, 6, 10))
    _successor(roles["R1"], eve, Readiness.THREE_PLUS_YEARS, d(2026, 6, 10))

    # Organisation B: 4 in post.
    # Finn: version 1 not agreed, version 2 (a different readiness, levels and barrier) agreed.
    finn = w.person(
        "finn",
        org_b,
        "AFC5",
        "NURSES",
        {"ethnic_category": "C", "sex": "1", "disability": "N", "age_band": "U25"},
    )
    conversation = w.conversation(finn, Conversation.Status.AGREED, d(2026, 6, 1), agreed_on=d(2026, 6, 25))
    w.record(
        conversation,
        held_on=d(2026, 6, 1),
        readiness=Readiness.DEVELOPING_IN_ROLE,
        current=1,
        target=1,
        response=ConversationRecord.Response.NOT_AGREED,
        responded_on=d(2026, 6, 3),
        barriers=("LOCATION_OR_FLEXIBILITY",),
    )
    w.record(
        conversation,
        version=2,
        held_on=d(2026, 6, 1),
        recorded_on=d(2026, 6, 20),
        readiness=Readiness.ONE_TO_TWO_YEARS,
        current=1,
        target=3,
        response=ConversationRecord.Response.AGREED,
        responded_on=d(2026, 6, 25),
        barriers=("ACCESS_TO_DEVELOPMENT",),
        timeframe=AspirationTimeframe.WITHIN_12_MONTHS,
        current_growth=GrowthCategory.BREADTH,
    )
    w.action(conversation, DevelopmentAction.ActionType.EDUCATION, d(2026, 6, 1))

    # Gita: version 1 agreed in February 2026; version 2 recorded after the snapshot date, so the
    # conversation now awaits agreement. At AS_OF she had an agreed record, developing in role.
    gita = w.person(
        "gita",
        org_b,
        "AFC7",
        "DOCTORS",
        {"ethnic_category": "N", "sex": "2", "disability": "N", "age_band": "45_54"},
    )
    conversation = w.conversation(gita, Conversation.Status.AWAITING_AGREEMENT, d(2026, 2, 1))
    w.record(
        conversation,
        held_on=d(2026, 2, 1),
        readiness=Readiness.DEVELOPING_IN_ROLE,
        current=2,
        target=2,
        response=ConversationRecord.Response.AGREED,
        responded_on=d(2026, 2, 5),
    )
    w.record(
        conversation,
        version=2,
        held_on=d(2026, 2, 1),
        recorded_on=d(2026, 10, 10),
        readiness=Readiness.READY_NOW,
        current=2,
        target=3,
    )

    # Hal: an equality profile with every answer not known; never had a conversation.
    w.person("hal", org_b, "AFC8B", "DOCTORS", {})

    # Isla: version 2 corrected the date of the conversation to August 2025, more than 12 months before;
    # the next one was due 1 August 2026, so it is overdue.
    isla = w.person(
        "isla", org_b, "AFC6", "NURSES", {"ethnic_category": "A", "disability": "Y", "age_band": "65P"}
    )
    conversation = w.conversation(isla, Conversation.Status.AWAITING_AGREEMENT, d(2026, 8, 1))
    w.record(
        conversation,
        held_on=d(2026, 8, 1),
        readiness=Readiness.ONE_TO_TWO_YEARS,
        response=ConversationRecord.Response.NOT_AGREED,
        responded_on=d(2026, 8, 3),
    )
    w.record(
        conversation,
        version=2,
        held_on=d(2025, 8, 1),
        recorded_on=d(2026, 8, 5),
        readiness=Readiness.THREE_PLUS_YEARS,
        current=3,
        target=3,
        next_due=d(2026, 8, 1),
    )

    # Organisation C (another ICS in the same region): 3 in post.
    # Jo: awaiting agreement, ready now; two experience actions, one exposure, and an education action
    # added after the snapshot date. Successor for R2.
    jo = w.person(
        "jo",
        org_c,
        "AFC8A",
        "CENTRAL",
        {"ethnic_category": "J", "disability": "N", "age_band": "35_44", "sexual_orientation": "2"},
    )
    conversation = w.awaiting(
        jo,
        held_on=d(2026, 7, 7),
        readiness=Readiness.READY_NOW,
        current=2,
        target=3,
        timeframe=AspirationTimeframe.WITHIN_12_MONTHS,
        barriers=("CARING_RESPONSIBILITIES", "WORKLOAD_TIME"),
    )
    w.action(conversation, DevelopmentAction.ActionType.EXPERIENCE, d(2026, 7, 7))
    w.action(conversation, DevelopmentAction.ActionType.EXPOSURE, d(2026, 7, 7))
    w.action(conversation, DevelopmentAction.ActionType.EXPERIENCE, d(2026, 7, 8))
    w.action(conversation, DevelopmentAction.ActionType.EDUCATION, d(2026, 10, 2))
    _successor(roles["R2"], jo, Readiness.READY_NOW, d(2026, 8, 1))

    # Kai: every answer not known; never had a conversation; joined P2 in November 2025 and left in May.
    kai = w.person("kai", org_c, "AFC5", "NURSES", {"ethnic_category": "99", "disability": "X"})
    _membership(pools["P2"], kai, TalentPoolMembership.Status.LEFT, d(2025, 11, 1), changed_on=d(2026, 5, 1))

    # Lena: no equality profile; a record she did not agree; overdue. In P2 since May 2025; named as a
    # successor for R2 only after the snapshot date.
    lena = w.person("lena", org_c, "AFC6", "DOCTORS")
    conversation = w.conversation(lena, Conversation.Status.NOT_AGREED, d(2026, 1, 20))
    w.record(
        conversation,
        held_on=d(2026, 1, 20),
        readiness=Readiness.DEVELOPING_IN_ROLE,
        current=3,
        target=3,
        response=ConversationRecord.Response.NOT_AGREED,
        responded_on=d(2026, 1, 25),
        next_due=d(2026, 7, 20),
        timeframe=AspirationTimeframe.NOW,
    )
    _membership(pools["P2"], lena, TalentPoolMembership.Status.ACCEPTED, d(2025, 5, 1))
    _successor(roles["R2"], lena, Readiness.ONE_TO_TWO_YEARS, d(2026, 10, 3))

    # Organisation D (another region): 4 in post.
    # Mo: two agreed conversations, the latest held on the snapshot date itself. Successor for R1.
    mo = w.person(
        "mo",
        org_d,
        "AFC8B",
        "CENTRAL",
        {"ethnic_category": "M", "sex": "1", "disability": "Y", "age_band": "45_54"},
    )
    w.agreed(mo, held_on=d(2025, 11, 3), agreed_on=d(2025, 11, 5), readiness=Readiness.ONE_TO_TWO_YEARS)
    conversation = w.agreed(
        mo,
        held_on=AS_OF,
        agreed_on=AS_OF,
        readiness=Readiness.READY_NOW,
        current=2,
        target=3,
        barriers=("PERCEIVED_BIAS_OR_DISCRIMINATION",),
    )
    w.action(conversation, DevelopmentAction.ActionType.EDUCATION, AS_OF)
    _successor(roles["R1"], mo, Readiness.ONE_TO_TWO_YEARS, d(2026, 5, 1))

    # Nia: held on the first day of the 12 months; next due on the snapshot date, so not yet overdue.
    nia = w.person("nia", org_d, "AFC7", "NURSES", {"ethnic_category": "A", "age_band": "25_34"})
    w.awaiting(nia, held_on=window_start(AS_OF), readiness=Readiness.ONE_TO_TWO_YEARS, next_due=AS_OF)

    # Omar: agreed, but held the day before the 12 months began; overdue by a day.
    omar = w.person(
        "omar", org_d, "AFC8A", "DOCTORS", {"ethnic_category": "H", "disability": "N", "age_band": "55_64"}
    )
    w.agreed(
        omar,
        held_on=d(2025, 9, 30),
        agreed_on=d(2025, 10, 2),
        readiness=Readiness.READY_NOW,
        current=3,
        target=3,
        next_due=d(2026, 9, 29),
    )

    # Pat: no equality profile, no conversation.
    pat = w.person("pat", org_d, "AFC8C", "CENTRAL")

    # Quinn applies to the scheme but has no staff record here.
    quinn = UserFactory(email="quinn@nhs.test")
    EqualityProfileFactory(user=quinn, ethnic_category="K", disability="N")
    w.people["quinn"] = quinn

    # HPS: K1 for Staffordshire (bands 8a to 8d), open April to May 2026; K2 for Birmingham and North
    # Central London (bands 8a and 8b), open September to October 2025; K3 opens after the snapshot.
    with time_machine.travel(moment(d(2025, 1, 1)), tick=False):
        administrator = UserFactory(email="hps.admin@nhs.test")
        RoleAssignmentFactory(user=administrator, role=Role.HPS_ADMINISTRATOR, scope=Scope.NATIONAL)
    sponsor = UserFactory(email="sponsor@nhs.test")
    eight_a_to_d = list(PayBand.objects.filter(code__in=("AFC8A", "AFC8B", "AFC8C", "AFC8D")))
    cohorts = {
        "K1": CohortFactory(
            name="Staffordshire 2026",
            integrated_care_systems=[ics["QNC"]],
            eligible_pay_bands=eight_a_to_d,
            opens_on=d(2026, 4, 1),
            closes_on=d(2026, 5, 31),
            starts_on=d(2026, 11, 1),
            administrators=[administrator],
        ),
        "K2": CohortFactory(
            name="Birmingham and London 2025",
            integrated_care_systems=[ics["QHL"], ics["QMJ"]],
            eligible_pay_bands=list(PayBand.objects.filter(code__in=("AFC8A", "AFC8B"))),
            opens_on=d(2025, 9, 1),
            closes_on=d(2025, 10, 31),
            starts_on=d(2026, 1, 1),
            administrators=[administrator],
        ),
        "K3": CohortFactory(
            name="North Central London 2027",
            integrated_care_systems=[ics["QMJ"]],
            eligible_pay_bands=eight_a_to_d,
            opens_on=d(2026, 11, 1),
            closes_on=d(2026, 12, 15),
            starts_on=d(2027, 2, 1),
            administrators=[administrator],
        ),
    }
    walk = {"administrator": administrator}
    # K1 at AS_OF: 3 eligible (Cara, Dev, Hal); Cara withdrew her draft, Hal withdrew after applying, Dev was
    # shortlisted then unsuccessful, Quinn was offered a place and accepted after the snapshot date.
    _walk(_apply(cohorts["K1"], cara, sponsor, org_a), _path(["withdraw"], [d(2026, 4, 5)]), **walk)
    _walk(
        _apply(cohorts["K1"], dev, sponsor, org_a),
        _path(
            [*SUBMIT_TO_ASSESSED, "shortlist", "mark_unsuccessful"],
            [
                d(2026, 4, 10),
                d(2026, 4, 11),
                d(2026, 4, 15),
                d(2026, 5, 1),
                d(2026, 6, 1),
                d(2026, 6, 15),
                d(2026, 7, 1),
            ],
        ),
        **walk,
    )
    hal = w.people["hal"]
    _walk(
        _apply(cohorts["K1"], hal, sponsor, None),
        _path(["submit", "invite_sponsor", "withdraw"], [d(2026, 5, 1), d(2026, 5, 2), d(2026, 5, 10)]),
        **walk,
    )
    _walk(
        _apply(cohorts["K1"], quinn, sponsor, org_b),
        _path(
            [*SUBMIT_TO_ASSESSED, "shortlist", "offer", "accept_offer"],
            [
                d(2026, 5, 20),
                d(2026, 5, 21),
                d(2026, 5, 25),
                d(2026, 6, 10),
                d(2026, 7, 15),
                d(2026, 8, 1),
                d(2026, 9, 15),
                d(2026, 10, 2),
            ],
        ),
        **walk,
    )
    # K2 at AS_OF: 3 eligible (Jo, Mo, Omar); Jo was found not eligible, Mo declined the offer, Omar accepted,
    # completed in September 2026 and was promoted; Pat withdrew; Nia's draft was never submitted.
    _walk(
        _apply(cohorts["K2"], jo, sponsor, None),
        _path(
            ["submit", "invite_sponsor", "sponsor_sign", "reject_eligibility"],
            [d(2025, 9, 10), d(2025, 9, 11), d(2025, 9, 15), d(2025, 9, 20)],
        ),
        **walk,
    )
    _walk(
        _apply(cohorts["K2"], mo, sponsor, org_d),
        _path(
            [*SUBMIT_TO_ASSESSED, "shortlist", "offer", "decline_offer"],
            [
                d(2025, 9, 12),
                d(2025, 9, 12),
                d(2025, 9, 16),
                d(2025, 9, 25),
                d(2025, 10, 5),
                d(2025, 10, 10),
                d(2025, 10, 15),
                d(2025, 10, 25),
            ],
        ),
        **walk,
    )
    accepted = _walk(
        _apply(cohorts["K2"], omar, sponsor, org_d),
        _path(
            [*SUBMIT_TO_ASSESSED, "shortlist", "offer", "accept_offer"],
            [
                d(2025, 9, 10),
                d(2025, 9, 10),
                d(2025, 9, 12),
                d(2025, 9, 20),
                d(2025, 10, 1),
                d(2025, 10, 5),
                d(2025, 10, 10),
                d(2025, 10, 20),
            ],
        ),
        **walk,
    )
    participant = Participant.objects.get(application=accepted)
    Participant.objects.filter(pk=participant.pk).update(
        status=Participant.Status.COMPLETED, completed_at=moment(d(2026, 9, 1))
    )
    DestinationFactory(participant=participant, started_on=d(2026, 9, 15), is_promotion=True)
    _walk(
        _apply(cohorts["K2"], pat, sponsor, None),
        _path(["submit", "withdraw"], [d(2025, 9, 12), d(2025, 9, 13)]),
        **walk,
    )
    _apply(cohorts["K2"], nia, sponsor, org_d)

    return World(organisations=organisations, people=w.people, cohorts=cohorts, pools=pools, roles=roles)


@pytest.fixture
def world(db) -> World:
    with time_machine.travel(BUILT_AT, tick=False):
        return build_world()


# Direct counts ------------------------------------------------------------------------------------


def groups_of(user) -> dict[str, str]:
    """A person's code for each equality field (not known without an answer) and their derived groups."""
    profile = EqualityProfile.objects.filter(user=user).first()
    codes = {field: getattr(profile, field) if profile else NOT_KNOWN[field] for field in NOT_KNOWN}
    for breakdown, (field, groups) in DERIVED.items():
        codes[breakdown] = next(group for group, members in groups.items() if codes[field] in members)
    return codes


def current_versions(user, as_of) -> list[ConversationRecord]:
    """Each non-cancelled conversation's latest version as it stood at the end of `as_of`."""
    latest: dict[int, ConversationRecord] = {}
    records = ConversationRecord.objects.filter(
        conversation__individual=user, recorded_at__lt=end_of(as_of), held_on__lte=as_of
    ).exclude(conversation__status=Conversation.Status.CANCELLED)
    for record in records.select_related("current_impact_level", "target_impact_level"):
        if record.conversation_id not in latest or record.version > latest[record.conversation_id].version:
            latest[record.conversation_id] = record
    return list(latest.values())


def latest_record(user, as_of) -> ConversationRecord | None:
    """The person's latest conversation record at the end of `as_of`, or None if they never had one."""
    return max(current_versions(user, as_of), key=lambda r: (r.held_on, r.conversation_id), default=None)


def staff_measures(as_of) -> dict[str, set[int]]:
    """For each StaffCube measure, the people in post it counts."""
    cutoff = end_of(as_of)
    since = window_start(as_of)
    in_post = list(StaffProfile.objects.filter(is_active=True).select_related("user"))
    people = {measure: set() for measure in MEASURES}
    pool_members = set(
        TalentPoolMembership.objects.filter(
            status__in=[TalentPoolMembership.Status.NOMINATED, TalentPoolMembership.Status.ACCEPTED],
            created_at__lt=cutoff,
        ).values_list("individual_id", flat=True)
    )
    successors = set(Successor.objects.filter(created_at__lt=cutoff).values_list("individual_id", flat=True))
    for profile in in_post:
        user_id = profile.user_id
        people["staff"].add(user_id)
        latest = latest_record(profile.user, as_of)
        if latest is None:
            people["never_had"].add(user_id)
        else:
            people["with_position"].add(user_id)
            people[READINESS_MEASURE[latest.readiness]].add(user_id)
            if latest.held_on >= since:
                people["had_conversation"].add(user_id)
            if latest.next_conversation_due < as_of:
                people["overdue"].add(user_id)
            if latest.target_impact_level.order > latest.current_impact_level.order:
                people["wants_to_move_up"].add(user_id)
        if any(
            record.held_on >= since
            and record.individual_response == ConversationRecord.Response.AGREED
            and record.individual_responded_at < cutoff
            for record in current_versions(profile.user, as_of)
        ):
            people["agreed"].add(user_id)
        if user_id in pool_members:
            people["in_talent_pool"].add(user_id)
        if user_id in successors:
            people["successor"].add(user_id)
    return people


def group_q(breakdown: str, group: str, user: str = "user__") -> Q:
    """People in an equality group; `user` is the path to their account. No profile means not known."""
    if breakdown == "all":
        return Q()
    if breakdown in DERIVED:
        field, groups = DERIVED[breakdown]
        codes = groups[group]
    else:
        field, codes = breakdown, (group,)
    condition = Q(**{f"{user}equality_profile__{field}__in": codes})
    if NOT_KNOWN[field] in codes:
        condition |= Q(**{f"{user}equality_profile__isnull": True})
    return condition


def area_of(level: str, profile: str = ""):
    """The area a person counts in at a level; `profile` is the path to their staff record."""
    return {
        "national": Value(0),
        "region": F(f"{profile}organisation__integrated_care_system__region_id"),
        "ics": F(f"{profile}organisation__integrated_care_system_id"),
        "organisation": F(f"{profile}organisation_id"),
    }[level]


def dimension_of(dimension: str, profile: str = ""):
    return {
        "all": Value(""),
        "pay_band": F(f"{profile}pay_band__code"),
        "staff_group": F(f"{profile}staff_group__code"),
        "organisation": F(f"{profile}organisation__code"),
    }[dimension]


def group_of(breakdown: str, user: str = "user__"):
    """A person's group in a breakdown, as an SQL expression. No profile or no answer is not known."""
    if breakdown == "all":
        return Value("")
    if breakdown in DERIVED:
        return Case(
            *(When(group_q(breakdown, group, user), then=Value(group)) for group in DERIVED[breakdown][1]),
            output_field=CharField(),
        )
    return Coalesce(F(f"{user}equality_profile__{breakdown}"), Value(NOT_KNOWN[breakdown]))


def count_by_cell(queryset, aggregates, *, profile="", user="user__", category=None, crossed=True) -> dict:
    """Direct counts of `queryset` for every cube cell: one GROUP BY query per level, dimension and breakdown.

    `crossed` is False where the cube keeps a row dimension only with breakdown "all" and a breakdown only
    with dimension "all". With a `category` expression, the category ends the key.
    """
    counted = {}
    for level in ("organisation", "ics", "region", "national"):
        for dimension in ("all", "pay_band", "staff_group", "organisation"):
            if level == "organisation" and dimension == "organisation":
                continue
            for breakdown in ("all", *BREAKDOWNS):
                if not crossed and "all" not in (dimension, breakdown):
                    continue
                cells = {
                    "cell_area": area_of(level, profile),
                    "cell_key": dimension_of(dimension, profile),
                    "cell_group": group_of(breakdown, user),
                }
                if category is not None:
                    cells["cell_category"] = category
                rows = queryset.values(**cells).annotate(**aggregates).order_by()
                for row in rows:
                    key = (
                        level,
                        row.pop("cell_area"),
                        dimension,
                        row.pop("cell_key"),
                        breakdown,
                        row.pop("cell_group"),
                    )
                    if category is not None:
                        key = (*key, str(row.pop("cell_category")))
                    counted[key] = row
    return counted


def areas_of(organisation) -> list[tuple[str, int]]:
    ics = organisation.integrated_care_system
    return [("organisation", organisation.pk), ("ics", ics.pk), ("region", ics.region_id), ("national", 0)]


def key_of(row) -> tuple:
    return (row.area_level, row.area_id, row.dimension, row.dimension_key, row.breakdown, row.group)


def in_post():
    return StaffProfile.objects.filter(is_active=True).select_related(
        "user", "organisation__integrated_care_system", "pay_band", "staff_group"
    )


def staff_cube(snapshot) -> dict[tuple, dict[str, int]]:
    rows = list(StaffCube.objects.filter(snapshot=snapshot))
    cube = {key_of(row): {measure: getattr(row, measure) for measure in MEASURES} for row in rows}
    assert len(cube) == len(rows), "a StaffCube key appears more than once"
    return cube


def distribution_cube(snapshot) -> dict[tuple, int]:
    rows = list(DistributionCube.objects.filter(snapshot=snapshot))
    cube = {(*key_of(row), row.measure, row.category): row.people for row in rows}
    assert len(cube) == len(rows), "a DistributionCube key appears more than once"
    return cube


def hps_cube(snapshot) -> dict[tuple, dict[str, int]]:
    rows = list(HpsFunnelCube.objects.filter(snapshot=snapshot))
    cube = {
        (row.cohort_id, row.area_level, row.area_id, row.breakdown, row.group): {
            s: getattr(row, s) for s in HPS_STEPS
        }
        for row in rows
    }
    assert len(cube) == len(rows), "an HpsFunnelCube key appears more than once"
    return {key: steps for key, steps in cube.items() if any(steps.values())}


def national(snapshot) -> dict[str, int]:
    return staff_cube(snapshot)[("national", 0, "all", "", "all", "")]


# StaffCube ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", [AS_OF, EARLIER])
def test_staff_cube_equals_direct_counts_for_every_area_dimension_and_group(world, as_of):
    snapshot = refresh_snapshot(as_of)
    measures = staff_measures(as_of)

    counted = count_by_cell(
        StaffProfile.objects.filter(is_active=True),
        {measure: Count("pk", filter=Q(user_id__in=people)) for measure, people in measures.items()},
    )

    cube = staff_cube(snapshot)
    assert cube == counted
    assert {key[0] for key in cube} == {"organisation", "ics", "region", "national"}
    assert {key[2] for key in cube} == {"all", "pay_band", "staff_group", "organisation"}
    assert {key[4] for key in cube} == {"all", *BREAKDOWNS}
    assert snapshot.staff_count == 15


def test_staff_cube_has_the_numbers_worked_out_by_hand(world):
    snapshot = refresh_snapshot(AS_OF)
    cube = staff_cube(snapshot)
    organisations = world.organisations

    def row(level, area_id, dimension="all", key="", breakdown="all", group=""):
        return cube[(level, area_id, dimension, key, breakdown, group)]

    # Organisation A: Ada, Ben, Cara and Dev (Eve has left).
    assert row("organisation", organisations["A"].pk) == {
        "staff": 4,
        "had_conversation": 2,  # Ada, Ben (Dev's latest was more than 12 months before)
        "agreed": 1,  # Ada (Ben's agreed record is more than 12 months old)
        "overdue": 1,  # Dev
        "never_had": 1,  # Cara: her only record is in a cancelled conversation
        "with_position": 3,
        "wants_to_move_up": 2,  # Ada, Ben
        "ready_now": 1,  # Ben (his latest conversation, not the older one)
        "ready_one_to_two_years": 1,  # Ada
        "ready_later": 1,  # Dev (his conversation after the snapshot date does not count)
        "developing_in_role": 0,
        "in_talent_pool": 2,  # Ada accepted, Ben nominated; Cara declined
        "successor": 1,  # Ada
    }
    # Organisation B: Finn, Gita, Hal and Isla.
    assert row("organisation", organisations["B"].pk) == {
        "staff": 4,
        "had_conversation": 2,  # Finn, Gita; Isla's corrected date is more than 12 months before
        "agreed": 2,  # Finn's version 2; Gita's version 1, agreed before a later version was recorded
        "overdue": 1,  # Isla
        "never_had": 1,  # Hal
        "with_position": 3,
        "wants_to_move_up": 1,  # Finn's version 2 (level 1 to 3)
        "ready_now": 0,  # Gita's "ready now" version was recorded after the snapshot date
        "ready_one_to_two_years": 1,  # Finn
        "ready_later": 1,  # Isla's version 2
        "developing_in_role": 1,  # Gita
        "in_talent_pool": 0,
        "successor": 0,
    }
    assert row("organisation", organisations["B"].pk, "pay_band", "AFC6")["overdue"] == 1
    assert row("organisation", organisations["B"].pk, "staff_group", "DOCTORS")["staff"] == 2
    # England: 15 people in post.
    assert row("national", 0) == {
        "staff": 15,
        "had_conversation": 8,
        "agreed": 4,
        "overdue": 4,
        "never_had": 4,
        "with_position": 11,
        "wants_to_move_up": 6,
        "ready_now": 4,
        "ready_one_to_two_years": 3,
        "ready_later": 2,
        "developing_in_role": 2,
        "in_talent_pool": 3,
        "successor": 3,
    }
    # Organisation D alone is London; A, B and C are the Midlands.
    london = organisations["D"].integrated_care_system.region_id
    assert row("region", london)["staff"] == 4
    assert row("region", organisations["A"].integrated_care_system.region_id)["staff"] == 11
    assert row("ics", organisations["A"].integrated_care_system_id)["had_conversation"] == 4
    assert row("national", 0, "organisation", "RDD") == row("organisation", organisations["D"].pk)
    # Missing profiles count as not known: Cara, Lena and Pat have none; Hal and Kai answered not known.
    assert row("national", 0, breakdown="ethnic_category", group="99")["staff"] == 5
    assert row("national", 0, breakdown="wres_ethnic_group", group="unknown")["staff"] == 6  # and Dev (Z)
    assert row("national", 0, breakdown="wres_ethnic_group", group="bme")["staff"] == 5
    assert row("national", 0, breakdown="wres_ethnic_group", group="white")["staff"] == 4
    assert row("national", 0, breakdown="wdes_disability", group="disabled")["staff"] == 3
    assert row("national", 0, breakdown="age_group", group="55_plus")["staff"] == 3
    assert row("national", 0, breakdown="wdes_disability", group="disabled")["had_conversation"] == 2


def test_staff_cube_counts_the_earlier_snapshot_as_things_stood_then(world):
    snapshot = refresh_snapshot(EARLIER)

    assert national(snapshot) == {
        "staff": 15,  # people are counted as they are today
        "had_conversation": 6,  # Dev, Gita, Lena, Mo, Nia, Omar
        "agreed": 4,  # Dev, Gita, Mo, Omar
        "overdue": 1,  # Ben: due 10 March 2026
        "never_had": 8,
        "with_position": 7,
        "wants_to_move_up": 2,  # Mo, Nia
        "ready_now": 1,  # Omar
        "ready_one_to_two_years": 2,  # Mo, Nia
        "ready_later": 1,  # Dev
        "developing_in_role": 3,  # Ben, Gita, Lena
        "in_talent_pool": 1,  # Lena; Ada and Ben joined later
        "successor": 0,
    }


def _assert_areas_add_up(cube: dict[tuple, dict[str, int]], organisations, measures, *, crossed=True) -> None:
    """England = the sum of its regions = the sum of its ICSs = the sum of its organisations.

    `cube` maps (area level, area id, dimension, dimension key, breakdown, *rest) to the measures of one
    row. `crossed` is False where rows by organisation are kept only for breakdown "all".
    """
    ics_of = {org.pk: org.integrated_care_system_id for org in organisations}
    region_of = {org.pk: org.integrated_care_system.region_id for org in organisations}
    region_of_ics = {
        org.integrated_care_system_id: org.integrated_care_system.region_id for org in organisations
    }
    code_of = {org.pk: org.code for org in organisations}

    def total(rows) -> Counter:
        summed = Counter()
        for values in rows:
            summed.update({measure: values[measure] for measure in measures})
        return +summed

    by_level: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    children: dict[tuple, list] = defaultdict(list)
    for (level, area_id, dimension, dimension_key, *rest), values in cube.items():
        part = (dimension, dimension_key, *rest)
        by_level[part][level].append(values)
        if level == "organisation":
            children[("ics", ics_of[area_id], *part)].append(values)
            if dimension == "all" and (crossed or rest[0] == "all"):
                # At every wider level, the organisation is also a row of the organisation dimension.
                for wider in (("ics", ics_of[area_id]), ("region", region_of[area_id]), ("national", 0)):
                    assert cube[(*wider, "organisation", code_of[area_id], *rest)] == values, (wider, part)
        elif level == "ics":
            children[("region", region_of_ics[area_id], *part)].append(values)
    assert by_level, "no rows to add up"
    for part, levels in by_level.items():
        england = total(levels["national"])
        assert england, part
        wider_levels = ("region", "ics") if part[0] == "organisation" else ("region", "ics", "organisation")
        for level in wider_levels:
            assert total(levels[level]) == england, (part, level)
    for (level, area_id, *part), rows in children.items():
        assert total(rows) == total([cube[(level, area_id, *part)]]), (level, area_id, part)


def test_every_area_adds_up_in_every_summary_table(world):
    snapshot = refresh_snapshot(AS_OF)
    organisations = list(world.organisations.values())
    cube = staff_cube(snapshot)

    _assert_areas_add_up(cube, organisations, MEASURES)
    # Bands, staff groups, organisations and the groups of each breakdown also add up to the whole.
    for (level, area_id, dimension, _key, breakdown, _group), values in cube.items():
        if dimension != "all" or breakdown != "all":
            continue
        for split in ("pay_band", "staff_group", *([] if level == "organisation" else ["organisation"])):
            parts = Counter()
            for other, other_values in cube.items():
                if other[:3] == (level, area_id, split) and other[4:] == ("all", ""):
                    parts.update(other_values)
            assert +parts == +Counter(values), (level, area_id, split)
        for breakdown_name in BREAKDOWNS:
            parts = Counter()
            for other, other_values in cube.items():
                if other[:4] == (level, area_id, "all", "") and other[4] == breakdown_name:
                    parts.update(other_values)
            assert +parts == +Counter(values), (level, area_id, breakdown_name)

    distribution = {key: {"people": people} for key, people in distribution_cube(snapshot).items()}
    _assert_areas_add_up(distribution, organisations, ("people",), crossed=False)

    # The funnel, shaped like the other cubes with the cohort in place of the row dimension.
    funnel = {
        (row.area_level, row.area_id, "cohort", str(row.cohort_id), row.breakdown, row.group): {
            step: getattr(row, step) for step in HPS_STEPS
        }
        for row in HpsFunnelCube.objects.filter(snapshot=snapshot)
    }
    _assert_areas_add_up(funnel, organisations, HPS_STEPS)


# DistributionCube ---------------------------------------------------------------------------------


def latest_records(as_of) -> dict[int, ConversationRecord]:
    return {
        profile.user_id: record
        for profile in in_post()
        if (record := latest_record(profile.user, as_of)) is not None
    }


def distribution_counted(as_of) -> dict[tuple, int]:
    """People in post counted by the categories of their latest record, for every cube cell."""
    latest = [record.pk for record in latest_records(as_of).values()]
    records = ConversationRecord.objects.filter(pk__in=latest)
    path = {"profile": "conversation__individual__staff_profile__", "user": "conversation__individual__"}
    people = {"people": Count("conversation__individual", distinct=True)}
    counted = {}
    for measure, field in (
        ("current_level", "current_impact_level__order"),
        ("target_level", "target_impact_level__order"),
        ("current_growth", "current_growth_category"),
        ("target_growth", "target_growth_category"),
        ("readiness", "readiness"),
        ("timeframe", "aspiration_timeframe"),
        ("barrier", "barriers__code"),
    ):
        found = count_by_cell(
            records.filter(**{f"{field}__isnull": False}), people, category=F(field), crossed=False, **path
        )
        counted.update({(*key[:6], measure, key[6]): row["people"] for key, row in found.items()})
    # Development needs: the action types in the plan of the person's latest conversation, as it stood.
    actions = DevelopmentAction.objects.filter(conversation__records__in=latest, created_at__lt=end_of(as_of))
    found = count_by_cell(
        actions,
        {"people": Count("individual", distinct=True)},
        profile="individual__staff_profile__",
        user="individual__",
        category=F("action_type"),
        crossed=False,
    )
    counted.update({(*key[:6], "action_type", key[6]): row["people"] for key, row in found.items()})
    return counted


@pytest.mark.parametrize("as_of", [AS_OF, EARLIER])
def test_distribution_cube_equals_direct_counts(world, as_of):
    snapshot = refresh_snapshot(as_of)

    assert distribution_cube(snapshot) == distribution_counted(as_of)


def test_distribution_cube_has_the_numbers_worked_out_by_hand(world):
    snapshot = refresh_snapshot(AS_OF)
    cube = distribution_cube(snapshot)

    def england(measure):
        return {
            key[-1]: people
            for key, people in cube.items()
            if key[:6] == ("national", 0, "all", "", "all", "") and key[6] == measure
        }

    assert england("readiness") == {
        "ready_now": 4,
        "one_to_two_years": 3,
        "three_plus_years": 2,
        "developing_in_role": 2,
    }
    # Jo's action after the snapshot date, Ben's older conversation and Jo's second experience action
    # do not add to the counts.
    assert england("action_type") == {"experience": 2, "exposure": 2, "education": 3}
    # Finn's version 1 barrier and Cara's cancelled conversation are not counted.
    assert england("barrier") == {
        "WORKLOAD_TIME": 2,
        "CONFIDENCE": 1,
        "FUNDING": 1,
        "ACCESS_TO_DEVELOPMENT": 1,
        "CARING_RESPONSIBILITIES": 1,
        "PERCEIVED_BIAS_OR_DISCRIMINATION": 1,
    }
    assert england("current_level") == {"1": 3, "2": 5, "3": 3}
    assert england("target_level") == {"2": 4, "3": 7}
    assert england("current_growth") == {"depth": 10, "breadth": 1}


# HpsFunnelCube ------------------------------------------------------------------------------------


def _expected_funnel(as_of) -> dict[tuple, dict[str, int]]:
    """Each cohort's funnel by area and equality group, counted from applications and staff records."""
    cutoff = end_of(as_of)
    expected: dict[tuple, Counter] = defaultdict(Counter)

    def add(cohort_id, organisation, groups, steps):
        for level, area_id in areas_of(organisation):
            expected[(cohort_id, level, area_id, "all", "")].update(steps)
            for breakdown in BREAKDOWNS:
                expected[(cohort_id, level, area_id, breakdown, groups[breakdown])].update(steps)

    for application in Application.objects.select_related("organisation", "applicant"):
        reached = set(
            ApplicationTransition.objects.filter(application=application, at__lt=cutoff).values_list(
                "to_status", flat=True
            )
        )
        steps = Counter({step: 1 for step, status in STEP_STATUS.items() if status in reached})
        if Participant.objects.filter(
            application=application, status=Participant.Status.COMPLETED, completed_at__lt=cutoff
        ).exists():
            steps["completed"] = 1
        if Participant.objects.filter(
            application=application, destinations__is_promotion=True, destinations__started_on__lte=as_of
        ).exists():
            steps["promoted"] = 1
        organisation = application.organisation or application.applicant.staff_profile.organisation
        add(application.cohort_id, organisation, groups_of(application.applicant), steps)
    for cohort in Cohort.objects.filter(opens_on__lte=as_of):
        eligible = in_post().filter(
            organisation__integrated_care_system__in=cohort.integrated_care_systems.all(),
            pay_band__in=cohort.eligible_pay_bands.all(),
        )
        for profile in eligible:
            add(cohort.pk, profile.organisation, groups_of(profile.user), {"eligible": 1})
    return {key: {step: steps[step] for step in HPS_STEPS} for key, steps in expected.items() if +steps}


@pytest.mark.parametrize("as_of", [AS_OF, EARLIER])
def test_hps_funnel_cube_equals_direct_counts(world, as_of):
    snapshot = refresh_snapshot(as_of)

    assert hps_cube(snapshot) == _expected_funnel(as_of)


def test_hps_funnel_has_the_numbers_worked_out_by_hand(world):
    snapshot = refresh_snapshot(AS_OF)
    cube = hps_cube(snapshot)
    k1, k2, k3 = (world.cohorts[name].pk for name in ("K1", "K2", "K3"))
    organisations = world.organisations

    assert cube[(k1, "national", 0, "all", "")] == {
        "eligible": 3,  # Cara, Dev (8a) and Hal (8b) in Staffordshire
        "applied": 3,  # Dev, Hal, Quinn; Cara withdrew her draft
        "sponsor_signed": 2,
        "invited": 2,
        "assessed": 2,
        "shortlisted": 2,
        "offered": 1,  # Quinn
        "accepted": 0,  # Quinn accepted after the snapshot date
        "completed": 0,
        "promoted": 0,
    }
    assert cube[(k2, "national", 0, "all", "")] == {
        "eligible": 3,  # Jo, Mo, Omar; Pat is band 8c
        "applied": 4,
        "sponsor_signed": 3,
        "invited": 2,
        "assessed": 2,
        "shortlisted": 2,
        "offered": 2,
        "accepted": 1,
        "completed": 1,
        "promoted": 1,
    }
    # Hal's application names no organisation, so his staff record places it; Quinn's names B.
    assert cube[(k1, "organisation", organisations["B"].pk, "all", "")]["applied"] == 2
    assert cube[(k1, "organisation", organisations["B"].pk, "all", "")]["eligible"] == 1
    assert cube[(k1, "organisation", organisations["A"].pk, "all", "")]["eligible"] == 2
    assert (
        cube[(k2, "region", organisations["D"].integrated_care_system.region_id, "all", "")]["eligible"] == 2
    )
    assert cube[(k2, "national", 0, "wres_ethnic_group", "bme")]["promoted"] == 1
    assert not [key for key in cube if key[0] == k3]  # K3 opens after the snapshot date

    earlier = hps_cube(refresh_snapshot(EARLIER))
    assert not [key for key in earlier if key[0] == k1]  # K1 opened on 1 April 2026
    assert earlier[(k2, "national", 0, "all", "")]["accepted"] == 1
    assert earlier[(k2, "national", 0, "all", "")]["completed"] == 0
    assert earlier[(k2, "national", 0, "all", "")]["promoted"] == 0


# SuccessionCube and TalentPoolCube ----------------------------------------------------------------


def succession_counted(as_of) -> dict[tuple, tuple[int, int, int]]:
    """Successors named by the end of `as_of`, by role and equality group, in each readiness."""
    cutoff = end_of(as_of)
    counted = {}
    successors = Successor.objects.filter(created_at__lt=cutoff).select_related("critical_role", "individual")
    for successor in successors:
        role = successor.critical_role
        groups = groups_of(successor.individual)
        for breakdown, group in [("all", ""), *((b, groups[b]) for b in BREAKDOWNS)]:
            counted[(role.pk, role.organisation_id, breakdown, group)] = tuple(
                Successor.objects.filter(
                    group_q(breakdown, group, user="individual__"),
                    critical_role=role,
                    created_at__lt=cutoff,
                    readiness=readiness,
                ).count()
                for readiness in (Readiness.READY_NOW, Readiness.ONE_TO_TWO_YEARS, Readiness.THREE_PLUS_YEARS)
            )
    return counted


def talent_pool_counted(as_of) -> dict[tuple, tuple[int, int, int]]:
    """Members now, joined in the 12 months and left or declined in the 12 months, by pool and group."""
    cutoff = end_of(as_of)
    since = moment(window_start(as_of), 0)
    counted = {}
    memberships = TalentPoolMembership.objects.filter(created_at__lt=cutoff).select_related(
        "pool", "individual"
    )
    for membership in memberships:
        pool = membership.pool
        groups = groups_of(membership.individual)
        for breakdown, group in [("all", ""), *((b, groups[b]) for b in BREAKDOWNS)]:
            in_group = TalentPoolMembership.objects.filter(
                group_q(breakdown, group, user="individual__"), pool=pool, created_at__lt=cutoff
            )
            counted[(pool.pk, pool.organisation_id, breakdown, group)] = (
                in_group.filter(status__in=["nominated", "accepted"]).count(),
                in_group.filter(created_at__gte=since).count(),
                in_group.filter(
                    status__in=["declined", "left"], updated_at__gte=since, updated_at__lt=cutoff
                ).count(),
            )
    return counted


@pytest.mark.parametrize("as_of", [AS_OF, EARLIER])
def test_succession_and_talent_pool_cubes_equal_direct_counts(world, as_of):
    snapshot = refresh_snapshot(as_of)
    succession = list(SuccessionCube.objects.filter(snapshot=snapshot))
    pools = list(TalentPoolCube.objects.filter(snapshot=snapshot))

    assert len(succession) == len({(r.critical_role_id, r.breakdown, r.group) for r in succession})
    assert {
        (r.critical_role_id, r.organisation_id, r.breakdown, r.group): (
            r.ready_now,
            r.ready_one_to_two_years,
            r.ready_later,
        )
        for r in succession
    } == succession_counted(as_of)
    assert len(pools) == len({(r.pool_id, r.breakdown, r.group) for r in pools})
    assert {
        (r.pool_id, r.organisation_id, r.breakdown, r.group): (r.members, r.joined, r.left) for r in pools
    } == talent_pool_counted(as_of)


def test_succession_and_talent_pool_cubes_have_the_numbers_worked_out_by_hand(world):
    snapshot = refresh_snapshot(AS_OF)
    r1, r2 = world.roles["R1"], world.roles["R2"]
    p1, p2 = world.pools["P1"], world.pools["P2"]

    def role_row(role, breakdown="all", group=""):
        found = SuccessionCube.objects.get(
            snapshot=snapshot, critical_role=role, breakdown=breakdown, group=group
        )
        return (found.organisation_id, found.ready_now, found.ready_one_to_two_years, found.ready_later)

    def pool_row(pool):
        found = TalentPoolCube.objects.get(snapshot=snapshot, pool=pool, breakdown="all")
        return (found.organisation_id, found.members, found.joined, found.left)

    # Ada ready now, Mo (from organisation D) in 1 to 2 years, Eve (who has left) in 3 years or more.
    assert role_row(r1) == (world.organisations["A"].pk, 1, 1, 1)
    assert role_row(r1, "wres_ethnic_group", "white") == (world.organisations["A"].pk, 1, 0, 1)
    # Jo ready now; Lena was named after the snapshot date.
    assert role_row(r2) == (world.organisations["C"].pk, 1, 0, 0)
    # Ada, Ben and Eve in P1, all joined in the 12 months; Cara (joined in June 2025) declined in February.
    assert pool_row(p1) == (world.organisations["A"].pk, 3, 3, 1)
    # Lena in P2 since May 2025; Kai joined in November and left in May.
    assert pool_row(p2) == (world.organisations["C"].pk, 1, 1, 1)


# OrganisationYearCoverage -------------------------------------------------------------------------


def test_organisation_year_coverage_counts_people_in_post_with_a_conversation_each_year(world):
    snapshot = refresh_snapshot(AS_OF)
    rows = {
        (row.organisation.code, row.year): (row.staff, row.had_conversation)
        for row in OrganisationYearCoverage.objects.filter(snapshot=snapshot).select_related("organisation")
    }

    expected = {}
    years = {record.held_on.year for profile in in_post() for record in current_versions(profile.user, AS_OF)}
    for organisation in world.organisations.values():
        profiles = in_post().filter(organisation=organisation)
        for year in years:
            expected[(organisation.code, year)] = (
                profiles.count(),
                sum(
                    any(record.held_on.year == year for record in current_versions(profile.user, AS_OF))
                    for profile in profiles
                ),
            )
    assert rows == expected
    # Isla's corrected date puts her conversation in 2025.
    assert rows == {
        ("RAA", 2025): (4, 2),
        ("RAA", 2026): (4, 2),
        ("RBB", 2025): (4, 1),
        ("RBB", 2026): (4, 2),
        ("RCC", 2025): (3, 0),
        ("RCC", 2026): (3, 2),
        ("RDD", 2025): (4, 3),
        ("RDD", 2026): (4, 1),
    }


# Refreshing again ---------------------------------------------------------------------------------


def _all_rows(snapshot) -> dict[str, list[tuple]]:
    """Every summary row of a snapshot, without ids, in a stable order."""
    found = {}
    for model in (
        StaffCube,
        DistributionCube,
        HpsFunnelCube,
        SuccessionCube,
        TalentPoolCube,
        OrganisationYearCoverage,
    ):
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in ("id", "snapshot")]
        found[model.__name__] = sorted(model.objects.filter(snapshot=snapshot).values_list(*fields))
    return found


def test_refreshing_a_date_again_replaces_its_rows(world):
    first = refresh_snapshot(AS_OF)
    before = _all_rows(first)

    second = refresh_snapshot(AS_OF)

    assert second.pk == first.pk
    assert Snapshot.objects.count() == 1
    assert _all_rows(second) == before
    assert all(before.values())
    # A new starter shows in the next refresh, once.
    StaffProfileFactory(organisation=world.organisations["C"], pay_band=PayBand.objects.get(code="AFC5"))
    third = refresh_snapshot(AS_OF)
    assert third.staff_count == 16
    assert national(third)["staff"] == 16
    assert national(third)["never_had"] == 5
    assert (
        StaffCube.objects.filter(
            snapshot=third, area_level="national", dimension="all", breakdown="all"
        ).count()
        == 1
    )


def test_a_second_snapshot_date_is_independent(world):
    main = refresh_snapshot(AS_OF)
    before = _all_rows(main)

    earlier = refresh_snapshot(EARLIER)

    assert Snapshot.objects.count() == 2
    assert _all_rows(main) == before
    assert national(main)["had_conversation"] == 8
    assert national(earlier)["had_conversation"] == 6
    refresh_snapshot(EARLIER)
    assert _all_rows(main) == before


# The management command ---------------------------------------------------------------------------


@pytest.fixture
def two_people(db):
    """Sam, who had a conversation on 15 August 2026, and Tom, who never had one."""
    with time_machine.travel(BUILT_AT, tick=False):
        builder = _Builder()
        sam = builder.person("sam", OrganisationFactory(code="RSS"), "AFC6", "NURSES")
        builder.person("tom", sam.staff_profile.organisation, "AFC6", "NURSES")
        builder.awaiting(sam, held_on=d(2026, 8, 15), readiness=Readiness.READY_NOW)


def _run(*args) -> str:
    out = io.StringIO()
    call_command("refresh_dashboards", *args, stdout=out)
    return out.getvalue()


def test_command_builds_the_snapshot_for_the_date_given(two_people):
    output = _run("--as-of", "2026-09-30")

    snapshot = Snapshot.objects.get()
    assert snapshot.as_of == AS_OF
    assert snapshot.staff_count == 2
    assert output.startswith("Snapshot 2026-09-30: 2 staff in ")
    assert output.endswith(" ms\n")
    assert national(snapshot)["had_conversation"] == 1


def test_command_builds_month_ends_then_the_date(two_people):
    output = _run("--as-of", "2026-09-15", "--months", "3")

    snapshots = list(Snapshot.objects.order_by("as_of"))
    assert [s.as_of for s in snapshots] == [d(2026, 6, 30), d(2026, 7, 31), d(2026, 8, 31), d(2026, 9, 15)]
    assert [line.split(":")[0] for line in output.splitlines()] == [
        "Snapshot 2026-06-30",
        "Snapshot 2026-07-31",
        "Snapshot 2026-08-31",
        "Snapshot 2026-09-15",
    ]
    # Each month end counts things as they stood then: Sam's conversation was on 15 August.
    assert [national(s)["had_conversation"] for s in snapshots] == [0, 0, 1, 1]


def test_command_defaults_to_today(two_people):
    with time_machine.travel(datetime.datetime(2026, 10, 14, 23, 30, tzinfo=LONDON), tick=False):
        output = _run()

    assert Snapshot.objects.get().as_of == d(2026, 10, 14)
    assert output.startswith("Snapshot 2026-10-14: 2 staff in ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "30/09/2026"], "Enter the date as YYYY-MM-DD, for example 2026-10-31"),
        (["--as-of", "2026-02-30"], "Enter the date as YYYY-MM-DD, for example 2026-10-31"),
        (["--as-of", "yesterday"], "Enter the date as YYYY-MM-DD, for example 2026-10-31"),
        (["--as-of", "2026-09-30", "--months", "37"], "Months must be from 0 to 36"),
        (["--as-of", "2026-09-30", "--months", "-1"], "Months must be from 0 to 36"),
    ],
)
def test_command_refuses_bad_input_with_a_clear_message_and_builds_nothing(two_people, args, message):
    with pytest.raises(CommandError) as error:
        _run(*args)

    assert str(error.value) == message
    assert not Snapshot.objects.exists()
    assert not StaffCube.objects.exists()
