from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.ledger.factories import open_accounts, top_up
from tsunagu.core.periodic import registered_jobs
from tsunagu.ledger.checks import run_checks
from tsunagu.ledger.models import Account, Transfer
from tsunagu.ledger.services import (
    ErrorCode,
    LedgerError,
    TransferKind,
    TransferRequest,
    transfers_create,
    transfers_expire_due,
)

pytestmark = pytest.mark.django_db


def fresh(account: Account) -> Account:
    return Account.objects.get(pk=account.pk)


def hold(
    accounts: dict[str, Account], amount: int, key: str = "fund", timeout: int | None = None
) -> Transfer:
    return transfers_create(
        transfers=[
            TransferRequest(
                key=key,
                kind=TransferKind.PENDING,
                debit_account_id=accounts["client"].pk,
                credit_account_id=accounts["escrow"].pk,
                amount=amount,
                currency="JPY",
                reason="fund",
                timeout_seconds=timeout,
                cause_type="contract",
                cause_id="1",
            )
        ]
    )[0]


def test_top_up_then_hold_then_release_with_fee() -> None:
    acc = open_accounts()
    top_up(acc, 50_000)
    hold(acc, 30_000)
    assert fresh(acc["client"]).available == 20_000
    assert fresh(acc["escrow"]).credits_pending == 30_000
    transfers_create(
        transfers=[
            TransferRequest(
                key="release",
                kind=TransferKind.POST,
                pending_key="fund",
                amount=0,
                currency="JPY",
                reason="release",
            ),
            TransferRequest(
                key="pay",
                debit_account_id=acc["escrow"].pk,
                credit_account_id=acc["worker"].pk,
                amount=24_000,
                currency="JPY",
                reason="release",
            ),
            TransferRequest(
                key="fee",
                debit_account_id=acc["escrow"].pk,
                credit_account_id=acc["fees"].pk,
                amount=6_000,
                currency="JPY",
                reason="platform_fee",
            ),
        ]
    )
    assert fresh(acc["worker"]).balance == 24_000
    assert fresh(acc["fees"]).balance == 6_000
    assert fresh(acc["escrow"]).balance == 0
    assert fresh(acc["client"]).balance == 20_000
    assert run_checks() == []


def test_same_key_same_fields_returns_the_same_transfer_and_changes_nothing() -> None:
    acc = open_accounts()
    top_up(acc, 1000)
    first = hold(acc, 700)
    again = hold(acc, 700)
    assert again.pk == first.pk
    assert Transfer.objects.count() == 2
    assert fresh(acc["client"]).debits_pending == 700


def test_same_key_with_other_fields_is_an_error_and_changes_nothing() -> None:
    acc = open_accounts()
    top_up(acc, 1000)
    hold(acc, 700)
    with pytest.raises(LedgerError) as exc:
        hold(acc, 600)
    assert exc.value.code is ErrorCode.EXISTS_WITH_DIFFERENT_FIELDS
    assert fresh(acc["client"]).debits_pending == 700
    assert Transfer.objects.count() == 2


def test_a_failing_batch_leaves_no_trace() -> None:
    acc = open_accounts()
    top_up(acc, 1000)
    before = Transfer.objects.count()
    with pytest.raises(LedgerError) as exc:
        transfers_create(
            transfers=[
                TransferRequest(
                    key="a",
                    debit_account_id=acc["client"].pk,
                    credit_account_id=acc["worker"].pk,
                    amount=600,
                    currency="JPY",
                    reason="x",
                ),
                TransferRequest(
                    key="b",
                    debit_account_id=acc["client"].pk,
                    credit_account_id=acc["worker"].pk,
                    amount=600,
                    currency="JPY",
                    reason="x",
                ),
            ]
        )
    assert exc.value.index == 1
    assert Transfer.objects.count() == before
    assert fresh(acc["client"]).balance == 1000
    assert fresh(acc["worker"]).balance == 0


def test_a_hold_can_be_posted_or_voided_only_once() -> None:
    acc = open_accounts()
    top_up(acc, 1000)
    hold(acc, 700)
    transfers_create(
        transfers=[
            TransferRequest(
                key="void",
                kind=TransferKind.VOID,
                pending_key="fund",
                amount=0,
                currency="JPY",
                reason="refund",
            )
        ]
    )
    with pytest.raises(LedgerError) as exc:
        transfers_create(
            transfers=[
                TransferRequest(
                    key="post",
                    kind=TransferKind.POST,
                    pending_key="fund",
                    amount=0,
                    currency="JPY",
                    reason="release",
                )
            ]
        )
    assert exc.value.code is ErrorCode.PENDING_ALREADY_RESOLVED
    assert fresh(acc["client"]).available == 1000
    assert run_checks() == []


def test_the_database_refuses_a_second_resolution_even_past_the_service() -> None:
    acc = open_accounts()
    top_up(acc, 1000)
    pending = hold(acc, 700)
    transfers_create(
        transfers=[
            TransferRequest(
                key="void",
                kind=TransferKind.VOID,
                pending_key="fund",
                amount=0,
                currency="JPY",
                reason="refund",
            )
        ]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(
            key="sneaky",
            kind="post",
            debit_account=acc["client"],
            credit_account=acc["escrow"],
            amount=700,
            currency="JPY",
            pending=pending,
            reason="x",
            batch=pending.batch,
        )


def test_the_database_refuses_a_wallet_below_zero_even_past_the_service() -> None:
    acc = open_accounts()
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=acc["client"].pk).update(debits_posted=1)


def test_expired_holds_are_released_by_the_periodic_job_once() -> None:
    acc = open_accounts()
    top_up(acc, 1000)
    hold(acc, 700, timeout=60)
    assert transfers_expire_due() == 0
    later = timezone.now() + datetime.timedelta(seconds=61)
    assert transfers_expire_due(now=later) == 1
    assert transfers_expire_due(now=later) == 0
    assert fresh(acc["client"]).available == 1000
    assert Transfer.objects.filter(kind="expire").count() == 1
    assert "ledger.expire_holds" in registered_jobs()
    assert run_checks() == []


def test_posting_an_expired_hold_is_refused() -> None:
    acc = open_accounts()
    top_up(acc, 1000)
    hold(acc, 700, timeout=1)
    Transfer.objects.filter(key="fund").update(
        timeout_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(LedgerError) as exc:
        transfers_create(
            transfers=[
                TransferRequest(
                    key="post",
                    kind=TransferKind.POST,
                    pending_key="fund",
                    amount=0,
                    currency="JPY",
                    reason="release",
                )
            ]
        )
    assert exc.value.code is ErrorCode.PENDING_EXPIRED


def test_unknown_hold_is_refused() -> None:
    open_accounts()
    with pytest.raises(LedgerError) as exc:
        transfers_create(
            transfers=[
                TransferRequest(
                    key="post",
                    kind=TransferKind.POST,
                    pending_key="nope",
                    amount=0,
                    currency="JPY",
                    reason="release",
                )
            ]
        )
    assert exc.value.code is ErrorCode.PENDING_NOT_FOUND


def test_hold_and_post_in_one_batch() -> None:
    acc = open_accounts()
    top_up(acc, 1000)
    transfers_create(
        transfers=[
            TransferRequest(
                key="h",
                kind=TransferKind.PENDING,
                debit_account_id=acc["client"].pk,
                credit_account_id=acc["escrow"].pk,
                amount=400,
                currency="JPY",
                reason="fund",
            ),
            TransferRequest(
                key="p",
                kind=TransferKind.POST,
                pending_key="h",
                amount=300,
                currency="JPY",
                reason="release",
            ),
        ]
    )
    assert Transfer.objects.get(key="p").pending == Transfer.objects.get(key="h")
    assert fresh(acc["escrow"]).balance == 300
    assert fresh(acc["client"]).available == 700
    assert run_checks() == []


def test_ledger_check_command_is_clean_then_names_the_broken_account() -> None:
    acc = open_accounts()
    top_up(acc, 1000)
    out = StringIO()
    call_command("ledger", "check", stdout=out)
    assert "ok" in out.getvalue()
    # Corrupt a cached total behind the ledger's back: the check must notice and name it.
    Account.objects.filter(pk=acc["worker"].pk).update(credits_posted=5)
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("ledger", "check", stdout=StringIO(), stderr=err)
    assert "wallet:worker:JPY" in str(exc.value) or "wallet:worker:JPY" in err.getvalue()
