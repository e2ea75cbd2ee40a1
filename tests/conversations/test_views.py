from django.urls import reverse

from tests.accounts.factories import UserFactory


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
