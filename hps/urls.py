from django.urls import include, path

app_name = "hps"

urlpatterns = [
    path("", include("hps.applicant_urls")),
    path("sponsor/", include("hps.sponsor_urls")),
    path("administer/participants/", include("hps.admin_participant_urls")),
    path("administer/", include("hps.admin_urls")),
    path("scheme/", include("hps.participant_urls")),
    path("coaching/", include("hps.coach_urls")),
    path("sponsoring/", include("hps.sponsor_participant_urls")),
]
