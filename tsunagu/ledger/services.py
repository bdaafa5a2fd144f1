"""Writes to the ledger. Every change of money goes through ``transfers_create``.

A call is one database transaction: the accounts it touches are locked in id order, the batch is
checked by the engine against the locked totals, then the transfers are inserted and the totals
updated (through ``stores``: hand-written SQL on PostgreSQL, the ORM elsewhere). A batch applies
completely or not at all. Calling again with the same keys and the same fields returns the
recorded transfers and changes nothing, so a retry after a timeout or a crash is always safe.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db import IntegrityError, transaction
from django.utils import timezone

from tsunagu.ledger import engine, stores
from tsunagu.ledger.engine import ErrorCode, LedgerError, TransferKind
from tsunagu.ledger.models import Account, AccountKind, Transfer
from tsunagu.ledger.selectors import wallet_code

__all__ = [
    "ErrorCode",
    "LedgerError",
    "TransferKind",
    "TransferRequest",
    "account_open",
    "platform_account",
    "transfers_create",
    "transfers_expire_due",
    "wallet_account",
]

KEY_MAX_LENGTH = 120

# Wallets, escrow and the platform's own accounts can never pay out more than they hold.
_CREDIT_NORMAL = {
    AccountKind.WALLET,
    AccountKind.ESCROW,
    AccountKind.PLATFORM_FEES,
    AccountKind.WITHHOLDING_PAYABLE,
}


@dataclass(frozen=True)
class TransferRequest:
    """One transfer to make. For post/void, the accounts may be left 0: the hold's are used."""

    key: str
    amount: int
    currency: str
    reason: str
    debit_account_id: int = 0
    credit_account_id: int = 0
    kind: TransferKind = TransferKind.SINGLE
    pending_key: str = ""
    timeout_seconds: int | None = None
    cause_type: str = ""
    cause_id: str = ""


class KeyConflict(LedgerError):
    def __init__(self, key: str) -> None:
        super().__init__(ErrorCode.EXISTS_WITH_DIFFERENT_FIELDS, key=key)


def account_open(
    *, code: str, kind: AccountKind, currency: str, owner_id: int | None = None
) -> Account:
    """The account with this code, created on first use with the flags its kind needs."""
    account, _ = Account.objects.get_or_create(
        code=code,
        defaults={
            "kind": kind,
            "currency": currency,
            "owner_id": owner_id,
            "debits_must_not_exceed_credits": kind in _CREDIT_NORMAL,
        },
    )
    if account.kind != kind or account.currency != currency:
        raise ValueError(f"account {code} exists with another kind or currency")
    return account


def wallet_account(*, user_id: int, currency: str) -> Account:
    return account_open(
        code=wallet_code(user_id=user_id, currency=currency),
        kind=AccountKind.WALLET,
        currency=currency,
        owner_id=user_id,
    )


def platform_account(*, kind: AccountKind, currency: str) -> Account:
    return account_open(code=f"{kind.value}:{currency}", kind=kind, currency=currency)


def transfers_create(
    *, transfers: Sequence[TransferRequest], now: datetime.datetime | None = None
) -> list[Transfer]:
    """Record a linked batch of transfers, all or nothing; idempotent by key.

    ``now`` decides which holds have expired (the clock, unless a timer passes its own time).
    """
    requests = list(transfers)
    if not requests:
        raise LedgerError(ErrorCode.EMPTY_BATCH)
    for index, request in enumerate(requests):
        if not request.key or len(request.key) > KEY_MAX_LENGTH:
            raise ValueError(f"transfer {index}: key must be 1..{KEY_MAX_LENGTH} characters")
    try:
        return _create(requests, now or timezone.now())
    except IntegrityError:
        # A concurrent call with the same keys won the race between our check and insert.
        existing = _existing(requests)
        if existing:
            return _same_or_conflict(requests, existing)
        raise


@transaction.atomic
def _create(requests: list[TransferRequest], now: datetime.datetime) -> list[Transfer]:
    position = {r.key: index for index, r in enumerate(requests)}
    hold_keys = {
        r.pending_key
        for r in requests
        if r.kind in engine.RESOLVING_KINDS and r.pending_key not in position
    }
    named = {r.debit_account_id for r in requests} | {r.credit_account_id for r in requests}
    named.discard(0)  # a post or void may leave the accounts to its hold

    # Lock the accounts (ours and our holds', in id order), then read what is final under the
    # locks: whether another call already committed our keys, and each hold and its resolution.
    store = stores.current()
    states, recorded = store.lock_and_read(named, hold_keys, position.keys() | hold_keys)
    if any(key in recorded for key in position):
        return _same_or_conflict(requests, _by_key(set(position)))
    # A hold committed between the lock and the read may have accounts we did not lock: to this
    # call it does not exist yet, as it would not have for a call a moment earlier.
    holds = {
        key: hold
        for key in hold_keys
        if (hold := recorded.get(key)) is not None
        and hold.kind == TransferKind.PENDING
        and hold.debit_account_id in states
        and hold.credit_account_id in states
    }
    requests = [_with_hold_accounts(r, holds, requests, position) for r in requests]

    pending_states = {
        key: engine.PendingState(
            key=key,
            debit_account_id=hold.debit_account_id,
            credit_account_id=hold.credit_account_id,
            amount=hold.amount,
            resolved=hold.resolved,
            expired=hold.timeout_at is not None and hold.timeout_at <= now,
        )
        for key, hold in holds.items()
    }
    specs = [
        engine.TransferSpec(
            key=r.key,
            kind=r.kind,
            debit_account_id=r.debit_account_id,
            credit_account_id=r.credit_account_id,
            amount=r.amount,
            currency=r.currency,
            pending_key=r.pending_key,
        )
        for r in requests
    ]
    changed, recorded_specs = engine.apply(states, specs, pending_states)

    rows = [
        stores.Row(
            key=r.key,
            kind=r.kind,
            debit_account_id=r.debit_account_id,
            credit_account_id=r.credit_account_id,
            amount=spec.amount,
            currency=r.currency,
            pending_id=hold.id if (hold := holds.get(r.pending_key)) is not None else None,
            hold_index=position.get(r.pending_key),
            timeout_at=(
                now + datetime.timedelta(seconds=r.timeout_seconds)
                if r.kind is TransferKind.PENDING and r.timeout_seconds
                else None
            ),
            reason=r.reason,
            cause_type=r.cause_type,
            cause_id=r.cause_id,
        )
        for r, spec in zip(requests, recorded_specs, strict=True)
    ]
    return store.write(rows, list(changed.values()), batch=uuid.uuid4(), created_at=timezone.now())


def _with_hold_accounts(
    request: TransferRequest,
    holds: dict[str, stores.Recorded],
    batch: list[TransferRequest],
    position: dict[str, int],
) -> TransferRequest:
    if request.kind not in engine.RESOLVING_KINDS or (
        request.debit_account_id and request.credit_account_id
    ):
        return request
    hold = holds.get(request.pending_key)
    if hold is not None:
        debit, credit = hold.debit_account_id, hold.credit_account_id
    elif request.pending_key in position:
        in_batch = batch[position[request.pending_key]]
        debit, credit = in_batch.debit_account_id, in_batch.credit_account_id
    else:
        raise LedgerError(ErrorCode.PENDING_NOT_FOUND, key=request.key)
    return replace(
        request,
        debit_account_id=request.debit_account_id or debit,
        credit_account_id=request.credit_account_id or credit,
    )


def _existing(requests: list[TransferRequest]) -> dict[str, Transfer]:
    return _by_key({r.key for r in requests})


def _by_key(keys: set[str]) -> dict[str, Transfer]:
    return {
        t.key: t for t in Transfer.objects.filter(key__in=keys).select_related("pending").order_by()
    }


def _same_or_conflict(
    requests: list[TransferRequest], existing: dict[str, Transfer]
) -> list[Transfer]:
    """A repeated call: every transfer must already exist with the same fields."""
    result = []
    for request in requests:
        found = existing.get(request.key)
        if found is None or not _matches(request, found):
            raise KeyConflict(request.key)
        result.append(found)
    return result


def _matches(request: TransferRequest, transfer: Transfer) -> bool:
    resolving = request.kind in engine.RESOLVING_KINDS
    return (
        transfer.kind == request.kind
        and transfer.currency == request.currency
        and transfer.reason == request.reason
        and transfer.cause_type == request.cause_type
        and transfer.cause_id == request.cause_id
        and (
            (resolving and request.amount in (0, transfer.amount))
            or (not resolving and request.amount == transfer.amount)
        )
        and (not request.debit_account_id or request.debit_account_id == transfer.debit_account_id)
        and (
            not request.credit_account_id or request.credit_account_id == transfer.credit_account_id
        )
        and (transfer.pending.key if transfer.pending else "") == request.pending_key
    )


def transfers_expire_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Release holds whose timeout has passed. Safe to run any number of times at once."""
    now = now or timezone.now()
    due = list(
        Transfer.objects.filter(kind=TransferKind.PENDING, timeout_at__lte=now)
        .filter(resolutions__isnull=True)
        .order_by("timeout_at")[:limit]
    )
    expired = 0
    for hold in due:
        try:
            transfers_create(
                transfers=[
                    TransferRequest(
                        key=f"expire:{hold.key}"[:KEY_MAX_LENGTH],
                        kind=TransferKind.EXPIRE,
                        pending_key=hold.key,
                        amount=0,
                        currency=hold.currency,
                        reason="expire",
                        cause_type=hold.cause_type,
                        cause_id=hold.cause_id,
                    )
                ],
                now=now,
            )
        except LedgerError as exc:
            if exc.code is not ErrorCode.PENDING_ALREADY_RESOLVED:
                raise
        else:
            expired += 1
    return expired
