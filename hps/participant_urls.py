"""Addresses of the participant's own pages (included from `hps.urls` at `scheme/`, namespace `hps`).

Every page is about the signed-in person's own place on the scheme: anyone without one gets a 404.
"""

from django.urls import path

from hps import participant_views as views

urlpatterns = [
    path("", views.scheme, name="scheme"),
    path("plan/", views.plan, name="scheme_plan"),
    path("plan/change/", views.plan_edit, name="scheme_plan_edit"),
    path("log/", views.log, name="scheme_log"),
    path("log/add/", views.log_entry_add, name="scheme_log_add"),
    path("log/<int:pk>/", views.log_entry_edit, name="scheme_log_edit"),
    path("experiences/", views.experiences, name="scheme_experiences"),
    path("experiences/add/", views.experience_add, name="scheme_experience_add"),
    path("experiences/<int:pk>/", views.experience_edit, name="scheme_experience_edit"),
    path(
        "experiences/<int:pk>/reflection/",
        views.experience_reflection,
        name="scheme_experience_reflection",
    ),
    path("meetings/", views.meetings, name="scheme_meetings"),
    path("meetings/log/", views.meeting_log, name="scheme_meeting_log"),
    path("meetings/<int:pk>/confirm/", views.meeting_confirm, name="scheme_meeting_confirm"),
    path("sessions/", views.sessions, name="scheme_sessions"),
    path("sessions/<int:pk>/portfolio/", views.session_portfolio, name="scheme_session_portfolio"),
    path("destinations/", views.destinations, name="scheme_destinations"),
    path("destinations/add/", views.destination_add, name="scheme_destination_add"),
    path("destinations/<int:pk>/", views.destination_edit, name="scheme_destination_edit"),
    path("portfolio/", views.portfolio, name="scheme_portfolio"),
]
