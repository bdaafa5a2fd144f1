"""Closing an account: refused while the wallet holds money; the bank account is erased."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Sum
from django.utils.translation import gettext as _

from tsunagu.core.closing import closing_blocker_register, closing_eraser_register
from tsunagu.payments.models import BankAccount, Payment, PaymentStatus
from tsunagu.payments.selectors import wallet_summary


def wallet_not_empty(user_id: int) -> Iterator[str]:
    # Money held for escrow is the contracts' to report; here what is free, and what a payout
    # or top-up still in progress moves.
    wallet = wallet_summary(user_id=user_id)
    if wallet.available:
        yield _("a wallet balance of ¥%(amount)s") % {"amount": f"{wallet.available:,}"}
    moving = Payment.objects.filter(user_id=user_id, status=PaymentStatus.PROCESSING).aggregate(
        total=Sum("amount")
    )["total"]
    if moving:
        yield _("¥%(amount)s in a payment still processing") % {"amount": f"{moving:,}"}


def erase_bank_account(user_id: int) -> dict[str, int]:
    return {"bank_accounts": BankAccount.objects.filter(user_id=user_id).delete()[0]}


closing_blocker_register("payments", wallet_not_empty)
closing_eraser_register("payments", erase_bank_account)
