from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

Status = Literal["succeeded", "declined", "pending"]


@dataclass(frozen=True)
class ProviderResult:
    status: Status
    ref: str
    decline_code: str = ""


@dataclass(frozen=True)
class BankAccountDetails:
    bank_name: str
    branch_name: str
    account_type: str
    account_number: str
    holder_kana: str


@dataclass(frozen=True)
class WebhookData:
    event_id: str
    type: str  # charge.succeeded, charge.declined, payout.succeeded, payout.declined
    idempotency_key: str
    ref: str
    decline_code: str
    payload: dict[str, object]


class InvalidWebhook(Exception):
    """The signature is wrong, the timestamp too old, or the body unreadable."""


class PaymentProvider(Protocol):
    name: str

    def charge(
        self, *, idempotency_key: str, amount: int, currency: str, description: str
    ) -> ProviderResult:
        """Take money from the payer. The same key always gives the same result."""
        ...

    def payout(
        self, *, idempotency_key: str, amount: int, currency: str, bank_account: BankAccountDetails
    ) -> ProviderResult:
        """Send money to a bank account. The same key always gives the same result."""
        ...

    def parse_webhook(self, *, body: bytes, signature: str) -> WebhookData:
        """Check the signature and read the event, or raise InvalidWebhook."""
        ...
