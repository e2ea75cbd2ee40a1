"""Addresses of the applicant's pages (included from `hps.urls`, namespace `hps`)."""

from django.urls import path

from hps import applicant_views

urlpatterns = [
    path("", applicant_views.home, name="home"),
    path("cohorts/<int:pk>/eligibility/", applicant_views.eligibility, name="eligibility"),
    path("applications/<int:pk>/", applicant_views.application_detail, name="application_detail"),
    # Named pages come before the steps: "check", "withdraw" and "offer" are not steps.
    path("applications/<int:pk>/check/", applicant_views.application_check, name="application_check"),
    path(
        "applications/<int:pk>/withdraw/", applicant_views.application_withdraw, name="application_withdraw"
    ),
    path(
        "applications/<int:pk>/offer/accept/",
        applicant_views.application_offer_accept,
        name="application_offer_accept",
    ),
    path(
        "applications/<int:pk>/offer/decline/",
        applicant_views.application_offer_decline,
        name="application_offer_decline",
    ),
    path("applications/<int:pk>/<slug:step>/", applicant_views.application_step, name="application_step"),
]
