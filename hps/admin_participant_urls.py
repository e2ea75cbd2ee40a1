"""The HPS administrator's participant pages, included at `administer/participants/` in the hps app."""

from django.urls import path

from hps import admin_participant_views as views

urlpatterns = [
    path("cohorts/<int:pk>/progress/", views.cohort_progress_view, name="cohort_progress"),
    path("cohorts/<int:pk>/progress/export/", views.cohort_progress_export, name="cohort_progress_export"),
    path("cohorts/<int:pk>/workshops/", views.cohort_workshops, name="cohort_workshops"),
    path("cohorts/<int:pk>/workshops/new/", views.workshop_create, name="workshop_create"),
    path("workshops/<int:pk>/attendance/", views.workshop_attendance, name="workshop_attendance"),
    path("<int:pk>/", views.participant_detail, name="admin_participant"),
    path("<int:pk>/coach/", views.participant_coach, name="admin_participant_coach"),
    path("<int:pk>/sponsor/", views.participant_sponsor, name="admin_participant_sponsor"),
    path("<int:pk>/mentor/", views.participant_mentor, name="admin_participant_mentor"),
    path(
        "<int:pk>/readiness-assessment/needed/",
        views.participant_readiness_need,
        name="admin_participant_readiness_need",
    ),
    path(
        "<int:pk>/readiness-assessment/",
        views.participant_readiness_assessment,
        name="admin_participant_readiness",
    ),
    path("<int:pk>/complete/", views.participant_complete, name="admin_participant_complete"),
    path("<int:pk>/final-panel/", views.final_panel_schedule, name="final_panel_schedule"),
    path("final-panels/<int:pk>/outcome/", views.final_panel_outcome, name="final_panel_outcome"),
    path("<int:pk>/<slug:action>/", views.participant_status, name="admin_participant_status"),
]
