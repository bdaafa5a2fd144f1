"""Double-entry ledger rules, modelled on TigerBeetle, with no Django in them.

An account keeps four running totals: debits and credits, each pending (held) and posted. A
transfer moves an amount from a debit account to a credit account of the same currency:

- a *single* transfer posts at once;
- a *pending* transfer holds the amount (pending totals) until it is posted (fully or in part;
  the rest is released), voided, or expires;
- *post* and *void* transfers resolve a pending transfer, each pending transfer exactly once.

Account flags refuse a transfer that would let debits exceed credits (a wallet cannot go below
zero, counting what is held) or credits exceed debits. ``apply`` validates a whole batch against
the given account states and returns the new states, or raises ``LedgerError`` naming the first
transfer that fails: a batch applies completely or not at all.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

MAX_AMOUNT = 10**15  # far above any real payment, far below a 64-bit overflow after summing


class TransferKind(enum.StrEnum):
    SINGLE = "single"
    PENDING = "pending"
    POST = "post"
    VOID = "void"
    EXPIRE = "expire"


RESOLVING_KINDS = frozenset({TransferKind.POST, TransferKind.VOID, TransferKind.EXPIRE})


class ErrorCode(enum.StrEnum):
    AMOUNT_MUST_BE_POSITIVE = "amount_must_be_positive"
    AMOUNT_TOO_LARGE = "amount_too_large"
    AMOUNT_NOT_INTEGER = "amount_not_integer"
    SAME_ACCOUNT = "accounts_must_be_different"
    ACCOUNT_NOT_FOUND = "account_not_found"
    CURRENCY_MISMATCH = "currency_mismatch"
    EXCEEDS_CREDITS = "exceeds_credits"
    EXCEEDS_DEBITS = "exceeds_debits"
    PENDING_NOT_FOUND = "pending_transfer_not_found"
    PENDING_ALREADY_RESOLVED = "pending_transfer_already_resolved"
    PENDING_EXPIRED = "pending_transfer_expired"
    PENDING_NOT_EXPIRED = "pending_transfer_not_expired"
    POST_EXCEEDS_PENDING = "post_amount_exceeds_pending"
    RESOLVE_ACCOUNTS_MISMATCH = "resolving_transfer_accounts_must_match"
    EXISTS_WITH_DIFFERENT_FIELDS = "exists_with_different_fields"
    DUPLICATE_KEY_IN_BATCH = "duplicate_key_in_batch"
    EMPTY_BATCH = "empty_batch"


class LedgerError(Exception):
    """A transfer was refused. ``index`` is its position in the batch (None for the batch)."""

    def __init__(self, code: ErrorCode, *, index: int | None = None, key: str = "") -> None:
        self.code = code
        self.index = index
        self.key = key
        where = f" (transfer {index}: {key})" if index is not None else ""
        super().__init__(f"{code.value}{where}")


@dataclass(frozen=True)
class Flags:
    debits_must_not_exceed_credits: bool = False
    credits_must_not_exceed_debits: bool = False


@dataclass(frozen=True)
class AccountState:
    id: int
    currency: str
    flags: Flags = Flags()
    debits_pending: int = 0
    debits_posted: int = 0
    credits_pending: int = 0
    credits_posted: int = 0

    @property
    def balance(self) -> int:
        """Posted credits less posted debits: what a wallet holds."""
        return self.credits_posted - self.debits_posted

    @property
    def available(self) -> int:
        """What can still be spent from a credit-normal account: posted less held debits."""
        return self.credits_posted - self.debits_posted - self.debits_pending


@dataclass(frozen=True)
class PendingState:
    """A pending transfer, as needed to resolve it."""

    key: str
    debit_account_id: int
    credit_account_id: int
    amount: int
    resolved: bool = False
    expired: bool = False  # its timeout has passed


@dataclass(frozen=True)
class TransferSpec:
    key: str
    kind: TransferKind
    debit_account_id: int
    credit_account_id: int
    amount: int
    currency: str
    pending_key: str = ""


def _check_amount(spec: TransferSpec, index: int, *, allow_zero: bool = False) -> None:
    if isinstance(spec.amount, bool) or not isinstance(spec.amount, int):
        raise LedgerError(ErrorCode.AMOUNT_NOT_INTEGER, index=index, key=spec.key)
    if spec.amount < 0 or (spec.amount == 0 and not allow_zero):
        raise LedgerError(ErrorCode.AMOUNT_MUST_BE_POSITIVE, index=index, key=spec.key)
    if spec.amount > MAX_AMOUNT:
        raise LedgerError(ErrorCode.AMOUNT_TOO_LARGE, index=index, key=spec.key)


@dataclass(slots=True)
class _Working:
    """An account's totals while a batch is applied; the batch is discarded if any check fails."""

    account: AccountState
    debits_pending: int
    debits_posted: int
    credits_pending: int
    credits_posted: int

    @classmethod
    def of(cls, account: AccountState) -> _Working:
        return cls(
            account,
            account.debits_pending,
            account.debits_posted,
            account.credits_pending,
            account.credits_posted,
        )

    def result(self) -> AccountState:
        a = self.account
        return AccountState(
            a.id,
            a.currency,
            a.flags,
            self.debits_pending,
            self.debits_posted,
            self.credits_pending,
            self.credits_posted,
        )


def _check_limits(account: _Working, index: int, key: str) -> None:
    flags = account.account.flags
    if flags.debits_must_not_exceed_credits and (
        account.debits_pending + account.debits_posted > account.credits_posted
    ):
        raise LedgerError(ErrorCode.EXCEEDS_CREDITS, index=index, key=key)
    if flags.credits_must_not_exceed_debits and (
        account.credits_pending + account.credits_posted > account.debits_posted
    ):
        raise LedgerError(ErrorCode.EXCEEDS_DEBITS, index=index, key=key)


def apply(
    accounts: Mapping[int, AccountState],
    transfers: Iterable[TransferSpec],
    pendings: Mapping[str, PendingState],
) -> tuple[dict[int, AccountState], list[TransferSpec]]:
    """Apply a batch in order; return the changed accounts and the transfers as recorded.

    For a post, the recorded amount is what was posted (a post of 0 posts the whole pending
    amount, as in TigerBeetle); for a void or an expiry it is the pending amount released.
    """
    specs = list(transfers)
    if not specs:
        raise LedgerError(ErrorCode.EMPTY_BATCH)
    state: dict[int, _Working] = {}
    resolved_in_batch: set[str] = set()
    pending_in_batch: dict[str, PendingState] = {}
    seen: set[str] = set()
    recorded: list[TransferSpec] = []
    for index, spec in enumerate(specs):
        if spec.key in seen:
            raise LedgerError(ErrorCode.DUPLICATE_KEY_IN_BATCH, index=index, key=spec.key)
        seen.add(spec.key)
        if spec.kind in RESOLVING_KINDS:
            spec = _resolve(
                accounts, state, spec, index, pendings, pending_in_batch, resolved_in_batch
            )
        else:
            _move(accounts, state, spec, index)
            if spec.kind is TransferKind.PENDING:
                pending_in_batch[spec.key] = PendingState(
                    key=spec.key,
                    debit_account_id=spec.debit_account_id,
                    credit_account_id=spec.credit_account_id,
                    amount=spec.amount,
                )
        recorded.append(spec)
    changed = {}
    for aid, working in state.items():
        result = working.result()
        if result != accounts[aid]:
            changed[aid] = result
    return changed, recorded


def _accounts_for(
    accounts: Mapping[int, AccountState],
    state: dict[int, _Working],
    spec: TransferSpec,
    index: int,
) -> tuple[_Working, _Working]:
    if spec.debit_account_id == spec.credit_account_id:
        raise LedgerError(ErrorCode.SAME_ACCOUNT, index=index, key=spec.key)
    debit = state.get(spec.debit_account_id) or _working(accounts, spec.debit_account_id)
    credit = state.get(spec.credit_account_id) or _working(accounts, spec.credit_account_id)
    if debit is None or credit is None:
        raise LedgerError(ErrorCode.ACCOUNT_NOT_FOUND, index=index, key=spec.key)
    if not (debit.account.currency == credit.account.currency == spec.currency):
        raise LedgerError(ErrorCode.CURRENCY_MISMATCH, index=index, key=spec.key)
    state[spec.debit_account_id] = debit
    state[spec.credit_account_id] = credit
    return debit, credit


def _working(accounts: Mapping[int, AccountState], account_id: int) -> _Working | None:
    account = accounts.get(account_id)
    return None if account is None else _Working.of(account)


def _move(
    accounts: Mapping[int, AccountState],
    state: dict[int, _Working],
    spec: TransferSpec,
    index: int,
) -> None:
    _check_amount(spec, index)
    debit, credit = _accounts_for(accounts, state, spec, index)
    if spec.kind is TransferKind.PENDING:
        debit.debits_pending += spec.amount
        credit.credits_pending += spec.amount
    else:
        debit.debits_posted += spec.amount
        credit.credits_posted += spec.amount
    _check_limits(debit, index, spec.key)
    _check_limits(credit, index, spec.key)


def _resolve(
    accounts: Mapping[int, AccountState],
    state: dict[int, _Working],
    spec: TransferSpec,
    index: int,
    pendings: Mapping[str, PendingState],
    pending_in_batch: Mapping[str, PendingState],
    resolved_in_batch: set[str],
) -> TransferSpec:
    pending = pending_in_batch.get(spec.pending_key) or pendings.get(spec.pending_key)
    if pending is None:
        raise LedgerError(ErrorCode.PENDING_NOT_FOUND, index=index, key=spec.key)
    if pending.resolved or spec.pending_key in resolved_in_batch:
        raise LedgerError(ErrorCode.PENDING_ALREADY_RESOLVED, index=index, key=spec.key)
    if spec.kind is TransferKind.EXPIRE and not pending.expired:
        raise LedgerError(ErrorCode.PENDING_NOT_EXPIRED, index=index, key=spec.key)
    if spec.kind is not TransferKind.EXPIRE and pending.expired:
        raise LedgerError(ErrorCode.PENDING_EXPIRED, index=index, key=spec.key)
    if (spec.debit_account_id, spec.credit_account_id) != (
        pending.debit_account_id,
        pending.credit_account_id,
    ):
        raise LedgerError(ErrorCode.RESOLVE_ACCOUNTS_MISMATCH, index=index, key=spec.key)
    _check_amount(spec, index, allow_zero=True)
    debit, credit = _accounts_for(accounts, state, spec, index)
    if spec.kind is TransferKind.POST:
        posted = spec.amount or pending.amount
        if posted > pending.amount:
            raise LedgerError(ErrorCode.POST_EXCEEDS_PENDING, index=index, key=spec.key)
    elif spec.amount not in (0, pending.amount):
        raise LedgerError(ErrorCode.POST_EXCEEDS_PENDING, index=index, key=spec.key)
    else:
        posted = 0  # a void or an expiry releases the hold and posts nothing
    debit.debits_pending -= pending.amount
    credit.credits_pending -= pending.amount
    debit.debits_posted += posted
    credit.credits_posted += posted
    _check_limits(debit, index, spec.key)
    _check_limits(credit, index, spec.key)
    resolved_in_batch.add(spec.pending_key)
    return replace(spec, amount=posted if spec.kind is TransferKind.POST else pending.amount)
