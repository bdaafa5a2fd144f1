"""Annual totals, withholding statements and invoices, from contracts paid through the real
services; every figure checked against one worked out by hand."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.billing.factories import COMPANY_NUMBER, paid, registered_worker
from tsunagu.billing import selectors, services
from tsunagu.billing.errors import BillingError
from tsunagu.billing.models import Invoice, InvoiceCounter, InvoiceKind, IssuedInvoiceChanged
from tsunagu.contracts.signals import milestone_paid

pytestmark = pytest.mark.django_db

THIS_YEAR = selectors.tax_today().year


def test_annual_totals_come_from_the_ledger() -> None:
    worker = UserFactory()
    client_a, client_b = UserFactory(), UserFactory()
    paid(worker=worker, client=client_a, amount=30_000)
    paid(worker=worker, client=client_a, amount=50_000, withholding_category=True)
    paid(worker=worker, client=client_b, amount=10_000)
    totals = selectors.annual_totals(worker=worker, year=THIS_YEAR)
    # 30,000: tax 3,000, fee 20% = 6,000, no withholding, net 27,000
    # 50,000: tax 5,000, fee 10,000, withholding 10.21% = 5,105, net 39,895
    # 10,000: tax 1,000, fee 2,000, net 9,000
    t = totals.total
    assert (t.gross, t.consumption_tax, t.platform_fee, t.withholding, t.net) == (
        99_000,
        9_000,
        18_000,
        5_105,
        75_895,
    )
    assert t.gross == t.platform_fee + t.withholding + t.net
    assert [(c.client_id, c.gross, c.withholding) for c in totals.clients] == [
        (client_a.pk, 88_000, 5_105),
        (client_b.pk, 11_000, 0),
    ]
    month = selectors.tax_today().month
    assert totals.months[month - 1].gross == 99_000
    assert sum(m.gross for m in totals.months) == 99_000
    # another worker's papers know nothing of these
    assert selectors.annual_totals(worker=client_a, year=THIS_YEAR).total.gross == 0


def test_withholding_statement_per_client() -> None:
    worker = UserFactory(legal_family_name="山田", legal_given_name="花子")
    client = UserFactory()
    paid(worker=worker, client=client, amount=50_000, withholding_category=True)
    (statement,) = selectors.withholding_statements(worker=worker, year=THIS_YEAR)
    assert statement.payer_id == client.pk
    assert statement.payee_name == "山田 花子"
    assert statement.category == "報酬、料金、契約金及び賞金"
    assert (statement.amount_paid, statement.consumption_tax, statement.withholding) == (
        55_000,
        5_000,
        5_105,
    )


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("20x6", "year_malformed"),
        ("", "year_malformed"),
        ("２０２６", "year_malformed"),
        (str(THIS_YEAR + 1), "year_in_future"),
        ("1999", "year_before_account"),
    ],
)
def test_bad_years_are_refused(raw: str, code: str) -> None:
    user = UserFactory()
    with pytest.raises(BillingError) as caught:
        selectors.year_parse(raw, user=user)
    assert caught.value.code == code
    assert caught.value.message  # a sentence for people, in the active language


def test_years_run_from_the_account_to_now() -> None:
    user = UserFactory()
    user.date_joined = timezone.now() - datetime.timedelta(days=800)
    user.save(update_fields=["date_joined"])
    years = selectors.billing_years(user=user)
    assert years[0] == THIS_YEAR
    assert years[-1] == selectors.first_year(user)
    assert selectors.year_parse(str(years[-1]), user=user) == years[-1]


def test_a_fee_invoice_is_issued_when_the_money_moves() -> None:
    worker = UserFactory()
    contract = paid(worker=worker, amount=30_000)
    (invoice,) = Invoice.objects.filter(worker=worker)
    assert invoice.kind == InvoiceKind.PLATFORM_FEE
    assert invoice.issuer_key == "platform"
    assert invoice.recipient_id == worker.pk
    assert invoice.number == 1
    # ¥6,000 including 10% tax: 6,000 × 10/110 = 545.45… → ¥545
    assert (invoice.total, invoice.tax) == (6_000, 545)
    doc = invoice.document
    assert doc["issuer"]["registration_number"].startswith("T")
    assert doc["by_rate"] == [
        {"rate": 10, "amount": 6_000, "excluding_tax": 5_455, "tax": 545, "including_tax": 6_000}
    ]
    assert doc["contract"]["id"] == contract.pk
    # a worker who is not a registered issuer gets no invoice to the client
    assert not Invoice.objects.filter(kind=InvoiceKind.CLIENT_PAYMENT).exists()


def test_a_registered_worker_issues_to_the_client_through_tsunagu() -> None:
    worker = registered_worker()
    client = UserFactory()
    paid(worker=worker, client=client, amount=12_345)
    invoice = Invoice.objects.get(kind=InvoiceKind.CLIENT_PAYMENT)
    assert invoice.issuer_key == f"user:{worker.pk}"
    assert invoice.recipient_id == client.pk
    assert invoice.document["issuer"] == {
        "name": "株式会社つなぐ制作",
        "registration_number": COMPANY_NUMBER,
        "address": "",
    }
    # 12,345 × 10% = 1,234.5 → ¥1,234; the total is what the client paid into escrow
    assert (invoice.total, invoice.tax) == (13_579, 1_234)
    assert invoice.display_number == f"W{worker.pk}-000001"
    # the client sees the invoice addressed to them, the worker sees both
    assert list(selectors.invoices_visible_to(user=client)) == [invoice]
    assert selectors.invoices_visible_to(user=worker).count() == 2


def test_issuing_again_is_harmless() -> None:
    worker = registered_worker()
    contract = paid(worker=worker)
    before = list(Invoice.objects.values_list("pk", "number"))
    assert len(before) == 2
    # the signal sent again (a retry), and the periodic job: nothing new
    milestone_paid.send_robust(
        sender=None, contract_id=contract.pk, client_id=contract.client_id, worker_id=worker.pk
    )
    assert services.invoices_issue_missing() == 0
    assert list(Invoice.objects.values_list("pk", "number")) == before
    assert InvoiceCounter.objects.get(issuer_key="platform").last_number == 1


def test_the_periodic_job_issues_what_the_receiver_missed() -> None:
    milestone_paid.disconnect(dispatch_uid="billing.on_milestone_paid")
    try:
        worker = UserFactory()
        paid(worker=worker)
        paid(worker=worker, amount=40_000)
        assert not Invoice.objects.exists()
        assert services.invoices_issue_missing() == 2
    finally:
        milestone_paid.connect(services.on_milestone_paid, dispatch_uid="billing.on_milestone_paid")
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [1, 2]


def test_an_issued_invoice_is_never_edited_a_correction_is_a_new_one() -> None:
    worker = UserFactory()
    paid(worker=worker)
    invoice = Invoice.objects.get()
    invoice.total = 1
    with pytest.raises(IssuedInvoiceChanged):
        invoice.save()
    with pytest.raises(IssuedInvoiceChanged):
        invoice.delete()
    with pytest.raises(IssuedInvoiceChanged):
        Invoice.objects.filter(pk=invoice.pk).update(total=1)
    with pytest.raises(IssuedInvoiceChanged):
        Invoice.objects.filter(pk=invoice.pk).delete()
    staff = UserFactory(is_staff=True)
    with pytest.raises(BillingError) as caught:
        services.invoice_correct(invoice=invoice, by=worker, reason="宛名の誤り")
    assert caught.value.code == "not_staff"
    with pytest.raises(BillingError):
        services.invoice_correct(invoice=invoice, by=staff, reason="  ")
    assert Invoice.objects.count() == 1
    original = Invoice.objects.get()
    correction = services.invoice_correct(invoice=original, by=staff, reason="宛名の誤り")
    assert correction.corrects_id == original.pk
    assert correction.number == 2
    assert correction.document["corrects"]["number"] == original.display_number
    assert correction.source_key == original.source_key
    original.refresh_from_db()
    assert original.total == 6_000
