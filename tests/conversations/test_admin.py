import pytest
from django.urls import reverse

from conversations.models import FrameworkVersion, ImpactLevel
from core.models import AuditEvent


@pytest.fixture
def admin_client(client, system_administrator_with_mfa):
    client.force_login(system_administrator_with_mfa)
    return client


def test_system_administrator_renames_an_impact_level(admin_client):
    version = FrameworkVersion.objects.get()
    levels = list(version.impact_levels.order_by("order"))
    data = {
        "name": version.name,
        "effective_from": version.effective_from.isoformat(),
        "description": version.description,
        "impact_levels-TOTAL_FORMS": "3",
        "impact_levels-INITIAL_FORMS": "3",
        "impact_levels-MIN_NUM_FORMS": "0",
        "impact_levels-MAX_NUM_FORMS": "1000",
    }
    for index, level in enumerate(levels):
        data |= {
            f"impact_levels-{index}-id": str(level.pk),
            f"impact_levels-{index}-framework_version": str(version.pk),
            f"impact_levels-{index}-order": str(level.order),
            f"impact_levels-{index}-label": "Emerging impact" if index == 0 else level.label,
            f"impact_levels-{index}-description": level.description,
        }

    response = admin_client.post(
        reverse("admin:conversations_frameworkversion_change", args=[version.pk]), data
    )

    assert response.status_code == 302
    assert list(ImpactLevel.objects.order_by("order").values_list("label", flat=True)) == [
        "Emerging impact",
        "Established impact",
        "Wide impact",
    ]
    event = AuditEvent.objects.get(verb="admin_impactlevel_change")
    assert event.before["label"] == "Building impact"
    assert event.after["label"] == "Emerging impact"


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:conversations_frameworkversion_changelist",
        "admin:conversations_leadershipdimension_changelist",
        "admin:conversations_barriertype_changelist",
    ],
)
def test_reference_lists_render_for_a_system_administrator(admin_client, url_name):
    assert admin_client.get(reverse(url_name)).status_code == 200


def test_nobody_else_reaches_the_framework_admin(client, talent_lead_with_mfa):
    client.force_login(talent_lead_with_mfa)

    response = client.get(reverse("admin:conversations_frameworkversion_changelist"), follow=True)

    assert response.status_code == 403
    assert "Emerging impact" not in response.content.decode()
