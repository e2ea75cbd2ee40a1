"""The HPS administrator's pages, included under `administer/` in the hps app (not the Django admin)."""

from django.urls import path

from hps import admin_views

urlpatterns = [
    path("", admin_views.cohort_list, name="cohort_list"),
    path("cohorts/new/", admin_views.cohort_create, name="cohort_create"),
    path("cohorts/<int:pk>/", admin_views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/change/", admin_views.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:pk>/applications/", admin_views.application_queue_view, name="application_queue"),
    path("cohorts/<int:pk>/assessment-results/", admin_views.assessment_import, name="assessment_import"),
    path("cohorts/<int:pk>/export/", admin_views.application_export, name="application_export"),
    path("applications/<int:pk>/", admin_views.application_review, name="application_review"),
    path("applications/<int:pk>/<slug:name>/", admin_views.application_act, name="application_act"),
]
