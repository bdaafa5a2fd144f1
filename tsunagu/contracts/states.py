"""Statuses of contracts and milestones, the transitions each service may make, and who may do
what next.

:func:`refusal` is the one statement of each action's rule: who may take it and at which stage,
checked in the order the services check, with the error code they refuse with. The services ask
it under their locks; the contract page asks :func:`allowed_actions` which buttons to show. The
rules read only the plain facts in :class:`ContractState` and :class:`MilestoneState`, never the
database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractStatus(models.TextChoices):
    OFFERED = "offered", _("offer sent")
    DECLINED = "declined", _("offer declined")
    ACTIVE = "active", _("in progress")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class MilestoneStatus(models.TextChoices):
    UNFUNDED = "unfunded", _("waiting for escrow")
    FUNDING = "funding", _("payment processing")
    FUNDED = "funded", _("escrow funded: work can start")
    DELIVERED = "delivered", _("delivered: under inspection")
    REVISION_REQUESTED = "revision_requested", _("revision requested")
    DISPUTED = "disputed", _("in dispute")
    RELEASED = "released", _("accepted and paid")
    SETTLED = "settled", _("settled: partly paid, partly refunded")
    REFUNDED = "refunded", _("refunded")
    CANCELLED = "cancelled", _("cancelled")


CONTRACT_TRANSITIONS: dict[str, set[str]] = {
    ContractStatus.OFFERED: {
        ContractStatus.ACTIVE,
        ContractStatus.DECLINED,
        ContractStatus.CANCELLED,
    },
    ContractStatus.ACTIVE: {ContractStatus.COMPLETED, ContractStatus.CANCELLED},
    ContractStatus.DECLINED: set(),
    ContractStatus.COMPLETED: set(),
    ContractStatus.CANCELLED: set(),
}

M = MilestoneStatus
MILESTONE_TRANSITIONS: dict[str, set[str]] = {
    M.UNFUNDED: {M.FUNDING, M.FUNDED, M.CANCELLED},
    M.FUNDING: {M.FUNDED, M.UNFUNDED},
    M.FUNDED: {M.DELIVERED, M.DISPUTED, M.RELEASED, M.SETTLED, M.REFUNDED},
    M.DELIVERED: {M.REVISION_REQUESTED, M.RELEASED, M.DISPUTED, M.SETTLED, M.REFUNDED},
    M.REVISION_REQUESTED: {M.DELIVERED, M.RELEASED, M.DISPUTED, M.SETTLED, M.REFUNDED},
    M.DISPUTED: {M.RELEASED, M.SETTLED, M.REFUNDED},
    M.RELEASED: set(),
    M.SETTLED: set(),
    M.REFUNDED: set(),
    M.CANCELLED: set(),
}

# Milestones whose money is in escrow right now.
ESCROWED = frozenset({M.FUNDED, M.DELIVERED, M.REVISION_REQUESTED, M.DISPUTED})
FINAL = frozenset({M.RELEASED, M.SETTLED, M.REFUNDED, M.CANCELLED})


def can_move(table: dict[str, set[str]], current: str, target: str) -> bool:
    return target in table.get(current, set())


# --- who may do what next ---------------------------------------------------------------------


class Role(StrEnum):
    """The part a person plays on one contract."""

    CLIENT = "client"
    WORKER = "worker"
    OTHER = "other"  # staff or anyone else: may look (staff), never act as a party

    @classmethod
    def of(cls, *, client_id: int, worker_id: int, user_id: int | None) -> Role:
        if user_id is not None and user_id == client_id:
            return cls.CLIENT
        if user_id is not None and user_id == worker_id:
            return cls.WORKER
        return cls.OTHER

    @property
    def is_party(self) -> bool:
        return self is not Role.OTHER


class Action(StrEnum):
    # On the contract
    ACCEPT_TERMS = "accept_terms"
    DECLINE = "decline"
    CANCEL = "cancel"  # the whole contract, while no money is held
    # On one milestone
    FUND = "fund"
    DELIVER = "deliver"
    REQUEST_REVISION = "request_revision"
    ACCEPT = "accept"
    PROPOSE_CANCELLATION = "propose_cancellation"
    DISPUTE = "dispute"


CONTRACT_ACTIONS = (Action.ACCEPT_TERMS, Action.DECLINE, Action.CANCEL)
MILESTONE_ACTIONS = (
    Action.FUND,
    Action.DELIVER,
    Action.REQUEST_REVISION,
    Action.ACCEPT,
    Action.PROPOSE_CANCELLATION,
    Action.DISPUTE,
)
PAID = frozenset({M.RELEASED, M.SETTLED})


@dataclass(frozen=True)
class ContractState:
    status: str
    # Every milestone's status: cancelling the contract depends on all of them.
    milestone_statuses: tuple[str, ...] = ()

    @property
    def cancel_target(self) -> str:
        """Cancelling ends the remaining work; a contract with paid work ends as completed."""
        paid = any(s in PAID for s in self.milestone_statuses)
        return ContractStatus.COMPLETED if paid else ContractStatus.CANCELLED


@dataclass(frozen=True)
class MilestoneState:
    status: str
    revisions_left: int = 0
    open_cancellation: bool = False  # a cancellation by agreement waits for an answer

    @property
    def open_for_settlement(self) -> bool:
        """Money in escrow that a cancellation or a dispute can still settle."""
        return self.status in ESCROWED and self.status != M.DISPUTED


def refusal(
    action: Action,
    *,
    role: Role,
    contract: ContractState,
    milestone: MilestoneState | None = None,
) -> str | None:
    """The error code ``action`` is refused with now, or None when it is allowed."""
    if action in (Action.ACCEPT_TERMS, Action.DECLINE):
        target = ContractStatus.ACTIVE if action is Action.ACCEPT_TERMS else ContractStatus.DECLINED
        if role is not Role.WORKER:
            return "not_the_worker"
        return None if can_move(CONTRACT_TRANSITIONS, contract.status, target) else "wrong_state"
    if action is Action.CANCEL:
        if not role.is_party:
            return "not_a_party"
        if M.FUNDING in contract.milestone_statuses:
            return "payment_in_progress"
        if any(s in ESCROWED for s in contract.milestone_statuses):
            return "money_in_escrow"
        if not can_move(CONTRACT_TRANSITIONS, contract.status, contract.cancel_target):
            return "wrong_state"
        return None
    if milestone is None:
        raise ValueError(f"{action} is an action on a milestone")
    return _milestone_refusal(action, role=role, contract=contract, milestone=milestone)


def _milestone_refusal(
    action: Action, *, role: Role, contract: ContractState, milestone: MilestoneState
) -> str | None:
    status = milestone.status
    if action is Action.FUND:
        if role is not Role.CLIENT:
            return "not_the_client"
        if contract.status != ContractStatus.ACTIVE or status != M.UNFUNDED:
            return "payment_in_progress" if status == M.FUNDING else "wrong_state"
        return None
    if action is Action.DELIVER:
        if role is not Role.WORKER:
            return "not_the_worker"
        if status in (M.UNFUNDED, M.FUNDING):
            return "not_funded"
        return None if status in (M.FUNDED, M.REVISION_REQUESTED) else "wrong_state"
    if action in (Action.REQUEST_REVISION, Action.ACCEPT):
        if role is not Role.CLIENT:
            return "not_the_client"
        if status != M.DELIVERED:
            return "wrong_state"
        if action is Action.REQUEST_REVISION and milestone.revisions_left <= 0:
            return "revision_limit"
        return None
    # A cancellation by agreement or a dispute: either party, while the money is in escrow.
    if not role.is_party:
        return "not_a_party"
    if not milestone.open_for_settlement:
        return "wrong_state"
    if action is Action.PROPOSE_CANCELLATION and milestone.open_cancellation:
        return "open_request"
    return None


def allowed_actions(
    contract: ContractState, milestone: MilestoneState | None, role: Role
) -> frozenset[Action]:
    """What ``role`` may do now: on the contract when ``milestone`` is None, else on it."""
    actions: Iterable[Action] = CONTRACT_ACTIONS if milestone is None else MILESTONE_ACTIONS
    return frozenset(
        action
        for action in actions
        if refusal(action, role=role, contract=contract, milestone=milestone) is None
    )
