"""Contract and payment actions started at the same moment: exactly one effect each time.

Threads start together at a barrier against committed data, on whichever database the suite runs
on (the SQLite test database is a file, so its locking is real too):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsunagu_contractraces \\
        uv run pytest -p no:xdist -q tests/contracts
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.contracts.docs import docx
from tests.contracts.factories import give_balance, offer
from tests.support.races import race
from tsunagu.audit.models import AuditEvent
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.models import CancellationRequest, Contract, Dispute, Milestone
from tsunagu.contracts.services import (
    cancellation_propose,
    cancellation_respond,
    contract_cancel,
    delivery_submit,
    dispute_open,
    milestone_accept,
    milestone_fund_from_wallet,
    milestone_fund_start,
    milestones_auto_accept_due,
)
from tsunagu.contracts.states import ContractStatus, MilestoneStatus
from tsunagu.ledger.checks import run_checks
from tsunagu.ledger.models import Account, Transfer
from tsunagu.ledger.services import wallet_account
from tsunagu.payments.models import Payment, PaymentStatus, SandboxOperation, WebhookEvent
from tsunagu.payments.providers import get_provider
from tsunagu.payments.providers.sandbox import SandboxProvider, sign, webhook_body
from tsunagu.payments.services import payment_execute, webhook_receive
from tsunagu.payments.wallet import wallet_top_up_start

pytestmark = pytest.mark.django_db(transaction=True)


def refusals(results: list[Any]) -> list[ContractError]:
    """The ContractErrors among the results; anything else that was raised fails the test."""
    unexpected = [
        r for r in results if isinstance(r, Exception) and not isinstance(r, ContractError)
    ]
    assert not unexpected, unexpected
    return [r for r in results if isinstance(r, ContractError)]


def balance(user_id: int) -> int:
    return wallet_account(user_id=user_id, currency="JPY").balance


def funded(amount: int = 30_000) -> tuple[Contract, Milestone]:
    contract = offer(amounts=(amount,))
    milestone = contract.milestones.get()
    give_balance(contract.client, milestone.gross)
    milestone_fund_from_wallet(milestone=milestone, by=contract.client)
    milestone.refresh_from_db()
    return contract, milestone


def delivered(amount: int = 30_000) -> tuple[Contract, Milestone]:
    contract, milestone = funded(amount)
    delivery_submit(milestone=milestone, by=contract.worker, message="納品します", files=[docx()])
    milestone.refresh_from_db()
    return contract, milestone


def released_once(contract: Contract, milestone: Milestone) -> None:
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.RELEASED
    assert Transfer.objects.filter(kind="post", pending__key=milestone.hold_key).count() == 1
    assert Transfer.objects.filter(key=f"pay:m{milestone.pk}").count() == 1
    # 30,000 + 3,000 tax in escrow; 20% fee on 30,000 is 6,000
    assert balance(contract.worker_id) == 27_000
    assert balance(contract.client_id) == 0
    assert Account.objects.get(code="platform_fees:JPY").balance == 6_000
    assert run_checks() == []


def test_two_accepts_of_one_delivery_release_once() -> None:
    contract, milestone = delivered()
    accept = lambda: milestone_accept(milestone=Milestone(pk=milestone.pk), by=contract.client)  # noqa: E731
    results = race(accept, accept)
    lost = refusals(results)
    assert len(lost) == 1 and lost[0].code == "wrong_state"
    released_once(contract, milestone)
    assert AuditEvent.objects.filter(event="milestone.accepted").count() == 1


def test_auto_accept_against_the_client_accepting_releases_once() -> None:
    contract, milestone = delivered()
    later = timezone.now() + datetime.timedelta(days=8)
    results = race(
        lambda: milestone_accept(milestone=Milestone(pk=milestone.pk), by=contract.client),
        lambda: milestones_auto_accept_due(now=later),
    )
    manual, timer = results
    refusals(results)
    # Either the client won and the timer found nothing, or the timer won and the client's
    # click was refused.
    assert (isinstance(manual, Milestone) and timer == 0) or (
        isinstance(manual, ContractError) and manual.code == "wrong_state" and timer == 1
    ), results
    released_once(contract, milestone)
    events = AuditEvent.objects.filter(event__in=["milestone.accepted", "milestone.auto_accepted"])
    assert events.count() == 1


def test_funding_from_the_wallet_against_cancelling_one_wins_and_money_is_whole() -> None:
    for _ in range(3):  # both orders are possible; try a few times
        contract = offer(amounts=(30_000,))
        milestone = contract.milestones.get()
        give_balance(contract.client, 50_000, key=f"gift:{contract.pk}")
        before = balance(contract.client_id)
        fund, cancel = race(
            lambda m=milestone, c=contract: milestone_fund_from_wallet(  # type: ignore[misc]
                milestone=Milestone(pk=m.pk), by=c.client
            ),
            lambda c=contract: contract_cancel(contract=Contract(pk=c.pk), by=c.worker),  # type: ignore[misc]
        )
        lost = refusals([fund, cancel])
        assert len(lost) == 1, (fund, cancel)
        milestone.refresh_from_db()
        contract.refresh_from_db()
        client = wallet_account(user_id=contract.client_id, currency="JPY")
        escrow = Account.objects.filter(code=contract.escrow_code).first()
        held = escrow.credits_pending if escrow else 0
        if isinstance(cancel, ContractError):
            assert cancel.code == "money_in_escrow"
            assert milestone.status == MilestoneStatus.FUNDED
            assert contract.status == ContractStatus.ACTIVE
            assert held == 33_000 and client.available == before - 33_000
        else:
            assert isinstance(fund, ContractError) and fund.code == "wrong_state"
            assert milestone.status == MilestoneStatus.CANCELLED
            assert contract.status == ContractStatus.CANCELLED
            assert held == 0 and client.available == before
        # the money is whole: nothing left the client's balance, and escrow holds what is missing
        assert client.balance == before
        assert client.available + held == before
        assert run_checks() == []


def test_card_funding_started_twice_at_once_makes_one_payment() -> None:
    contract = offer(amounts=(30_000,))
    milestone = contract.milestones.get()
    start = lambda: milestone_fund_start(milestone=Milestone(pk=milestone.pk), by=contract.client)  # noqa: E731
    results = race(start, start, start)
    lost = refusals(results)
    payments = [r for r in results if isinstance(r, Payment)]
    assert payments, results
    assert all(e.code == "payment_in_progress" for e in lost)
    assert len({p.pk for p in payments}) == 1
    assert Payment.objects.count() == 1
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.FUNDING
    # the one payment funds the milestone once
    payment_execute(payment=payments[0])
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.FUNDED
    assert SandboxOperation.objects.count() == 1
    client = wallet_account(user_id=contract.client_id, currency="JPY")
    assert (client.balance, client.available) == (33_000, 0)
    assert run_checks() == []


def charged_but_not_finalised(settings: Any, amount: int) -> tuple[Payment, bytes]:
    """A top-up the provider has charged, whose answer has not reached us yet."""
    # Keep the sandbox's own announcement queued, so the test delivers the event itself.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
    }
    user = UserFactory()
    payment = wallet_top_up_start(user=user, amount=amount)
    provider = get_provider()
    result = provider.charge(
        idempotency_key=payment.key, amount=amount, currency="JPY", description="top_up"
    )
    assert result.status == "succeeded"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PROCESSING
    return payment, webhook_body("charge", payment.key, result.ref, "succeeded", "")


def test_the_same_webhook_twice_at_once_has_one_effect(settings: Any) -> None:
    payment, body = charged_but_not_finalised(settings, 8_000)
    provider = SandboxProvider()

    def deliver() -> bool:
        return webhook_receive(
            data=provider.parse_webhook(body=body, signature=sign(body)), provider=provider.name
        )

    results = race(deliver, deliver, deliver)
    assert sorted(results) == [False, False, True], results
    assert WebhookEvent.objects.count() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert balance(payment.user_id) == 8_000
    assert Transfer.objects.filter(key=f"payment:{payment.key}").count() == 1
    assert run_checks() == []


def test_the_webhook_against_the_direct_answer_has_one_effect(settings: Any) -> None:
    """The provider's webhook and our own call finish the same payment at the same moment."""
    payment, body = charged_but_not_finalised(settings, 9_000)
    provider = SandboxProvider()
    results = race(
        lambda: webhook_receive(
            data=provider.parse_webhook(body=body, signature=sign(body)), provider=provider.name
        ),
        lambda: payment_execute(payment=Payment.objects.get(pk=payment.pk)),
    )
    assert not any(isinstance(r, Exception) for r in results), results
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert SandboxOperation.objects.filter(idempotency_key=payment.key).count() == 1
    assert balance(payment.user_id) == 9_000
    assert Transfer.objects.filter(key=f"payment:{payment.key}").count() == 1
    assert run_checks() == []


def test_accepting_a_cancellation_against_opening_a_dispute_has_one_outcome() -> None:
    for _ in range(3):
        contract, milestone = funded(30_000)
        request = cancellation_propose(
            milestone=milestone, by=contract.client, release_amount=10_000, reason="途中まで"
        )
        respond, dispute = race(
            lambda r=request, c=contract: cancellation_respond(  # type: ignore[misc]
                request=CancellationRequest.objects.get(pk=r.pk), by=c.worker, accept=True
            ),
            lambda m=milestone, c=contract: dispute_open(  # type: ignore[misc]
                milestone=Milestone(pk=m.pk), by=c.client, reason="納品されません"
            ),
        )
        lost = refusals([respond, dispute])
        assert len(lost) == 1 and lost[0].code == "wrong_state", (respond, dispute)
        milestone.refresh_from_db()
        request.refresh_from_db()
        client = wallet_account(user_id=contract.client_id, currency="JPY")
        worker = wallet_account(user_id=contract.worker_id, currency="JPY")
        if isinstance(dispute, ContractError):
            # settled by agreement: worker 10,000 + 1,000 tax - 2,000 fee; the rest refunded
            assert milestone.status == MilestoneStatus.SETTLED
            assert request.status == "accepted"
            assert not Dispute.objects.filter(milestone=milestone).exists()
            assert worker.balance == 9_000
            assert (client.balance, client.available) == (22_000, 22_000)
        else:
            # the dispute froze the escrow and withdrew the proposal
            assert milestone.status == MilestoneStatus.DISPUTED
            assert request.status == "withdrawn"
            assert Dispute.objects.filter(milestone=milestone).count() == 1
            assert worker.balance == 0
            assert (client.balance, client.available) == (33_000, 0)
        assert Transfer.objects.filter(pending__key=milestone.hold_key).count() == (
            1 if isinstance(dispute, ContractError) else 0
        )
        assert run_checks() == []
