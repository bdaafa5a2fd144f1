"""Writes to the ledger. Every change of money goes through ``transfers_create``.

A call is one database transaction: the accounts it touches are locked in id order, the batch is
checked by the engine against the locked totals, then the transfers are inserted and the totals
updated. A batch applies completely or not at all. Calling again with the same keys and the same
fields returns the recorded transfers and changes nothing, so a retry after a timeout or a crash
is always safe.
"""

from __future__ import annotations

import datetime
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from tsunagu.ledger import engine
from tsunagu.ledger.engine import ErrorCode, LedgerError, TransferKind
from tsunagu.ledger.models import Account, AccountKind, Transfer

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
        code=f"wallet:{user_id}:{currency}",
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
    batch_keys = {r.key for r in requests}
    pending_keys = {r.pending_key for r in requests if r.kind in engine.RESOLVING_KINDS}
    pendings: dict[str, Transfer] = {}
    if pending_keys - batch_keys:
        # One query finds both a repeated call (its keys exist) and the holds it resolves.
        found = _by_key(batch_keys | pending_keys)
        repeated = {key: t for key, t in found.items() if key in batch_keys}
        if repeated:
            return _same_or_conflict(requests, repeated)
        pendings = {
            key: t
            for key, t in found.items()
            if key in pending_keys and t.kind == TransferKind.PENDING
        }
    requests = [_with_hold_accounts(r, pendings, requests) for r in requests]

    account_ids = sorted(
        {r.debit_account_id for r in requests} | {r.credit_account_id for r in requests}
    )
    locked = {
        a.pk: a
        for a in Account.objects.select_for_update().filter(pk__in=account_ids).order_by("pk")
    }

    # Only now, holding the locks, is what we read final. Another call may have committed the
    # same keys, or resolved one of our holds, while we waited: one query sees both.
    hold_ids = {t.pk: key for key, t in pendings.items()}
    condition = Q(key__in=batch_keys)
    if hold_ids:
        condition |= Q(pending_id__in=hold_ids)
    existing: dict[str, Transfer] = {}
    resolved: set[str] = set()
    for t in Transfer.objects.filter(condition).select_related("pending").order_by():
        if t.key in batch_keys:
            existing[t.key] = t
        if t.pending_id in hold_ids:
            resolved.add(hold_ids[t.pending_id])
    if existing:
        return _same_or_conflict(requests, existing)

    states = {pk: _state(a) for pk, a in locked.items()}
    pending_states = {
        key: engine.PendingState(
            key=key,
            debit_account_id=t.debit_account_id,
            credit_account_id=t.credit_account_id,
            amount=t.amount,
            resolved=key in resolved,
            expired=t.timeout_at is not None and t.timeout_at <= now,
        )
        for key, t in pendings.items()
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
    changed, recorded = engine.apply(states, specs, pending_states)

    batch = uuid.uuid4()
    rows = [
        Transfer(
            key=r.key,
            kind=r.kind,
            debit_account_id=r.debit_account_id,
            credit_account_id=r.credit_account_id,
            amount=spec.amount,
            currency=r.currency,
            pending=pendings.get(r.pending_key),
            timeout_at=(
                now + datetime.timedelta(seconds=r.timeout_seconds)
                if r.kind is TransferKind.PENDING and r.timeout_seconds
                else None
            ),
            reason=r.reason,
            cause_type=r.cause_type,
            cause_id=r.cause_id,
            batch=batch,
        )
        for r, spec in zip(requests, recorded, strict=True)
    ]
    if any(r.pending_key in batch_keys for r in requests):
        # A hold resolved in its own batch: insert in order so the hold has its id first.
        created: dict[str, Transfer] = {}
        for row, r in zip(rows, requests, strict=True):
            if r.pending_key in batch_keys:
                row.pending = created[r.pending_key]
            row.save(force_insert=True)
            created[row.key] = row
    else:
        Transfer.objects.bulk_create(rows)

    accounts = []
    for pk, new in changed.items():
        account = locked[pk]
        account.debits_pending = new.debits_pending
        account.debits_posted = new.debits_posted
        account.credits_pending = new.credits_pending
        account.credits_posted = new.credits_posted
        accounts.append(account)
    _save_totals(accounts)
    return rows


_TOTALS = ("debits_pending", "debits_posted", "credits_pending", "credits_posted")


def _save_totals(accounts: list[Account]) -> None:
    """One UPDATE for every changed account.

    ``bulk_update`` builds a CASE expression per field and row, which costs more than the rest
    of a call; an UPDATE ... FROM (VALUES ...) is the same single statement, built in microseconds.
    """
    if not accounts:
        return
    if connection.vendor not in ("postgresql", "sqlite") or (
        connection.vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 33)
    ):
        Account.objects.bulk_update(accounts, list(_TOTALS))
        return
    quote = connection.ops.quote_name
    table = quote(Account._meta.db_table)
    fields = {f.name: f.column for f in Account._meta.concrete_fields}
    columns = [quote(fields[name]) for name in _TOTALS]
    assignments = ", ".join(f"{column} = v.column{i}" for i, column in enumerate(columns, 2))
    rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(accounts))
    params: list[int] = []
    for account in accounts:
        params.append(account.pk)
        params.extend(getattr(account, name) for name in _TOTALS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM (VALUES {rows}) AS v "  # noqa: S608 - names from the model
            f"WHERE {table}.{quote(fields['id'])} = v.column1",
            params,
        )


def _with_hold_accounts(
    request: TransferRequest, pendings: dict[str, Transfer], batch: list[TransferRequest]
) -> TransferRequest:
    if request.kind not in engine.RESOLVING_KINDS or (
        request.debit_account_id and request.credit_account_id
    ):
        return request
    hold = pendings.get(request.pending_key)
    if hold is not None:
        debit, credit = hold.debit_account_id, hold.credit_account_id
    else:
        in_batch = next((r for r in batch if r.key == request.pending_key), None)
        if in_batch is None:
            raise LedgerError(ErrorCode.PENDING_NOT_FOUND, key=request.key)
        debit, credit = in_batch.debit_account_id, in_batch.credit_account_id
    return TransferRequest(
        key=request.key,
        amount=request.amount,
        currency=request.currency,
        reason=request.reason,
        debit_account_id=request.debit_account_id or debit,
        credit_account_id=request.credit_account_id or credit,
        kind=request.kind,
        pending_key=request.pending_key,
        timeout_seconds=request.timeout_seconds,
        cause_type=request.cause_type,
        cause_id=request.cause_id,
    )


def _state(account: Account) -> engine.AccountState:
    return engine.AccountState(
        id=account.pk,
        currency=account.currency,
        flags=engine.Flags(
            debits_must_not_exceed_credits=account.debits_must_not_exceed_credits,
            credits_must_not_exceed_debits=account.credits_must_not_exceed_debits,
        ),
        debits_pending=account.debits_pending,
        debits_posted=account.debits_posted,
        credits_pending=account.credits_pending,
        credits_posted=account.credits_posted,
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
