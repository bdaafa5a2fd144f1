"""Statuses of contracts and milestones, and the transitions each service may make."""

from __future__ import annotations

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
