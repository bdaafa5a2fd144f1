"""Funding a milestone's escrow: from the wallet balance, or by card through a payment."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.models import Contract, Milestone
from tsunagu.contracts.services.shared import (
    check_allowed,
    contract_url,
    lock_milestone,
    move_milestone,
    role_of,
)
from tsunagu.contracts.states import Action, MilestoneState, MilestoneStatus
from tsunagu.ledger.models import AccountKind
from tsunagu.ledger.services import (
    ErrorCode,
    LedgerError,
    TransferKind,
    TransferRequest,
    account_open,
    transfers_create,
    wallet_account,
)
from tsunagu.notifications.services import notify
from tsunagu.payments.models import Payment, PaymentKind
from tsunagu.payments.services import card_money_in, on_payment, payment_execute, payment_start


def milestone_fund_from_wallet(*, milestone: Milestone, by: User) -> Milestone:
    """Hold the milestone's amount from the client's wallet balance in escrow."""
    with transaction.atomic():
        contract, milestone = lock_milestone(milestone)
        _check_fundable(contract, milestone, by)
        try:
            _hold(contract, milestone)
        except LedgerError as exc:
            if exc.code is ErrorCode.EXCEEDS_CREDITS:
                raise ContractError.refuse("insufficient_balance") from exc
            raise
        _funded(contract, milestone, by=by, via="wallet")
    return milestone


def milestone_fund_by_card(*, milestone: Milestone, by: User) -> Payment:
    """Pay the milestone's escrow by card, in two steps with no lock held across the network.

    The payment is started (milestone ``funding``) and committed, then the provider is asked.
    The returned payment says how it went: succeeded (the escrow is funded), declined (the
    milestone is unfunded again) or still processing (its webhook or the recovery job finishes
    it). Must not be called inside a transaction.
    """
    payment = milestone_fund_start(milestone=milestone, by=by)
    return payment_execute(payment=payment)


def milestone_fund_start(*, milestone: Milestone, by: User) -> Payment:
    """The first step of :func:`milestone_fund_by_card`: mark the milestone funding and write
    the payment, in one transaction. The payment handlers below finish the funding."""
    with transaction.atomic():
        contract, milestone = lock_milestone(milestone)
        _check_fundable(contract, milestone, by)
        move_milestone(milestone, MilestoneStatus.FUNDING, by=by, event="milestone.funding")
        return payment_start(
            user_id=contract.client_id,
            kind=PaymentKind.FUND,
            amount=milestone.gross,
            currency=contract.currency,
            cause_type="milestone",
            cause_id=str(milestone.pk),
        )


def _check_fundable(contract: Contract, milestone: Milestone, by: User) -> None:
    check_allowed(
        Action.FUND,
        role=role_of(contract, by),
        contract=contract,
        milestone=MilestoneState(status=milestone.status),
    )


def _hold(
    contract: Contract, milestone: Milestone, *, extra: Sequence[TransferRequest] = ()
) -> None:
    client_wallet = wallet_account(user_id=contract.client_id, currency=contract.currency)
    escrow = account_open(
        code=contract.escrow_code, kind=AccountKind.ESCROW, currency=contract.currency
    )
    transfers_create(
        transfers=[
            *extra,
            TransferRequest(
                key=milestone.hold_key,
                kind=TransferKind.PENDING,
                debit_account_id=client_wallet.pk,
                credit_account_id=escrow.pk,
                amount=milestone.gross,
                currency=contract.currency,
                reason="fund",
                cause_type="milestone",
                cause_id=str(milestone.pk),
            ),
        ]
    )


def _funded(contract: Contract, milestone: Milestone, *, by: User | None, via: str) -> None:
    move_milestone(
        milestone, MilestoneStatus.FUNDED, by=by, event="milestone.funded", note={"via": via}
    )
    milestone.funded_at = timezone.now()
    milestone.save(update_fields=["funded_at"])
    notify(
        user=contract.worker,
        kind="milestone.funded",
        message=lambda: (
            _("The escrow for %(milestone)s is funded. You can start the work.")
            % {"milestone": milestone.title}
        ),
        url=contract_url(contract),
    )


def _fund_payment_succeeded(payment: Payment) -> None:
    """Card money arrived: it lands in the client's wallet and, in the same batch, is held."""
    top_up = card_money_in(payment)
    milestone = Milestone.objects.get(pk=int(payment.cause_id))
    contract, milestone = lock_milestone(milestone)
    if milestone.status == MilestoneStatus.FUNDING and milestone.gross == payment.amount:
        _hold(contract, milestone, extra=[top_up])
        _funded(contract, milestone, by=None, via="card")
    else:
        # The milestone moved on meanwhile: keep the money safe in the client's wallet.
        transfers_create(transfers=[top_up])


def _fund_payment_declined(payment: Payment) -> None:
    milestone = Milestone.objects.get(pk=int(payment.cause_id))
    contract, milestone = lock_milestone(milestone)
    if milestone.status == MilestoneStatus.FUNDING:
        move_milestone(
            milestone,
            MilestoneStatus.UNFUNDED,
            by=None,
            event="milestone.funding_declined",
            note={"decline_code": payment.decline_code},
        )
        notify(
            user=contract.client,
            kind="milestone.funding_declined",
            message=lambda: (
                _("The payment for %(milestone)s was declined. Nothing was charged.")
                % {"milestone": milestone.title}
            ),
            url=contract_url(contract),
        )


on_payment(PaymentKind.FUND, succeeded=_fund_payment_succeeded, declined=_fund_payment_declined)
