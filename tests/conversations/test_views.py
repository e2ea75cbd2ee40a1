import pytest
from django.urls import reverse

from tests.accounts.factories import PayBandFactory, StaffProfileFactory, UserFactory


def _reports(manager, count, organisation):
    return [
        StaffProfileFactory(
            user__last_name=f"Report{index:03d}", line_manager=manager, organisation=organisation
        )
        for index in range(count)
    ]


@pytest.mark.parametrize(
    ("role", "expected_status"),
    [
        ("individual", 404),
        ("line_manager", 200),
        ("coach", 200),
        ("talent_lead_with_mfa", 404),
        ("stranger", 404),
    ],
)
def test_team_page_by_role(client, request, line_manager, role, expected_status):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("conversations:team"))

    assert response.status_code == expected_status


def test_team_lists_only_current_active_direct_reports(client, line_manager, individual, organisation):
    StaffProfileFactory(user__last_name="Leaver", line_manager=line_manager, is_active=False)
    StaffProfileFactory(user__last_name="Elsewhere")
    client.force_login(line_manager)

    response = client.get(reverse("conversations:team"))

    assert [profile.user for profile in response.context["page"].object_list] == [individual]
    content = response.content.decode()
    assert "1 person reports to you." in content
    assert "Leaver" not in content
    assert "Elsewhere" not in content


@pytest.mark.parametrize("report_count", [5, 60])
def test_team_page_query_count_does_not_grow_with_team_size(
    client, django_assert_num_queries, line_manager, organisation, report_count
):
    _reports(line_manager, report_count, organisation)
    client.force_login(line_manager)
    client.get(reverse("conversations:team"))

    with django_assert_num_queries(6):
        response = client.get(reverse("conversations:team"))

    assert response.status_code == 200


def test_team_is_paginated_and_sortable_by_band(client, line_manager, organisation, individual):
    reports = _reports(line_manager, 30, organisation)
    senior = reports[0]
    senior.pay_band = PayBandFactory(code="AFC8A", name="Band 8a", sort_order=81)
    senior.save()
    client.force_login(line_manager)

    first_page = client.get(reverse("conversations:team"), {"sort": "band"})
    second_page = client.get(reverse("conversations:team"), {"sort": "band", "page": 2})

    assert len(first_page.context["page"].object_list) == 25
    assert len(second_page.context["page"].object_list) == 6
    assert list(second_page.context["page"].object_list)[-1] == senior
    assert 'href="?sort=band&amp;page=2"' in first_page.content.decode()


def test_unknown_sort_falls_back_to_name(client, line_manager):
    client.force_login(line_manager)

    response = client.get(reverse("conversations:team"), {"sort": "password"})

    assert response.context["ordering"] == "name"


def test_growth_shows_own_role_details(client, line_manager, individual):
    client.force_login(individual)

    response = client.get(reverse("conversations:growth"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Staff nurse" in content
    assert "Midlands Partnership University NHS Foundation Trust" in content
    assert str(line_manager) in content


def test_growth_is_not_found_without_a_staff_record(client, db):
    client.force_login(UserFactory())

    response = client.get(reverse("conversations:growth"))

    assert response.status_code == 404
