"""Random sequences of contract actions by client, workers, staff, a stranger and the timers.

After every step the ledger checks are clean (balanced, totals match the transfers, no wallet
below zero, each escrow holds exactly its funded milestones) and a model of every wallet, the
platform's fee and withholding accounts and the money that came in from the card provider agrees
with the database: money in equals money out, none is created or lost.

Card payments. Each example runs inside one atomic block that is rolled back at teardown (as the
ledger's state machine does), so ``payment_execute``, which refuses to run inside a transaction,
cannot be called here. The card path is driven through the same three steps it takes, with the
real pieces: ``milestone_fund_start`` / ``wallet_top_up_start`` (``payment_start``), the sandbox
provider's ``charge`` with the payment's key (its amount rules decide: a gross ending in 402 or
409 is declined, 202 stays pending), then ``payment_finalize`` with the provider's answer. The
webhook the sandbox would send after commit is queued by the machine and delivered (and replayed)
through ``webhook_receive`` as a separate step, so it can arrive before or after the direct
answer. ``payment_execute`` itself runs against committed data in test_races.py and
test_crash.py. Rolling back one transaction keeps every example independent and fast; cleaning
the tables between examples of a transactional test would be slower and easy to get wrong.

Each run tries ``STATEFUL_EXAMPLES`` sequences (30) of up to 50 steps, new ones every run; set it
higher to search harder locally.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.accounts.factories import UserFactory
from tests.contracts.docs import docx
from tests.contracts.factories import give_balance, offer
from tsunagu.accounts.models import BusinessDetails, BusinessKind, User
from tsunagu.audit.models import AuditEvent
from tsunagu.contracts import fees
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.models import CancellationRequest, Contract, Dispute, Milestone
from tsunagu.contracts.services import (
    MilestoneInput,
    cancellation_propose,
    cancellation_respond,
    cancellation_withdraw,
    contract_accept_terms,
    contract_cancel,
    contract_decline,
    contract_offer,
    delivery_submit,
    dispute_decide,
    dispute_open,
    milestone_accept,
    milestone_fund_from_wallet,
    milestone_fund_start,
    milestone_request_revision,
    milestones_auto_accept_due,
)
from tsunagu.contracts.states import ESCROWED, ContractStatus, MilestoneStatus
from tsunagu.ledger.checks import run_checks
from tsunagu.ledger.models import Account, AccountKind
from tsunagu.ledger.services import platform_account, wallet_account
from tsunagu.notifications.models import Notification
from tsunagu.payments.models import Payment, PaymentKind, PaymentStatus, SandboxOperation
from tsunagu.payments.providers import get_provider
from tsunagu.payments.providers.sandbox import SandboxProvider, sign, webhook_body
from tsunagu.payments.services import payment_finalize, webhook_receive
from tsunagu.payments.wallet import wallet_top_up_start

MS = MilestoneStatus
OPEN_FOR_SETTLEMENT = ESCROWED - {MS.DISPUTED}

EXAMPLES = int(os.environ.get("STATEFUL_EXAMPLES", "30"))


def gross_of(amount: int) -> int:
    return amount + fees.consumption_tax(amount)


def amount_with_gross_ending(suffix: int) -> st.SearchStrategy[int]:
    """Fees whose gross (fee + 10% tax) ends in ``suffix``: the sandbox decides on those digits."""

    def find(thousands: int) -> int:
        for target in range(thousands * 1000 + suffix, 10_000_000, 1000):
            for amount in range(target * 10 // 11 - 2, target * 10 // 11 + 3):
                if amount > 0 and gross_of(amount) == target:
                    return amount
        raise AssertionError(suffix)

    return st.integers(min_value=1, max_value=250).map(find)


plain_amounts = st.integers(min_value=1, max_value=260_000)
fee_amounts = st.one_of(
    plain_amounts,
    plain_amounts,
    plain_amounts,
    amount_with_gross_ending(402),  # card declined
    amount_with_gross_ending(409),  # insufficient funds
    amount_with_gross_ending(202),  # pending, settled by the webhook
)
offer_amounts = st.lists(fee_amounts, min_size=1, max_size=3)
revision_limits = st.integers(min_value=0, max_value=2)
inspection_days = st.integers(min_value=1, max_value=7)
answer_now = st.sampled_from([True, True, False])  # the worker accepts the terms at once
top_up_amounts = st.one_of(
    st.sampled_from([1_000_000, 300_000, 50_000]),
    st.integers(min_value=100, max_value=600_000),
    st.integers(min_value=1, max_value=300).map(lambda k: k * 1000 + 402),
    st.integers(min_value=1, max_value=300).map(lambda k: k * 1000 + 202),
)


def charge_outcome(amount: int) -> str:
    """The sandbox's documented rule for charges."""
    if amount % 1000 in (402, 409):
        return "declined"
    if amount % 1000 == 202:
        return "pending"
    return "succeeded"


@dataclass
class MilestoneModel:
    pk: int
    contract: int
    amount: int
    tax: int
    status: str = MS.UNFUNDED
    revisions_used: int = 0
    deadline: datetime.datetime | None = None

    @property
    def gross(self) -> int:
        return self.amount + self.tax


@dataclass
class ContractModel:
    pk: int
    worker: User
    status: str
    revision_limit: int
    withholding: bool
    milestones: list[int] = field(default_factory=list)
    released: int = 0  # tax-exclusive fees released so far: the platform fee tiers follow it


@dataclass
class PaymentModel:
    pk: int
    kind: str
    amount: int
    milestone: int | None
    key: str
    status: str = PaymentStatus.PROCESSING


@dataclass
class RequestModel:
    pk: int
    milestone: int
    by: int
    release_amount: int
    status: str = "open"


class ContractMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.client = UserFactory()
        # An individual (withheld when the category requires it) and a company (never withheld).
        self.individual = UserFactory()
        BusinessDetails.objects.create(
            user=self.individual, kind=BusinessKind.INDIVIDUAL, legal_name="山田太郎"
        )
        self.company = UserFactory()
        BusinessDetails.objects.create(
            user=self.company, kind=BusinessKind.COMPANY, legal_name="株式会社つなぐ"
        )
        self.staff = UserFactory(is_staff=True)
        self.stranger = UserFactory()
        self.today = timezone.localdate()
        self.clock = timezone.now()
        self.contracts: dict[int, ContractModel] = {}
        self.milestones: dict[int, MilestoneModel] = {}
        self.payments: dict[int, PaymentModel] = {}
        self.requests: dict[int, RequestModel] = {}
        self.disputes: dict[int, tuple[int, str]] = {}
        self.webhooks: list[bytes] = []  # events the sandbox announced, in order
        # the model of the money
        self.client_balance = 0
        self.client_held = 0
        self.worker_balance = {self.individual.pk: 0, self.company.pk: 0}
        self.fees_total = 0
        self.withholding_total = 0
        self.money_in = 0  # what the provider paid in: the clearing account owes exactly this
        self.last: Callable[[], Any] | None = None

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # --- helpers ---------------------------------------------------------------------------

    def refused(self, call: Callable[[], Any], code: str) -> None:
        with pytest.raises(ContractError) as exc:
            call()
        assert exc.value.code == code, (exc.value.code, code)

    def pick(self, data: st.DataObject, pool: dict[int, Any], wanted: Callable[[Any], bool]) -> Any:
        """Mostly something the action applies to; now and then anything, to be refused."""
        if not pool:
            return None
        keys = sorted(pool)
        good = [k for k in keys if wanted(pool[k])]
        # Hypothesis favours small draws, so the rare choice is the largest one.
        stray = data.draw(st.integers(min_value=0, max_value=5)) == 5
        if good and not stray:
            keys = good
        return pool[data.draw(st.sampled_from(keys))]

    def pick_milestone(
        self, data: st.DataObject, wanted: Callable[[MilestoneModel], bool]
    ) -> MilestoneModel | None:
        return self.pick(data, self.milestones, wanted)

    def pick_contract(
        self, data: st.DataObject, wanted: Callable[[ContractModel], bool]
    ) -> ContractModel | None:
        return self.pick(data, self.contracts, wanted)

    def party(self, data: st.DataObject, contract: ContractModel) -> User:
        return data.draw(st.sampled_from([self.client, contract.worker]))

    def succeeded(self, call: Callable[[], Any]) -> Any:
        result = call()
        self.last = call
        return result

    def close_if_done(self, contract: ContractModel) -> None:
        statuses = [self.milestones[pk].status for pk in contract.milestones]
        final = {MS.RELEASED, MS.SETTLED, MS.REFUNDED, MS.CANCELLED}
        if all(s in final for s in statuses):
            paid = any(s in (MS.RELEASED, MS.SETTLED) for s in statuses)
            contract.status = ContractStatus.COMPLETED if paid else ContractStatus.CANCELLED

    def settle(self, m: MilestoneModel, release_amount: int) -> None:
        """What the model expects a release of ``release_amount`` (tax excluded) to do."""
        contract = self.contracts[m.contract]
        assert m.status in ESCROWED
        self.client_held -= m.gross
        if release_amount == 0:
            m.status = MS.REFUNDED
        else:
            tax = m.tax if release_amount == m.amount else fees.consumption_tax(release_amount)
            split = fees.release_split(
                amount=release_amount,
                tax=tax,
                already_released=contract.released,
                withholding_applies=contract.withholding,
            )
            assert split.gross <= m.gross
            self.client_balance -= split.gross
            self.worker_balance[contract.worker.pk] += split.to_worker
            self.fees_total += split.platform_fee
            self.withholding_total += split.withholding
            contract.released += release_amount
            m.status = MS.RELEASED if release_amount == m.amount else MS.SETTLED
        m.deadline = None
        # Open cancellation requests stay open; accepting one later is refused.
        self.close_if_done(contract)

    def record_charge(self, payment: Payment) -> str:
        """Charge the card as ``payment_execute`` does and finalise with the answer."""
        provider = get_provider()
        assert isinstance(provider, SandboxProvider)
        first = not SandboxOperation.objects.filter(idempotency_key=payment.key).exists()
        result = provider.charge(
            idempotency_key=payment.key,
            amount=payment.amount,
            currency=payment.currency,
            description=f"{payment.kind} {payment.cause_type} {payment.cause_id}".strip(),
        )
        if first:
            # The sandbox announces each new operation once; a pending one as its final outcome.
            final = "succeeded" if result.status == "pending" else result.status
            self.webhooks.append(
                webhook_body("charge", payment.key, result.ref, final, result.decline_code)
            )
        payment_finalize(payment_id=payment.pk, result=result)
        return result.status

    def apply_payment(self, p: PaymentModel, outcome: str) -> None:
        """The model's view of a payment settling with ``outcome``."""
        if p.status != PaymentStatus.PROCESSING or outcome == "pending":
            return
        if outcome == "succeeded":
            p.status = PaymentStatus.SUCCEEDED
            self.client_balance += p.amount
            self.money_in += p.amount
            if p.kind == PaymentKind.FUND:
                assert p.milestone is not None
                m = self.milestones[p.milestone]
                assert m.status == MS.FUNDING
                m.status = MS.FUNDED
                self.client_held += m.gross
        else:
            p.status = PaymentStatus.DECLINED
            if p.kind == PaymentKind.FUND:
                assert p.milestone is not None
                self.milestones[p.milestone].status = MS.UNFUNDED

    # --- the client offers, the worker answers ---------------------------------------------

    @initialize(data=st.data(), count=st.integers(min_value=1, max_value=3))
    def first_offers(self, data: st.DataObject, count: int) -> None:
        """Every example starts with a few offers, so that the later steps have work to act on."""
        for _ in range(count):
            self.offer(
                data,
                amounts=data.draw(offer_amounts),
                withholding=data.draw(st.booleans()),
                revision_limit=data.draw(revision_limits),
                inspection_days=data.draw(inspection_days),
                answer_now=data.draw(answer_now),
            )

    @rule(
        data=st.data(),
        amounts=offer_amounts,
        withholding=st.booleans(),
        revision_limit=revision_limits,
        inspection_days=inspection_days,
        answer_now=answer_now,
    )
    def offer(
        self,
        data: st.DataObject,
        amounts: list[int],
        withholding: bool,
        revision_limit: int,
        inspection_days: int,
        answer_now: bool,
    ) -> None:
        """The client offers; most of the time the worker accepts the terms at once."""
        worker = data.draw(st.sampled_from([self.individual, self.company]))
        due = self.today + datetime.timedelta(days=14)
        contract = contract_offer(
            client=self.client,
            worker=worker,
            title="記事作成",
            description="SEO記事を作成していただきます。",
            deliverables="Word ファイル",
            milestones=[
                MilestoneInput(title=f"第{i}回", amount=a, due_date=due)
                for i, a in enumerate(amounts, 1)
            ],
            payment_due=due + datetime.timedelta(days=30),
            inspection_days=inspection_days,
            revision_limit=revision_limit,
            withholding_category=withholding,
        )
        model = ContractModel(
            pk=contract.pk,
            worker=worker,
            status=ContractStatus.OFFERED,
            revision_limit=revision_limit,
            withholding=withholding and worker.pk == self.individual.pk,
        )
        for m in contract.milestones.order_by("position"):
            assert m.tax == gross_of(m.amount) - m.amount
            self.milestones[m.pk] = MilestoneModel(
                pk=m.pk, contract=contract.pk, amount=m.amount, tax=m.tax
            )
            model.milestones.append(m.pk)
        self.contracts[contract.pk] = model
        self.last = None
        if answer_now:
            contract_accept_terms(contract=contract, by=worker)
            model.status = ContractStatus.ACTIVE

    @precondition(lambda self: bool(self.contracts))
    @rule(data=st.data())
    def worker_accepts_terms(self, data: st.DataObject) -> None:
        c = self.pick_contract(data, lambda c: c.status == ContractStatus.OFFERED)
        if c is None:
            return
        call = lambda: contract_accept_terms(contract=Contract(pk=c.pk), by=c.worker)  # noqa: E731
        if c.status == ContractStatus.OFFERED:
            self.succeeded(call)
            c.status = ContractStatus.ACTIVE
        else:
            self.refused(call, "wrong_state")

    @precondition(lambda self: bool(self.contracts))
    @rule(data=st.data())
    def worker_declines(self, data: st.DataObject) -> None:
        c = self.pick_contract(data, lambda c: c.status == ContractStatus.OFFERED)
        if c is None:
            return
        call = lambda: contract_decline(contract=Contract(pk=c.pk), by=c.worker)  # noqa: E731
        if c.status == ContractStatus.OFFERED:
            self.succeeded(call)
            c.status = ContractStatus.DECLINED
            for pk in c.milestones:
                self.milestones[pk].status = MS.CANCELLED
        else:
            self.refused(call, "wrong_state")

    @precondition(lambda self: bool(self.contracts))
    @rule(data=st.data())
    def party_cancels_contract(self, data: st.DataObject) -> None:
        c = self.pick_contract(
            data, lambda c: c.status in (ContractStatus.OFFERED, ContractStatus.ACTIVE)
        )
        if c is None:
            return
        by = self.party(data, c)
        call = lambda: contract_cancel(contract=Contract(pk=c.pk), by=by)  # noqa: E731
        statuses = {self.milestones[pk].status for pk in c.milestones}
        if MS.FUNDING in statuses:
            self.refused(call, "payment_in_progress")
        elif statuses & ESCROWED:
            self.refused(call, "money_in_escrow")
        elif c.status not in (ContractStatus.OFFERED, ContractStatus.ACTIVE):
            self.refused(call, "wrong_state")
        else:
            self.succeeded(call)
            paid = statuses & {MS.RELEASED, MS.SETTLED}
            c.status = ContractStatus.COMPLETED if paid else ContractStatus.CANCELLED
            for pk in c.milestones:
                if self.milestones[pk].status == MS.UNFUNDED:
                    self.milestones[pk].status = MS.CANCELLED

    # --- money in ----------------------------------------------------------------------------

    @initialize(amount=st.sampled_from([2_000_000, 300_000, 0]))
    def client_has_a_balance(self, amount: int) -> None:
        """Most examples start with money in the client's wallet, paid in by card."""
        if amount:
            self.client_tops_up_by_card(amount, charge_now=True)

    @rule(amount=top_up_amounts, charge_now=st.booleans())
    def client_tops_up_by_card(self, amount: int, charge_now: bool) -> None:
        """The top-up is started; the card is charged now or in a later step."""
        payment = wallet_top_up_start(user=self.client, amount=amount)
        p = PaymentModel(
            pk=payment.pk, kind=PaymentKind.TOP_UP, amount=amount, milestone=None, key=payment.key
        )
        self.payments[payment.pk] = p
        self.last = None
        if charge_now:
            self.charge(p)

    def fundable(self, m: MilestoneModel) -> bool:
        return (
            self.contracts[m.contract].status == ContractStatus.ACTIVE and m.status == MS.UNFUNDED
        )

    def fund_refusal(self, m: MilestoneModel) -> str | None:
        if self.contracts[m.contract].status != ContractStatus.ACTIVE or m.status != MS.UNFUNDED:
            return "payment_in_progress" if m.status == MS.FUNDING else "wrong_state"
        return None

    @precondition(lambda self: bool(self.milestones))
    @rule(data=st.data())
    def client_funds_from_wallet(self, data: st.DataObject) -> None:
        m = self.pick_milestone(data, self.fundable)
        if m is None:
            return
        call = lambda: milestone_fund_from_wallet(milestone=Milestone(pk=m.pk), by=self.client)  # noqa: E731
        code = self.fund_refusal(m)
        if code is None and self.client_balance - self.client_held < m.gross:
            code = "insufficient_balance"
        if code is not None:
            self.refused(call, code)
            return
        self.succeeded(call)
        m.status = MS.FUNDED
        self.client_held += m.gross

    @precondition(lambda self: bool(self.milestones))
    @rule(data=st.data(), charge_now=st.booleans())
    def client_funds_by_card(self, data: st.DataObject, charge_now: bool) -> None:
        """Funding by card is started; the card is charged now or in a later step."""
        m = self.pick_milestone(data, self.fundable)
        if m is None:
            return
        call = lambda: milestone_fund_start(milestone=Milestone(pk=m.pk), by=self.client)  # noqa: E731
        code = self.fund_refusal(m)
        if code is not None:
            self.refused(call, code)
            return
        payment = self.succeeded(call)
        assert payment.pk not in self.payments
        assert payment.amount == m.gross and payment.kind == PaymentKind.FUND
        m.status = MS.FUNDING
        p = PaymentModel(
            pk=payment.pk, kind=PaymentKind.FUND, amount=m.gross, milestone=m.pk, key=payment.key
        )
        self.payments[payment.pk] = p
        if charge_now:
            self.charge(p)
            if m.status == MS.UNFUNDED:
                self.last = None  # declined: paying again is a new attempt, not a double click

    @precondition(lambda self: bool(self.payments))
    @rule(data=st.data())
    def card_is_charged(self, data: st.DataObject) -> None:
        """The card is charged with the payment's key and the answer finalises the payment."""
        if not self.payments:
            return
        p = self.pick(data, self.payments, lambda p: p.status == PaymentStatus.PROCESSING)
        self.charge(p)
        self.last = None

    def charge(self, p: PaymentModel) -> None:
        outcome = self.record_charge(Payment.objects.get(pk=p.pk))
        if p.status == PaymentStatus.PROCESSING:
            assert outcome == charge_outcome(p.amount)
        self.apply_payment(p, outcome)

    @precondition(lambda self: bool(self.webhooks))
    @rule(data=st.data())
    def provider_webhook_arrives(self, data: st.DataObject) -> None:
        """The sandbox's signed event, delivered once or again (a replay changes nothing)."""
        if not self.webhooks:
            return
        body = data.draw(st.sampled_from(self.webhooks))
        provider = SandboxProvider()
        event = provider.parse_webhook(body=body, signature=sign(body))
        p = next(p for p in self.payments.values() if p.key == event.idempotency_key)
        webhook_receive(data=event, provider=provider.name)
        self.apply_payment(p, "succeeded" if event.type.endswith(".succeeded") else "declined")
        self.last = None

    # --- work, inspection, release -------------------------------------------------------------

    @precondition(lambda self: bool(self.milestones))
    @rule(data=st.data())
    def worker_delivers(self, data: st.DataObject) -> None:
        m = self.pick_milestone(data, lambda m: m.status in (MS.FUNDED, MS.REVISION_REQUESTED))
        if m is None:
            return
        worker = self.contracts[m.contract].worker
        call = lambda: delivery_submit(  # noqa: E731
            milestone=Milestone(pk=m.pk), by=worker, message="納品します", files=[docx()]
        )
        if m.status in (MS.UNFUNDED, MS.FUNDING):
            self.refused(call, "not_funded")
        elif m.status not in (MS.FUNDED, MS.REVISION_REQUESTED):
            self.refused(call, "wrong_state")
        else:
            self.succeeded(call)
            m.status = MS.DELIVERED
            m.deadline = Milestone.objects.get(pk=m.pk).inspection_deadline
            assert m.deadline is not None

    @precondition(lambda self: bool(self.milestones))
    @rule(data=st.data())
    def client_requests_revision(self, data: st.DataObject) -> None:
        m = self.pick_milestone(data, lambda m: m.status == MS.DELIVERED)
        if m is None:
            return
        call = lambda: milestone_request_revision(  # noqa: E731
            milestone=Milestone(pk=m.pk), by=self.client, message="見出しを直してください"
        )
        if m.status != MS.DELIVERED:
            self.refused(call, "wrong_state")
        elif m.revisions_used >= self.contracts[m.contract].revision_limit:
            self.refused(call, "revision_limit")
        else:
            self.succeeded(call)
            m.status = MS.REVISION_REQUESTED
            m.revisions_used += 1
            m.deadline = None

    @precondition(lambda self: bool(self.milestones))
    @rule(data=st.data())
    def client_accepts(self, data: st.DataObject) -> None:
        m = self.pick_milestone(data, lambda m: m.status == MS.DELIVERED)
        if m is None:
            return
        call = lambda: milestone_accept(milestone=Milestone(pk=m.pk), by=self.client)  # noqa: E731
        if m.status != MS.DELIVERED:
            self.refused(call, "wrong_state")
        else:
            self.succeeded(call)
            self.settle(m, m.amount)

    @rule(days=st.integers(min_value=1, max_value=10))
    def inspection_timer_runs(self, days: int) -> None:
        self.clock += datetime.timedelta(days=days)
        due = sorted(
            (m for m in self.milestones.values() if m.status == MS.DELIVERED),
            key=lambda m: (m.contract, self.contracts[m.contract].milestones.index(m.pk)),
        )
        expected = 0
        for m in due:
            assert m.deadline is not None
            if m.deadline <= self.clock:
                self.settle(m, m.amount)
                expected += 1
        assert milestones_auto_accept_due(now=self.clock) == expected
        # the timer running again at the same moment finds nothing to do
        assert milestones_auto_accept_due(now=self.clock) == 0
        self.last = None

    # --- cancellation by agreement, disputes -------------------------------------------------

    @precondition(lambda self: bool(self.milestones))
    @rule(data=st.data())
    def party_proposes_cancellation(self, data: st.DataObject) -> None:
        m = self.pick_milestone(data, lambda m: m.status in OPEN_FOR_SETTLEMENT)
        if m is None:
            return
        by = self.party(data, self.contracts[m.contract])
        release = data.draw(st.sampled_from([0, m.amount, max(0, m.amount // 3)]))
        call = lambda: cancellation_propose(  # noqa: E731
            milestone=Milestone(pk=m.pk), by=by, release_amount=release, reason="途中まで"
        )
        if m.status not in OPEN_FOR_SETTLEMENT:
            self.refused(call, "wrong_state")
        elif any(r.milestone == m.pk and r.status == "open" for r in self.requests.values()):
            self.refused(call, "open_request")
        else:
            request = self.succeeded(call)
            self.requests[request.pk] = RequestModel(
                pk=request.pk, milestone=m.pk, by=by.pk, release_amount=release
            )

    @precondition(lambda self: bool(self.requests))
    @rule(data=st.data(), accept=st.booleans())
    def party_answers_cancellation(self, data: st.DataObject, accept: bool) -> None:
        if not self.requests:
            return
        r = self.pick(data, self.requests, lambda r: r.status == "open")
        m = self.milestones[r.milestone]
        by = self.party(data, self.contracts[m.contract])
        call = lambda: cancellation_respond(  # noqa: E731
            request=CancellationRequest.objects.get(pk=r.pk), by=by, accept=accept
        )
        if by.pk == r.by:
            self.refused(call, "own_request")
        elif r.status != "open" or (accept and m.status not in OPEN_FOR_SETTLEMENT):
            self.refused(call, "wrong_state")
        else:
            self.succeeded(call)
            r.status = "accepted" if accept else "declined"
            if accept:
                self.settle(m, r.release_amount)

    @precondition(lambda self: bool(self.requests))
    @rule(data=st.data())
    def requester_withdraws_cancellation(self, data: st.DataObject) -> None:
        if not self.requests:
            return
        r = self.pick(data, self.requests, lambda r: r.status == "open")
        by = User.objects.get(pk=r.by)
        call = lambda: cancellation_withdraw(  # noqa: E731
            request=CancellationRequest(pk=r.pk), by=by
        )
        if r.status != "open":
            self.refused(call, "wrong_state")
        else:
            self.succeeded(call)
            r.status = "withdrawn"

    @precondition(lambda self: bool(self.milestones))
    @rule(data=st.data())
    def party_opens_dispute(self, data: st.DataObject) -> None:
        m = self.pick_milestone(data, lambda m: m.status in OPEN_FOR_SETTLEMENT)
        if m is None:
            return
        by = self.party(data, self.contracts[m.contract])
        call = lambda: dispute_open(milestone=Milestone(pk=m.pk), by=by, reason="納品されません")  # noqa: E731
        if m.status not in OPEN_FOR_SETTLEMENT:
            self.refused(call, "wrong_state")
            return
        dispute = self.succeeded(call)
        self.disputes[dispute.pk] = (m.pk, "open")
        m.status = MS.DISPUTED
        m.deadline = None
        for r in self.requests.values():
            if r.milestone == m.pk and r.status == "open":
                r.status = "withdrawn"

    @precondition(lambda self: bool(self.disputes))
    @rule(data=st.data(), by_staff=st.booleans())
    def staff_decides_dispute(self, data: st.DataObject, by_staff: bool) -> None:
        if not self.disputes:
            return
        open_ones = [k for k, (_, status) in sorted(self.disputes.items()) if status == "open"]
        if open_ones and data.draw(st.integers(min_value=0, max_value=5)) != 5:
            pk = data.draw(st.sampled_from(open_ones))
        else:
            pk = data.draw(st.sampled_from(sorted(self.disputes)))
        mpk, status = self.disputes[pk]
        m = self.milestones[mpk]
        release = data.draw(st.sampled_from([0, m.amount, max(0, m.amount // 2)]))
        by = self.staff if by_staff else self.party(data, self.contracts[m.contract])
        call = lambda: dispute_decide(  # noqa: E731
            dispute=Dispute.objects.get(pk=pk), by=by, release_amount=release, note="記録を確認"
        )
        if not by_staff:
            self.refused(call, "not_staff")
        elif status != "open":
            self.refused(call, "wrong_state")
        else:
            self.succeeded(call)
            self.disputes[pk] = (mpk, "decided")
            self.settle(m, release)

    # --- people who must change nothing ------------------------------------------------------

    @precondition(lambda self: bool(self.milestones))
    @rule(data=st.data(), action=st.integers(min_value=0, max_value=12))
    def stranger_tries(self, data: st.DataObject, action: int) -> None:
        m = self.pick_milestone(data, lambda m: True)
        if m is None:
            return
        who = data.draw(st.sampled_from([self.stranger, self.staff]))
        milestone = Milestone(pk=m.pk)
        contract = Contract(pk=m.contract)
        request = next(iter(self.requests), None)
        dispute = next(iter(self.disputes), None)
        calls: list[Callable[[], Any]] = [
            lambda: contract_accept_terms(contract=contract, by=who),
            lambda: contract_decline(contract=contract, by=who),
            lambda: contract_cancel(contract=contract, by=who),
            lambda: milestone_fund_from_wallet(milestone=milestone, by=who),
            lambda: milestone_fund_start(milestone=milestone, by=who),
            lambda: delivery_submit(milestone=milestone, by=who, message="x", files=[docx()]),
            lambda: milestone_request_revision(milestone=milestone, by=who, message="x"),
            lambda: milestone_accept(milestone=milestone, by=who),
            lambda: cancellation_propose(milestone=milestone, by=who, release_amount=0, reason="x"),
            lambda: dispute_open(milestone=milestone, by=who, reason="x"),
            lambda: cancellation_respond(
                request=CancellationRequest.objects.get(pk=request),  # type: ignore[misc]
                by=who,
                accept=True,
            ),
            lambda: cancellation_withdraw(request=CancellationRequest(pk=request), by=who),
            lambda: dispute_decide(
                dispute=Dispute.objects.get(pk=dispute),  # type: ignore[misc]
                by=self.stranger,
                release_amount=0,
                note="x",
            ),
        ]
        if (action in (10, 11) and request is None) or (action == 12 and dispute is None):
            return
        audits, notes = AuditEvent.objects.count(), Notification.objects.count()
        payments = Payment.objects.count()
        with pytest.raises(ContractError):
            calls[action]()
        assert (AuditEvent.objects.count(), Notification.objects.count()) == (audits, notes)
        assert Payment.objects.count() == payments

    @precondition(lambda self: self.last is not None)
    @rule()
    def double_click(self) -> None:
        """The last successful action, repeated at once, is refused and changes nothing."""
        if self.last is None:
            return
        audits = AuditEvent.objects.count()
        with pytest.raises(ContractError):
            self.last()
        assert AuditEvent.objects.count() == audits

    # --- after every step ---------------------------------------------------------------------

    @invariant()
    def ledger_and_model_agree(self) -> None:
        assert run_checks() == []
        client = wallet_account(user_id=self.client.pk, currency="JPY")
        assert client.balance == self.client_balance
        assert client.available == self.client_balance - self.client_held
        for pk, expected in self.worker_balance.items():
            worker = wallet_account(user_id=pk, currency="JPY")
            assert worker.balance == expected and worker.available == expected
        fees_account = platform_account(kind=AccountKind.PLATFORM_FEES, currency="JPY")
        withholding = platform_account(kind=AccountKind.WITHHOLDING_PAYABLE, currency="JPY")
        clearing = platform_account(kind=AccountKind.PROVIDER_CLEARING, currency="JPY")
        assert fees_account.balance == self.fees_total
        assert withholding.balance == self.withholding_total
        assert clearing.balance == -self.money_in
        # Money in = money out: what came in sits in a wallet, in escrow or in the platform's
        # accounts, and nowhere else.
        escrow_held = sum(
            a.credits_pending - a.debits_pending
            for a in Account.objects.filter(kind=AccountKind.ESCROW)
        )
        assert escrow_held == self.client_held
        assert self.money_in == (
            self.client_balance
            + sum(self.worker_balance.values())
            + self.fees_total
            + self.withholding_total
        )
        stored = dict(Milestone.objects.values_list("pk", "status"))
        assert stored == {pk: m.status for pk, m in self.milestones.items()}
        assert dict(Contract.objects.values_list("pk", "status")) == {
            pk: c.status for pk, c in self.contracts.items()
        }
        assert dict(Payment.objects.values_list("pk", "status")) == {
            pk: p.status for pk, p in self.payments.items()
        }
        assert dict(CancellationRequest.objects.values_list("pk", "status")) == {
            pk: r.status for pk, r in self.requests.items()
        }


@pytest.mark.django_db
def test_contract_state_machine() -> None:
    run_state_machine_as_test(
        ContractMachine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=50,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )


@pytest.mark.django_db
def test_full_release_agreed_while_a_revision_is_requested() -> None:
    """A sequence the machine found: the parties agree to cancel a milestone under revision and
    leave the worker the whole fee. The proposal was accepted, but answering it was refused as
    ``wrong_state`` (no transition from revision requested to released), so it could never be
    carried out."""
    contract = offer(amounts=(30_000,), revision_limit=2)
    milestone = contract.milestones.get()
    give_balance(contract.client, 33_000)
    milestone_fund_from_wallet(milestone=milestone, by=contract.client)
    delivery_submit(milestone=milestone, by=contract.worker, message="v1", files=[docx()])
    milestone_request_revision(milestone=milestone, by=contract.client, message="直して")
    request = cancellation_propose(
        milestone=milestone, by=contract.worker, release_amount=30_000, reason="ここまでで完了"
    )
    cancellation_respond(request=request, by=contract.client, accept=True)
    milestone.refresh_from_db()
    assert milestone.status == MS.RELEASED and milestone.released_amount == 30_000
    assert wallet_account(user_id=contract.worker_id, currency="JPY").balance == 27_000
    assert run_checks() == []
