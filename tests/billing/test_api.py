"""/api/v1/billing with a personal token: the worker's own papers and invoices, 422 for a bad
year with its code and a translated message, 404 for someone else's invoice."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.api.factories import bearer, make_token
from tests.billing.factories import paid, registered_worker
from tests.billing.test_papers import pdf_text
from tsunagu.accounts.models import User
from tsunagu.billing import selectors
from tsunagu.billing.models import Invoice, InvoiceKind

pytestmark = pytest.mark.django_db

YEAR = selectors.tax_today().year
BASE = "/api/v1/billing"


def auth(user: User) -> dict[str, Any]:
    _token, secret = make_token(user=user)
    return bearer(secret)


def test_years_totals_and_statements() -> None:
    worker = UserFactory()
    paid(worker=worker, amount=50_000, withholding_category=True)
    headers = auth(worker)
    client = Client()
    assert client.get(f"{BASE}/years", **headers).json()["years"][0] == YEAR
    body = client.get(f"{BASE}/years/{YEAR}/totals", **headers).json()
    assert body["total"]["gross"] == 55_000
    assert body["total"]["withholding"] == 5_105
    assert body["total"]["net"] == 39_895
    assert body["clients"][0]["gross"] == 55_000
    assert len(body["months"]) == 12
    response = client.get(f"{BASE}/years/{YEAR}/totals.csv", **headers)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert int(rows[-1][8]) == 39_895
    response = client.get(f"{BASE}/years/{YEAR}/totals.pdf", **headers)
    assert response["Content-Type"] == "application/pdf"
    assert "¥39,895" in pdf_text(response.content)
    (statement,) = client.get(f"{BASE}/years/{YEAR}/statements", **headers).json()
    assert statement["withholding"] == 5_105
    response = client.get(f"{BASE}/years/{YEAR}/statements.pdf", **headers)
    assert "¥5,105" in pdf_text(response.content)
    response = client.get(f"{BASE}/years/{YEAR}/statements.csv", **headers)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [int(v) for v in rows[1][5:]] == [55_000, 5_000, 5_105]
    # a second user's papers hold none of these figures
    other = client.get(f"{BASE}/years/{YEAR}/totals", **auth(UserFactory())).json()
    assert other["total"]["gross"] == 0
    assert client.get(f"{BASE}/years/{YEAR}/statements", **auth(UserFactory())).json() == []


@pytest.mark.parametrize(
    ("year", "code"),
    [
        ("20x6", "year_malformed"),
        (str(YEAR + 1), "year_in_future"),
        ("2001", "year_before_account"),
    ],
)
def test_bad_years_are_refused_with_a_code(year: str, code: str) -> None:
    worker = UserFactory()
    headers = auth(worker)
    for suffix in ("totals", "totals.csv", "totals.pdf", "statements", "statements.csv"):
        response = Client().get(f"{BASE}/years/{year}/{suffix}", **headers)
        assert response.status_code == 422, suffix
        assert response.json()["code"] == code
    response = Client().get(f"{BASE}/years/{year}/totals", HTTP_ACCEPT_LANGUAGE="ja", **headers)
    assert any(
        "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff"
        for ch in response.json()["message"]
    )


def test_invoices_only_for_the_people_concerned() -> None:
    worker = registered_worker()
    client_user = UserFactory()
    paid(worker=worker, client=client_user)
    fee = Invoice.objects.get(kind=InvoiceKind.PLATFORM_FEE)
    payment = Invoice.objects.get(kind=InvoiceKind.CLIENT_PAYMENT)
    client = Client()
    mine = auth(worker)
    listed = client.get(f"{BASE}/invoices", **mine).json()
    assert {i["number"] for i in listed} == {fee.display_number, payment.display_number}
    body = client.get(f"{BASE}/invoices/{payment.pk}", **mine).json()
    assert body["document"]["tax"] == 3_000
    assert body["registration_number"] == "T1180301018771"
    response = client.get(f"{BASE}/invoices/{fee.pk}/pdf", **mine)
    assert response["Content-Type"] == "application/pdf"
    assert "¥6,000" in pdf_text(response.content)
    theirs = auth(client_user)
    assert [i["id"] for i in client.get(f"{BASE}/invoices", **theirs).json()] == [payment.pk]
    assert client.get(f"{BASE}/invoices/{fee.pk}", **theirs).status_code == 404
    stranger = auth(UserFactory())
    assert client.get(f"{BASE}/invoices", **stranger).json() == []
    for invoice in (fee, payment):
        for suffix in ("", "/pdf"):
            response = client.get(f"{BASE}/invoices/{invoice.pk}{suffix}", **stranger)
            assert response.status_code == 404
            assert response.json()["code"] == "invoice_not_found"


def test_signed_out_is_401() -> None:
    assert Client().get(f"{BASE}/years").status_code == 401
