"""The contracts' part of the ledger check: escrow holds exactly what funded milestones owe."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q

from tsunagu.contracts.models import Milestone
from tsunagu.contracts.states import ESCROWED
from tsunagu.ledger.checks import Problem, register
from tsunagu.ledger.models import Account, AccountKind


@register("escrow_matches_contracts")
def escrow_matches_contracts() -> Iterator[Problem]:
    """Each contract's escrow holds exactly the unreleased amount of its funded milestones."""
    expected: dict[int, int] = {}
    for contract_id, amount, tax in Milestone.objects.filter(status__in=ESCROWED).values_list(
        "contract_id", "amount", "tax"
    ):
        expected[contract_id] = expected.get(contract_id, 0) + amount + tax
    escrows = Account.objects.filter(kind=AccountKind.ESCROW).filter(
        Q(code__startswith="escrow:contract:")
    )
    seen: set[int] = set()
    for account in escrows.order_by("pk"):
        contract_id = int(account.code.split(":")[2])
        seen.add(contract_id)
        held = account.credits_pending - account.debits_pending
        if held != expected.get(contract_id, 0):
            yield Problem(
                "escrow",
                account.code,
                f"holds {held}, funded milestones of contract {contract_id} total {expected.get(contract_id, 0)}",
            )
        if account.balance != 0:
            yield Problem(
                "escrow", account.code, f"posted balance {account.balance} left in escrow"
            )
    for contract_id in sorted(set(expected) - seen):
        yield Problem(
            "escrow", f"contract {contract_id}", "funded milestones but no escrow account"
        )
