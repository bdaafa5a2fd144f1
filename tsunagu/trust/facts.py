"""The facts a trust score is computed from, read from contracts, the audit log and accounts.

``facts_for`` reads many people at once in a constant number of queries, so that lists (workers,
proposals) can show each person's score. Only paid work counts: a contract is *completed and
paid* when at least one of its milestones released money to the worker.

The rules read here, in one place:
- on time: a milestone delivered (its latest delivery) on or before its delivery date, in the
  platform's time zone;
- trouble: a contract cancelled after the terms were accepted, and a dispute decided against the
  person (for the worker, less than half the fee released; for the client, more than half);
- payment reliability (clients): each milestone funded within ``PROMPT_FUNDING_DAYS`` of the
  terms' acceptance (or of the previous milestone's close), and each delivery accepted by the
  client rather than accepted automatically after the inspection period ran out.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from tsunagu.accounts.selectors import verified_levels_for
from tsunagu.audit.models import AuditEvent
from tsunagu.contracts.models import Contract, Dispute, DisputeStatus, Milestone
from tsunagu.contracts.states import PAID, ContractStatus, MilestoneStatus
from tsunagu.proposals.models import ResponseTime
from tsunagu.trust.scoring import Facts, Role
from tsunagu.trust.sources import Contribution

PROMPT_FUNDING_DAYS = 7


@dataclass
class _Tally:
    paid_contracts: set[int] = field(default_factory=set)
    value: int = 0
    on_time: int = 0
    on_time_total: int = 0
    payment_ok: int = 0
    payment_total: int = 0
    troubled: int = 0
    with_counterparty: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))


def facts_for(
    *,
    user_ids: Iterable[int],
    role: Role,
    stars: Mapping[int, Sequence[int]] | None = None,
    network: Mapping[int, float] | None = None,
    contributions: Mapping[int, Contribution] | None = None,
) -> dict[int, Facts]:
    """Each person's facts in ``role``; ``stars`` and ``network`` come from reviews and the graph,
    ``contributions`` from the apps registered in ``trust.sources`` (communities, Q&A). ``network``
    must also hold the percentiles of the people who endorsed them."""
    ids = sorted({int(pk) for pk in user_ids})
    if not ids:
        return {}
    party = "contract__worker_id" if role is Role.WORKER else "contract__client_id"
    other = "contract__client_id" if role is Role.WORKER else "contract__worker_id"
    rows = list(
        Milestone.objects.filter(**{f"{party}__in": ids})
        .order_by("contract_id", "position")
        .values_list(
            "pk",
            "contract_id",
            party,
            other,
            "status",
            "amount",
            "released_amount",
            "due_date",
            "delivered_at",
            "funded_at",
            "closed_at",
            "contract__accepted_at",
            "contract__status",
        )
    )
    milestone_ids = [row[0] for row in rows]
    amounts = {row[0]: row[5] for row in rows}
    lost = _lost_disputes(milestone_ids, amounts, role)
    # The move is audited on the contract, with the milestone named in ``after``.
    auto_accepted = {
        int(after["milestone"])
        for after in AuditEvent.objects.filter(
            subject_type=Contract._meta.label_lower,
            subject_id__in=sorted({str(row[1]) for row in rows}),
            event="milestone.auto_accepted",
        ).values_list("after", flat=True)
        if isinstance(after, dict) and "milestone" in after
    }
    tallies: dict[int, _Tally] = {pk: _Tally() for pk in ids}
    cancelled_after_start: set[tuple[int, int]] = set()
    previous_close: dict[int, datetime.datetime | None] = {}
    for (
        pk,
        contract_id,
        person,
        counterparty,
        status,
        _amount,
        released,
        due,
        delivered_at,
        funded_at,
        closed_at,
        accepted_at,
        contract_status,
    ) in rows:
        tally = tallies[person]
        if status in PAID and released > 0:
            tally.paid_contracts.add(contract_id)
            tally.value += released
            tally.with_counterparty[counterparty].add(contract_id)
        if (
            role is Role.WORKER
            and delivered_at is not None
            and status in (*PAID, MilestoneStatus.DELIVERED)
        ):
            tally.on_time_total += 1
            tally.on_time += timezone.localtime(delivered_at).date() <= due
        if role is Role.CLIENT:
            start = previous_close.get(contract_id) or accepted_at
            if funded_at is not None and start is not None:
                tally.payment_total += 1
                tally.payment_ok += funded_at - start <= datetime.timedelta(
                    days=PROMPT_FUNDING_DAYS
                )
            if status in PAID and delivered_at is not None:
                tally.payment_total += 1
                tally.payment_ok += pk not in auto_accepted
            previous_close[contract_id] = closed_at
        if contract_status == ContractStatus.CANCELLED and accepted_at is not None:
            cancelled_after_start.add((person, contract_id))
        tally.troubled += pk in lost
    for person, _contract_id in cancelled_after_start:
        tallies[person].troubled += 1
    levels = verified_levels_for(user_ids=ids)
    replies = {
        user_id: seconds
        for user_id, seconds in ResponseTime.objects.filter(user_id__in=ids).values_list(
            "user_id", "median_seconds"
        )
        if seconds is not None
    }
    return {
        pk: Facts(
            role=role,
            identity=frozenset(levels.get(pk, set())),
            completed_contracts=len(t.paid_contracts),
            completed_value=t.value,
            on_time=t.on_time,
            on_time_total=t.on_time_total,
            payment_ok=t.payment_ok,
            payment_total=t.payment_total,
            troubled=t.troubled,
            response_hours=replies[pk] / 3600 if pk in replies else None,
            stars=tuple((stars or {}).get(pk, ())),
            repeat_counterparties=sum(1 for c in t.with_counterparty.values() if len(c) > 1),
            counterparties=len(t.with_counterparty),
            network_percentile=(network or {}).get(pk),
            **_community(pk, (contributions or {}).get(pk), network or {}),
        )
        for pk, t in tallies.items()
    }


def _community(
    pk: int, contribution: Contribution | None, network: Mapping[int, float]
) -> dict[str, Any]:
    if contribution is None:
        return {}
    endorsers = contribution.endorsers - {pk}
    return {
        "endorsers": len(endorsers),
        # an endorser counts by their own standing in the network: nothing without network trust
        "endorsement_strength": sum(network.get(other, 0.0) for other in endorsers),
        "activities": contribution.activities,
        "answers": contribution.answers,
        "best_answers": contribution.best_answers,
    }


def _lost_disputes(milestone_ids: list[int], amounts: Mapping[int, int], role: Role) -> set[int]:
    lost: set[int] = set()
    decided = Dispute.objects.filter(
        milestone_id__in=milestone_ids, status=DisputeStatus.DECIDED, release_amount__isnull=False
    ).values_list("milestone_id", "release_amount")
    for milestone_id, released in decided:
        if released is None:
            continue
        share = released * 2
        amount = amounts[milestone_id]
        if (role is Role.WORKER and share < amount) or (role is Role.CLIENT and share > amount):
            lost.add(milestone_id)
    return lost
