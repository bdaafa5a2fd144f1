"""Money out of escrow: acceptance (by the client or when the inspection period ends), and
the release and refund every ending of a funded milestone shares."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.contracts import fees
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.models import Contract, Milestone
from tsunagu.contracts.services.shared import (
    check_allowed,
    contract_terms,
    lock_milestone,
    move_contract,
    move_milestone,
    role_of,
)
from tsunagu.contracts.signals import milestone_paid
from tsunagu.contracts.states import (
    FINAL,
    Action,
    ContractStatus,
    MilestoneState,
    MilestoneStatus,
    Role,
)
from tsunagu.ledger.models import AccountKind
from tsunagu.ledger.services import (
    TransferKind,
    TransferRequest,
    account_open,
    platform_account,
    transfers_create,
    wallet_account,
)
from tsunagu.notifications.services import notify


def milestone_accept(
    *, milestone: Milestone, by: User | None, now: datetime.datetime | None = None
) -> Milestone:
    """The client accepts the delivery (or the inspection period ended: ``by`` is None) and the
    worker is paid from escrow, less the platform fee and withholding tax."""
    with transaction.atomic():
        contract, milestone = lock_milestone(milestone)
        # The end of the inspection period accepts on the client's behalf.
        check_allowed(
            Action.ACCEPT,
            role=Role.CLIENT if by is None else role_of(contract, by),
            contract=contract,
            milestone=MilestoneState(status=milestone.status),
        )
        if by is None and (
            milestone.inspection_deadline is None
            or milestone.inspection_deadline > (now or timezone.now())
        ):
            raise ContractError.refuse("wrong_state")
        event = "milestone.accepted" if by is not None else "milestone.auto_accepted"
        settle(contract, milestone, release_amount=milestone.amount, by=by, event=event)
    return milestone


def milestones_auto_accept_due(*, now: datetime.datetime | None = None) -> int:
    """Accept deliveries whose inspection period has ended. Each fires once, whatever restarts."""
    now = now or timezone.now()
    due = Milestone.objects.filter(
        status=MilestoneStatus.DELIVERED, inspection_deadline__lte=now
    ).values_list("pk", flat=True)
    accepted = 0
    for pk in list(due[:200]):
        try:
            milestone_accept(milestone=Milestone(pk=pk), by=None, now=now)
        except ContractError:
            continue  # accepted, disputed or revised in the meantime
        accepted += 1
    return accepted


def check_release_amount(release_amount: int, milestone: Milestone) -> None:
    if isinstance(release_amount, bool) or not isinstance(release_amount, int):
        raise ValidationError({"release_amount": [_("Amounts are whole numbers of yen.")]})
    if not 0 <= release_amount <= milestone.amount:
        raise ValidationError(
            {"release_amount": [_("Choose an amount between ¥0 and the milestone's fee.")]}
        )


def settle(
    contract: Contract, milestone: Milestone, *, release_amount: int, by: User | None, event: str
) -> None:
    """Release ``release_amount`` (tax excluded) to the worker and refund the rest, in one batch."""
    escrow = account_open(
        code=contract.escrow_code, kind=AccountKind.ESCROW, currency=contract.currency
    )

    def transfer(**fields: Any) -> TransferRequest:
        return TransferRequest(
            cause_type="milestone", cause_id=str(milestone.pk), currency=contract.currency, **fields
        )

    if release_amount == 0:
        transfers_create(
            transfers=[
                transfer(
                    key=milestone.transfer_key("refund"),
                    kind=TransferKind.VOID,
                    pending_key=milestone.hold_key,
                    amount=0,
                    reason="refund",
                )
            ]
        )
        target = MilestoneStatus.REFUNDED
        split = None
    else:
        already = (
            contract.milestones.exclude(pk=milestone.pk).aggregate(total=Sum("released_amount"))[
                "total"
            ]
            or 0
        )
        tax = (
            milestone.tax
            if release_amount == milestone.amount
            else fees.consumption_tax(release_amount)
        )
        split = fees.release_split(
            amount=release_amount,
            tax=tax,
            already_released=already,
            withholding_applies=bool(contract_terms(contract)["withholding_applies"]),
        )
        worker_wallet = wallet_account(user_id=contract.worker_id, currency=contract.currency)
        transfers = [
            transfer(
                key=milestone.transfer_key("release"),
                kind=TransferKind.POST,
                pending_key=milestone.hold_key,
                amount=split.gross,
                reason="release",
            ),
            transfer(
                key=milestone.transfer_key("pay"),
                debit_account_id=escrow.pk,
                credit_account_id=worker_wallet.pk,
                amount=split.to_worker,
                reason="release",
            ),
        ]
        # Out of escrow besides the worker's share: the platform fee and the withholding tax.
        for key, kind, amount in (
            ("fee", AccountKind.PLATFORM_FEES, split.platform_fee),
            ("withholding", AccountKind.WITHHOLDING_PAYABLE, split.withholding),
        ):
            if amount:
                account = platform_account(kind=kind, currency=contract.currency)
                transfers.append(
                    transfer(
                        key=milestone.transfer_key(key),
                        debit_account_id=escrow.pk,
                        credit_account_id=account.pk,
                        amount=amount,
                        reason="platform_fee" if key == "fee" else key,
                    )
                )
        transfers_create(transfers=transfers)
        target = (
            MilestoneStatus.RELEASED
            if release_amount == milestone.amount
            else MilestoneStatus.SETTLED
        )
    milestone.released_amount = release_amount
    milestone.closed_at = timezone.now()
    milestone.save(update_fields=["released_amount", "closed_at"])
    note: dict[str, Any] = {"release_amount": release_amount}
    if split is not None:
        note.update(
            gross=split.gross,
            platform_fee=split.platform_fee,
            withholding=split.withholding,
            to_worker=split.to_worker,
        )
    move_milestone(milestone, target, by=by, event=event, note=note)
    if split is not None:
        ids = {"contract_id": contract.pk, "client_id": contract.client_id}
        ids["worker_id"] = contract.worker_id
        transaction.on_commit(lambda: milestone_paid.send_robust(sender=Milestone, **ids))
        to_worker = split.to_worker
        notify(
            user=contract.worker,
            kind="milestone.released",
            message=lambda: (
                _("¥%(amount)s for %(milestone)s was paid into your balance.")
                % {"amount": f"{to_worker:,}", "milestone": milestone.title}
            ),
            url=reverse("payments:wallet"),
        )
    if release_amount < milestone.amount:
        notify(
            user=contract.client,
            kind="milestone.refunded",
            message=lambda: (
                _("The unreleased part of %(milestone)s was returned to your balance.")
                % {"milestone": milestone.title}
            ),
            url=reverse("payments:wallet"),
        )
    _close_if_done(contract, by=by)


def _close_if_done(contract: Contract, *, by: User | None) -> None:
    statuses = list(contract.milestones.values_list("status", flat=True))
    if statuses and all(s in FINAL for s in statuses):
        paid = any(s in (MilestoneStatus.RELEASED, MilestoneStatus.SETTLED) for s in statuses)
        target = ContractStatus.COMPLETED if paid else ContractStatus.CANCELLED
        move_contract(contract, target, by=by, event=f"contract.{target}")
        contract.closed_at = timezone.now()
        contract.save(update_fields=["closed_at"])
