"""The sponsor's pages, included at `hps/sponsor/` in the `hps` namespace."""

from django.urls import path

from hps import sponsor_views

urlpatterns = [
    path("invitation/<str:token>/", sponsor_views.sponsor_invitation, name="sponsor_invitation"),
    path("applications/", sponsor_views.sponsor_list, name="sponsor_list"),
    path("applications/<int:pk>/", sponsor_views.sponsor_application, name="sponsor_application"),
    path("applications/<int:pk>/sign/", sponsor_views.sponsor_sign, name="sponsor_sign"),
    path("applications/<int:pk>/signed/", sponsor_views.sponsor_signed, name="sponsor_signed"),
    path("applications/<int:pk>/decline/", sponsor_views.sponsor_decline, name="sponsor_decline"),
]
