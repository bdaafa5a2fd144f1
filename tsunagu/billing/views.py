"""Billing pages: the year's totals for the tax return, the withholding statements, the
invoices, and their downloads. Only the person concerned (and staff, for invoices) sees any of
it: another person's invoice answers 404, as if it did not exist."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tsunagu.accounts.models import User
from tsunagu.accounts.request import signed_in_user
from tsunagu.billing import papers, selectors
from tsunagu.billing.errors import BillingError
from tsunagu.billing.models import Invoice


def _download(data: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _bad_year(request: HttpRequest, user: User, exc: BillingError) -> HttpResponse:
    return render(
        request,
        "billing/bad_year.html",
        {"error": exc.message, "years": selectors.billing_years(user=user)},
        status=400,
    )


def _invoice(user: User, invoice_id: str) -> Invoice:
    try:
        return selectors.invoice_for(user=user, invoice_id=invoice_id)
    except BillingError:
        raise Http404 from None


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    raw = request.GET.get("year")
    try:
        year = (
            selectors.year_parse(raw, user=user) if raw is not None else selectors.tax_today().year
        )
    except BillingError as exc:
        return _bad_year(request, user, exc)
    totals = selectors.annual_totals(worker=user, year=year)
    return render(
        request,
        "billing/overview.html",
        {
            "year": year,
            "years": selectors.billing_years(user=user),
            "totals": totals,
            "months": [m for m in totals.months if m.payments],
        },
    )


@login_required
@require_GET
def totals_csv(request: HttpRequest, year: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        parsed = selectors.year_parse(year, user=user)
    except BillingError as exc:
        return _bad_year(request, user, exc)
    data = papers.totals_csv(selectors.annual_totals(worker=user, year=parsed))
    return _download(
        data, content_type="text/csv; charset=utf-8", filename=f"tsunagu-income-{parsed}.csv"
    )


@login_required
@require_GET
def totals_pdf(request: HttpRequest, year: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        parsed = selectors.year_parse(year, user=user)
    except BillingError as exc:
        return _bad_year(request, user, exc)
    data = papers.totals_pdf(selectors.annual_totals(worker=user, year=parsed))
    return _download(data, content_type="application/pdf", filename=f"tsunagu-income-{parsed}.pdf")


@login_required
@require_GET
def statements(request: HttpRequest, year: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        parsed = selectors.year_parse(year, user=user)
    except BillingError as exc:
        return _bad_year(request, user, exc)
    return render(
        request,
        "billing/statements.html",
        {
            "year": parsed,
            "years": selectors.billing_years(user=user),
            "statements": selectors.withholding_statements(worker=user, year=parsed),
        },
    )


@login_required
@require_GET
def statements_csv(request: HttpRequest, year: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        parsed = selectors.year_parse(year, user=user)
    except BillingError as exc:
        return _bad_year(request, user, exc)
    data = papers.statements_csv(selectors.withholding_statements(worker=user, year=parsed), parsed)
    return _download(
        data, content_type="text/csv; charset=utf-8", filename=f"tsunagu-withholding-{parsed}.csv"
    )


@login_required
@require_GET
def statements_pdf(request: HttpRequest, year: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        parsed = selectors.year_parse(year, user=user)
    except BillingError as exc:
        return _bad_year(request, user, exc)
    data = papers.statements_pdf(selectors.withholding_statements(worker=user, year=parsed), parsed)
    return _download(
        data, content_type="application/pdf", filename=f"tsunagu-withholding-{parsed}.pdf"
    )


@login_required
@require_GET
def statement_pdf(request: HttpRequest, year: str, client_id: int) -> HttpResponse:
    """One client's withholding statement; a client the worker had no payment from is 404."""
    user = signed_in_user(request)
    try:
        parsed = selectors.year_parse(year, user=user)
    except BillingError as exc:
        return _bad_year(request, user, exc)
    found = [
        s
        for s in selectors.withholding_statements(worker=user, year=parsed)
        if s.payer_id == client_id
    ]
    if not found:
        raise Http404
    return _download(
        papers.statements_pdf(found, parsed),
        content_type="application/pdf",
        filename=f"tsunagu-withholding-{parsed}-{client_id}.pdf",
    )


@login_required
@require_GET
def invoices(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    rows = list(selectors.invoices_visible_to(user=user)[:500])
    return render(request, "billing/invoices.html", {"invoices": rows, "me": user})


@login_required
@require_GET
def invoice_detail(request: HttpRequest, invoice_id: str) -> HttpResponse:
    user = signed_in_user(request)
    invoice = _invoice(user, invoice_id)
    return render(
        request,
        "billing/invoice.html",
        {
            "invoice": invoice,
            "doc": invoice.document,
            "corrections": list(invoice.corrections.all()),
        },
    )


@login_required
@require_GET
def invoice_pdf(request: HttpRequest, invoice_id: str) -> HttpResponse:
    invoice = _invoice(signed_in_user(request), invoice_id)
    return _download(
        papers.invoice_pdf(invoice),
        content_type="application/pdf",
        filename=f"invoice-{invoice.display_number}.pdf",
    )


@login_required
@require_GET
def invoice_json(request: HttpRequest, invoice_id: str) -> HttpResponse:
    invoice = _invoice(signed_in_user(request), invoice_id)
    response = JsonResponse(papers.invoice_json(invoice), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = (
        f'attachment; filename="invoice-{invoice.display_number}.json"'
    )
    return response
