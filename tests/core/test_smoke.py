import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_shows_equality_link_to_individual(client, individual):
    client.force_login(individual)

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    assert "Your equality monitoring information" in response.content.decode()
