"""Addresses of the individual's pages and the shared conversation pages (included from `urls`)."""

from django.urls import path

from conversations import individual_views

urlpatterns = [
    path("growth/", individual_views.growth, name="growth"),
    path("growth/request/", individual_views.conversation_request, name="conversation_request"),
    path("growth/coach/", individual_views.conversation_with_coach, name="conversation_with_coach"),
    path("growth/sharing/", individual_views.growth_sharing, name="growth_sharing"),
    path("conversations/<int:pk>/", individual_views.conversation_detail, name="conversation_detail"),
    path(
        "conversations/<int:pk>/history/", individual_views.conversation_history, name="conversation_history"
    ),
    path("conversations/<int:pk>/agree/", individual_views.conversation_agree, name="conversation_agree"),
    path(
        "conversations/<int:pk>/disagree/",
        individual_views.conversation_disagree,
        name="conversation_disagree",
    ),
    path(
        "conversations/<int:pk>/reflection/",
        individual_views.conversation_reflection,
        name="conversation_reflection",
    ),
    path(
        "conversations/<int:pk>/wellbeing/",
        individual_views.conversation_wellbeing,
        name="conversation_wellbeing",
    ),
    path("conversations/<int:pk>/cancel/", individual_views.conversation_cancel, name="conversation_cancel"),
    path("actions/<int:pk>/progress/", individual_views.action_progress, name="action_progress"),
]
