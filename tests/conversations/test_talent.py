"""Talent pools, nomination from a conversation record, and the critical roles (succession) register."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role, Scope
from conversations import talent_services
from conversations.models import (
    Conversation,
    CriticalRole,
    FacilitatorRole,
    Readiness,
    Successor,
    TalentPool,
    TalentPoolMembership,
)
from conversations.talent_selectors import successor_candidates
from core.models import AuditEvent, Notification
from tests.accounts.factories import (
    OrganisationFactory,
    PayBandFactory,
    RoleAssignmentFactory,
    StaffProfileFactory,
    UserFactory,
    give_totp,
)
from tests.conversations.factories import (
    ConversationFactory,
    ConversationRecordFactory,
    CriticalRoleFactory,
    SuccessorFactory,
    TalentPoolFactory,
    TalentPoolMembershipFactory,
)

# --- Fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(code="X9Z", name="Elsewhere Community NHS Trust")


@pytest.fixture
def other_talent_lead(other_organisation):
    """A talent lead of another organisation, with MFA so that only scope decides what they see."""
    user = StaffProfileFactory(user__email="other.lead@nhs.test", organisation=other_organisation).user
    RoleAssignmentFactory(
        user=user, role=Role.TALENT_LEAD, scope=Scope.ORGANISATION, organisation=other_organisation
    )
    give_totp(user)
    return user


@pytest.fixture
def national_talent_lead(db):
    user = UserFactory(email="national.lead@nhs.test", first_name="Nadia", last_name="National")
    RoleAssignmentFactory(user=user, role=Role.TALENT_LEAD, scope=Scope.NATIONAL)
    give_totp(user)
    return user


@pytest.fixture
def pool(organisation, talent_lead):
    return TalentPoolFactory(
        organisation=organisation,
        name="Aspiring ward managers",
        description="Band 6 nurses",
        created_by=talent_lead,
    )


@pytest.fixture
def membership(pool, individual, line_manager):
    return TalentPoolMembershipFactory(pool=pool, individual=individual, nominated_by=line_manager)


@pytest.fixture
def critical_role(organisation, talent_lead):
    return CriticalRoleFactory(organisation=organisation, title="Director of nursing", created_by=talent_lead)


@pytest.fixture
def conversation(individual, line_manager):
    return ConversationFactory(
        individual=individual,
        facilitator=line_manager,
        facilitator_role=FacilitatorRole.LINE_MANAGER,
        planned_for=datetime.date(2026, 10, 1),
        status=Conversation.Status.AWAITING_AGREEMENT,
    )


@pytest.fixture
def record(conversation):
    return ConversationRecordFactory(conversation=conversation, readiness=Readiness.ONE_TO_TWO_YEARS)


def _colleague(organisation, last_name, **kwargs):
    return StaffProfileFactory(
        user__first_name="Sam", user__last_name=last_name, organisation=organisation, **kwargs
    ).user


def _record_for(person, *, readiness, held_on=datetime.date(2026, 9, 1), status=Conversation.Status.AGREED):
    conversation = ConversationFactory(individual=person, planned_for=held_on, status=status)
    return ConversationRecordFactory(conversation=conversation, held_on=held_on, readiness=readiness)


def _state():
    """Everything the talent pages can change, to check that a refused request changed nothing."""
    return (
        list(TalentPool.objects.order_by("pk").values()),
        list(TalentPoolMembership.objects.order_by("pk").values()),
        list(CriticalRole.objects.order_by("pk").values()),
        list(Successor.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def _errors(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


WORKS_HERE = (
    "Enter the email address of someone who works at Midlands Partnership University NHS Foundation Trust"
)

ROLES = [
    "anonymous",
    "individual",
    "line_manager",
    "other_talent_lead",
    "talent_lead_with_mfa",
    "national_talent_lead",
    "system_administrator_with_mfa",
]
IN_SCOPE = {"talent_lead_with_mfa", "national_talent_lead"}


def _sign_in(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def _assert_refused(response, role):
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 404


# --- Services: talent pools ---------------------------------------------------------------------


def test_talent_pool_create_saves_an_open_pool_and_audits_it(organisation, talent_lead):
    pool = talent_services.talent_pool_create(
        organisation=organisation,
        name="  Aspiring matrons ",
        description=" For band 7 ",
        created_by=talent_lead,
    )

    assert (pool.organisation, pool.name, pool.description, pool.is_open, pool.created_by) == (
        organisation,
        "Aspiring matrons",
        "For band 7",
        True,
        talent_lead,
    )
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.verb, event.object_id) == (
        talent_lead,
        AuditEvent.Action.CREATE,
        "talent_pool_create",
        str(pool.pk),
    )
    assert event.after == {
        "name": "Aspiring matrons",
        "description": "For band 7",
        "organisation": organisation.pk,
        "is_open": True,
    }


def test_talent_pool_names_are_unique_in_an_organisation_whatever_their_case(pool, talent_lead, organisation):
    before = _state()

    with pytest.raises(ValidationError) as error:
        talent_services.talent_pool_create(
            organisation=organisation, name="aspiring WARD managers", created_by=talent_lead
        )

    assert error.value.message_dict == {
        "name": [
            "Midlands Partnership University NHS Foundation Trust already has a talent pool called "
            "aspiring WARD managers. Enter a different name"
        ]
    }
    assert _state() == before


def test_another_organisation_may_use_the_same_pool_name(pool, national_talent_lead, other_organisation):
    other = talent_services.talent_pool_create(
        organisation=other_organisation, name="Aspiring ward managers", created_by=national_talent_lead
    )

    assert TalentPool.objects.filter(name="Aspiring ward managers").count() == 2
    assert other.organisation == other_organisation


def test_talent_pool_create_outside_the_leads_scope_is_refused(talent_lead, other_organisation):
    with pytest.raises(PermissionDenied):
        talent_services.talent_pool_create(
            organisation=other_organisation, name="Pool", created_by=talent_lead
        )

    assert TalentPool.objects.count() == 0


def test_talent_pool_update_closes_the_pool_and_records_before_and_after(pool, talent_lead):
    talent_services.talent_pool_update(pool=pool, updated_by=talent_lead, data={"is_open": False})

    pool.refresh_from_db()
    assert pool.is_open is False
    event = AuditEvent.objects.get(verb="talent_pool_update")
    assert (event.before["is_open"], event.after["is_open"]) == (True, False)


def test_talent_pool_update_that_changes_nothing_writes_no_audit_event(pool, talent_lead):
    talent_services.talent_pool_update(
        pool=pool,
        updated_by=talent_lead,
        data={"name": "Aspiring ward managers", "description": "Band 6 nurses"},
    )

    assert AuditEvent.objects.count() == 0


def test_talent_pool_update_refuses_the_name_of_another_pool(pool, talent_lead, organisation):
    other = TalentPoolFactory(organisation=organisation, name="Future matrons")

    with pytest.raises(ValidationError) as error:
        talent_services.talent_pool_update(
            pool=other, updated_by=talent_lead, data={"name": "Aspiring ward managers"}
        )

    assert error.value.message_dict["name"] == [
        "Midlands Partnership University NHS Foundation Trust already has a talent pool called "
        "Aspiring ward managers. Enter a different name"
    ]
    other.refresh_from_db()
    assert other.name == "Future matrons"


# --- Services: nomination -----------------------------------------------------------------------


def test_talent_pool_nominate_adds_the_person_audits_and_notifies_them(
    pool, individual, line_manager, conversation
):
    membership = talent_services.talent_pool_nominate(
        pool=pool,
        individual=individual,
        nominated_by=line_manager,
        source_conversation=conversation,
        reason=" Strong clinical leader ",
    )

    assert (
        membership.pool,
        membership.individual,
        membership.nominated_by,
        membership.source_conversation,
        membership.reason,
        membership.status,
    ) == (pool, individual, line_manager, conversation, "Strong clinical leader", "nominated")
    event = AuditEvent.objects.get()
    assert (event.actor, event.verb, event.after["individual"], event.after["pool"]) == (
        line_manager,
        "talent_pool_nominate",
        individual.pk,
        pool.pk,
    )
    notification = Notification.objects.get()
    assert notification.recipient == individual
    assert notification.event_key == f"talent-pool-nominated:{membership.pk}"
    assert notification.title == "You have been nominated to the Aspiring ward managers talent pool"
    assert notification.body == (
        f"{line_manager} nominated you to the Aspiring ward managers talent pool at "
        "Midlands Partnership University NHS Foundation Trust. "
        "Your organisation's talent lead will be in touch about what happens next."
    )
    assert notification.url == reverse("conversations:growth")


def test_nomination_to_a_closed_pool_is_refused(pool, individual, line_manager):
    pool.is_open = False
    pool.save()
    before = _state()

    with pytest.raises(ValidationError) as error:
        talent_services.talent_pool_nominate(pool=pool, individual=individual, nominated_by=line_manager)

    assert error.value.message_dict == {
        "pool": ["The Aspiring ward managers talent pool is closed. Select an open talent pool"]
    }
    assert _state() == before


def test_nomination_to_a_pool_of_another_organisation_is_refused(
    individual, line_manager, other_organisation
):
    other_pool = TalentPoolFactory(organisation=other_organisation, name="Elsewhere pool")
    before = _state()

    with pytest.raises(ValidationError) as error:
        talent_services.talent_pool_nominate(
            pool=other_pool, individual=individual, nominated_by=line_manager
        )

    assert error.value.message_dict == {
        "pool": [
            f"{individual} does not work at Elsewhere Community NHS Trust. "
            "Select a pool of their organisation"
        ]
    }
    assert _state() == before


def test_nominating_someone_already_in_the_pool_is_refused(membership, pool, individual, line_manager):
    before = _state()

    with pytest.raises(ValidationError) as error:
        talent_services.talent_pool_nominate(pool=pool, individual=individual, nominated_by=line_manager)

    assert error.value.message_dict == {
        "pool": [
            f"{individual} is already in the Aspiring ward managers talent pool. "
            "Select a different talent pool"
        ]
    }
    assert _state() == before


def test_membership_status_change_is_saved_and_audited(membership, talent_lead):
    talent_services.talent_pool_membership_set_status(
        membership=membership, status=TalentPoolMembership.Status.ACCEPTED, changed_by=talent_lead
    )

    membership.refresh_from_db()
    assert membership.status == "accepted"
    event = AuditEvent.objects.get()
    assert (event.verb, event.before, event.after) == (
        "talent_pool_membership_set_status",
        {"status": "nominated"},
        {"status": "accepted"},
    )


def test_membership_cannot_be_set_back_to_nominated(membership, talent_lead):
    membership.status = TalentPoolMembership.Status.ACCEPTED
    membership.save()

    with pytest.raises(ValidationError) as error:
        talent_services.talent_pool_membership_set_status(
            membership=membership, status=TalentPoolMembership.Status.NOMINATED, changed_by=talent_lead
        )

    assert error.value.message_dict == {"status": ["Select whether they accepted, declined or left the pool"]}
    membership.refresh_from_db()
    assert membership.status == "accepted"


def test_membership_remove_deletes_it_and_audits_what_it_was(membership, talent_lead, individual):
    membership_pk = membership.pk

    talent_services.talent_pool_membership_remove(membership=membership, removed_by=talent_lead)

    assert TalentPoolMembership.objects.count() == 0
    event = AuditEvent.objects.get()
    assert (event.action, event.verb, event.object_id, event.before["individual"]) == (
        AuditEvent.Action.DELETE,
        "talent_pool_membership_remove",
        str(membership_pk),
        individual.pk,
    )


# --- Services: critical roles and successors ---------------------------------------------------


def test_critical_role_create_saves_it_with_its_incumbent(organisation, talent_lead):
    incumbent = _colleague(organisation, "Incumbent")

    critical_role = talent_services.critical_role_create(
        organisation=organisation,
        title=" Chief nurse ",
        description="Leads nursing",
        incumbent=incumbent,
        created_by=talent_lead,
    )

    assert (critical_role.title, critical_role.description, critical_role.incumbent) == (
        "Chief nurse",
        "Leads nursing",
        incumbent,
    )
    event = AuditEvent.objects.get()
    assert (event.verb, event.after) == (
        "critical_role_create",
        {
            "title": "Chief nurse",
            "organisation": organisation.pk,
            "description": "Leads nursing",
            "incumbent": incumbent.pk,
        },
    )


def test_critical_role_incumbent_must_work_at_the_organisation(organisation, talent_lead, other_organisation):
    outsider = _colleague(other_organisation, "Outsider")

    with pytest.raises(ValidationError) as error:
        talent_services.critical_role_create(
            organisation=organisation, title="Chief nurse", incumbent=outsider, created_by=talent_lead
        )

    assert error.value.message_dict == {"incumbent": [WORKS_HERE]}
    assert CriticalRole.objects.count() == 0


def test_critical_role_titles_are_unique_in_an_organisation(critical_role, organisation, talent_lead):
    with pytest.raises(ValidationError) as error:
        talent_services.critical_role_create(
            organisation=organisation, title="director of nursing", created_by=talent_lead
        )

    assert error.value.message_dict == {
        "title": [
            "Midlands Partnership University NHS Foundation Trust already has a critical role called "
            "director of nursing. Enter a different title"
        ]
    }


def test_critical_role_update_refuses_a_successor_as_incumbent(critical_role, organisation, talent_lead):
    successor = SuccessorFactory(critical_role=critical_role)

    with pytest.raises(ValidationError) as error:
        talent_services.critical_role_update(
            critical_role=critical_role,
            updated_by=talent_lead,
            title="Director of nursing",
            incumbent=successor.individual,
        )

    assert error.value.message_dict == {
        "incumbent": [
            f"{successor.individual} is a successor for this role. Remove them as a successor first"
        ]
    }
    critical_role.refresh_from_db()
    assert critical_role.incumbent is None


def test_critical_role_update_records_before_and_after(critical_role, talent_lead):
    talent_services.critical_role_update(
        critical_role=critical_role, updated_by=talent_lead, title="Chief nurse", description="Board member"
    )

    event = AuditEvent.objects.get()
    assert (event.verb, event.before["title"], event.after["title"], event.after["description"]) == (
        "critical_role_update",
        "Director of nursing",
        "Chief nurse",
        "Board member",
    )


def test_successor_add_from_a_talent_pool_keeps_the_membership(
    critical_role, membership, talent_lead, individual
):
    successor = talent_services.successor_add(
        critical_role=critical_role,
        individual=individual,
        readiness=Readiness.READY_NOW,
        added_by=talent_lead,
    )

    assert (
        successor.critical_role,
        successor.individual,
        successor.readiness,
        successor.source_membership,
        successor.source_conversation,
        successor.added_by,
    ) == (critical_role, individual, "ready_now", membership, None, talent_lead)
    event = AuditEvent.objects.get()
    assert (event.verb, event.after["individual"], event.after["source_membership"]) == (
        "successor_add",
        individual.pk,
        membership.pk,
    )


def test_successor_add_from_a_conversation_keeps_the_conversation(critical_role, organisation, talent_lead):
    person = _colleague(organisation, "Ready")
    record = _record_for(person, readiness=Readiness.THREE_PLUS_YEARS)

    successor = talent_services.successor_add(
        critical_role=critical_role,
        individual=person,
        readiness=Readiness.THREE_PLUS_YEARS,
        added_by=talent_lead,
    )

    assert (successor.source_membership, successor.source_conversation) == (None, record.conversation)


def test_successor_add_refuses_someone_who_is_not_eligible(critical_role, organisation, talent_lead):
    person = _colleague(organisation, "Developing")
    _record_for(person, readiness=Readiness.READY_NOW, held_on=datetime.date(2025, 9, 1))
    _record_for(person, readiness=Readiness.DEVELOPING_IN_ROLE, held_on=datetime.date(2026, 9, 1))
    before = _state()

    with pytest.raises(ValidationError) as error:
        talent_services.successor_add(
            critical_role=critical_role,
            individual=person,
            readiness=Readiness.READY_NOW,
            added_by=talent_lead,
        )

    assert error.value.message_dict == {"individual": ["Select a person from the list"]}
    assert _state() == before


def test_successor_add_refuses_someone_from_another_organisation(
    critical_role, other_organisation, talent_lead, national_talent_lead
):
    outsider = _colleague(other_organisation, "Outsider")
    _record_for(outsider, readiness=Readiness.READY_NOW)
    TalentPoolMembershipFactory(pool=TalentPoolFactory(organisation=other_organisation), individual=outsider)
    before = _state()

    for lead in (talent_lead, national_talent_lead):
        with pytest.raises(ValidationError) as error:
            talent_services.successor_add(
                critical_role=critical_role, individual=outsider, readiness=Readiness.READY_NOW, added_by=lead
            )
        assert error.value.message_dict == {"individual": ["Select a person from the list"]}
    assert _state() == before


def test_successor_add_refuses_a_duplicate_and_a_bad_readiness(critical_role, talent_lead):
    existing = SuccessorFactory(critical_role=critical_role)

    with pytest.raises(ValidationError) as duplicate:
        talent_services.successor_add(
            critical_role=critical_role,
            individual=existing.individual,
            readiness=Readiness.READY_NOW,
            added_by=talent_lead,
        )
    with pytest.raises(ValidationError) as bad_readiness:
        talent_services.successor_add(
            critical_role=critical_role,
            individual=existing.individual,
            readiness=Readiness.DEVELOPING_IN_ROLE,
            added_by=talent_lead,
        )

    assert duplicate.value.message_dict == {
        "individual": [f"{existing.individual} is already a successor for this role"]
    }
    assert bad_readiness.value.message_dict == {"readiness": ["Select when they will be ready for the role"]}
    assert Successor.objects.count() == 1


def test_successor_remove_deletes_and_audits(critical_role, talent_lead):
    successor = SuccessorFactory(critical_role=critical_role)
    successor_pk = successor.pk

    talent_services.successor_remove(successor=successor, removed_by=talent_lead)

    assert Successor.objects.count() == 0
    event = AuditEvent.objects.get()
    assert (event.action, event.verb, event.object_id) == (
        AuditEvent.Action.DELETE,
        "successor_remove",
        str(successor_pk),
    )


def test_successor_candidates_are_pool_members_and_people_ready_by_their_latest_record(
    critical_role, organisation, other_organisation, pool, talent_lead
):
    nominated = _colleague(organisation, "Adams")
    TalentPoolMembershipFactory(pool=pool, individual=nominated)
    declined = _colleague(organisation, "Baker")
    TalentPoolMembershipFactory(pool=pool, individual=declined, status=TalentPoolMembership.Status.DECLINED)
    ready = _colleague(organisation, "Clark")
    _record_for(ready, readiness=Readiness.READY_NOW)
    no_longer_ready = _colleague(organisation, "Davies")
    _record_for(no_longer_ready, readiness=Readiness.READY_NOW, held_on=datetime.date(2025, 1, 1))
    _record_for(no_longer_ready, readiness=Readiness.DEVELOPING_IN_ROLE)
    cancelled = _colleague(organisation, "Evans")
    _record_for(cancelled, readiness=Readiness.READY_NOW, status=Conversation.Status.CANCELLED)
    left = _colleague(organisation, "Foster", is_active=False)
    _record_for(left, readiness=Readiness.READY_NOW)
    elsewhere = _colleague(other_organisation, "Green")
    _record_for(elsewhere, readiness=Readiness.READY_NOW)
    incumbent = _colleague(organisation, "Hughes")
    _record_for(incumbent, readiness=Readiness.READY_NOW)
    critical_role.incumbent = incumbent
    critical_role.save()
    already = _colleague(organisation, "Irwin")
    _record_for(already, readiness=Readiness.READY_NOW)
    SuccessorFactory(critical_role=critical_role, individual=already)
    both = _colleague(organisation, "Jones")
    TalentPoolMembershipFactory(pool=pool, individual=both, status=TalentPoolMembership.Status.ACCEPTED)
    _record_for(both, readiness=Readiness.ONE_TO_TWO_YEARS)

    candidates = successor_candidates(user=talent_lead, critical_role=critical_role)

    assert [(candidate.user, candidate.reason) for candidate in candidates] == [
        (nominated, "Aspiring ward managers talent pool"),
        (ready, "latest conversation: ready now"),
        (both, "Aspiring ward managers talent pool; latest conversation: ready within 1 to 2 years"),
    ]
    assert candidates[0].label == "Sam Adams, Staff nurse (Aspiring ward managers talent pool)"
    assert successor_candidates(user=UserFactory(), critical_role=critical_role) == []


# --- Views: talent pools --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_talent_pool_list_by_role(client, request, pool, role):
    _sign_in(client, request, role)

    response = client.get(reverse("conversations:talent_pool_list"))

    if role in IN_SCOPE:
        assert response.status_code == 200
        assert [listed.name for listed in response.context["page"].object_list] == ["Aspiring ward managers"]
    elif role == "other_talent_lead":
        assert response.status_code == 200
        assert list(response.context["page"].object_list) == []
        assert "Aspiring ward managers" not in response.content.decode()
    else:
        _assert_refused(response, role)


def _pool_get_urls(pool, membership):
    return [
        reverse("conversations:talent_pool_detail", kwargs={"pk": pool.pk}),
        reverse("conversations:talent_pool_update", kwargs={"pk": pool.pk}),
        reverse(
            "conversations:talent_pool_membership_status", kwargs={"pool_pk": pool.pk, "pk": membership.pk}
        ),
        reverse(
            "conversations:talent_pool_membership_remove", kwargs={"pool_pk": pool.pk, "pk": membership.pk}
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_talent_pool_pages_by_role(client, request, pool, membership, role):
    _sign_in(client, request, role)

    for url in _pool_get_urls(pool, membership):
        response = client.get(url)
        if role in IN_SCOPE:
            assert response.status_code == 200, url
        else:
            _assert_refused(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_talent_pool_create_page_by_role(client, request, organisation, role):
    _sign_in(client, request, role)

    response = client.get(reverse("conversations:talent_pool_create"))

    if role in IN_SCOPE or role == "other_talent_lead":
        assert response.status_code == 200
    else:
        _assert_refused(response, role)


def _pool_posts(pool, membership):
    """(url, data, what should have changed) for every write on a pool."""
    return [
        (
            reverse("conversations:talent_pool_update", kwargs={"pk": pool.pk}),
            {"name": "Renamed pool", "description": ""},
            lambda: TalentPool.objects.get(pk=pool.pk).name == "Renamed pool",
        ),
        (
            reverse("conversations:talent_pool_close", kwargs={"pk": pool.pk}),
            {},
            lambda: TalentPool.objects.get(pk=pool.pk).is_open is False,
        ),
        (
            reverse(
                "conversations:talent_pool_membership_status",
                kwargs={"pool_pk": pool.pk, "pk": membership.pk},
            ),
            {"status": "accepted"},
            lambda: TalentPoolMembership.objects.get(pk=membership.pk).status == "accepted",
        ),
        (
            reverse(
                "conversations:talent_pool_membership_remove",
                kwargs={"pool_pk": pool.pk, "pk": membership.pk},
            ),
            {},
            lambda: not TalentPoolMembership.objects.filter(pk=membership.pk).exists(),
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_talent_pool_writes_by_role(client, request, pool, membership, role):
    _sign_in(client, request, role)

    for url, data, changed in _pool_posts(pool, membership):
        before = _state()
        response = client.post(url, data)
        if role in IN_SCOPE:
            assert response.status_code == 302, url
            assert response["Location"] == reverse("conversations:talent_pool_detail", kwargs={"pk": pool.pk})
            assert changed(), url
        else:
            _assert_refused(response, role)
            assert _state() == before, url


def test_talent_pool_reopen(client, pool, talent_lead_with_mfa):
    pool.is_open = False
    pool.save()
    client.force_login(talent_lead_with_mfa)

    response = client.post(reverse("conversations:talent_pool_reopen", kwargs={"pk": pool.pk}), follow=True)

    pool.refresh_from_db()
    assert pool.is_open is True
    assert "Aspiring ward managers talent pool reopened" in response.content.decode()


def test_close_and_reopen_only_accept_posts(client, pool, talent_lead_with_mfa):
    client.force_login(talent_lead_with_mfa)

    response = client.get(reverse("conversations:talent_pool_close", kwargs={"pk": pool.pk}))

    assert response.status_code == 405
    pool.refresh_from_db()
    assert pool.is_open is True


def test_talent_lead_creates_a_pool(client, organisation, talent_lead_with_mfa):
    client.force_login(talent_lead_with_mfa)

    response = client.post(
        reverse("conversations:talent_pool_create"),
        {"name": "Future matrons", "description": "Band 7", "organisation": organisation.pk},
    )

    pool = TalentPool.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("conversations:talent_pool_detail", kwargs={"pk": pool.pk})
    assert (pool.name, pool.organisation, pool.created_by) == (
        "Future matrons",
        organisation,
        talent_lead_with_mfa,
    )


def test_create_pool_shows_radios_for_a_few_organisations_and_a_select_for_many(
    client, talent_lead_with_mfa, national_talent_lead
):
    for index in range(11):
        OrganisationFactory(code=f"Q{index:02d}", name=f"Trust {index:02d}")

    client.force_login(talent_lead_with_mfa)
    few = client.get(reverse("conversations:talent_pool_create")).content.decode()
    client.force_login(national_talent_lead)
    many = client.get(reverse("conversations:talent_pool_create")).content.decode()

    assert 'class="nhsuk-radios__input" id="id_organisation"' in few
    assert '<select name="organisation" class="nhsuk-select" required id="id_organisation">' in many


def test_create_pool_with_a_duplicate_name_shows_the_error(client, pool, organisation, talent_lead_with_mfa):
    client.force_login(talent_lead_with_mfa)
    before = _state()

    response = client.post(
        reverse("conversations:talent_pool_create"),
        {"name": "Aspiring Ward Managers", "organisation": organisation.pk},
    )

    assert response.status_code == 200
    assert _errors(response) == {
        "name": [
            "Midlands Partnership University NHS Foundation Trust already has a talent pool called "
            "Aspiring Ward Managers. Enter a different name"
        ]
    }
    assert "<title>Error: Create a talent pool" in response.content.decode()
    assert _state() == before


def test_create_pool_without_answers_shows_errors(client, talent_lead_with_mfa):
    client.force_login(talent_lead_with_mfa)

    response = client.post(reverse("conversations:talent_pool_create"), {})

    assert _errors(response) == {
        "name": ["Enter a name for the talent pool"],
        "organisation": ["Select the organisation the talent pool is for"],
    }


def test_forged_post_creating_a_pool_in_another_organisation_changes_nothing(
    client, other_organisation, talent_lead_with_mfa
):
    client.force_login(talent_lead_with_mfa)
    before = _state()

    response = client.post(
        reverse("conversations:talent_pool_create"), {"name": "Sneaky", "organisation": other_organisation.pk}
    )

    assert response.status_code == 200
    assert _errors(response) == {"organisation": ["Select the organisation the talent pool is for"]}
    assert _state() == before


def test_membership_of_another_pool_is_not_found_through_this_pool(
    client, pool, membership, organisation, talent_lead_with_mfa
):
    other_pool = TalentPoolFactory(organisation=organisation, name="Other pool")
    client.force_login(talent_lead_with_mfa)
    before = _state()

    response = client.post(
        reverse(
            "conversations:talent_pool_membership_status",
            kwargs={"pool_pk": other_pool.pk, "pk": membership.pk},
        ),
        {"status": "accepted"},
    )

    assert response.status_code == 404
    assert _state() == before


def test_forged_membership_status_is_an_error(client, pool, membership, talent_lead_with_mfa):
    client.force_login(talent_lead_with_mfa)

    response = client.post(
        reverse(
            "conversations:talent_pool_membership_status", kwargs={"pool_pk": pool.pk, "pk": membership.pk}
        ),
        {"status": "nominated"},
    )

    assert _errors(response) == {"status": ["Select whether they accepted, declined or left the pool"]}
    membership.refresh_from_db()
    assert membership.status == "nominated"


def test_pool_page_lists_members_with_their_details(
    client, pool, membership, individual, line_manager, talent_lead_with_mfa
):
    profile = individual.staff_profile
    profile.pay_band = PayBandFactory(code="AFC7", name="Band 7", sort_order=70)
    profile.job_title = "Charge nurse"
    profile.save()
    client.force_login(talent_lead_with_mfa)

    response = client.get(reverse("conversations:talent_pool_detail", kwargs={"pk": pool.pk}))

    content = response.content.decode()
    assert [item.individual for item in response.context["page"].object_list] == [individual]
    for text in (str(individual), "Charge nurse", "Band 7", "Nominated", str(line_manager)):
        assert f'<td class="nhsuk-table__cell">{text}</td>' in content
    assert f'<td class="nhsuk-table__cell">{membership.created_at:%-d %B %Y}</td>' in content


def _pools_with_members(organisation, count):
    for index in range(count):
        pool = TalentPoolFactory(organisation=organisation, name=f"Pool {index:02d}")
        TalentPoolMembershipFactory(pool=pool)


@pytest.mark.parametrize("count", [5, 30])
def test_talent_pool_list_query_count_does_not_grow(
    client, django_assert_num_queries, organisation, talent_lead_with_mfa, count
):
    _pools_with_members(organisation, count)
    client.force_login(talent_lead_with_mfa)
    client.get(reverse("conversations:talent_pool_list"))

    with django_assert_num_queries(7):
        response = client.get(reverse("conversations:talent_pool_list"))

    assert len(response.context["page"].object_list) == min(count, 25)
    assert response.context["page"].object_list[0].member_count == 1


@pytest.mark.parametrize("count", [5, 30])
def test_pool_members_query_count_does_not_grow(
    client, django_assert_num_queries, pool, talent_lead_with_mfa, count
):
    for _index in range(count):
        TalentPoolMembershipFactory(pool=pool)
    client.force_login(talent_lead_with_mfa)
    client.get(reverse("conversations:talent_pool_detail", kwargs={"pk": pool.pk}))

    with django_assert_num_queries(8):
        response = client.get(reverse("conversations:talent_pool_detail", kwargs={"pk": pool.pk}))

    assert len(response.context["page"].object_list) == count


def test_member_count_leaves_out_people_who_declined_or_left(client, pool, talent_lead_with_mfa):
    for status in TalentPoolMembership.Status.values:
        TalentPoolMembershipFactory(pool=pool, status=status)
    client.force_login(talent_lead_with_mfa)

    response = client.get(reverse("conversations:talent_pool_list"))

    assert response.context["page"].object_list[0].member_count == 2


# --- Views: nomination from a record ------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected_status"),
    [
        ("anonymous", 302),
        ("individual", 404),
        ("line_manager", 200),
        ("coach", 404),
        ("talent_lead_with_mfa", 404),
        ("stranger", 404),
        ("system_administrator_with_mfa", 404),
    ],
)
def test_nominate_page_by_role(client, request, pool, conversation, record, role, expected_status):
    _sign_in(client, request, role)
    url = reverse("conversations:conversation_nominate", kwargs={"pk": conversation.pk})
    before = _state()

    get_response = client.get(url)
    post_response = client.post(url, {"pool": pool.pk, "reason": "Ready to lead"})

    assert get_response.status_code == expected_status
    if expected_status == 200:
        assert post_response.status_code == 302
        assert TalentPoolMembership.objects.filter(pool=pool, individual=conversation.individual).exists()
    else:
        _assert_refused(post_response, role)
        assert _state() == before


def test_coach_who_facilitated_may_nominate(client, coach, individual, pool):
    conversation = ConversationFactory(
        individual=individual, facilitator=coach, facilitator_role=FacilitatorRole.COACH
    )
    ConversationRecordFactory(conversation=conversation)
    client.force_login(coach)

    response = client.post(
        reverse("conversations:conversation_nominate", kwargs={"pk": conversation.pk}), {"pool": pool.pk}
    )

    assert response.status_code == 302
    assert TalentPoolMembership.objects.get().nominated_by == coach


def test_previous_line_manager_cannot_nominate(client, pool, conversation, record, individual, organisation):
    previous_manager = conversation.facilitator
    profile = individual.staff_profile
    profile.line_manager = _colleague(organisation, "Newmanager")
    profile.save()
    client.force_login(previous_manager)
    before = _state()

    response = client.post(
        reverse("conversations:conversation_nominate", kwargs={"pk": conversation.pk}), {"pool": pool.pk}
    )

    assert response.status_code == 404
    assert _state() == before


def test_nomination_needs_a_recorded_conversation(client, pool, conversation, line_manager):
    client.force_login(line_manager)

    response = client.get(reverse("conversations:conversation_nominate", kwargs={"pk": conversation.pk}))

    assert response.status_code == 404


def test_a_cancelled_conversation_cannot_be_nominated_from(client, pool, conversation, record, line_manager):
    Conversation.objects.filter(pk=conversation.pk).update(status=Conversation.Status.CANCELLED)
    client.force_login(line_manager)
    before = _state()

    url = reverse("conversations:conversation_nominate", kwargs={"pk": conversation.pk})
    responses = [client.get(url), client.post(url, {"pool": pool.pk})]

    assert [response.status_code for response in responses] == [404, 404]
    assert _state() == before


def test_nominate_page_offers_only_open_pools_of_the_persons_organisation(
    client, pool, conversation, record, organisation, other_organisation, line_manager
):
    TalentPoolFactory(organisation=organisation, name="Closed pool", is_open=False)
    TalentPoolFactory(organisation=other_organisation, name="Elsewhere pool")
    client.force_login(line_manager)

    response = client.get(reverse("conversations:conversation_nominate", kwargs={"pk": conversation.pk}))

    assert list(response.context["form"].fields["pool"].queryset) == [pool]
    content = response.content.decode()
    assert "Closed pool" not in content
    assert "Elsewhere pool" not in content


def test_nominating_from_the_record(client, pool, conversation, record, individual, line_manager):
    client.force_login(line_manager)

    response = client.post(
        reverse("conversations:conversation_nominate", kwargs={"pk": conversation.pk}),
        {"pool": pool.pk, "reason": "Runs the ward when the manager is away"},
    )

    membership = TalentPoolMembership.objects.get()
    assert (
        membership.individual,
        membership.nominated_by,
        membership.source_conversation,
        membership.reason,
    ) == (
        individual,
        line_manager,
        conversation,
        "Runs the ward when the manager is away",
    )
    assert response["Location"] == reverse(
        "conversations:conversation_detail", kwargs={"pk": conversation.pk}
    )
    assert Notification.objects.get().event_key == f"talent-pool-nominated:{membership.pk}"


@pytest.mark.parametrize("forged_pool", ["closed", "other_organisation", "nonsense"])
def test_forged_nomination_is_an_error_and_changes_nothing(
    client, pool, conversation, record, organisation, other_organisation, line_manager, forged_pool
):
    pools = {
        "closed": TalentPoolFactory(organisation=organisation, name="Closed pool", is_open=False).pk,
        "other_organisation": TalentPoolFactory(organisation=other_organisation, name="Elsewhere").pk,
        "nonsense": "pool-1",
    }
    client.force_login(line_manager)
    before = _state()

    response = client.post(
        reverse("conversations:conversation_nominate", kwargs={"pk": conversation.pk}),
        {"pool": pools[forged_pool]},
    )

    assert response.status_code == 200
    assert _errors(response) == {"pool": ["Select a talent pool"]}
    assert _state() == before


def test_nominating_someone_twice_shows_the_error(
    client, pool, membership, conversation, record, individual, line_manager
):
    client.force_login(line_manager)
    before = _state()

    response = client.post(
        reverse("conversations:conversation_nominate", kwargs={"pk": conversation.pk}), {"pool": pool.pk}
    )

    assert _errors(response) == {
        "pool": [
            f"{individual} is already in the Aspiring ward managers talent pool. "
            "Select a different talent pool"
        ]
    }
    assert _state() == before


def test_nominate_page_explains_when_there_are_no_open_pools(client, conversation, record, line_manager):
    client.force_login(line_manager)

    response = client.get(reverse("conversations:conversation_nominate", kwargs={"pk": conversation.pk}))

    content = response.content.decode()
    assert "Their organisation has no talent pools open to nominations at the moment." in content
    assert "<form" not in content.split('id="maincontent"')[1]


# --- Views: critical roles and successors -------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_critical_role_list_by_role(client, request, critical_role, role):
    _sign_in(client, request, role)

    response = client.get(reverse("conversations:critical_role_list"))

    if role in IN_SCOPE:
        assert response.status_code == 200
        assert list(response.context["page"].object_list) == [critical_role]
    elif role == "other_talent_lead":
        assert response.status_code == 200
        assert list(response.context["page"].object_list) == []
    else:
        _assert_refused(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_critical_role_pages_by_role(client, request, critical_role, role):
    successor = SuccessorFactory(critical_role=critical_role)
    _sign_in(client, request, role)
    urls = [
        reverse("conversations:critical_role_detail", kwargs={"pk": critical_role.pk}),
        reverse("conversations:critical_role_update", kwargs={"pk": critical_role.pk}),
        reverse("conversations:successor_add", kwargs={"pk": critical_role.pk}),
        reverse("conversations:successor_remove", kwargs={"role_pk": critical_role.pk, "pk": successor.pk}),
    ]

    for url in urls:
        response = client.get(url)
        if role in IN_SCOPE:
            assert response.status_code == 200, url
        else:
            _assert_refused(response, role)

    response = client.get(reverse("conversations:critical_role_create"))
    if role in IN_SCOPE or role == "other_talent_lead":
        assert response.status_code == 200
    else:
        _assert_refused(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_critical_role_writes_by_role(client, request, critical_role, membership, individual, role):
    successor = SuccessorFactory(critical_role=critical_role)
    _sign_in(client, request, role)
    detail_url = reverse("conversations:critical_role_detail", kwargs={"pk": critical_role.pk})
    writes = [
        (
            reverse("conversations:critical_role_update", kwargs={"pk": critical_role.pk}),
            {"title": "Chief nurse", "description": "", "incumbent": ""},
            lambda: CriticalRole.objects.get(pk=critical_role.pk).title == "Chief nurse",
        ),
        (
            reverse("conversations:successor_add", kwargs={"pk": critical_role.pk}),
            {"individual": individual.pk, "readiness": "one_to_two_years"},
            lambda: Successor.objects.filter(critical_role=critical_role, individual=individual).exists(),
        ),
        (
            reverse(
                "conversations:successor_remove", kwargs={"role_pk": critical_role.pk, "pk": successor.pk}
            ),
            {},
            lambda: not Successor.objects.filter(pk=successor.pk).exists(),
        ),
    ]

    for url, data, changed in writes:
        before = _state()
        response = client.post(url, data)
        if role in IN_SCOPE:
            assert response.status_code == 302, url
            assert response["Location"] == detail_url
            assert changed(), url
        else:
            _assert_refused(response, role)
            assert _state() == before, url


def test_talent_lead_adds_a_critical_role_with_an_incumbent(client, organisation, talent_lead_with_mfa):
    incumbent = _colleague(organisation, "Incumbent")
    client.force_login(talent_lead_with_mfa)

    response = client.post(
        reverse("conversations:critical_role_create"),
        {
            "title": "Chief nurse",
            "organisation": organisation.pk,
            "description": "",
            "incumbent": incumbent.email.upper(),
        },
    )

    critical_role = CriticalRole.objects.get()
    assert response["Location"] == reverse(
        "conversations:critical_role_detail", kwargs={"pk": critical_role.pk}
    )
    assert (critical_role.title, critical_role.organisation, critical_role.incumbent) == (
        "Chief nurse",
        organisation,
        incumbent,
    )


@pytest.mark.parametrize(
    ("incumbent", "expected_error"),
    [
        (
            "nobody@nhs.test",
            WORKS_HERE,
        ),
        ("not an email", "Enter an email address in the correct format, like name@example.com"),
    ],
)
def test_critical_role_incumbent_email_is_checked(
    client, organisation, talent_lead_with_mfa, incumbent, expected_error
):
    client.force_login(talent_lead_with_mfa)
    before = _state()

    response = client.post(
        reverse("conversations:critical_role_create"),
        {"title": "Chief nurse", "organisation": organisation.pk, "incumbent": incumbent},
    )

    assert _errors(response) == {"incumbent": [expected_error]}
    assert _state() == before


def test_incumbent_from_another_organisation_is_refused_on_change(
    client, critical_role, other_organisation, talent_lead_with_mfa
):
    outsider = _colleague(other_organisation, "Outsider")
    client.force_login(talent_lead_with_mfa)
    before = _state()

    response = client.post(
        reverse("conversations:critical_role_update", kwargs={"pk": critical_role.pk}),
        {"title": "Director of nursing", "incumbent": outsider.email},
    )

    assert _errors(response) == {"incumbent": [WORKS_HERE]}
    assert _state() == before


def test_forged_post_adding_a_critical_role_in_another_organisation_changes_nothing(
    client, other_organisation, talent_lead_with_mfa
):
    client.force_login(talent_lead_with_mfa)
    before = _state()

    response = client.post(
        reverse("conversations:critical_role_create"),
        {"title": "Chief nurse", "organisation": other_organisation.pk},
    )

    assert _errors(response) == {"organisation": ["Select the organisation the role is in"]}
    assert _state() == before


def test_successor_page_offers_eligible_people_of_the_roles_organisation(
    client, critical_role, membership, individual, organisation, other_organisation, talent_lead_with_mfa
):
    ready = _colleague(organisation, "Ready")
    _record_for(ready, readiness=Readiness.READY_NOW)
    _record_for(_colleague(other_organisation, "Elsewhere"), readiness=Readiness.READY_NOW)
    client.force_login(talent_lead_with_mfa)

    response = client.get(reverse("conversations:successor_add", kwargs={"pk": critical_role.pk}))

    expected = sorted(
        [ready, individual], key=lambda person: (person.last_name, person.first_name, person.email)
    )
    choices = response.context["form"].fields["individual"].choices
    assert [value for value, _label in choices] == [person.pk for person in expected]
    assert "Elsewhere" not in response.content.decode()


@pytest.mark.parametrize("forged", ["outside_scope", "not_eligible", "nonsense"])
def test_forged_successor_is_an_error_and_changes_nothing(
    client, critical_role, membership, organisation, other_organisation, talent_lead_with_mfa, forged
):
    outsider = _colleague(other_organisation, "Outsider")
    _record_for(outsider, readiness=Readiness.READY_NOW)
    people = {
        "outside_scope": outsider.pk,
        "not_eligible": _colleague(organisation, "Notready").pk,
        "nonsense": "someone",
    }
    client.force_login(talent_lead_with_mfa)
    before = _state()

    response = client.post(
        reverse("conversations:successor_add", kwargs={"pk": critical_role.pk}),
        {"individual": people[forged], "readiness": "ready_now"},
    )

    assert response.status_code == 200
    assert _errors(response) == {"individual": ["Select a person from the list"]}
    assert _state() == before


def test_successor_add_without_answers_shows_errors(client, critical_role, membership, talent_lead_with_mfa):
    client.force_login(talent_lead_with_mfa)

    response = client.post(reverse("conversations:successor_add", kwargs={"pk": critical_role.pk}), {})

    assert _errors(response) == {
        "individual": ["Select a person"],
        "readiness": ["Select when they will be ready for the role"],
    }


def test_successor_page_explains_when_nobody_is_eligible(client, critical_role, talent_lead_with_mfa):
    client.force_login(talent_lead_with_mfa)

    response = client.get(reverse("conversations:successor_add", kwargs={"pk": critical_role.pk}))

    assert "There is nobody to add yet." in response.content.decode()


def test_successor_of_another_role_is_not_found_through_this_role(
    client, critical_role, organisation, talent_lead_with_mfa
):
    other_role = CriticalRoleFactory(organisation=organisation, title="Chief nurse")
    successor = SuccessorFactory(critical_role=critical_role)
    client.force_login(talent_lead_with_mfa)
    before = _state()

    response = client.post(
        reverse("conversations:successor_remove", kwargs={"role_pk": other_role.pk, "pk": successor.pk})
    )

    assert response.status_code == 404
    assert _state() == before


def test_critical_role_list_counts_successors_by_readiness(client, critical_role, talent_lead_with_mfa):
    for readiness in [Readiness.READY_NOW, Readiness.READY_NOW, Readiness.THREE_PLUS_YEARS]:
        SuccessorFactory(critical_role=critical_role, readiness=readiness)
    client.force_login(talent_lead_with_mfa)

    response = client.get(reverse("conversations:critical_role_list"))

    listed = response.context["page"].object_list[0]
    assert (listed.ready_now_count, listed.one_to_two_years_count, listed.three_plus_years_count) == (2, 0, 1)


@pytest.mark.parametrize("count", [5, 30])
def test_critical_role_list_query_count_does_not_grow(
    client, django_assert_num_queries, organisation, talent_lead_with_mfa, count
):
    for index in range(count):
        critical_role = CriticalRoleFactory(
            organisation=organisation,
            title=f"Role {index:02d}",
            incumbent=_colleague(organisation, f"In{index}"),
        )
        SuccessorFactory(critical_role=critical_role)
    client.force_login(talent_lead_with_mfa)
    client.get(reverse("conversations:critical_role_list"))

    with django_assert_num_queries(7):
        response = client.get(reverse("conversations:critical_role_list"))

    assert len(response.context["page"].object_list) == min(count, 25)


@pytest.mark.parametrize("count", [5, 30])
def test_critical_role_successors_query_count_does_not_grow(
    client, django_assert_num_queries, critical_role, talent_lead_with_mfa, count
):
    for _index in range(count):
        SuccessorFactory(critical_role=critical_role)
    client.force_login(talent_lead_with_mfa)
    client.get(reverse("conversations:critical_role_detail", kwargs={"pk": critical_role.pk}))

    with django_assert_num_queries(7):
        response = client.get(reverse("conversations:critical_role_detail", kwargs={"pk": critical_role.pk}))

    assert len(response.context["successors"]) == count


def test_home_offers_talent_pools_and_succession_to_a_talent_lead(client, talent_lead_with_mfa):
    client.force_login(talent_lead_with_mfa)

    response = client.get(reverse("core:home"))

    links = {link.title: link for link in response.context["links"]}
    assert links["Talent pools"].url == reverse("conversations:talent_pool_list")
    assert links["Talent pools"].in_navigation is True
    assert links["Succession"].url == reverse("conversations:critical_role_list")
    assert links["Succession"].in_navigation is False
