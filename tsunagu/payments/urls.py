from __future__ import annotations

from django.urls import path

from tsunagu.payments import views

app_name = "payments"

urlpatterns = [
    path("webhooks/provider/", views.webhook, name="webhook"),
    path("wallet/", views.wallet, name="wallet"),
]
