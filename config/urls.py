from django.contrib import admin
from django.urls import include, path, re_path

from core.views import not_offered

urlpatterns = [
    path("", include("core.urls")),
    path("", include("conversations.urls")),
    path("hps/", include("hps.urls")),
    path("dashboards/", include("reporting.urls")),
    path("account/", include("accounts.urls")),
    # Email addresses come from the employer's records, so people cannot add or change them here.
    re_path(r"^account/email/", not_offered),
    path("account/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "core.views.page_not_found"
handler403 = "core.views.permission_denied"
handler500 = "core.views.server_error"
