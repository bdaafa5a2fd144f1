"""What every stage shares: the locks, taken in one order, and the audited status moves."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tsunagu.accounts.models import User
from tsunagu.audit.services import audit_record
from tsunagu.contracts.errors import ContractError
from tsunagu.contracts.models import Contract, Milestone, Terms
from tsunagu.contracts.states import (
    CONTRACT_TRANSITIONS,
    MILESTONE_TRANSITIONS,
    Action,
    ContractState,
    MilestoneState,
    Role,
    can_move,
    refusal,
)


def lock_contract(pk: int) -> Contract:
    return Contract.objects.select_for_update().select_related("client", "worker").get(pk=pk)


def lock_milestone(milestone: Milestone) -> tuple[Contract, Milestone]:
    """Lock the contract, then the milestone: the one order every action uses."""
    contract_id = (
        milestone.contract_id
        if milestone.contract_id
        else Milestone.objects.values_list("contract_id", flat=True).get(pk=milestone.pk)
    )
    contract = lock_contract(contract_id)
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    locked.contract = contract
    return contract, locked


def role_of(contract: Contract, user: User) -> Role:
    return Role.of(client_id=contract.client_id, worker_id=contract.worker_id, user_id=user.pk)


def check_allowed(
    action: Action,
    *,
    role: Role,
    contract: Contract,
    milestone: MilestoneState | None = None,
    milestone_statuses: tuple[str, ...] = (),
) -> None:
    """Refuse ``action`` with the code of its rule in ``states.refusal``, if it is not allowed."""
    state = ContractState(status=contract.status, milestone_statuses=milestone_statuses)
    code = refusal(action, role=role, contract=state, milestone=milestone)
    if code is not None:
        raise ContractError.refuse(code)


def contract_terms(contract: Contract) -> dict[str, Any]:
    data: dict[str, Any] = Terms.objects.values_list("data", flat=True).get(contract=contract)
    return data


def move_contract(contract: Contract, target: str, *, by: User | None, event: str) -> None:
    if not can_move(CONTRACT_TRANSITIONS, contract.status, target):
        raise ContractError.refuse("wrong_state")
    before = contract.status
    contract.status = target
    contract.save(update_fields=["status"])
    audit_record(
        actor=by, subject=contract, event=event, before={"status": before}, after={"status": target}
    )


def move_milestone(
    milestone: Milestone,
    target: str,
    *,
    by: User | None,
    event: str,
    note: dict[str, Any] | None = None,
) -> None:
    if not can_move(MILESTONE_TRANSITIONS, milestone.status, target):
        raise ContractError.refuse("wrong_state")
    before = milestone.status
    milestone.status = target
    milestone.save(update_fields=["status"])
    audit_record(
        actor=by,
        subject=milestone.contract,
        event=event,
        before={"milestone": milestone.pk, "status": before},
        after={"milestone": milestone.pk, "status": target, **(note or {})},
    )


def contract_url(contract: Contract) -> str:
    return reverse("contracts:detail", args=[contract.pk])
