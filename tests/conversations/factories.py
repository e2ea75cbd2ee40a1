import datetime

import factory
from factory.django import DjangoModelFactory

from conversations.models import (
    Ambition,
    AspirationTimeframe,
    Conversation,
    ConversationRecord,
    CriticalRole,
    DevelopmentAction,
    FacilitatorRole,
    FrameworkVersion,
    GrowthCategory,
    ImpactLevel,
    Readiness,
    Successor,
    TalentPool,
    TalentPoolMembership,
)
from tests.accounts.factories import OrganisationFactory, StaffProfileFactory, UserFactory


class FrameworkVersionFactory(DjangoModelFactory):
    """The seeded version if present (transactional tests flush seed data, so create it then)."""

    class Meta:
        model = FrameworkVersion
        django_get_or_create = ("effective_from",)

    name = "Scope for Growth framework (working labels)"
    effective_from = datetime.date(2021, 7, 1)


def impact_levels(version: FrameworkVersion | None = None) -> list[ImpactLevel]:
    """The three impact levels of a framework version, created if missing."""
    version = version or FrameworkVersionFactory()
    labels = ["Building impact", "Established impact", "Wide impact"]
    return [
        ImpactLevel.objects.get_or_create(framework_version=version, order=order, defaults={"label": label})[
            0
        ]
        for order, label in enumerate(labels, start=1)
    ]


class ConversationFactory(DjangoModelFactory):
    class Meta:
        model = Conversation

    individual = factory.LazyAttribute(lambda _: StaffProfileFactory().user)
    facilitator = factory.SubFactory(UserFactory)
    facilitator_role = FacilitatorRole.LINE_MANAGER
    planned_for = datetime.date(2026, 11, 2)


class ConversationRecordFactory(DjangoModelFactory):
    class Meta:
        model = ConversationRecord
        skip_postgeneration_save = True

    conversation = factory.SubFactory(ConversationFactory, status=Conversation.Status.AWAITING_AGREEMENT)
    version = 1
    held_on = factory.LazyAttribute(lambda record: record.conversation.planned_for)
    wellbeing_discussed = True
    support_signposted = False
    strengths = "Calm under pressure; mentors new starters"
    ambition_depth = Ambition.SOME
    ambition_breadth = Ambition.NOT_NOW
    ambition_stretch = Ambition.STRONG
    aspirations = "Lead a ward within two years"
    aspiration_timeframe = AspirationTimeframe.ONE_TO_TWO_YEARS
    framework_version = factory.LazyFunction(FrameworkVersionFactory)
    current_impact_level = factory.LazyAttribute(lambda record: impact_levels(record.framework_version)[0])
    current_growth_category = GrowthCategory.DEPTH
    target_impact_level = factory.LazyAttribute(lambda record: impact_levels(record.framework_version)[1])
    target_growth_category = GrowthCategory.STRETCH
    readiness = Readiness.ONE_TO_TWO_YEARS
    next_conversation_due = factory.LazyAttribute(
        lambda record: record.held_on.replace(year=record.held_on.year + 1)
    )
    recorded_by = factory.LazyAttribute(lambda record: record.conversation.facilitator)


class DevelopmentActionFactory(DjangoModelFactory):
    class Meta:
        model = DevelopmentAction

    conversation = factory.SubFactory(ConversationFactory)
    individual = factory.LazyAttribute(lambda action: action.conversation.individual)
    description = factory.Sequence(lambda n: f"Shadow the matron on a night shift ({n})")
    action_type = DevelopmentAction.ActionType.EXPERIENCE
    owner = DevelopmentAction.Owner.INDIVIDUAL
    due_on = datetime.date(2027, 3, 31)


class TalentPoolFactory(DjangoModelFactory):
    class Meta:
        model = TalentPool

    name = factory.Sequence(lambda n: f"Aspiring leaders {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory)


class TalentPoolMembershipFactory(DjangoModelFactory):
    class Meta:
        model = TalentPoolMembership

    pool = factory.SubFactory(TalentPoolFactory)
    individual = factory.LazyAttribute(
        lambda membership: StaffProfileFactory(organisation=membership.pool.organisation).user
    )
    nominated_by = factory.SubFactory(UserFactory)


class CriticalRoleFactory(DjangoModelFactory):
    class Meta:
        model = CriticalRole

    title = factory.Sequence(lambda n: f"Director of nursing {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory)


class SuccessorFactory(DjangoModelFactory):
    class Meta:
        model = Successor

    critical_role = factory.SubFactory(CriticalRoleFactory)
    individual = factory.LazyAttribute(
        lambda successor: StaffProfileFactory(organisation=successor.critical_role.organisation).user
    )
    readiness = Readiness.READY_NOW
    added_by = factory.SubFactory(UserFactory)


class ActionProgressUpdateFactory(DjangoModelFactory):
    class Meta:
        model = "conversations.ActionProgressUpdate"

    action = factory.SubFactory(DevelopmentActionFactory)
    note = factory.Sequence(lambda n: f"Progress note {n}")
    status = DevelopmentAction.Status.IN_PROGRESS
    created_by = factory.LazyAttribute(lambda update: update.action.individual)


class PortableExportFactory(DjangoModelFactory):
    """A pending export of a person's record, expiring in 7 days."""

    class Meta:
        model = "conversations.PortableExport"

    user = factory.LazyAttribute(lambda _: StaffProfileFactory().user)
    created_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))
    expires_at = factory.LazyAttribute(lambda export: export.created_at + datetime.timedelta(days=7))
