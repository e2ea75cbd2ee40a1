from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.healthchecks import run_checks
from core.selectors import home_links_for


def home(request):
    return render(request, "core/home.html", {"links": home_links_for(request.user)})


@login_not_required
@never_cache
@require_GET
def healthz(request):
    results = run_checks()
    is_healthy = all(result.is_healthy for result in results)
    body = {
        "status": "ok" if is_healthy else "unhealthy",
        "checks": {result.name: "ok" if result.is_healthy else "failed" for result in results},
        "failed": [result.name for result in results if not result.is_healthy],
    }
    return JsonResponse(body, status=200 if is_healthy else 503)


@login_not_required
def accessibility(request):
    return render(request, "core/accessibility.html")


@login_not_required
def privacy(request):
    return render(request, "core/privacy.html")


def not_offered(request):
    """A page from a library that this service deliberately does not offer."""
    raise Http404


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request):
    return render(request, "500.html", status=500)


@login_not_required
def csrf_failure(request, reason=""):
    """The page for a form sent without a valid CSRF token (CSRF_FAILURE_VIEW): nothing was saved."""
    return render(request, "403_csrf.html", status=403)
