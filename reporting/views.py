"""The talent dashboards: an overview, one page per dashboard, on-demand refresh and exports.

Only talent leads reach these pages (`reporting.view_dashboards`; anyone else gets a 404), and only for
the areas their role assignments cover: an area outside them is a 404 too.
"""

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.decorators import permission_required_or_404
from reporting import exports
from reporting.charts_render import render_chart
from reporting.dashboards import DASHBOARDS
from reporting.forms import DashboardFilterForm
from reporting.models import ReportExport, Snapshot
from reporting.scope import areas_for
from reporting.tasks import REFRESH_LOCK_KEY, REFRESH_LOCK_SECONDS, refresh_summaries_task

logger = logging.getLogger(__name__)

view_dashboards_required = permission_required_or_404("reporting.view_dashboards")

DESCRIPTIONS = {
    "coverage": "Who has had a career conversation in the last 12 months, and who is overdue.",
    "pipeline": "Framework positions, readiness for the next step, talent pools and how each group fares.",
    "needs": "Barriers people report and the development they have agreed, for needs analysis.",
    "succession": "Successors for critical roles by readiness, and the diversity of each successor pool.",
    "hps": "Each High Potential Scheme intake from eligible staff to promotion, and where groups drop out.",
    "survey": "Conversation coverage against NHS Staff Survey results, by organisation and year.",
}


def _areas_or_404(request):
    areas = areas_for(request.user)
    if not areas:
        raise Http404
    return areas


@require_GET
@view_dashboards_required
def dashboard_index(request):
    _areas_or_404(request)
    snapshot = Snapshot.objects.order_by("-as_of").first()
    dashboards = [(slug, title, DESCRIPTIONS[slug]) for slug, (title, _builder) in DASHBOARDS.items()]
    return render(
        request,
        "reporting/index.html",
        {
            "dashboards": dashboards,
            "snapshot": snapshot,
            "exports": [
                (
                    export,
                    DASHBOARDS[export.dashboard][0] if export.dashboard in DASHBOARDS else export.dashboard,
                )
                for export in exports.report_exports_of(user=request.user)
            ],
        },
    )


@require_GET
@view_dashboards_required
def dashboard_detail(request, slug):
    if slug not in DASHBOARDS:
        raise Http404
    areas = _areas_or_404(request)
    if request.GET.get("area") and request.GET["area"] not in {area.key for area in areas}:
        raise Http404
    snapshots = list(Snapshot.objects.order_by("-as_of")[:60])
    title, builder = DASHBOARDS[slug]
    # Bound even when empty: no filter means the defaults (the widest area, the latest figures).
    form = DashboardFilterForm(request.GET, areas=areas, snapshots=snapshots, with_cohort=slug == "hps")
    dashboard = filters = None
    items = []
    if snapshots and form.is_valid():
        filters = form.filters()
        dashboard = builder(filters)
        items = [
            (section, render_chart(section.chart) if section.chart else None)
            for section in dashboard.sections
        ]
    return render(
        request,
        "reporting/dashboard.html",
        {
            "slug": slug,
            "title": title,
            "description": DESCRIPTIONS[slug],
            "form": form,
            "dashboard": dashboard,
            "filters": filters,
            "items": items,
            "parameters": filters.as_parameters() if filters else {},
            "formats": ReportExport.Format.choices,
        },
    )


@require_POST
@view_dashboards_required
def refresh_request(request):
    _areas_or_404(request)
    # One refresh at a time is enough: at NHS scale it takes minutes, and everyone sees its figures.
    try:
        is_first = cache.add(REFRESH_LOCK_KEY, request.user.pk, REFRESH_LOCK_SECONDS)
    except Exception:  # a cache that is down must not stop the refresh
        logger.warning("Dashboard refresh lock unavailable", exc_info=True)
        is_first = True
    if not is_first:
        messages.info(
            request, "The figures are already being refreshed. Try again in a few minutes if you need to."
        )
        return redirect("reporting:dashboard")
    try:
        refresh_summaries_task.delay(timezone.localdate().isoformat(), request.user.pk)
    except Exception:
        # The broker is down, or (run in-process) the refresh itself failed: say so, change nothing.
        logger.exception("The dashboard refresh could not be started")
        try:
            cache.delete(REFRESH_LOCK_KEY)
        except Exception:
            logger.warning("Dashboard refresh lock unavailable", exc_info=True)
        messages.warning(
            request,
            "The figures could not be refreshed just now. The figures shown have not changed. "
            "Try again later.",
        )
        return redirect("reporting:dashboard")
    messages.success(
        request,
        "The figures are being refreshed. We will tell you in your notifications when the new figures "
        "are ready.",
    )
    return redirect("reporting:dashboard")


@require_POST
@view_dashboards_required
def export_request(request, slug):
    if slug not in DASHBOARDS:
        raise Http404
    _areas_or_404(request)
    parameters = {
        key: request.POST.get(key, "")[:40] for key in ("area", "period", "staff", "breakdown", "cohort")
    }
    file_format = request.POST.get("file_format", "")
    try:
        export = exports.report_export_request(
            user=request.user, slug=slug, file_format=file_format, parameters=parameters
        )
    except exports.ExportRefused:
        raise Http404 from None
    messages.success(
        request,
        f"We are creating your {export.get_file_format_display()} file. We will tell you in your "
        "notifications when it is ready to download from the dashboards page.",
    )
    query = urlencode({key: value for key, value in parameters.items() if value})
    return redirect(f"{reverse('reporting:dashboard_detail', kwargs={'slug': slug})}?{query}")


@require_GET
@view_dashboards_required
def export_download(request, pk):
    download = exports.report_export_download(user=request.user, pk=pk)
    return FileResponse(
        download.file, as_attachment=True, filename=download.filename, content_type=download.content_type
    )
