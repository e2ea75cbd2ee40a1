import json
from datetime import UTC, datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser, Group
from django.forms.models import model_to_dict

from core.audit import audit, audit_read, snapshot
from core.models import AuditEvent
from tests.accounts.factories import UserFactory, give_totp

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _stored(event: AuditEvent) -> dict:
    event.refresh_from_db()
    return model_to_dict(event) | {"occurred_at": event.occurred_at}


def test_audit_writes_every_field(system_administrator):
    group = Group.objects.create(name="Reviewers")
    before = snapshot(group)
    group.name = "Senior reviewers"
    group.save()

    with time_machine.travel(NOW, tick=False):
        event = audit(
            actor=system_administrator,
            action=AuditEvent.Action.UPDATE,
            verb="group_rename",
            instance=group,
            before=before,
            after=snapshot(group),
            ip_address="192.0.2.10",
        )

    assert _stored(event) == {
        "id": event.pk,
        "occurred_at": NOW,
        "actor": system_administrator.pk,
        "action": "update",
        "verb": "group_rename",
        "object_type": "auth.group",
        "object_id": str(group.pk),
        "object_repr": "Senior reviewers",
        "before": {"id": group.pk, "name": "Reviewers", "permissions": []},
        "after": {"id": group.pk, "name": "Senior reviewers", "permissions": []},
        "ip_address": "192.0.2.10",
    }


def test_snapshot_gives_related_objects_by_their_key(line_manager, individual):
    profile = individual.staff_profile

    values = snapshot(profile, fields=["user", "organisation", "line_manager", "job_title"])

    assert values == {
        "user": individual.pk,
        "organisation": profile.organisation_id,
        "line_manager": line_manager.pk,
        "job_title": "Staff nurse",
    }


def test_audit_without_an_instance_leaves_the_object_blank(individual):
    event = audit(actor=individual, action=AuditEvent.Action.SIGN_IN, verb="sign_in")

    stored = _stored(event)
    assert (stored["object_type"], stored["object_id"], stored["object_repr"]) == ("", "", "")
    assert (stored["before"], stored["after"], stored["ip_address"]) == (None, None, None)


@pytest.mark.parametrize("actor", [None, AnonymousUser()], ids=["no actor", "anonymous visitor"])
def test_audit_records_no_actor_for_someone_not_signed_in(actor, individual):
    event = audit(
        actor=actor, action=AuditEvent.Action.OTHER, verb="password_reset_request", instance=individual
    )

    assert _stored(event)["actor"] is None


def test_audit_shortens_a_long_description_to_fit(db):
    person = UserFactory(first_name="A" * 150, last_name="B" * 150)

    event = audit(actor=person, action=AuditEvent.Action.UPDATE, verb="user_update", instance=person)

    assert _stored(event)["object_repr"] == "A" * 150 + " " + "B" * 49


def test_audit_read_records_a_read_without_snapshots(line_manager, individual):
    event = audit_read(actor=line_manager, instance=individual.staff_profile, verb="staff_profile_view")

    stored = _stored(event)
    assert stored["action"] == "read"
    assert stored["verb"] == "staff_profile_view"
    assert stored["object_id"] == str(individual.staff_profile.pk)
    assert (stored["before"], stored["after"]) == (None, None)


def test_snapshot_leaves_out_the_password_and_makes_values_json_safe(db):
    group = Group.objects.create(name="Reviewers")
    with time_machine.travel(NOW, tick=False):
        person = UserFactory(email="snapshot@nhs.test", first_name="Sam", last_name="Lee")
    person.groups.add(group)
    person.last_login = NOW
    person.save()

    values = snapshot(person)

    editable_fields = {
        field.name for field in [*person._meta.concrete_fields, *person._meta.many_to_many] if field.editable
    }
    assert set(values) == editable_fields - {"password"}
    assert {
        name: values[name] for name in ["id", "email", "is_staff", "last_login", "date_joined", "groups"]
    } == {
        "id": person.pk,
        "email": "snapshot@nhs.test",
        "is_staff": False,
        "last_login": "2026-03-02 09:30:00+00:00",
        "date_joined": "2026-03-02 09:30:00+00:00",
        "groups": [group.pk],
    }
    assert json.loads(json.dumps(values)) == values


def test_snapshot_leaves_out_authenticator_secrets(individual):
    give_totp(individual)
    authenticator = Authenticator.objects.get(user=individual)

    values = snapshot(authenticator)

    assert set(values) == {"id", "user", "type", "created_at", "last_used_at"}
    assert "secret" not in json.dumps(values)


def test_snapshot_of_chosen_fields(individual):
    assert snapshot(individual, fields=["email", "password", "is_active"]) == {
        "email": "individual@nhs.test",
        "is_active": True,
    }


def test_snapshot_survives_the_database(individual):
    event = audit(
        actor=individual,
        action=AuditEvent.Action.UPDATE,
        verb="user_update",
        instance=individual,
        after=snapshot(individual),
    )

    assert _stored(event)["after"] == snapshot(individual)
