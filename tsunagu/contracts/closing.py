"""Closing an account: refused while a contract of theirs is open or escrow is funded."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tsunagu.contracts.models import Contract, ContractStatus, Milestone, MilestoneStatus
from tsunagu.core.closing import closing_blocker_register

OPEN = [ContractStatus.OFFERED, ContractStatus.ACTIVE]
# Money the client paid in that is neither released nor refunded yet.
IN_ESCROW = [
    MilestoneStatus.FUNDING,
    MilestoneStatus.FUNDED,
    MilestoneStatus.DELIVERED,
    MilestoneStatus.REVISION_REQUESTED,
    MilestoneStatus.DISPUTED,
]


def open_contracts(user_id: int) -> Iterator[str]:
    party = Q(client_id=user_id) | Q(worker_id=user_id)
    count = Contract.objects.filter(party, status__in=OPEN).count()
    if count:
        yield ngettext("%(count)s open contract", "%(count)s open contracts", count) % {
            "count": count
        }
    held = Milestone.objects.filter(
        Q(contract__client_id=user_id) | Q(contract__worker_id=user_id), status__in=IN_ESCROW
    ).aggregate(amount=Sum("amount"), tax=Sum("tax"))
    total = int(held["amount"] or 0) + int(held["tax"] or 0)
    if total:
        yield _("¥%(amount)s in escrow") % {"amount": f"{total:,}"}


closing_blocker_register("contracts", open_contracts)
