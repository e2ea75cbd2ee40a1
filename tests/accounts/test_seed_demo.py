import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, minimum_staff_count
from accounts.models import (
    EqualityProfile,
    EthnicCategory,
    Organisation,
    PayBand,
    Role,
    RoleAssignment,
    Scope,
    StaffGroup,
    StaffProfile,
    User,
)
from hps.models import Cohort
from hps.progress import add_months
from tests.accounts.factories import (
    IntegratedCareSystemFactory,
    OrganisationTypeFactory,
    PayBandFactory,
    RegionFactory,
    StaffGroupFactory,
)

ORGANISATION_TYPE_CODES = ["NHS_TRUST", "NHS_FT", "ICB", "LOCAL_AUTHORITY", "PRIMARY_CARE"]
PAY_BAND_CODES = [
    "AFC1",
    "AFC2",
    "AFC3",
    "AFC4",
    "AFC5",
    "AFC6",
    "AFC7",
    "AFC8A",
    "AFC8B",
    "AFC8C",
    "AFC8D",
    "AFC9",
    "VSM",
    "MED_CONSULTANT",
    "MED_SAS",
    "MED_RESIDENT",
    "LA",
    "OTHER",
]
STAFF_GROUP_CODES = [
    "DOCTORS",
    "NURSES",
    "MIDWIVES",
    "AMBULANCE",
    "STT",
    "SUPPORT_DNM",
    "SUPPORT_AMBULANCE",
    "SUPPORT_STT",
    "CENTRAL",
    "ESTATES",
    "SENIOR_MANAGERS",
    "MANAGERS",
    "OTHER",
]
SIGN_IN_EMAILS = [
    "individual@demo.nhs.test",
    "line.manager@demo.nhs.test",
    "talent.lead@demo.nhs.test",
    "hps.applicant@demo.nhs.test",
    "sponsor@demo.nhs.test",
    "coach@demo.nhs.test",
    "hps.admin@demo.nhs.test",
    "admin@demo.nhs.test",
]


@pytest.fixture
def reference_data(db):
    """The rows the seed migration loads; get-or-create, so this changes nothing when they are there."""
    midlands = RegionFactory(code="Y60", name="Midlands")
    IntegratedCareSystemFactory(
        code="QNC", ons_code="E54000010", name="Staffordshire and Stoke-on-Trent", region=midlands
    )
    IntegratedCareSystemFactory(
        code="QOC", ons_code="E54000011", name="Shropshire, Telford and Wrekin", region=midlands
    )
    for code in ORGANISATION_TYPE_CODES:
        OrganisationTypeFactory(code=code, name=code)
    for sort_order, code in enumerate(PAY_BAND_CODES):
        PayBandFactory(code=code, name=code, sort_order=sort_order)
    for code in STAFF_GROUP_CODES:
        StaffGroupFactory(code=code, name=code, is_clinical=code not in {"CENTRAL", "ESTATES", "OTHER"})


def seed(*arguments) -> str:
    output = StringIO()
    call_command("seed_demo", *arguments, stdout=output)
    return output.getvalue()


def row_counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "staff_profiles": StaffProfile.objects.count(),
        "equality_profiles": EqualityProfile.objects.count(),
        "role_assignments": RoleAssignment.objects.count(),
    }


def staff_rows() -> list[tuple]:
    return list(
        StaffProfile.objects.order_by("user__email").values_list(
            "user__email",
            "user__first_name",
            "user__last_name",
            "organisation__code",
            "job_title",
            "pay_band__code",
            "staff_group__code",
            "line_manager__email",
            "esr_assignment_number",
            "updated_at",
        )
    )


def profile(email: str) -> StaffProfile:
    return StaffProfile.objects.select_related("line_manager__staff_profile").get(user__email=email)


def test_seeding_twice_gives_the_same_rows(reference_data):
    first_output = seed()
    counts_after_first_run = row_counts()
    rows_after_first_run = staff_rows()

    second_output = seed()

    expected_counts = {
        "organisations": 9,
        "users": 301,
        "staff_profiles": 300,
        "equality_profiles": 273,
        "role_assignments": 3,
    }
    assert counts_after_first_run == expected_counts
    assert row_counts() == expected_counts
    assert staff_rows() == rows_after_first_run
    assert first_output.splitlines()[0] == (
        "Demo data ready: 9 organisations, 300 staff (273 with equality monitoring answers). "
        "People created: 301, updated: 0."
    )
    assert second_output.splitlines()[0] == (
        "Demo data ready: 9 organisations, 300 staff (273 with equality monitoring answers). "
        "People created: 0, updated: 0."
    )


def test_seeding_creates_the_real_organisations_in_both_systems(reference_data):
    seed()

    organisations = list(
        Organisation.objects.order_by("integrated_care_system__code", "code").values_list(
            "integrated_care_system__code", "code", "organisation_type__code", "name"
        )
    )
    assert organisations == [
        ("QNC", "QNC", "ICB", "NHS Staffordshire and Stoke-on-Trent Integrated Care Board"),
        ("QNC", "RJE", "NHS_TRUST", "University Hospitals of North Midlands NHS Trust"),
        ("QNC", "RLY", "NHS_TRUST", "North Staffordshire Combined Healthcare NHS Trust"),
        ("QNC", "RRE", "NHS_FT", "Midlands Partnership University NHS Foundation Trust"),
        ("QOC", "E06000020", "LOCAL_AUTHORITY", "Telford & Wrekin Council"),
        ("QOC", "QOC", "ICB", "NHS Shropshire, Telford and Wrekin Integrated Care Board"),
        ("QOC", "R1D", "NHS_TRUST", "Shropshire Community Health NHS Trust"),
        ("QOC", "RL1", "NHS_FT", "The Robert Jones and Agnes Hunt Orthopaedic Hospital NHS Foundation Trust"),
        ("QOC", "RXW", "NHS_TRUST", "The Shrewsbury and Telford Hospital NHS Trust"),
    ]


def test_demo_sign_ins_have_their_posts_roles_and_managers(reference_data):
    seed()

    individual = profile("individual@demo.nhs.test")
    line_manager = profile("line.manager@demo.nhs.test")
    applicant = profile("hps.applicant@demo.nhs.test")
    sponsor = profile("sponsor@demo.nhs.test")
    assert (individual.organisation.code, individual.job_title, individual.pay_band.code) == (
        "RJE",
        "Senior staff nurse",
        "AFC6",
    )
    assert individual.staff_group.code == "NURSES"
    assert individual.line_manager == line_manager.user
    assert list(
        StaffProfile.objects.filter(line_manager=line_manager.user)
        .order_by("job_title")
        .values_list("job_title", flat=True)
    ) == [
        "Healthcare assistant",
        "Nursing associate",
        "Senior healthcare assistant",
        "Senior staff nurse",
        "Staff nurse",
        "Staff nurse",
    ]
    assert applicant.pay_band.code == "AFC8A"
    assert applicant.line_manager.staff_profile.line_manager == sponsor.user
    assert (sponsor.job_title, sponsor.pay_band.code) == ("Chief operating officer", "VSM")
    assert set(
        RoleAssignment.objects.values_list(
            "user__email", "role", "scope", "region__code", "integrated_care_system__code", "organisation"
        )
    ) == {
        ("talent.lead@demo.nhs.test", Role.TALENT_LEAD, Scope.ICS, None, "QNC", None),
        ("coach@demo.nhs.test", Role.COACH, Scope.NATIONAL, None, None, None),
        ("hps.admin@demo.nhs.test", Role.HPS_ADMINISTRATOR, Scope.REGION, "Y60", None, None),
    }
    administrator = User.objects.get(email="admin@demo.nhs.test")
    assert (administrator.is_staff, administrator.is_superuser) == (True, True)
    assert not StaffProfile.objects.filter(user=administrator).exists()
    assert list(User.objects.filter(is_superuser=True).values_list("email", flat=True)) == [
        "admin@demo.nhs.test"
    ]


def test_hierarchy_has_one_chief_executive_per_organisation_and_no_cycles(reference_data):
    seed()

    profiles = {
        profile.user_id: profile
        for profile in StaffProfile.objects.select_related("line_manager__staff_profile")
    }
    chief_executives = sorted(
        profile.organisation.code for profile in profiles.values() if profile.line_manager_id is None
    )
    assert chief_executives == ["E06000020", "QNC", "QOC", "R1D", "RJE", "RL1", "RLY", "RRE", "RXW"]
    for profile in profiles.values():
        if profile.line_manager_id is not None:
            assert profiles[profile.line_manager_id].organisation_id == profile.organisation_id
        seen = {profile.user_id}
        manager_id = profile.line_manager_id
        while manager_id is not None:
            assert manager_id not in seen
            seen.add(manager_id)
            manager_id = profiles[manager_id].line_manager_id
        assert len(seen) <= 5


def test_staff_are_spread_across_groups_bands_and_equality_answers(reference_data):
    seed()

    assert set(StaffProfile.objects.values_list("staff_group__code", flat=True)) == set(STAFF_GROUP_CODES) - {
        "SUPPORT_AMBULANCE"
    }
    assert set(StaffProfile.objects.values_list("pay_band__code", flat=True)) == set(PAY_BAND_CODES) - {
        "AFC1",
        "OTHER",
    }
    assert StaffProfile.objects.exclude(esr_assignment_number__regex=r"^\d{8}$").count() == 0
    assert StaffProfile.objects.values("esr_assignment_number").distinct().count() == 300
    assert EqualityProfile.objects.filter(ethnic_category=EthnicCategory.NOT_STATED).count() == 6
    assert EqualityProfile.objects.filter(ethnic_category=EthnicCategory.WHITE_BRITISH).count() == 171
    assert not EqualityProfile.objects.filter(user__email="individual@demo.nhs.test").exists()
    assert User.objects.exclude(email__endswith="@demo.nhs.test").count() == 0


def test_seeding_again_keeps_equality_answers_and_restores_posts(reference_data):
    seed()
    answers = EqualityProfile.objects.get(user__email="sponsor@demo.nhs.test")
    answers.ethnic_category = EthnicCategory.NOT_STATED
    answers.save()
    StaffProfile.objects.filter(user__email="individual@demo.nhs.test").update(
        job_title="Changed", line_manager=None
    )

    output = seed()

    assert EqualityProfile.objects.get(user__email="sponsor@demo.nhs.test").ethnic_category == "Z"
    individual = profile("individual@demo.nhs.test")
    assert (individual.job_title, individual.line_manager.email) == (
        "Senior staff nurse",
        "line.manager@demo.nhs.test",
    )
    assert "People created: 0, updated: 0." in output


@pytest.mark.parametrize(
    ("debug", "demo_mode", "can_sign_in"),
    [(False, False, False), (True, False, True), (False, True, True), (True, True, True)],
)
def test_demo_password_only_in_debug_or_demo_mode(reference_data, settings, debug, demo_mode, can_sign_in):
    settings.DEBUG = debug
    settings.DEMO_MODE = demo_mode

    output = seed()

    sign_ins = User.objects.filter(email__in=SIGN_IN_EMAILS)
    assert [user.check_password(DEMO_PASSWORD) for user in sign_ins] == [can_sign_in] * 8
    assert [user.has_usable_password() for user in sign_ins] == [can_sign_in] * 8
    assert User.objects.exclude(email__in=SIGN_IN_EMAILS).filter(password__startswith="!").count() == 293
    assert ("DEBUG and DEMO_MODE are both off" in output) is not can_sign_in


def test_turning_demo_mode_off_takes_the_demo_password_away(reference_data, settings):
    settings.DEMO_MODE = True
    seed()
    settings.DEMO_MODE = False

    output = seed()

    assert User.objects.filter(email__in=SIGN_IN_EMAILS, password__startswith="!").count() == 8
    assert "People created: 0, updated: 8." in output


def test_sign_in_table_lists_each_role_and_marks_those_needing_an_authenticator_app(reference_data, settings):
    settings.DEMO_MODE = True

    output = seed()

    assert output.splitlines()[1:] == [
        "Career conversation history: 265 conversations (259 record versions, 713 development actions) "
        "created for 168 people; 0 people left as they were because they already have conversations.",
        "High Potential Scheme: 'Staffordshire and Shropshire High Potential Scheme intake' is open for "
        f"applications until {timezone.localdate() + datetime.timedelta(days=42):%-d %B %Y} (created).",
        "High Potential Scheme: 'Staffordshire and Stoke-on-Trent HPS 2025 cohort' started on "
        f"{add_months(timezone.localdate().replace(day=1), -10):%-d %B %Y} with 12 participants (created).",
        "",
        "Demo sign-ins",
        "Role                           Email                        Password",
        "Individual                     individual@demo.nhs.test     scope-for-growth-demo",
        "Line manager                   line.manager@demo.nhs.test   scope-for-growth-demo",
        "Talent lead *                  talent.lead@demo.nhs.test    scope-for-growth-demo",
        "HPS applicant                  hps.applicant@demo.nhs.test  scope-for-growth-demo",
        "HPS sponsor                    sponsor@demo.nhs.test        scope-for-growth-demo",
        "Career coach                   coach@demo.nhs.test          scope-for-growth-demo",
        "HPS programme administrator *  hps.admin@demo.nhs.test      scope-for-growth-demo",
        "System administrator *         admin@demo.nhs.test          scope-for-growth-demo",
        "",
        "* Talent leads and administrators will be asked to set up an authenticator app the first time "
        "they sign in.",
    ]


def test_staff_option_sets_the_number_of_staff(reference_data):
    seed("--staff", str(minimum_staff_count()))

    assert minimum_staff_count() == 191
    assert StaffProfile.objects.count() == 191
    assert User.objects.count() == 192
    assert User.objects.filter(email__in=SIGN_IN_EMAILS).count() == 8


@pytest.mark.parametrize("staff", ["190", "5001", "-1"])
def test_staff_option_out_of_range_is_refused(reference_data, staff):
    with pytest.raises(CommandError) as error:
        seed("--staff", staff)

    assert str(error.value) == "Enter a number of staff between 191 and 5000"
    assert User.objects.count() == 0


def test_seeding_refuses_without_reference_data(reference_data):
    PayBand.objects.filter(code__in=["AFC8A", "VSM"]).delete()
    StaffGroup.objects.filter(code="MIDWIVES").delete()

    with pytest.raises(CommandError) as error:
        seed()

    assert str(error.value) == (
        "Reference data is missing (pay bands AFC8A, VSM; staff groups MIDWIVES). "
        "Run `python manage.py migrate` to load it, then run seed_demo again."
    )
    assert row_counts() == {
        "organisations": 0,
        "users": 0,
        "staff_profiles": 0,
        "equality_profiles": 0,
        "role_assignments": 0,
    }


def test_the_demo_intake_is_open_for_the_applicant_and_run_by_the_demo_administrator(reference_data):
    seed()
    seed()

    cohort = Cohort.objects.get(name="Staffordshire and Shropshire High Potential Scheme intake")
    assert cohort.is_open
    assert sorted(cohort.integrated_care_systems.values_list("code", flat=True)) == ["QNC", "QOC"]
    assert sorted(cohort.eligible_pay_bands.values_list("code", flat=True)) == [
        "AFC8A",
        "AFC8B",
        "AFC8C",
        "AFC8D",
    ]
    assert list(cohort.administrators.values_list("email", flat=True)) == ["hps.admin@demo.nhs.test"]
    applicant = User.objects.get(email="hps.applicant@demo.nhs.test").staff_profile
    assert applicant.pay_band.code == "AFC8A"
    assert applicant.organisation.integrated_care_system.code in {"QNC", "QOC"}
