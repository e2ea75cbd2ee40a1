"""The demo's dashboard figures: a synthetic workforce in the demo ICS, snapshots, and the story they tell."""

import datetime

from django.core.management import call_command

from accounts.models import IntegratedCareSystem, Organisation
from reporting.dashboards import Filters, pipeline
from reporting.demo import DEMO_ICS, seed_demo_dashboards
from reporting.models import AreaLevel, Snapshot
from reporting.scope import Area
from reporting.synthetic import synthetic_organisations

TODAY = datetime.date(2026, 11, 27)


def test_the_synthetic_workforce_goes_into_the_demo_ics_once(db):
    first = seed_demo_dashboards(staff=300, month_end_count=2, today=TODAY)
    assert first.synthetic_staff == 300
    assert first.snapshots_built == (datetime.date(2026, 9, 30), datetime.date(2026, 10, 31), TODAY)
    assert set(synthetic_organisations().values_list("integrated_care_system__code", flat=True)) == {DEMO_ICS}
    organisations = Organisation.objects.count()

    second = seed_demo_dashboards(staff=300, month_end_count=2, today=TODAY)
    assert second.synthetic_staff == 0
    assert second.snapshots_built == (TODAY,)
    assert Organisation.objects.count() == organisations
    assert Snapshot.objects.count() == 3


def test_the_command_reports_what_it_built(db, capsys):
    call_command("seed_demo_dashboards", "--staff", "200")
    output = capsys.readouterr().out
    assert output.startswith("Talent dashboards: 200 synthetic staff added; figures built as at ")


def test_the_demo_talent_lead_can_see_who_is_held_back(db):
    seed_demo_dashboards(month_end_count=0, today=TODAY)
    ics = IntegratedCareSystem.objects.get(code=DEMO_ICS)
    snapshot = Snapshot.objects.get(as_of=TODAY)
    dashboard = pipeline(Filters(area=Area(AreaLevel.ICS, ics.pk, ics.name), snapshot=snapshot))
    likelihood = next(s for s in dashboard.sections if s.slug == "by-group").tables[1]
    ready_now = next(row for row in likelihood.rows if row[0] == "Rated ready now")
    assert ready_now[1] == "White compared with Black and minority ethnic (BME)"
    # White staff are more likely to be rated ready now, outside the four-fifths band.
    assert float(ready_now[4]) > 1.25
    assert ready_now[6] == "Yes"
