import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import (
    EqualityProfile,
    IntegratedCareSystem,
    Organisation,
    OrganisationType,
    PayBand,
    Region,
    Role,
    RoleAssignment,
    Scope,
    StaffGroup,
    StaffProfile,
    User,
)
from core.models import AuditEvent
from tests.accounts.factories import (
    EqualityProfileFactory,
    OrganisationFactory,
    RoleAssignmentFactory,
    StaffProfileFactory,
    UserFactory,
    give_totp,
)

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:accounts_user_changelist",
    "admin:accounts_staffprofile_changelist",
    "admin:accounts_roleassignment_changelist",
    "admin:accounts_organisation_changelist",
    "admin:accounts_region_changelist",
    "admin:accounts_integratedcaresystem_changelist",
    "admin:accounts_organisationtype_changelist",
    "admin:accounts_payband_changelist",
    "admin:accounts_staffgroup_changelist",
    "admin:core_auditevent_changelist",
]


@pytest.fixture
def admin_client(client, system_administrator_with_mfa):
    client.force_login(system_administrator_with_mfa)
    return client


@pytest.fixture
def twenty_people(organisation, line_manager):
    """Twenty more people, each with an organisation of their own, a role and an audit event, so every
    list page has twenty rows and would show N+1 queries."""
    people = []
    for number in range(20):
        profile = StaffProfileFactory(
            user__email=f"person.{number}@nhs.test",
            organisation=OrganisationFactory(),
            line_manager=line_manager,
        )
        RoleAssignmentFactory(
            user=profile.user, role=Role.COACH, scope=Scope.ORGANISATION, organisation=organisation
        )
        AuditEvent.objects.create(actor=profile.user, action=AuditEvent.Action.OTHER, verb="test_event")
        people.append(profile.user)
    return people


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_system_administrator_sees_every_list(admin_client, twenty_people, url_name):
    response = admin_client.get(reverse(url_name))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        ("admin:accounts_user_changelist", 9),
        ("admin:accounts_staffprofile_changelist", 11),
        ("admin:accounts_roleassignment_changelist", 9),
        ("admin:accounts_organisation_changelist", 11),
        ("admin:core_auditevent_changelist", 8),
    ],
)
def test_list_query_counts_do_not_grow_with_the_rows(
    admin_client,
    twenty_people,
    organisation,
    django_assert_num_queries,
    django_assert_max_num_queries,
    url_name,
    queries,
):
    with django_assert_num_queries(queries):
        response = admin_client.get(reverse(url_name))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= 20

    for number in range(10):
        profile = StaffProfileFactory(
            user__email=f"later.{number}@nhs.test", organisation=OrganisationFactory()
        )
        RoleAssignmentFactory(
            user=profile.user, role=Role.COACH, scope=Scope.ORGANISATION, organisation=organisation
        )
        AuditEvent.objects.create(actor=profile.user, action=AuditEvent.Action.OTHER, verb="test_event")
    # The session was saved on the first visit, so this visit may skip that write.
    with django_assert_max_num_queries(queries):
        response = admin_client.get(reverse(url_name))
    assert response.status_code == 200


def test_user_list_shows_people_by_email_with_their_organisation(admin_client, twenty_people):
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": "person.1"})

    emails = [user.email for user in response.context["cl"].result_list]
    assert emails == sorted(emails)
    assert set(emails) == {"person.1@nhs.test", *(f"person.{number}@nhs.test" for number in range(10, 20))}
    assert twenty_people[1].staff_profile.organisation.name in response.content.decode()


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:accounts_user_add",
        "admin:accounts_staffprofile_add",
        "admin:accounts_roleassignment_add",
        "admin:accounts_organisation_add",
        "admin:accounts_region_add",
        "admin:accounts_integratedcaresystem_add",
        "admin:accounts_organisationtype_add",
        "admin:accounts_payband_add",
        "admin:accounts_staffgroup_add",
    ],
)
def test_add_forms_render(admin_client, url_name):
    assert admin_client.get(reverse(url_name)).status_code == 200


def test_user_change_page_has_password_link_and_inlines_and_no_equality_data(admin_client, individual):
    EqualityProfileFactory(user=individual, religion_group="J")
    RoleAssignmentFactory(user=individual, role=Role.COACH, scope=Scope.NATIONAL)

    response = admin_client.get(reverse("admin:accounts_user_change", args=[individual.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'href="../password/"' in content
    assert [type(formset.opts).__name__ for formset in response.context["inline_admin_formsets"]] == [
        "StaffProfileInline",
        "RoleAssignmentInline",
    ]
    assert "username" not in response.context["adminform"].form.fields
    assert "equality" not in content.lower()
    assert "Zoroastrian" not in content


def test_password_change_page_renders(admin_client, individual):
    response = admin_client.get(reverse("admin:auth_user_password_change", args=[individual.pk]))

    assert response.status_code == 200
    assert individual.email in response.content.decode()


def test_equality_profiles_have_no_admin_at_all(admin_client, individual):
    profile = EqualityProfileFactory(user=individual)

    assert not admin.site.is_registered(EqualityProfile)
    for url_name, args in [
        ("admin:accounts_equalityprofile_changelist", []),
        ("admin:accounts_equalityprofile_change", [profile.pk]),
    ]:
        with pytest.raises(NoReverseMatch):
            reverse(url_name, args=args)
    assert admin_client.get("/admin/accounts/equalityprofile/").status_code == 404
    assert admin_client.get(f"/admin/accounts/equalityprofile/{profile.pk}/change/").status_code == 404
    assert "Equality" not in admin_client.get(reverse("admin:index")).content.decode()


def test_groups_are_not_offered(admin_client):
    assert not admin.site.is_registered(Group)


@pytest.mark.parametrize(
    "model",
    [
        User,
        StaffProfile,
        RoleAssignment,
        Organisation,
        Region,
        IntegratedCareSystem,
        OrganisationType,
        PayBand,
        StaffGroup,
        AuditEvent,
    ],
)
def test_every_admin_model_is_registered(model):
    assert admin.site.is_registered(model)


# --- Who may use the admin ---------------------------------------------------------------------------


@pytest.fixture
def staff_member(db):
    """`is_staff` without being a superuser (and with an authenticator app, so MFA is not the reason)."""
    user = UserFactory(email="staff.member@nhs.test", is_staff=True, is_superuser=False)
    give_totp(user)
    return user


@pytest.mark.parametrize("url_name", [*CHANGELISTS, "admin:accounts_user_add", "admin:index"])
def test_staff_member_who_is_not_a_superuser_cannot_reach_the_admin(client, staff_member, url_name):
    client.force_login(staff_member)
    url = reverse(url_name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"
    assert client.get(response["Location"]).status_code == 403


@pytest.mark.parametrize("role", ["individual", "talent_lead_with_mfa", "coach"])
def test_other_roles_cannot_reach_the_admin(request, client, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("admin:accounts_user_changelist"), follow=True)

    assert response.status_code == 403


def test_staff_member_cannot_add_a_user_by_posting(client, staff_member):
    client.force_login(staff_member)

    response = client.post(
        reverse("admin:accounts_user_add"), {"email": "new@nhs.test", "usable_password": "false"}
    )

    assert response.status_code == 302
    assert not User.objects.filter(email="new@nhs.test").exists()


def test_admin_sign_in_page_sends_people_to_the_services_sign_in(client):
    response = client.get(reverse("admin:login"), {"next": "/admin/accounts/user/"})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/accounts/user/"


def test_admin_sign_in_page_does_not_accept_passwords(client, system_administrator):
    response = client.post(
        reverse("admin:login"),
        {"username": system_administrator.email, "password": "correct-horse-battery-staple"},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_admin_sign_in_page_ignores_an_unsafe_next_address(client):
    response = client.get(reverse("admin:login"), {"next": "https://evil.example/"})

    assert response["Location"] == f"{reverse('account_login')}?next=/admin/"


def test_signed_in_system_administrator_goes_straight_to_the_admin(admin_client):
    response = admin_client.get(reverse("admin:login"), {"next": "/admin/accounts/user/"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/accounts/user/"


def test_anonymous_person_is_sent_to_the_services_sign_in(client):
    changelist = client.get(reverse("admin:accounts_user_changelist"), follow=True)
    index = client.get(reverse("admin:index"), follow=True)

    assert changelist.redirect_chain == [(f"{reverse('account_login')}?next=/admin/accounts/user/", 302)]
    assert index.redirect_chain == [
        (f"{reverse('admin:login')}?next=/admin/", 302),
        (f"{reverse('account_login')}?next=/admin/", 302),
    ]


def test_system_administrator_without_an_authenticator_app_must_set_one_up(client, system_administrator):
    client.force_login(system_administrator)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


# --- The audit trail is read-only ---------------------------------------------------------------------


@pytest.fixture
def audit_event(individual):
    return AuditEvent.objects.create(actor=individual, action=AuditEvent.Action.OTHER, verb="test_event")


def test_audit_events_cannot_be_added_changed_or_deleted(admin_client, audit_event):
    change_url = reverse("admin:core_auditevent_change", args=[audit_event.pk])

    assert admin_client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert admin_client.post(reverse("admin:core_auditevent_add"), {"verb": "forged"}).status_code == 403
    assert admin_client.post(change_url, {"verb": "forged", "action": "other"}).status_code == 403
    assert admin_client.get(reverse("admin:core_auditevent_delete", args=[audit_event.pk])).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:core_auditevent_delete", args=[audit_event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    admin_client.post(
        reverse("admin:core_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [audit_event.pk], "post": "yes"},
    )
    audit_event.refresh_from_db()
    assert audit_event.verb == "test_event"
    assert AuditEvent.objects.filter(verb="forged").count() == 0


def test_audit_event_page_is_read_only(admin_client, audit_event):
    response = admin_client.get(reverse("admin:core_auditevent_change", args=[audit_event.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' not in content
    assert "test_event" in content
    assert response.context["has_change_permission"] is False
    assert response.context["has_delete_permission"] is False


# --- Changes made in the admin ------------------------------------------------------------------------


def test_adding_a_user_stores_the_email_in_lower_case_and_audits_it(
    admin_client, system_administrator_with_mfa
):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Person@NHS.test",
            "first_name": "New",
            "last_name": "Person",
            "usable_password": "false",
        },
    )

    user = User.objects.get(email="new.person@nhs.test")
    assert response.status_code == 302
    assert not user.has_usable_password()
    event = AuditEvent.objects.get(verb="admin_user_add")
    assert (event.actor, event.action, event.object_id) == (
        system_administrator_with_mfa,
        AuditEvent.Action.CREATE,
        str(user.pk),
    )
    assert event.after["email"] == "new.person@nhs.test"
    assert "password" not in event.after


def test_an_email_address_in_use_in_another_case_is_refused(admin_client, individual):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"email": individual.email.upper(), "usable_password": "false"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "Enter an email address that no one else uses"
    ]
    assert User.objects.filter(email__iexact=individual.email).count() == 1


def _user_change_data(user, **role_rows):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "staff_profile-TOTAL_FORMS": "1",
        "staff_profile-INITIAL_FORMS": "1",
        "staff_profile-MIN_NUM_FORMS": "0",
        "staff_profile-MAX_NUM_FORMS": "1",
        "staff_profile-0-id": str(user.staff_profile.pk),
        "staff_profile-0-user": str(user.pk),
        "staff_profile-0-organisation": str(user.staff_profile.organisation_id),
        "staff_profile-0-job_title": user.staff_profile.job_title,
        "staff_profile-0-pay_band": str(user.staff_profile.pay_band_id),
        "staff_profile-0-staff_group": str(user.staff_profile.staff_group_id),
        "staff_profile-0-line_manager": "",
        "staff_profile-0-line_manager_since": "",
        "staff_profile-0-esr_assignment_number": user.staff_profile.esr_assignment_number,
        "staff_profile-0-is_active": "on",
        "role_assignments-TOTAL_FORMS": "1",
        "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-MIN_NUM_FORMS": "0",
        "role_assignments-MAX_NUM_FORMS": "1000",
        "role_assignments-0-user": str(user.pk),
        "role_assignments-0-valid_from": "2026-01-01",
    }
    data.update({f"role_assignments-0-{name}": value for name, value in role_rows.items()})
    return data


def test_giving_a_role_on_the_user_page_is_audited(admin_client, individual, organisation):
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[individual.pk]),
        _user_change_data(
            individual, role=Role.TALENT_LEAD, scope=Scope.ORGANISATION, organisation=organisation.pk
        ),
    )

    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=individual)
    assert (assignment.role, assignment.scope, assignment.organisation) == (
        Role.TALENT_LEAD,
        Scope.ORGANISATION,
        organisation,
    )
    event = AuditEvent.objects.get(verb="admin_roleassignment_add")
    assert event.object_id == str(assignment.pk)
    assert event.after["organisation"] == organisation.pk


@pytest.mark.parametrize(
    ("role_row", "errors"),
    [
        ({"scope": Scope.REGION}, {"region": ["Select the region"]}),
        ({"scope": Scope.ICS}, {"integrated_care_system": ["Select the integrated care system"]}),
        ({"scope": Scope.ORGANISATION}, {"organisation": ["Select the organisation"]}),
        (
            {"scope": Scope.NATIONAL, "organisation": "ORG"},
            {"organisation": ["Leave this empty for a role with national scope"]},
        ),
        (
            {"scope": Scope.NATIONAL, "valid_to": "2025-12-31"},
            {"valid_to": ["End date must be the same as or after the start date"]},
        ),
    ],
)
def test_a_role_whose_target_does_not_match_its_scope_is_refused(
    admin_client, individual, organisation, role_row, errors
):
    role_row = {key: (organisation.pk if value == "ORG" else value) for key, value in role_row.items()}

    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[individual.pk]),
        _user_change_data(individual, role=Role.TALENT_LEAD, **role_row),
    )

    assert response.status_code == 200
    role_formset = response.context["inline_admin_formsets"][1].formset
    assert role_formset.errors == [errors]
    assert not RoleAssignment.objects.filter(user=individual).exists()
    assert not AuditEvent.objects.exists()


def test_changing_and_deleting_a_role_assignment_is_audited(admin_client, talent_lead):
    assignment = RoleAssignment.objects.get(user=talent_lead)
    change_url = reverse("admin:accounts_roleassignment_change", args=[assignment.pk])

    response = admin_client.post(
        change_url,
        {
            "user": talent_lead.pk,
            "role": Role.TALENT_LEAD,
            "scope": Scope.ORGANISATION,
            "organisation": assignment.organisation_id,
            "valid_from": assignment.valid_from.isoformat(),
            "valid_to": "2030-03-31",
        },
    )
    assert response.status_code == 302
    admin_client.post(reverse("admin:accounts_roleassignment_delete", args=[assignment.pk]), {"post": "yes"})

    change, delete = AuditEvent.objects.order_by("id")
    assert (change.verb, change.before["valid_to"], change.after["valid_to"]) == (
        "admin_roleassignment_change",
        None,
        "2030-03-31",
    )
    assert (delete.verb, delete.action, delete.object_id) == (
        "admin_roleassignment_delete",
        AuditEvent.Action.DELETE,
        str(assignment.pk),
    )
    assert delete.before["valid_to"] == "2030-03-31"
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_list_filter_shows_reference_rows_valid_today(admin_client):
    OrganisationFactory(code="OLD1", valid_to=datetime.date(2020, 3, 31))
    url = reverse("admin:accounts_organisation_changelist")

    current = admin_client.get(url, {"valid_today": "yes"}).context["cl"].result_list
    ended = admin_client.get(url, {"valid_today": "no"}).context["cl"].result_list

    assert "OLD1" not in {organisation.code for organisation in current}
    assert [organisation.code for organisation in ended] == ["OLD1"]


def test_moving_someone_to_a_new_manager_in_the_admin_dates_the_move(admin_client, individual, line_manager):
    new_manager = StaffProfileFactory(user__email="new.manager@nhs.test").user
    profile = individual.staff_profile
    form_data = {
        "user": individual.pk,
        "organisation": profile.organisation_id,
        "job_title": profile.job_title,
        "pay_band": profile.pay_band_id,
        "staff_group": profile.staff_group_id,
        "line_manager": new_manager.pk,
        "line_manager_since": "",
        "esr_assignment_number": profile.esr_assignment_number,
        "is_active": "on",
    }

    response = admin_client.post(reverse("admin:accounts_staffprofile_change", args=[profile.pk]), form_data)

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.line_manager == new_manager
    assert profile.line_manager_since == timezone.localdate()
