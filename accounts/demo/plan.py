"""Who the demo people are, decided without the database from a fixed random seed.

The same staff count always gives the same people, posts, managers, ESR numbers and equality
answers, so the seed can match existing rows by email address and change nothing on a second run.
"""

import random
import re
from dataclasses import dataclass
from typing import NamedTuple

from accounts.demo.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES
from accounts.demo.organisations import ORGANISATIONS, OrganisationPlan, Post
from accounts.models import (
    AgeBand,
    EqualityProfile,
    EthnicCategory,
    GenderIdentity,
    ReligionGroup,
    Role,
    Scope,
    Sex,
    SexualOrientation,
    YesNoNotStated,
)

# Any fixed value works: this one is the day the first High Potential Scheme cohort started.
RANDOM_SEED = 20190729
DEFAULT_STAFF_COUNT = 300
MAXIMUM_STAFF_COUNT = 5000
DEMO_EMAIL_DOMAIN = "demo.nhs.test"
# Tiers of the management structure, from the top.
CHIEF_EXECUTIVE, DIRECTOR, HEAD, TEAM_MANAGER, TEAM_MEMBER = range(5)


@dataclass(frozen=True)
class RolePlan:
    role: Role
    scope: Scope
    target_code: str = ""


@dataclass(frozen=True)
class DemoSignIn:
    """A fixed demo account for one role, placed in a post of the generated structure."""

    role_label: str
    email: str
    first_name: str
    last_name: str
    # Which generated post the person takes: the first with this title in this organisation (and,
    # when given, reporting to that other demo sign-in). No post for the system administrator.
    organisation_code: str = ""
    job_title: str = ""
    reports_to: str = ""
    role: RolePlan | None = None
    is_system_administrator: bool = False
    has_equality_profile: bool = True


DEMO_SIGN_INS: tuple[DemoSignIn, ...] = (
    DemoSignIn(
        "Individual",
        f"individual@{DEMO_EMAIL_DOMAIN}",
        "Imani",
        "Clarke",
        organisation_code="RJE",
        job_title="Senior staff nurse",
        reports_to=f"line.manager@{DEMO_EMAIL_DOMAIN}",
        # Starts without equality answers so that the declaration journey can be shown.
        has_equality_profile=False,
    ),
    DemoSignIn(
        "Line manager",
        f"line.manager@{DEMO_EMAIL_DOMAIN}",
        "Morgan",
        "Hughes",
        organisation_code="RJE",
        job_title="Ward manager",
    ),
    DemoSignIn(
        "Talent lead",
        f"talent.lead@{DEMO_EMAIL_DOMAIN}",
        "Tariq",
        "Hussain",
        organisation_code="QNC",
        job_title="Head of talent management",
        role=RolePlan(Role.TALENT_LEAD, Scope.ICS, "QNC"),
    ),
    DemoSignIn(
        "HPS applicant",
        f"hps.applicant@{DEMO_EMAIL_DOMAIN}",
        "Siobhan",
        "Kelly",
        organisation_code="RJE",
        job_title="Directorate manager, surgery",
    ),
    DemoSignIn(
        "HPS sponsor",
        f"sponsor@{DEMO_EMAIL_DOMAIN}",
        "Denise",
        "Okonjo",
        organisation_code="RJE",
        job_title="Chief operating officer",
    ),
    DemoSignIn(
        "Career coach",
        f"coach@{DEMO_EMAIL_DOMAIN}",
        "Helen",
        "Price",
        organisation_code="RRE",
        job_title="Head of leadership and organisational development",
        role=RolePlan(Role.COACH, Scope.NATIONAL),
    ),
    DemoSignIn(
        "HPS programme administrator",
        f"hps.admin@{DEMO_EMAIL_DOMAIN}",
        "Gareth",
        "Evans",
        organisation_code="QOC",
        job_title="Leadership and talent programme manager",
        role=RolePlan(Role.HPS_ADMINISTRATOR, Scope.REGION, "Y60"),
    ),
    DemoSignIn(
        "System administrator",
        f"admin@{DEMO_EMAIL_DOMAIN}",
        "Alex",
        "Morgan",
        is_system_administrator=True,
    ),
)


@dataclass(frozen=True)
class EqualityAnswers:
    ethnic_category: str
    sex: str
    gender_identity: str
    gender_same_as_birth: str
    sexual_orientation: str
    religion_group: str
    disability: str
    age_band: str
    source: str


@dataclass(frozen=True)
class PlannedPerson:
    email: str
    first_name: str
    last_name: str
    organisation_code: str
    post: Post
    tier: int
    manager_email: str | None
    esr_assignment_number: str
    equality: EqualityAnswers | None


@dataclass(frozen=True)
class DemoPlan:
    organisations: tuple[OrganisationPlan, ...]
    people: tuple[PlannedPerson, ...]
    sign_ins: tuple[DemoSignIn, ...] = DEMO_SIGN_INS


class _Identity(NamedTuple):
    email: str
    first_name: str
    last_name: str
    # The sex the first name suggests, so that equality answers usually agree with the name.
    sex: str


@dataclass
class _Position:
    organisation_code: str
    post: Post
    tier: int
    manager_index: int | None


def minimum_staff_count() -> int:
    """The fewest staff that still give every organisation a full structure with staff in each team."""
    return sum(organisation.minimum_staff for organisation in ORGANISATIONS)


def build_plan(staff_count: int = DEFAULT_STAFF_COUNT) -> DemoPlan:
    """Every demo person with their post, manager and equality answers. Raises ValueError if out of range."""
    if not minimum_staff_count() <= staff_count <= MAXIMUM_STAFF_COUNT:
        raise ValueError(f"Enter a number of staff between {minimum_staff_count()} and {MAXIMUM_STAFF_COUNT}")
    # Repeatable made-up data, not security: the same seed must give the same people every time.
    rng = random.Random(RANDOM_SEED)  # noqa: S311
    sizes = _allocate(
        staff_count,
        minima=[organisation.minimum_staff for organisation in ORGANISATIONS],
        weights=[organisation.weight for organisation in ORGANISATIONS],
    )
    positions: list[_Position] = []
    for organisation, size in zip(ORGANISATIONS, sizes, strict=True):
        _add_positions(positions, organisation, size)
    identities = _identities(rng, len(positions))
    esr_numbers = [str(number) for number in rng.sample(range(10_000_000, 100_000_000), len(positions))]
    equality = [
        _equality_answers(rng, identity.sex, position.tier)
        for position, identity in zip(positions, identities, strict=True)
    ]
    _place_sign_ins(positions, identities, equality)

    people = tuple(
        PlannedPerson(
            email=identity.email,
            first_name=identity.first_name,
            last_name=identity.last_name,
            organisation_code=position.organisation_code,
            post=position.post,
            tier=position.tier,
            manager_email=identities[position.manager_index].email
            if position.manager_index is not None
            else None,
            esr_assignment_number=esr_number,
            equality=answers,
        )
        for position, identity, esr_number, answers in zip(
            positions, identities, esr_numbers, equality, strict=True
        )
    )
    return DemoPlan(organisations=ORGANISATIONS, people=people)


def _allocate(total: int, *, minima: list[int], weights: list[int]) -> list[int]:
    """Give each part its minimum, then share the rest by weight (largest remainder, first wins ties)."""
    spare = total - sum(minima)
    weight_total = sum(weights)
    shares = [spare * weight // weight_total for weight in weights]
    remainders = [spare * weight % weight_total for weight in weights]
    leftover = spare - sum(shares)
    for index in sorted(range(len(weights)), key=lambda index: -remainders[index])[:leftover]:
        shares[index] += 1
    return [minimum + share for minimum, share in zip(minima, shares, strict=True)]


def _add_positions(positions: list[_Position], organisation: OrganisationPlan, size: int) -> None:
    """Add an organisation's posts from the top down: chief executive, directors, heads, team managers,
    then team members. Managers are referred to by their index in `positions`."""
    code = organisation.code
    first_index = len(positions)
    positions.append(_Position(code, organisation.chief_executive, CHIEF_EXECUTIVE, None))
    head_indexes = []
    for directorate in organisation.directorates:
        positions.append(_Position(code, directorate.director, DIRECTOR, first_index))
        director_index = len(positions) - 1
        for service in directorate.services:
            positions.append(_Position(code, service.head, HEAD, director_index))
            head_indexes.extend([len(positions) - 1] * len(service.teams))
    team_manager_indexes = []
    for team, head_index in zip(organisation.teams, head_indexes, strict=True):
        positions.append(_Position(code, team.manager, TEAM_MANAGER, head_index))
        team_manager_indexes.append(len(positions) - 1)
    member_counts = _allocate(
        size - organisation.leader_count,
        minima=[1] * len(organisation.teams),
        weights=[team.size for team in organisation.teams],
    )
    for team, manager_index, count in zip(
        organisation.teams, team_manager_indexes, member_counts, strict=True
    ):
        positions.extend(
            _Position(code, team.members[number % len(team.members)], TEAM_MEMBER, manager_index)
            for number in range(count)
        )


def _identities(rng: random.Random, count: int) -> list[_Identity]:
    """A made-up person for each position, with a unique email address."""
    identities = []
    used_emails = {sign_in.email for sign_in in DEMO_SIGN_INS}
    for _ in range(count):
        sex = Sex.FEMALE if rng.random() < 0.77 else Sex.MALE
        first_name = rng.choice(FEMALE_FIRST_NAMES if sex == Sex.FEMALE else MALE_FIRST_NAMES)
        last_name = rng.choice(LAST_NAMES)
        local_part = f"{_email_part(first_name)}.{_email_part(last_name)}"
        email = f"{local_part}@{DEMO_EMAIL_DOMAIN}"
        number = 1
        while email in used_emails:
            number += 1
            email = f"{local_part}{number}@{DEMO_EMAIL_DOMAIN}"
        used_emails.add(email)
        identities.append(_Identity(email, first_name, last_name, sex))
    return identities


def _email_part(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def _place_sign_ins(
    positions: list[_Position],
    identities: list[_Identity],
    equality: list[EqualityAnswers | None],
) -> None:
    """Give each demo sign-in the identity of the first matching generated post."""
    placed: dict[str, int] = {}
    # Managers first, so that a sign-in can be placed in the team of another.
    for sign_in in sorted(DEMO_SIGN_INS, key=lambda sign_in: bool(sign_in.reports_to)):
        if not sign_in.organisation_code:
            continue
        index = next(
            index
            for index, position in enumerate(positions)
            if position.organisation_code == sign_in.organisation_code
            and position.post.title == sign_in.job_title
            and (not sign_in.reports_to or position.manager_index == placed[sign_in.reports_to])
        )
        placed[sign_in.email] = index
        identities[index] = identities[index]._replace(
            email=sign_in.email, first_name=sign_in.first_name, last_name=sign_in.last_name
        )
        if not sign_in.has_equality_profile:
            equality[index] = None


def _pick(rng: random.Random, weighted: dict[str, float]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


# Roughly the NHS workforce in England: about three in four staff are women, about a quarter are
# from a Black, Asian or other minority ethnic background, and some people choose not to say.
ETHNIC_CATEGORY_WEIGHTS = {
    EthnicCategory.WHITE_BRITISH: 62,
    EthnicCategory.WHITE_IRISH: 1,
    EthnicCategory.WHITE_OTHER: 6,
    EthnicCategory.MIXED_WHITE_BLACK_CARIBBEAN: 1,
    EthnicCategory.MIXED_WHITE_BLACK_AFRICAN: 0.5,
    EthnicCategory.MIXED_WHITE_ASIAN: 0.5,
    EthnicCategory.MIXED_OTHER: 1,
    EthnicCategory.ASIAN_INDIAN: 7,
    EthnicCategory.ASIAN_PAKISTANI: 3,
    EthnicCategory.ASIAN_BANGLADESHI: 1,
    EthnicCategory.ASIAN_OTHER: 3,
    EthnicCategory.BLACK_CARIBBEAN: 1.5,
    EthnicCategory.BLACK_AFRICAN: 6,
    EthnicCategory.BLACK_OTHER: 0.5,
    EthnicCategory.CHINESE: 1,
    EthnicCategory.OTHER: 1.5,
    EthnicCategory.NOT_STATED: 3,
    EthnicCategory.NOT_KNOWN: 1,
}
SEXUAL_ORIENTATION_WEIGHTS = {
    SexualOrientation.HETEROSEXUAL: 84,
    SexualOrientation.GAY_OR_LESBIAN: 3,
    SexualOrientation.BISEXUAL: 2,
    SexualOrientation.OTHER: 0.5,
    SexualOrientation.UNSURE: 0.5,
    SexualOrientation.NOT_STATED: 8,
    SexualOrientation.NOT_KNOWN: 2,
}
RELIGION_GROUP_WEIGHTS = {
    ReligionGroup.CHRISTIAN: 44,
    ReligionGroup.NONE: 30,
    ReligionGroup.MUSLIM: 6,
    ReligionGroup.HINDU: 3,
    ReligionGroup.SIKH: 1,
    ReligionGroup.BUDDHIST: 0.5,
    ReligionGroup.JEWISH: 0.5,
    ReligionGroup.OTHER: 2,
    ReligionGroup.NOT_STATED: 11,
    ReligionGroup.NOT_KNOWN: 2,
}
DISABILITY_WEIGHTS = {
    YesNoNotStated.NO: 82,
    YesNoNotStated.YES: 6,
    YesNoNotStated.NOT_STATED: 9,
    YesNoNotStated.NOT_KNOWN: 3,
}
GENDER_SAME_AS_BIRTH_WEIGHTS = {
    YesNoNotStated.YES: 94,
    YesNoNotStated.NO: 1,
    YesNoNotStated.NOT_STATED: 4,
    YesNoNotStated.NOT_KNOWN: 1,
}
AGE_BAND_WEIGHTS_BY_TIER = {
    CHIEF_EXECUTIVE: {AgeBand.FROM_45_TO_54: 55, AgeBand.FROM_55_TO_64: 40, AgeBand.NOT_STATED: 5},
    DIRECTOR: {
        AgeBand.FROM_35_TO_44: 15,
        AgeBand.FROM_45_TO_54: 50,
        AgeBand.FROM_55_TO_64: 32,
        AgeBand.NOT_STATED: 3,
    },
    HEAD: {
        AgeBand.FROM_25_TO_34: 5,
        AgeBand.FROM_35_TO_44: 40,
        AgeBand.FROM_45_TO_54: 35,
        AgeBand.FROM_55_TO_64: 18,
        AgeBand.NOT_STATED: 2,
    },
    TEAM_MANAGER: {
        AgeBand.FROM_25_TO_34: 25,
        AgeBand.FROM_35_TO_44: 35,
        AgeBand.FROM_45_TO_54: 25,
        AgeBand.FROM_55_TO_64: 13,
        AgeBand.NOT_STATED: 2,
    },
    TEAM_MEMBER: {
        AgeBand.UNDER_25: 12,
        AgeBand.FROM_25_TO_34: 30,
        AgeBand.FROM_35_TO_44: 22,
        AgeBand.FROM_45_TO_54: 18,
        AgeBand.FROM_55_TO_64: 13,
        AgeBand.OVER_65: 2,
        AgeBand.NOT_STATED: 2,
        AgeBand.NOT_KNOWN: 1,
    },
}
# One person in ten has never filled in the form, so has no profile at all.
SHARE_WITHOUT_PROFILE = 0.1


def _equality_answers(rng: random.Random, sex_of_name: str, tier: int) -> EqualityAnswers | None:
    if rng.random() < SHARE_WITHOUT_PROFILE:
        return None
    sex = _pick(rng, {sex_of_name: 96, Sex.NOT_SPECIFIED: 3, Sex.NOT_KNOWN: 1})
    same_gender = GenderIdentity.FEMALE if sex == Sex.FEMALE else GenderIdentity.MALE
    gender_identity = (
        _pick(rng, {same_gender: 96, GenderIdentity.NON_BINARY: 1, GenderIdentity.NOT_STATED: 3})
        if sex in (Sex.FEMALE, Sex.MALE)
        else _pick(rng, {GenderIdentity.NOT_STATED: 3, GenderIdentity.NOT_KNOWN: 1})
    )
    gender_same_as_birth = (
        YesNoNotStated.NO
        if gender_identity == GenderIdentity.NON_BINARY
        else _pick(rng, GENDER_SAME_AS_BIRTH_WEIGHTS)
    )
    return EqualityAnswers(
        ethnic_category=_pick(rng, ETHNIC_CATEGORY_WEIGHTS),
        sex=sex,
        gender_identity=gender_identity,
        gender_same_as_birth=gender_same_as_birth,
        sexual_orientation=_pick(rng, SEXUAL_ORIENTATION_WEIGHTS),
        religion_group=_pick(rng, RELIGION_GROUP_WEIGHTS),
        disability=_pick(rng, DISABILITY_WEIGHTS),
        age_band=_pick(rng, AGE_BAND_WEIGHTS_BY_TIER[tier]),
        source=_pick(rng, {EqualityProfile.Source.ESR: 70, EqualityProfile.Source.SELF: 30}),
    )
