"""The facilitator's pages: Your team, plan, preparation notes and recording a conversation."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from conversations.models import (
    BarrierType,
    Conversation,
    ConversationRecord,
    DevelopmentAction,
    FacilitatorRole,
    FrameworkVersion,
    GrowthSharing,
    ImpactLevel,
    LeadershipDimension,
)
from core.models import AuditEvent
from tests.accounts.factories import PayBandFactory, StaffProfileFactory
from tests.conversations.factories import (
    ConversationFactory,
    ConversationRecordFactory,
    DevelopmentActionFactory,
    impact_levels,
)

NOW = datetime.datetime(2026, 11, 27, 12, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 11, 27)
HELD_ON = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def _reports(manager, count, organisation):
    return [
        StaffProfileFactory(
            user__last_name=f"Report{index:03d}", line_manager=manager, organisation=organisation
        )
        for index in range(count)
    ]


def _content(response) -> str:
    return response.content.decode()


def _text(html: str) -> str:
    """The visible words of some HTML, on one line."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _error_summary(response) -> list[str]:
    match = re.search(
        r'<ul class="nhsuk-list nhsuk-error-summary__list">(.*?)</ul>', _content(response), re.S
    )
    if match is None:
        return []
    return [_text(item) for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)]


def _error_links(response) -> list[str]:
    match = re.search(
        r'<ul class="nhsuk-list nhsuk-error-summary__list">(.*?)</ul>', _content(response), re.S
    )
    return re.findall(r'href="([^"]+)"', match.group(1)) if match else []


def _date(prefix: str, value: datetime.date | None) -> dict[str, str]:
    if value is None:
        return {f"{prefix}-day": "", f"{prefix}-month": "", f"{prefix}-year": ""}
    return {
        f"{prefix}-day": str(value.day),
        f"{prefix}-month": str(value.month),
        f"{prefix}-year": str(value.year),
    }


def _draft_keys(client) -> list[str]:
    return [key for key, _value in client.session.items() if key.startswith("conversation_record_draft")]


def _step_url(conversation, step: str) -> str:
    return reverse("conversations:conversation_record", kwargs={"pk": conversation.pk, "step": step})


def _check_url(conversation) -> str:
    return reverse("conversations:conversation_record_check", kwargs={"pk": conversation.pk})


def _detail_url(conversation) -> str:
    return reverse("conversations:conversation_detail", kwargs={"pk": conversation.pk})


# Your team --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected_status"),
    [
        ("individual", 404),
        ("line_manager", 200),
        ("coach", 200),
        ("talent_lead_with_mfa", 404),
        ("system_administrator_with_mfa", 404),
        ("stranger", 404),
    ],
)
def test_team_page_by_role(client, request, line_manager, role, expected_status):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("conversations:team"))

    assert response.status_code == expected_status


def test_team_page_asks_anonymous_people_to_sign_in(client):
    response = client.get(reverse("conversations:team"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_team_lists_only_current_active_direct_reports(client, line_manager, individual, organisation):
    StaffProfileFactory(user__last_name="Leaver", line_manager=line_manager, is_active=False)
    StaffProfileFactory(user__last_name="Elsewhere")
    client.force_login(line_manager)

    response = client.get(reverse("conversations:team"))

    assert [profile.user for profile in response.context["page"].object_list] == [individual]
    content = _content(response)
    assert "Showing 1 person." in _text(content)
    assert "Leaver" not in content
    assert "Elsewhere" not in content


def test_coach_sees_people_whose_open_conversations_they_facilitate(client, coach, individual):
    open_one = ConversationFactory(
        individual=individual, facilitator=coach, facilitator_role=FacilitatorRole.COACH
    )
    closed = ConversationFactory(
        facilitator=coach, facilitator_role=FacilitatorRole.COACH, status=Conversation.Status.AGREED
    )
    client.force_login(coach)

    response = client.get(reverse("conversations:team"))

    people = list(response.context["page"].object_list)
    assert [person.user for person in people] == [individual]
    assert people[0].is_direct_report is False
    assert people[0].latest_conversation_id == open_one.pk
    content = _content(response)
    assert f'href="{_step_url(open_one, "held")}"' in content
    assert str(closed.individual) not in content
    assert "Plan a conversation" not in content


def _status_cells(response) -> dict[str, tuple[str, str]]:
    """Each person's conversation cell and next-due cell, as visible text."""
    cells = {}
    for row in re.findall(r'<tr class="nhsuk-table__row" role="row">(.*?)</tr>', _content(response), re.S)[
        1:
    ]:
        columns = [_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        name = columns[0].removeprefix("Name ")
        cells[name] = (columns[3].removeprefix("Conversation "), columns[4].removeprefix("Next due "))
    return cells


def test_team_shows_each_conversation_status_and_dueness(client, line_manager, individual, organisation):
    people = {
        name: StaffProfileFactory(
            user__first_name=name,
            user__last_name="Test",
            line_manager=line_manager,
            organisation=organisation,
        ).user
        for name in ["Never", "Cancelled", "Planned", "Awaiting", "Disagreed", "Agreed", "Overdue", "Soon"]
    }
    ConversationFactory(individual=people["Cancelled"], facilitator=line_manager, status="cancelled")
    ConversationFactory(
        individual=people["Planned"], facilitator=line_manager, planned_for=datetime.date(2026, 12, 3)
    )
    ConversationRecordFactory(
        conversation__individual=people["Awaiting"],
        conversation__facilitator=line_manager,
        conversation__planned_for=datetime.date(2026, 10, 1),
    )
    ConversationRecordFactory(
        conversation__individual=people["Disagreed"],
        conversation__facilitator=line_manager,
        conversation__status=Conversation.Status.NOT_AGREED,
        conversation__planned_for=datetime.date(2026, 10, 1),
    )
    ConversationRecordFactory(
        conversation__individual=people["Agreed"],
        conversation__facilitator=line_manager,
        conversation__status=Conversation.Status.AGREED,
        conversation__agreed_at=datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC),
        conversation__planned_for=datetime.date(2026, 10, 1),
    )
    ConversationRecordFactory(
        conversation__individual=people["Overdue"],
        conversation__facilitator=line_manager,
        conversation__status=Conversation.Status.AGREED,
        conversation__agreed_at=datetime.datetime(2025, 11, 1, 9, 0, tzinfo=datetime.UTC),
        conversation__planned_for=datetime.date(2025, 10, 1),
        next_conversation_due=datetime.date(2026, 11, 26),
    )
    ConversationRecordFactory(
        conversation__individual=people["Soon"],
        conversation__facilitator=line_manager,
        conversation__status=Conversation.Status.AGREED,
        conversation__agreed_at=datetime.datetime(2025, 12, 29, 9, 0, tzinfo=datetime.UTC),
        conversation__planned_for=datetime.date(2025, 12, 27),
        next_conversation_due=datetime.date(2026, 12, 27),
    )
    client.force_login(line_manager)

    response = client.get(reverse("conversations:team"), {"sort": "name"})

    assert _status_cells(response) == {
        "Agreed Test": ("Agreed on 5 October 2026", "1 October 2027"),
        "Awaiting Test": ("Awaiting agreement", "1 October 2027"),
        "Cancelled Test": ("Not had one", "Not set"),
        str(individual): ("Not had one", "Not set"),
        "Disagreed Test": ("Not agreed", "1 October 2027"),
        "Never Test": ("Not had one", "Not set"),
        "Overdue Test": ("Agreed on 1 November 2025", "26 November 2026 Overdue"),
        "Planned Test": ("Planned for 3 December 2026", "Not set"),
        "Soon Test": ("Agreed on 29 December 2025", "27 December 2026 Due within 30 days"),
    }
    content = _content(response)
    assert '<strong class="nhsuk-tag nhsuk-tag--grey">Not had one</strong>' in content
    assert '<strong class="nhsuk-tag nhsuk-tag--blue">Planned for 3 December 2026</strong>' in content
    assert '<strong class="nhsuk-tag nhsuk-tag--orange">Awaiting agreement</strong>' in content
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Not agreed</strong>' in content
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Agreed on 5 October 2026</strong>' in content
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Overdue</strong>' in content
    assert '<strong class="nhsuk-tag nhsuk-tag--orange">Due within 30 days</strong>' in content


@pytest.mark.parametrize(
    ("status_filter", "expected"),
    [
        ("", ["Agreed", "Imani", "Overdue", "Planned"]),
        ("not_had_one", ["Imani"]),
        ("planned", ["Planned"]),
        ("agreed", ["Agreed", "Overdue"]),
        ("overdue", ["Overdue"]),
        ("awaiting_agreement", []),
        ("forged", ["Agreed", "Imani", "Overdue", "Planned"]),
    ],
)
def test_team_can_be_filtered_by_status(
    client, line_manager, individual, organisation, status_filter, expected
):
    people = {
        name: StaffProfileFactory(
            user__first_name=name, line_manager=line_manager, organisation=organisation
        ).user
        for name in ["Planned", "Agreed", "Overdue"]
    }
    ConversationFactory(individual=people["Planned"], facilitator=line_manager)
    ConversationRecordFactory(
        conversation__individual=people["Agreed"],
        conversation__facilitator=line_manager,
        conversation__status=Conversation.Status.AGREED,
        conversation__planned_for=datetime.date(2026, 10, 1),
    )
    ConversationRecordFactory(
        conversation__individual=people["Overdue"],
        conversation__facilitator=line_manager,
        conversation__status=Conversation.Status.AGREED,
        conversation__planned_for=datetime.date(2025, 10, 1),
    )
    client.force_login(line_manager)

    response = client.get(reverse("conversations:team"), {"status": status_filter, "sort": "name"})

    names = sorted(person.user.first_name for person in response.context["page"].object_list)
    assert names == expected
    if not expected:
        assert "Nobody in your team has this status." in _content(response)


def test_team_filter_is_a_get_form_that_keeps_the_sort(client, line_manager):
    client.force_login(line_manager)

    response = client.get(reverse("conversations:team"), {"sort": "-band", "status": "planned"})

    content = _content(response)
    assert '<form method="get" novalidate>' in content
    assert '<select name="status" class="nhsuk-select" id="id_status">' in content
    assert '<option value="planned" selected>Planned</option>' in content
    assert '<input type="hidden" name="sort" value="-band" id="id_sort">' in content
    assert ">\n  Apply\n</button>" in content


def test_new_manager_does_not_see_unshared_status_from_a_previous_manager(client, line_manager, individual):
    previous_manager = StaffProfileFactory().user
    ConversationRecordFactory(
        conversation__individual=individual,
        conversation__facilitator=previous_manager,
        conversation__status=Conversation.Status.AGREED,
        conversation__agreed_at=datetime.datetime(2025, 10, 2, 9, 0, tzinfo=datetime.UTC),
        conversation__planned_for=datetime.date(2025, 10, 1),
    )
    profile = individual.staff_profile
    profile.line_manager_since = datetime.date(2026, 6, 1)
    profile.save()
    client.force_login(line_manager)

    unshared = client.get(reverse("conversations:team"))
    GrowthSharing.objects.create(user=individual, is_history_shared_with_new_managers=True)
    shared = client.get(reverse("conversations:team"))

    assert _status_cells(unshared)[str(individual)] == ("Not had one", "Not set")
    assert _status_cells(shared)[str(individual)] == ("Agreed on 2 October 2025", "1 October 2026 Overdue")


@pytest.mark.parametrize("report_count", [5, 60])
def test_team_page_query_count_does_not_grow_with_team_size(
    client, django_assert_num_queries, line_manager, organisation, report_count
):
    reports = _reports(line_manager, report_count, organisation)
    for report in reports[::2]:
        ConversationRecordFactory(
            conversation__individual=report.user, conversation__facilitator=line_manager
        )
    client.force_login(line_manager)
    client.get(reverse("conversations:team"))

    with django_assert_num_queries(6):
        response = client.get(
            reverse("conversations:team"), {"sort": "status", "status": "awaiting_agreement"}
        )

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min((report_count + 1) // 2, 25)


def test_team_is_paginated_and_sortable_by_band(client, line_manager, organisation, individual):
    reports = _reports(line_manager, 30, organisation)
    senior = reports[0]
    senior.pay_band = PayBandFactory(code="AFC8A", name="Band 8a", sort_order=81)
    senior.save()
    client.force_login(line_manager)

    first_page = client.get(reverse("conversations:team"), {"sort": "band"})
    second_page = client.get(reverse("conversations:team"), {"sort": "band", "page": 2})
    descending = client.get(reverse("conversations:team"), {"sort": "-band"})

    assert len(first_page.context["page"].object_list) == 25
    assert len(second_page.context["page"].object_list) == 6
    assert list(second_page.context["page"].object_list)[-1] == senior
    assert descending.context["page"].object_list[0] == senior
    content = _content(first_page)
    assert 'href="?sort=band&amp;page=2"' in content
    assert 'aria-sort="ascending"><a href="?sort=-band">Band' in content
    assert 'aria-sort="descending"><a href="?sort=band">Band' in _content(descending)


def test_team_sorts_by_status_and_next_due(client, line_manager, individual, organisation):
    never = individual
    never.last_name = "Aaron"
    never.save()
    agreed = StaffProfileFactory(
        user__last_name="Bell", line_manager=line_manager, organisation=organisation
    ).user
    planned = StaffProfileFactory(
        user__last_name="Cole", line_manager=line_manager, organisation=organisation
    ).user
    ConversationRecordFactory(
        conversation__individual=agreed,
        conversation__facilitator=line_manager,
        conversation__status=Conversation.Status.AGREED,
        conversation__planned_for=datetime.date(2026, 3, 1),
    )
    ConversationFactory(individual=planned, facilitator=line_manager)
    ConversationRecordFactory(
        conversation__individual=planned,
        conversation__facilitator=line_manager,
        conversation__status=Conversation.Status.AGREED,
        conversation__planned_for=datetime.date(2026, 1, 1),
    )
    client.force_login(line_manager)

    def order(sort):
        response = client.get(reverse("conversations:team"), {"sort": sort})
        return [person.user for person in response.context["page"].object_list]

    assert order("status") == [never, planned, agreed]
    assert order("-status") == [agreed, planned, never]
    assert order("next_due") == [planned, agreed, never]
    assert order("-next_due") == [agreed, planned, never]
    assert order("password") == [never, agreed, planned]


def test_team_links_to_the_latest_conversation_or_to_plan_one(client, line_manager, individual, organisation):
    other = StaffProfileFactory(
        user__last_name="Zed", line_manager=line_manager, organisation=organisation
    ).user
    earlier = ConversationFactory(
        individual=other, facilitator=line_manager, status="agreed", planned_for=datetime.date(2025, 1, 1)
    )
    latest = ConversationFactory(
        individual=other, facilitator=line_manager, status="agreed", planned_for=datetime.date(2026, 1, 1)
    )
    client.force_login(line_manager)

    content = _content(client.get(reverse("conversations:team")))

    assert f'<a href="{_detail_url(latest)}">{other}</a>' in content
    assert _detail_url(earlier) not in content
    plan_individual = reverse("conversations:conversation_plan", kwargs={"user_id": individual.pk})
    hidden = f'<span class="nhsuk-u-visually-hidden"> with {individual}</span>'
    assert f'<a href="{plan_individual}">Plan a conversation{hidden}</a>' in content


# Plan a conversation ---------------------------------------------------------------------------


def _plan_url(user) -> str:
    return reverse("conversations:conversation_plan", kwargs={"user_id": user.pk})


def test_plan_page_shows_the_form(client, line_manager, individual):
    client.force_login(line_manager)

    response = client.get(_plan_url(individual))

    content = _content(response)
    assert response.status_code == 200
    assert f"<h1>Plan a conversation with {individual}</h1>" in content
    assert "When is the conversation planned for?" in content
    assert (
        f"You will facilitate this Scope for Growth conversation as {individual}'s line manager." in content
    )


def test_line_manager_plans_a_conversation(client, line_manager, individual):
    client.force_login(line_manager)

    response = client.post(_plan_url(individual), _date("planned_for", datetime.date(2026, 12, 3)))

    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response.url == _detail_url(conversation)
    assert (conversation.individual, conversation.facilitator) == (individual, line_manager)
    assert conversation.facilitator_role == FacilitatorRole.LINE_MANAGER
    assert conversation.planned_for == datetime.date(2026, 12, 3)
    assert conversation.status == Conversation.Status.PLANNED
    assert AuditEvent.objects.filter(verb="conversation_plan", actor=line_manager).count() == 1


@pytest.mark.parametrize(
    ("planned_for", "expected"),
    [
        ({}, "Enter the date the conversation is planned for"),
        (
            {"planned_for-day": "3", "planned_for-month": "", "planned_for-year": "2026"},
            "The date the conversation is planned for must include a month",
        ),
        (
            _date("planned_for", datetime.date(2026, 11, 26)),
            "The date the conversation is planned for must be today or in the future",
        ),
        (
            {"planned_for-day": "31", "planned_for-month": "2", "planned_for-year": "2027"},
            "The date the conversation is planned for must be a real date",
        ),
        (
            _date("planned_for", datetime.date(2029, 1, 1)),
            "The conversation must be planned within the next 2 years",
        ),
    ],
)
def test_plan_rejects_bad_dates(client, line_manager, individual, planned_for, expected):
    client.force_login(line_manager)

    response = client.post(_plan_url(individual), planned_for)

    assert response.status_code == 200
    assert _error_summary(response) == [expected]
    assert _error_links(response) == ["#id_planned_for"]
    assert "<title>Error: " in _content(response)
    assert Conversation.objects.count() == 0


def test_plan_shows_the_service_error_when_a_conversation_is_already_open(client, line_manager, individual):
    ConversationFactory(individual=individual, facilitator=line_manager)
    client.force_login(line_manager)

    response = client.post(_plan_url(individual), _date("planned_for", datetime.date(2026, 12, 3)))

    assert response.status_code == 200
    assert _error_summary(response) == [f"{individual} already has a career conversation in progress"]
    assert Conversation.objects.count() == 1


def _change_snapshot() -> tuple:
    return (
        Conversation.objects.count(),
        list(Conversation.objects.order_by("pk").values_list("status", "facilitator_preparation")),
        ConversationRecord.objects.count(),
        DevelopmentAction.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def another_manager(organisation):
    manager = StaffProfileFactory(organisation=organisation).user
    StaffProfileFactory(line_manager=manager, organisation=organisation)
    return manager


@pytest.mark.parametrize(
    ("role", "expected_status"),
    [
        ("anonymous", 302),
        ("individual", 404),
        ("another_manager", 404),
        ("previous_manager", 404),
        ("coach", 404),
        ("talent_lead_with_mfa", 404),
        ("system_administrator_with_mfa", 404),
        ("line_manager", 200),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_plan_by_role(client, request, line_manager, individual, role, expected_status, method):
    if role == "previous_manager":
        profile = individual.staff_profile
        profile.line_manager = StaffProfileFactory().user
        profile.save()
        user = line_manager
    elif role != "anonymous":
        user = request.getfixturevalue(role)
    if role != "anonymous":
        client.force_login(user)
    before = _change_snapshot()

    response = getattr(client, method)(
        _plan_url(individual), _date("planned_for", datetime.date(2026, 12, 3)) if method == "post" else None
    )

    if role == "line_manager" and method == "post":
        assert response.status_code == 302
        return
    assert response.status_code == expected_status
    if role == "anonymous":
        assert response.url.startswith(reverse("account_login"))
    assert _change_snapshot() == before


def test_plan_is_not_found_for_an_unknown_person(client, line_manager):
    client.force_login(line_manager)

    assert (
        client.get(reverse("conversations:conversation_plan", kwargs={"user_id": 999_999})).status_code == 404
    )


# Preparation notes ------------------------------------------------------------------------------


@pytest.fixture
def conversation(line_manager, individual):
    return ConversationFactory(individual=individual, facilitator=line_manager, planned_for=HELD_ON)


@pytest.fixture
def coached_conversation(coach, individual):
    return ConversationFactory(
        individual=individual, facilitator=coach, facilitator_role=FacilitatorRole.COACH, planned_for=HELD_ON
    )


def test_preparation_page_explains_the_notes_are_private(client, line_manager, conversation, individual):
    conversation.facilitator_preparation = "Ask about the audit"
    conversation.save()
    client.force_login(line_manager)

    response = client.get(reverse("conversations:conversation_preparation", kwargs={"pk": conversation.pk}))

    content = _content(response)
    assert response.status_code == 200
    assert (
        f"<p>Only you can see these notes. They are not shared with {individual} and are not included in "
        "their record or downloads.</p>"
    ) in content
    assert ">\nAsk about the audit</textarea>" in content


def test_facilitator_saves_preparation_notes(client, line_manager, conversation):
    client.force_login(line_manager)

    response = client.post(
        reverse("conversations:conversation_preparation", kwargs={"pk": conversation.pk}),
        {"facilitator_preparation": "Strengths seen on the ward"},
    )

    assert response.status_code == 302
    assert response.url == _detail_url(conversation)
    conversation.refresh_from_db()
    assert conversation.facilitator_preparation == "Strengths seen on the ward"
    assert AuditEvent.objects.filter(verb="conversation_preparation_update").count() == 1


def test_a_coach_prepares_for_a_conversation_they_facilitate(client, coach, coached_conversation):
    client.force_login(coach)

    response = client.post(
        reverse("conversations:conversation_preparation", kwargs={"pk": coached_conversation.pk}),
        {"facilitator_preparation": "Coaching questions"},
    )

    assert response.status_code == 302
    coached_conversation.refresh_from_db()
    assert coached_conversation.facilitator_preparation == "Coaching questions"


def test_no_preparation_on_a_cancelled_conversation(client, line_manager, conversation):
    conversation.status = Conversation.Status.CANCELLED
    conversation.save()
    client.force_login(line_manager)

    response = client.post(
        reverse("conversations:conversation_preparation", kwargs={"pk": conversation.pk}),
        {"facilitator_preparation": "Notes"},
    )

    assert response.status_code == 404
    conversation.refresh_from_db()
    assert conversation.facilitator_preparation == ""


# The role matrix for preparation and every recording page --------------------------------------

FACILITATOR_PAGES = [
    ("preparation", "get", None),
    ("preparation", "post", {"facilitator_preparation": "Forged notes"}),
    ("held", "get", None),
    (
        "held",
        "post",
        {**_date("held_on", HELD_ON), "wellbeing_discussed": "yes", "support_signposted": "no"},
    ),
    ("plan", "post", {"remove": "1"}),
    ("check", "get", None),
    ("check", "post", {}),
]


def _facilitator_page_url(conversation, page: str) -> str:
    if page == "preparation":
        return reverse("conversations:conversation_preparation", kwargs={"pk": conversation.pk})
    if page == "check":
        return _check_url(conversation)
    return _step_url(conversation, page)


@pytest.mark.parametrize(
    "role",
    [
        "anonymous",
        "individual",
        "another_manager",
        "previous_manager",
        "coach",
        "talent_lead_with_mfa",
        "system_administrator_with_mfa",
    ],
)
@pytest.mark.parametrize(("page_name", "method", "data"), FACILITATOR_PAGES)
def test_only_the_facilitator_reaches_the_facilitator_pages(
    client, request, line_manager, individual, role, page_name, method, data
):
    conversation = ConversationRecordFactory(
        conversation__individual=individual,
        conversation__facilitator=line_manager,
        conversation__planned_for=HELD_ON,
    ).conversation
    DevelopmentActionFactory(conversation=conversation)
    if role == "previous_manager":
        profile = individual.staff_profile
        profile.line_manager = StaffProfileFactory().user
        profile.line_manager_since = TODAY
        profile.save()
        client.force_login(line_manager)
    elif role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    before = _change_snapshot()

    response = getattr(client, method)(_facilitator_page_url(conversation, page_name), data)

    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == 404
    assert _change_snapshot() == before
    assert _draft_keys(client) == []


@pytest.mark.parametrize("facilitator", ["line_manager", "coach"])
@pytest.mark.parametrize(
    ("page_name", "expected_status"), [("preparation", 200), ("held", 200), ("check", 302)]
)
def test_the_facilitator_reaches_the_facilitator_pages(
    client, request, individual, line_manager, facilitator, page_name, expected_status
):
    user = request.getfixturevalue(facilitator)
    role = FacilitatorRole.COACH if facilitator == "coach" else FacilitatorRole.LINE_MANAGER
    conversation = ConversationFactory(
        individual=individual, facilitator=user, facilitator_role=role, planned_for=HELD_ON
    )
    client.force_login(user)

    response = client.get(_facilitator_page_url(conversation, page_name))

    assert response.status_code == expected_status
    if expected_status == 302:
        assert response.url == _step_url(conversation, "held")


# Recording: the whole journey ------------------------------------------------------------------


def _levels():
    return impact_levels(FrameworkVersion.objects.get(effective_from=datetime.date(2021, 7, 1)))


def _step_data() -> dict[str, dict]:
    levels = _levels()
    return {
        "held": {**_date("held_on", HELD_ON), "wellbeing_discussed": "yes", "support_signposted": "no"},
        "strengths": {
            "strengths": "  Calm under pressure; mentors new starters  ",
            "strength_dimensions": [
                str(LeadershipDimension.objects.get(code="LEADING_WITH_CARE").pk),
                str(LeadershipDimension.objects.get(code="DEVELOPING_CAPABILITY").pk),
            ],
        },
        "aspirations": {
            "ambition_depth": "some",
            "ambition_breadth": "not_now",
            "ambition_stretch": "strong",
            "aspirations": "Lead a ward",
            "aspiration_timeframe": "one_to_two_years",
        },
        "position": {
            "current_impact_level": str(levels[0].pk),
            "current_growth_category": "depth",
            "target_impact_level": str(levels[1].pk),
            "target_growth_category": "stretch",
            "readiness": "one_to_two_years",
        },
        "barriers": {
            "barriers": [str(BarrierType.objects.get(code="WORKLOAD_TIME").pk)],
            "barrier_notes": "Short staffed on nights",
            "organisation_support": "Backfill for study days",
        },
        "next": _date("next_conversation_due", datetime.date(2027, 11, 20)),
    }


def _action_data(**overrides) -> dict:
    data = {
        "description": "Shadow the matron for two night shifts",
        "action_type": "exposure",
        "owner": "individual",
        **_date("due_on", datetime.date(2027, 3, 31)),
        "leadership_dimension": "",
    }
    data.update(overrides)
    return data


def test_facilitator_records_a_conversation_end_to_end(
    client, line_manager, individual, conversation, django_capture_on_commit_callbacks
):
    steps = _step_data()
    client.force_login(line_manager)
    dimension = LeadershipDimension.objects.get(code="ENGAGING_THE_TEAM")

    first_page = client.get(_step_url(conversation, "held"))
    assert first_page.status_code == 200
    assert "Record the conversation with" in _content(first_page)
    assert f'<a class="nhsuk-back-link" href="{_detail_url(conversation)}">Back</a>' in _content(first_page)
    assert (
        f"Any wellbeing notes {individual} writes are private to them unless they choose to share them."
        in _content(first_page)
    )

    for step, following in [
        ("held", "strengths"),
        ("strengths", "aspirations"),
        ("aspirations", "position"),
        ("position", "barriers"),
        ("barriers", "plan"),
    ]:
        response = client.post(_step_url(conversation, step), steps[step])
        assert response.status_code == 302, _error_summary(
            client.post(_step_url(conversation, step), steps[step])
        )
        assert response.url == _step_url(conversation, following)

    added = client.post(_step_url(conversation, "plan"), {**_action_data(), "add": "1"})
    assert added.url == _step_url(conversation, "plan")
    continued = client.post(
        _step_url(conversation, "plan"),
        {
            **_action_data(
                description="Team leadership course",
                action_type="education",
                owner="organisation",
                leadership_dimension=str(dimension.pk),
                **_date("due_on", datetime.date(2027, 6, 30)),
            ),
            "continue": "1",
        },
    )
    assert continued.url == _step_url(conversation, "next")
    next_page = client.get(_step_url(conversation, "next"))
    assert 'name="next_conversation_due-year" value="2027"' in _content(next_page)
    assert "What changed and why?" not in _content(next_page)
    response = client.post(_step_url(conversation, "next"), steps["next"])
    assert response.url == _check_url(conversation)

    check = client.get(_check_url(conversation))
    text = _text(_content(check))
    assert "Check your answers before sending the record" in text
    for expected in [
        "Date held 20 November 2026 Change date the conversation was held",
        "Wellbeing discussed Yes",
        "Support signposted No",
        "Strengths Calm under pressure; mentors new starters",
        "Healthcare Leadership Model dimensions Leading with care Developing capability",
        "Growth in depth Some interest",
        "Growth in breadth Not a focus for now",
        "Growth in stretch and complexity Strong ambition",
        "Timeframe In 1 to 2 years",
        "Current impact level Building impact",
        "Current growth category Depth",
        "Target impact level Established impact",
        "Target growth category Stretch and complexity",
        "Readiness for a next step Ready within 1 to 2 years",
        "Barriers Workload or time",
        "How the organisation could help Backfill for study days",
        "Action 1 Shadow the matron for two night shifts Type: Exposure Owner: The individual "
        "Due: 31 March 2027",
        "Action 2 Team leadership course Type: Education Owner: The organisation Due: 30 June 2027 "
        "Healthcare Leadership Model dimension: Engaging the team",
        "Next conversation due 20 November 2027",
        f"Save and send to {individual} to agree",
    ]:
        assert expected in text
    assert f'href="{_step_url(conversation, "position")}?from=check"' in _content(check)
    assert ConversationRecord.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(_check_url(conversation))

    assert saved.status_code == 302
    assert saved.url == _detail_url(conversation)
    record = ConversationRecord.objects.get()
    levels = _levels()
    assert record.conversation == conversation
    assert record.version == 1
    assert record.held_on == HELD_ON
    assert (record.wellbeing_discussed, record.support_signposted) == (True, False)
    assert record.strengths == "Calm under pressure; mentors new starters"
    assert sorted(d.code for d in record.strength_dimensions.all()) == [
        "DEVELOPING_CAPABILITY",
        "LEADING_WITH_CARE",
    ]
    assert (record.ambition_depth, record.ambition_breadth, record.ambition_stretch) == (
        "some",
        "not_now",
        "strong",
    )
    assert record.aspirations == "Lead a ward"
    assert record.aspiration_timeframe == "one_to_two_years"
    assert (record.current_impact_level, record.current_growth_category) == (levels[0], "depth")
    assert (record.target_impact_level, record.target_growth_category) == (levels[1], "stretch")
    assert record.readiness == "one_to_two_years"
    assert [b.code for b in record.barriers.all()] == ["WORKLOAD_TIME"]
    assert record.barrier_notes == "Short staffed on nights"
    assert record.organisation_support == "Backfill for study days"
    assert record.next_conversation_due == datetime.date(2027, 11, 20)
    assert record.recorded_by == line_manager
    assert record.change_reason == ""
    assert [
        (a.description, a.action_type, a.owner, a.due_on, a.leadership_dimension, a.individual)
        for a in conversation.actions.order_by("due_on")
    ] == [
        (
            "Shadow the matron for two night shifts",
            "exposure",
            "individual",
            datetime.date(2027, 3, 31),
            None,
            individual,
        ),
        (
            "Team leadership course",
            "education",
            "organisation",
            datetime.date(2027, 6, 30),
            dimension,
            individual,
        ),
    ]
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.AWAITING_AGREEMENT
    assert _draft_keys(client) == []
    assert individual.notifications.get().event_key == f"record-ready:{record.pk}"
    banner = client.get(_detail_url(conversation))
    assert f"Record sent to {individual} to agree" in _content(banner)


def test_steps_can_be_changed_from_the_check_page(client, line_manager, conversation):
    _complete_draft(client, line_manager, conversation)

    response = client.post(
        f"{_step_url(conversation, 'aspirations')}?from=check",
        {**_step_data()["aspirations"], "aspirations": "Become a matron"},
    )

    assert response.url == _check_url(conversation)
    assert "Aspirations Become a matron" in _text(_content(client.get(_check_url(conversation))))
    back = client.get(f"{_step_url(conversation, 'aspirations')}?from=check")
    assert f'<a class="nhsuk-back-link" href="{_check_url(conversation)}">Back</a>' in _content(back)


def _complete_draft(client, user, conversation, actions=1):
    client.force_login(user)
    steps = _step_data()
    for step in ["held", "strengths", "aspirations", "position", "barriers"]:
        assert client.post(_step_url(conversation, step), steps[step]).status_code == 302
    for _ in range(actions):
        client.post(_step_url(conversation, "plan"), {**_action_data(), "add": "1"})
    client.post(_step_url(conversation, "plan"), {"continue": "1"})
    assert client.post(_step_url(conversation, "next"), steps["next"]).status_code == 302


def test_an_action_can_be_changed_and_removed_before_saving(client, line_manager, conversation):
    _complete_draft(client, line_manager, conversation, actions=2)
    plan_url = _step_url(conversation, "plan")

    change_page = client.get(plan_url, {"change": "2"})
    assert "Change action 2" in _content(change_page)
    assert ">\n  Save action\n</button>" not in _content(change_page)
    assert "Save action</button>" in _content(change_page)
    changed = client.post(
        plan_url,
        {
            **_action_data(description="Present at the nursing forum", owner="facilitator"),
            "index": "2",
            "add": "1",
        },
    )
    assert changed.url == plan_url
    removed = client.post(plan_url, {"remove": "1"})
    assert removed.url == plan_url
    assert client.post(f"{plan_url}?from=check", {"continue": "1"}).url == _check_url(conversation)
    client.post(_check_url(conversation))

    assert list(conversation.actions.values_list("description", "owner")) == [
        ("Present at the nursing forum", "facilitator")
    ]


def test_recording_with_no_actions_is_allowed(client, line_manager, conversation):
    _complete_draft(client, line_manager, conversation, actions=0)

    check = client.get(_check_url(conversation))
    assert "Actions None" in _text(_content(check))
    client.post(_check_url(conversation))

    assert ConversationRecord.objects.count() == 1
    assert conversation.actions.count() == 0


# Recording: bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "data", "expected", "links"),
    [
        (
            "held",
            {},
            [
                "Enter the date the conversation was held",
                "Select yes if you discussed wellbeing",
                "Select yes if support was signposted",
            ],
            ["#id_held_on", "#id_wellbeing_discussed", "#id_support_signposted"],
        ),
        (
            "held",
            {
                **_date("held_on", datetime.date(2026, 11, 28)),
                "wellbeing_discussed": "yes",
                "support_signposted": "no",
            },
            ["The date the conversation was held must be today or in the past"],
            ["#id_held_on"],
        ),
        (
            "held",
            {
                **_date("held_on", datetime.date(2020, 1, 1)),
                "wellbeing_discussed": "maybe",
                "support_signposted": "no",
            },
            [
                "The date the conversation was held must be on or after 1 July 2021",
                "Select yes if you discussed wellbeing",
            ],
            ["#id_held_on", "#id_wellbeing_discussed"],
        ),
        (
            "strengths",
            {"strengths": "   ", "strength_dimensions": ["999999"]},
            ["Enter the strengths you discussed", "Select dimensions from the list"],
            ["#id_strengths", "#id_strength_dimensions"],
        ),
        (
            "aspirations",
            {"ambition_depth": "huge"},
            [
                "Select how much they want to grow in depth",
                "Select how much they want to grow in breadth",
                "Select how much they want to grow in stretch and complexity",
                "Enter their aspirations",
                "Select when they would like to achieve their aspirations",
            ],
            [
                "#id_ambition_depth",
                "#id_ambition_breadth",
                "#id_ambition_stretch",
                "#id_aspirations",
                "#id_aspiration_timeframe",
            ],
        ),
        (
            "position",
            {"current_impact_level": "999999", "target_impact_level": "abc"},
            [
                "Select their current impact level",
                "Select the growth category they are in now",
                "Select the impact level they want to reach",
                "Select the growth category they want to grow in",
                "Select how ready they are for a next step",
            ],
            [
                "#id_current_impact_level",
                "#id_current_growth_category",
                "#id_target_impact_level",
                "#id_target_growth_category",
                "#id_readiness",
            ],
        ),
        (
            "barriers",
            {"barriers": ["999999"]},
            ["Select barriers from the list"],
            ["#id_barriers"],
        ),
        (
            "next",
            _date("next_conversation_due", HELD_ON),
            ["The next conversation must be due after the date of this conversation"],
            ["#id_next_conversation_due"],
        ),
        (
            "next",
            {"next_conversation_due-day": "20", "next_conversation_due-month": "11"},
            ["The date the next conversation is due must include a year"],
            ["#id_next_conversation_due"],
        ),
    ],
)
def test_bad_answers_on_a_step_are_shown_and_nothing_is_saved(
    client, line_manager, conversation, step, data, expected, links
):
    client.force_login(line_manager)
    client.post(_step_url(conversation, "held"), _step_data()["held"])
    draft_before = dict(client.session[f"conversation_record_draft:{conversation.pk}"])

    response = client.post(_step_url(conversation, step), data)

    assert response.status_code == 200
    assert _error_summary(response) == expected
    assert _error_links(response) == links
    assert "<title>Error: " in _content(response)
    assert client.session[f"conversation_record_draft:{conversation.pk}"] == draft_before
    assert ConversationRecord.objects.count() == 0


def test_an_impact_level_from_another_framework_version_is_not_a_choice(client, line_manager, conversation):
    old = FrameworkVersion.objects.create(name="Old labels", effective_from=datetime.date(2019, 1, 1))
    old_level = ImpactLevel.objects.create(framework_version=old, order=1, label="Old level")
    client.force_login(line_manager)
    client.post(_step_url(conversation, "held"), _step_data()["held"])

    page = client.get(_step_url(conversation, "position"))
    response = client.post(
        _step_url(conversation, "position"),
        {**_step_data()["position"], "target_impact_level": str(old_level.pk)},
    )

    assert "Old level" not in _content(page)
    assert "Growing capability and contribution in the current role." in _content(page)
    assert 'aria-describedby="id_current_impact_level-2-item-hint"' in _content(page)
    assert _error_summary(response) == ["Select the impact level they want to reach"]


@pytest.mark.parametrize(
    ("action", "expected", "link"),
    [
        (_action_data(owner=""), ["Select who owns the action"], "#id_owner"),
        (
            _action_data(**_date("due_on", datetime.date(2026, 11, 26))),
            ["The date the action is due must be today or in the future"],
            "#id_due_on",
        ),
        (
            _action_data(**_date("due_on", datetime.date(2026, 11, 19))),
            ["The date the action is due must be on or after the date of the conversation"],
            "#id_due_on",
        ),
        (
            _action_data(description=" ", action_type="training", leadership_dimension="999999"),
            ["Enter what the action is", "Select the type of action", "Select a dimension from the list"],
            "#id_description",
        ),
        (
            {**_action_data(), **_date("due_on", None)},
            ["Enter the date the action is due"],
            "#id_due_on",
        ),
    ],
)
@pytest.mark.parametrize("button", ["add", "continue"])
def test_a_bad_action_is_shown_and_not_added(
    client, line_manager, conversation, action, expected, link, button
):
    client.force_login(line_manager)
    client.post(_step_url(conversation, "held"), _step_data()["held"])

    response = client.post(_step_url(conversation, "plan"), {**action, button: "1"})

    assert response.status_code == 200
    assert _error_summary(response) == expected
    assert _error_links(response)[0] == link
    draft = client.session[f"conversation_record_draft:{conversation.pk}"]
    assert draft["actions"] == []
    assert "plan" not in draft["completed"]


def test_the_check_page_shows_service_errors_with_links_to_the_step(client, line_manager, conversation):
    _complete_draft(client, line_manager, conversation)
    session = client.session
    draft = session[f"conversation_record_draft:{conversation.pk}"]
    old = FrameworkVersion.objects.create(name="Old labels", effective_from=datetime.date(2019, 1, 1))
    draft["current_impact_level"] = ImpactLevel.objects.create(framework_version=old, order=1, label="Old").pk
    draft["actions"][0]["due_on"] = "2026-11-01"
    session[f"conversation_record_draft:{conversation.pk}"] = draft
    session.save()

    response = client.post(_check_url(conversation))

    assert response.status_code == 200
    assert _error_summary(response) == [
        "Select an impact level from the framework in force on the date of the conversation",
        "Action 1 must be due after the date of the conversation",
    ]
    assert _error_links(response) == [
        f"{_step_url(conversation, 'position')}?from=check#id_current_impact_level",
        f"{_step_url(conversation, 'plan')}?from=check#action-1",
    ]
    assert "<title>Error: Check your answers" in _content(response)
    assert ConversationRecord.objects.count() == 0
    assert DevelopmentAction.objects.count() == 0


def test_the_check_page_sends_an_incomplete_draft_back_to_the_missing_step(
    client, line_manager, conversation
):
    client.force_login(line_manager)
    steps = _step_data()
    client.post(_step_url(conversation, "held"), steps["held"])
    client.post(_step_url(conversation, "strengths"), steps["strengths"])

    get = client.get(_check_url(conversation))
    post = client.post(_check_url(conversation))

    assert get.url == _step_url(conversation, "aspirations")
    assert post.url == _step_url(conversation, "aspirations")
    assert ConversationRecord.objects.count() == 0


@pytest.mark.parametrize("step", ["position", "plan", "next"])
def test_steps_that_need_the_date_send_you_to_the_first_step(client, line_manager, individual, step):
    conversation = ConversationFactory(
        individual=individual, facilitator=line_manager, planned_for=datetime.date(2026, 12, 3)
    )
    client.force_login(line_manager)

    response = client.get(_step_url(conversation, step))

    assert response.url == _step_url(conversation, "held")


def test_the_first_step_suggests_the_planned_date_once_it_has_passed(client, line_manager, conversation):
    client.force_login(line_manager)

    response = client.get(_step_url(conversation, "held"))

    content = _content(response)
    assert 'name="held_on-day" value="20"' in content
    assert 'name="held_on-month" value="11"' in content


def test_an_unknown_step_is_not_found(client, line_manager, conversation):
    client.force_login(line_manager)

    assert client.get(_step_url(conversation, "salary")).status_code == 404


def test_a_cancelled_conversation_cannot_be_recorded(client, line_manager, conversation):
    conversation.status = Conversation.Status.CANCELLED
    conversation.save()
    client.force_login(line_manager)

    responses = [
        client.get(_step_url(conversation, "held")),
        client.post(_step_url(conversation, "held"), _step_data()["held"]),
        client.post(_check_url(conversation)),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404]
    assert ConversationRecord.objects.count() == 0


def test_a_forged_post_for_someone_elses_conversation_changes_nothing(client, line_manager, conversation):
    _complete_draft(client, line_manager, conversation)
    someone_else = ConversationFactory(planned_for=HELD_ON)
    before = _change_snapshot()

    responses = [
        client.post(_step_url(someone_else, "held"), _step_data()["held"]),
        client.post(_step_url(someone_else, "plan"), {**_action_data(), "add": "1"}),
        client.post(_check_url(someone_else)),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404]
    assert _change_snapshot() == before
    assert f"conversation_record_draft:{someone_else.pk}" not in client.session


# Recording: amending a record (a new version) --------------------------------------------------


@pytest.fixture
def disagreed_record(conversation, individual):
    dimension = LeadershipDimension.objects.get(code="HOLDING_TO_ACCOUNT")
    record = ConversationRecordFactory(
        conversation=conversation,
        held_on=HELD_ON,
        next_conversation_due=datetime.date(2027, 11, 1),
        individual_response=ConversationRecord.Response.NOT_AGREED,
        individual_comment="My target is wrong",
    )
    record.strength_dimensions.set([dimension])
    conversation.status = Conversation.Status.NOT_AGREED
    conversation.save()
    DevelopmentActionFactory(
        conversation=conversation, description="Existing action", due_on=datetime.date(2026, 11, 25)
    )
    DevelopmentActionFactory(
        conversation=conversation, description="Dropped earlier", status=DevelopmentAction.Status.DROPPED
    )
    return record


def test_amending_prefills_the_latest_version_and_asks_what_changed(
    client, line_manager, individual, conversation, disagreed_record
):
    client.force_login(line_manager)

    first = client.get(_step_url(conversation, "held"))
    check = client.get(_check_url(conversation))
    strengths = client.get(_step_url(conversation, "strengths"))
    plan = client.get(_step_url(conversation, "plan"))
    next_page = client.get(_step_url(conversation, "next"))

    assert 'name="held_on-day" value="20"' in _content(first)
    assert check.url == _step_url(conversation, "next")
    assert "Calm under pressure; mentors new starters</textarea>" in _content(strengths)
    assert 'value="{}" checked'.format(
        LeadershipDimension.objects.get(code="HOLDING_TO_ACCOUNT").pk
    ) in _content(strengths)
    assert "Existing action" in _content(plan)
    assert "Dropped earlier" not in _content(plan)
    assert 'name="next_conversation_due-month" value="11"' in _content(next_page)
    assert f"{individual} will see what you write here" in _content(next_page)
    assert AuditEvent.objects.filter(verb="conversation_record_amend_start", actor=line_manager).count() == 1

    missing_reason = client.post(
        _step_url(conversation, "next"), _date("next_conversation_due", datetime.date(2027, 11, 1))
    )
    assert _error_summary(missing_reason) == ["Enter what changed and why"]


def test_amending_saves_version_2_and_keeps_the_existing_action(
    client, line_manager, conversation, disagreed_record
):
    existing = conversation.actions.get(description="Existing action")
    dropped = conversation.actions.get(description="Dropped earlier")
    client.force_login(line_manager)
    client.get(_step_url(conversation, "held"))
    levels = _levels()

    client.post(
        _step_url(conversation, "position"),
        {**_step_data()["position"], "target_impact_level": str(levels[2].pk)},
    )
    # An action carried over may already be past its due date, as long as it is after the conversation.
    changed = client.post(
        _step_url(conversation, "plan"),
        {
            **_action_data(
                description="Existing action, extended", **_date("due_on", datetime.date(2026, 11, 26))
            ),
            "index": "1",
            "continue": "1",
        },
    )
    assert changed.url == _check_url(conversation) or changed.url == _step_url(conversation, "next")
    client.post(
        _step_url(conversation, "next"),
        {
            **_date("next_conversation_due", datetime.date(2027, 11, 1)),
            "change_reason": "Target level raised as agreed",
        },
    )
    check = client.get(_check_url(conversation))
    assert "What changed and why Target level raised as agreed" in _text(_content(check))
    saved = client.post(_check_url(conversation))

    assert saved.url == _detail_url(conversation)
    latest = conversation.records.order_by("-version").first()
    assert latest.version == 2
    assert latest.change_reason == "Target level raised as agreed"
    assert latest.target_impact_level == levels[2]
    assert [d.code for d in latest.strength_dimensions.all()] == ["HOLDING_TO_ACCOUNT"]
    disagreed_record.refresh_from_db()
    assert disagreed_record.individual_comment == "My target is wrong"
    existing.refresh_from_db()
    assert (existing.description, existing.due_on) == (
        "Existing action, extended",
        datetime.date(2026, 11, 26),
    )
    assert not DevelopmentAction.objects.filter(pk=dropped.pk).exists()
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.AWAITING_AGREEMENT


def test_an_agreed_record_is_changed_only_as_a_new_version(client, line_manager, conversation):
    record = ConversationRecordFactory(
        conversation=conversation, held_on=HELD_ON, individual_response=ConversationRecord.Response.AGREED
    )
    conversation.status = Conversation.Status.AGREED
    conversation.agreed_at = timezone.now()
    conversation.save()
    client.force_login(line_manager)
    client.get(_step_url(conversation, "held"))
    client.post(
        _step_url(conversation, "next"),
        {**_date("next_conversation_due", datetime.date(2027, 6, 1)), "change_reason": "Earlier review"},
    )

    client.post(_check_url(conversation))

    record.refresh_from_db()
    assert record.next_conversation_due == datetime.date(2027, 11, 20)
    assert record.individual_response == ConversationRecord.Response.AGREED
    assert list(conversation.records.order_by("version").values_list("version", "next_conversation_due")) == [
        (1, datetime.date(2027, 11, 20)),
        (2, datetime.date(2027, 6, 1)),
    ]
