from django.urls import include, path

app_name = "hps"

urlpatterns = [
    path("", include("hps.applicant_urls")),
    path("sponsor/", include("hps.sponsor_urls")),
    path("administer/", include("hps.admin_urls")),
]
