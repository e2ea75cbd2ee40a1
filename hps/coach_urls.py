"""The career coach's pages, included at `hps/coaching/` in the `hps` namespace."""

from django.urls import path

from hps import coach_views

urlpatterns = [
    path("", coach_views.coach_participants, name="coach_participants"),
    path("participants/<int:pk>/", coach_views.coach_participant, name="coach_participant"),
    path("participants/<int:pk>/sessions/new/", coach_views.coach_session_add, name="coach_session_add"),
    path("sessions/<int:pk>/change/", coach_views.coach_session_edit, name="coach_session_edit"),
]
