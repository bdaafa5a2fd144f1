from __future__ import annotations

import datetime
from typing import Any

from ninja import Schema


class FiguresOut(Schema):
    gross: int
    consumption_tax: int
    platform_fee: int
    withholding: int
    net: int
    payments: int


class ClientFiguresOut(FiguresOut):
    client_id: int
    client_name: str


class MonthFiguresOut(FiguresOut):
    month: int


class YearsOut(Schema):
    years: list[int]


class TotalsOut(Schema):
    year: int
    worker_name: str
    total: FiguresOut
    clients: list[ClientFiguresOut]
    months: list[MonthFiguresOut]
    csv_url: str
    pdf_url: str


class StatementOut(Schema):
    year: int
    payer_id: int
    payer_name: str
    payee_name: str
    category: str
    description: str
    amount_paid: int
    consumption_tax: int
    withholding: int
    payments: int


class InvoiceOut(Schema):
    id: int
    number: str
    kind: str
    issued_on: datetime.date
    issuer_name: str
    registration_number: str
    recipient_name: str
    total: int
    tax: int
    corrects: str | None
    pdf_url: str
    json_url: str


class InvoiceDocumentOut(InvoiceOut):
    document: dict[str, Any]
