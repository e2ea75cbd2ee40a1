import pytest

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
from reporting.groups import (
    AGE_GROUPING,
    BREAKDOWNS,
    GROUPINGS,
    WDES_DISABILITY_GROUPING,
    WRES_ETHNIC_GROUPING,
    AgeGroup,
    WdesDisabilityGroup,
    WresEthnicGroup,
    age_group,
    wdes_disability_group,
    wres_ethnic_group,
)


@pytest.mark.parametrize("code", ["A", "B", "C"])
def test_white_british_irish_and_other_white_are_white_in_wres(code):
    assert wres_ethnic_group(code) == WresEthnicGroup.WHITE


@pytest.mark.parametrize("code", ["D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S"])
def test_every_other_stated_ethnic_category_is_bme_in_wres(code):
    assert wres_ethnic_group(code) == WresEthnicGroup.BME


@pytest.mark.parametrize("code", ["Z", "99"])
def test_not_stated_and_not_known_ethnicity_are_unknown_in_wres(code):
    assert wres_ethnic_group(code) == WresEthnicGroup.UNKNOWN


def test_wres_groups_list_their_codes():
    assert WRES_ETHNIC_GROUPING.codes_in(WresEthnicGroup.WHITE) == ("A", "B", "C")
    assert WRES_ETHNIC_GROUPING.codes_in(WresEthnicGroup.BME) == (
        "D",
        "E",
        "F",
        "G",
        "H",
        "J",
        "K",
        "L",
        "M",
        "N",
        "P",
        "R",
        "S",
    )
    assert WRES_ETHNIC_GROUPING.codes_in(WresEthnicGroup.UNKNOWN) == ("Z", "99")
    assert all(type(code) is str for code in WRES_ETHNIC_GROUPING.codes_in(WresEthnicGroup.WHITE))


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("Y", WdesDisabilityGroup.DISABLED),
        ("N", WdesDisabilityGroup.NON_DISABLED),
        ("Z", WdesDisabilityGroup.UNKNOWN),
        ("X", WdesDisabilityGroup.UNKNOWN),
    ],
)
def test_disability_answers_map_to_wdes_groups(code, group):
    assert wdes_disability_group(code) == group


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("U25", AgeGroup.UNDER_35),
        ("25_34", AgeGroup.UNDER_35),
        ("35_44", AgeGroup.FROM_35_TO_54),
        ("45_54", AgeGroup.FROM_35_TO_54),
        ("55_64", AgeGroup.FROM_55),
        ("65P", AgeGroup.FROM_55),
        ("Z", AgeGroup.UNKNOWN),
        ("X", AgeGroup.UNKNOWN),
    ],
)
def test_age_bands_map_to_age_groups(code, group):
    assert age_group(code) == group


@pytest.mark.parametrize(
    ("grouping", "choices"),
    [
        (WRES_ETHNIC_GROUPING, EthnicCategory),
        (WDES_DISABILITY_GROUPING, YesNoNotStated),
        (AGE_GROUPING, AgeBand),
    ],
)
def test_every_model_code_maps_to_exactly_one_group(grouping, choices):
    assert set(grouping.group_by_code) == set(choices.values)
    for code in choices.values:
        containing = [group for group in grouping.groups.values if code in grouping.codes_in(group)]
        assert containing == [grouping.group_of(code)]


@pytest.mark.parametrize(
    ("grouping", "choices"),
    [
        (WRES_ETHNIC_GROUPING, EthnicCategory),
        (WDES_DISABILITY_GROUPING, YesNoNotStated),
        (AGE_GROUPING, AgeBand),
    ],
)
def test_every_group_has_at_least_one_code(grouping, choices):
    for group in grouping.groups.values:
        assert grouping.codes_in(group)
    assert sorted(code for group in grouping.groups.values for code in grouping.codes_in(group)) == sorted(
        choices.values
    )


def test_groupings_read_existing_equality_profile_fields():
    field_names = {field.name for field in EqualityProfile._meta.get_fields()}
    assert {grouping.field for grouping in GROUPINGS.values()} <= field_names
    assert set(GROUPINGS) == {"wres_ethnic_group", "wdes_disability", "age_group"}


def test_group_labels():
    assert WRES_ETHNIC_GROUPING.group_label("white") == "White"
    assert WRES_ETHNIC_GROUPING.group_label("bme") == "Black and minority ethnic (BME)"
    assert WDES_DISABILITY_GROUPING.group_label("non_disabled") == "Non-disabled"
    assert AGE_GROUPING.group_label("55_plus") == "55 or over"


def test_unknown_code_is_a_clear_error():
    with pytest.raises(ValueError, match=r"^'Q' is not a code for ethnic group$"):
        wres_ethnic_group("Q")
    with pytest.raises(ValueError, match=r"^'maybe' is not a code for disability$"):
        wdes_disability_group("maybe")
    with pytest.raises(ValueError, match=r"^'70_79' is not a code for age band$"):
        age_group("70_79")


def test_unknown_group_is_a_clear_error():
    with pytest.raises(ValueError, match=r"^'asian' is not a group of ethnic group \(WRES\)$"):
        WRES_ETHNIC_GROUPING.codes_in("asian")
    with pytest.raises(ValueError, match=r"^'asian' is not a group of ethnic group \(WRES\)$"):
        WRES_ETHNIC_GROUPING.group_label("asian")


@pytest.mark.parametrize(
    ("field", "choices"),
    [
        ("ethnic_category", EthnicCategory),
        ("sex", Sex),
        ("gender_identity", GenderIdentity),
        ("gender_same_as_birth", YesNoNotStated),
        ("sexual_orientation", SexualOrientation),
        ("religion_group", ReligionGroup),
        ("disability", YesNoNotStated),
        ("age_band", AgeBand),
    ],
)
def test_breakdowns_hold_every_code_with_its_label_in_model_order(field, choices):
    breakdown = BREAKDOWNS[field]

    assert breakdown.field == field
    assert breakdown.choices == tuple(choices.choices)
    assert breakdown.codes == tuple(choices.values)
    assert all(type(code) is str and type(label) is str for code, label in breakdown.choices)


def test_breakdowns_cover_every_equality_field_on_the_model():
    equality_fields = {
        field.name
        for field in EqualityProfile._meta.get_fields()
        if getattr(field, "choices", None) and field.name != "source"
    }
    assert set(BREAKDOWNS) == equality_fields


def test_breakdown_labels():
    assert BREAKDOWNS["ethnic_category"].label_of("B") == "White - Irish"
    assert BREAKDOWNS["religion_group"].label_of("L") == "No religion"
    assert BREAKDOWNS["religion_group"].label == "Religion or belief"
    with pytest.raises(ValueError, match=r"^'Q' is not a code for religion or belief$"):
        BREAKDOWNS["religion_group"].label_of("Q")
