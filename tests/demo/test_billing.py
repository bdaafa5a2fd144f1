"""The demo's paid contracts come with their invoices: the platform's fee invoices for every
worker, and, for the demo's registered issuer, invoices to their clients. Running it twice
issues nothing more."""

from __future__ import annotations

import pytest

from tests.demo.conftest import DemoRuns
from tsunagu.billing.models import Invoice, InvoiceKind
from tsunagu.billing.selectors import annual_totals, tax_today
from tsunagu.contracts.models import Milestone

pytestmark = pytest.mark.django_db


def test_demo_invoices_are_issued_once(demo_runs: DemoRuns) -> None:
    paid = Milestone.objects.filter(released_amount__gt=0).count()
    assert Invoice.objects.filter(kind=InvoiceKind.PLATFORM_FEE).count() == paid
    payments = Invoice.objects.filter(kind=InvoiceKind.CLIENT_PAYMENT)
    assert payments.exists()
    assert {i.worker.email for i in payments} == {"worker@tsunagu.example"}
    assert all(i.document["issuer"]["registration_number"] == "T5010001000001" for i in payments)
    worker = payments[0].worker
    assert annual_totals(worker=worker, year=tax_today().year).total.gross > 0
    # the second run issued none
    issued = demo_runs.first["rows"]["billing.Invoice"]
    assert demo_runs.second["rows"]["billing.Invoice"] == issued
    assert sorted(Invoice.objects.values_list("pk", flat=True)) == issued
