"""Invoices issued at the same moment, each on its own connection (SQLite and PostgreSQL): one
issuer's numbers stay without gaps or repeats, and one payment never gets two invoices."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.accounts.factories import UserFactory
from tests.support.races import race
from tests.trust.factories import paid_contract
from tsunagu.accounts.models import User
from tsunagu.billing import services
from tsunagu.billing.models import PLATFORM_ISSUER, Invoice, InvoiceCounter
from tsunagu.contracts.models import Milestone
from tsunagu.contracts.signals import milestone_paid

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver_off() -> Iterator[None]:
    """Pay without the receiver, so the test decides when invoices are issued."""
    milestone_paid.disconnect(dispatch_uid="billing.on_milestone_paid")
    yield
    milestone_paid.connect(services.on_milestone_paid, dispatch_uid="billing.on_milestone_paid")


def _milestone(contract_worker: User) -> int:
    found = Milestone.objects.filter(contract__worker=contract_worker).values_list("pk", flat=True)
    return found.get()


@pytest.mark.usefixtures("receiver_off")
def test_four_invoices_at_once_take_four_numbers_without_gaps() -> None:
    workers = [UserFactory() for _ in range(4)]
    for worker in workers:
        paid_contract(worker=worker)
    assert not Invoice.objects.exists()
    calls = [
        (
            lambda w=w: services.invoices_issue_for_milestones(
                worker=w, milestone_ids=[_milestone(w)]
            )
        )
        for w in workers
    ]
    results = race(*calls)
    assert all(isinstance(r, list) and len(r) == 1 for r in results), results
    numbers = sorted(
        Invoice.objects.filter(issuer_key=PLATFORM_ISSUER).values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3, 4]
    assert InvoiceCounter.objects.get(issuer_key=PLATFORM_ISSUER).last_number == 4


@pytest.mark.usefixtures("receiver_off")
def test_one_payment_issued_twice_at_once_gets_one_invoice() -> None:
    worker = UserFactory()
    paid_contract(worker=worker)
    milestone_id = _milestone(worker)

    def issue() -> list[Invoice]:
        return services.invoices_issue_for_milestones(worker=worker, milestone_ids=[milestone_id])

    results = race(issue, issue, issue)
    assert all(isinstance(r, list) for r in results), results
    invoice = Invoice.objects.get()
    assert {r[0].pk for r in results} == {invoice.pk}
    assert invoice.number == 1
    # the losers gave their number back: the next invoice is number 2
    assert InvoiceCounter.objects.get(issuer_key=PLATFORM_ISSUER).last_number == 1
