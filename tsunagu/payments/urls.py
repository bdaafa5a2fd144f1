from __future__ import annotations

from django.urls import path

from tsunagu.payments import views

app_name = "payments"

urlpatterns = [
    path("webhooks/provider/", views.webhook, name="webhook"),
    path("wallet/", views.wallet, name="wallet"),
    path("wallet/top-up/", views.top_up, name="top_up"),
    path("wallet/payout/", views.payout, name="payout"),
    path("wallet/bank-account/", views.bank_account, name="bank_account"),
    path("<str:ref>/", views.payment_detail, name="payment"),
]
