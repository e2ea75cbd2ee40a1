"""CSV and PDF exports of a dashboard, built by Celery and downloadable only by who asked for them.

The export is rebuilt from the same `Dashboard` object the page shows, so the same disclosure control
applies. The requester's scope is checked again when the file is built: an area they no longer cover
is not exported.
"""

import csv
import datetime
import io
import logging
from dataclasses import dataclass

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from core.audit import audit
from core.models import AuditEvent
from core.notifications import notify
from core.pdf import render_pdf
from hps.csv_export import safe_cell
from reporting.charts_render import render_chart
from reporting.dashboards import DASHBOARDS, Dashboard, Filters
from reporting.forms import DashboardFilterForm
from reporting.models import ReportExport, Snapshot
from reporting.scope import areas_for

logger = logging.getLogger(__name__)

REPORT_EXPORT_LIFETIME = datetime.timedelta(days=7)
EXPORTS_LISTED = 10
CONTENT_TYPES = {
    ReportExport.Format.CSV: "text/csv; charset=utf-8",
    ReportExport.Format.PDF: "application/pdf",
}


class ExportRefused(Exception):
    """The export cannot be built (for example the area is no longer in the person's scope)."""


def filters_from_parameters(user, parameters: dict, *, slug: str) -> Filters:
    """Rebuild the filters saved with an export through the dashboards' own filter form.

    The person's scope is checked again, so an area they no longer cover is refused.
    """
    areas = areas_for(user)
    if parameters.get("area") and parameters["area"] not in {area.key for area in areas}:
        raise ExportRefused("The area is not in your scope")
    snapshots = list(Snapshot.objects.order_by("-as_of")[:60])
    form = DashboardFilterForm(
        {key: parameters.get(key, "") for key in ("area", "period", "staff", "breakdown", "cohort")},
        areas=areas,
        snapshots=snapshots,
        with_cohort=slug == "hps",
    )
    if not areas or not snapshots or not form.is_valid():
        raise ExportRefused("The filters are not valid")
    return form.filters()


def dashboard_csv(dashboard: Dashboard, filters: Filters) -> bytes:
    """Every table of the dashboard, one after another, with a heading line for each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(dashboard.title)])
    writer.writerow([safe_cell(f"Area: {filters.area.name}")])
    writer.writerow([f"Figures as at {filters.snapshot.as_of:%-d %B %Y}"])
    writer.writerow([safe_cell(f"Staff: {filters.dimension_label}")])
    if not filters.is_national:
        writer.writerow(["Counts from 1 to 7 are shown as * and other counts are rounded to the nearest 5."])
    for section in dashboard.sections:
        writer.writerow([])
        writer.writerow([safe_cell(section.title)])
        if section.refused:
            writer.writerow([safe_cell(section.refused)])
        for table in section.tables:
            writer.writerow([safe_cell(table.caption)])
            for row in table.as_rows():
                writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def dashboard_pdf(dashboard: Dashboard, filters: Filters) -> bytes:
    items = [
        (section, render_chart(section.chart) if section.chart else None) for section in dashboard.sections
    ]
    return render_pdf(
        "pdf/reporting_dashboard.html",
        {
            "dashboard": dashboard,
            "filters": filters,
            "items": items,
            "generated_at": timezone.localtime(),
        },
    )


@transaction.atomic
def report_export_request(*, user, slug: str, file_format: str, parameters: dict) -> ReportExport:
    """Ask for an export of a dashboard; a task builds it after this transaction commits."""
    from reporting.tasks import build_report_export_task

    if slug not in DASHBOARDS or file_format not in ReportExport.Format.values:
        raise Http404
    filters_from_parameters(user, parameters, slug=slug)
    now = timezone.now()
    export = ReportExport.objects.create(
        requested_by=user,
        dashboard=slug,
        file_format=file_format,
        parameters=parameters,
        created_at=now,
        expires_at=now + REPORT_EXPORT_LIFETIME,
    )
    audit(
        actor=user,
        action=AuditEvent.Action.CREATE,
        verb="report_export_request",
        instance=export,
        after={"dashboard": slug, "format": file_format, "parameters": parameters},
    )
    transaction.on_commit(lambda: build_report_export_task.delay(export.pk), robust=True)
    return export


def report_export_build(*, export_id: int) -> ReportExport | None:
    """Build the file, mark the export ready and tell the person. Safe to run more than once."""
    export = ReportExport.objects.filter(pk=export_id).select_related("requested_by").first()
    if export is None or export.status != ReportExport.Status.PENDING or export.expires_at <= timezone.now():
        return export
    try:
        filters = filters_from_parameters(export.requested_by, export.parameters, slug=export.dashboard)
    except ExportRefused:
        report_export_fail(export_id=export_id)
        return export
    title, builder = DASHBOARDS[export.dashboard]
    dashboard = builder(filters)
    if export.file_format == ReportExport.Format.CSV:
        content = dashboard_csv(dashboard, filters)
    else:
        content = dashboard_pdf(dashboard, filters)
    stem = f"{slugify(title)}-{slugify(filters.area.name)}-{filters.snapshot.as_of.isoformat()}"
    filename = f"{stem}.{export.file_format}"
    with transaction.atomic():
        export = ReportExport.objects.select_for_update().select_related("requested_by").get(pk=export_id)
        if export.status != ReportExport.Status.PENDING:
            return export
        if export.file:
            export.file.delete(save=False)
        export.file.save(filename, ContentFile(content), save=False)
        export.status = ReportExport.Status.READY
        export.completed_at = timezone.now()
        export.save(update_fields=["file", "status", "completed_at"])
        audit(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            verb="report_export_build",
            instance=export,
            after={"status": export.status},
        )
        transaction.on_commit(
            lambda: notify(
                recipient=export.requested_by,
                event_key=f"report-export-ready:{export.pk}",
                title=(
                    f"Your {export.get_file_format_display()} of the {title.lower()} dashboard is ready "
                    "to download"
                ),
                url=reverse("reporting:dashboard"),
            )
        )
    return export


def report_export_fail(*, export_id: int) -> None:
    with transaction.atomic():
        export = (
            ReportExport.objects.select_for_update()
            .filter(pk=export_id, status=ReportExport.Status.PENDING)
            .first()
        )
        if export is None:
            return
        export.status = ReportExport.Status.FAILED
        export.completed_at = timezone.now()
        export.save(update_fields=["status", "completed_at"])
        audit(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            verb="report_export_fail",
            instance=export,
            after={"status": export.status},
        )


def report_exports_of(*, user):
    return ReportExport.objects.filter(requested_by=user).order_by("-created_at", "-id")[:EXPORTS_LISTED]


def report_exports_expired_delete(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    count = 0
    for export in ReportExport.objects.filter(expires_at__lte=now).exclude(file="").iterator():
        export.file.delete(save=False)
        export.save(update_fields=["file"])
        audit(actor=None, action=AuditEvent.Action.DELETE, verb="report_export_file_delete", instance=export)
        count += 1
    return count


@dataclass(frozen=True)
class ReportDownload:
    file: File
    filename: str
    content_type: str


def report_export_download(*, user, pk) -> ReportDownload:
    """The person's own ready, unexpired export; 404 for anything else."""
    export = ReportExport.objects.filter(pk=pk, requested_by=user).first() if user.is_authenticated else None
    if export is None or export.status != ReportExport.Status.READY or not export.file:
        raise Http404
    if export.expires_at <= timezone.now():
        raise Http404
    try:
        opened = export.file.open("rb")
    except OSError as error:
        logger.error("The file of report export %s is missing from storage", export.pk)
        raise Http404 from error
    audit(actor=user, action=AuditEvent.Action.READ, verb="report_export_download", instance=export)
    return ReportDownload(
        file=opened,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type=CONTENT_TYPES[export.file_format],
    )
