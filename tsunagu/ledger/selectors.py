"""Reads of the ledger that never write (``wallet_account`` in services opens the account)."""

from __future__ import annotations

from tsunagu.ledger.models import Account, AccountKind


def wallet_code(*, user_id: int, currency: str) -> str:
    """The code of a person's wallet account in one currency: the one place that names it."""
    return f"wallet:{user_id}:{currency}"


def wallet_find(*, user_id: int, currency: str) -> Account | None:
    """The person's wallet, or None if no money ever moved through it."""
    return Account.objects.filter(
        code=wallet_code(user_id=user_id, currency=currency), kind=AccountKind.WALLET
    ).first()
