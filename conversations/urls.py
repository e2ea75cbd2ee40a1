from django.urls import include, path

from conversations import facilitator_views, talent_views

app_name = "conversations"

urlpatterns = [
    path("", include("conversations.individual_urls")),
    path("team/", facilitator_views.team, name="team"),
    path("team/<int:user_id>/plan/", facilitator_views.conversation_plan_create, name="conversation_plan"),
    path(
        "conversations/<int:pk>/preparation/",
        facilitator_views.conversation_preparation,
        name="conversation_preparation",
    ),
    # The check page comes first: "check" is not one of the steps.
    path(
        "conversations/<int:pk>/record/check/",
        facilitator_views.conversation_record_check,
        name="conversation_record_check",
    ),
    path(
        "conversations/<int:pk>/record/<slug:step>/",
        facilitator_views.conversation_record_step,
        name="conversation_record",
    ),
    path("talent/", include("conversations.talent_urls")),
    path("", include("conversations.export_urls")),
    path(
        "conversations/<int:pk>/nominate/", talent_views.conversation_nominate, name="conversation_nominate"
    ),
]
