from __future__ import annotations

from django.urls import path

from tsunagu.profiles import views

app_name = "profiles"

urlpatterns = [
    path("", views.worker_list, name="worker_list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("me/edit/", views.edit, name="edit"),
    path("me/portfolio/", views.portfolio_add, name="portfolio_add"),
    path("me/portfolio/<int:pk>/remove/", views.portfolio_remove, name="portfolio_remove"),
]
