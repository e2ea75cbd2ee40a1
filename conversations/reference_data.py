"""Seed data for Scope for Growth: HLM dimensions, barrier codes and a first framework version.

The NHS Healthcare Leadership Model (NHS Leadership Academy, 2013) has nine dimensions. The
framework's impact-level labels are NOT published by NHS England (see the domain research), so the
first version carries plain working labels that a system administrator is expected to replace.
"""

import datetime

LEADERSHIP_DIMENSIONS = [
    ("INSPIRING_SHARED_PURPOSE", "Inspiring shared purpose"),
    ("LEADING_WITH_CARE", "Leading with care"),
    ("EVALUATING_INFORMATION", "Evaluating information"),
    ("CONNECTING_OUR_SERVICE", "Connecting our service"),
    ("SHARING_THE_VISION", "Sharing the vision"),
    ("ENGAGING_THE_TEAM", "Engaging the team"),
    ("HOLDING_TO_ACCOUNT", "Holding to account"),
    ("DEVELOPING_CAPABILITY", "Developing capability"),
    ("INFLUENCING_FOR_RESULTS", "Influencing for results"),
]

BARRIER_TYPES = [
    ("WORKLOAD_TIME", "Workload or time"),
    ("CARING_RESPONSIBILITIES", "Caring responsibilities"),
    ("HEALTH_OR_DISABILITY", "Health or disability"),
    ("ACCESS_TO_DEVELOPMENT", "Access to development opportunities"),
    ("FUNDING", "Funding"),
    ("CONFIDENCE", "Confidence"),
    ("PERCEIVED_BIAS_OR_DISCRIMINATION", "Bias or discrimination"),
    ("LOCATION_OR_FLEXIBILITY", "Location or flexible working"),
    ("LACK_OF_OPPORTUNITIES", "Lack of suitable roles or opportunities"),
    ("OTHER", "Something else"),
]

FIRST_FRAMEWORK_VERSION = {
    "name": "Scope for Growth framework (working labels)",
    "effective_from": datetime.date(2021, 7, 1),
    "description": (
        "Working labels for the impact axis. The official Scope for Growth wording is not published; "
        "a system administrator should replace these labels when the organisation adopts it."
    ),
}

IMPACT_LEVELS = [
    (1, "Building impact", "Growing capability and contribution in the current role."),
    (2, "Established impact", "Consistent capability and contribution to the team and organisation."),
    (3, "Wide impact", "Strong capability and contribution beyond the team, to the wider system."),
]


def load(apps) -> None:
    """Create or update the seed rows; safe to run more than once."""
    leadership_dimension = apps.get_model("conversations", "LeadershipDimension")
    barrier_type = apps.get_model("conversations", "BarrierType")
    framework_version = apps.get_model("conversations", "FrameworkVersion")
    impact_level = apps.get_model("conversations", "ImpactLevel")

    for order, (code, name) in enumerate(LEADERSHIP_DIMENSIONS, start=1):
        leadership_dimension.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    for order, (code, name) in enumerate(BARRIER_TYPES, start=1):
        barrier_type.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    version, _ = framework_version.objects.get_or_create(
        effective_from=FIRST_FRAMEWORK_VERSION["effective_from"],
        defaults={
            "name": FIRST_FRAMEWORK_VERSION["name"],
            "description": FIRST_FRAMEWORK_VERSION["description"],
        },
    )
    for order, label, description in IMPACT_LEVELS:
        impact_level.objects.get_or_create(
            framework_version=version, order=order, defaults={"label": label, "description": description}
        )
