from __future__ import annotations

from django.urls import path

from tsunagu.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reach-out/", views.reach_out, name="reach_out"),
    path("settings/", views.preferences, name="preferences"),
]
