"""Reads about people, organisations and roles that carry rules."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.models import EqualityProfile, Organisation, Role, Scope
from accounts.roles import current_role_assignments


def organisations_in_scope(user, *, role: Role = Role.TALENT_LEAD) -> QuerySet[Organisation]:
    """Organisations covered by the person's current assignments of `role`.

    A national assignment covers every organisation; a regional one, the organisations of every ICS in
    the region; an ICS one, the organisations in that ICS; an organisation one, that organisation.
    Expired and future assignments count for nothing. Closed organisations stay in scope, because their
    past records still belong to someone's reporting footprint.
    """
    assignments = [assignment for assignment in current_role_assignments(user) if assignment.role == role]
    if any(assignment.scope == Scope.NATIONAL for assignment in assignments):
        return Organisation.objects.all()
    condition = Q()
    for assignment in assignments:
        if assignment.scope == Scope.REGION:
            condition |= Q(integrated_care_system__region_id=assignment.region_id)
        elif assignment.scope == Scope.ICS:
            condition |= Q(integrated_care_system_id=assignment.integrated_care_system_id)
        elif assignment.scope == Scope.ORGANISATION:
            condition |= Q(pk=assignment.organisation_id)
    if not condition:
        return Organisation.objects.none()
    return Organisation.objects.filter(condition)


def equality_profile_for(*, user) -> EqualityProfile | None:
    """The person's own equality monitoring answers, or None if they have never given any.

    The only way the service reads one person's answers, and only ever for `request.user`: nobody else,
    whatever their role, can see another person's answers.
    """
    if not user.is_authenticated:
        return None
    return EqualityProfile.objects.filter(user=user).first()


@dataclass(frozen=True)
class EqualityAnswer:
    """One row of the equality monitoring summary: the question and the person's answer."""

    field_name: str
    question: str
    answer: str


NOT_ANSWERED = "Not answered"


def equality_answers(profile: EqualityProfile | None, questions: dict[str, str]) -> list[EqualityAnswer]:
    """The person's answer to each question, in order, with "Not answered" for anything not known.

    `questions` maps field names to the question text shown on the page (the form's labels).
    """
    answers = []
    for field_name, question in questions.items():
        answer = NOT_ANSWERED
        if profile is not None:
            field = EqualityProfile._meta.get_field(field_name)
            value = getattr(profile, field_name)
            if value != field.default:
                answer = getattr(profile, f"get_{field_name}_display")()
        answers.append(EqualityAnswer(field_name=field_name, question=question, answer=answer))
    return answers
