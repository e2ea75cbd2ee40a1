"""`manage.py generate_synthetic_data`: exact sizes, consistent records, the real HPS workflow and a
`--replace` that touches nothing but synthetic data."""

import datetime
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import EqualityProfile, Organisation, StaffProfile, User
from conversations.models import (
    Conversation,
    ConversationRecord,
    CriticalRole,
    DevelopmentAction,
    FrameworkVersion,
    Successor,
    TalentPool,
    TalentPoolMembership,
)
from conversations.services import default_next_conversation_due
from core.models import AuditEvent
from hps.models import Application, ApplicationTransition, Cohort, Destination, Participant
from hps.workflow import TRANSITIONS
from reporting.groups import wres_ethnic_group
from reporting.models import SurveyResult, SurveyTheme
from reporting.synthetic import SYNTHETIC_EMAIL_DOMAIN, SyntheticOptions, generate_synthetic_data
from tests.accounts.factories import OrganisationFactory, StaffProfileFactory
from tests.conversations.factories import ConversationFactory
from tests.hps.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

SMALL = ["--staff", "300", "--conversations", "500", "--organisations", "4", "--cohorts", "2", "--seed", "7"]
SYNTHETIC = f"@{SYNTHETIC_EMAIL_DOMAIN}"


def generate(*arguments: str) -> str:
    out = StringIO()
    call_command("generate_synthetic_data", *arguments, stdout=out)
    return out.getvalue()


def synthetic_counts() -> dict[str, int]:
    return {
        "users": User.objects.filter(email__endswith=SYNTHETIC).count(),
        "staff profiles": StaffProfile.objects.filter(user__email__endswith=SYNTHETIC).count(),
        "equality profiles": EqualityProfile.objects.filter(user__email__endswith=SYNTHETIC).count(),
        "organisations": Organisation.objects.filter(code__startswith="ZZ").count(),
        "conversations": Conversation.objects.filter(individual__email__endswith=SYNTHETIC).count(),
        "cohorts": Cohort.objects.filter(name__startswith="Synthetic HPS cohort ").count(),
        "survey results": SurveyResult.objects.filter(organisation__code__startswith="ZZ").count(),
    }


def snapshot() -> dict[str, list]:
    """Everything generated, without ids (which differ from one run to the next)."""
    people = StaffProfile.objects.filter(user__email__endswith=SYNTHETIC)
    return {
        "people": list(
            people.order_by("user__email").values_list(
                "user__email",
                "user__first_name",
                "user__last_name",
                "organisation__code",
                "pay_band__code",
                "staff_group__code",
                "job_title",
                "line_manager__email",
                "line_manager_since",
                "user__date_joined",
            )
        ),
        "equality": list(
            EqualityProfile.objects.filter(user__email__endswith=SYNTHETIC)
            .order_by("user__email")
            .values_list(
                "user__email",
                "ethnic_category",
                "sex",
                "gender_identity",
                "sexual_orientation",
                "religion_group",
                "disability",
                "age_band",
            )
        ),
        "conversations": sorted(
            Conversation.objects.filter(individual__email__endswith=SYNTHETIC).values_list(
                "individual__email", "facilitator__email", "status", "planned_for", "created_at", "agreed_at"
            )
        ),
        "records": sorted(
            ConversationRecord.objects.filter(
                conversation__individual__email__endswith=SYNTHETIC
            ).values_list(
                "conversation__individual__email",
                "version",
                "held_on",
                "readiness",
                "current_impact_level__order",
                "target_impact_level__order",
                "recorded_at",
                "individual_response",
            )
        ),
        "barriers": sorted(
            ConversationRecord.barriers.through.objects.values_list(
                "conversationrecord__conversation__individual__email",
                "conversationrecord__held_on",
                "conversationrecord__version",
                "barriertype__code",
            )
        ),
        "actions": sorted(
            DevelopmentAction.objects.values_list("individual__email", "description", "due_on", "status")
        ),
        "memberships": sorted(
            TalentPoolMembership.objects.values_list(
                "pool__name", "individual__email", "status", "created_at"
            )
        ),
        "successors": sorted(
            Successor.objects.values_list("critical_role__title", "individual__email", "readiness")
        ),
        "applications": sorted(
            Application.objects.values_list("cohort__name", "applicant__email", "status", "sponsor__email")
        ),
        "transitions": sorted(
            ApplicationTransition.objects.values_list(
                "application__applicant__email", "from_status", "to_status", "by__email", "at"
            )
        ),
        "survey": sorted(SurveyResult.objects.values_list("organisation__code", "year", "theme", "score")),
    }


def test_makes_exactly_the_numbers_asked_for():
    output = generate(*SMALL)

    assert synthetic_counts() == {
        "users": 300,
        "staff profiles": 300,
        "equality profiles": 279,
        "organisations": 4,
        "conversations": 500,
        "cohorts": 2,
        "survey results": 24,
    }
    assert "Synthetic data ready in" in output
    assert "Conversations" in output


def test_survey_results_cover_three_years_of_both_themes_in_plausible_ranges():
    generate(*SMALL)

    results = SurveyResult.objects.all()
    this_year = timezone.localdate().year
    assert sorted(set(results.values_list("year", flat=True))) == [
        this_year - 3,
        this_year - 2,
        this_year - 1,
    ]
    for organisation in Organisation.objects.filter(code__startswith="ZZ"):
        assert results.filter(organisation=organisation).count() == 6
    always_learning = results.filter(theme=SurveyTheme.ALWAYS_LEARNING).values_list("score", flat=True)
    intention_to_stay = results.filter(theme=SurveyTheme.INTENTION_TO_STAY).values_list("score", flat=True)
    assert all(5 <= score <= 7.5 for score in always_learning)
    assert all(40 <= score <= 75 for score in intention_to_stay)


def test_synthetic_people_cannot_sign_in_and_are_managed_within_their_organisation():
    generate(*SMALL)

    users = User.objects.filter(email__endswith=SYNTHETIC)
    assert not any(user.has_usable_password() for user in users)
    profiles = StaffProfile.objects.filter(user__in=users).select_related(
        "pay_band", "line_manager__staff_profile__pay_band"
    )
    # Only each organisation's chief executive has no line manager.
    assert (
        sorted(profiles.filter(line_manager=None).values_list("job_title", flat=True))
        == ["Chief executive"] * 4
    )
    for profile in profiles.exclude(line_manager=None):
        manager = profile.line_manager.staff_profile
        assert manager.organisation_id == profile.organisation_id
        assert profile.line_manager_id != profile.user_id
        if profile.pay_band.is_agenda_for_change and manager.pay_band.is_agenda_for_change:
            assert manager.pay_band.sort_order > profile.pay_band.sort_order


def test_conversation_records_match_the_status_of_their_conversation():
    generate(*SMALL)

    start_of_today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    conversations = Conversation.objects.filter(individual__email__endswith=SYNTHETIC).prefetch_related(
        "records"
    )
    statuses = Counter()
    for conversation in conversations:
        statuses[conversation.status] += 1
        records = sorted(conversation.records.all(), key=lambda record: record.version)
        assert conversation.facilitator_id != conversation.individual_id
        if conversation.status in (Conversation.Status.PLANNED, Conversation.Status.CANCELLED):
            assert records == []
            assert conversation.agreed_at is None
            continue
        assert [record.version for record in records] == list(range(1, len(records) + 1))
        latest = records[-1]
        for record in records:
            assert record.recorded_by_id == conversation.facilitator_id
            assert record.next_conversation_due == default_next_conversation_due(record.held_on)
            assert record.recorded_at < start_of_today
            assert record.barriers.count() <= 3
        if conversation.status == Conversation.Status.AGREED:
            assert latest.individual_response == ConversationRecord.Response.AGREED
            assert conversation.agreed_at == latest.individual_responded_at < start_of_today
            assert all(record.individual_response == "not_agreed" for record in records[:-1])
        elif conversation.status == Conversation.Status.AWAITING_AGREEMENT:
            assert len(records) == 1
            assert latest.individual_response == ConversationRecord.Response.PENDING
            assert latest.individual_responded_at is None
            assert conversation.agreed_at is None
        else:
            assert conversation.status == Conversation.Status.NOT_AGREED
            assert latest.individual_response == ConversationRecord.Response.NOT_AGREED
            assert latest.individual_responded_at < start_of_today
            assert conversation.agreed_at is None
    assert set(statuses) == set(Conversation.Status.values)
    assert statuses[Conversation.Status.AGREED] > sum(statuses.values()) * 0.7


def test_every_application_history_follows_the_workflow():
    generate("--staff", "2500", "--conversations", "1000", "--cohorts", "5", "--seed", "3")

    allowed = {(transition.source, transition.target) for transition in TRANSITIONS}
    applications = Application.objects.prefetch_related("transitions")
    assert applications.count() > 40
    for application in applications:
        status = Application.Status.DRAFT
        previous_at = application.created_at
        for transition in sorted(application.transitions.all(), key=lambda row: (row.at, row.pk)):
            assert transition.from_status == status
            assert (transition.from_status, transition.to_status) in allowed
            assert transition.at > previous_at
            status, previous_at = transition.to_status, transition.at
        assert application.status == status
        is_accepted = application.status == Application.Status.ACCEPTED
        assert Participant.objects.filter(application=application).exists() == is_accepted
    statuses = set(applications.values_list("status", flat=True))
    assert {
        Application.Status.ACCEPTED,
        Application.Status.UNSUCCESSFUL,
        Application.Status.WITHDRAWN,
    } <= statuses
    # The oldest intake finished more than 24 months ago: most of its participants completed.
    assert Participant.objects.filter(status=Participant.Status.COMPLETED).exists()
    assert set(Destination.objects.values_list("participant__status", flat=True)) <= {"completed", "active"}


def test_black_and_minority_ethnic_staff_are_less_often_rated_ready_now():
    generate("--staff", "2000", "--conversations", "4000", "--cohorts", "0", "--seed", "3")

    ethnic_category = dict(EqualityProfile.objects.values_list("user_id", "ethnic_category"))
    latest = {}
    for individual, readiness in (
        ConversationRecord.objects.exclude(conversation__status=Conversation.Status.CANCELLED)
        .order_by("held_on", "version")
        .values_list("conversation__individual_id", "readiness")
    ):
        latest[individual] = readiness
    ready = Counter()
    people = Counter()
    for individual, readiness in latest.items():
        if individual in ethnic_category:
            group = wres_ethnic_group(ethnic_category[individual])
            people[group] += 1
            ready[group] += readiness == "ready_now"
    assert ready["bme"] / people["bme"] < 0.8 * ready["white"] / people["white"]


def test_talent_pools_and_succession_plans_belong_to_synthetic_organisations():
    generate(*SMALL)

    organisations = set(Organisation.objects.filter(code__startswith="ZZ").values_list("pk", flat=True))
    assert set(TalentPool.objects.values_list("organisation_id", flat=True)) == organisations
    assert set(CriticalRole.objects.values_list("organisation_id", flat=True)) == organisations
    for membership in TalentPoolMembership.objects.select_related("pool", "individual__staff_profile"):
        assert membership.individual.staff_profile.organisation_id == membership.pool.organisation_id
    for successor in Successor.objects.select_related("critical_role", "individual__staff_profile"):
        assert successor.individual.staff_profile.organisation_id == successor.critical_role.organisation_id
        assert successor.individual_id != successor.critical_role.incumbent_id


def test_refuses_to_run_again_without_replace_and_changes_nothing():
    generate(*SMALL)
    before = snapshot()

    with pytest.raises(CommandError, match=r"There is synthetic data in the database already \(300 staff"):
        generate("--staff", "100")

    assert snapshot() == before


def test_replace_removes_earlier_synthetic_data_and_nothing_else():
    real_organisation = OrganisationFactory(code="RJE", name="University Hospitals of North Midlands")
    real_person = StaffProfileFactory(user__email="real.person@nhs.test", organisation=real_organisation).user
    real_conversation = ConversationFactory(individual=real_person)
    real_application = ApplicationFactory()
    real_survey = SurveyResult.objects.create(
        organisation=real_organisation, year=2024, theme=SurveyTheme.ALWAYS_LEARNING, score=Decimal("6.10")
    )
    generate(*SMALL)
    # A real row pointing at a synthetic person is kept, without the link.
    synthetic_person = User.objects.filter(email__endswith=SYNTHETIC).first()
    event = AuditEvent.objects.create(actor=synthetic_person, action=AuditEvent.Action.READ, verb="benchmark")

    output = generate(
        "--staff", "200", "--conversations", "100", "--organisations", "2", "--cohorts", "1", "--replace"
    )

    assert "Deleted first" in output
    assert synthetic_counts() == {
        "users": 200,
        "staff profiles": 200,
        "equality profiles": 194,
        "organisations": 2,
        "conversations": 100,
        "cohorts": 1,
        "survey results": 12,
    }
    assert Organisation.objects.filter(pk=real_organisation.pk).exists()
    assert User.objects.filter(pk=real_person.pk).exists()
    assert Conversation.objects.filter(pk=real_conversation.pk).exists()
    assert Application.objects.filter(pk=real_application.pk, cohort=real_application.cohort).exists()
    assert SurveyResult.objects.get(pk=real_survey.pk).score == Decimal("6.10")
    event.refresh_from_db()
    assert event.actor is None


def test_the_same_seed_gives_the_same_data_whatever_the_batch_size():
    generate(*SMALL)
    first = snapshot()

    generate(*SMALL, "--replace", "--batch-size", "100")
    again = snapshot()
    generate(*SMALL[:-1], "8", "--replace")
    other_seed = snapshot()

    assert again == first
    assert other_seed["people"] != first["people"]
    assert other_seed["conversations"] != first["conversations"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--staff", "5"], "Enter a number of staff between 10 and 10,000,000"),
        (["--staff", "100", "--organisations", "11"], "Enter a number of organisations between 1 and 10"),
        (["--staff", "100", "--organisations", "0"], "Enter a number of organisations between 1 and 10"),
        (["--staff", "100", "--conversations", "-1"], "Enter a number of conversations between 0 and 570"),
        (["--staff", "100", "--organisations", "5", "--conversations", "571"], "between 0 and 570"),
        (["--staff", "100", "--cohorts", "501"], "Enter a number of HPS cohorts between 0 and 500"),
        (["--staff", "100", "--batch-size", "99"], "Enter a batch size between 100 and 1,000,000"),
    ],
)
def test_options_out_of_range_give_a_clear_error_and_change_nothing(arguments, message):
    with pytest.raises(CommandError, match=message):
        generate(*arguments)

    assert set(synthetic_counts().values()) == {0}


def test_missing_reference_data_gives_a_clear_error_and_changes_nothing():
    FrameworkVersion.objects.all().delete()

    with pytest.raises(CommandError, match=r"Reference data is missing .*framework version"):
        generate(*SMALL)

    assert set(synthetic_counts().values()) == {0}


def test_no_conversations_and_no_cohorts_are_allowed():
    result = generate_synthetic_data(SyntheticOptions(staff=50, conversations=0, organisations=2, cohorts=0))

    assert result.counts["Staff"] == 50
    assert result.counts["Conversations"] == 0
    assert result.counts["Talent pool memberships"] == 0
    assert result.counts["HPS cohorts"] == 0
    assert Conversation.objects.count() == 0
