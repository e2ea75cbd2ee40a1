from django.urls import path

from conversations import views

app_name = "conversations"

urlpatterns = [
    path("growth/", views.growth, name="growth"),
    path("team/", views.team, name="team"),
]
