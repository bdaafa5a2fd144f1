"""Random sequences of ledger operations; the invariants and a simple model hold after every step."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from tests.ledger.factories import open_accounts
from tsunagu.ledger.checks import run_checks
from tsunagu.ledger.models import Account
from tsunagu.ledger.services import (
    LedgerError,
    TransferKind,
    TransferRequest,
    transfers_create,
    transfers_expire_due,
)

amounts = st.integers(min_value=1, max_value=50_000)


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.acc = open_accounts()
        self.n = 0
        self.clock = timezone.now()
        # the model: what each wallet holds and what each open hold is
        self.client = 0
        self.worker = 0
        self.escrow = 0
        self.holds: dict[str, tuple[int, datetime.datetime | None]] = {}
        self.done: list[tuple[list[TransferRequest], object]] = []

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def key(self) -> str:
        self.n += 1
        return f"k{self.n}"

    def create(self, requests: list[TransferRequest]) -> bool:
        try:
            result = transfers_create(transfers=requests, now=self.clock)
        except LedgerError:
            return False
        self.done.append((requests, [t.pk for t in result]))
        return True

    def available(self) -> int:
        return self.client - sum(a for a, _ in self.holds.values())

    @rule(amount=amounts)
    def top_up(self, amount: int) -> None:
        assert self.create(
            [
                TransferRequest(
                    key=self.key(),
                    debit_account_id=self.acc["clearing"].pk,
                    credit_account_id=self.acc["client"].pk,
                    amount=amount,
                    currency="JPY",
                    reason="top_up",
                )
            ]
        )
        self.client += amount

    @rule(amount=amounts, timeout=st.none() | st.integers(min_value=1, max_value=100))
    def fund(self, amount: int, timeout: int | None) -> None:
        key = self.key()
        ok = self.create(
            [
                TransferRequest(
                    key=key,
                    kind=TransferKind.PENDING,
                    debit_account_id=self.acc["client"].pk,
                    credit_account_id=self.acc["escrow"].pk,
                    amount=amount,
                    currency="JPY",
                    reason="fund",
                    timeout_seconds=timeout,
                )
            ]
        )
        assert ok == (amount <= self.available())
        if ok:
            deadline = self.clock + datetime.timedelta(seconds=timeout) if timeout else None
            self.holds[key] = (amount, deadline)

    @rule(data=st.data(), fee_percent=st.integers(min_value=0, max_value=30))
    def release(self, data: st.DataObject, fee_percent: int) -> None:
        if not self.holds:
            return
        key = data.draw(st.sampled_from(sorted(self.holds)))
        amount, deadline = self.holds[key]
        posted = data.draw(st.integers(min_value=1, max_value=amount))
        fee = posted * fee_percent // 100
        requests = [
            TransferRequest(
                key=self.key(),
                kind=TransferKind.POST,
                pending_key=key,
                amount=posted,
                currency="JPY",
                reason="release",
            )
        ]
        requests.append(
            TransferRequest(
                key=self.key(),
                debit_account_id=self.acc["escrow"].pk,
                credit_account_id=self.acc["worker"].pk,
                amount=posted - fee,
                currency="JPY",
                reason="release",
            )
        ) if posted - fee else None
        if fee:
            requests.append(
                TransferRequest(
                    key=self.key(),
                    debit_account_id=self.acc["escrow"].pk,
                    credit_account_id=self.acc["fees"].pk,
                    amount=fee,
                    currency="JPY",
                    reason="platform_fee",
                )
            )
        expired = deadline is not None and deadline <= self.clock
        assert self.create(requests) == (not expired)
        if not expired:
            del self.holds[key]
            self.client -= posted
            self.worker += posted - fee

    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        if not self.holds:
            return
        key = data.draw(st.sampled_from(sorted(self.holds)))
        _, deadline = self.holds[key]
        expired = deadline is not None and deadline <= self.clock
        ok = self.create(
            [
                TransferRequest(
                    key=self.key(),
                    kind=TransferKind.VOID,
                    pending_key=key,
                    amount=0,
                    currency="JPY",
                    reason="cancel",
                )
            ]
        )
        assert ok == (not expired)
        if ok:
            del self.holds[key]

    @rule(amount=amounts)
    def withdraw(self, amount: int) -> None:
        ok = self.create(
            [
                TransferRequest(
                    key=self.key(),
                    debit_account_id=self.acc["worker"].pk,
                    credit_account_id=self.acc["clearing"].pk,
                    amount=amount,
                    currency="JPY",
                    reason="payout",
                )
            ]
        )
        assert ok == (amount <= self.worker)
        if ok:
            self.worker -= amount

    @rule(seconds=st.integers(min_value=1, max_value=120))
    def time_passes(self, seconds: int) -> None:
        self.clock += datetime.timedelta(seconds=seconds)
        transfers_expire_due(now=self.clock)
        for key, (_, deadline) in list(self.holds.items()):
            if deadline is not None and deadline <= self.clock:
                del self.holds[key]

    @rule()
    def replay(self) -> None:
        """A retried call (a double click, a replayed webhook) returns the same and changes nothing."""
        if not self.done:
            return
        requests, pks = self.done[-1]
        assert [t.pk for t in transfers_create(transfers=requests, now=self.clock)] == pks

    @invariant()
    def ledger_is_consistent(self) -> None:
        assert run_checks() == []
        client = Account.objects.get(pk=self.acc["client"].pk)
        worker = Account.objects.get(pk=self.acc["worker"].pk)
        assert client.balance == self.client
        assert client.available == self.available()
        assert worker.balance == self.worker


@pytest.mark.django_db
def test_ledger_state_machine() -> None:
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=40,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
