from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("equality-monitoring/", views.equality_profile, name="equality_profile"),
    path("equality-monitoring/change/", views.equality_profile_edit, name="equality_profile_edit"),
]
