"""Network trust on the platform's own records: the graph read from the database, the engine
run over it, and the result swapped in at once.

The graph's edges are completed paid contracts (the fees released, both directions, weighted by
the stars each side gave in published reviews), plus the endorsements and introductions that
other apps register in ``sources``. Accounts that pay out to one bank account form a
*shared group*, and so do accounts that signed in from one browser (``accounts.devices``);
their contracts among themselves count for little. Seeds are
chosen by the engine's rule (``engine.seeds_choose``) from each person's identity level, months
on the platform, paid contracts and trouble; until someone qualifies there is no network trust,
and scores say so rather than guess.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from tsunagu.accounts.devices import shared_device_groups
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


def _contracts(*, touching: Sequence[int] | None = None) -> list[engine.Contract]:
    """Every paid contract as the engine sees it, or only those of the people ``touching``."""
    milestones = Milestone.objects.filter(status__in=PAID, released_amount__gt=0)
    if touching is not None:
        milestones = milestones.filter(
            Q(contract__client_id__in=touching) | Q(contract__worker_id__in=touching)
        )
    paid = list(
        milestones.values("contract_id", "contract__client_id", "contract__worker_id")
        .annotate(value=Sum("released_amount"))
        .order_by("contract_id")
    )
    reviews = Review.objects.filter(revealed_at__isnull=False)
    if touching is not None:
        reviews = reviews.filter(contract_id__in=[row["contract_id"] for row in paid])
    stars: dict[tuple[int, str], int] = {
        (contract_id, role): value
        for contract_id, role, value in reviews.values_list("contract_id", "subject_role", "stars")
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
    """Accounts that pay out to one bank account, and accounts that signed in from one browser
    (a phone number can belong to one account only, so it cannot be shared)."""
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for user_id, *account in BankAccount.objects.values_list(
        "user_id", "bank_name", "branch_name", "account_type", "account_number"
    ):
        groups[("bank", *(str(part).strip() for part in account))].append(str(user_id))
    banks = [sorted(set(members)) for members in groups.values() if len(set(members)) > 1]
    devices = [[str(pk) for pk in members] for members in shared_device_groups()]
    return banks + devices


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


def _recorder(run: NetworkRun, progress: Progress) -> Progress:
    """Progress that also lands on the run's row, for the staff page that follows it: at each
    new stage and at most every ``PROGRESS_EVERY`` seconds within one."""
    last_stage = [""]
    last_at = [0.0]

    def record(stage: str, done: int, total: int) -> None:
        progress(stage, done, total)
        now = time.monotonic()
        if stage == last_stage[0] and now - last_at[0] < PROGRESS_EVERY and done < total:
            return
        last_stage[0], last_at[0] = stage, now
        NetworkRun.objects.filter(pk=run.pk).update(
            stage=stage[:8], stage_done=done, stage_total=total
        )

    return record


PROGRESS_EVERY = 0.5  # seconds


def network_trust_recompute(
    *, run: NetworkRun | None = None, progress: Progress | None = None
) -> NetworkRun:
    """The full recompute: read the graph, run the engine, then replace every person's network
    trust in one transaction (readers see the old result or the new one, never a mix). ``run``
    is a row made by ``network_trust_start``; without one a new row is made."""
    run = run or NetworkRun.objects.create()
    try:
        return _recompute(run, _recorder(run, progress or (lambda stage, done, total: None)))
    except Exception as exc:
        NetworkRun.objects.filter(pk=run.pk).update(
            status=NetworkRunStatus.FAILED, finished_at=timezone.now(), error=repr(exc)[:2000]
        )
        raise


def network_trust_start() -> NetworkRun:
    """Queue a full recompute in the background and return its row at once, for the staff page
    to follow; the row already running is returned instead when there is one."""
    from tsunagu.trust.tasks import network_trust_recompute_task

    with transaction.atomic():
        busy = (
            NetworkRun.objects.select_for_update()
            .filter(
                status=NetworkRunStatus.RUNNING,
                started_at__gt=timezone.now() - RUN_STALE_AFTER,
            )
            .first()
        )
        if busy is not None:
            return busy
        run = NetworkRun.objects.create()
    network_trust_recompute_task.enqueue(run_id=run.pk)
    run.refresh_from_db()
    return run


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
        run.teleport, run.dangling, run.norm = result.teleport, result.dangling, result.norm
        seed_set = set(result.seeds.tolist())
        ranks = percentiles(result.scores, with_paid_work)
        rows = [
            NetworkTrust(
                user_id=int(graph.nodes[node]),
                run=run,
                score=float(result.scores[node]),
                percentile=float(rank),
                eigentrust=float(result.eigentrust[node]),
                gate=float(result.gate[node]),
                out_weight=float(graph.out_weight[node]),
                is_seed=node in seed_set,
            )
            for node, rank in zip(with_paid_work.tolist(), ranks.tolist(), strict=True)
        ]
    progress("store", 0, 1)
    with transaction.atomic():
        NetworkTrust.objects.all().delete()
        NetworkTrust.objects.bulk_create(rows, batch_size=2000)
        run.status = NetworkRunStatus.DONE
        run.finished_at = timezone.now()
        run.stage, run.stage_done, run.stage_total = "store", 1, 1
        run.save()
    progress("store", 1, 1)
    logger.info("network trust: %d people, %d edges, %d seeds", run.people, run.edges, run.seeds)
    return run


def network_trust_update(*, user_ids: Iterable[int]) -> dict[int, float]:
    """Move these people's network trust at once after a contract between them completed,
    without a recompute: one EigenTrust step for them alone (``engine.step_scores``) over their
    edges as they are now, from the last run's vector of everyone who vouches for them. Their
    new scores and percentiles are stored; everyone else keeps the last run's until the next
    full recompute, which is the reference. Returns the new scores (empty before any run).

    Someone who was not in the last run (a first paid contract) gets the gate of the people who
    vouch for them, weighted by their trust: the gate is how far trust from the seeds has mixed,
    and one more step carries a neighbour's value to them.
    """
    targets = sorted({int(pk) for pk in user_ids})
    run = NetworkRun.objects.filter(status=NetworkRunStatus.DONE).order_by("-finished_at").first()
    if not targets or run is None or run.norm is None or not run.seeds:
        return {}
    names = {str(pk) for pk in targets}
    contracts = [c for c in _contracts(touching=targets) if {c.client, c.worker} & names]
    endorsements, referrals = sources.edges()
    graph = engine.local_trust(
        nodes=sorted(names),
        contracts=contracts,
        endorsements=[e for e in endorsements if {e.src, e.dst} & names],
        referrals=[r for r in referrals if {r.src, r.dst} & names],
        shared_groups=[g for g in _shared_groups() if set(g) & names],
    )
    stored = {
        row.user_id: row
        for row in NetworkTrust.objects.filter(
            run=run, user_id__in=[int(node) for node in graph.nodes]
        )
    }
    eigentrust = np.zeros(graph.size)
    gate = np.zeros(graph.size)
    out_weight = graph.out_weight.copy()
    seeds = []
    for index, node in enumerate(graph.nodes):
        row = stored.get(int(node))
        if row is None:
            continue
        eigentrust[index], gate[index] = row.eigentrust, row.gate
        if row.is_seed:
            seeds.append(index)
        if (
            node not in names
        ):  # a rater's whole outgoing trust is the run's, not this neighbourhood's
            out_weight[index] = row.out_weight
    positions = [graph.index(str(pk)) for pk in targets]
    for pk, index in zip(targets, positions, strict=True):
        if pk not in stored:
            gate[index] = _gate_estimate(graph, index, eigentrust, gate)
    here = engine.TrustGraph(nodes=graph.nodes, inbound=graph.inbound, out_weight=out_weight)
    last = engine.LastRun(
        eigentrust=eigentrust,
        gate=gate,
        seeds=np.array(seeds, dtype=np.int64),
        seed_count=run.seeds,
        teleport=float(run.teleport or engine.TELEPORT),
        dangling=float(run.dangling or 0.0),
        norm=float(run.norm),
    )
    values, scores = engine.step_scores(here, last, positions)
    now = timezone.now()
    updated: dict[int, float] = {}
    with transaction.atomic():
        if not NetworkRun.objects.filter(pk=run.pk, status=NetworkRunStatus.DONE).exists():
            return {}
        # a recompute that finished meanwhile has replaced the rows; leave its result alone
        if NetworkRun.objects.filter(
            status=NetworkRunStatus.DONE, finished_at__gt=run.finished_at
        ).exists():
            return {}
        others = NetworkTrust.objects.exclude(user_id__in=targets)
        count = others.count() + len(targets)
        for k, (pk, index) in enumerate(zip(targets, positions, strict=True)):
            score = float(scores[k])
            if score <= 0 and pk not in stored:
                continue
            below = others.filter(score__lt=score).count()
            NetworkTrust.objects.update_or_create(
                user_id=pk,
                defaults={
                    "run": run,
                    "score": score,
                    "percentile": below / max(1, count - 1),
                    "eigentrust": float(values[k]),
                    "gate": float(gate[index]),
                    "out_weight": float(graph.out_weight[index]),
                    "is_seed": index in seeds,
                    "updated_at": now,
                },
            )
            updated[pk] = score
    return updated


def _gate_estimate(
    graph: engine.TrustGraph, node: int, eigentrust: np.ndarray, gate: np.ndarray
) -> float:
    row = slice(graph.inbound.indptr[node], graph.inbound.indptr[node + 1])
    raters = graph.inbound.indices[row]
    weights = graph.inbound.data[row] * eigentrust[raters]
    total = float(weights.sum())
    return float((weights * gate[raters]).sum() / total) if total > 0 else 0.0


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


def network_trust_refresh(
    *, run: NetworkRun | None = None, progress: Progress | None = None
) -> NetworkRun:
    """Recompute network trust, then the stored scores of everyone with paid work (which also
    catches any refresh that failed after a payment or a reveal)."""
    from tsunagu.trust.scores import trust_scores_refresh

    run = network_trust_recompute(run=run, progress=progress)
    paid = Milestone.objects.filter(status__in=PAID, released_amount__gt=0)
    people = {
        pk
        for pair in paid.values_list("contract__client_id", "contract__worker_id").distinct()
        for pk in pair
    }
    trust_scores_refresh(user_ids=people)
    return run
