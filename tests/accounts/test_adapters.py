from django.urls import reverse

from accounts.models import User
from core.models import AuditEvent
from tests.accounts.factories import TEST_PASSWORD


def test_signing_in_and_out_is_audited(client, individual):
    client.post(reverse("account_login"), {"login": individual.email, "password": TEST_PASSWORD})
    client.post(reverse("account_logout"))

    events = list(AuditEvent.objects.order_by("id").values_list("verb", "actor", "object_id", "ip_address"))
    assert events == [
        ("user_sign_in", individual.pk, str(individual.pk), "127.0.0.1"),
        ("user_sign_out", individual.pk, str(individual.pk), "127.0.0.1"),
    ]


def test_nobody_can_sign_themselves_up(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "new.person@nhs.test", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
    )

    assert response.status_code == 200
    assert "account/signup_closed" in response.templates[0].name
    assert not User.objects.filter(email="new.person@nhs.test").exists()
