"""Who may apply to a High Potential Scheme intake: the eligibility rules, per cohort settings.

The rules are pure functions of a cohort's settings (`CohortRules`) and the person's answers
(`EligibilityAnswers`): no database, no request. `check_eligibility` returns every criterion the
answers fail, each with the reason in words a person can act on. The criteria are the scheme's own
(domain research section 2.2): an NHS or health and care funded role in the intake's ICS footprint, a
middle level leader's pay band (8a to 8d, or what the intake allows, such as local authority grades),
interest in senior roles, readiness to learn, compassionate and inclusive leadership, and working
towards one of the two career transitions.
"""

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum

from hps.models import DevelopmentStream

#: The answer to the pay band question for a band the intake does not list.
ANOTHER_BAND = "another"

#: The two career transitions, in the scheme's words: hints for the stream question and the home page.
STREAM_DESCRIPTIONS = {
    DevelopmentStream.STREAM_ONE: (
        "For a leader moving towards managing a range of teams. Your role may have a strong team "
        "leadership focus, as a manager of managers, or a strong technical expertise focus, as a senior "
        "technical expert."
    ),
    DevelopmentStream.STREAM_TWO: (
        "For a leader moving towards leading a whole function or service: part of a complex system, a "
        "smaller discrete system, a service or a complex programme area. You will need to connect across "
        "service areas and functions."
    ),
}


class Criterion(StrEnum):
    """One eligibility question. The value is the answer's key in `Application.eligibility_answers`."""

    FOOTPRINT = "works_in_footprint"
    PAY_BAND = "pay_band"
    SENIOR_ROLES = "interested_in_senior_roles"
    READY_TO_LEARN = "ready_to_learn"
    COMPASSIONATE_LEADERSHIP = "compassionate_leadership"
    CAREER_TRANSITION = "career_transition"


#: The yes or no questions, in the order they are asked (the pay band question comes second).
YES_NO_QUESTIONS = {
    Criterion.FOOTPRINT: "Do you work in an NHS or health and care funded role in this area?",
    Criterion.SENIOR_ROLES: (
        "Are you interested in progressing to senior leadership roles, for example at board or "
        "governing body level?"
    ),
    Criterion.READY_TO_LEARN: (
        "Are you ready and willing to learn and develop your leadership skills and behaviours?"
    ),
    Criterion.COMPASSIONATE_LEADERSHIP: (
        "Can you show compassionate and inclusive leadership values and style?"
    ),
    Criterion.CAREER_TRANSITION: "Are you working towards one of the scheme's two career transitions?",
}
PAY_BAND_QUESTION = "What is your pay band?"


@dataclass(frozen=True)
class CohortRules:
    """The settings of an intake that decide who may apply."""

    cohort_name: str
    #: Names of the integrated care systems in the intake's footprint.
    footprint: tuple[str, ...]
    #: (code, name) of each pay band the intake is open to, most junior first.
    eligible_bands: tuple[tuple[str, str], ...]

    @property
    def eligible_band_codes(self) -> frozenset[str]:
        return frozenset(code for code, _name in self.eligible_bands)


@dataclass(frozen=True)
class EligibilityAnswers:
    """A person's answers to the eligibility questions. `pay_band` is a band code or `ANOTHER_BAND`."""

    works_in_footprint: bool
    pay_band: str
    interested_in_senior_roles: bool
    ready_to_learn: bool
    compassionate_leadership: bool
    career_transition: bool

    def as_json(self) -> dict:
        """The answers as stored on the application."""
        return asdict(self)

    @classmethod
    def from_mapping(cls, answers: Mapping) -> "EligibilityAnswers":
        """Answers from a dict such as `as_json()` gives; a missing yes or no answer counts as no."""
        return cls(
            pay_band=str(answers.get(Criterion.PAY_BAND) or ANOTHER_BAND),
            **{criterion.value: answers.get(criterion.value) is True for criterion in YES_NO_QUESTIONS},
        )


@dataclass(frozen=True)
class Reason:
    """Why an answer makes the person ineligible."""

    criterion: Criterion
    title: str
    explanation: str


@dataclass(frozen=True)
class EligibilityResult:
    reasons: tuple[Reason, ...]

    @property
    def is_eligible(self) -> bool:
        return not self.reasons


def join_with_or(names: Iterable[str]) -> str:
    """ "A", "A or B", "A, B or C"."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} or {names[-1]}"


def footprint_text(rules: CohortRules) -> str:
    return join_with_or(rules.footprint)


def bands_text(rules: CohortRules) -> str:
    return join_with_or(name for _code, name in rules.eligible_bands)


def _footprint_reason(rules: CohortRules, answers: EligibilityAnswers) -> Reason | None:
    if answers.works_in_footprint:
        return None
    return Reason(
        Criterion.FOOTPRINT,
        "Where you work",
        f"{rules.cohort_name} is for people in an NHS or health and care funded role in "
        f"{footprint_text(rules)}. You told us you do not work in this area.",
    )


def _pay_band_reason(rules: CohortRules, answers: EligibilityAnswers) -> Reason | None:
    if answers.pay_band in rules.eligible_band_codes:
        return None
    return Reason(
        Criterion.PAY_BAND,
        "Your pay band",
        f"{rules.cohort_name} is for middle level leaders in {bands_text(rules)}. "
        "You told us your band is not one of these.",
    )


_YES_NO_REASONS = {
    Criterion.SENIOR_ROLES: (
        "Your career plans",
        "The scheme is for people who want to progress to senior leadership roles, for example at board "
        "or governing body level.",
    ),
    Criterion.READY_TO_LEARN: (
        "Learning and development",
        "The scheme asks you to learn and develop your leadership skills and behaviours over 24 months.",
    ),
    Criterion.COMPASSIONATE_LEADERSHIP: (
        "Your leadership",
        "The scheme is for people who can show compassionate and inclusive leadership values and style.",
    ),
    Criterion.CAREER_TRANSITION: (
        "Career transition",
        "The scheme helps people make one of two career transitions: towards managing a range of teams or "
        "being a senior technical expert (development stream 1), or towards leading a whole function or "
        "service (development stream 2).",
    ),
}


def check_eligibility(*, rules: CohortRules, answers: EligibilityAnswers) -> EligibilityResult:
    """Every criterion the answers fail for this intake, in the order the questions are asked."""
    reasons = [_footprint_reason(rules, answers), _pay_band_reason(rules, answers)]
    for criterion, (title, explanation) in _YES_NO_REASONS.items():
        if getattr(answers, criterion.value) is not True:
            reasons.append(Reason(criterion, title, explanation))
    return EligibilityResult(reasons=tuple(reason for reason in reasons if reason is not None))


def rules_for(cohort) -> CohortRules:
    """The rules of a saved cohort (reads its footprint and bands; prefetch them to save queries)."""
    return CohortRules(
        cohort_name=cohort.name,
        footprint=tuple(sorted(ics.name for ics in cohort.integrated_care_systems.all())),
        eligible_bands=tuple(
            (band.code, band.name)
            for band in sorted(cohort.eligible_pay_bands.all(), key=lambda band: (band.sort_order, band.code))
        ),
    )
