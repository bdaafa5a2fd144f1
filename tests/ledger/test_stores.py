"""The store under ``transfers_create``: what it returns, how many queries it runs, and what it
does when another call commits between its lock and its write. Runs on whichever database the
suite runs on (the ORM store on SQLite, hand-written SQL on PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Collection
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.ledger.factories import open_accounts, top_up
from tsunagu.ledger import engine, stores
from tsunagu.ledger.checks import run_checks
from tsunagu.ledger.models import Account, Transfer
from tsunagu.ledger.services import (
    ErrorCode,
    LedgerError,
    TransferKind,
    TransferRequest,
    transfers_create,
)

FIELDS = [f.attname for f in Transfer._meta.concrete_fields]
REAL_STORE = stores.current


def fund(
    acc: dict[str, Account], key: str, amount: int, timeout: int | None = None
) -> TransferRequest:
    return TransferRequest(
        key=key,
        kind=TransferKind.PENDING,
        debit_account_id=acc["client"].pk,
        credit_account_id=acc["escrow"].pk,
        amount=amount,
        currency="JPY",
        reason="fund",
        timeout_seconds=timeout,
        cause_type="contract",
        cause_id=key,
    )


def release(acc: dict[str, Account], key: str, amount: int, fee: int) -> list[TransferRequest]:
    return [
        TransferRequest(
            key=f"{key}:post",
            kind=TransferKind.POST,
            pending_key=key,
            amount=0,
            currency="JPY",
            reason="release",
        ),
        TransferRequest(
            key=f"{key}:pay",
            debit_account_id=acc["escrow"].pk,
            credit_account_id=acc["worker"].pk,
            amount=amount - fee,
            currency="JPY",
            reason="release",
        ),
        TransferRequest(
            key=f"{key}:fee",
            debit_account_id=acc["escrow"].pk,
            credit_account_id=acc["fees"].pk,
            amount=fee,
            currency="JPY",
            reason="platform_fee",
        ),
    ]


@pytest.mark.django_db
def test_returned_transfers_are_the_stored_rows_in_batch_order() -> None:
    acc = open_accounts()
    top_up(acc, 10_000)
    transfers_create(transfers=[fund(acc, "old", 3_000, timeout=600)])
    # One call: a hold from before resolved, a new hold, and that new hold resolved in part.
    requests = [
        *release(acc, "old", 3_000, 300),
        fund(acc, "new", 2_000, timeout=60),
        TransferRequest(
            key="new:post",
            kind=TransferKind.POST,
            pending_key="new",
            amount=1_500,
            currency="JPY",
            reason="release",
        ),
    ]

    returned = transfers_create(transfers=requests)

    assert [t.key for t in returned] == [r.key for r in requests]
    assert [t.pk for t in returned] == sorted(t.pk for t in returned)
    for transfer in returned:
        stored = Transfer.objects.get(pk=transfer.pk)
        assert {f: getattr(transfer, f) for f in FIELDS} == {f: getattr(stored, f) for f in FIELDS}
        assert transfer._state.adding is False
        assert transfer._state.db == "default"
    by_key = {t.key: t for t in returned}
    assert by_key["old:post"].pending == Transfer.objects.get(key="old")
    assert by_key["old:post"].amount == 3_000  # a post of 0 posts the whole hold
    assert by_key["new:post"].pending == by_key["new"]
    assert by_key["new"].timeout_at is not None
    assert len({t.batch for t in returned}) == 1
    assert Account.objects.get(pk=acc["escrow"].pk).balance == 1_500
    assert run_checks() == []


@pytest.mark.django_db
def test_a_repeated_batch_returns_the_same_transfers_and_changes_nothing() -> None:
    acc = open_accounts()
    top_up(acc, 10_000)
    transfers_create(transfers=[fund(acc, "f", 4_000)])
    first = transfers_create(transfers=release(acc, "f", 4_000, 400))
    totals = list(Account.objects.order_by("pk").values_list("credits_posted", "debits_posted"))

    again = transfers_create(transfers=release(acc, "f", 4_000, 400))

    assert [t.pk for t in again] == [t.pk for t in first]
    assert [t.pending_id for t in again] == [t.pending_id for t in first]
    assert (
        list(Account.objects.order_by("pk").values_list("credits_posted", "debits_posted"))
        == totals
    )
    with pytest.raises(LedgerError) as exc:
        transfers_create(transfers=release(acc, "f", 4_000, 500))
    assert exc.value.code is ErrorCode.EXISTS_WITH_DIFFERENT_FIELDS


@pytest.mark.django_db
def test_one_flow_or_fifty_run_the_same_number_of_queries() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the ORM store's bulk insert splits at SQLite's limit of parameters")
    acc = open_accounts()
    top_up(acc, 1_000_000)

    def queries(flows: int, prefix: str) -> tuple[int, int]:
        funds = [fund(acc, f"{prefix}{n}", 1_000) for n in range(flows)]
        releases = [r for n in range(flows) for r in release(acc, f"{prefix}{n}", 1_000, 100)]
        with CaptureQueriesContext(connection) as funding:
            transfers_create(transfers=funds)
        with CaptureQueriesContext(connection) as releasing:
            transfers_create(transfers=releases)
        return len(funding.captured_queries), len(releasing.captured_queries)

    assert queries(1, "a") == queries(50, "b")
    assert run_checks() == []


class HoldArrivesLate:
    """A store whose lock statement runs as if a hold had not been committed yet, while the read
    after it sees the hold: what a hold committed between the two statements looks like."""

    def __init__(self) -> None:
        self.store = REAL_STORE()

    def lock_and_read(
        self, account_ids: Collection[int], hold_keys: Collection[str], keys: Collection[str]
    ) -> tuple[dict[int, engine.AccountState], dict[str, stores.Recorded]]:
        return self.store.lock_and_read(account_ids, (), keys)

    def write(self, *args: Any, **kwargs: Any) -> list[Transfer]:
        return self.store.write(*args, **kwargs)


@pytest.mark.django_db
def test_a_hold_whose_accounts_were_not_locked_is_not_found(monkeypatch: Any) -> None:
    acc = open_accounts()
    top_up(acc, 10_000)
    transfers_create(transfers=[fund(acc, "late", 5_000)])
    before = Transfer.objects.count()
    monkeypatch.setattr(stores, "current", HoldArrivesLate)

    with pytest.raises(LedgerError) as exc:
        transfers_create(transfers=release(acc, "late", 5_000, 500))

    assert exc.value.code is ErrorCode.PENDING_NOT_FOUND
    assert Transfer.objects.count() == before
    assert Account.objects.get(pk=acc["worker"].pk).balance == 0
    assert Account.objects.get(pk=acc["client"].pk).debits_pending == 5_000


@pytest.mark.django_db(transaction=True)
def test_our_key_committed_on_other_accounts_after_our_read_is_a_conflict(
    monkeypatch: Any,
) -> None:
    """Between our read and our insert, a call on accounts we do not lock records our key.

    Only PostgreSQL locks rows; SQLite lets one writer in at a time, so there this cannot happen.
    """
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: no call can commit inside ours")
    acc = open_accounts()
    top_up(acc, 10_000)
    other = TransferRequest(
        key="pay",
        debit_account_id=acc["clearing"].pk,
        credit_account_id=acc["fees"].pk,
        amount=700,
        currency="JPY",
        reason="x",
    )
    ours = TransferRequest(
        key="pay",
        debit_account_id=acc["client"].pk,
        credit_account_id=acc["worker"].pk,
        amount=3_000,
        currency="JPY",
        reason="x",
    )

    made: list[object] = []

    class CompetingCommit:
        def __init__(self) -> None:
            self.store = REAL_STORE()

        def lock_and_read(self, *args: Any) -> Any:
            result = self.store.lock_and_read(*args)
            errors: list[BaseException] = []

            def commit_other() -> None:
                try:
                    transfers_create(transfers=[other])
                except BaseException as exc:
                    errors.append(exc)
                finally:
                    connection.close()

            thread = threading.Thread(target=commit_other)
            thread.start()
            thread.join()
            assert not errors, errors
            return result

        def write(self, *args: Any, **kwargs: Any) -> list[Transfer]:
            return self.store.write(*args, **kwargs)

    def current() -> Any:
        made.append(None)
        return CompetingCommit() if len(made) == 1 else REAL_STORE()

    monkeypatch.setattr(stores, "current", current)
    with pytest.raises(LedgerError) as exc:
        transfers_create(transfers=[ours])

    assert exc.value.code is ErrorCode.EXISTS_WITH_DIFFERENT_FIELDS
    assert Transfer.objects.get(key="pay").credit_account_id == acc["fees"].pk
    assert Account.objects.get(pk=acc["worker"].pk).balance == 0
    assert Account.objects.get(pk=acc["client"].pk).balance == 10_000
    assert run_checks() == []
