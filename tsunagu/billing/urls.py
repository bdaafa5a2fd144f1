from __future__ import annotations

from django.urls import path

from tsunagu.billing import views

app_name = "billing"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("invoices/", views.invoices, name="invoices"),
    path("invoices/<str:invoice_id>/", views.invoice_detail, name="invoice"),
    path("invoices/<str:invoice_id>.pdf", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<str:invoice_id>.json", views.invoice_json, name="invoice_json"),
    path("<str:year>/totals.csv", views.totals_csv, name="totals_csv"),
    path("<str:year>/totals.pdf", views.totals_pdf, name="totals_pdf"),
    path("<str:year>/statements/", views.statements, name="statements"),
    path("<str:year>/statements.csv", views.statements_csv, name="statements_csv"),
    path("<str:year>/statements.pdf", views.statements_pdf, name="statements_pdf"),
    path("<str:year>/statements/<int:client_id>.pdf", views.statement_pdf, name="statement_pdf"),
]
