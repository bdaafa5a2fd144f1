from __future__ import annotations

from django.urls import path

from tsunagu.contracts import views

app_name = "contracts"

urlpatterns = [
    path("<int:pk>/", views.contract_detail, name="detail"),
]
