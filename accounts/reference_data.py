"""Seed reference data: NHS England regions, ICSs, organisation types, pay bands and staff groups.

`load_reference_data()` creates or updates each row by its `code`, so running it again changes
nothing. The seed migration calls it with the historical app registry; tests call it with the live
one. Rows that administrators add later are left alone; rows listed here are brought back to the
values below whenever the load runs.

Sources for the codes:
- Regions: NHS England commissioning region ODS codes (Y56-Y63), as listed in the RCPCH NHS
  organisations reference data (github.com/rcpch/rcpch-nhs-organisations,
  rcpch_nhs_organisations/hospitals/constants/integrated_care_boards.py, "NHS England Region Code").
- ICSs: the 42 integrated care boards with their ODS codes (Qxx) and ONS GSS codes (E54000xxx) from the
  same RCPCH file, checked against the ONS "LSOA (2011) to Sub ICB Locations to Integrated Care Boards
  (July 2022)" lookup. The ONS codes are the April 2023 ones (ICB23CD): Surrey Heartlands was
  E54000052 and Sussex E54000053 from July 2022 until their boundary change on 1 April 2023; every
  other code is unchanged since July 2022. Regions for each ICS follow NHS England's grouping.
- Organisation types, pay bands and staff groups: the service's own lists, built on the Agenda for
  Change bands (plus VSM, medical and dental, local authority and other pay structures) and the NHS
  workforce statistics staff groups with a clinical flag for WRES indicator 1.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.db import transaction

ICS_VALID_FROM = datetime.date(2022, 7, 1)

# (code, name)
REGIONS = [
    ("Y56", "London"),
    ("Y59", "South East"),
    ("Y58", "South West"),
    ("Y61", "East of England"),
    ("Y62", "North West"),
    ("Y60", "Midlands"),
    ("Y63", "North East and Yorkshire"),
]

# (ICB ODS code, ICB ONS code, name, region ODS code)
INTEGRATED_CARE_SYSTEMS = [
    # East of England
    ("QHG", "E54000024", "Bedfordshire, Luton and Milton Keynes", "Y61"),
    ("QUE", "E54000056", "Cambridgeshire and Peterborough", "Y61"),
    ("QM7", "E54000025", "Hertfordshire and West Essex", "Y61"),
    ("QH8", "E54000026", "Mid and South Essex", "Y61"),
    ("QMM", "E54000022", "Norfolk and Waveney", "Y61"),
    ("QJG", "E54000023", "Suffolk and North East Essex", "Y61"),
    # London
    ("QMJ", "E54000028", "North Central London", "Y56"),
    ("QMF", "E54000029", "North East London", "Y56"),
    ("QRV", "E54000027", "North West London", "Y56"),
    ("QKK", "E54000030", "South East London", "Y56"),
    ("QWE", "E54000031", "South West London", "Y56"),
    # Midlands
    ("QHL", "E54000055", "Birmingham and Solihull", "Y60"),
    ("QUA", "E54000062", "Black Country", "Y60"),
    ("QWU", "E54000018", "Coventry and Warwickshire", "Y60"),
    ("QJ2", "E54000058", "Derby and Derbyshire", "Y60"),
    ("QGH", "E54000019", "Herefordshire and Worcestershire", "Y60"),
    ("QK1", "E54000015", "Leicester, Leicestershire and Rutland", "Y60"),
    ("QJM", "E54000013", "Lincolnshire", "Y60"),
    ("QPM", "E54000059", "Northamptonshire", "Y60"),
    ("QT1", "E54000060", "Nottingham and Nottinghamshire", "Y60"),
    ("QOC", "E54000011", "Shropshire, Telford and Wrekin", "Y60"),
    ("QNC", "E54000010", "Staffordshire and Stoke-on-Trent", "Y60"),
    # North East and Yorkshire
    ("QOQ", "E54000051", "Humber and North Yorkshire", "Y63"),
    ("QHM", "E54000050", "North East and North Cumbria", "Y63"),
    ("QF7", "E54000061", "South Yorkshire", "Y63"),
    ("QWO", "E54000054", "West Yorkshire", "Y63"),
    # North West
    ("QYG", "E54000008", "Cheshire and Merseyside", "Y62"),
    ("QOP", "E54000057", "Greater Manchester", "Y62"),
    ("QE1", "E54000048", "Lancashire and South Cumbria", "Y62"),
    # South East
    ("QU9", "E54000044", "Buckinghamshire, Oxfordshire and Berkshire West", "Y59"),
    ("QNQ", "E54000034", "Frimley", "Y59"),
    ("QRL", "E54000042", "Hampshire and Isle of Wight", "Y59"),
    ("QKS", "E54000032", "Kent and Medway", "Y59"),
    ("QXU", "E54000063", "Surrey Heartlands", "Y59"),
    ("QNX", "E54000064", "Sussex", "Y59"),
    # South West
    ("QOX", "E54000040", "Bath and North East Somerset, Swindon and Wiltshire", "Y58"),
    ("QUY", "E54000039", "Bristol, North Somerset and South Gloucestershire", "Y58"),
    ("QT6", "E54000036", "Cornwall and the Isles of Scilly", "Y58"),
    ("QJK", "E54000037", "Devon", "Y58"),
    ("QVV", "E54000041", "Dorset", "Y58"),
    ("QR1", "E54000043", "Gloucestershire", "Y58"),
    ("QSL", "E54000038", "Somerset", "Y58"),
]

# (code, name)
ORGANISATION_TYPES = [
    ("NHS_TRUST", "NHS trust"),
    ("NHS_FT", "NHS foundation trust"),
    ("ICB", "Integrated care board"),
    ("NATIONAL", "NHS England or national body"),
    ("PRIMARY_CARE", "Primary care (GP practice or PCN)"),
    ("LOCAL_AUTHORITY", "Local authority"),
    ("SOCIAL_CARE", "Social care provider"),
    ("INDEPENDENT", "Independent sector provider"),
    ("VCSE", "Voluntary, community and social enterprise"),
    ("OTHER", "Other"),
]

# (code, name, sort_order, is_agenda_for_change)
PAY_BANDS = [
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

# (code, name, is_clinical)
STAFF_GROUPS = [
    ("DOCTORS", "HCHS doctors", True),
    ("NURSES", "Nurses and health visitors", True),
    ("MIDWIVES", "Midwives", True),
    ("AMBULANCE", "Ambulance staff", True),
    ("STT", "Scientific, therapeutic and technical staff", True),
    ("SUPPORT_DNM", "Support to doctors, nurses and midwives", True),
    ("SUPPORT_AMBULANCE", "Support to ambulance staff", True),
    ("SUPPORT_STT", "Support to ST&T staff", True),
    ("CENTRAL", "Central functions", False),
    ("ESTATES", "Hotel, property and estates", False),
    ("SENIOR_MANAGERS", "Senior managers", False),
    ("MANAGERS", "Managers", False),
    ("OTHER", "Other staff or those with unknown classification", False),
]


@dataclass(frozen=True)
class LoadResult:
    """How many rows of one model a load created and updated."""

    created: int = 0
    updated: int = 0


def load_reference_data(apps=global_apps) -> dict[str, LoadResult]:
    """Create or update every seeded row by `code`; return the counts for each model.

    Pass the migration's `apps` from a data migration so the historical models are used.
    """
    region_model = apps.get_model("accounts", "Region")
    ics_model = apps.get_model("accounts", "IntegratedCareSystem")
    organisation_type_model = apps.get_model("accounts", "OrganisationType")
    pay_band_model = apps.get_model("accounts", "PayBand")
    staff_group_model = apps.get_model("accounts", "StaffGroup")

    with transaction.atomic():
        results = {
            "region": _upsert(region_model, {code: {"name": name} for code, name in REGIONS}),
        }
        regions_by_code = dict(region_model.objects.values_list("code", "pk"))
        results["integrated_care_system"] = _upsert(
            ics_model,
            {
                code: {
                    "name": name,
                    "ons_code": ons_code,
                    "region_id": regions_by_code[region_code],
                    "valid_from": ICS_VALID_FROM,
                }
                for code, ons_code, name, region_code in INTEGRATED_CARE_SYSTEMS
            },
        )
        results["organisation_type"] = _upsert(
            organisation_type_model, {code: {"name": name} for code, name in ORGANISATION_TYPES}
        )
        results["pay_band"] = _upsert(
            pay_band_model,
            {
                code: {"name": name, "sort_order": sort_order, "is_agenda_for_change": is_afc}
                for code, name, sort_order, is_afc in PAY_BANDS
            },
        )
        results["staff_group"] = _upsert(
            staff_group_model,
            {code: {"name": name, "is_clinical": is_clinical} for code, name, is_clinical in STAFF_GROUPS},
        )
    return results


def _upsert(model, rows: dict[str, dict]) -> LoadResult:
    """Create missing rows and update rows whose values differ; untouched rows are not written."""
    existing = {obj.code: obj for obj in model.objects.filter(code__in=rows)}
    created = updated = 0
    for code, values in rows.items():
        obj = existing.get(code)
        if obj is None:
            model.objects.create(code=code, **values)
            created += 1
            continue
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if changed:
            for field in changed:
                setattr(obj, field, values[field])
            obj.save(update_fields=changed)
            updated += 1
    return LoadResult(created=created, updated=updated)
