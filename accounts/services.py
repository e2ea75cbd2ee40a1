"""Writes about people: each function is one domain action, in a transaction, with its audit event."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import (
    AgeBand,
    EqualityProfile,
    EthnicCategory,
    GenderIdentity,
    ReligionGroup,
    Sex,
    SexualOrientation,
    YesNoNotStated,
)
from core.audit import audit
from core.models import AuditEvent

#: The questions a person answers about themselves, and the codes they may choose from.
#: "Not known" is never chosen by the person: it only marks a question nobody has answered.
EQUALITY_CHOICES = {
    "ethnic_category": EthnicCategory,
    "sex": Sex,
    "gender_identity": GenderIdentity,
    "gender_same_as_birth": YesNoNotStated,
    "sexual_orientation": SexualOrientation,
    "religion_group": ReligionGroup,
    "disability": YesNoNotStated,
    "age_band": AgeBand,
}


def self_declared_choices(field_name: str) -> list[tuple[str, str]]:
    """The (code, label) pairs a person may pick for one question: every code except "Not known"."""
    choices = EQUALITY_CHOICES[field_name]
    return [(choice.value, choice.label) for choice in choices if choice != choices.NOT_KNOWN]


def equality_profile_update(*, user, data: dict[str, str]) -> EqualityProfile:
    """Create or update the person's own equality monitoring answers.

    `data` maps question field names (see `EQUALITY_CHOICES`) to codes; questions left out keep their
    current answer. The audit event names the questions that changed and never their answers, because
    these are special category data.
    """
    unknown_fields = set(data) - set(EQUALITY_CHOICES)
    if unknown_fields:
        raise ValidationError(f"Unknown equality monitoring questions: {', '.join(sorted(unknown_fields))}")
    for field_name, value in data.items():
        allowed = {code for code, _label in self_declared_choices(field_name)}
        if value not in allowed:
            raise ValidationError({field_name: "Select one of the options"}, code="invalid_choice")

    with transaction.atomic():
        # get_or_create copes with two first saves racing each other (the profile is one per person).
        profile, is_new = EqualityProfile.objects.select_for_update().get_or_create(user=user)
        changed_fields = [name for name, value in data.items() if getattr(profile, name) != value]
        if profile.source != EqualityProfile.Source.SELF:
            changed_fields.append("source")
        if not is_new and not changed_fields:
            return profile
        for name in changed_fields:
            if name != "source":
                setattr(profile, name, data[name])
        profile.source = EqualityProfile.Source.SELF
        profile.save()
        audit(
            actor=user,
            action=AuditEvent.Action.CREATE if is_new else AuditEvent.Action.UPDATE,
            verb="equality_profile_update",
            instance=profile,
            after={"changed_fields": sorted(changed_fields)},
        )
    return profile
