"""The sandbox provider: a real, deterministic provider that keeps its records locally.

Outcomes follow the amount (in minor units), so tests and demos can choose them:

| amount                                  | charge                       | payout                  |
|-----------------------------------------|------------------------------|-------------------------|
| ends in 402 (e.g. 10,402)               | declined: card_declined      | succeeded               |
| ends in 409                             | declined: insufficient_funds | succeeded               |
| ends in 202                             | pending, then succeeded by webhook                     |
| ends in 404                             | succeeded                    | declined: account_invalid |
| above 5,000,000                         | declined: amount_too_large   | declined: amount_too_large |
| anything else                           | succeeded                    | succeeded               |

Every outcome is also announced by a signed webhook, delivered after the caller's transaction
commits through the same handler the HTTP endpoint uses. A repeated idempotency key returns the
first result and sends nothing new.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction

from tsunagu.payments.models import SandboxOperation
from tsunagu.payments.providers.base import (
    BankAccountDetails,
    InvalidWebhook,
    ProviderResult,
    WebhookData,
)

SIGNATURE_TOLERANCE_SECONDS = 300
MAX_AMOUNT = 5_000_000


def webhook_secret() -> bytes:
    configured: str = getattr(settings, "PAYMENTS_WEBHOOK_SECRET", "")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"sandbox-webhook", hashlib.sha256).digest()


def sign(body: bytes, *, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(webhook_secret(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class SandboxProvider:
    name = "sandbox"

    def charge(
        self, *, idempotency_key: str, amount: int, currency: str, description: str
    ) -> ProviderResult:
        if amount > MAX_AMOUNT:
            outcome, code = "declined", "amount_too_large"
        elif amount % 1000 == 402:
            outcome, code = "declined", "card_declined"
        elif amount % 1000 == 409:
            outcome, code = "declined", "insufficient_funds"
        elif amount % 1000 == 202:
            outcome, code = "pending", ""
        else:
            outcome, code = "succeeded", ""
        return self._operate("charge", idempotency_key, amount, currency, outcome, code)

    def payout(
        self, *, idempotency_key: str, amount: int, currency: str, bank_account: BankAccountDetails
    ) -> ProviderResult:
        if amount > MAX_AMOUNT:
            outcome, code = "declined", "amount_too_large"
        elif amount % 1000 == 404:
            outcome, code = "declined", "account_invalid"
        elif amount % 1000 == 202:
            outcome, code = "pending", ""
        else:
            outcome, code = "succeeded", ""
        return self._operate("payout", idempotency_key, amount, currency, outcome, code)

    def _operate(
        self, operation: str, key: str, amount: int, currency: str, outcome: str, code: str
    ) -> ProviderResult:
        existing = SandboxOperation.objects.filter(idempotency_key=key).first()
        if existing is None:
            try:
                with transaction.atomic():
                    existing = SandboxOperation.objects.create(
                        idempotency_key=key,
                        operation=operation,
                        amount=amount,
                        currency=currency,
                        status=outcome,
                        decline_code=code,
                        ref=f"sb_{operation[:2]}_{uuid.uuid4().hex[:20]}",
                    )
                    # A pending operation settles later; the others are announced at once.
                    final = "succeeded" if outcome == "pending" else outcome
                    transaction.on_commit(
                        lambda: _announce(operation, key, existing.ref, final, code)  # type: ignore[union-attr]
                    )
            except IntegrityError:
                existing = SandboxOperation.objects.get(idempotency_key=key)
        if existing.amount != amount or existing.currency != currency:
            # What a real provider does with a reused key and another body.
            return ProviderResult(
                status="declined", ref=existing.ref, decline_code="idempotency_key_reused"
            )
        return ProviderResult(
            status=existing.status,  # type: ignore[arg-type]
            ref=existing.ref,
            decline_code=existing.decline_code,
        )

    def parse_webhook(self, *, body: bytes, signature: str) -> WebhookData:
        try:
            parts = dict(item.split("=", 1) for item in signature.split(","))
            timestamp = int(parts["t"])
            given = parts["v1"]
        except (ValueError, KeyError) as exc:
            raise InvalidWebhook("malformed signature header") from exc
        expected = hmac.new(webhook_secret(), f"{timestamp}.".encode() + body, hashlib.sha256)
        if not hmac.compare_digest(expected.hexdigest(), given):
            raise InvalidWebhook("signature does not match")
        if abs(time.time() - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
            raise InvalidWebhook("timestamp outside the tolerance")
        try:
            payload = json.loads(body)
            return WebhookData(
                event_id=str(payload["id"]),
                type=str(payload["type"]),
                idempotency_key=str(payload["data"]["idempotency_key"]),
                ref=str(payload["data"]["ref"]),
                decline_code=str(payload["data"].get("decline_code", "")),
                payload=payload,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidWebhook("unreadable body") from exc


def webhook_body(operation: str, key: str, ref: str, outcome: str, code: str) -> bytes:
    """The event the sandbox sends; its id is stable, so a resend is a replay."""
    event = {
        "id": f"evt_{hashlib.sha256(f'{ref}:{outcome}'.encode()).hexdigest()[:24]}",
        "type": f"{operation}.{outcome}",
        "data": {"idempotency_key": key, "ref": ref, "decline_code": code},
    }
    return json.dumps(event, sort_keys=True).encode()


def _announce(operation: str, key: str, ref: str, outcome: str, code: str) -> None:
    from tsunagu.payments.tasks import deliver_sandbox_webhook

    body = webhook_body(operation, key, ref, outcome, code).decode()
    deliver_sandbox_webhook.enqueue(body=body)
