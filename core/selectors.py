"""What the home page offers a person, decided by their permissions."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class HomeLink:
    title: str
    description: str
    url: str
    in_navigation: bool


@dataclass(frozen=True)
class NavigationItem:
    title: str
    url: str
    is_current: bool


# (permission, title, description, url name, in the header navigation).
# A link whose page is not served by this deployment (no URL) is left out.
_LINKS = [
    (
        "conversations.view_own_growth",
        "Your growth",
        "Prepare for a career conversation, agree your record and keep your development plan up to date.",
        "conversations:growth",
        True,
    ),
    (
        "conversations.view_team",
        "Your team",
        "See your team's career conversations: who is due, overdue or waiting to agree their record.",
        "conversations:team",
        True,
    ),
    (
        "conversations.manage_talent",
        "Talent pools",
        "Run the talent pools of your organisations and see who has been nominated to them.",
        "conversations:talent_pool_list",
        True,
    ),
    (
        "conversations.manage_talent",
        "Succession",
        "Keep the register of critical roles and who could succeed to them, and when they will be ready.",
        "conversations:critical_role_list",
        False,
    ),
    (
        "reporting.view_dashboards",
        "Talent dashboards",
        "Coverage, talent pipeline, succession and the High Potential Scheme funnel, anonymised.",
        "reporting:dashboard",
        True,
    ),
    (
        "hps.view_scheme",
        "High Potential Scheme",
        "Apply to the scheme, support an applicant as a sponsor, or follow your progress as a participant.",
        "hps:home",
        True,
    ),
    (
        "hps.administer_cohorts",
        "Run High Potential Scheme intakes",
        "Set up cohorts and take applications from eligibility to offer.",
        "hps:cohort_list",
        False,
    ),
    (
        "hps.coach_participants",
        "Your participants",
        "The High Potential Scheme participants you coach: log your sessions and see their plans.",
        "hps:coach_participants",
        True,
    ),
    (
        "accounts.change_own_equality_profile",
        "Your equality monitoring information",
        "Tell us about yourself so we can check the service is fair. Every question can be answered "
        "'prefer not to say'.",
        "accounts:equality_profile",
        False,
    ),
    (
        "core.use_admin",
        "Administration",
        "Manage users, organisations, roles and reference data.",
        "admin:index",
        False,
    ),
]


def home_links_for(user) -> list[HomeLink]:
    links = []
    for permission, title, description, url_name, in_navigation in _LINKS:
        if not user.has_perm(permission):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        links.append(HomeLink(title=title, description=description, url=url, in_navigation=in_navigation))
    return links


def navigation_items_for(user, current_path: str) -> list[NavigationItem]:
    """Header navigation: Home, then the main areas the person may use."""
    home_url = reverse("core:home")
    links = [link for link in home_links_for(user) if link.in_navigation]
    # Only the most specific area is current: /hps/coaching/ is "Your participants", not also /hps/.
    current_url = max(
        (link.url for link in links if current_path.startswith(link.url)), key=len, default=None
    )
    items = [NavigationItem(title="Home", url=home_url, is_current=current_path == home_url)]
    items += [
        NavigationItem(title=link.title, url=link.url, is_current=link.url == current_url) for link in links
    ]
    return items
