"""The worker opens the tax papers, downloads the year's PDF and an invoice's PDF; a second
user gets 404 for that invoice."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.accounts.factories import UserFactory
from tests.billing.factories import registered_worker
from tests.browser.helpers import ScreenshotFn, log_in
from tests.trust.factories import paid_contract
from tsunagu.billing.models import Invoice, InvoiceKind
from tsunagu.billing.selectors import tax_today


def pdf_text(data: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return "".join(text.replace("\x00", "").split())


@pytest.mark.browser
def test_the_worker_downloads_the_years_pdf_and_an_invoice(
    page: Page, screenshot: ScreenshotFn
) -> None:
    worker = registered_worker()
    paid_contract(worker=worker, amounts=(50_000,), withholding_category=False)
    fee = Invoice.objects.get(kind=InvoiceKind.PLATFORM_FEE)
    year = tax_today().year

    log_in(page, email=worker.email)
    page.goto("/billing/")
    expect(page.get_by_role("heading", name=f"確定申告用の収入 {year}年")).to_be_visible()
    expect(page.get_by_test_id("billing-totals")).to_contain_text("¥55,000")
    screenshot(page, "billing-year")

    with page.expect_download() as info:
        page.get_by_test_id("totals-pdf").click()
    download = info.value
    assert download.suggested_filename == f"tsunagu-income-{year}.pdf"
    data = download.path().read_bytes()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "確定申告用の収入" in text and "¥55,000" in text and "¥10,000" in text

    # the server says what it is, too
    head = page.request.get(f"/billing/{year}/totals.pdf")
    assert head.headers["content-type"] == "application/pdf"

    page.get_by_role("link", name="請求書", exact=True).first.click()
    expect(page.get_by_test_id("invoice-list")).to_contain_text(fee.display_number)
    screenshot(page, "billing-invoices")
    page.get_by_role("link", name=fee.display_number).click()
    expect(page.get_by_test_id("invoice-total")).to_have_text("¥10,000")
    screenshot(page, "billing-invoice")
    with page.expect_download() as info:
        page.get_by_test_id("invoice-pdf").click()
    assert info.value.suggested_filename == f"invoice-{fee.display_number}.pdf"
    data = info.value.path().read_bytes()
    text = pdf_text(data)
    assert "適格請求書" in text and fee.display_number in text and "¥909" in text

    # someone else is told the invoice does not exist
    stranger = UserFactory()
    page.get_by_role("button", name="ログアウト").click()
    log_in(page, email=stranger.email)
    response = page.goto(f"/billing/invoices/{fee.pk}/")
    assert response is not None and response.status == 404
