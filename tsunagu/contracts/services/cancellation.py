"""Cancelling: the whole contract while no money is held, or a funded milestone by agreement."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.audit.services import audit_record
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.models import CancellationRequest, Contract, Milestone, ProposalStatus
from tsunagu.contracts.services.settlement import check_release_amount, settle
from tsunagu.contracts.services.shared import (
    check_allowed,
    contract_url,
    lock_contract,
    lock_milestone,
    move_contract,
    role_of,
)
from tsunagu.contracts.states import (
    Action,
    ContractState,
    ContractStatus,
    MilestoneState,
    MilestoneStatus,
)
from tsunagu.notifications.services import notify


def contract_cancel(*, contract: Contract, by: User) -> Contract:
    """Cancel while no money is held: free of charge for both sides."""
    with transaction.atomic():
        contract = lock_contract(contract.pk)
        milestones = list(contract.milestones.select_for_update().order_by("pk"))
        state = ContractState(
            status=contract.status, milestone_statuses=tuple(m.status for m in milestones)
        )
        check_allowed(
            Action.CANCEL,
            role=role_of(contract, by),
            contract=contract,
            milestone_statuses=state.milestone_statuses,
        )
        # Work already paid for stays paid: such a contract ends as completed, not cancelled.
        target = state.cancel_target
        paid = target == ContractStatus.COMPLETED
        move_contract(contract, target, by=by, event="contract.cancelled")
        contract.milestones.filter(status=MilestoneStatus.UNFUNDED).update(
            status=MilestoneStatus.CANCELLED, closed_at=timezone.now()
        )
        if paid:
            contract.closed_at = timezone.now()
            contract.save(update_fields=["closed_at"])
        other = contract.other_party(by.pk)
        notify(
            user=other,
            kind="contract.cancelled",
            message=lambda: (
                (
                    _("The remaining work of %(title)s was cancelled; what was paid stays paid.")
                    if paid
                    else _("%(title)s was cancelled before any payment.")
                )
                % {"title": contract.title}
            ),
            url=contract_url(contract),
        )
    return contract


def cancellation_propose(
    *, milestone: Milestone, by: User, release_amount: int, reason: str
) -> CancellationRequest:
    if not reason.strip() or len(reason) > 2000:
        raise ValidationError({"reason": [_("Give a reason of at most 2,000 characters.")]})
    with transaction.atomic():
        contract, milestone = lock_milestone(milestone)
        check_allowed(
            Action.PROPOSE_CANCELLATION,
            role=role_of(contract, by),
            contract=contract,
            milestone=MilestoneState(
                status=milestone.status,
                open_cancellation=milestone.cancellations.filter(
                    status=ProposalStatus.OPEN
                ).exists(),
            ),
        )
        check_release_amount(release_amount, milestone)
        request = CancellationRequest.objects.create(
            milestone=milestone,
            requested_by=by,
            release_amount=release_amount,
            reason=reason.strip(),
        )
        audit_record(
            actor=by,
            subject=contract,
            event="cancellation.proposed",
            after={"milestone": milestone.pk, "release_amount": release_amount},
        )
        other = contract.other_party(by.pk)
        notify(
            user=other,
            kind="cancellation.proposed",
            message=lambda: (
                _("A cancellation of %(milestone)s was proposed. Please answer it.")
                % {"milestone": milestone.title}
            ),
            url=contract_url(contract),
        )
    return request


def cancellation_respond(
    *, request: CancellationRequest, by: User, accept: bool
) -> CancellationRequest:
    with transaction.atomic():
        contract, milestone = lock_milestone(request.milestone)
        request = CancellationRequest.objects.select_for_update().get(pk=request.pk)
        if not contract.is_party(by.pk):
            raise ContractError.refuse("not_a_party")
        if request.requested_by_id == by.pk:
            raise ContractError.refuse("own_request")
        if request.status != ProposalStatus.OPEN:
            raise ContractError.refuse("wrong_state")
        request.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_at"])
        if accept:
            if not MilestoneState(status=milestone.status).open_for_settlement:
                raise ContractError.refuse("wrong_state")
            settle(
                contract,
                milestone,
                release_amount=request.release_amount,
                by=by,
                event="milestone.cancelled_by_agreement",
            )
        else:
            audit_record(
                actor=by,
                subject=contract,
                event="cancellation.declined",
                after={"request": request.pk},
            )
    return request


def cancellation_withdraw(*, request: CancellationRequest, by: User) -> CancellationRequest:
    with transaction.atomic():
        request = CancellationRequest.objects.select_for_update().get(pk=request.pk)
        if request.requested_by_id != by.pk:
            raise ContractError.refuse("not_the_requester")
        if request.status != ProposalStatus.OPEN:
            raise ContractError.refuse("wrong_state")
        request.status = ProposalStatus.WITHDRAWN
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_at"])
    return request
