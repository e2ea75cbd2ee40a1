"""The eligibility rules, per cohort settings (pure functions: no database unless a cohort is read)."""

import dataclasses

import pytest

from accounts.models import IntegratedCareSystem, PayBand
from hps.eligibility import (
    ANOTHER_BAND,
    CohortRules,
    Criterion,
    EligibilityAnswers,
    check_eligibility,
    join_with_or,
    rules_for,
)
from tests.hps.factories import CohortFactory

BANDS_8A_TO_8D = (("AFC8A", "Band 8a"), ("AFC8B", "Band 8b"), ("AFC8C", "Band 8c"), ("AFC8D", "Band 8d"))
BANDS_8A_TO_8C = BANDS_8A_TO_8D[:3]
LOCAL_AUTHORITY = ("LA", "Local authority grade")

STAFFORDSHIRE = CohortRules(
    cohort_name="Staffordshire intake 2026",
    footprint=("Staffordshire and Stoke-on-Trent",),
    eligible_bands=BANDS_8A_TO_8D,
)
SHROPSHIRE_8A_TO_8C = CohortRules(
    cohort_name="Shropshire intake 2026",
    footprint=("Shropshire, Telford and Wrekin",),
    eligible_bands=BANDS_8A_TO_8C,
)
WITH_LOCAL_AUTHORITY = CohortRules(
    cohort_name="Joint intake 2026",
    footprint=("Shropshire, Telford and Wrekin", "Staffordshire and Stoke-on-Trent"),
    eligible_bands=(*BANDS_8A_TO_8D, LOCAL_AUTHORITY),
)

ELIGIBLE = EligibilityAnswers(
    works_in_footprint=True,
    pay_band="AFC8A",
    interested_in_senior_roles=True,
    ready_to_learn=True,
    compassionate_leadership=True,
    career_transition=True,
)


def _criteria(result) -> list[Criterion]:
    return [reason.criterion for reason in result.reasons]


def test_someone_who_meets_every_criterion_is_eligible():
    result = check_eligibility(rules=STAFFORDSHIRE, answers=ELIGIBLE)

    assert result.is_eligible is True
    assert result.reasons == ()


@pytest.mark.parametrize("band", ["AFC8A", "AFC8B", "AFC8C", "AFC8D"])
def test_an_8a_to_8d_intake_takes_every_band_from_8a_to_8d(band):
    answers = dataclasses.replace(ELIGIBLE, pay_band=band)

    assert check_eligibility(rules=STAFFORDSHIRE, answers=answers).is_eligible is True


def test_an_8a_to_8c_intake_refuses_band_8d_and_says_which_bands_it_takes():
    result = check_eligibility(
        rules=SHROPSHIRE_8A_TO_8C, answers=dataclasses.replace(ELIGIBLE, pay_band="AFC8D")
    )

    assert result.is_eligible is False
    assert len(result.reasons) == 1
    reason = result.reasons[0]
    assert (reason.criterion, reason.title, reason.explanation) == (
        Criterion.PAY_BAND,
        "Your pay band",
        "Shropshire intake 2026 is for middle level leaders in Band 8a, Band 8b or Band 8c. "
        "You told us your band is not one of these.",
    )


@pytest.mark.parametrize("band", ["AFC7", "AFC9", ANOTHER_BAND, ""])
def test_bands_outside_the_range_are_refused(band):
    result = check_eligibility(rules=STAFFORDSHIRE, answers=dataclasses.replace(ELIGIBLE, pay_band=band))

    assert _criteria(result) == [Criterion.PAY_BAND]


def test_a_local_authority_grade_is_refused_where_the_intake_does_not_list_it():
    answers = dataclasses.replace(ELIGIBLE, pay_band="LA")

    assert _criteria(check_eligibility(rules=STAFFORDSHIRE, answers=answers)) == [Criterion.PAY_BAND]


def test_a_local_authority_grade_is_allowed_where_the_intake_lists_it():
    answers = dataclasses.replace(ELIGIBLE, pay_band="LA")

    assert check_eligibility(rules=WITH_LOCAL_AUTHORITY, answers=answers).is_eligible is True


def test_someone_outside_the_footprint_is_told_which_area_the_intake_covers():
    result = check_eligibility(
        rules=WITH_LOCAL_AUTHORITY, answers=dataclasses.replace(ELIGIBLE, works_in_footprint=False)
    )

    assert [(reason.criterion, reason.title, reason.explanation) for reason in result.reasons] == [
        (
            Criterion.FOOTPRINT,
            "Where you work",
            "Joint intake 2026 is for people in an NHS or health and care funded role in Shropshire, "
            "Telford and Wrekin or Staffordshire and Stoke-on-Trent. "
            "You told us you do not work in this area.",
        )
    ]


@pytest.mark.parametrize(
    ("field", "criterion", "title", "explanation"),
    [
        (
            "interested_in_senior_roles",
            Criterion.SENIOR_ROLES,
            "Your career plans",
            "The scheme is for people who want to progress to senior leadership roles, for example at "
            "board or governing body level.",
        ),
        (
            "ready_to_learn",
            Criterion.READY_TO_LEARN,
            "Learning and development",
            "The scheme asks you to learn and develop your leadership skills and behaviours over 24 months.",
        ),
        (
            "compassionate_leadership",
            Criterion.COMPASSIONATE_LEADERSHIP,
            "Your leadership",
            "The scheme is for people who can show compassionate and inclusive leadership values and style.",
        ),
        (
            "career_transition",
            Criterion.CAREER_TRANSITION,
            "Career transition",
            "The scheme helps people make one of two career transitions: towards managing a range of teams "
            "or being a senior technical expert (development stream 1), or towards leading a whole function "
            "or service (development stream 2).",
        ),
    ],
)
def test_each_no_answer_gives_its_own_reason(field, criterion, title, explanation):
    result = check_eligibility(rules=STAFFORDSHIRE, answers=dataclasses.replace(ELIGIBLE, **{field: False}))

    assert [(reason.criterion, reason.title, reason.explanation) for reason in result.reasons] == [
        (criterion, title, explanation)
    ]


def test_every_failed_criterion_is_listed_in_the_order_of_the_questions():
    answers = EligibilityAnswers(
        works_in_footprint=False,
        pay_band=ANOTHER_BAND,
        interested_in_senior_roles=False,
        ready_to_learn=False,
        compassionate_leadership=False,
        career_transition=False,
    )

    assert _criteria(check_eligibility(rules=STAFFORDSHIRE, answers=answers)) == [
        Criterion.FOOTPRINT,
        Criterion.PAY_BAND,
        Criterion.SENIOR_ROLES,
        Criterion.READY_TO_LEARN,
        Criterion.COMPASSIONATE_LEADERSHIP,
        Criterion.CAREER_TRANSITION,
    ]


def test_answers_round_trip_through_the_json_stored_on_the_application():
    stored = ELIGIBLE.as_json()

    assert stored == {
        "works_in_footprint": True,
        "pay_band": "AFC8A",
        "interested_in_senior_roles": True,
        "ready_to_learn": True,
        "compassionate_leadership": True,
        "career_transition": True,
    }
    assert EligibilityAnswers.from_mapping(stored) == ELIGIBLE


def test_missing_or_malformed_answers_count_as_no():
    answers = EligibilityAnswers.from_mapping({"works_in_footprint": "yes", "pay_band": None})

    assert answers == EligibilityAnswers(
        works_in_footprint=False,
        pay_band=ANOTHER_BAND,
        interested_in_senior_roles=False,
        ready_to_learn=False,
        compassionate_leadership=False,
        career_transition=False,
    )
    assert check_eligibility(rules=STAFFORDSHIRE, answers=answers).is_eligible is False


@pytest.mark.parametrize(
    ("names", "expected"),
    [([], ""), (["A"], "A"), (["A", "B"], "A or B"), (["A", "B", "C"], "A, B or C")],
)
def test_join_with_or(names, expected):
    assert join_with_or(names) == expected


def test_rules_for_a_saved_cohort_read_its_footprint_and_bands_in_band_order(db):
    cohort = CohortFactory(
        name="Joint intake",
        integrated_care_systems=list(IntegratedCareSystem.objects.filter(code__in=["QNC", "QOC"])),
        eligible_pay_bands=list(PayBand.objects.filter(code__in=["LA", "AFC8C", "AFC8A"])),
    )

    assert rules_for(cohort) == CohortRules(
        cohort_name="Joint intake",
        footprint=("Shropshire, Telford and Wrekin", "Staffordshire and Stoke-on-Trent"),
        eligible_bands=(("AFC8A", "Band 8a"), ("AFC8C", "Band 8c"), LOCAL_AUTHORITY),
    )
