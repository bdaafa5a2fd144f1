"""Closing an account: the person's proposals still waiting for an answer are withdrawn, and each
client is told, as when a worker withdraws one. Proposals that led to an offer stay (the contract
refers to them)."""

from __future__ import annotations

from tsunagu.accounts.models import User
from tsunagu.core.closing import closing_eraser_register
from tsunagu.proposals.models import Proposal, ProposalStatus
from tsunagu.proposals.services import proposal_withdraw

_WAITING = (ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED)


def withdraw_proposals(user_id: int) -> dict[str, int]:
    worker = User.objects.get(pk=user_id)
    waiting = list(Proposal.objects.filter(worker_id=user_id, status__in=_WAITING).order_by("pk"))
    for proposal in waiting:
        proposal_withdraw(proposal=proposal, by=worker)
    return {"proposals_withdrawn": len(waiting)}


closing_eraser_register("proposals", withdraw_proposals)
