from __future__ import annotations

from django.urls import path

from tsunagu.messaging import views

app_name = "messaging"

urlpatterns = [
    path("rooms/<int:pk>/", views.room, name="room"),
]
