import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from accounts.models import IntegratedCareSystem, OrganisationType, PayBand, Region, StaffGroup
from accounts.reference_data import LoadResult, load_reference_data

pytestmark = pytest.mark.django_db

NOTHING_CHANGED = {
    "region": LoadResult(created=0, updated=0),
    "integrated_care_system": LoadResult(created=0, updated=0),
    "organisation_type": LoadResult(created=0, updated=0),
    "pay_band": LoadResult(created=0, updated=0),
    "staff_group": LoadResult(created=0, updated=0),
}


@pytest.fixture
def reference_data():
    """The seed rows, whether or not an earlier transactional test flushed the migration's data."""
    load_reference_data()


def test_the_seed_migration_loads_the_reference_data_with_the_historical_models():
    # A transactional test elsewhere in the run may have flushed what the migration loaded when the test
    # database was built, so run the migration's function again on empty tables.
    _delete_all()
    migration = importlib.import_module("accounts.migrations.0002_seed_reference_data")
    historical_apps = MigrationLoader(connection).project_state(("accounts", "0002_seed_reference_data")).apps

    migration.load(historical_apps, schema_editor=None)

    assert Region.objects.count() == 7
    assert IntegratedCareSystem.objects.count() == 42
    assert OrganisationType.objects.count() == 10
    assert PayBand.objects.count() == 18
    assert StaffGroup.objects.count() == 13


def test_regions_use_their_ods_codes(reference_data):
    assert dict(Region.objects.values_list("code", "name")) == {
        "Y56": "London",
        "Y59": "South East",
        "Y58": "South West",
        "Y61": "East of England",
        "Y62": "North West",
        "Y60": "Midlands",
        "Y63": "North East and Yorkshire",
    }


def test_each_region_has_its_integrated_care_systems(reference_data):
    counts = {
        region.code: region.integrated_care_systems.count()
        for region in Region.objects.prefetch_related("integrated_care_systems")
    }

    assert counts == {"Y61": 6, "Y56": 5, "Y60": 11, "Y63": 4, "Y62": 3, "Y59": 6, "Y58": 7}
    assert IntegratedCareSystem.objects.filter(region__code="Y60").count() == 11


@pytest.mark.parametrize(
    ("code", "ons_code", "name", "region_code"),
    [
        ("QNC", "E54000010", "Staffordshire and Stoke-on-Trent", "Y60"),
        ("QOC", "E54000011", "Shropshire, Telford and Wrekin", "Y60"),
        ("QUA", "E54000062", "Black Country", "Y60"),
        ("QYG", "E54000008", "Cheshire and Merseyside", "Y62"),
        ("QE1", "E54000048", "Lancashire and South Cumbria", "Y62"),
        ("QHM", "E54000050", "North East and North Cumbria", "Y63"),
        ("QM7", "E54000025", "Hertfordshire and West Essex", "Y61"),
        ("QWE", "E54000031", "South West London", "Y56"),
        ("QXU", "E54000063", "Surrey Heartlands", "Y59"),
        ("QNX", "E54000064", "Sussex", "Y59"),
        ("QSL", "E54000038", "Somerset", "Y58"),
    ],
)
def test_integrated_care_systems_use_icb_ods_and_ons_codes(reference_data, code, ons_code, name, region_code):
    ics = IntegratedCareSystem.objects.select_related("region").get(code=code)

    assert (ics.ons_code, ics.name, ics.region.code) == (ons_code, name, region_code)


def test_integrated_care_systems_are_valid_from_july_2022(reference_data):
    assert set(IntegratedCareSystem.objects.values_list("valid_from", flat=True)) == {
        datetime.date(2022, 7, 1)
    }
    assert IntegratedCareSystem.objects.filter(valid_to__isnull=False).count() == 0
    assert IntegratedCareSystem.objects.current(datetime.date(2022, 6, 30)).count() == 0
    assert IntegratedCareSystem.objects.current(datetime.date(2022, 7, 1)).count() == 42


def test_organisation_types(reference_data):
    assert list(OrganisationType.objects.order_by("code").values_list("code", "name")) == [
        ("ICB", "Integrated care board"),
        ("INDEPENDENT", "Independent sector provider"),
        ("LOCAL_AUTHORITY", "Local authority"),
        ("NATIONAL", "NHS England or national body"),
        ("NHS_FT", "NHS foundation trust"),
        ("NHS_TRUST", "NHS trust"),
        ("OTHER", "Other"),
        ("PRIMARY_CARE", "Primary care (GP practice or PCN)"),
        ("SOCIAL_CARE", "Social care provider"),
        ("VCSE", "Voluntary, community and social enterprise"),
    ]


def test_pay_bands_are_in_order_of_seniority(reference_data):
    assert list(PayBand.objects.values_list("code", "name", "sort_order", "is_agenda_for_change")) == [
        ("AFC1", "Band 1", 10, True),
        ("AFC2", "Band 2", 20, True),
        ("AFC3", "Band 3", 30, True),
        ("AFC4", "Band 4", 40, True),
        ("AFC5", "Band 5", 50, True),
        ("AFC6", "Band 6", 60, True),
        ("AFC7", "Band 7", 70, True),
        ("AFC8A", "Band 8a", 81, True),
        ("AFC8B", "Band 8b", 82, True),
        ("AFC8C", "Band 8c", 83, True),
        ("AFC8D", "Band 8d", 84, True),
        ("AFC9", "Band 9", 90, True),
        ("VSM", "Very senior manager", 100, False),
        ("MED_CONSULTANT", "Medical and dental: consultant", 110, False),
        ("MED_SAS", "Medical and dental: specialty and associate specialist", 111, False),
        ("MED_RESIDENT", "Medical and dental: resident doctor", 112, False),
        ("LA", "Local authority grade", 120, False),
        ("OTHER", "Other or equivalent pay structure", 130, False),
    ]


def test_staff_groups_are_flagged_clinical_or_not(reference_data):
    assert set(StaffGroup.objects.filter(is_clinical=True).values_list("code", flat=True)) == {
        "DOCTORS",
        "NURSES",
        "MIDWIVES",
        "AMBULANCE",
        "STT",
        "SUPPORT_DNM",
        "SUPPORT_AMBULANCE",
        "SUPPORT_STT",
    }
    assert set(StaffGroup.objects.filter(is_clinical=False).values_list("code", flat=True)) == {
        "CENTRAL",
        "ESTATES",
        "SENIOR_MANAGERS",
        "MANAGERS",
        "OTHER",
    }
    assert StaffGroup.objects.get(code="SUPPORT_STT").name == "Support to ST&T staff"


def test_loading_again_changes_nothing(reference_data):
    before = _all_rows()

    result = load_reference_data()

    assert result == NOTHING_CHANGED
    assert _all_rows() == before


def test_loading_restores_a_changed_seed_row_and_keeps_rows_added_later(reference_data):
    Region.objects.filter(code="Y60").update(name="Middle England")
    PayBand.objects.create(code="NA", name="Not applicable", sort_order=200, is_agenda_for_change=False)

    result = load_reference_data()

    assert result["region"] == LoadResult(created=0, updated=1)
    assert result["pay_band"] == LoadResult(created=0, updated=0)
    assert Region.objects.get(code="Y60").name == "Midlands"
    assert PayBand.objects.filter(code="NA").exists()


def test_loading_into_an_empty_database_creates_every_row():
    _delete_all()

    result = load_reference_data()

    assert result == {
        "region": LoadResult(created=7, updated=0),
        "integrated_care_system": LoadResult(created=42, updated=0),
        "organisation_type": LoadResult(created=10, updated=0),
        "pay_band": LoadResult(created=18, updated=0),
        "staff_group": LoadResult(created=13, updated=0),
    }


def _delete_all():
    for model in (IntegratedCareSystem, Region, OrganisationType, PayBand, StaffGroup):
        model.objects.all().delete()


def _all_rows():
    return {
        model.__name__: list(model.objects.order_by("code").values())
        for model in (Region, IntegratedCareSystem, OrganisationType, PayBand, StaffGroup)
    }
