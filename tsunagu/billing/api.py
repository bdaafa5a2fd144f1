"""/api/v1/billing: the tax papers of a year (totals, withholding statements, CSV and PDF) and
the invoices (list, one, its PDF). The same selectors as the pages. A malformed year, a year in
the future or before the account is 422 with its code; someone else's invoice is 404."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router

from tsunagu.accounts.request import signed_in_user
from tsunagu.api.schemas import ErrorOut
from tsunagu.billing import papers, selectors
from tsunagu.billing.models import Invoice
from tsunagu.billing.schemas import (
    InvoiceDocumentOut,
    InvoiceOut,
    StatementOut,
    TotalsOut,
    YearsOut,
)

router = Router(tags=["billing"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 409, 422, 429): ErrorOut}


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _invoice_out(request: HttpRequest, invoice: Invoice, *, full: bool = False) -> dict[str, Any]:
    doc = invoice.document
    out: dict[str, Any] = {
        "id": invoice.pk,
        "number": invoice.display_number,
        "kind": invoice.kind,
        "issued_on": invoice.issued_on,
        "issuer_name": doc["issuer"]["name"],
        "registration_number": doc["issuer"]["registration_number"],
        "recipient_name": doc["recipient"]["name"],
        "total": invoice.total,
        "tax": invoice.tax,
        "corrects": invoice.corrects.display_number if invoice.corrects else None,
        "pdf_url": request.build_absolute_uri(
            reverse("api-v1:billing_invoice_pdf", args=[invoice.pk])
        ),
        "json_url": request.build_absolute_uri(
            reverse("api-v1:billing_invoice", args=[invoice.pk])
        ),
    }
    if full:
        out["document"] = papers.invoice_json(invoice)
    return out


@router.get("/years", response={200: YearsOut, **ERRORS}, summary="Years with papers")
def years(request: HttpRequest) -> Any:
    return {"years": selectors.billing_years(user=signed_in_user(request))}


@router.get(
    "/years/{year}/totals",
    response={200: TotalsOut, **ERRORS},
    summary="The year's totals for the tax return",
)
def totals(request: HttpRequest, year: str) -> Any:
    user = signed_in_user(request)
    parsed = selectors.year_parse(year, user=user)
    t = selectors.annual_totals(worker=user, year=parsed)
    return {
        "year": t.year,
        "worker_name": t.worker_name,
        "total": asdict(t.total),
        "clients": [
            {k: v for k, v in asdict(c).items() if k != "contract_titles"} for c in t.clients
        ],
        "months": [asdict(m) for m in t.months],
        "csv_url": request.build_absolute_uri(reverse("api-v1:billing_totals_csv", args=[parsed])),
        "pdf_url": request.build_absolute_uri(reverse("api-v1:billing_totals_pdf", args=[parsed])),
    }


@router.get(
    "/years/{year}/totals.csv",
    response={200: None, **ERRORS},
    summary="The year's totals as CSV (UTF-8 with BOM)",
    url_name="billing_totals_csv",
)
def totals_csv(request: HttpRequest, year: str) -> HttpResponse:
    user = signed_in_user(request)
    parsed = selectors.year_parse(year, user=user)
    data = papers.totals_csv(selectors.annual_totals(worker=user, year=parsed))
    return _download(data, "text/csv; charset=utf-8", f"tsunagu-income-{parsed}.csv")


@router.get(
    "/years/{year}/totals.pdf",
    response={200: None, **ERRORS},
    summary="The year's totals as PDF",
    url_name="billing_totals_pdf",
)
def totals_pdf(request: HttpRequest, year: str) -> HttpResponse:
    user = signed_in_user(request)
    parsed = selectors.year_parse(year, user=user)
    data = papers.totals_pdf(selectors.annual_totals(worker=user, year=parsed))
    return _download(data, "application/pdf", f"tsunagu-income-{parsed}.pdf")


@router.get(
    "/years/{year}/statements",
    response={200: list[StatementOut], **ERRORS},
    summary="Withholding statements per client",
)
def statements(request: HttpRequest, year: str) -> Any:
    user = signed_in_user(request)
    parsed = selectors.year_parse(year, user=user)
    return [asdict(s) for s in selectors.withholding_statements(worker=user, year=parsed)]


@router.get(
    "/years/{year}/statements.csv",
    response={200: None, **ERRORS},
    summary="Withholding statements as CSV (UTF-8 with BOM)",
)
def statements_csv(request: HttpRequest, year: str) -> HttpResponse:
    user = signed_in_user(request)
    parsed = selectors.year_parse(year, user=user)
    data = papers.statements_csv(selectors.withholding_statements(worker=user, year=parsed), parsed)
    return _download(data, "text/csv; charset=utf-8", f"tsunagu-withholding-{parsed}.csv")


@router.get(
    "/years/{year}/statements.pdf",
    response={200: None, **ERRORS},
    summary="Withholding statements as PDF",
)
def statements_pdf(request: HttpRequest, year: str) -> HttpResponse:
    user = signed_in_user(request)
    parsed = selectors.year_parse(year, user=user)
    data = papers.statements_pdf(selectors.withholding_statements(worker=user, year=parsed), parsed)
    return _download(data, "application/pdf", f"tsunagu-withholding-{parsed}.pdf")


@router.get("/invoices", response={200: list[InvoiceOut], **ERRORS}, summary="My invoices")
def invoices(request: HttpRequest) -> Any:
    user = signed_in_user(request)
    return [_invoice_out(request, i) for i in selectors.invoices_visible_to(user=user)[:500]]


@router.get(
    "/invoices/{invoice_id}",
    response={200: InvoiceDocumentOut, **ERRORS},
    summary="One invoice with its document",
    url_name="billing_invoice",
)
def invoice(request: HttpRequest, invoice_id: int) -> Any:
    found = selectors.invoice_for(user=signed_in_user(request), invoice_id=invoice_id)
    return _invoice_out(request, found, full=True)


@router.get(
    "/invoices/{invoice_id}/pdf",
    response={200: None, **ERRORS},
    summary="One invoice as PDF",
    url_name="billing_invoice_pdf",
)
def invoice_pdf(request: HttpRequest, invoice_id: int) -> HttpResponse:
    found = selectors.invoice_for(user=signed_in_user(request), invoice_id=invoice_id)
    return _download(
        papers.invoice_pdf(found), "application/pdf", f"invoice-{found.display_number}.pdf"
    )
