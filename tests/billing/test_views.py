"""Billing pages and downloads: the worker sees their own papers and invoices; a second user
gets 404 for someone else's invoice and sees only their own (empty) papers; bad years are a
clear error in the user's language."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.billing.factories import paid, registered_worker
from tests.billing.test_papers import pdf_text
from tsunagu.accounts.models import User
from tsunagu.audit.models import AuditEvent
from tsunagu.billing import selectors
from tsunagu.billing.models import Invoice, InvoiceKind

pytestmark = pytest.mark.django_db

YEAR = selectors.tax_today().year


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_worker_sees_the_years_totals() -> None:
    worker = UserFactory()
    paid(worker=worker, amount=50_000, withholding_category=True)
    response = signed_in(worker).get(reverse("billing:overview"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "確定申告" in page
    assert "¥55,000" in page and "¥5,105" in page and "¥39,895" in page
    # in English too
    response = signed_in(worker).get(reverse("billing:overview"), HTTP_ACCEPT_LANGUAGE="en")
    assert "withholding tax withheld" in response.content.decode()


def test_downloads_of_the_year() -> None:
    worker = UserFactory()
    paid(worker=worker, amount=30_000)
    client = signed_in(worker)
    response = client.get(reverse("billing:totals_csv", args=[YEAR]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert int(rows[-1][4]) == 33_000
    response = client.get(reverse("billing:totals_pdf", args=[YEAR]))
    assert response["Content-Type"] == "application/pdf"
    assert "¥27,000" in pdf_text(response.content)
    response = client.get(reverse("billing:statements", args=[YEAR]))
    assert "¥33,000" in response.content.decode()
    response = client.get(reverse("billing:statements_pdf", args=[YEAR]))
    assert "¥33,000" in pdf_text(response.content)
    response = client.get(reverse("billing:statements_csv", args=[YEAR]))
    assert response.content.startswith(b"\xef\xbb\xbf")


def test_one_clients_statement() -> None:
    worker, client_a, client_b = UserFactory(), UserFactory(), UserFactory()
    paid(worker=worker, client=client_a, amount=30_000)
    paid(worker=worker, client=client_b, amount=50_000, withholding_category=True)
    client = signed_in(worker)
    response = client.get(reverse("billing:statement_pdf", args=[YEAR, client_b.pk]))
    text = pdf_text(response.content)
    assert "¥55,000" in text and "¥5,105" in text and "¥33,000" not in text
    # a client the worker was never paid by, or someone else asking: 404
    assert client.get(reverse("billing:statement_pdf", args=[YEAR, worker.pk])).status_code == 404
    stranger = signed_in(UserFactory())
    url = reverse("billing:statement_pdf", args=[YEAR, client_b.pk])
    assert stranger.get(url).status_code == 404


def test_a_second_user_sees_only_their_own_papers() -> None:
    worker = UserFactory()
    paid(worker=worker, amount=30_000)
    other = signed_in(UserFactory())
    page = other.get(reverse("billing:overview")).content.decode()
    assert "¥33,000" not in page
    rows = list(
        csv.reader(
            io.StringIO(
                other.get(reverse("billing:totals_csv", args=[YEAR])).content.decode("utf-8-sig")
            )
        )
    )
    assert int(rows[-1][4]) == 0


@pytest.mark.parametrize(
    ("year", "ja", "en"),
    [
        ("20x6", "4桁", "four digits"),
        (str(YEAR + 1), "まだ始まっていません", "has not begun yet"),
        ("2001", "アカウントの開設", "Your account was opened"),
    ],
)
def test_bad_years_are_a_clear_error(year: str, ja: str, en: str) -> None:
    worker = UserFactory()
    paid(worker=worker)
    client = signed_in(worker)
    before = Invoice.objects.count()
    for url in (
        reverse("billing:overview") + f"?year={year}",
        reverse("billing:totals_csv", args=[year]),
        reverse("billing:totals_pdf", args=[year]),
        reverse("billing:statements", args=[year]),
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert ja in response.content.decode()
    response = client.get(reverse("billing:overview") + f"?year={year}", HTTP_ACCEPT_LANGUAGE="en")
    assert en in response.content.decode()
    assert Invoice.objects.count() == before


def test_invoices_are_only_for_the_people_concerned() -> None:
    worker = registered_worker()
    client_user = UserFactory()
    paid(worker=worker, client=client_user, amount=30_000)
    fee = Invoice.objects.get(kind=InvoiceKind.PLATFORM_FEE)
    payment = Invoice.objects.get(kind=InvoiceKind.CLIENT_PAYMENT)
    mine = signed_in(worker)
    page = mine.get(reverse("billing:invoices")).content.decode()
    assert fee.display_number in page and payment.display_number in page
    response = mine.get(reverse("billing:invoice", args=[fee.pk]))
    assert response.status_code == 200
    assert "T0000000000000" in response.content.decode()
    response = mine.get(reverse("billing:invoice_pdf", args=[fee.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "¥545" in pdf_text(response.content)
    response = mine.get(reverse("billing:invoice_json", args=[payment.pk]))
    assert response.json()["total"] == 33_000
    # the client sees the invoice addressed to them, not the worker's fee invoice
    theirs = signed_in(client_user)
    assert theirs.get(reverse("billing:invoice", args=[payment.pk])).status_code == 200
    assert theirs.get(reverse("billing:invoice", args=[fee.pk])).status_code == 404
    # a third person sees nothing
    stranger = signed_in(UserFactory())
    assert fee.display_number not in stranger.get(reverse("billing:invoices")).content.decode()
    for name in ("billing:invoice", "billing:invoice_pdf", "billing:invoice_json"):
        for invoice in (fee, payment):
            assert stranger.get(reverse(name, args=[invoice.pk])).status_code == 404
    assert stranger.get(reverse("billing:invoice", args=["abc"])).status_code == 404
    # staff may see any
    assert (
        signed_in(UserFactory(is_staff=True))
        .get(reverse("billing:invoice", args=[fee.pk]))
        .status_code
        == 200
    )


def test_signed_out_visitors_are_sent_to_log_in() -> None:
    response = Client().get(reverse("billing:overview"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_dashboard_links_tag() -> None:
    from django.template import Context, Template

    worker = UserFactory()
    paid(worker=worker)
    html = Template("{% load billing_tags %}{% billing_dashboard_links user %}").render(
        Context({"user": worker})
    )
    assert reverse("billing:totals_pdf", args=[YEAR]) in html
    assert reverse("billing:invoices") in html
    assert "(1)" in html


def test_staff_issue_a_correction_in_the_admin() -> None:
    worker = UserFactory()
    paid(worker=worker)
    invoice = Invoice.objects.get()
    staff = UserFactory(is_staff=True, is_superuser=True)
    admin = signed_in(staff)
    url = reverse("admin:billing_invoice_correct", args=[invoice.pk])
    assert admin.get(reverse("admin:billing_invoice_changelist")).status_code == 200
    assert admin.get(reverse("admin:billing_invoice_change", args=[invoice.pk])).status_code == 200
    assert admin.post(url, {"reason": ""}).status_code == 400
    assert Invoice.objects.count() == 1
    response = admin.post(url, {"reason": "宛名の訂正"})
    assert response.status_code == 302
    correction = Invoice.objects.exclude(pk=invoice.pk).get()
    assert correction.corrects_id == invoice.pk
    assert AuditEvent.objects.filter(event="invoice.corrected", actor=staff).exists()
    # the worker sees both, the correction naming the original
    page = signed_in(worker).get(reverse("billing:invoice", args=[correction.pk])).content.decode()
    assert invoice.display_number in page
    # a worker cannot reach the admin action
    assert signed_in(worker).post(url, {"reason": "x"}).status_code == 302
    assert Invoice.objects.count() == 2
