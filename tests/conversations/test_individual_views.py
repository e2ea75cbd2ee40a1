"""The individual's pages and the shared conversation pages: who may open them, what they show."""

import datetime
from dataclasses import dataclass

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Scope
from conversations.models import (
    ActionProgressUpdate,
    Conversation,
    ConversationRecord,
    DevelopmentAction,
    FacilitatorRole,
    GrowthSharing,
    Readiness,
)
from core.models import AuditEvent, Notification
from tests.accounts.factories import RoleAssignmentFactory, StaffProfileFactory, UserFactory
from tests.conversations.factories import (
    ConversationFactory,
    ConversationRecordFactory,
    DevelopmentActionFactory,
    impact_levels,
)

WELLBEING_NOTES = "Wellbeing note 7731: finding night shifts hard"
REFLECTION = "Reflection 4410: I would like to try a matron role"
PREPARATION = "Preparation 9902: raise the sickness absence pattern"
LOGIN_URL = "/account/login/"
# Session, user, role assignments and the header's permission checks are part of every count.
DETAIL_QUERIES = 11  # conversation, record (+2 prefetches), read audit, plan (+1 prefetch)
HISTORY_QUERIES = 9  # conversation, versions (+2 prefetches), read audit
GROWTH_QUERIES = 9  # staff record, conversations, latest agreed record, open actions, sharing choice

ROLES = [
    "anonymous",
    "individual",
    "facilitator",
    "current_manager",
    "previous_manager",
    "other_coach",
    "stranger",
    "talent_lead",
    "system_administrator",
]


@dataclass
class Scenario:
    """Imani's conversation with a coach, held since Morgan became her line manager.

    Before that, Pat managed her and facilitated an earlier conversation; another coach and a
    stranger have nothing to do with her.
    """

    users: dict
    conversation: Conversation
    record: ConversationRecord
    action: DevelopmentAction
    earlier: Conversation

    def user(self, role):
        return self.users[role]


@pytest.fixture
def scenario(
    individual,
    line_manager,
    coach,
    stranger,
    talent_lead_with_mfa,
    system_administrator_with_mfa,
    organisation,
):
    previous_manager = StaffProfileFactory(
        user__first_name="Pat", user__last_name="Previous", organisation=organisation
    ).user
    other_coach = UserFactory(first_name="Olu", last_name="Othercoach")
    RoleAssignmentFactory(user=other_coach, role=Role.COACH, scope=Scope.NATIONAL)
    earlier = ConversationFactory(
        individual=individual,
        facilitator=previous_manager,
        planned_for=datetime.date(2025, 6, 2),
        status=Conversation.Status.AGREED,
    )
    profile = individual.staff_profile
    profile.line_manager_since = datetime.date(2026, 1, 5)
    profile.save()
    conversation = ConversationFactory(
        individual=individual,
        facilitator=coach,
        facilitator_role=FacilitatorRole.COACH,
        planned_for=datetime.date(2026, 11, 2),
        status=Conversation.Status.AWAITING_AGREEMENT,
        wellbeing_notes=WELLBEING_NOTES,
        individual_reflection=REFLECTION,
        facilitator_preparation=PREPARATION,
    )
    record = ConversationRecordFactory(conversation=conversation)
    action = DevelopmentActionFactory(conversation=conversation, description="Shadow the matron")
    users = {
        "anonymous": None,
        "individual": individual,
        "facilitator": coach,
        "current_manager": line_manager,
        "previous_manager": previous_manager,
        "other_coach": other_coach,
        "stranger": stranger,
        "talent_lead": talent_lead_with_mfa,
        "system_administrator": system_administrator_with_mfa,
    }
    return Scenario(users=users, conversation=conversation, record=record, action=action, earlier=earlier)


def _login(client, user):
    if user is not None:
        client.force_login(user)


def _matrix(allowed: set[str]):
    """(role, expected status) for every role: 302 to sign in for anonymous, 200 if allowed, else 404."""
    return [(role, 302 if role == "anonymous" else 200 if role in allowed else 404) for role in ROLES]


def _state(scenario) -> tuple:
    """Everything a refused request must leave unchanged."""
    conversation = Conversation.objects.get(pk=scenario.conversation.pk)
    return (
        conversation.status,
        conversation.agreed_at,
        conversation.individual_reflection,
        conversation.is_reflection_shared,
        conversation.wellbeing_notes,
        conversation.is_wellbeing_notes_shared,
        tuple(
            conversation.records.values_list("version", "individual_response", "individual_comment").order_by(
                "version"
            )
        ),
        tuple(DevelopmentAction.objects.values_list("pk", "status").order_by("pk")),
        ActionProgressUpdate.objects.count(),
        Conversation.objects.count(),
        GrowthSharing.objects.count(),
        Notification.objects.count(),
        AuditEvent.objects.exclude(action=AuditEvent.Action.READ).count(),
    )


def _assert_refused(response, expected_status):
    assert response.status_code == expected_status
    if expected_status == 302:
        assert response["Location"].startswith(LOGIN_URL)


# --- Role matrices --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected_status"), _matrix({"individual", "facilitator", "current_manager"})
)
def test_conversation_detail_by_role(client, scenario, role, expected_status):
    _login(client, scenario.user(role))

    response = client.get(
        reverse("conversations:conversation_detail", kwargs={"pk": scenario.conversation.pk})
    )

    _assert_refused(response, expected_status)


@pytest.mark.parametrize(
    ("role", "expected_status"), _matrix({"individual", "facilitator", "current_manager"})
)
def test_conversation_history_by_role(client, scenario, role, expected_status):
    _login(client, scenario.user(role))

    response = client.get(
        reverse("conversations:conversation_history", kwargs={"pk": scenario.conversation.pk})
    )

    _assert_refused(response, expected_status)


@pytest.mark.parametrize(
    "role", ["individual", "facilitator", "current_manager", "previous_manager", "stranger"]
)
def test_earlier_conversation_is_only_for_the_individual_unless_shared(client, scenario, role):
    _login(client, scenario.user(role))

    response = client.get(reverse("conversations:conversation_detail", kwargs={"pk": scenario.earlier.pk}))

    assert response.status_code == (200 if role == "individual" else 404)


def test_earlier_conversation_is_visible_to_the_new_manager_when_shared(client, scenario):
    GrowthSharing.objects.create(user=scenario.user("individual"), is_history_shared_with_new_managers=True)
    client.force_login(scenario.user("current_manager"))

    response = client.get(reverse("conversations:conversation_detail", kwargs={"pk": scenario.earlier.pk}))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "view_name",
    [
        "conversations:conversation_agree",
        "conversations:conversation_disagree",
        "conversations:conversation_reflection",
        "conversations:conversation_wellbeing",
    ],
)
@pytest.mark.parametrize(("role", "expected_status"), _matrix({"individual"}))
def test_individual_only_pages_by_role(client, scenario, view_name, role, expected_status):
    _login(client, scenario.user(role))
    before = _state(scenario)
    url = reverse(view_name, kwargs={"pk": scenario.conversation.pk})

    get_response = client.get(url)
    if role == "individual":
        post_response = None
    else:
        post_response = client.post(
            url, {"comment": "Forged", "reflection": "Forged", "notes": "Forged", "is_shared": "yes"}
        )

    _assert_refused(get_response, expected_status)
    if post_response is not None:
        _assert_refused(post_response, expected_status)
        assert _state(scenario) == before


@pytest.mark.parametrize(
    ("role", "expected_status"), _matrix({"individual", "facilitator", "current_manager"})
)
def test_action_progress_by_role(client, scenario, role, expected_status):
    _login(client, scenario.user(role))
    before = _state(scenario)
    url = reverse("conversations:action_progress", kwargs={"pk": scenario.action.pk})

    get_response = client.get(url)

    _assert_refused(get_response, expected_status)
    if expected_status != 200:
        post_response = client.post(url, {"note": "Forged", "status": "done"})
        _assert_refused(post_response, expected_status)
        assert _state(scenario) == before


@pytest.mark.parametrize(("role", "expected_status"), _matrix({"individual", "facilitator"}))
def test_cancel_by_role(client, scenario, role, expected_status):
    Conversation.objects.filter(pk=scenario.conversation.pk).update(status=Conversation.Status.PLANNED)
    scenario.record.delete()
    _login(client, scenario.user(role))
    before = _state(scenario)
    url = reverse("conversations:conversation_cancel", kwargs={"pk": scenario.conversation.pk})

    get_response = client.get(url)

    _assert_refused(get_response, expected_status)
    if expected_status != 200:
        _assert_refused(client.post(url), expected_status)
        assert _state(scenario) == before


@pytest.mark.parametrize(
    "view_name",
    [
        "conversations:growth",
        "conversations:conversation_request",
        "conversations:conversation_with_coach",
        "conversations:growth_sharing",
    ],
)
@pytest.mark.parametrize(
    ("role", "expected_status"),
    # Every page here is about the person signed in, so anyone with a staff record may open it;
    # the coach and the system administrator have none.
    _matrix({"individual", "current_manager", "previous_manager", "stranger", "talent_lead"}),
)
def test_own_growth_pages_by_role(client, scenario, view_name, role, expected_status):
    _login(client, scenario.user(role))

    response = client.get(reverse(view_name))

    _assert_refused(response, expected_status)


@pytest.mark.parametrize("role", ["current_manager", "previous_manager", "stranger"])
def test_growth_never_shows_someone_elses_conversations(client, scenario, role):
    client.force_login(scenario.user(role))

    response = client.get(reverse("conversations:growth"))

    assert response.context["overview"].conversations == []
    assert "Shadow the matron" not in response.content.decode()


def test_own_growth_pages_refuse_posts_from_people_without_a_staff_record(client, scenario):
    client.force_login(scenario.user("facilitator"))
    before = _state(scenario)

    responses = [
        client.post(reverse("conversations:conversation_request"), {"message": "Forged"}),
        client.post(reverse("conversations:growth_sharing"), {"is_history_shared_with_new_managers": "yes"}),
        client.post(
            reverse("conversations:conversation_with_coach"),
            {
                "coach": scenario.user("other_coach").pk,
                "planned_for-day": "1",
                "planned_for-month": "1",
                "planned_for-year": "2030",
            },
        ),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404]
    assert _state(scenario) == before


# --- Conversation detail --------------------------------------------------------------------------


def test_detail_shows_the_latest_record_with_labels(client, scenario):
    client.force_login(scenario.user("individual"))

    response = client.get(
        reverse("conversations:conversation_detail", kwargs={"pk": scenario.conversation.pk})
    )

    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Your career conversation with",
        "Calm under pressure; mentors new starters",
        "Strong ambition",
        "Lead a ward within two years",
        "In 1 to 2 years",
        "Building impact, growth in depth",
        "Established impact, growth in stretch and complexity",
        "Ready within 1 to 2 years",
        "2 November 2027",
        "Waiting for you to agree version 1 of this record.",
        "Shadow the matron",
        "No progress recorded yet",
        "See all versions",
    ):
        assert text in content, text
    assert "one_to_two_years" not in content


@pytest.mark.parametrize(
    ("role", "expected_links"),
    [
        (
            "individual",
            {"Agree this record", "I do not agree", "Change your reflection", "Change your wellbeing notes"},
        ),
        ("facilitator", set()),
        ("current_manager", set()),
    ],
)
def test_detail_offers_each_viewer_their_own_actions(client, scenario, role, expected_links):
    client.force_login(scenario.user(role))

    content = client.get(
        reverse("conversations:conversation_detail", kwargs={"pk": scenario.conversation.pk})
    ).content.decode()

    individual_links = {
        "Agree this record",
        "I do not agree",
        "Change your reflection",
        "Change your wellbeing notes",
    }
    assert {link for link in individual_links if link in content} == expected_links
    assert ("Update progress" in content) is True


def test_detail_links_the_facilitator_to_their_pages(client, scenario):
    client.force_login(scenario.user("facilitator"))

    response = client.get(
        reverse("conversations:conversation_detail", kwargs={"pk": scenario.conversation.pk})
    )

    content = response.content.decode()
    pk = scenario.conversation.pk
    record_url = reverse("conversations:conversation_record", kwargs={"pk": pk, "step": "held"})
    assert (
        f'href="{record_url}" role="button" draggable="false">Change this record (creates a new version)</a>'
        in (content)
    )
    assert reverse("conversations:conversation_nominate", kwargs={"pk": pk}) in content
    assert reverse("conversations:conversation_preparation", kwargs={"pk": pk}) in content
    assert response.context["can_cancel"] is False
    assert "Agree this record" not in content
    assert "Record the outcome" not in content


def test_detail_offers_cancel_only_for_a_planned_conversation(client, individual, line_manager):
    planned = ConversationFactory(individual=individual, facilitator=line_manager)
    client.force_login(line_manager)

    response = client.get(reverse("conversations:conversation_detail", kwargs={"pk": planned.pk}))

    content = response.content.decode()
    assert response.context["can_cancel"] is True
    assert reverse("conversations:conversation_cancel", kwargs={"pk": planned.pk}) in content
    record_url = reverse("conversations:conversation_record", kwargs={"pk": planned.pk, "step": "held"})
    assert f'href="{record_url}" role="button" draggable="false">Record the outcome</a>' in content
    assert "Nothing has been recorded yet." in content
    assert "See all versions" not in content


def test_detail_shows_a_disagreement_to_both_sides(client, scenario):
    _second_version(scenario)
    ConversationRecord.objects.filter(conversation=scenario.conversation, version=2).update(
        individual_response=ConversationRecord.Response.NOT_AGREED,
        individual_responded_at=timezone.make_aware(datetime.datetime(2026, 11, 20, 9)),
        individual_comment="Still not ready now",
    )
    Conversation.objects.filter(pk=scenario.conversation.pk).update(status=Conversation.Status.NOT_AGREED)
    url = reverse("conversations:conversation_detail", kwargs={"pk": scenario.conversation.pk})

    client.force_login(scenario.user("facilitator"))
    facilitator_page = client.get(url).content.decode()
    client.force_login(scenario.user("individual"))
    individual_page = client.get(url).content.decode()

    individual = scenario.user("individual")
    assert (
        f"{individual} does not agree with version 2 of this record (20 November 2026)." in facilitator_page
    )
    assert "What they do not agree with: Still not ready now" in facilitator_page
    assert "You do not agree with version 2 of this record (20 November 2026)." in individual_page
    assert "Agree this record" not in individual_page
    assert "Change this record (creates a new version)" in facilitator_page


def test_links_to_pages_this_deployment_does_not_serve_are_left_out():
    template = Template(
        '{% load growth_tags %}{% optional_url "conversations:no_such_page" pk=1 as missing %}'
        '{% optional_url "conversations:conversation_history" pk=1 as history %}'
        "[{{ missing }}][{{ history }}]"
    )

    assert template.render(Context()) == "[][/conversations/1/history/]"


@pytest.mark.parametrize(
    ("role", "is_shared", "expected"),
    [
        ("individual", False, {WELLBEING_NOTES, REFLECTION}),
        ("facilitator", False, {PREPARATION}),
        ("current_manager", False, set()),
        ("facilitator", True, {WELLBEING_NOTES, REFLECTION, PREPARATION}),
        ("current_manager", True, {WELLBEING_NOTES, REFLECTION}),
        ("individual", True, {WELLBEING_NOTES, REFLECTION}),
    ],
)
def test_private_notes_appear_only_for_the_right_people(client, scenario, role, is_shared, expected):
    Conversation.objects.filter(pk=scenario.conversation.pk).update(
        is_wellbeing_notes_shared=is_shared, is_reflection_shared=is_shared
    )
    client.force_login(scenario.user(role))

    for view_name in ("conversations:conversation_detail", "conversations:conversation_history"):
        content = client.get(reverse(view_name, kwargs={"pk": scenario.conversation.pk})).content.decode()
        shown = {text for text in (WELLBEING_NOTES, REFLECTION, PREPARATION) if text in content}
        assert shown == (expected if view_name.endswith("detail") else set())


@pytest.mark.parametrize(
    ("role", "expected_reads"),
    [("individual", 0), ("facilitator", 1), ("current_manager", 1)],
)
def test_reading_someone_elses_record_is_audited(client, scenario, role, expected_reads):
    user = scenario.user(role)
    client.force_login(user)

    client.get(reverse("conversations:conversation_detail", kwargs={"pk": scenario.conversation.pk}))
    client.get(reverse("conversations:conversation_history", kwargs={"pk": scenario.conversation.pk}))

    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ)
    assert reads.count() == expected_reads * 2
    assert set(reads.values_list("actor", "verb", "object_type", "object_id")) == (
        {
            (user.pk, "conversation_read", "conversations.conversation", str(scenario.conversation.pk)),
            (
                user.pk,
                "conversation_history_read",
                "conversations.conversation",
                str(scenario.conversation.pk),
            ),
        }
        if expected_reads
        else set()
    )


def test_refused_reads_are_not_audited(client, scenario):
    client.force_login(scenario.user("previous_manager"))

    client.get(reverse("conversations:conversation_detail", kwargs={"pk": scenario.conversation.pk}))

    assert AuditEvent.objects.filter(action=AuditEvent.Action.READ).count() == 0


def test_agreed_record_shows_the_date_and_comment(client, scenario):
    ConversationRecord.objects.filter(pk=scenario.record.pk).update(
        individual_response=ConversationRecord.Response.AGREED,
        individual_responded_at=timezone.make_aware(datetime.datetime(2026, 11, 9, 10)),
        individual_comment="Happy with this",
    )
    Conversation.objects.filter(pk=scenario.conversation.pk).update(status=Conversation.Status.AGREED)
    client.force_login(scenario.user("facilitator"))

    content = client.get(
        reverse("conversations:conversation_detail", kwargs={"pk": scenario.conversation.pk})
    ).content.decode()

    assert f"{scenario.user('individual')} agreed version 1 of this record on 9 November 2026." in content
    assert "Comment: Happy with this" in content


@pytest.mark.parametrize("action_count", [2, 20])
def test_detail_query_count_does_not_grow_with_the_plan(
    client, django_assert_num_queries, scenario, action_count
):
    for index in range(action_count - 1):
        action = DevelopmentActionFactory(conversation=scenario.conversation)
        ActionProgressUpdate.objects.create(
            action=action, note=f"Note {index}", status="in_progress", created_by=scenario.user("individual")
        )
    client.force_login(scenario.user("current_manager"))
    url = reverse("conversations:conversation_detail", kwargs={"pk": scenario.conversation.pk})
    client.get(url)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url)

    assert len(response.context["actions"]) == action_count


# --- History --------------------------------------------------------------------------------------


def _second_version(scenario, **changes):
    ConversationRecord.objects.filter(pk=scenario.record.pk).update(
        individual_response=ConversationRecord.Response.NOT_AGREED,
        individual_responded_at=timezone.make_aware(datetime.datetime(2026, 11, 4, 9)),
        individual_comment="I am ready now",
    )
    return ConversationRecordFactory(
        conversation=scenario.conversation, version=2, change_reason="We talked again", **changes
    )


def test_history_lists_every_version_with_what_changed(client, scenario):
    _second_version(scenario, readiness=Readiness.READY_NOW, strengths="Calm; a natural teacher")
    client.force_login(scenario.user("individual"))

    response = client.get(
        reverse("conversations:conversation_history", kwargs={"pk": scenario.conversation.pk})
    )

    versions = response.context["versions"]
    assert [version.record.version for version in versions] == [2, 1]
    assert [(change.label, change.before, change.after) for change in versions[0].changes] == [
        ("Strengths", "Calm under pressure; mentors new starters", "Calm; a natural teacher"),
        ("Readiness for a next step", "Ready within 1 to 2 years", "Ready now"),
    ]
    assert versions[1].is_first is True
    content = response.content.decode()
    assert "We talked again" in content
    assert "I am ready now" in content
    assert "Not agreed on 4 November 2026" in content
    assert "ready_now" not in content


def test_history_shows_plan_changes_in_words(client, scenario):
    plan = [
        {
            "id": 1,
            "description": "Shadow the matron",
            "action_type": "experience",
            "owner": "individual",
            "due_on": "2027-03-31",
            "status": "not_started",
            "leadership_dimension": None,
        }
    ]
    ConversationRecord.objects.filter(pk=scenario.record.pk).update(plan_snapshot=plan)
    _second_version(
        scenario,
        plan_snapshot=[
            *plan,
            {
                **plan[0],
                "id": 2,
                "description": "Attend a board meeting",
                "action_type": "exposure",
                "owner": "facilitator",
            },
        ],
    )
    client.force_login(scenario.user("individual"))

    response = client.get(
        reverse("conversations:conversation_history", kwargs={"pk": scenario.conversation.pk})
    )

    [change] = response.context["versions"][0].changes
    assert change.label == "Development plan"
    assert change.before == "Shadow the matron (experience, owned by the individual, due 31 March 2027)"
    assert change.after == (
        "Shadow the matron (experience, owned by the individual, due 31 March 2027)\n"
        "Attend a board meeting (exposure, owned by the line manager or coach, due 31 March 2027)"
    )


@pytest.mark.parametrize("version_count", [2, 20])
def test_history_query_count_does_not_grow_with_versions(
    client, django_assert_num_queries, scenario, version_count
):
    for version in range(2, version_count + 1):
        ConversationRecordFactory(conversation=scenario.conversation, version=version, change_reason="Update")
    client.force_login(scenario.user("facilitator"))
    url = reverse("conversations:conversation_history", kwargs={"pk": scenario.conversation.pk})
    client.get(url)

    with django_assert_num_queries(HISTORY_QUERIES):
        response = client.get(url)

    assert len(response.context["versions"]) == version_count


# --- Agree and disagree ---------------------------------------------------------------------------


def test_individual_agrees_from_the_confirmation_page(client, scenario):
    client.force_login(scenario.user("individual"))
    url = reverse("conversations:conversation_agree", kwargs={"pk": scenario.conversation.pk})

    page = client.get(url)
    response = client.post(url, {"comment": "Looks right"}, follow=True)

    assert "You are agreeing version 1 of the record" in page.content.decode()
    assert response.redirect_chain == [
        (reverse("conversations:conversation_detail", kwargs={"pk": scenario.conversation.pk}), 302)
    ]
    assert "You have agreed this record" in response.content.decode()
    scenario.record.refresh_from_db()
    assert (scenario.record.individual_response, scenario.record.individual_comment) == (
        "agreed",
        "Looks right",
    )


def test_agreeing_without_a_comment_is_fine(client, scenario):
    client.force_login(scenario.user("individual"))

    client.post(reverse("conversations:conversation_agree", kwargs={"pk": scenario.conversation.pk}))

    scenario.conversation.refresh_from_db()
    assert scenario.conversation.status == Conversation.Status.AGREED


def test_posting_to_an_agreed_record_changes_nothing(client, scenario):
    client.force_login(scenario.user("individual"))
    agree_url = reverse("conversations:conversation_agree", kwargs={"pk": scenario.conversation.pk})
    client.post(agree_url, {"comment": "First"})
    before = _state(scenario)

    agree_again = client.post(agree_url, {"comment": "Second"})
    disagree = client.post(
        reverse("conversations:conversation_disagree", kwargs={"pk": scenario.conversation.pk}),
        {"comment": "Changed my mind"},
    )

    for response in (agree_again, disagree):
        content = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in content
        assert "You have already agreed this record" in content
        assert "<title>Error: " in content
    assert _state(scenario) == before


def test_disagreeing_needs_to_say_what_is_wrong(client, scenario):
    client.force_login(scenario.user("individual"))
    before = _state(scenario)

    response = client.post(
        reverse("conversations:conversation_disagree", kwargs={"pk": scenario.conversation.pk}),
        {"comment": " "},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_comment">Enter what you do not agree with</a>' in content
    assert _state(scenario) == before


def test_individual_disagrees_and_the_facilitator_is_told(
    client, scenario, django_capture_on_commit_callbacks
):
    client.force_login(scenario.user("individual"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("conversations:conversation_disagree", kwargs={"pk": scenario.conversation.pk}),
            {"comment": "My readiness is wrong"},
            follow=True,
        )

    assert f"We have told {scenario.user('facilitator')} that you do not agree with this record" in (
        response.content.decode()
    )
    scenario.record.refresh_from_db()
    assert (scenario.record.individual_response, scenario.record.individual_comment) == (
        "not_agreed",
        "My readiness is wrong",
    )
    assert Notification.objects.get().recipient == scenario.user("facilitator")


# --- Reflection and wellbeing notes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("view_name", "text_field", "stored_field", "shared_field"),
    [
        (
            "conversations:conversation_reflection",
            "reflection",
            "individual_reflection",
            "is_reflection_shared",
        ),
        ("conversations:conversation_wellbeing", "notes", "wellbeing_notes", "is_wellbeing_notes_shared"),
    ],
)
def test_individual_saves_notes_and_chooses_to_share(
    client, scenario, view_name, text_field, stored_field, shared_field
):
    client.force_login(scenario.user("individual"))
    url = reverse(view_name, kwargs={"pk": scenario.conversation.pk})

    page = client.get(url)
    response = client.post(url, {text_field: "New words", "is_shared": "yes"})

    assert f"with {scenario.user('facilitator')}?" in page.content.decode()
    assert response.status_code == 302
    scenario.conversation.refresh_from_db()
    assert (getattr(scenario.conversation, stored_field), getattr(scenario.conversation, shared_field)) == (
        "New words",
        True,
    )


@pytest.mark.parametrize(
    ("role", "mentions_line_manager"), [(FacilitatorRole.COACH, True), (FacilitatorRole.LINE_MANAGER, False)]
)
def test_sharing_hint_says_who_else_could_read_the_notes(
    client, individual, line_manager, role, mentions_line_manager
):
    conversation = ConversationFactory(individual=individual, facilitator=line_manager, facilitator_role=role)
    client.force_login(individual)

    response = client.get(reverse("conversations:conversation_wellbeing", kwargs={"pk": conversation.pk}))

    hint = response.context["form"].fields["is_shared"].help_text
    assert hint == (
        f"If you choose no, only you can read them. If you choose yes, {line_manager} can read them"
        + (
            ", and so can your line manager if they can see this conversation"
            if mentions_line_manager
            else ""
        )
        + "."
    )


@pytest.mark.parametrize(
    ("view_name", "data", "errors"),
    [
        (
            "conversations:conversation_reflection",
            {"reflection": "", "is_shared": "maybe"},
            ["Enter your reflection", "Select yes if you want to share your reflection with {facilitator}"],
        ),
        (
            "conversations:conversation_wellbeing",
            {"notes": "Fine"},
            ["Select yes if you want to share your wellbeing notes with {facilitator}"],
        ),
    ],
)
def test_notes_forms_show_nhs_errors_and_change_nothing(client, scenario, view_name, data, errors):
    client.force_login(scenario.user("individual"))
    before = _state(scenario)

    response = client.post(reverse(view_name, kwargs={"pk": scenario.conversation.pk}), data)

    facilitator = str(scenario.user("facilitator"))
    form_errors = response.context["form"].errors
    assert [str(error) for field_errors in form_errors.values() for error in field_errors] == [
        error.format(facilitator=facilitator) for error in errors
    ]
    assert _state(scenario) == before


# --- Your growth ----------------------------------------------------------------------------------


def _agreed_conversations(individual, manager, count):
    for index in range(count):
        conversation = ConversationFactory(
            individual=individual,
            facilitator=manager,
            planned_for=datetime.date(2020, 1, 1) + datetime.timedelta(days=30 * index),
            status=Conversation.Status.AGREED,
        )
        ConversationRecordFactory(
            conversation=conversation,
            individual_response=ConversationRecord.Response.AGREED,
            individual_responded_at=timezone.make_aware(datetime.datetime(2020, 1, 1))
            + datetime.timedelta(days=30 * index),
        )
        DevelopmentActionFactory(
            conversation=conversation, due_on=datetime.date(2027, 1, 1) + datetime.timedelta(days=index)
        )


def test_growth_shows_position_conversations_and_plan(client, scenario):
    individual = scenario.user("individual")
    latest = ConversationFactory(
        individual=individual,
        facilitator=scenario.user("current_manager"),
        planned_for=datetime.date(2026, 3, 2),
        status=Conversation.Status.AGREED,
    )
    levels = impact_levels()
    ConversationRecordFactory(
        conversation=latest,
        current_impact_level=levels[1],
        target_impact_level=levels[2],
        target_growth_category="breadth",
        readiness=Readiness.READY_NOW,
        individual_response=ConversationRecord.Response.AGREED,
        individual_responded_at=timezone.make_aware(datetime.datetime(2026, 3, 9)),
    )
    DevelopmentActionFactory(conversation=latest, description="Finished already", status="done")
    overdue = DevelopmentActionFactory(
        conversation=latest,
        description="Write the audit",
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(individual)

    response = client.get(reverse("conversations:growth"))

    content = response.content.decode()
    overview = response.context["overview"]
    assert overview.latest_agreed_record.conversation == latest
    assert [conversation.pk for conversation in overview.conversations] == [
        scenario.conversation.pk,
        latest.pk,
        scenario.earlier.pk,
    ]
    assert [action.description for action in overview.open_actions] == [
        "Write the audit",
        "Shadow the matron",
    ]
    for text in (
        "Established impact, growth in depth",
        "Wide impact, growth in breadth",
        "Ready now",
        "Awaiting agreement",
        "Overdue",
        reverse("conversations:action_progress", kwargs={"pk": overdue.pk}),
        reverse("conversations:conversation_detail", kwargs={"pk": scenario.conversation.pk}),
        reverse("conversations:conversation_request"),
        reverse("conversations:conversation_with_coach"),
        reverse("conversations:growth_sharing"),
        "A new line manager can only see records made since they became your manager",
    ):
        assert text in content, text
    assert "Finished already" not in content


def test_growth_without_a_line_manager_offers_only_a_coach(client, stranger):
    client.force_login(stranger)

    content = client.get(reverse("conversations:growth")).content.decode()

    assert "Ask for a conversation" not in content
    assert "Have a conversation with a coach instead" in content
    assert "You do not have an agreed record yet." in content


@pytest.mark.parametrize("count", [2, 20])
def test_growth_query_count_does_not_grow(client, django_assert_num_queries, individual, line_manager, count):
    _agreed_conversations(individual, line_manager, count)
    client.force_login(individual)
    url = reverse("conversations:growth")
    client.get(url)

    with django_assert_num_queries(GROWTH_QUERIES):
        response = client.get(url)

    assert len(response.context["overview"].conversations) == count
    assert len(response.context["overview"].open_actions) == count


# --- Asking for a conversation --------------------------------------------------------------------


def test_asking_for_a_conversation_notifies_the_line_manager(
    client, individual, line_manager, django_capture_on_commit_callbacks
):
    client.force_login(individual)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("conversations:conversation_request"), {"message": "About leadership"}, follow=True
        )

    assert f"We have asked {line_manager} to plan a conversation with you" in response.content.decode()
    notification = Notification.objects.get()
    assert (notification.recipient, notification.body) == (line_manager, "About leadership")


def test_asking_without_a_line_manager_shows_an_error_and_sends_nothing(client, stranger):
    client.force_login(stranger)

    page = client.get(reverse("conversations:conversation_request"))
    response = client.post(reverse("conversations:conversation_request"), {"message": ""})

    assert "You do not have a line manager recorded." in page.content.decode()
    assert "You do not have a line manager recorded. Ask a coach instead." in response.content.decode()
    assert Notification.objects.count() == 0


def _coach_post(coach_id, day="14", month="12", year=None):
    if year is None:
        year = str(timezone.localdate().year + 1)
    return {"coach": coach_id, "planned_for-day": day, "planned_for-month": month, "planned_for-year": year}


def test_individual_plans_a_conversation_with_a_coach(client, individual, coach):
    client.force_login(individual)

    page = client.get(reverse("conversations:conversation_with_coach"))
    response = client.post(reverse("conversations:conversation_with_coach"), _coach_post(coach.pk))

    assert str(coach) in page.content.decode()
    conversation = Conversation.objects.get()
    assert response["Location"] == reverse(
        "conversations:conversation_detail", kwargs={"pk": conversation.pk}
    )
    assert (
        conversation.individual,
        conversation.facilitator,
        conversation.facilitator_role,
        conversation.requested_by_individual,
        conversation.planned_for,
    ) == (
        individual,
        coach,
        FacilitatorRole.COACH,
        True,
        datetime.date(timezone.localdate().year + 1, 12, 14),
    )


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("not_a_coach", "Select a coach from the list"),
        ("missing", "Select a coach from the list"),
        ("self", "Select a coach from the list"),
        ("blank", "Select a coach"),
    ],
)
def test_forged_coach_is_a_form_error(client, individual, coach, who, error):
    RoleAssignmentFactory(user=individual, role=Role.COACH, scope=Scope.NATIONAL)
    coach_id = {"not_a_coach": UserFactory().pk, "missing": 999999, "self": individual.pk, "blank": ""}[who]
    client.force_login(individual)

    response = client.post(reverse("conversations:conversation_with_coach"), _coach_post(coach_id))

    assert response.status_code == 200
    assert response.context["form"].errors["coach"] == [error]
    assert Conversation.objects.count() == 0


def test_coach_from_another_organisation_is_not_offered(client, individual, coach):
    elsewhere = UserFactory(first_name="Elsie", last_name="Elsewhere")
    RoleAssignmentFactory(
        user=elsewhere,
        role=Role.COACH,
        scope=Scope.ORGANISATION,
        organisation=StaffProfileFactory().organisation,
    )
    client.force_login(individual)

    response = client.post(reverse("conversations:conversation_with_coach"), _coach_post(elsewhere.pk))

    assert list(response.context["form"].fields["coach"].queryset) == [coach]
    assert response.context["form"].errors["coach"] == ["Select a coach from the list"]


@pytest.mark.parametrize(
    ("date", "error"),
    [
        (("1", "1", "2020"), "Date of the conversation must be today or in the future"),
        (("31", "2", None), "Date of the conversation must be a real date"),
        (("", "", ""), "Enter the date of the conversation"),
    ],
)
def test_coach_conversation_date_errors(client, individual, coach, date, error):
    client.force_login(individual)

    response = client.post(reverse("conversations:conversation_with_coach"), _coach_post(coach.pk, *date))

    assert response.context["form"].errors["planned_for"] == [error]
    assert Conversation.objects.count() == 0


def test_a_second_open_conversation_is_refused_with_an_error(client, scenario):
    client.force_login(scenario.user("individual"))

    response = client.post(
        reverse("conversations:conversation_with_coach"), _coach_post(scenario.user("other_coach").pk)
    )

    assert response.status_code == 200
    assert "You already have a career conversation in progress" in response.content.decode()
    assert Conversation.objects.count() == 2


# --- Sharing --------------------------------------------------------------------------------------


def test_individual_chooses_to_share_history_with_new_managers(client, individual):
    client.force_login(individual)

    response = client.post(
        reverse("conversations:growth_sharing"), {"is_history_shared_with_new_managers": "yes"}, follow=True
    )

    assert GrowthSharing.objects.get(user=individual).is_history_shared_with_new_managers is True
    assert "A new line manager will be able to see your earlier records" in response.content.decode()
    page = client.get(reverse("conversations:growth_sharing"))
    assert page.context["form"].initial == {"is_history_shared_with_new_managers": "yes"}


def test_sharing_needs_an_answer(client, individual):
    client.force_login(individual)

    response = client.post(reverse("conversations:growth_sharing"), {})

    assert response.context["form"].errors["is_history_shared_with_new_managers"] == [
        "Select yes if a new line manager can see records you made with a previous manager"
    ]
    assert GrowthSharing.objects.count() == 0


# --- Action progress ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected_redirect"),
    [("individual", "growth"), ("facilitator", "detail"), ("current_manager", "detail")],
)
def test_progress_is_saved_by_the_people_who_follow_the_plan(client, scenario, role, expected_redirect):
    user = scenario.user(role)
    client.force_login(user)

    response = client.post(
        reverse("conversations:action_progress", kwargs={"pk": scenario.action.pk}),
        {"note": "Shift booked for March", "status": "in_progress"},
    )

    expected = {
        "growth": reverse("conversations:growth"),
        "detail": reverse("conversations:conversation_detail", kwargs={"pk": scenario.conversation.pk}),
    }[expected_redirect]
    assert response["Location"] == expected
    update = ActionProgressUpdate.objects.get()
    assert (update.action, update.note, update.status, update.created_by) == (
        scenario.action,
        "Shift booked for March",
        "in_progress",
        user,
    )


def test_progress_form_errors(client, scenario):
    client.force_login(scenario.user("individual"))
    before = _state(scenario)

    response = client.post(
        reverse("conversations:action_progress", kwargs={"pk": scenario.action.pk}),
        {"note": "", "status": "won"},
    )

    assert response.context["form"].errors == {
        "note": ["Enter what progress has been made"],
        "status": ["Select the status of the action"],
    }
    assert _state(scenario) == before


@pytest.mark.parametrize(("role", "expected_reads"), [("individual", 0), ("facilitator", 1)])
def test_opening_someone_elses_action_is_audited(client, scenario, role, expected_reads):
    client.force_login(scenario.user(role))

    client.get(reverse("conversations:action_progress", kwargs={"pk": scenario.action.pk}))

    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.READ, verb="development_action_read"
    ).count() == (expected_reads)


# --- Cancel ---------------------------------------------------------------------------------------


def test_facilitator_cancels_a_planned_conversation(client, individual, line_manager):
    planned = ConversationFactory(individual=individual, facilitator=line_manager)
    client.force_login(line_manager)

    response = client.post(
        reverse("conversations:conversation_cancel", kwargs={"pk": planned.pk}), follow=True
    )

    planned.refresh_from_db()
    assert planned.status == Conversation.Status.CANCELLED
    assert "The conversation has been cancelled" in response.content.decode()


def test_a_recorded_conversation_cannot_be_cancelled(client, scenario):
    client.force_login(scenario.user("facilitator"))
    before = _state(scenario)

    response = client.post(
        reverse("conversations:conversation_cancel", kwargs={"pk": scenario.conversation.pk})
    )

    assert "Only a planned conversation with nothing recorded can be cancelled" in response.content.decode()
    assert _state(scenario) == before
