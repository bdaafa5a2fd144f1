from __future__ import annotations

from django.urls import path

from tsunagu.backups import views

app_name = "exports"

urlpatterns = [
    path("", views.export, name="page"),
    path("<int:pk>/<str:token>/", views.export_download, name="download"),
]
