"""The sponsor's pages for participants, included at `hps/sponsoring/` in the `hps` namespace."""

from django.urls import path

from hps import sponsor_participant_views

urlpatterns = [
    path("", sponsor_participant_views.sponsor_participants, name="sponsor_participants"),
    path("participants/<int:pk>/", sponsor_participant_views.sponsor_participant, name="sponsor_participant"),
    path(
        "participants/<int:pk>/meetings/new/",
        sponsor_participant_views.sponsor_meeting_add,
        name="sponsor_meeting_add",
    ),
    path(
        "meetings/<int:pk>/confirm/",
        sponsor_participant_views.sponsor_meeting_confirm,
        name="sponsor_meeting_confirm",
    ),
]
