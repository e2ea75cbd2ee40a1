import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts import rules as account_rules
from accounts.models import Organisation, Role, Scope, User
from accounts.selectors import organisations_in_scope
from tests.accounts.factories import (
    EqualityProfileFactory,
    IntegratedCareSystemFactory,
    OrganisationFactory,
    RegionFactory,
    RoleAssignmentFactory,
    StaffProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "individual",
    "line_manager",
    "talent_lead",
    "hps_administrator",
    "coach",
    "system_administrator",
    "stranger",
    "anonymous",
]


@pytest.fixture
def anonymous():
    return AnonymousUser()


def _person(request, role):
    return request.getfixturevalue(role)


def _fresh(user):
    """The same person loaded again, without the role and line manager answers cached on the object."""
    return User.objects.get(pk=user.pk)


def _yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def _tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


# Which role fixtures each predicate is true for; false for every other fixture.
PREDICATES = {
    "is_system_administrator": {"system_administrator"},
    "is_talent_lead": {"talent_lead"},
    "is_hps_administrator": {"hps_administrator"},
    "is_coach": {"coach"},
    "has_staff_profile": {"individual", "line_manager", "talent_lead", "stranger"},
    "is_line_manager": {"line_manager"},
}


@pytest.mark.parametrize("predicate_name", PREDICATES)
@pytest.mark.parametrize("role", ROLES)
def test_predicate_for_each_role(request, predicate_name, role):
    user = _person(request, role)
    predicate = getattr(account_rules, predicate_name)

    assert predicate.test(user) is (role in PREDICATES[predicate_name])


# Which role fixtures hold each permission. These come from `rules` alone: a superuser gets no bypass.
PERMISSIONS = {
    "accounts.change_own_equality_profile": set(ROLES) - {"anonymous"},
    "conversations.view_own_growth": {"individual", "line_manager", "talent_lead", "stranger"},
    "conversations.view_team": {"line_manager", "coach"},
    "reporting.view_dashboards": {"talent_lead"},
    "hps.view_scheme": set(ROLES) - {"anonymous"},
    "hps.administer_cohorts": {"hps_administrator"},
    "hps.coach_participants": {"coach"},
    "core.use_admin": {"system_administrator"},
}


@pytest.mark.parametrize("permission", PERMISSIONS)
@pytest.mark.parametrize("role", ROLES)
def test_permission_for_each_role(request, permission, role):
    user = _person(request, role)

    assert user.has_perm(permission) is (role in PERMISSIONS[permission])


@pytest.mark.parametrize("permission", ["accounts.view_equality_profile", "accounts.change_equality_profile"])
@pytest.mark.parametrize("role", ROLES)
def test_only_the_owner_passes_the_equality_profile_rule(request, individual, permission, role):
    profile = EqualityProfileFactory(user=individual)
    user = _person(request, role)

    assert account_rules.is_equality_profile_owner.test(user, profile) is (role == "individual")
    assert user.has_perm(permission, profile) is (role == "individual")


def test_no_equality_profile_has_no_owner(individual):
    assert account_rules.is_equality_profile_owner.test(individual, None) is False


@pytest.mark.parametrize(
    ("role", "predicate_name", "permission"),
    [
        (Role.TALENT_LEAD, "is_talent_lead", "reporting.view_dashboards"),
        (Role.HPS_ADMINISTRATOR, "is_hps_administrator", "hps.administer_cohorts"),
        (Role.COACH, "is_coach", "hps.coach_participants"),
    ],
)
@pytest.mark.parametrize(
    ("valid_from", "valid_to", "is_current"),
    [
        (datetime.date(2020, 1, 1), None, True),
        (datetime.date(2020, 1, 1), "today", True),
        ("today", None, True),
        (datetime.date(2020, 1, 1), "yesterday", False),
        ("tomorrow", None, False),
    ],
)
def test_only_current_role_assignments_count(
    role, predicate_name, permission, valid_from, valid_to, is_current
):
    dates = {"today": timezone.localdate(), "yesterday": _yesterday(), "tomorrow": _tomorrow(), None: None}
    user = UserFactory()
    RoleAssignmentFactory(
        user=user,
        role=role,
        scope=Scope.NATIONAL,
        valid_from=dates.get(valid_from, valid_from),
        valid_to=dates.get(valid_to, valid_to),
    )
    user = _fresh(user)

    assert getattr(account_rules, predicate_name).test(user) is is_current
    assert user.has_perm(permission) is is_current


def test_an_inactive_staff_profile_is_no_staff_profile(individual):
    individual.staff_profile.is_active = False
    individual.staff_profile.save()

    assert account_rules.has_staff_profile.test(_fresh(individual)) is False
    assert _fresh(individual).has_perm("conversations.view_own_growth") is False


def test_a_manager_of_inactive_staff_only_is_not_a_line_manager(line_manager, individual):
    individual.staff_profile.is_active = False
    individual.staff_profile.save()

    assert account_rules.is_line_manager.test(_fresh(line_manager)) is False
    assert _fresh(line_manager).has_perm("conversations.view_team") is False


def test_an_inactive_superuser_is_not_a_system_administrator(system_administrator):
    system_administrator.is_active = False
    system_administrator.save()

    assert account_rules.is_system_administrator.test(system_administrator) is False
    assert system_administrator.has_perm("core.use_admin") is False


def test_a_staff_member_who_is_not_a_superuser_is_not_a_system_administrator():
    user = UserFactory(is_staff=True, is_superuser=False)

    assert account_rules.is_system_administrator.test(user) is False
    assert user.has_perm("core.use_admin") is False


# --- organisations_in_scope ------------------------------------------------------------------------


@pytest.fixture
def organisations():
    """Two trusts in Staffordshire and Stoke-on-Trent, one in Shropshire (Midlands), one in Cheshire
    and Merseyside (North West)."""
    midlands = RegionFactory(code="Y60", name="Midlands")
    north_west = RegionFactory(code="Y62", name="North West")
    staffordshire = IntegratedCareSystemFactory(
        code="QNC", ons_code="E54000010", name="Staffordshire and Stoke-on-Trent", region=midlands
    )
    shropshire = IntegratedCareSystemFactory(
        code="QOC", ons_code="E54000011", name="Shropshire, Telford and Wrekin", region=midlands
    )
    cheshire = IntegratedCareSystemFactory(
        code="QYG", ons_code="E54000008", name="Cheshire and Merseyside", region=north_west
    )
    return {
        "stoke": OrganisationFactory(code="RJE", integrated_care_system=staffordshire),
        "stafford": OrganisationFactory(code="RLY", integrated_care_system=staffordshire),
        "shrewsbury": OrganisationFactory(code="RXW", integrated_care_system=shropshire),
        "wirral": OrganisationFactory(code="RBL", integrated_care_system=cheshire),
    }


def _codes(queryset):
    return set(queryset.values_list("code", flat=True))


def _talent_lead(**assignment):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.TALENT_LEAD, **assignment)
    return _fresh(user)


def test_national_talent_lead_covers_every_organisation(organisations):
    user = _talent_lead(scope=Scope.NATIONAL)

    assert _codes(organisations_in_scope(user)) == set(Organisation.objects.values_list("code", flat=True))
    assert {"RJE", "RLY", "RXW", "RBL"} <= _codes(organisations_in_scope(user))


def test_regional_talent_lead_covers_the_organisations_of_the_regions_systems(organisations):
    user = _talent_lead(scope=Scope.REGION, region=organisations["stoke"].integrated_care_system.region)

    assert _codes(organisations_in_scope(user)) >= {"RJE", "RLY", "RXW"}
    assert "RBL" not in _codes(organisations_in_scope(user))
    assert not organisations_in_scope(user).exclude(integrated_care_system__region__code="Y60").exists()


def test_system_talent_lead_covers_the_systems_organisations(organisations):
    user = _talent_lead(
        scope=Scope.ICS, integrated_care_system=organisations["shrewsbury"].integrated_care_system
    )

    assert _codes(organisations_in_scope(user)) == {"RXW"}


def test_organisation_talent_lead_covers_only_that_organisation(organisations):
    user = _talent_lead(scope=Scope.ORGANISATION, organisation=organisations["stafford"])

    assert _codes(organisations_in_scope(user)) == {"RLY"}


def test_several_assignments_cover_all_their_organisations(organisations):
    user = UserFactory()
    RoleAssignmentFactory(
        user=user, role=Role.TALENT_LEAD, scope=Scope.ORGANISATION, organisation=organisations["wirral"]
    )
    RoleAssignmentFactory(
        user=user,
        role=Role.TALENT_LEAD,
        scope=Scope.ICS,
        integrated_care_system=organisations["shrewsbury"].integrated_care_system,
    )

    assert _codes(organisations_in_scope(_fresh(user))) == {"RBL", "RXW"}


def test_expired_and_future_assignments_cover_nothing(organisations):
    user = UserFactory()
    RoleAssignmentFactory(
        user=user,
        role=Role.TALENT_LEAD,
        scope=Scope.NATIONAL,
        valid_from=datetime.date(2023, 1, 1),
        valid_to=_yesterday(),
    )
    RoleAssignmentFactory(
        user=user,
        role=Role.TALENT_LEAD,
        scope=Scope.ORGANISATION,
        organisation=organisations["stoke"],
        valid_from=_tomorrow(),
    )

    assert _codes(organisations_in_scope(_fresh(user))) == set()


def test_other_roles_give_no_talent_lead_scope(organisations, coach, individual):
    assert _codes(organisations_in_scope(_fresh(coach))) == set()
    assert _codes(organisations_in_scope(_fresh(coach), role=Role.COACH)) == set(
        Organisation.objects.values_list("code", flat=True)
    )
    assert _codes(organisations_in_scope(_fresh(individual))) == set()
    assert _codes(organisations_in_scope(AnonymousUser())) == set()


def test_the_talent_lead_fixture_covers_their_organisation(talent_lead, organisation):
    StaffProfileFactory(organisation=OrganisationFactory(code="RRE"))

    assert _codes(organisations_in_scope(_fresh(talent_lead))) == {organisation.code}


def test_scope_costs_two_queries_whatever_the_number_of_assignments(organisations, django_assert_num_queries):
    user = UserFactory()
    for organisation in organisations.values():
        RoleAssignmentFactory(
            user=user, role=Role.TALENT_LEAD, scope=Scope.ORGANISATION, organisation=organisation
        )
    user = _fresh(user)

    with django_assert_num_queries(2):
        assert len(list(organisations_in_scope(user))) == 4
