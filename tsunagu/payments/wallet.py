"""Wallet actions: top up by card, pay out to the bank account. Amounts in yen.

``wallet_top_up`` and ``payout_request`` are what the pages and the API call: each commits the
payment first and then asks the provider (``payment_execute``), so no lock is held while it
answers. Their ``*_start`` functions are the first step alone.
"""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.audit.services import audit_record
from tsunagu.ledger.services import ErrorCode, LedgerError
from tsunagu.payments.models import BankAccount, Payment, PaymentKind
from tsunagu.payments.providers import BankAccountDetails
from tsunagu.payments.services import payment_execute, payment_start

CURRENCY = "JPY"


def _check_amount(amount: object, *, minimum: int, maximum: int) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError({"amount": [_("Enter a whole number of yen.")]})
    if amount < minimum:
        raise ValidationError(
            {"amount": [_("The minimum is ¥%(minimum)s.") % {"minimum": f"{minimum:,}"}]}
        )
    if amount > maximum:
        raise ValidationError(
            {"amount": [_("The maximum is ¥%(maximum)s.") % {"maximum": f"{maximum:,}"}]}
        )
    return amount


def wallet_top_up(*, user: User, amount: object, request_ref: str = "") -> Payment:
    """Top up the wallet by card: start the payment and commit, then ask the provider with no
    lock held. The returned payment is succeeded, declined or still processing (its webhook or
    the recovery job finishes it). Must not be called inside a transaction.

    ``request_ref`` names the API request (its Idempotency-Key) that asked for it: one live
    payment per request, whatever happens to the request's own record."""
    return payment_execute(
        payment=wallet_top_up_start(user=user, amount=amount, request_ref=request_ref)
    )


def payout_request(*, user: User, amount: object, request_ref: str = "") -> Payment:
    """Pay out to the bank account: reserve the amount and the fee and commit, then ask the
    provider with no lock held. A declined payout gives both back. Must not be called inside a
    transaction."""
    return payment_execute(payment=payout_start(user=user, amount=amount, request_ref=request_ref))


def wallet_top_up_start(*, user: User, amount: object, request_ref: str = "") -> Payment:
    """The first step of :func:`wallet_top_up`: check the amount and write the payment."""
    value = _check_amount(amount, minimum=settings.TOP_UP_MINIMUM, maximum=settings.TOP_UP_MAXIMUM)
    return payment_start(
        user_id=user.pk,
        kind=PaymentKind.TOP_UP,
        amount=value,
        currency=CURRENCY,
        cause_type="api_request" if request_ref else "",
        cause_id=request_ref,
    )


def payout_start(*, user: User, amount: object, request_ref: str = "") -> Payment:
    """The first step of :func:`payout_request`: reserve the amount and the payout fee in the
    wallet and write the payment; the provider is asked after."""
    value = _check_amount(amount, minimum=settings.PAYOUT_MINIMUM, maximum=settings.PAYOUT_MAXIMUM)
    bank = BankAccount.objects.filter(user=user).first()
    if bank is None:
        raise ValidationError({"bank_account": [_("Register a bank account before withdrawing.")]})
    details = BankAccountDetails(
        bank_name=bank.bank_name,
        branch_name=bank.branch_name,
        account_type=bank.account_type,
        account_number=bank.account_number,
        holder_kana=bank.holder_kana,
    )
    try:
        return payment_start(
            user_id=user.pk,
            kind=PaymentKind.PAYOUT,
            amount=value,
            currency=CURRENCY,
            fee=settings.PAYOUT_FEE,
            details={"bank_account": asdict(details)},
            cause_type="api_request" if request_ref else "",
            cause_id=request_ref,
        )
    except LedgerError as exc:
        if exc.code is ErrorCode.EXCEEDS_CREDITS:
            raise ValidationError(
                {
                    "amount": [
                        _(
                            "Your available balance does not cover ¥%(amount)s plus the ¥%(fee)s fee."
                        )
                        % {"amount": f"{value:,}", "fee": f"{settings.PAYOUT_FEE:,}"}
                    ]
                }
            ) from exc
        raise


def bank_account_set(
    *,
    user: User,
    bank_name: str,
    branch_name: str,
    account_type: str,
    account_number: str,
    holder_kana: str,
) -> BankAccount:
    """Register or replace the person's one bank account; the change is audited.

    The values come validated and normalised by ``tsunagu.payments.forms.BankAccountForm``.
    """
    fields = {
        "bank_name": bank_name,
        "branch_name": branch_name,
        "account_type": account_type,
        "account_number": account_number,
        "holder_kana": holder_kana,
    }
    with transaction.atomic():
        # get_or_create retries the read when a concurrent first save wins the insert.
        account, created = BankAccount.objects.select_for_update().get_or_create(
            user=user, defaults=fields
        )
        before = None
        if not created:
            before = _masked(account)
            for name, value in fields.items():
                setattr(account, name, value)
            account.save()
        audit_record(
            actor=user,
            subject=account,
            event="bank_account.set",
            before=before,
            after=_masked(account),
        )
    return account


def _masked(account: BankAccount) -> dict[str, str]:
    return {
        "bank_name": account.bank_name,
        "branch_name": account.branch_name,
        "account_type": account.account_type,
        "account_number": f"****{account.account_number[-3:]}",
        "holder_kana": account.holder_kana,
    }
