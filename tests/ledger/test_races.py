"""Concurrent calls: exactly one effect each time, on whichever database the suite runs on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.ledger.factories import open_accounts, top_up
from tests.support.races import race
from tsunagu.ledger.checks import run_checks
from tsunagu.ledger.models import Account, Transfer
from tsunagu.ledger.services import LedgerError, TransferKind, TransferRequest, transfers_create

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_releases_of_one_hold_have_one_effect() -> None:
    acc = open_accounts()
    top_up(acc, 10_000)
    transfers_create(
        transfers=[
            TransferRequest(
                key="fund",
                kind=TransferKind.PENDING,
                debit_account_id=acc["client"].pk,
                credit_account_id=acc["escrow"].pk,
                amount=8_000,
                currency="JPY",
                reason="fund",
            )
        ]
    )

    def release(suffix: str) -> Callable[[], Any]:
        return lambda: transfers_create(
            transfers=[
                TransferRequest(
                    key=f"post-{suffix}",
                    kind=TransferKind.POST,
                    pending_key="fund",
                    amount=0,
                    currency="JPY",
                    reason="release",
                ),
                TransferRequest(
                    key=f"pay-{suffix}",
                    debit_account_id=acc["escrow"].pk,
                    credit_account_id=acc["worker"].pk,
                    amount=8_000,
                    currency="JPY",
                    reason="release",
                ),
            ]
        )

    results = race(release("a"), release("b"))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], LedgerError)
    assert Account.objects.get(pk=acc["worker"].pk).balance == 8_000
    assert Transfer.objects.filter(kind="post").count() == 1
    assert run_checks() == []


def test_fund_against_void_one_wins_and_money_is_whole() -> None:
    acc = open_accounts()
    top_up(acc, 10_000)
    transfers_create(
        transfers=[
            TransferRequest(
                key="fund",
                kind=TransferKind.PENDING,
                debit_account_id=acc["client"].pk,
                credit_account_id=acc["escrow"].pk,
                amount=8_000,
                currency="JPY",
                reason="fund",
            )
        ]
    )

    def resolve(kind: TransferKind, key: str) -> Callable[[], Any]:
        return lambda: transfers_create(
            transfers=[
                TransferRequest(
                    key=key, kind=kind, pending_key="fund", amount=0, currency="JPY", reason=key
                )
            ]
        )

    post, void = resolve(TransferKind.POST, "post"), resolve(TransferKind.VOID, "void")
    results = race(post, void)
    assert sum(isinstance(r, LedgerError) for r in results) == 1
    assert Transfer.objects.filter(pending__key="fund").count() == 1
    client = Account.objects.get(pk=acc["client"].pk)
    escrow = Account.objects.get(pk=acc["escrow"].pk)
    assert client.available + escrow.balance == 10_000
    assert run_checks() == []


def test_the_same_key_twice_at_once_records_one_transfer() -> None:
    acc = open_accounts()
    top_up(acc, 10_000)

    def pay() -> list[Transfer]:
        return transfers_create(
            transfers=[
                TransferRequest(
                    key="pay-once",
                    debit_account_id=acc["client"].pk,
                    credit_account_id=acc["worker"].pk,
                    amount=3_000,
                    currency="JPY",
                    reason="x",
                )
            ]
        )

    results = race(pay, pay, pay)
    assert all(isinstance(r, list) for r in results), results
    assert len({r[0].pk for r in results}) == 1
    assert Account.objects.get(pk=acc["worker"].pk).balance == 3_000
    assert run_checks() == []


def test_concurrent_spending_never_overdraws_a_wallet() -> None:
    acc = open_accounts()
    top_up(acc, 10_000)

    def spend(n: int) -> Callable[[], Any]:
        return lambda: transfers_create(
            transfers=[
                TransferRequest(
                    key=f"spend-{n}",
                    debit_account_id=acc["client"].pk,
                    credit_account_id=acc["worker"].pk,
                    amount=3_000,
                    currency="JPY",
                    reason="x",
                )
            ]
        )

    results = race(*(spend(n) for n in range(6)))
    assert sum(isinstance(r, list) for r in results) == 3
    assert Account.objects.get(pk=acc["client"].pk).balance == 1_000
    assert run_checks() == []
