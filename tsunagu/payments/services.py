"""Paying in and out through the provider, with no database lock held while it answers.

1. ``payment_start`` writes the Payment (status processing) in its own transaction and commits.
   The same thing paid for twice at once (a double click) finds the live payment and reuses it.
2. ``payment_execute`` calls the provider with the payment's key, outside any transaction.
3. ``payment_finalize`` locks the payment row, and if it is not final yet records the outcome
   and runs the handler for its kind (move the money in the ledger, advance a contract) in the
   same transaction. The provider's webhook calls it too; whichever comes second does nothing.

A crash between 2 and 3 leaves the payment processing; ``payments_recover`` (a periodic job)
asks the provider again with the same key and finalises.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tsunagu.ledger.models import AccountKind
from tsunagu.ledger.services import (
    TransferKind,
    TransferRequest,
    platform_account,
    transfers_create,
    wallet_account,
)
from tsunagu.payments.models import Payment, PaymentKind, PaymentStatus, WebhookEvent
from tsunagu.payments.providers import (
    BankAccountDetails,
    ProviderResult,
    WebhookData,
    get_provider,
)

logger = logging.getLogger(__name__)

Handler = Callable[[Payment], None]
_ON_SUCCEEDED: dict[str, Handler] = {}
_ON_DECLINED: dict[str, Handler] = {}


def on_payment(kind: str, *, succeeded: Handler, declined: Handler | None = None) -> None:
    """Register what a payment of ``kind`` does when it settles (inside the finalising transaction)."""
    _ON_SUCCEEDED[kind] = succeeded
    if declined is not None:
        _ON_DECLINED[kind] = declined


class PaymentInProgress(Exception):
    """Another payment for the same thing is still being processed."""


def payment_start(
    *,
    user_id: int,
    kind: PaymentKind,
    amount: int,
    currency: str,
    cause_type: str = "",
    cause_id: str = "",
    fee: int = 0,
    details: dict[str, object] | None = None,
) -> Payment:
    """Create the payment row, or return the live one for the same cause."""
    if cause_type:
        live = Payment.objects.filter(
            kind=kind,
            cause_type=cause_type,
            cause_id=cause_id,
            status__in=[PaymentStatus.PROCESSING, PaymentStatus.SUCCEEDED],
        ).first()
        if live is not None:
            return live
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                key=f"{kind}_{uuid.uuid4().hex}",
                kind=kind,
                user_id=user_id,
                amount=amount,
                currency=currency,
                fee=fee,
                provider=get_provider().name,
                cause_type=cause_type,
                cause_id=cause_id,
                details=details or {},
            )
            if kind == PaymentKind.PAYOUT:
                _payout_hold(payment)
            return payment
    except IntegrityError:
        # The same cause was started concurrently: use that one.
        live = Payment.objects.filter(
            kind=kind,
            cause_type=cause_type,
            cause_id=cause_id,
            status__in=[PaymentStatus.PROCESSING, PaymentStatus.SUCCEEDED],
        ).first()
        if live is None:
            raise
        return live


def payment_execute(*, payment: Payment) -> Payment:
    """Ask the provider, then finalise. Must not run inside a transaction (no lock across the network)."""
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("payment_execute must not be called inside a transaction")
    if payment.is_final:
        return payment
    Payment.objects.filter(pk=payment.pk).update(attempts=F("attempts") + 1)
    provider = get_provider()
    if payment.kind == PaymentKind.PAYOUT:
        result = provider.payout(
            idempotency_key=payment.key,
            amount=payment.amount,
            currency=payment.currency,
            bank_account=BankAccountDetails(**payment.details["bank_account"]),
        )
    else:
        result = provider.charge(
            idempotency_key=payment.key,
            amount=payment.amount,
            currency=payment.currency,
            description=f"{payment.kind} {payment.cause_type} {payment.cause_id}".strip(),
        )
    return payment_finalize(payment_id=payment.pk, result=result)


@transaction.atomic
def payment_finalize(*, payment_id: int, result: ProviderResult) -> Payment:
    """Record the provider's answer once; later calls with any answer change nothing."""
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if payment.is_final or result.status == "pending":
        return payment
    payment.provider_ref = result.ref
    payment.finalized_at = timezone.now()
    if result.status == "succeeded":
        payment.status = PaymentStatus.SUCCEEDED
        handler = _ON_SUCCEEDED.get(payment.kind)
    else:
        payment.status = PaymentStatus.DECLINED
        payment.decline_code = result.decline_code or "declined"
        handler = _ON_DECLINED.get(payment.kind)
    payment.save(update_fields=["status", "decline_code", "provider_ref", "finalized_at"])
    if handler is not None:
        handler(payment)
    return payment


def webhook_receive(*, data: WebhookData, provider: str) -> bool:
    """Apply one provider event; False when it was seen before (a replay) or names no payment."""
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(
                provider=provider, event_id=data.event_id, type=data.type, payload=data.payload
            )
            payment = Payment.objects.filter(key=data.idempotency_key).first()
            if payment is None:
                logger.warning("webhook %s names no payment", data.event_id)
                return False
            if data.type.endswith(".succeeded"):
                status = "succeeded"
            elif data.type.endswith(".declined"):
                status = "declined"
            else:
                logger.info("webhook %s of type %s needs no action", data.event_id, data.type)
                return False
            payment_finalize(
                payment_id=payment.pk,
                result=ProviderResult(status=status, ref=data.ref, decline_code=data.decline_code),  # type: ignore[arg-type]
            )
            return True
    except IntegrityError:
        return False


def payments_recover(*, older_than_seconds: int = 60, limit: int = 100) -> int:
    """Finish payments left processing by a crash or a lost answer. Safe to run concurrently."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    stuck = list(
        Payment.objects.filter(status=PaymentStatus.PROCESSING, created_at__lte=cutoff).order_by(
            "created_at"
        )[:limit]
    )
    finished = 0
    for payment in stuck:
        if payment_execute(payment=payment).is_final:
            finished += 1
    return finished


# --- what each kind of payment does when it settles -----------------------------------------


def card_money_in(payment: Payment) -> TransferRequest:
    """The transfer that lands a settled card payment in the payer's wallet.

    A handler that does more with the money (hold it in escrow) sends it in the same batch.
    """
    clearing = platform_account(kind=AccountKind.PROVIDER_CLEARING, currency=payment.currency)
    wallet = wallet_account(user_id=payment.user_id, currency=payment.currency)
    return TransferRequest(
        key=f"payment:{payment.key}",
        debit_account_id=clearing.pk,
        credit_account_id=wallet.pk,
        amount=payment.amount,
        currency=payment.currency,
        reason="top_up",
        cause_type="payment",
        cause_id=str(payment.pk),
    )


def _top_up_succeeded(payment: Payment) -> None:
    transfers_create(transfers=[card_money_in(payment)])


def _payout_parts(payment: Payment) -> list[tuple[str, str, int, int]]:
    """The payout's held parts: (key part, reason, amount, credit account id)."""
    clearing = platform_account(kind=AccountKind.PROVIDER_CLEARING, currency=payment.currency)
    parts = [("payout", "payout", payment.amount, clearing.pk)]
    if payment.fee:
        fees = platform_account(kind=AccountKind.PLATFORM_FEES, currency=payment.currency)
        parts.append(("payout-fee", "payout_fee", payment.fee, fees.pk))
    return parts


def _payout_hold(payment: Payment) -> None:
    """Reserve the payout and its fee in the wallet before the provider is asked."""
    wallet = wallet_account(user_id=payment.user_id, currency=payment.currency)
    transfers_create(
        transfers=[
            TransferRequest(
                key=f"{part}-hold:{payment.key}",
                kind=TransferKind.PENDING,
                debit_account_id=wallet.pk,
                credit_account_id=credit_id,
                amount=amount,
                currency=payment.currency,
                reason=reason,
                cause_type="payment",
                cause_id=str(payment.pk),
            )
            for part, reason, amount, credit_id in _payout_parts(payment)
        ]
    )


def _payout_resolve(payment: Payment, kind: TransferKind) -> None:
    """Post the holds when the bank paid out, void them (money back) when it declined."""
    transfers_create(
        transfers=[
            TransferRequest(
                key=f"{part}-{kind}:{payment.key}",
                kind=kind,
                pending_key=f"{part}-hold:{payment.key}",
                amount=0,
                currency=payment.currency,
                reason=reason,
                cause_type="payment",
                cause_id=str(payment.pk),
            )
            for part, reason, _amount, _credit in _payout_parts(payment)
        ]
    )


on_payment(PaymentKind.TOP_UP, succeeded=_top_up_succeeded)
on_payment(
    PaymentKind.PAYOUT,
    succeeded=lambda p: _payout_resolve(p, TransferKind.POST),
    declined=lambda p: _payout_resolve(p, TransferKind.VOID),
)
