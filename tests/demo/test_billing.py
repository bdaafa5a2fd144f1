"""The demo's paid contracts come with their invoices: the platform's fee invoices for every
worker, and, for the demo's registered issuer, invoices to their clients. Running it twice
issues nothing more."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tsunagu.billing.models import Invoice, InvoiceKind
from tsunagu.billing.selectors import annual_totals, tax_today
from tsunagu.contracts.models import Milestone

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_invoices_are_issued_once() -> None:
    call_command("demo", "--no-progress", stdout=io.StringIO())
    paid = Milestone.objects.filter(released_amount__gt=0).count()
    assert Invoice.objects.filter(kind=InvoiceKind.PLATFORM_FEE).count() == paid
    payments = Invoice.objects.filter(kind=InvoiceKind.CLIENT_PAYMENT)
    assert payments.exists()
    assert {i.worker.email for i in payments} == {"worker@tsunagu.example"}
    assert all(i.document["issuer"]["registration_number"] == "T5010001000001" for i in payments)
    worker = payments[0].worker
    assert annual_totals(worker=worker, year=tax_today().year).total.gross > 0
    before = sorted(Invoice.objects.values_list("pk", flat=True))
    call_command("demo", "--no-progress", stdout=io.StringIO())
    assert sorted(Invoice.objects.values_list("pk", flat=True)) == before
