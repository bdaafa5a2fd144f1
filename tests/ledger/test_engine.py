"""The ledger rules in memory, without a database."""

from __future__ import annotations

import pytest

from tsunagu.ledger.engine import (
    AccountState,
    ErrorCode,
    Flags,
    LedgerError,
    PendingState,
    TransferKind,
    TransferSpec,
    apply,
)

WALLET = Flags(debits_must_not_exceed_credits=True)


def accounts(**balances: int) -> dict[int, AccountState]:
    """1: provider clearing (no limit), 2: client wallet, 3: escrow, 4: worker wallet."""
    return {
        1: AccountState(id=1, currency="JPY"),
        2: AccountState(
            id=2, currency="JPY", flags=WALLET, credits_posted=balances.get("client", 0)
        ),
        3: AccountState(id=3, currency="JPY", flags=WALLET),
        4: AccountState(id=4, currency="JPY", flags=WALLET),
        9: AccountState(id=9, currency="USD", flags=WALLET),
    }


def spec(
    key: str,
    debit: int,
    credit: int,
    amount: int,
    kind: TransferKind = TransferKind.SINGLE,
    pending_key: str = "",
    currency: str = "JPY",
) -> TransferSpec:
    return TransferSpec(
        key=key,
        kind=kind,
        debit_account_id=debit,
        credit_account_id=credit,
        amount=amount,
        currency=currency,
        pending_key=pending_key,
    )


def test_single_transfer_moves_posted_amounts() -> None:
    changed, recorded = apply(accounts(), [spec("t1", 1, 2, 5000)], {})
    assert changed[1].debits_posted == 5000
    assert changed[2].credits_posted == 5000
    assert changed[2].balance == 5000
    assert recorded[0].amount == 5000


def test_wallet_cannot_go_below_zero() -> None:
    with pytest.raises(LedgerError) as exc:
        apply(accounts(client=100), [spec("t1", 2, 3, 101)], {})
    assert exc.value.code is ErrorCode.EXCEEDS_CREDITS
    assert exc.value.index == 0


def test_holds_count_against_what_a_wallet_can_spend() -> None:
    state, _ = apply(accounts(client=100), [spec("h", 2, 3, 80, TransferKind.PENDING)], {})
    merged = {**accounts(client=100), **state}
    assert merged[2].available == 20
    with pytest.raises(LedgerError) as exc:
        apply(merged, [spec("t", 2, 4, 21)], {})
    assert exc.value.code is ErrorCode.EXCEEDS_CREDITS


def test_partial_post_releases_the_rest() -> None:
    base = accounts(client=100)
    state, _ = apply(base, [spec("h", 2, 3, 80, TransferKind.PENDING)], {})
    merged = {**base, **state}
    hold = PendingState(key="h", debit_account_id=2, credit_account_id=3, amount=80)
    state, recorded = apply(merged, [spec("p", 2, 3, 50, TransferKind.POST, "h")], {"h": hold})
    assert recorded[0].amount == 50
    assert state[2].debits_pending == 0 and state[2].debits_posted == 50
    assert state[2].available == 50
    assert state[3].credits_posted == 50 and state[3].credits_pending == 0


def test_post_of_zero_posts_the_whole_hold_and_void_releases_it() -> None:
    base = {
        **accounts(client=100),
        **apply(accounts(client=100), [spec("h", 2, 3, 80, TransferKind.PENDING)], {})[0],
    }
    hold = PendingState(key="h", debit_account_id=2, credit_account_id=3, amount=80)
    posted, recorded = apply(base, [spec("p", 2, 3, 0, TransferKind.POST, "h")], {"h": hold})
    assert recorded[0].amount == 80 and posted[3].credits_posted == 80
    voided, recorded = apply(base, [spec("v", 2, 3, 0, TransferKind.VOID, "h")], {"h": hold})
    assert recorded[0].amount == 80 and voided[2].available == 100


@pytest.mark.parametrize(
    ("hold", "kind", "amount", "code"),
    [
        (
            PendingState("h", 2, 3, 80, resolved=True),
            TransferKind.POST,
            0,
            ErrorCode.PENDING_ALREADY_RESOLVED,
        ),
        (
            PendingState("h", 2, 3, 80, expired=True),
            TransferKind.POST,
            0,
            ErrorCode.PENDING_EXPIRED,
        ),
        (PendingState("h", 2, 3, 80), TransferKind.EXPIRE, 0, ErrorCode.PENDING_NOT_EXPIRED),
        (PendingState("h", 2, 3, 80), TransferKind.POST, 81, ErrorCode.POST_EXCEEDS_PENDING),
        (PendingState("h", 2, 4, 80), TransferKind.POST, 0, ErrorCode.RESOLVE_ACCOUNTS_MISMATCH),
    ],
)
def test_resolving_a_hold_is_refused_when(
    hold: PendingState, kind: TransferKind, amount: int, code: ErrorCode
) -> None:
    base = {
        **accounts(client=100),
        **apply(accounts(client=100), [spec("h", 2, 3, 80, TransferKind.PENDING)], {})[0],
    }
    with pytest.raises(LedgerError) as exc:
        apply(base, [spec("r", 2, 3, amount, kind, "h")], {"h": hold})
    assert exc.value.code is code


def test_a_hold_resolves_once_within_one_batch() -> None:
    base = accounts(client=100)
    with pytest.raises(LedgerError) as exc:
        apply(
            base,
            [
                spec("h", 2, 3, 80, TransferKind.PENDING),
                spec("p", 2, 3, 0, TransferKind.POST, "h"),
                spec("v", 2, 3, 0, TransferKind.VOID, "h"),
            ],
            {},
        )
    assert exc.value.code is ErrorCode.PENDING_ALREADY_RESOLVED
    assert exc.value.index == 2


@pytest.mark.parametrize(
    ("transfer", "code"),
    [
        (spec("t", 1, 2, 0), ErrorCode.AMOUNT_MUST_BE_POSITIVE),
        (spec("t", 1, 2, -5), ErrorCode.AMOUNT_MUST_BE_POSITIVE),
        (spec("t", 1, 2, 10**16), ErrorCode.AMOUNT_TOO_LARGE),
        (spec("t", 1, 1, 5), ErrorCode.SAME_ACCOUNT),
        (spec("t", 1, 77, 5), ErrorCode.ACCOUNT_NOT_FOUND),
        (spec("t", 1, 9, 5), ErrorCode.CURRENCY_MISMATCH),
        (spec("t", 1, 2, 5, currency="USD"), ErrorCode.CURRENCY_MISMATCH),
    ],
)
def test_bad_transfers_are_refused(transfer: TransferSpec, code: ErrorCode) -> None:
    with pytest.raises(LedgerError) as exc:
        apply(accounts(), [transfer], {})
    assert exc.value.code is code


def test_non_integer_amounts_are_refused() -> None:
    bad = TransferSpec(
        key="t",
        kind=TransferKind.SINGLE,
        debit_account_id=1,
        credit_account_id=2,
        amount=1.5,  # type: ignore[arg-type]
        currency="JPY",
    )
    with pytest.raises(LedgerError) as exc:
        apply(accounts(), [bad], {})
    assert exc.value.code is ErrorCode.AMOUNT_NOT_INTEGER


def test_a_batch_is_all_or_nothing() -> None:
    base = accounts(client=100)
    with pytest.raises(LedgerError) as exc:
        apply(base, [spec("a", 2, 4, 60), spec("b", 2, 4, 60)], {})
    assert exc.value.index == 1
    # the input states are untouched
    assert base[2].credits_posted == 100 and base[2].debits_posted == 0


def test_duplicate_keys_in_one_batch_are_refused() -> None:
    with pytest.raises(LedgerError) as exc:
        apply(accounts(), [spec("a", 1, 2, 1), spec("a", 1, 2, 1)], {})
    assert exc.value.code is ErrorCode.DUPLICATE_KEY_IN_BATCH
