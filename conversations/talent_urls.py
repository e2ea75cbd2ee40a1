"""Talent pools and the critical roles register, included under `talent/` in the conversations app."""

from django.urls import path

from conversations import talent_views

urlpatterns = [
    path("", talent_views.talent_pool_list, name="talent_pool_list"),
    path("pools/new/", talent_views.talent_pool_create, name="talent_pool_create"),
    path("pools/<int:pk>/", talent_views.talent_pool_detail, name="talent_pool_detail"),
    path("pools/<int:pk>/change/", talent_views.talent_pool_update, name="talent_pool_update"),
    path("pools/<int:pk>/close/", talent_views.talent_pool_close, name="talent_pool_close"),
    path("pools/<int:pk>/reopen/", talent_views.talent_pool_reopen, name="talent_pool_reopen"),
    path(
        "pools/<int:pool_pk>/members/<int:pk>/status/",
        talent_views.talent_pool_membership_status,
        name="talent_pool_membership_status",
    ),
    path(
        "pools/<int:pool_pk>/members/<int:pk>/remove/",
        talent_views.talent_pool_membership_remove,
        name="talent_pool_membership_remove",
    ),
    path("succession/", talent_views.critical_role_list, name="critical_role_list"),
    path("succession/new/", talent_views.critical_role_create, name="critical_role_create"),
    path("succession/<int:pk>/", talent_views.critical_role_detail, name="critical_role_detail"),
    path("succession/<int:pk>/change/", talent_views.critical_role_update, name="critical_role_update"),
    path("succession/<int:pk>/successors/add/", talent_views.successor_add, name="successor_add"),
    path(
        "succession/<int:role_pk>/successors/<int:pk>/remove/",
        talent_views.successor_remove,
        name="successor_remove",
    ),
]
