"""Shared fixtures: one person for each role, built with factories."""

import pytest

from accounts.models import Role, Scope
from tests.accounts.factories import (
    OrganisationFactory,
    RoleAssignmentFactory,
    StaffProfileFactory,
    UserFactory,
    give_totp,
)


@pytest.fixture
def organisation(db):
    return OrganisationFactory(code="RRE", name="Midlands Partnership University NHS Foundation Trust")


@pytest.fixture
def individual(organisation):
    return StaffProfileFactory(
        user__email="individual@nhs.test", user__first_name="Imani", organisation=organisation
    ).user


@pytest.fixture
def line_manager(organisation, individual):
    manager = StaffProfileFactory(
        user__email="manager@nhs.test",
        user__first_name="Morgan",
        organisation=organisation,
        job_title="Ward manager",
    ).user
    profile = individual.staff_profile
    profile.line_manager = manager
    profile.save()
    return manager


@pytest.fixture
def talent_lead(organisation):
    user = StaffProfileFactory(user__email="talent.lead@nhs.test", organisation=organisation).user
    RoleAssignmentFactory(
        user=user, role=Role.TALENT_LEAD, scope=Scope.ORGANISATION, organisation=organisation
    )
    return user


@pytest.fixture
def talent_lead_with_mfa(talent_lead):
    give_totp(talent_lead)
    return talent_lead


@pytest.fixture
def hps_administrator(db):
    user = UserFactory(email="hps.admin@nhs.test")
    RoleAssignmentFactory(user=user, role=Role.HPS_ADMINISTRATOR, scope=Scope.NATIONAL)
    return user


@pytest.fixture
def coach(db):
    user = UserFactory(email="coach@nhs.test")
    RoleAssignmentFactory(user=user, role=Role.COACH, scope=Scope.NATIONAL)
    return user


@pytest.fixture
def system_administrator(db):
    return UserFactory(email="sysadmin@nhs.test", is_staff=True, is_superuser=True)


@pytest.fixture
def system_administrator_with_mfa(system_administrator):
    give_totp(system_administrator)
    return system_administrator


@pytest.fixture
def stranger(db):
    """Someone with an account and no relationship to anyone in the other fixtures."""
    return StaffProfileFactory(user__email="stranger@nhs.test").user


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Seeded reference data for every database test.

    Migrations seed it, but transactional tests (live server, browser) empty the tables when they
    finish, so reload it when it is missing.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or "transactional_db" in request.fixturenames
    if marker is not None:
        transactional = transactional or marker.kwargs.get("transaction", False)
    elif not transactional and "db" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db" if transactional else "db")

    from django.apps import apps

    from accounts.models import Region
    from accounts.reference_data import load_reference_data
    from conversations import reference_data as conversation_reference_data

    if not Region.objects.exists():
        load_reference_data(apps)
        conversation_reference_data.load(apps)
