"""The one way to write an audit event.

Services call these helpers explicitly (no signals), so every domain action and every read of
someone else's sensitive record leaves a row in `AuditEvent`.
"""

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.forms.models import model_to_dict

from core.models import AuditEvent

EXCLUDED_FIELDS = frozenset({"password", "secret", "data"})


def snapshot(instance: models.Model, *, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Return a JSON-safe dict of a model's concrete fields, without secrets."""
    values = model_to_dict(instance, fields=list(fields) if fields is not None else None)
    return {name: _json_safe(value) for name, value in values.items() if name not in EXCLUDED_FIELDS}


def _json_safe(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [_json_safe(item) for item in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def audit(
    *,
    actor,
    action: str,
    verb: str,
    instance: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Record that `actor` did `verb` to `instance` (before/after snapshots for writes)."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        verb=verb,
        object_type=instance._meta.label_lower if instance is not None else "",
        object_id=str(instance.pk) if instance is not None else "",
        object_repr=str(instance)[:200] if instance is not None else "",
        before=before,
        after=after,
        ip_address=ip_address,
    )


def audit_read(*, actor, instance: models.Model, verb: str) -> AuditEvent | None:
    """Record a read of a sensitive record by someone other than its owner (the caller checks)."""
    return audit(actor=actor, action=AuditEvent.Action.READ, verb=verb, instance=instance)
