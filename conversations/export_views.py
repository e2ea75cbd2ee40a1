"""Downloads: a conversation's record as a PDF, and the person's portable export."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from conversations.exports import (
    PORTABLE_EXPORT_LIFETIME,
    PortableExportExpired,
    conversation_pdf_download,
    portable_export_download,
    portable_export_request,
    portable_exports_of,
)


@never_cache
@require_GET
def conversation_pdf(request, pk):
    download = conversation_pdf_download(user=request.user, pk=pk)
    response = HttpResponse(download.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def export(request):
    if request.method == "POST":
        portable_export_request(user=request.user)
        messages.success(
            request,
            "We are creating your export. It will be listed on this page, and we will send you a "
            "notification, when it is ready to download.",
        )
        return redirect("conversations:export")
    return render(
        request,
        "conversations/export_list.html",
        {"exports": portable_exports_of(user=request.user), "lifetime_days": PORTABLE_EXPORT_LIFETIME.days},
    )


@never_cache
@require_GET
def export_download(request, pk, kind):
    try:
        download = portable_export_download(user=request.user, pk=pk, kind=kind)
    except PortableExportExpired:
        return render(
            request,
            "conversations/export_expired.html",
            {"lifetime_days": PORTABLE_EXPORT_LIFETIME.days},
            status=410,
        )
    return FileResponse(
        download.file, as_attachment=True, filename=download.filename, content_type=download.content_type
    )
