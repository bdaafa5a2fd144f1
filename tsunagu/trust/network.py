"""Network trust on the platform's own records: the graph read from the database, the engine
run over it, and the result swapped in at once.

The graph's edges are completed paid contracts (the fees released, both directions, weighted by
the stars each side gave in published reviews), plus the endorsements and introductions that
other apps register in ``sources``. Accounts that pay out to one bank account form a
*shared group*, whose contracts among themselves count for little. Seeds are
chosen by the engine's rule (``engine.seeds_choose``) from each person's identity level, months
on the platform, paid contracts and trouble; until someone qualifies there is no network trust,
and scores say so rather than guess.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable

import numpy as np
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.accounts.selectors import verified_levels_for
from tsunagu.contracts.models import Milestone
from tsunagu.contracts.states import PAID
from tsunagu.payments.models import BankAccount
from tsunagu.trust import engine, sources
from tsunagu.trust.facts import facts_for
from tsunagu.trust.models import NetworkRun, NetworkRunStatus, NetworkTrust, Review
from tsunagu.trust.rules import ReviewedRole
from tsunagu.trust.scoring import Role

logger = logging.getLogger(__name__)

# progress(stage, done, total): the command draws a bar from it, the run row keeps the numbers.
Progress = Callable[[str, int, int], None]


def identity_level(levels: set[str]) -> int:
    """The engine's identity level: 0 nothing checked, 1 e-mail or phone, 2 an identity
    document checked by staff, 3 that and a verified real name or face photo."""
    if "identity_document" in levels:
        return 3 if levels & {"real_name", "face_photo"} else 2
    return 1 if levels & {"email", "phone"} else 0


def _contracts() -> list[engine.Contract]:
    paid = (
        Milestone.objects.filter(status__in=PAID, released_amount__gt=0)
        .values("contract_id", "contract__client_id", "contract__worker_id")
        .annotate(value=Sum("released_amount"))
        .order_by("contract_id")
    )
    stars: dict[tuple[int, str], int] = {
        (contract_id, role): value
        for contract_id, role, value in Review.objects.filter(
            revealed_at__isnull=False
        ).values_list("contract_id", "subject_role", "stars")
    }
    return [
        engine.Contract(
            client=str(row["contract__client_id"]),
            worker=str(row["contract__worker_id"]),
            value=int(row["value"]),
            client_stars=stars.get((row["contract_id"], ReviewedRole.WORKER)),
            worker_stars=stars.get((row["contract_id"], ReviewedRole.CLIENT)),
        )
        for row in paid
    ]


def _shared_groups() -> list[list[str]]:
    """Accounts that pay out to one bank account (a phone number can belong to one account
    only, so it cannot be shared)."""
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for user_id, *account in BankAccount.objects.values_list(
        "user_id", "bank_name", "branch_name", "account_type", "account_number"
    ):
        groups[("bank", *(str(part).strip() for part in account))].append(str(user_id))
    return [sorted(set(members)) for members in groups.values() if len(set(members)) > 1]


def _person_facts(user_ids: list[int]) -> list[engine.PersonFacts]:
    now = timezone.now()
    levels = verified_levels_for(user_ids=user_ids)
    joined = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "date_joined"))
    as_worker = facts_for(user_ids=user_ids, role=Role.WORKER)
    as_client = facts_for(user_ids=user_ids, role=Role.CLIENT)
    return [
        engine.PersonFacts(
            person=str(pk),
            identity_level=identity_level(levels.get(pk, set())),
            months_of_history=max(0, (now - joined[pk]).days // 30),
            completed_contracts=as_worker[pk].completed_contracts
            + as_client[pk].completed_contracts,
            # any trouble (a lost dispute or a cancellation after work started) rules a seed out
            disputes_lost=as_worker[pk].troubled + as_client[pk].troubled,
        )
        for pk in user_ids
    ]


def percentiles(scores: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    """For each node in ``ranked``, the share of the others in ``ranked`` with a lower score."""
    values = scores[ranked]
    if values.size <= 1:
        return np.ones(values.size)
    order = np.sort(values)
    below = np.searchsorted(order, values, side="left")
    return below / (values.size - 1)


def network_trust_recompute(*, progress: Progress | None = None) -> NetworkRun:
    """The full recompute: read the graph, run the engine, then replace every person's network
    trust in one transaction (readers see the old result or the new one, never a mix)."""
    run = NetworkRun.objects.create()
    try:
        return _recompute(run, progress or (lambda stage, done, total: None))
    except Exception as exc:
        NetworkRun.objects.filter(pk=run.pk).update(
            status=NetworkRunStatus.FAILED, finished_at=timezone.now(), error=repr(exc)[:2000]
        )
        raise


def _recompute(run: NetworkRun, progress: Progress) -> NetworkRun:
    user_ids = sorted(User.objects.filter(is_active=True).values_list("pk", flat=True))
    progress("read", 0, 3)
    contracts = _contracts()
    progress("read", 1, 3)
    shared = _shared_groups()
    progress("read", 2, 3)
    people = _person_facts(user_ids)
    endorsements, referrals = sources.edges()
    progress("read", 3, 3)
    graph = engine.local_trust(
        nodes=[str(pk) for pk in user_ids],
        contracts=contracts,
        endorsements=endorsements,
        referrals=referrals,
        shared_groups=shared,
    )
    seeds = [graph.index(node) for node in engine.seeds_choose(people)]
    run.people, run.edges, run.seeds = graph.size, int(graph.inbound.nnz), len(seeds)
    with_paid_work = np.array(
        sorted(graph.index(f.person) for f in people if f.completed_contracts > 0),
        dtype=np.int64,
    )
    rows: list[NetworkTrust] = []
    if seeds and graph.size:

        def step(iteration: int, residual: float) -> None:
            progress("rank", iteration, engine.MAX_ITERATIONS)

        result = engine.global_trust(graph, seeds, progress=step)
        run.iterations, run.residual = result.iterations, result.residual
        ranks = percentiles(result.scores, with_paid_work)
        rows = [
            NetworkTrust(
                user_id=int(graph.nodes[node]),
                run=run,
                score=float(result.scores[node]),
                percentile=float(rank),
            )
            for node, rank in zip(with_paid_work.tolist(), ranks.tolist(), strict=True)
        ]
    progress("store", 0, 1)
    with transaction.atomic():
        NetworkTrust.objects.all().delete()
        NetworkTrust.objects.bulk_create(rows, batch_size=2000)
        run.status = NetworkRunStatus.DONE
        run.finished_at = timezone.now()
        run.save()
    progress("store", 1, 1)
    logger.info("network trust: %d people, %d edges, %d seeds", run.people, run.edges, run.seeds)
    return run


def network_percentiles(user_ids: list[int]) -> dict[int, float]:
    """The people's percentile from the last finished run (absent: not in the network yet)."""
    return dict(
        NetworkTrust.objects.filter(user_id__in=user_ids).values_list("user_id", "percentile")
    )


# How often the full recompute runs by itself, and how long a run may look busy before another
# may start (a worker that died mid-run leaves a "running" row behind).
RECOMPUTE_EVERY = datetime.timedelta(hours=24)
RUN_STALE_AFTER = datetime.timedelta(hours=2)


def network_trust_due(*, now: datetime.datetime | None = None) -> bool:
    """Whether the periodic tick should start a full recompute now."""
    now = now or timezone.now()
    if NetworkRun.objects.filter(
        status=NetworkRunStatus.RUNNING, started_at__gt=now - RUN_STALE_AFTER
    ).exists():
        return False
    return not NetworkRun.objects.filter(
        status=NetworkRunStatus.DONE, finished_at__gt=now - RECOMPUTE_EVERY
    ).exists()


def network_trust_refresh(*, progress: Progress | None = None) -> NetworkRun:
    """Recompute network trust, then the stored scores of everyone with paid work (which also
    catches any refresh that failed after a payment or a reveal)."""
    from tsunagu.trust.scores import trust_scores_refresh

    run = network_trust_recompute(progress=progress)
    paid = Milestone.objects.filter(status__in=PAID, released_amount__gt=0)
    people = {
        pk
        for pair in paid.values_list("contract__client_id", "contract__worker_id").distinct()
        for pk in pair
    }
    trust_scores_refresh(user_ids=people)
    return run
