from __future__ import annotations

from django.urls import path

from tsunagu.income import views

app_name = "income"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("target/", views.target, name="target"),
    path("outside/", views.outside_add, name="outside_add"),
    path("outside/import/", views.outside_import, name="outside_import"),
    path("outside/<int:pk>/remove/", views.outside_remove, name="outside_remove"),
    path("recurring/", views.recurring_add, name="recurring_add"),
    path("recurring/<int:pk>/remove/", views.recurring_remove, name="recurring_remove"),
    path("weekly-email/", views.weekly_email, name="weekly_email"),
]
