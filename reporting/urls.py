from django.urls import path

from reporting import survey_views, views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard_index, name="dashboard"),
    path("refresh/", views.refresh_request, name="refresh"),
    path("staff-survey/import/", survey_views.survey_import, name="survey_import"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("<slug:slug>/", views.dashboard_detail, name="dashboard_detail"),
    path("<slug:slug>/export/", views.export_request, name="export"),
]
