"""The referral reward: paid once, through the ledger, when money of the resulting contract is
released to the worker.

A transfer from the client's wallet to the referrer's with the reason ``referral_reward`` and
the key ``referral_reward:r<referral id>``: however often the payment is tried (the contracts
app's ``milestone_paid`` fires after every release, the periodic retry, two at once), the ledger
records it at most once. A reward larger than what the contract has released so far waits for
more to be released and, once the contract is over, is recorded as refused. A client whose
balance is short owes it: the payout row says so and the periodic retry pays it once the money
is there. Never a side payment: nothing but this transfer moves the reward.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.audit.services import audit_record
from tsunagu.contracts.models import Contract, Milestone
from tsunagu.contracts.states import FINAL, PAID
from tsunagu.ledger.services import (
    ErrorCode,
    LedgerError,
    TransferRequest,
    transfers_create,
    wallet_account,
)
from tsunagu.notifications.services import notify
from tsunagu.referrals import selectors
from tsunagu.referrals.models import Referral, ReferralStatus, RewardPayout, RewardStatus

logger = logging.getLogger(__name__)

REASON = "referral_reward"
CURRENCY = "JPY"


def transfer_key(referral_id: int) -> str:
    return f"{REASON}:r{referral_id}"


def _released(contract_id: int) -> int:
    total = Milestone.objects.filter(contract_id=contract_id, status__in=PAID).aggregate(
        total=Sum("released_amount", default=0)
    )["total"]
    return int(total or 0)


def referral_reward_pay(*, referral: Referral, contract: Contract) -> RewardPayout | None:
    """Pay ``referral``'s reward for ``contract`` (a contract it led to), at most once.

    Returns the payout (paid, owed or refused), or None when there is nothing to pay yet (no
    reward, or less released so far than the reward while the contract goes on)."""
    with transaction.atomic():
        row = Referral.objects.select_for_update().get(pk=referral.pk)
        payout = RewardPayout.objects.filter(referral=row).first()
        if payout is not None and payout.status in (RewardStatus.PAID, RewardStatus.REFUSED):
            return payout
        if not row.reward or row.status != ReferralStatus.ACCEPTED:
            return payout
        if contract.pk not in selectors.outcomes_for([row])[row.pk].contract_ids:
            return payout
        released = _released(contract.pk)
        if released < row.reward:
            contract_over = (
                not Milestone.objects.filter(contract_id=contract.pk)
                .exclude(status__in=FINAL)
                .exists()
            )
            if not contract_over:
                return payout
            payout = payout or RewardPayout(
                referral=row,
                contract=contract,
                amount=row.reward,
                transfer_key=transfer_key(row.pk),
            )
            payout.status = RewardStatus.REFUSED
            payout.last_error = "reward_exceeds_payment"
            payout.save()
            audit_record(
                actor=None,
                subject=row,
                event="referral.reward_refused",
                after={"reward": row.reward, "released": released},
            )
            return payout
        if payout is None:
            payout = RewardPayout(
                referral=row,
                contract=contract,
                amount=row.reward,
                transfer_key=transfer_key(row.pk),
                status=RewardStatus.OWED,
            )
        payout.attempts += 1
        try:
            with transaction.atomic():
                transfers_create(
                    transfers=[
                        TransferRequest(
                            key=payout.transfer_key,
                            debit_account_id=wallet_account(
                                user_id=row.client_id, currency=CURRENCY
                            ).pk,
                            credit_account_id=wallet_account(
                                user_id=row.referrer_id, currency=CURRENCY
                            ).pk,
                            amount=payout.amount,
                            currency=CURRENCY,
                            reason=REASON,
                            cause_type="referral",
                            cause_id=str(row.pk),
                        )
                    ]
                )
        except LedgerError as exc:
            if exc.code != ErrorCode.EXCEEDS_CREDITS:
                raise
            first_time = payout.pk is None
            payout.status = RewardStatus.OWED
            payout.last_error = str(exc.code)
            payout.save()
            if first_time:
                _tell_client_owed(row, payout)
            return payout
        payout.status = RewardStatus.PAID
        payout.paid_at = timezone.now()
        payout.last_error = ""
        payout.save()
        audit_record(
            actor=None,
            subject=row,
            event="referral.reward_paid",
            after={"amount": payout.amount, "transfer": payout.transfer_key},
        )
        amount = payout.amount
        notify(
            user=User.objects.get(pk=row.referrer_id),
            kind="referrals.reward_paid",
            message=lambda: (
                _("A referral reward of ¥%(amount)s was paid into your balance.")
                % {"amount": f"{amount:,}"}
            ),
            url=reverse("payments:wallet"),
        )
    return payout


def _tell_client_owed(row: Referral, payout: RewardPayout) -> None:
    amount = payout.amount
    notify(
        user=User.objects.get(pk=row.client_id),
        kind="referrals.reward_owed",
        message=lambda: (
            _(
                "The referral reward of ¥%(amount)s could not be paid: your balance is short. "
                "Top up and it will be paid."
            )
            % {"amount": f"{amount:,}"}
        ),
        url=reverse("payments:wallet"),
    )


def rewards_pay_for_contract(*, contract_id: int) -> list[RewardPayout]:
    """Pay every reward promised for introductions that led to this contract."""
    contract = Contract.objects.filter(pk=contract_id).first()
    if contract is None:
        return []
    candidates = Referral.objects.filter(
        client_id=contract.client_id,
        worker_id=contract.worker_id,
        status=ReferralStatus.ACCEPTED,
        reward__gt=0,
        created_at__lte=contract.created_at,
    ).exclude(Q(payout__status=RewardStatus.PAID) | Q(payout__status=RewardStatus.REFUSED))
    done = []
    for referral in candidates.order_by("pk"):
        payout = referral_reward_pay(referral=referral, contract=contract)
        if payout is not None:
            done.append(payout)
    return done


def rewards_retry_owed() -> int:
    """Try again every reward that is owed (the periodic tick). Returns how many were paid."""
    paid = 0
    for payout in RewardPayout.objects.filter(status=RewardStatus.OWED).select_related(
        "referral", "contract"
    )[:200]:
        try:
            result = referral_reward_pay(referral=payout.referral, contract=payout.contract)
        except Exception:
            logger.exception("referral reward %s not retried", payout.pk)
            continue
        if result is not None and result.status == RewardStatus.PAID:
            paid += 1
    return paid


def on_milestone_paid(*, contract_id: int, **_: Any) -> None:
    """After a release committed: the rewards of introductions that led to this contract. The
    payment to the worker stands whatever happens here; a failure is logged and retried."""
    try:
        rewards_pay_for_contract(contract_id=contract_id)
    except Exception:
        logger.exception("referral rewards of contract %s not paid", contract_id)
