"""Equality breakdowns and derived groups used by the EDI reports.

Pure functions and constant mappings over the NHS Data Dictionary codes held on
`accounts.models.EqualityProfile`: nothing here touches the database. Aggregation code uses
`Grouping.codes_in(group)` to build filters and `Grouping.group_of(code)` to fold counts.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.db import models

from accounts.models import (
    AgeBand,
    EthnicCategory,
    GenderIdentity,
    ReligionGroup,
    Sex,
    SexualOrientation,
    YesNoNotStated,
)


def _lower_first(label: str) -> str:
    # Sentence case inside a message, keeping initialisms such as WRES in capitals.
    return label[:1].lower() + label[1:]


@dataclass(frozen=True, slots=True)
class Breakdown:
    """The full code list of one equality field, in display order, for breaking a measure down."""

    field: str
    label: str
    choices: tuple[tuple[str, str], ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _label in self.choices)

    def label_of(self, code: str) -> str:
        for known_code, label in self.choices:
            if known_code == code:
                return label
        raise ValueError(f"{code!r} is not a code for {_lower_first(self.label)}")


def _breakdown(field: str, label: str, choices: type[models.TextChoices]) -> Breakdown:
    return Breakdown(
        field=field, label=label, choices=tuple((str(code), str(name)) for code, name in choices.choices)
    )


# One entry per EqualityProfile field, keyed by the model field name.
BREAKDOWNS: Mapping[str, Breakdown] = MappingProxyType(
    {
        breakdown.field: breakdown
        for breakdown in (
            _breakdown("ethnic_category", "Ethnic group", EthnicCategory),
            _breakdown("sex", "Sex", Sex),
            _breakdown("gender_identity", "Gender identity", GenderIdentity),
            _breakdown(
                "gender_same_as_birth", "Gender identity the same as sex registered at birth", YesNoNotStated
            ),
            _breakdown("sexual_orientation", "Sexual orientation", SexualOrientation),
            _breakdown("religion_group", "Religion or belief", ReligionGroup),
            _breakdown("disability", "Disability", YesNoNotStated),
            _breakdown("age_band", "Age band", AgeBand),
        )
    }
)


class WresEthnicGroup(models.TextChoices):
    WHITE = "white", "White"
    BME = "bme", "Black and minority ethnic (BME)"
    UNKNOWN = "unknown", "Not known or not stated"


class WdesDisabilityGroup(models.TextChoices):
    DISABLED = "disabled", "Disabled"
    NON_DISABLED = "non_disabled", "Non-disabled"
    UNKNOWN = "unknown", "Not known or not stated"


class AgeGroup(models.TextChoices):
    UNDER_35 = "under_35", "Under 35"
    FROM_35_TO_54 = "35_54", "35 to 54"
    FROM_55 = "55_plus", "55 or over"
    UNKNOWN = "unknown", "Not known or not stated"


@dataclass(frozen=True, slots=True)
class Grouping:
    """A derived grouping: every code of `field` belongs to exactly one group."""

    field: str
    label: str
    groups: type[models.TextChoices]
    group_by_code: Mapping[str, str]

    def group_of(self, code: str) -> str:
        try:
            return str(self.group_by_code[code])
        except KeyError:
            raise ValueError(
                f"{code!r} is not a code for {_lower_first(BREAKDOWNS[self.field].label)}"
            ) from None

    def codes_in(self, group: str) -> tuple[str, ...]:
        if group not in self.groups.values:
            raise ValueError(f"{group!r} is not a group of {_lower_first(self.label)}")
        return tuple(str(code) for code, code_group in self.group_by_code.items() if code_group == group)

    def group_label(self, group: str) -> str:
        if group not in self.groups.values:
            raise ValueError(f"{group!r} is not a group of {_lower_first(self.label)}")
        return str(self.groups(group).label)


# WRES counts "White" as White British, White Irish and Any other White background (codes A, B and C);
# BME is every other stated category (domain-research.md section 3.1, source S24). So White Irish and
# White Other are White, not BME. Not stated (Z) and not known (99) are left out of both groups.
WRES_ETHNIC_GROUPING = Grouping(
    field="ethnic_category",
    label="Ethnic group (WRES)",
    groups=WresEthnicGroup,
    group_by_code=MappingProxyType(
        {
            EthnicCategory.WHITE_BRITISH: WresEthnicGroup.WHITE,
            EthnicCategory.WHITE_IRISH: WresEthnicGroup.WHITE,
            EthnicCategory.WHITE_OTHER: WresEthnicGroup.WHITE,
            EthnicCategory.MIXED_WHITE_BLACK_CARIBBEAN: WresEthnicGroup.BME,
            EthnicCategory.MIXED_WHITE_BLACK_AFRICAN: WresEthnicGroup.BME,
            EthnicCategory.MIXED_WHITE_ASIAN: WresEthnicGroup.BME,
            EthnicCategory.MIXED_OTHER: WresEthnicGroup.BME,
            EthnicCategory.ASIAN_INDIAN: WresEthnicGroup.BME,
            EthnicCategory.ASIAN_PAKISTANI: WresEthnicGroup.BME,
            EthnicCategory.ASIAN_BANGLADESHI: WresEthnicGroup.BME,
            EthnicCategory.ASIAN_OTHER: WresEthnicGroup.BME,
            EthnicCategory.BLACK_CARIBBEAN: WresEthnicGroup.BME,
            EthnicCategory.BLACK_AFRICAN: WresEthnicGroup.BME,
            EthnicCategory.BLACK_OTHER: WresEthnicGroup.BME,
            EthnicCategory.CHINESE: WresEthnicGroup.BME,
            EthnicCategory.OTHER: WresEthnicGroup.BME,
            EthnicCategory.NOT_STATED: WresEthnicGroup.UNKNOWN,
            EthnicCategory.NOT_KNOWN: WresEthnicGroup.UNKNOWN,
        }
    ),
)

# WDES compares Disabled with non-disabled staff (domain-research.md section 3.2); people who chose not
# to say or whose answer is not recorded are in neither group.
WDES_DISABILITY_GROUPING = Grouping(
    field="disability",
    label="Disability (WDES)",
    groups=WdesDisabilityGroup,
    group_by_code=MappingProxyType(
        {
            YesNoNotStated.YES: WdesDisabilityGroup.DISABLED,
            YesNoNotStated.NO: WdesDisabilityGroup.NON_DISABLED,
            YesNoNotStated.NOT_STATED: WdesDisabilityGroup.UNKNOWN,
            YesNoNotStated.NOT_KNOWN: WdesDisabilityGroup.UNKNOWN,
        }
    ),
)

# Wider age groups keep more cells above the disclosure threshold than the six stored bands. The stored
# bands do not line up with the Staff Survey's (21-30, 51-65 ...), so no Staff Survey mapping is made.
AGE_GROUPING = Grouping(
    field="age_band",
    label="Age group",
    groups=AgeGroup,
    group_by_code=MappingProxyType(
        {
            AgeBand.UNDER_25: AgeGroup.UNDER_35,
            AgeBand.FROM_25_TO_34: AgeGroup.UNDER_35,
            AgeBand.FROM_35_TO_44: AgeGroup.FROM_35_TO_54,
            AgeBand.FROM_45_TO_54: AgeGroup.FROM_35_TO_54,
            AgeBand.FROM_55_TO_64: AgeGroup.FROM_55,
            AgeBand.OVER_65: AgeGroup.FROM_55,
            AgeBand.NOT_STATED: AgeGroup.UNKNOWN,
            AgeBand.NOT_KNOWN: AgeGroup.UNKNOWN,
        }
    ),
)

GROUPINGS: Mapping[str, Grouping] = MappingProxyType(
    {
        "wres_ethnic_group": WRES_ETHNIC_GROUPING,
        "wdes_disability": WDES_DISABILITY_GROUPING,
        "age_group": AGE_GROUPING,
    }
)


def wres_ethnic_group(ethnic_category: str) -> WresEthnicGroup:
    """The WRES group (White, BME or unknown) for an NHS ethnic category code."""
    return WresEthnicGroup(WRES_ETHNIC_GROUPING.group_of(ethnic_category))


def wdes_disability_group(disability: str) -> WdesDisabilityGroup:
    """The WDES group (Disabled, non-disabled or unknown) for a disability answer."""
    return WdesDisabilityGroup(WDES_DISABILITY_GROUPING.group_of(disability))


def age_group(age_band: str) -> AgeGroup:
    """The wider age group for a stored age band."""
    return AgeGroup(AGE_GROUPING.group_of(age_band))
