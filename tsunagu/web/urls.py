from __future__ import annotations

from django.urls import path

from tsunagu.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("media/<path:path>", views.public_media, name="media"),
]
