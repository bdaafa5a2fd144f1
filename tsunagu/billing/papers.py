"""The tax papers and invoices as files: CSV (UTF-8 with a BOM, so that Excel reads Japanese)
and PDF with a Japanese font (Debian's fonts-noto-cjk, found at run time)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from tsunagu.billing.models import Invoice, InvoiceKind
from tsunagu.billing.selectors import AnnualTotals, Figures, WithholdingStatement
from tsunagu.core.money import format_yen

FONT = "NotoSansCJKjp"


class PdfFontMissing(RuntimeError):
    """The Japanese font for PDF papers is not installed."""


def yen(amount: int) -> str:
    return format_yen(amount)


# --- CSV ------------------------------------------------------------------------------------


def _csv(rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _figures(f: Figures) -> list[int]:
    return [f.gross, f.consumption_tax, f.platform_fee, f.withholding, f.net]


def totals_csv(totals: AnnualTotals) -> bytes:
    """One row per payment received, then the totals per client, per month and for the year.
    The first column says which kind each row is, so a spreadsheet can filter them."""
    header = [
        _("row"),
        _("date"),
        _("client"),
        _("contract"),
        _("gross (incl. consumption tax)"),
        _("of which consumption tax"),
        _("platform fee"),
        _("withholding tax"),
        _("net"),
    ]
    rows: list[list[object]] = [list(header)]
    for paid in totals.payments:
        rows.append(
            [
                _("payment received"),
                paid.paid_on.isoformat(),
                paid.client_name,
                f"{paid.contract_title} / {paid.milestone_title}",
                paid.gross,
                paid.consumption_tax,
                paid.platform_fee,
                paid.withholding,
                paid.net,
            ]
        )
    for client in totals.clients:
        rows.append(
            [_("client total"), str(totals.year), client.client_name, "", *_figures(client)]
        )
    for month in totals.months:
        rows.append(
            [_("month total"), f"{totals.year}-{month.month:02d}", "", "", *_figures(month)]
        )
    rows.append([_("year total"), str(totals.year), "", "", *_figures(totals.total)])
    return _csv(rows)


def statements_csv(statements: Sequence[WithholdingStatement], year: int) -> bytes:
    rows: list[list[object]] = [
        [
            _("year"),
            _("payer"),
            _("payee"),
            _("category"),
            _("description"),
            _("amount paid"),
            _("of which consumption tax"),
            _("tax withheld"),
        ]
    ]
    for s in statements:
        rows.append(
            [
                year,
                s.payer_name,
                s.payee_name,
                s.category,
                s.description,
                s.amount_paid,
                s.consumption_tax,
                s.withholding,
            ]
        )
    return _csv(rows)


# --- PDF ------------------------------------------------------------------------------------


def font_path() -> Path:
    path = Path(settings.TSUNAGU_PDF_FONT)
    if not path.is_file():
        raise PdfFontMissing(
            f"The Japanese font for PDF papers is missing: {path}. Install Debian's "
            "fonts-noto-cjk (apt-get install fonts-noto-cjk) or point TSUNAGU_PDF_FONT at a "
            "Noto Sans CJK file."
        )
    return path


def _pdf(title: str) -> FPDF:
    path = font_path()
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_creator("Tsunagu")
    if path.suffix.lower() in (".ttc", ".otc"):
        pdf.add_font(FONT, "", str(path), collection_font_number=settings.TSUNAGU_PDF_FONT_INDEX)
    else:
        pdf.add_font(FONT, "", str(path))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(FONT, size=16)
    pdf.cell(text=title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, size=9)
    return pdf


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, size=12)
    pdf.cell(text=text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)


def _line(pdf: FPDF, text: str) -> None:
    pdf.multi_cell(w=0, text=text, new_x="LMARGIN", new_y="NEXT")


def _table(pdf: FPDF, rows: Sequence[Sequence[str]], widths: Sequence[int] | None = None) -> None:
    align = ["LEFT"] + ["RIGHT"] * (len(rows[0]) - 1)
    with pdf.table(
        col_widths=tuple(widths) if widths else None,
        text_align=tuple(align),
        headings_style=FontFace(fill_color=(235, 240, 245)),
        line_height=5,
    ) as table:
        for row in rows:
            cells = table.row()
            for value in row:
                cells.cell(value)


def _figure_headers() -> list[str]:
    return [
        _("gross"),
        _("consumption tax"),
        _("platform fee"),
        _("withholding tax"),
        _("net"),
    ]


def _figure_cells(f: Figures) -> list[str]:
    return [yen(v) for v in _figures(f)]


def totals_pdf(totals: AnnualTotals) -> bytes:
    pdf = _pdf(_("Income for the tax return %(year)s") % {"year": totals.year})
    _line(pdf, _("Worker: %(name)s") % {"name": totals.worker_name})
    _line(
        pdf,
        _(
            "Figures from Tsunagu's ledger: payments released to you from 1 January to 31 December "
            "(Japan time)."
        ),
    )
    _heading(pdf, _("The year"))
    t = totals.total
    _table(
        pdf,
        [
            [_("item"), _("amount")],
            [_("gross (incl. consumption tax)"), yen(t.gross)],
            [_("of which consumption tax"), yen(t.consumption_tax)],
            [_("platform fees"), yen(t.platform_fee)],
            [_("withholding tax withheld"), yen(t.withholding)],
            [_("net received"), yen(t.net)],
        ],
        widths=(3, 2),
    )
    _heading(pdf, _("Per client"))
    rows = [[_("client"), *_figure_headers()]]
    rows += [[c.client_name, *_figure_cells(c)] for c in totals.clients]
    rows.append([_("total"), *_figure_cells(t)])
    _table(pdf, rows, widths=(4, 2, 2, 2, 2, 2))
    _heading(pdf, _("Per month"))
    rows = [[_("month"), *_figure_headers()]]
    rows += [[f"{totals.year}-{m.month:02d}", *_figure_cells(m)] for m in totals.months]
    _table(pdf, rows, widths=(2, 2, 2, 2, 2, 2))
    return bytes(pdf.output())


def statements_pdf(statements: Sequence[WithholdingStatement], year: int) -> bytes:
    pdf = _pdf(_("Withholding statements %(year)s") % {"year": year})
    _line(
        pdf,
        _(
            "Figures in the style of the payment record (支払調書) each client files; check them "
            "against the one your client sends you."
        ),
    )
    if not statements:
        _line(pdf, _("No payments in this year."))
    for s in statements:
        _heading(pdf, s.payer_name)
        _table(
            pdf,
            [
                [_("item"), ""],
                [_("payer"), s.payer_name],
                [_("payee"), s.payee_name],
                [_("category"), s.category],
                [_("description"), s.description],
                [_("amount paid"), yen(s.amount_paid)],
                [_("of which consumption tax"), yen(s.consumption_tax)],
                [_("tax withheld"), yen(s.withholding)],
            ],
            widths=(2, 5),
        )
    return bytes(pdf.output())


def invoice_pdf(invoice: Invoice) -> bytes:
    doc: dict[str, Any] = invoice.document
    title = _("Qualified invoice") + " (適格請求書)"
    pdf = _pdf(title)
    issuer = doc["issuer"]
    if invoice.corrects_id is not None and "corrects" in doc:
        _line(
            pdf,
            _("Correction of invoice %(number)s issued on %(date)s. Reason: %(reason)s")
            % {
                "number": doc["corrects"]["number"],
                "date": doc["corrects"]["issued_on"],
                "reason": doc.get("correction_reason", ""),
            },
        )
    _table(
        pdf,
        [
            [_("item"), ""],
            [_("invoice number"), invoice.display_number],
            [_("date"), doc["issued_on"]],
            [_("issuer"), issuer["name"]],
            [_("registration number"), issuer["registration_number"]],
            *([[_("address"), issuer["address"]]] if issuer.get("address") else []),
            [_("recipient"), doc["recipient"]["name"]],
        ],
        widths=(2, 5),
    )
    if invoice.kind == InvoiceKind.CLIENT_PAYMENT and doc.get("on_behalf_of_by"):
        _line(
            pdf,
            _("Issued by %(platform)s on behalf of the issuer.")
            % {"platform": doc["on_behalf_of_by"]},
        )
    _heading(pdf, _("Details"))
    basis = _("tax included") if doc["tax_included"] else _("tax excluded")
    rows = [[_("description"), _("rate"), _("amount (%(basis)s)") % {"basis": basis}]]
    rows += [
        [line["description"], f"{line['rate']}%", yen(line["amount"])] for line in doc["lines"]
    ]
    _table(pdf, rows, widths=(5, 1, 2))
    _heading(pdf, _("Per tax rate"))
    rows = [[_("rate"), _("excluding tax"), _("consumption tax"), _("including tax")]]
    rows += [
        [f"{r['rate']}%", yen(r["excluding_tax"]), yen(r["tax"]), yen(r["including_tax"])]
        for r in doc["by_rate"]
    ]
    rows.append([_("total"), yen(doc["total_excluding_tax"]), yen(doc["tax"]), yen(doc["total"])])
    _table(pdf, rows, widths=(2, 2, 2, 2))
    _line(pdf, _("Consumption tax is rounded down once per tax rate on this invoice."))
    return bytes(pdf.output())


def invoice_json(invoice: Invoice) -> dict[str, Any]:
    """The invoice as printed, with its number; ``corrects`` names the invoice it corrects."""
    return {
        **invoice.document,
        "number": invoice.display_number,
        "kind": invoice.kind,
        "issued_on": invoice.issued_on.isoformat(),
        "corrects": invoice.document.get("corrects"),
    }
