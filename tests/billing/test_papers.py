"""The papers as files: the CSV parses back to the same figures, the PDF's text (extracted with
pypdf) holds the Japanese labels and figures."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.utils import translation
from pypdf import PdfReader

from tests.accounts.factories import UserFactory
from tests.billing.factories import paid, registered_worker
from tsunagu.billing import papers, selectors
from tsunagu.billing.models import Invoice, InvoiceKind

pytestmark = pytest.mark.django_db

YEAR = selectors.tax_today().year


def pdf_text(data: bytes) -> str:
    """The PDF's text with the spaces the extraction puts between glyphs taken out."""
    assert data.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return "".join(text.replace("\x00", "").split())


def test_totals_csv_has_a_bom_and_a_header_and_parses_back() -> None:
    worker = UserFactory()
    paid(worker=worker, amount=30_000)
    paid(worker=worker, amount=50_000, withholding_category=True)
    with translation.override("ja"):
        data = papers.totals_csv(selectors.annual_totals(worker=worker, year=YEAR))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "区分"
    assert rows[0][6] == "システム利用料"
    year_row = rows[-1]
    assert year_row[:2] == ["年間合計", str(YEAR)]
    # gross 88,000, tax 8,000, fees 6,000 + 10,000, withholding 5,105, net 27,000 + 39,895
    assert [int(v) for v in year_row[4:]] == [88_000, 8_000, 16_000, 5_105, 66_895]
    payments = [r for r in rows if r[0] == "入金"]
    assert sum(int(r[4]) for r in payments) == 88_000


def test_totals_pdf_holds_the_japanese_figures() -> None:
    worker = UserFactory()
    paid(worker=worker, amount=50_000, withholding_category=True)
    with translation.override("ja"):
        text = pdf_text(papers.totals_pdf(selectors.annual_totals(worker=worker, year=YEAR)))
    assert f"確定申告用の収入{YEAR}年" in text
    assert "源泉徴収税額" in text
    for figure in ("¥55,000", "¥10,000", "¥5,105", "¥39,895"):
        assert figure in text


def test_statements_pdf_and_csv() -> None:
    worker = UserFactory()
    paid(worker=worker, amount=50_000, withholding_category=True)
    statements = selectors.withholding_statements(worker=worker, year=YEAR)
    with translation.override("ja"):
        text = pdf_text(papers.statements_pdf(statements, YEAR))
        data = papers.statements_csv(statements, YEAR)
    assert "報酬、料金、契約金及び賞金" in text
    assert "¥5,105" in text
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert [int(v) for v in rows[1][5:]] == [55_000, 5_000, 5_105]


def test_invoice_pdf_and_json() -> None:
    worker = registered_worker()
    paid(worker=worker, amount=12_345)
    invoice = Invoice.objects.get(kind=InvoiceKind.CLIENT_PAYMENT)
    with translation.override("ja"):
        text = pdf_text(papers.invoice_pdf(invoice))
    assert "適格請求書" in text
    assert "T1180301018771" in text
    assert "株式会社つなぐ制作" in text
    for figure in ("¥12,345", "¥1,234", "¥13,579"):
        assert figure in text
    doc = papers.invoice_json(invoice)
    assert doc["number"] == invoice.display_number
    assert doc["tax"] == 1_234


def test_a_missing_font_is_named_clearly(settings: Any) -> None:
    settings.TSUNAGU_PDF_FONT = "/nonexistent/NotoSansCJK-Regular.ttc"
    worker = UserFactory()
    with pytest.raises(papers.PdfFontMissing, match="fonts-noto-cjk"):
        papers.totals_pdf(selectors.annual_totals(worker=worker, year=YEAR))


def test_papers_in_english_and_a_correction_pdf() -> None:
    from tsunagu.billing.services import invoice_correct

    worker = UserFactory()
    paid(worker=worker, amount=30_000)
    with translation.override("en"):
        text = pdf_text(papers.totals_pdf(selectors.annual_totals(worker=worker, year=YEAR)))
        assert "Incomeforthetaxreturn" in text and "¥6,000" in text
        original = Invoice.objects.get()
        correction = invoice_correct(
            invoice=original, by=UserFactory(is_staff=True), reason="宛名の訂正"
        )
        text = pdf_text(papers.invoice_pdf(correction))
    assert f"Correctionofinvoice{original.display_number}" in text
    assert "宛名の訂正" in text
    assert papers.invoice_json(correction)["corrects"]["number"] == original.display_number
    assert papers.invoice_json(original)["corrects"] is None
