from __future__ import annotations

from django.urls import path

from tsunagu.backups import views

app_name = "backups"

urlpatterns = [
    path("", views.backup_list, name="list"),
]
