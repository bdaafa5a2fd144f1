"""Invariants of the ledger, verified from the transfers themselves (``tsunagu ledger check``).

1. Per currency, the sums of debits and of credits over all accounts are equal (posted and
   pending separately).
2. Each account's four totals equal the sums of its transfers.
3. No account flagged "debits must not exceed credits" is below zero, counting holds (and the
   mirror rule).
4. Checks that other apps register (``register``), e.g. each funded escrow equals the
   contract's unreleased amount.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Q, Sum

from tsunagu.ledger.models import Account, Transfer, TransferKind


@dataclass(frozen=True)
class Problem:
    check: str
    subject: str
    detail: str

    def __str__(self) -> str:
        return f"{self.check}: {self.subject}: {self.detail}"


_EXTRA: dict[str, Callable[[], Iterator[Problem]]] = {}


def register(
    name: str,
) -> Callable[[Callable[[], Iterator[Problem]]], Callable[[], Iterator[Problem]]]:
    def add(func: Callable[[], Iterator[Problem]]) -> Callable[[], Iterator[Problem]]:
        _EXTRA[name] = func
        return func

    return add


TOTALS = ("debits_pending", "debits_posted", "credits_pending", "credits_posted")


def recomputed_totals() -> dict[int, dict[str, int]]:
    """Every account's totals summed from the transfers, in four grouped queries."""
    totals: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TOTALS, 0))
    posted = Q(kind__in=[TransferKind.SINGLE, TransferKind.POST])
    open_hold = Q(kind=TransferKind.PENDING, resolutions__isnull=True)
    for side in ("debit", "credit"):
        for name, condition in (("posted", posted), ("pending", open_hold)):
            rows = (
                Transfer.objects.filter(condition)
                .values(f"{side}_account_id")
                .annotate(total=Sum("amount"))
                .order_by()
            )
            for row in rows:
                totals[row[f"{side}_account_id"]][f"{side}s_{name}"] = int(row["total"] or 0)
    return totals


def run_checks() -> list[Problem]:
    problems: list[Problem] = []
    accounts = list(Account.objects.order_by("pk"))

    by_currency: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TOTALS, 0))
    for account in accounts:
        for field in TOTALS:
            by_currency[account.currency][field] += getattr(account, field)
    for currency, sums in sorted(by_currency.items()):
        for state in ("posted", "pending"):
            if sums[f"debits_{state}"] != sums[f"credits_{state}"]:
                problems.append(
                    Problem(
                        "balanced",
                        currency,
                        f"{state} debits {sums[f'debits_{state}']} != credits {sums[f'credits_{state}']}",
                    )
                )

    recomputed = recomputed_totals()
    known = set()
    for account in accounts:
        known.add(account.pk)
        expected = recomputed.get(account.pk, dict.fromkeys(TOTALS, 0))
        for field in TOTALS:
            if getattr(account, field) != expected[field]:
                problems.append(
                    Problem(
                        "totals",
                        account.code,
                        f"{field} is {getattr(account, field)}, transfers sum to {expected[field]}",
                    )
                )
                break
        if account.debits_must_not_exceed_credits and (
            account.debits_pending + account.debits_posted > account.credits_posted
        ):
            problems.append(Problem("limits", account.code, f"below zero: {account.available}"))
        if account.credits_must_not_exceed_debits and (
            account.credits_pending + account.credits_posted > account.debits_posted
        ):
            problems.append(Problem("limits", account.code, "credits exceed debits"))
    for pk in sorted(set(recomputed) - known):
        problems.append(Problem("totals", f"account #{pk}", "transfers name a missing account"))

    for _name, check in sorted(_EXTRA.items()):
        problems.extend(check())
    return problems
