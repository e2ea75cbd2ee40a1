import pytest
from django.urls import reverse


def _link_titles(response):
    return [link.title for link in response.context["links"]]


@pytest.mark.parametrize(
    ("role", "expected_titles"),
    [
        ("individual", ["Your growth", "High Potential Scheme", "Your equality monitoring information"]),
        (
            "line_manager",
            ["Your growth", "Your team", "High Potential Scheme", "Your equality monitoring information"],
        ),
        (
            "coach",
            [
                "Your team",
                "High Potential Scheme",
                "Your participants",
                "Your equality monitoring information",
            ],
        ),
        (
            "talent_lead_with_mfa",
            [
                "Your growth",
                "Talent pools",
                "Succession",
                "Talent dashboards",
                "High Potential Scheme",
                "Your equality monitoring information",
            ],
        ),
        (
            "system_administrator_with_mfa",
            ["High Potential Scheme", "Your equality monitoring information", "Administration"],
        ),
    ],
)
def test_home_offers_what_each_role_allows(client, request, line_manager, role, expected_titles):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    assert _link_titles(response) == expected_titles


def test_home_navigation_marks_home_as_current(client, line_manager):
    client.force_login(line_manager)

    response = client.get(reverse("core:home"))

    content = response.content.decode()
    assert 'href="/" aria-current="page"' in content
    assert '<a class="nhsuk-header__navigation-link" href="/team/">Your team</a>' in content


def test_home_query_count_is_fixed(client, django_assert_num_queries, line_manager):
    client.force_login(line_manager)
    client.get(reverse("core:home"))

    with django_assert_num_queries(4):
        client.get(reverse("core:home"))


def test_home_redirects_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("core:home"))

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/"


def test_only_the_most_specific_area_is_marked_current(client, coach):
    client.force_login(coach)

    content = client.get(reverse("hps:coach_participants")).content.decode()

    assert content.count('aria-current="page"') == 1
    assert 'href="/hps/coaching/" aria-current="page"' in content
