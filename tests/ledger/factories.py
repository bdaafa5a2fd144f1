from __future__ import annotations

from tsunagu.ledger.models import Account, AccountKind
from tsunagu.ledger.services import TransferRequest, account_open, transfers_create


def open_accounts(currency: str = "JPY") -> dict[str, Account]:
    """The provider's clearing account, a client's and a worker's wallet, an escrow, the fee account."""
    return {
        "clearing": account_open(
            code=f"clearing:{currency}", kind=AccountKind.PROVIDER_CLEARING, currency=currency
        ),
        "client": account_open(
            code=f"wallet:client:{currency}", kind=AccountKind.WALLET, currency=currency
        ),
        "worker": account_open(
            code=f"wallet:worker:{currency}", kind=AccountKind.WALLET, currency=currency
        ),
        "escrow": account_open(
            code=f"escrow:1:{currency}", kind=AccountKind.ESCROW, currency=currency
        ),
        "fees": account_open(
            code=f"fees:{currency}", kind=AccountKind.PLATFORM_FEES, currency=currency
        ),
    }


def top_up(accounts: dict[str, Account], amount: int, key: str = "topup") -> None:
    transfers_create(
        transfers=[
            TransferRequest(
                key=key,
                debit_account_id=accounts["clearing"].pk,
                credit_account_id=accounts["client"].pk,
                amount=amount,
                currency=accounts["client"].currency,
                reason="top_up",
            )
        ]
    )
