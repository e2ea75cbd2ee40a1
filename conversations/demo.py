"""A history of past Scope for Growth conversations for the demo people (`manage.py seed_demo`).

About 60% of the demo staff who have a line manager get one or two past conversations with that
manager, with record versions, development plans and progress, dated relative to today, so that the
team pages and the reminders show every state: agreed and not due yet, due within 30 days, overdue,
awaiting agreement, not agreed, and the next one planned. The demo line manager's own team always
has one of each, except the demo individual, whose conversation the demo manager records live.

Everything is decided by a random generator seeded per person, so the same people always get the
same history. Anyone who already has a conversation is left alone, so a second run creates nothing
and never touches what people recorded in the demo themselves. Only demo accounts (the demo email
domain) are given a history, and never the demo sign-ins.

Seeding writes no audit events: it is made-up history written straight to the tables, not an action
anyone took, so the audit trail shows only what people did in the service.
"""

import datetime
import enum
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.demo.plan import DEMO_EMAIL_DOMAIN, DEMO_SIGN_INS
from accounts.demo.seed import MissingReferenceDataError
from accounts.models import StaffProfile
from conversations.models import (
    ActionProgressUpdate,
    Ambition,
    AspirationTimeframe,
    BarrierType,
    Conversation,
    ConversationRecord,
    DevelopmentAction,
    FacilitatorRole,
    FrameworkVersion,
    GrowthCategory,
    ImpactLevel,
    LeadershipDimension,
    Readiness,
)
from conversations.services import default_next_conversation_due

# Any fixed value works; each person's generator is seeded with it and their email address.
RANDOM_SEED = "scope-for-growth-conversation-history"
#: The share of demo staff with a line manager who get a conversation history.
SHARE_WITH_HISTORY = 0.6
#: The share who also had a conversation about a year before their latest one.
SHARE_WITH_EARLIER_CONVERSATION = 0.35
#: The share of agreed records that were first not agreed, then amended (two versions).
SHARE_AMENDED = 0.2
DEMO_LINE_MANAGER_EMAIL = f"line.manager@{DEMO_EMAIL_DOMAIN}"
SIGN_IN_EMAILS = frozenset(sign_in.email for sign_in in DEMO_SIGN_INS)


class Scenario(enum.StrEnum):
    """Where a person's latest conversation stands today."""

    AGREED = "agreed"  # agreed in the last 10 months: nothing due yet
    AGREED_DUE_SOON = "agreed_due_soon"  # agreed about a year ago: the next one is due within 30 days
    AGREED_OVERDUE = "agreed_overdue"  # agreed more than a year ago: the next one is overdue
    AWAITING_AGREEMENT = "awaiting_agreement"  # recorded, waiting for the individual to respond
    NOT_AGREED = "not_agreed"  # the individual said what they do not agree with
    PLANNED = "planned"  # agreed about a year ago, and the next one is planned in the coming days


SCENARIO_WEIGHTS = {
    Scenario.AGREED: 40,
    Scenario.AGREED_DUE_SOON: 12,
    Scenario.AGREED_OVERDUE: 12,
    Scenario.AWAITING_AGREEMENT: 10,
    Scenario.NOT_AGREED: 8,
    Scenario.PLANNED: 18,
}
#: The demo line manager's reports (other than the demo individual), in email order, get these in turn.
DEMO_TEAM_SCENARIOS = (
    Scenario.AGREED_DUE_SOON,
    Scenario.AGREED_OVERDUE,
    Scenario.AWAITING_AGREEMENT,
    Scenario.NOT_AGREED,
    Scenario.PLANNED,
)

STRENGTHS = (
    "Calm and organised under pressure; colleagues turn to them when the shift gets busy.",
    "Builds trust quickly with patients and families and explains things clearly.",
    "Spots problems early and suggests practical fixes, such as the new handover checklist.",
    "A thoughtful teacher: students and new starters say they learn a lot from working with them.",
    "Thorough with data; their audit work has improved how the team reports on quality.",
    "Works well across teams and keeps good relationships with other departments.",
    "Raises concerns constructively and follows them through to a solution.",
    "Curious and keen to learn, and has taken on new responsibilities without being asked.",
)
ASPIRATIONS = (
    "To deepen their expertise and become the team's lead for a specialist area.",
    "To try a project role outside the team and learn how other services work.",
    "To step up to a team leader role within the next couple of years.",
    "To stay in their current role for now and grow in confidence, with more say in how the team works.",
    "To move towards education and support the development of new staff.",
    "To gain experience of service improvement by leading a small project.",
    "To work towards a senior management role, with experience across directorates.",
)
BARRIER_NOTES = (
    "Rota pressures make it hard to get time away for study days.",
    "Has caring responsibilities at home, so needs development that fits around set hours.",
    "Not sure where to start and would value a mentor.",
    "There was no funding for the course they wanted this year.",
)
ORGANISATION_SUPPORT = (
    "Protected time for study, one day a month.",
    "Help finding a mentor through the leadership and organisational development team.",
    "Funding for a leadership apprenticeship.",
    "A secondment when a suitable one comes up.",
    "Flexible working so that study fits around caring responsibilities.",
)
ACTIONS = {
    DevelopmentAction.ActionType.EXPERIENCE: (
        "Shadow the matron for a day each month.",
        "Lead the team's next quality improvement project.",
        "Coordinate two shifts a month, with support.",
        "Act up into the team leader role during annual leave.",
        "Take a three-month secondment to the discharge team.",
    ),
    DevelopmentAction.ActionType.EXPOSURE: (
        "Attend the directorate governance meeting.",
        "Meet someone in a similar role at another trust.",
        "Present the audit findings at the team meeting.",
        "Join the trust's reverse mentoring programme.",
        "Sit on an interview panel.",
    ),
    DevelopmentAction.ActionType.EDUCATION: (
        "Complete the Mary Seacole leadership programme.",
        "Complete the Edward Jenner programme online.",
        "Take the trust's coaching skills course.",
        "Complete the quality improvement foundations e-learning.",
        "Finish the practice supervisor module.",
    ),
}
PROGRESS_NOTES = {
    DevelopmentAction.Status.IN_PROGRESS: (
        "Started: the first session is booked.",
        "About halfway through and going well.",
        "Talked to the team about it and agreed dates.",
    ),
    DevelopmentAction.Status.DONE: (
        "Done. It was useful and I shared what I learnt with the team.",
        "Finished, and I have asked to do more of this.",
        "Completed on time.",
    ),
    DevelopmentAction.Status.DROPPED: (
        "No longer needed after the team changed its priorities.",
        "Replaced by a better opportunity that came up.",
    ),
}
REFLECTIONS = (
    "I would like to talk about what my next step could be and how to get more leadership experience.",
    "This year has been busy. I want to make sure my development does not get lost.",
    "I have enjoyed teaching students and would like to do more of it.",
    "I am happy in my role but would like to take on a project.",
)
PREPARATION_NOTES = (
    "Look at last year's plan first: the course is finished, the shadowing is not.",
    "Ask about workload and whether study days have been possible.",
    "Mention the secondment opportunity in the discharge team.",
    "They have been acting up well: talk about readiness for a band 7 role.",
)

AMBITION_WEIGHTS = {Ambition.NOT_NOW: 25, Ambition.SOME: 45, Ambition.STRONG: 30}
AMBITION_RANK = {Ambition.NOT_NOW: 0, Ambition.SOME: 1, Ambition.STRONG: 2}
READINESS_WEIGHTS = {
    Readiness.READY_NOW: 15,
    Readiness.ONE_TO_TWO_YEARS: 35,
    Readiness.THREE_PLUS_YEARS: 20,
    Readiness.DEVELOPING_IN_ROLE: 30,
}
TIMEFRAMES_BY_READINESS = {
    Readiness.READY_NOW: (AspirationTimeframe.NOW, AspirationTimeframe.WITHIN_12_MONTHS),
    Readiness.ONE_TO_TWO_YEARS: (AspirationTimeframe.WITHIN_12_MONTHS, AspirationTimeframe.ONE_TO_TWO_YEARS),
    Readiness.THREE_PLUS_YEARS: (AspirationTimeframe.THREE_PLUS_YEARS,),
    Readiness.DEVELOPING_IN_ROLE: (
        AspirationTimeframe.ONE_TO_TWO_YEARS,
        AspirationTimeframe.THREE_PLUS_YEARS,
    ),
}
CATEGORY_OF_AMBITION = {
    "ambition_depth": GrowthCategory.DEPTH,
    "ambition_breadth": GrowthCategory.BREADTH,
    "ambition_stretch": GrowthCategory.STRETCH,
}


@dataclass(frozen=True)
class ConversationSeedResult:
    """What one run created, and how many people it left alone because they had conversations."""

    people_count: int
    skipped_people_count: int
    conversation_count: int
    record_count: int
    action_count: int
    progress_update_count: int


@dataclass(frozen=True)
class _Reference:
    # Every framework version, newest first, each with its impact levels in order.
    framework_versions: tuple[tuple[FrameworkVersion, tuple[ImpactLevel, ...]], ...]
    dimensions: tuple[LeadershipDimension, ...]
    barrier_types: tuple[BarrierType, ...]

    def framework_on(self, day: datetime.date) -> tuple[FrameworkVersion, tuple[ImpactLevel, ...]] | None:
        """The version in force on the day (as `FrameworkVersion.objects.in_force` decides) with its
        levels, or None if there was none or it has no levels to record against."""
        in_force = next(
            (version for version in self.framework_versions if version[0].effective_from <= day), None
        )
        return in_force if in_force and in_force[1] else None


@dataclass
class _ActionPlan:
    description: str
    action_type: str
    owner: str
    due_on: datetime.date
    status: str
    leadership_dimension: LeadershipDimension | None
    created_at: datetime.datetime
    # (note, status, created at), oldest first.
    progress: list[tuple[str, str, datetime.datetime]] = field(default_factory=list)
    instance: DevelopmentAction | None = None


@dataclass
class _RecordPlan:
    version: int
    recorded_at: datetime.datetime
    response: str
    responded_at: datetime.datetime | None
    comment: str
    change_reason: str
    values: dict
    strength_dimensions: list[LeadershipDimension]
    barriers: list[BarrierType]


@dataclass
class _ConversationPlan:
    status: str
    planned_for: datetime.date
    created_at: datetime.datetime
    updated_at: datetime.datetime
    agreed_at: datetime.datetime | None = None
    facilitator_preparation: str = ""
    individual_reflection: str = ""
    is_reflection_shared: bool = False
    requested_by_individual: bool = False
    records: list[_RecordPlan] = field(default_factory=list)
    actions: list[_ActionPlan] = field(default_factory=list)
    instance: Conversation | None = None


def seed_conversation_history(*, today: datetime.date | None = None) -> ConversationSeedResult:
    """Give demo staff a realistic history of past conversations with their current line manager.

    Dates are relative to `today` (default: today in the service's time zone). People who already
    have any conversation are skipped, so running it again creates nothing. Writes no audit events
    (seeding is not a user action). Raises MissingReferenceDataError, before writing anything, if no
    framework version with impact levels exists.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        reference = _load_reference()
        candidates = list(
            StaffProfile.objects.filter(
                is_active=True,
                user__is_active=True,
                user__email__endswith=f"@{DEMO_EMAIL_DOMAIN}",
                line_manager__is_active=True,
                line_manager__email__endswith=f"@{DEMO_EMAIL_DOMAIN}",
            )
            .exclude(user__email__in=SIGN_IN_EMAILS)
            .annotate(has_conversation=Exists(Conversation.objects.filter(individual=OuterRef("user_id"))))
            .select_related("user", "line_manager")
            .order_by("user__email")
        )
        manager_ids = set(
            StaffProfile.objects.filter(line_manager__isnull=False).values_list("line_manager_id", flat=True)
        )
        demo_team_scenarios = dict(
            zip(
                (
                    profile.pk
                    for profile in candidates
                    if profile.line_manager.email == DEMO_LINE_MANAGER_EMAIL
                ),
                DEMO_TEAM_SCENARIOS,
                strict=False,
            )
        )
        histories: list[tuple[StaffProfile, list[_ConversationPlan]]] = []
        skipped_count = 0
        for profile in candidates:
            # Repeatable made-up data, not security: one generator per person, so that skipping some
            # people never changes the history of the others.
            rng = random.Random(f"{RANDOM_SEED}:{profile.user.email}")  # noqa: S311
            forced_scenario = demo_team_scenarios.get(profile.pk)
            is_chosen = forced_scenario is not None or rng.random() < SHARE_WITH_HISTORY
            if not is_chosen:
                continue
            if profile.has_conversation:
                skipped_count += 1
                continue
            planner = _Planner(rng, reference, today, is_manager=profile.user_id in manager_ids)
            plans = planner.history(forced_scenario)
            if plans:
                histories.append((profile, plans))
        counts = _write(histories)
    return ConversationSeedResult(people_count=len(histories), skipped_people_count=skipped_count, **counts)


def _load_reference() -> _Reference:
    versions = tuple(
        (version, tuple(sorted(version.impact_levels.all(), key=lambda level: level.order)))
        for version in FrameworkVersion.objects.prefetch_related("impact_levels").order_by("-effective_from")
    )
    if not any(levels for _, levels in versions):
        raise MissingReferenceDataError(
            "Reference data is missing (a Scope for Growth framework version with impact levels). "
            "Run `python manage.py migrate` to load it, then run seed_demo again."
        )
    return _Reference(
        framework_versions=versions,
        dimensions=tuple(LeadershipDimension.objects.order_by("order", "code")),
        barrier_types=tuple(BarrierType.objects.filter(is_active=True).order_by("order", "code")),
    )


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


class _Planner:
    """Decides one person's history, without the database, from their own random generator."""

    def __init__(self, rng: random.Random, reference: _Reference, today: datetime.date, *, is_manager: bool):
        self.rng = rng
        self.reference = reference
        self.today = today
        self.is_manager = is_manager

    def history(self, forced_scenario: Scenario | None) -> list[_ConversationPlan]:
        """The person's conversations, oldest first; empty if no framework was in force then.

        The shape of the history (scenario, dates, versions, whether there was an earlier conversation)
        comes from the person's generator and each conversation's details from a generator of its own,
        so how many conversations, versions and actions there are does not depend on today's date.
        """
        rng = self.rng
        is_forced = forced_scenario is not None
        scenario = forced_scenario or self._pick(SCENARIO_WEIGHTS)
        has_earlier = rng.random() < SHARE_WITH_EARLIER_CONVERSATION
        is_amended = rng.random() < SHARE_AMENDED
        today = self.today
        outcome = "agreed"
        action_due_in = None
        planned_for = None
        if scenario == Scenario.AGREED:
            held_on = today - _days(rng.randint(30, 300))
        elif scenario == Scenario.AGREED_DUE_SOON:
            held_on = _years_before(today + _days(14 if is_forced else rng.randint(1, 30)), 1)
            # The demo manager's example shows an amended record, and an action due soon.
            is_amended = is_amended or is_forced
            action_due_in = 7 if is_forced else None
        elif scenario == Scenario.AGREED_OVERDUE:
            held_on = today - _days(455 if is_forced else rng.randint(380, 700))
            action_due_in = -21 if is_forced else None
        elif scenario == Scenario.AWAITING_AGREEMENT:
            held_on = today - _days(10 if is_forced else rng.randint(2, 20))
            outcome, is_amended = "awaiting", False
        elif scenario == Scenario.NOT_AGREED:
            held_on = today - _days(21 if is_forced else rng.randint(14, 60))
            outcome, is_amended = "not_agreed", False
        else:
            held_on = today - _days(330 if is_forced else rng.randint(300, 360))
            planned_for = today + _days(7 if is_forced else rng.randint(2, 14))
        earlier_held_on = held_on - _days(rng.randint(340, 390))

        latest = self._child()._held(
            held_on, outcome=outcome, is_amended=is_amended, action_due_in=action_due_in
        )
        if latest is None:
            return []
        history = [latest]
        earlier = self._child()._held(earlier_held_on, outcome="agreed", is_earlier=True)
        if has_earlier and earlier is not None:
            history.insert(0, earlier)
        planned = self._child()._planned(planned_for) if planned_for else None
        if planned is not None:
            history.append(planned)
        return history

    def _child(self) -> "_Planner":
        """A planner for one conversation, with its own generator drawn from this one."""
        return _Planner(
            random.Random(self.rng.getrandbits(64)),  # noqa: S311
            self.reference,
            self.today,
            is_manager=self.is_manager,
        )

    def _pick(self, weighted: dict):
        return self.rng.choices(list(weighted), weights=list(weighted.values()))[0]

    def _at(self, day: datetime.date, first_hour: int, last_hour: int) -> datetime.datetime:
        moment = datetime.time(self.rng.randint(first_hour, last_hour), self.rng.choice((0, 15, 30, 45)))
        return timezone.make_aware(datetime.datetime.combine(day, moment))

    def _planned(self, planned_for: datetime.date) -> _ConversationPlan:
        rng = self.rng
        created_at = self._at(self.today - _days(rng.randint(1, 10)), 9, 12)
        is_reflecting = rng.random() < 0.5
        return _ConversationPlan(
            status=Conversation.Status.PLANNED,
            planned_for=planned_for,
            created_at=created_at,
            updated_at=created_at,
            facilitator_preparation=rng.choice(PREPARATION_NOTES) if rng.random() < 0.7 else "",
            individual_reflection=rng.choice(REFLECTIONS) if is_reflecting else "",
            is_reflection_shared=is_reflecting and rng.random() < 0.7,
            requested_by_individual=rng.random() < 0.25,
        )

    def _held(
        self,
        held_on: datetime.date,
        *,
        outcome: str,
        is_amended: bool = False,
        is_earlier: bool = False,
        action_due_in: int | None = None,
    ) -> _ConversationPlan | None:
        """A conversation that took place on `held_on`: `outcome` is agreed, awaiting or not_agreed."""
        framework = self.reference.framework_on(held_on)
        if framework is None:
            return None
        rng = self.rng
        is_reflecting = rng.random() < 0.5
        created_at = self._at(held_on - _days(rng.randint(10, 35)), 9, 12)
        plan = _ConversationPlan(
            status=Conversation.Status.AGREED,
            planned_for=held_on,
            created_at=created_at,
            updated_at=created_at,
            facilitator_preparation=rng.choice(PREPARATION_NOTES) if rng.random() < 0.6 else "",
            individual_reflection=rng.choice(REFLECTIONS) if is_reflecting else "",
            is_reflection_shared=is_reflecting and rng.random() < 0.7,
            requested_by_individual=rng.random() < 0.15,
        )
        values, strength_dimensions, barriers = self._record_values(held_on, framework)
        first_recorded_at = self._at(
            held_on + _days(0 if outcome == "awaiting" else rng.randint(0, 1)), 14, 17
        )
        if outcome == "awaiting":
            plan.status = Conversation.Status.AWAITING_AGREEMENT
            plan.records = [self._record(1, first_recorded_at, values, strength_dimensions, barriers)]
        elif outcome == "not_agreed" or is_amended:
            first_values, amended_values, comment, change_reason = self._disagreement(values)
            first = self._record(1, first_recorded_at, first_values, strength_dimensions, barriers)
            first.response = ConversationRecord.Response.NOT_AGREED
            first.responded_at = first_recorded_at + _days(rng.randint(1, 4))
            first.comment = comment
            plan.records = [first]
            plan.status = Conversation.Status.NOT_AGREED
            if outcome == "agreed":
                second_recorded_at = first.responded_at + _days(rng.randint(1, 2))
                second = self._record(2, second_recorded_at, amended_values, strength_dimensions, barriers)
                second.change_reason = change_reason
                plan.records.append(second)
        else:
            plan.records = [self._record(1, first_recorded_at, values, strength_dimensions, barriers)]
        if outcome == "agreed":
            latest = plan.records[-1]
            latest.response = ConversationRecord.Response.AGREED
            latest.responded_at = latest.recorded_at + _days(rng.randint(1, 3))
            plan.status = Conversation.Status.AGREED
            plan.agreed_at = latest.responded_at
        latest = plan.records[-1]
        plan.updated_at = latest.responded_at or latest.recorded_at
        plan.actions = self._actions(
            held_on,
            first_recorded_at,
            is_earlier=is_earlier,
            is_agreed=outcome == "agreed",
            action_due_in=action_due_in,
        )
        return plan

    def _record(
        self,
        version: int,
        recorded_at: datetime.datetime,
        values: dict,
        strength_dimensions: list[LeadershipDimension],
        barriers: list[BarrierType],
    ) -> _RecordPlan:
        return _RecordPlan(
            version=version,
            recorded_at=recorded_at,
            response=ConversationRecord.Response.PENDING,
            responded_at=None,
            comment="",
            change_reason="",
            values=values,
            strength_dimensions=strength_dimensions,
            barriers=barriers,
        )

    def _record_values(
        self, held_on: datetime.date, framework: tuple[FrameworkVersion, tuple[ImpactLevel, ...]]
    ) -> tuple[dict, list[LeadershipDimension], list[BarrierType]]:
        rng = self.rng
        version, levels = framework
        level_weights = (2, 5, 3) if self.is_manager else (5, 4, 1)
        current_index = min(rng.choices(range(3), weights=level_weights)[0], len(levels) - 1)
        target_index = min(current_index + (1 if rng.random() < 0.7 else 0), len(levels) - 1)
        ambitions = {name: self._pick(AMBITION_WEIGHTS) for name in CATEGORY_OF_AMBITION}
        strongest = max(AMBITION_RANK[ambition] for ambition in ambitions.values())
        readiness = self._pick(READINESS_WEIGHTS)
        barrier_choices = [barrier for barrier in self.reference.barrier_types if barrier.code != "OTHER"]
        barriers = rng.sample(barrier_choices, k=min(rng.choice((0, 1, 1, 2)), len(barrier_choices)))
        strength_dimensions = rng.sample(
            list(self.reference.dimensions), k=min(rng.randint(1, 3), len(self.reference.dimensions))
        )
        values = {
            "held_on": held_on,
            "wellbeing_discussed": rng.random() < 0.9,
            "support_signposted": False,
            "strengths": rng.choice(STRENGTHS),
            **ambitions,
            "aspirations": rng.choice(ASPIRATIONS),
            "aspiration_timeframe": rng.choice(TIMEFRAMES_BY_READINESS[readiness]),
            "framework_version": version,
            "current_impact_level": levels[current_index],
            "current_growth_category": self._pick(
                {GrowthCategory.DEPTH: 60, GrowthCategory.BREADTH: 25, GrowthCategory.STRETCH: 15}
            ),
            "target_impact_level": levels[target_index],
            "target_growth_category": rng.choice(
                [
                    CATEGORY_OF_AMBITION[name]
                    for name, ambition in ambitions.items()
                    if AMBITION_RANK[ambition] == strongest
                ]
            ),
            "readiness": readiness,
            "barrier_notes": rng.choice(BARRIER_NOTES) if barriers and rng.random() < 0.6 else "",
            "organisation_support": rng.choice(ORGANISATION_SUPPORT) if rng.random() < 0.7 else "",
            "next_conversation_due": default_next_conversation_due(held_on),
        }
        values["support_signposted"] = values["wellbeing_discussed"] and rng.random() < 0.25
        # Sorted so that the order of the many-to-many rows does not depend on the draw.
        return values, sorted(strength_dimensions, key=lambda item: item.order), barriers

    def _disagreement(self, values: dict) -> tuple[dict, dict, str, str]:
        """The first version the individual did not agree with, the amended one, their comment and
        the facilitator's reason for the change."""
        first, amended = dict(values), dict(values)
        kind = self.rng.randrange(3)
        if kind == 0:
            amended["strengths"] = (
                f"{values['strengths']} Has acted up as shift coordinator since the spring."
            )
            comment = (
                "The record does not mention that I have acted up as shift coordinator since the spring."
            )
            change_reason = "Added the shift coordinator experience to the strengths, as we discussed."
        elif kind == 1:
            first["readiness"] = Readiness.THREE_PLUS_YEARS
            first["aspiration_timeframe"] = AspirationTimeframe.THREE_PLUS_YEARS
            amended["readiness"] = Readiness.ONE_TO_TWO_YEARS
            amended["aspiration_timeframe"] = AspirationTimeframe.ONE_TO_TWO_YEARS
            comment = "I think I will be ready for a next step within 1 to 2 years, not 3 years or more."
            change_reason = "Changed the readiness to within 1 to 2 years after we talked it through again."
        else:
            first["barrier_notes"] = ""
            amended["barrier_notes"] = "Rota pressures make it hard to get time away for study days."
            comment = "The record leaves out the rota problems I raised, which stop me getting to study days."
            change_reason = "Added the rota pressures to the barriers."
        return first, amended, comment, change_reason

    def _actions(
        self,
        held_on: datetime.date,
        created_at: datetime.datetime,
        *,
        is_earlier: bool,
        is_agreed: bool,
        action_due_in: int | None,
    ) -> list[_ActionPlan]:
        """Two to four actions due 1 to 11 months after the conversation, with progress so far.

        Actions of an earlier conversation are finished; of an agreed one, mostly done when past due
        but sometimes still in progress (overdue); of a record not agreed yet, not started and due at
        least a month from today.
        `action_due_in` makes the first action due that many days from today, still in progress.
        """
        rng = self.rng
        types = list(ACTIONS)
        rng.shuffle(types)
        count = rng.randint(2, 4)
        types = [*types, rng.choice(types)][:count]
        descriptions = {action_type: list(ACTIONS[action_type]) for action_type in ACTIONS}
        actions = []
        for index, action_type in enumerate(types):
            description = rng.choice(descriptions[action_type])
            descriptions[action_type].remove(description)
            due_on = held_on + _days(rng.randint(30, 330))
            if index == 0 and action_due_in is not None:
                due_on = self.today + _days(action_due_in)
                status = DevelopmentAction.Status.IN_PROGRESS
            elif is_earlier:
                status = self._pick({DevelopmentAction.Status.DONE: 80, DevelopmentAction.Status.DROPPED: 20})
            elif not is_agreed:
                # Recorded in the last few weeks: the plan looks ahead from today.
                due_on = max(due_on, self.today + _days(rng.randint(30, 120)))
                status = DevelopmentAction.Status.NOT_STARTED
            elif due_on < self.today:
                status = self._pick(
                    {
                        DevelopmentAction.Status.DONE: 80,
                        DevelopmentAction.Status.DROPPED: 12,
                        DevelopmentAction.Status.IN_PROGRESS: 8,
                    }
                )
            else:
                status = self._pick(
                    {DevelopmentAction.Status.IN_PROGRESS: 55, DevelopmentAction.Status.NOT_STARTED: 45}
                )
            action = _ActionPlan(
                description=description,
                action_type=action_type,
                owner=self._pick(
                    {
                        DevelopmentAction.Owner.INDIVIDUAL: 70,
                        DevelopmentAction.Owner.FACILITATOR: 15,
                        DevelopmentAction.Owner.ORGANISATION: 15,
                    }
                ),
                due_on=due_on,
                status=status,
                leadership_dimension=(
                    rng.choice(self.reference.dimensions)
                    if self.reference.dimensions and rng.random() < 0.5
                    else None
                ),
                created_at=created_at,
            )
            action.progress = self._progress(action)
            actions.append(action)
        return actions

    def _progress(self, action: _ActionPlan) -> list[tuple[str, str, datetime.datetime]]:
        """Progress notes between the action's creation and its due date (or yesterday)."""
        if action.status == DevelopmentAction.Status.NOT_STARTED:
            return []
        rng = self.rng
        first_day = action.created_at.date() + _days(3)
        last_day = max(first_day, min(action.due_on, self.today - _days(1)))
        span = (last_day - first_day).days
        if action.status == DevelopmentAction.Status.IN_PROGRESS:
            day = first_day + _days(rng.randint(0, span))
            return [(rng.choice(PROGRESS_NOTES[action.status]), action.status, self._at(day, 9, 17))]
        finished_on = last_day - _days(rng.randint(0, min(span, 30)))
        started_on = first_day + _days(rng.randint(0, (finished_on - first_day).days))
        updates = [
            (
                rng.choice(PROGRESS_NOTES[DevelopmentAction.Status.IN_PROGRESS]),
                DevelopmentAction.Status.IN_PROGRESS,
                self._at(started_on, 9, 12),
            )
        ]
        if action.status == DevelopmentAction.Status.DROPPED and rng.random() < 0.5:
            updates = []
        updates.append(
            (rng.choice(PROGRESS_NOTES[action.status]), action.status, self._at(finished_on, 13, 17))
        )
        return updates


def _plan_snapshot(actions: list[_ActionPlan]) -> list[dict]:
    """The plan as it stood when a version was recorded (every action new then), as the service
    stores it."""
    return [
        {
            "id": action.instance.pk,
            "description": action.description,
            "action_type": action.action_type,
            "owner": action.owner,
            "due_on": action.due_on.isoformat(),
            "status": DevelopmentAction.Status.NOT_STARTED,
            "leadership_dimension": action.leadership_dimension.code if action.leadership_dimension else None,
        }
        for action in sorted(actions, key=lambda action: (action.due_on, action.instance.pk))
    ]


def _write(histories: list[tuple[StaffProfile, list[_ConversationPlan]]]) -> dict:
    """Insert the planned rows with a fixed number of queries, and date them in the past."""
    conversations, actions, updates, records = [], [], [], []
    dimension_links, barrier_links = [], []
    profiles_to_update = []
    for profile, plans in histories:
        for plan in plans:
            plan.instance = Conversation(
                individual_id=profile.user_id,
                facilitator_id=profile.line_manager_id,
                facilitator_role=FacilitatorRole.LINE_MANAGER,
                status=plan.status,
                planned_for=plan.planned_for,
                requested_by_individual=plan.requested_by_individual,
                facilitator_preparation=plan.facilitator_preparation,
                individual_reflection=plan.individual_reflection,
                is_reflection_shared=plan.is_reflection_shared,
                agreed_at=plan.agreed_at,
            )
            conversations.append(plan.instance)
        if profile.line_manager_since is None:
            first_day = min(plan.created_at.date() for plan in plans)
            # The manager took over some time before the first conversation they held.
            offset = 60 + random.Random(f"{RANDOM_SEED}:since:{profile.user.email}").randint(0, 900)  # noqa: S311
            profile.line_manager_since = first_day - _days(offset)
            profiles_to_update.append(profile)
    Conversation.objects.bulk_create(conversations)

    for profile, plans in histories:
        for plan in plans:
            for action in plan.actions:
                action.instance = DevelopmentAction(
                    conversation=plan.instance,
                    individual_id=profile.user_id,
                    description=action.description,
                    action_type=action.action_type,
                    leadership_dimension=action.leadership_dimension,
                    owner=action.owner,
                    due_on=action.due_on,
                    status=action.status,
                )
                actions.append(action.instance)
    DevelopmentAction.objects.bulk_create(actions)

    for profile, plans in histories:
        for plan in plans:
            plan.instance.created_at = plan.created_at
            plan.instance.updated_at = plan.updated_at
            for action in plan.actions:
                action.instance.created_at = action.created_at
                action.instance.updated_at = action.progress[-1][2] if action.progress else action.created_at
                updates.extend(
                    ActionProgressUpdate(
                        action=action.instance,
                        note=note,
                        status=status,
                        created_by_id=profile.user_id,
                        created_at=created_at,
                    )
                    for note, status, created_at in action.progress
                )
            snapshot = _plan_snapshot(plan.actions)
            for record in plan.records:
                records.append(
                    ConversationRecord(
                        conversation=plan.instance,
                        version=record.version,
                        plan_snapshot=snapshot,
                        recorded_by_id=profile.line_manager_id,
                        recorded_at=record.recorded_at,
                        change_reason=record.change_reason,
                        individual_response=record.response,
                        individual_responded_at=record.responded_at,
                        individual_comment=record.comment,
                        **record.values,
                    )
                )
    ActionProgressUpdate.objects.bulk_create(updates)
    ConversationRecord.objects.bulk_create(records)

    record_plans = [record for _, plans in histories for plan in plans for record in plan.records]
    for instance, record in zip(records, record_plans, strict=True):
        dimension_links.extend(
            ConversationRecord.strength_dimensions.through(
                conversationrecord_id=instance.pk, leadershipdimension_id=dimension.pk
            )
            for dimension in record.strength_dimensions
        )
        barrier_links.extend(
            ConversationRecord.barriers.through(conversationrecord_id=instance.pk, barriertype_id=barrier.pk)
            for barrier in record.barriers
        )
    ConversationRecord.strength_dimensions.through.objects.bulk_create(dimension_links)
    ConversationRecord.barriers.through.objects.bulk_create(barrier_links)

    # `auto_now_add` stamps the inserts with the current time; the history happened in the past.
    Conversation.objects.bulk_update(conversations, ["created_at", "updated_at"], batch_size=500)
    DevelopmentAction.objects.bulk_update(actions, ["created_at", "updated_at"], batch_size=500)
    now = timezone.now()
    for profile in profiles_to_update:
        profile.updated_at = now
    StaffProfile.objects.bulk_update(profiles_to_update, ["line_manager_since", "updated_at"], batch_size=500)
    return {
        "conversation_count": len(conversations),
        "record_count": len(records),
        "action_count": len(actions),
        "progress_update_count": len(updates),
    }
