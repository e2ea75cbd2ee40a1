"""The talent dashboards as a talent lead uses them: scope, permissions, filters, exports, query counts."""

import datetime

import pytest
from django.core import mail  # noqa: F401  (imported so the locmem outbox is reset between tests)
from django.urls import reverse

from accounts.models import EthnicCategory, IntegratedCareSystem, Role, Scope
from core.models import Notification
from reporting.models import ReportExport, Snapshot
from reporting.refresh import refresh_snapshot
from tests.accounts.factories import (
    EqualityProfileFactory,
    OrganisationFactory,
    PayBandFactory,
    RoleAssignmentFactory,
    StaffProfileFactory,
    UserFactory,
    give_totp,
)
from tests.conversations.factories import ConversationRecordFactory

AS_OF = datetime.date(2026, 11, 20)
DASHBOARD_SLUGS = ("coverage", "pipeline", "needs", "succession", "hps", "survey")


def _staff(organisation, count, *, ethnic=EthnicCategory.WHITE_BRITISH, band=None, conversations=0):
    people = []
    for _ in range(count):
        profile = StaffProfileFactory(organisation=organisation, **({"pay_band": band} if band else {}))
        EqualityProfileFactory(user=profile.user, ethnic_category=ethnic)
        people.append(profile.user)
    for user in people[:conversations]:
        ConversationRecordFactory(
            conversation__individual=user,
            held_on=datetime.date(2026, 10, 1),
            recorded_at=datetime.datetime(2026, 10, 1, 12, tzinfo=datetime.UTC),
        )
    return people


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(code="RXX", name="Other Hospitals NHS Trust")


@pytest.fixture
def workforce(organisation, other_organisation):
    _staff(organisation, 30, conversations=20)
    _staff(organisation, 12, ethnic=EthnicCategory.BLACK_AFRICAN, conversations=4)
    _staff(other_organisation, 25, conversations=5)
    return refresh_snapshot(AS_OF)


@pytest.fixture
def national_lead(db):
    user = UserFactory(email="national.lead@nhs.test")
    RoleAssignmentFactory(user=user, role=Role.TALENT_LEAD, scope=Scope.NATIONAL)
    give_totp(user)
    return user


@pytest.fixture(autouse=True)
def _exports_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _no_refresh_in_progress():
    """The on-demand refresh lock lives in the shared cache: start every test without it."""
    from django.core.cache import cache

    from reporting.tasks import REFRESH_LOCK_KEY

    cache.delete(REFRESH_LOCK_KEY)
    yield
    cache.delete(REFRESH_LOCK_KEY)


def _get(client, slug, **params):
    return client.get(reverse("reporting:dashboard_detail", kwargs={"slug": slug}), params)


# Permissions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["individual", "line_manager", "hps_administrator", "coach", "stranger", "system_administrator"]
)
def test_people_who_are_not_talent_leads_get_not_found_everywhere(client, request, workforce, role):
    user = request.getfixturevalue(role)
    give_totp(user)
    client.force_login(user)
    assert client.get(reverse("reporting:dashboard")).status_code == 404
    for slug in DASHBOARD_SLUGS:
        assert _get(client, slug).status_code == 404
    assert client.post(reverse("reporting:refresh")).status_code == 404
    response = client.post(reverse("reporting:export", kwargs={"slug": "coverage"}), {"file_format": "csv"})
    assert response.status_code == 404
    assert ReportExport.objects.count() == 0
    assert Snapshot.objects.count() == 1


def test_signed_out_people_are_sent_to_sign_in(client, workforce):
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_unknown_dashboard_is_not_found(client, talent_lead_with_mfa, workforce):
    client.force_login(talent_lead_with_mfa)
    assert _get(client, "salaries").status_code == 404


# Scope ---------------------------------------------------------------------------------------------


def test_organisation_lead_sees_only_their_organisation(client, talent_lead_with_mfa, workforce):
    client.force_login(talent_lead_with_mfa)
    for slug in DASHBOARD_SLUGS:
        response = _get(client, slug)
        assert response.status_code == 200
        content = response.content.decode()
        assert "Midlands Partnership University NHS Foundation Trust" in content
        assert "Other Hospitals NHS Trust" not in content
        assert "England" not in content.split("<main", 1)[1].split("</main>", 1)[0]


def test_organisation_lead_asking_for_another_area_gets_not_found(
    client, talent_lead_with_mfa, workforce, other_organisation
):
    client.force_login(talent_lead_with_mfa)
    assert _get(client, "coverage", area=f"organisation-{other_organisation.pk}").status_code == 404
    assert _get(client, "coverage", area="national").status_code == 404


def test_regional_lead_sees_their_region_its_systems_and_organisations_only(client, organisation, workforce):
    region = organisation.integrated_care_system.region
    elsewhere = IntegratedCareSystem.objects.exclude(region=region).first()
    faraway = OrganisationFactory(code="RZZ", name="Faraway NHS Trust", integrated_care_system=elsewhere)
    lead = UserFactory(email="regional.lead@nhs.test")
    RoleAssignmentFactory(user=lead, role=Role.TALENT_LEAD, scope=Scope.REGION, region=region)
    give_totp(lead)
    client.force_login(lead)

    choices = dict(_get(client, "coverage").context["form"].fields["area"].choices)
    assert f"region-{region.pk}" in choices
    assert f"ics-{organisation.integrated_care_system_id}" in choices
    assert f"organisation-{organisation.pk}" in choices
    assert "national" not in choices
    assert f"ics-{elsewhere.pk}" not in choices
    assert _get(client, "coverage", area=f"organisation-{faraway.pk}").status_code == 404
    assert _get(client, "coverage", area=f"ics-{elsewhere.pk}").status_code == 404
    assert _get(client, "coverage", area="national").status_code == 404


def test_national_lead_sees_every_organisation_with_exact_counts(client, national_lead, workforce):
    client.force_login(national_lead)
    response = _get(client, "coverage")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Other Hospitals NHS Trust" in content
    assert "Midlands Partnership University NHS Foundation Trust" in content
    table = response.context["dashboard"].sections[0].tables[0]
    assert table.header[:4] == (
        "Organisation",
        "Staff",
        "Had a conversation in the last 12 months",
        "Coverage",
    )
    rows = {row[0]: row[1:4] for row in table.rows}
    # National figures are exact: 42 staff, 24 with a conversation; 25 staff, 5 with one.
    midlands = rows["Midlands Partnership University NHS Foundation Trust"]
    assert midlands == ("42", "24", "57.1%")
    assert rows["Other Hospitals NHS Trust"] == ("25", "5", "20.0%")
    assert table.footer[:4] == ("Total", "67", "29", "43.3%")


def test_below_national_counts_are_rounded_and_small_counts_hidden(client, talent_lead_with_mfa, workforce):
    client.force_login(talent_lead_with_mfa)
    response = _get(client, "coverage", breakdown="wres_ethnic_group")
    section = next(s for s in response.context["dashboard"].sections if s.slug == "by-group")
    rows = {row[0]: row[1:4] for row in section.tables[0].rows}
    # 30 White staff (20 had one), 12 BME staff (4 had one) and 3 people in post with no equality
    # answers (the lead among them), none of whom had a conversation.
    # Staff column: 3 is hidden, so the next smallest, 12, is hidden too or 45 - 30 - 12 would give it.
    # Conversation column: 4 is hidden, so 20 is hidden too (25 - 20 would give it away).
    assert rows["White"] == ("30", "*", "Not shown")
    assert rows["Black and minority ethnic (BME)"] == ("*", "*", "Not shown")
    assert rows["Not known or not stated"] == ("*", "0", "Not shown")
    assert section.tables[0].footer[:4] == ("Total", "45", "25", "55.6%")
    likelihood = section.tables[1]
    assert likelihood.rows[0][4] == "Not shown: a count is too small to publish"


# Filters and bad input ----------------------------------------------------------------------------


def test_bad_filter_values_get_an_error_and_no_figures(client, talent_lead_with_mfa, workforce):
    client.force_login(talent_lead_with_mfa)
    response = _get(client, "coverage", breakdown="shoe_size", staff="pay_band:NOPE")
    assert response.status_code == 200
    assert response.context["dashboard"] is None
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Select staff from the list" in content


def test_differencing_is_refused(client, talent_lead_with_mfa, organisation, workforce):
    # 42 staff in band 6 and 3 in band 7: "band 6" differs from "all staff" by 3 people.
    band_7 = PayBandFactory(code="AFC7", name="Band 7", sort_order=70)
    _staff(organisation, 3, band=band_7)
    refresh_snapshot(AS_OF)
    client.force_login(talent_lead_with_mfa)
    response = _get(client, "coverage", staff="pay_band:AFC6")
    section = next(s for s in response.context["dashboard"].sections if s.slug == "by-group")
    assert "differs from the wider view by too few people" in section.refused
    assert section.tables == ()
    trend = next(s for s in response.context["dashboard"].sections if s.slug == "over-time")
    assert trend.tables[0].header == (
        "Date",
        "Staff",
        "Had a conversation in the 12 months before",
        "Coverage",
    )


def test_coverage_over_time_has_a_line_for_each_stated_group(client, national_lead, workforce):
    client.force_login(national_lead)
    response = _get(client, "coverage", breakdown="wres_ethnic_group")
    trend = next(s for s in response.context["dashboard"].sections if s.slug == "over-time")
    assert trend.tables[0].header[4:] == ("Coverage: White", "Coverage: Black and minority ethnic (BME)")
    # National figures are exact: 55 White staff (25 had one), 12 BME staff (4 had one).
    assert trend.tables[0].rows == (("20 Nov 2026", "67", "29", "43.3%", "45.5%", "33.3%"),)
    assert [name for name, _values in trend.chart.series] == [
        "All staff",
        "White",
        "Black and minority ethnic (BME)",
    ]


def test_filtering_by_a_group_breakdown_changes_the_table(client, national_lead, workforce):
    client.force_login(national_lead)
    response = _get(client, "pipeline", breakdown="wdes_disability")
    section = next(s for s in response.context["dashboard"].sections if s.slug == "by-group")
    assert [row[0] for row in section.tables[0].rows] == [
        "Disabled",
        "Non-disabled",
        "Not known or not stated",
    ]


def test_intakes_offered_are_those_whose_footprint_meets_the_leads_area(
    client, talent_lead_with_mfa, organisation, other_organisation, workforce
):
    from tests.hps.factories import CohortFactory

    CohortFactory(name="Local intake", integrated_care_systems=[organisation.integrated_care_system])
    faraway = IntegratedCareSystem.objects.exclude(pk=organisation.integrated_care_system_id).first()
    CohortFactory(name="Faraway intake", integrated_care_systems=[faraway])
    client.force_login(talent_lead_with_mfa)
    choices = [label for _value, label in _get(client, "hps").context["form"].fields["cohort"].choices]
    assert choices == ["All intakes", "Local intake"]


# Query counts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", DASHBOARD_SLUGS)
def test_query_count_does_not_grow_with_the_workforce(client, national_lead, organisation, slug):
    _staff(organisation, 3, conversations=1)
    refresh_snapshot(AS_OF)
    client.force_login(national_lead)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _get(client, slug)  # the first request after signing in also saves the session
    with CaptureQueriesContext(connection) as small:
        assert _get(client, slug).status_code == 200
    _staff(OrganisationFactory(), 40, ethnic=EthnicCategory.CHINESE, conversations=30)
    refresh_snapshot(AS_OF)
    with CaptureQueriesContext(connection) as large:
        assert _get(client, slug).status_code == 200
    assert len(large) == len(small)
    assert len(small) <= 25


def test_dashboards_page_query_count_does_not_grow_with_exports(client, talent_lead_with_mfa, workforce):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    def add_exports(count):
        for _ in range(count):
            ReportExport.objects.create(
                requested_by=talent_lead_with_mfa,
                dashboard="coverage",
                file_format="csv",
                expires_at=timezone.now() + datetime.timedelta(days=7),
            )

    client.force_login(talent_lead_with_mfa)
    client.get(reverse("reporting:dashboard"))
    add_exports(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("reporting:dashboard")).status_code == 200
    add_exports(8)
    with CaptureQueriesContext(connection) as nine:
        response = client.get(reverse("reporting:dashboard"))
    assert len(nine) == len(one)
    assert response.content.decode().count("Being created") == 9


# Refresh and exports -------------------------------------------------------------------------------


def test_refresh_on_demand_builds_todays_snapshot_and_notifies(
    client, talent_lead_with_mfa, workforce, django_capture_on_commit_callbacks
):
    client.force_login(talent_lead_with_mfa)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:refresh"))
    assert response.status_code == 302
    assert Snapshot.objects.count() == 2
    notification = Notification.objects.get(recipient=talent_lead_with_mfa)
    assert notification.title.startswith("The dashboard figures as at ")


def test_a_second_refresh_while_one_is_running_is_not_queued(
    client, talent_lead_with_mfa, workforce, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from reporting.tasks import REFRESH_LOCK_KEY

    cache.set(REFRESH_LOCK_KEY, 999, 60)
    client.force_login(talent_lead_with_mfa)
    response = client.post(reverse("reporting:refresh"), follow=True)
    assert "The figures are already being refreshed" in response.content.decode()
    assert Snapshot.objects.count() == 1
    assert Notification.objects.count() == 0


def test_a_refresh_that_cannot_start_says_so_and_changes_nothing(
    client, talent_lead_with_mfa, workforce, monkeypatch
):
    from django.core.cache import cache

    from reporting import views
    from reporting.tasks import REFRESH_LOCK_KEY

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(views.refresh_summaries_task, "delay", broker_down)
    client.force_login(talent_lead_with_mfa)
    response = client.post(reverse("reporting:refresh"), follow=True)
    assert response.status_code == 200
    assert "The figures could not be refreshed just now" in response.content.decode()
    assert Snapshot.objects.count() == 1
    assert cache.get(REFRESH_LOCK_KEY) is None


@pytest.mark.parametrize("file_format", ["csv", "pdf"])
def test_export_is_built_notified_and_downloadable_only_by_who_asked(
    client, talent_lead_with_mfa, national_lead, workforce, django_capture_on_commit_callbacks, file_format
):
    client.force_login(talent_lead_with_mfa)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:export", kwargs={"slug": "coverage"}),
            {"file_format": file_format, "breakdown": "wres_ethnic_group", "period": AS_OF.isoformat()},
        )
    assert response.status_code == 302
    export = ReportExport.objects.get()
    assert export.status == ReportExport.Status.READY
    assert Notification.objects.filter(recipient=talent_lead_with_mfa, title__contains="ready").count() == 1
    download = client.get(reverse("reporting:export_download", kwargs={"pk": export.pk}))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    if file_format == "csv":
        text = body.decode("utf-8-sig")
        assert "Conversation coverage" in text
        assert "Black and minority ethnic (BME),*,*,Not shown" in text
        assert "Other Hospitals NHS Trust" not in text
    else:
        assert body.startswith(b"%PDF")
    client.force_login(national_lead)
    assert client.get(reverse("reporting:export_download", kwargs={"pk": export.pk})).status_code == 404


def test_export_of_an_area_outside_scope_is_not_found_and_not_created(
    client, talent_lead_with_mfa, workforce, other_organisation
):
    client.force_login(talent_lead_with_mfa)
    response = client.post(
        reverse("reporting:export", kwargs={"slug": "coverage"}),
        {"file_format": "csv", "area": f"organisation-{other_organisation.pk}"},
    )
    assert response.status_code == 404
    assert ReportExport.objects.count() == 0


def test_export_with_a_staff_filter_names_it_in_the_file(
    client, talent_lead_with_mfa, workforce, django_capture_on_commit_callbacks
):
    client.force_login(talent_lead_with_mfa)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reporting:export", kwargs={"slug": "pipeline"}),
            {"file_format": "csv", "staff": "pay_band:AFC6"},
        )
    export = ReportExport.objects.get()
    response = client.get(reverse("reporting:export_download", kwargs={"pk": export.pk}))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[:4] == [
        "Talent pipeline",
        "Area: Midlands Partnership University NHS Foundation Trust",
        "Figures as at 20 November 2026",
        "Staff: Band 6",
    ]


@pytest.mark.parametrize(
    "values",
    [
        {"staff": "pay_band:NOT-A-BAND"},
        {"breakdown": "shoe_size"},
        {"period": "2020-01-01"},
        {"cohort": "99999"},
    ],
)
def test_export_with_bad_filters_is_not_found_and_not_created(
    client, talent_lead_with_mfa, workforce, values
):
    client.force_login(talent_lead_with_mfa)
    response = client.post(
        reverse("reporting:export", kwargs={"slug": "hps"}), {"file_format": "csv", **values}
    )
    assert response.status_code == 404
    assert ReportExport.objects.count() == 0


def test_export_with_an_unknown_format_is_not_found(client, talent_lead_with_mfa, workforce):
    client.force_login(talent_lead_with_mfa)
    response = client.post(reverse("reporting:export", kwargs={"slug": "coverage"}), {"file_format": "xlsx"})
    assert response.status_code == 404
    assert ReportExport.objects.count() == 0
