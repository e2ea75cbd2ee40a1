"""Addresses of the record PDF and the portable export (included from `conversations.urls`)."""

from django.urls import path

from conversations import export_views

urlpatterns = [
    path("conversations/<int:pk>/pdf/", export_views.conversation_pdf, name="conversation_pdf"),
    path("growth/export/", export_views.export, name="export"),
    path(
        "growth/export/<int:pk>/<str:kind>/",
        export_views.export_download,
        name="export_download",
    ),
]
