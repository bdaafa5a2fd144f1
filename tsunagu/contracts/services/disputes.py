"""Disputes: a party opens one on a funded milestone, staff decide how much is released."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.models import Dispute, DisputeStatus, Milestone, ProposalStatus
from tsunagu.contracts.services.settlement import check_release_amount, settle
from tsunagu.contracts.services.shared import (
    check_allowed,
    contract_url,
    lock_milestone,
    move_milestone,
    role_of,
)
from tsunagu.contracts.states import Action, MilestoneState, MilestoneStatus
from tsunagu.notifications.services import notify


def dispute_open(*, milestone: Milestone, by: User, reason: str) -> Dispute:
    if not reason.strip() or len(reason) > 5000:
        raise ValidationError({"reason": [_("Describe the problem in at most 5,000 characters.")]})
    with transaction.atomic():
        contract, milestone = lock_milestone(milestone)
        check_allowed(
            Action.DISPUTE,
            role=role_of(contract, by),
            contract=contract,
            milestone=MilestoneState(status=milestone.status),
        )
        dispute = Dispute.objects.create(
            milestone=milestone,
            opened_by=by,
            reason=reason.strip(),
            previous_status=milestone.status,
        )
        milestone.cancellations.filter(status=ProposalStatus.OPEN).update(
            status=ProposalStatus.WITHDRAWN, decided_at=timezone.now()
        )
        move_milestone(milestone, MilestoneStatus.DISPUTED, by=by, event="milestone.disputed")
        other = contract.other_party(by.pk)
        notify(
            user=other,
            kind="milestone.disputed",
            message=lambda: (
                _(
                    "A dispute was opened on %(milestone)s. Staff will review the conversation and decide."
                )
                % {"milestone": milestone.title}
            ),
            url=contract_url(contract),
        )
    return dispute


def dispute_decide(*, dispute: Dispute, by: User, release_amount: int, note: str) -> Dispute:
    """Staff decide: how much of the fee the worker receives; the rest is refunded."""
    if not by.is_staff:
        raise ContractError.refuse("not_staff")
    if not note.strip():
        raise ValidationError({"note": [_("Explain the decision; both parties will see it.")]})
    with transaction.atomic():
        contract, milestone = lock_milestone(dispute.milestone)
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if dispute.status != DisputeStatus.OPEN or milestone.status != MilestoneStatus.DISPUTED:
            raise ContractError.refuse("wrong_state")
        check_release_amount(release_amount, milestone)
        dispute.status = DisputeStatus.DECIDED
        dispute.release_amount = release_amount
        dispute.decision_note = note.strip()
        dispute.decided_by = by
        dispute.decided_at = timezone.now()
        dispute.save()
        settle(contract, milestone, release_amount=release_amount, by=by, event="dispute.decided")
        for party in (contract.client, contract.worker):
            notify(
                user=party,
                kind="dispute.decided",
                message=lambda: (
                    _("Staff decided the dispute on %(milestone)s.")
                    % {"milestone": milestone.title}
                ),
                url=contract_url(contract),
            )
    return dispute
