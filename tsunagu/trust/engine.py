"""Network trust: who vouches for whom, and how far that trust reaches, with no Django in it.

Three steps, each a pure function of plain data:

1. **Local trust** (``local_trust``): from the interactions that cost something — completed paid
   contracts (their value and the stars each side gave), endorsements, and introductions that
   led to a contract — a non-negative weight from each person to each other person. A pair's
   weight saturates: its contracts count through ``log1p`` of their total value, capped, so a
   thousand small contracts between the same two people weigh no more than one large one, and a
   pair that shares a payment instrument or a device counts for almost nothing.
2. **Seeds** (``seeds_choose``): the people trusted in advance, chosen by a rule over facts
   about each person (see its docstring), never by hand.
3. **Global trust** (``global_trust``): EigenTrust (Kamvar, Schlosser and Garcia-Molina, 2003),
   which is a personalised PageRank whose walks restart at the seeds, gated by a SybilRank
   pass (Cao, Sirivianos, Yang and Pregueiro, 2012).

Why the gate. In EigenTrust a group of accounts that only vouch for one another keeps all the
trust that enters it through its few *attack edges* (real contracts with honest people) and
recycles it until a walk restarts: the group holds about ``(1 - a) / a`` times, 5.7 times for
a = 0.15, what flows in, whatever its size. SybilRank bounds that inflow differently: trust
spreads from the seeds over the undirected, weighted graph for only ``ceil(log2 n)`` steps, long
enough to mix through the fast-mixing honest region but not through the sparse cut to a fake
region, and each node's trust is then divided by its weighted degree. In the honest region that
ratio approaches the stationary value ``1 / vol`` (the walk has mixed); in a fake region it
stays far below, by about the share of the walk's mass that crossed the attack edges. The gate
``min(1, vol * T_v / deg_v)`` is thus about 1 for honest people and small for a fake group, the
more so the denser its own activity (a larger degree divides the same inflow). The final score
is the EigenTrust vector times the gate, normalised to sum to 1: a fake group's share grows with
its attack edges and stays below its EigenTrust share, however large or busy it is.

The engine works on integer node indices and scipy sparse matrices; ``TrustGraph`` keeps the ids.
``trust_update`` updates two people at once after a new contract, from the last result, without
a full recompute.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

Vector = npt.NDArray[np.float64]
Indices = npt.NDArray[np.int64]
Progress = Callable[[int, float], None]

# --- local trust -------------------------------------------------------------------------------
VALUE_UNIT = 10_000  # yen: a pair's contracts count as log1p(total value / VALUE_UNIT) ...
VALUE_CAP = math.log1p(100)  # ... up to this, reached at ¥1,000,000 between the same two people
ENDORSEMENT_WEIGHT = 0.25  # once per pair, however many endorsements
REFERRAL_WEIGHT = 0.5  # once per pair, and only for an introduction that led to a contract
PAIR_CAP = VALUE_CAP + ENDORSEMENT_WEIGHT + REFERRAL_WEIGHT
SHARED_FACTOR = 0.02  # two accounts behind one card or one device are nearly one person
# How much a contract says, by the stars the rater gave (no review: the money moved, no more).
STAR_FACTOR: Mapping[int | None, float] = {1: 0.0, 2: 0.1, 3: 0.4, 4: 0.75, 5: 1.0, None: 0.5}

# --- global trust ------------------------------------------------------------------------------
TELEPORT = 0.15  # EigenTrust's a: the share of each step that restarts at the seeds
TOLERANCE = 1e-9  # L1 change between two iterations at which the iteration stops
MAX_ITERATIONS = 200

# --- seeds -------------------------------------------------------------------------------------
SEED_IDENTITY_LEVEL = 2  # an identity document checked (level 1: phone only)
SEED_MONTHS = 12
SEED_CONTRACTS = 10
SEED_MAX_SHARE = 0.05  # at most this share of everyone, the longest-serving first


@dataclass(frozen=True, slots=True)
class Contract:
    """A completed paid contract: value in yen and the stars each side gave the other."""

    client: str
    worker: str
    value: int
    client_stars: int | None = None  # the client's review of the worker
    worker_stars: int | None = None  # the worker's review of the client


@dataclass(frozen=True, slots=True)
class Endorsement:
    src: str
    dst: str


@dataclass(frozen=True, slots=True)
class Referral:
    """``src`` introduced ``dst``; it counts only if the introduction led to a contract."""

    src: str
    dst: str
    led_to_contract: bool


@dataclass(frozen=True, slots=True)
class PersonFacts:
    person: str
    identity_level: int
    months_of_history: int
    completed_contracts: int
    disputes_lost: int


@dataclass
class _Pair:
    value: float = 0.0
    starred_value: float = 0.0
    endorsed: bool = False
    referred: bool = False


def pair_weight(
    *, value: float, starred_value: float, endorsed: bool, referred: bool, shared: bool
) -> float:
    """Local trust of one directed pair from its totals.

    ``value`` is the total value of the pair's paid contracts, ``starred_value`` the same total
    with each contract weighted by ``STAR_FACTOR`` of the stars the rater gave.
    """
    weight = 0.0
    if value > 0:
        weight += (starred_value / value) * min(VALUE_CAP, math.log1p(value / VALUE_UNIT))
    weight += ENDORSEMENT_WEIGHT * endorsed + REFERRAL_WEIGHT * referred
    weight = min(PAIR_CAP, weight)
    return weight * SHARED_FACTOR if shared else weight


@dataclass(frozen=True)
class TrustGraph:
    """Local trust as a sparse matrix over ``nodes``.

    ``inbound`` is the transpose of the weight matrix W (W[u, v]: trust from u to v) in CSR
    form, so that row v lists who vouches for v; ``out_weight[u]`` is row u's sum of W. A node
    with no outgoing trust is *dangling*: its share goes back to the seeds.
    """

    nodes: Sequence[str]
    inbound: sparse.csr_array
    out_weight: Vector
    _index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def size(self) -> int:
        return int(self.inbound.shape[0])

    def index(self, node: str) -> int:
        if not self._index:
            self._index.update({name: i for i, name in enumerate(self.nodes)})
        return self._index[node]


def graph_from_edges(
    src: npt.ArrayLike, dst: npt.ArrayLike, weight: npt.ArrayLike, nodes: Sequence[str]
) -> TrustGraph:
    """A graph from parallel arrays of node indices and weights (self-loops dropped, repeated
    edges added up). Weights must be finite and non-negative; that is for the caller to check."""
    n = len(nodes)
    s = np.asarray(src)
    d = np.asarray(dst)
    w = np.asarray(weight, dtype=np.float64)
    keep = (s != d) & (w > 0)
    if not keep.all():
        s, d, w = s[keep], d[keep], w[keep]
    index_type = np.int32 if n < 2**31 and len(w) < 2**31 else np.int64
    s = s.astype(index_type, copy=False)
    d = d.astype(index_type, copy=False)
    out_weight = np.bincount(s, weights=w, minlength=n).astype(np.float64, copy=False)
    return TrustGraph(nodes=nodes, inbound=_by_row(d, s, w, n), out_weight=out_weight)


def _by_row(rows: npt.NDArray[Any], columns: npt.NDArray[Any], data: Vector, n: int) -> Any:
    """CSR from coordinates, repeated entries left as they are (a product adds them up anyway).

    scipy's own conversion also sorts each row and merges repeats, a third of the time on ten
    million edges and no use here; its linear-time kernel is called directly where it exists.
    """
    try:
        from scipy.sparse import _sparsetools
    except ImportError:  # pragma: no cover - a scipy that moved its kernels
        return sparse.csr_array(sparse.coo_array((data, (rows, columns)), shape=(n, n)))
    indptr = np.empty(n + 1, dtype=rows.dtype)
    indices = np.empty(len(data), dtype=rows.dtype)
    values = np.empty(len(data), dtype=np.float64)
    _sparsetools.coo_tocsr(n, n, len(data), rows, columns, data, indptr, indices, values)
    return sparse.csr_array((values, indices, indptr), shape=(n, n))


def local_trust(
    *,
    nodes: Iterable[str] = (),
    contracts: Iterable[Contract] = (),
    endorsements: Iterable[Endorsement] = (),
    referrals: Iterable[Referral] = (),
    shared_groups: Iterable[Iterable[str]] = (),
) -> TrustGraph:
    """Local trust from interaction records.

    A contract gives trust from the client to the worker (by the client's stars) and from the
    worker to the client (by the worker's stars); contracts of no value are ignored. Each
    ``shared_groups`` entry is a set of accounts seen behind one payment instrument or device:
    any pair inside one group is weighted by ``SHARED_FACTOR``. ``nodes`` adds people with no
    interactions yet, so that every account has an index.
    """
    pairs: dict[tuple[str, str], _Pair] = defaultdict(_Pair)
    for contract in contracts:
        if contract.value <= 0 or contract.client == contract.worker:
            continue
        for rater, ratee, stars in (
            (contract.client, contract.worker, contract.client_stars),
            (contract.worker, contract.client, contract.worker_stars),
        ):
            pair = pairs[rater, ratee]
            pair.value += contract.value
            pair.starred_value += contract.value * STAR_FACTOR[stars]
    for endorsement in endorsements:
        if endorsement.src != endorsement.dst:
            pairs[endorsement.src, endorsement.dst].endorsed = True
    for referral in referrals:
        if referral.led_to_contract and referral.src != referral.dst:
            pairs[referral.src, referral.dst].referred = True
    groups_of: dict[str, set[int]] = defaultdict(set)
    for number, group in enumerate(shared_groups):
        for member in group:
            groups_of[member].add(number)

    names = sorted({*nodes, *(person for pair in pairs for person in pair)})
    position = {name: i for i, name in enumerate(names)}
    src, dst, weight = [], [], []
    for (rater, ratee), pair in sorted(pairs.items()):
        shared = bool(groups_of.get(rater, set()) & groups_of.get(ratee, set()))
        src.append(position[rater])
        dst.append(position[ratee])
        weight.append(
            pair_weight(
                value=pair.value,
                starred_value=pair.starred_value,
                endorsed=pair.endorsed,
                referred=pair.referred,
                shared=shared,
            )
        )
    graph = graph_from_edges(
        np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), weight, names
    )
    graph._index.update(position)
    return graph


def seeds_choose(facts: Iterable[PersonFacts]) -> list[str]:
    """The pre-trusted people, by rule.

    A person is a seed when all of these hold:

    - identity level at least ``SEED_IDENTITY_LEVEL`` (an identity document was checked);
    - at least ``SEED_MONTHS`` months of history on the platform;
    - at least ``SEED_CONTRACTS`` completed paid contracts;
    - no dispute lost, ever.

    Of those, at most ``SEED_MAX_SHARE`` of all people (and at least one) are kept: the longest
    history first, then the most completed contracts, then the id, so the choice is
    deterministic. A fake group cannot meet the rule quickly: it costs a checked identity per
    account, a year, and ten contracts paid for with real money. Returns ids sorted.
    """
    everyone = list(facts)
    qualified = [
        f
        for f in everyone
        if f.identity_level >= SEED_IDENTITY_LEVEL
        and f.months_of_history >= SEED_MONTHS
        and f.completed_contracts >= SEED_CONTRACTS
        and f.disputes_lost == 0
    ]
    qualified.sort(key=lambda f: (-f.months_of_history, -f.completed_contracts, f.person))
    limit = max(1, int(len(everyone) * SEED_MAX_SHARE))
    return sorted(f.person for f in qualified[:limit])


@dataclass(frozen=True)
class GlobalTrust:
    """The result of a full computation.

    ``scores`` (sums to 1) is ``eigentrust * gate / norm``. ``eigentrust`` is the plain
    EigenTrust vector, ``gate`` the SybilRank factor in [0, 1]; ``dangling`` the share of the
    EigenTrust mass on dangling nodes. ``trust_update`` uses them all.
    """

    scores: Vector
    eigentrust: Vector
    gate: Vector
    norm: float
    dangling: float
    seeds: Indices
    teleport: float
    iterations: int
    residual: float


def _seed_vector(n: int, seeds: Sequence[int] | Indices) -> tuple[Vector, Indices]:
    chosen = np.unique(np.asarray(seeds, dtype=np.int64))
    if chosen.size == 0:
        raise ValueError("at least one seed is needed")
    if chosen[0] < 0 or chosen[-1] >= n:
        raise ValueError("a seed is not a node of the graph")
    start = np.zeros(n, dtype=np.float64)
    start[chosen] = 1.0 / chosen.size
    return start, chosen


def eigentrust(
    graph: TrustGraph,
    seeds: Sequence[int] | Indices,
    *,
    teleport: float = TELEPORT,
    tolerance: float = TOLERANCE,
    max_iterations: int = MAX_ITERATIONS,
    progress: Progress | None = None,
) -> tuple[Vector, int, float]:
    """Plain EigenTrust: ``t = (1 - a) Cᵀ t + a p``, C the row-normalised local trust, p uniform
    over the seeds, a dangling node's row taken as p. Returns (t, iterations, last L1 change)."""
    n = graph.size
    start, chosen = _seed_vector(n, seeds)
    dangling = np.flatnonzero(graph.out_weight <= 0)
    inverse_out = np.zeros(n, dtype=np.float64)
    np.divide(1.0, graph.out_weight, out=inverse_out, where=graph.out_weight > 0)
    trust = start.copy()
    share = np.empty(n, dtype=np.float64)
    change = np.empty(n, dtype=np.float64)
    residual = math.inf
    iteration = 0
    for iteration in range(1, max_iterations + 1):
        np.multiply(trust, inverse_out, out=share)
        spread = graph.inbound @ share
        restart = teleport + (1.0 - teleport) * float(trust[dangling].sum())
        spread *= 1.0 - teleport
        spread[chosen] += restart / chosen.size
        spread /= spread.sum()  # keeps the sum at 1 against rounding
        np.subtract(spread, trust, out=change)
        np.abs(change, out=change)
        residual = float(change.sum())
        trust = spread
        if progress is not None:
            progress(iteration, residual)
        if residual < tolerance:
            break
    return trust, iteration, residual


def sybil_gate(
    graph: TrustGraph, seeds: Sequence[int] | Indices, *, steps: int | None = None
) -> Vector:
    """SybilRank's early-terminated trust propagation, as a factor in [0, 1] per node.

    Trust starts on the seeds (total 1) and spreads ``steps`` times (default ``ceil(log2 n)``)
    over the undirected graph with weights ``W + Wᵀ``, each node handing its trust to its
    neighbours in proportion to the edge weights. The factor is ``min(1, vol * T_v / deg_v)``,
    ``deg_v`` the node's weighted degree and ``vol`` their sum: 1 where the walk has mixed (the
    honest region), small where little trust has crossed in yet (a fake region behind few attack
    edges). Seeds get 1; nodes with no edges get 0.
    """
    n = graph.size
    start, chosen = _seed_vector(n, seeds)
    in_weight = np.asarray(graph.inbound.sum(axis=1), dtype=np.float64).ravel()
    degree = graph.out_weight + in_weight
    isolated = degree <= 0
    inverse = np.zeros(n, dtype=np.float64)
    np.divide(1.0, degree, out=inverse, where=~isolated)
    steps = max(1, math.ceil(math.log2(max(n, 2)))) if steps is None else steps
    # single precision is plenty for a factor clipped at 1, and a third less to read per step
    inbound = sparse.csr_array(
        (graph.inbound.data.astype(np.float32), graph.inbound.indices, graph.inbound.indptr),
        shape=graph.inbound.shape,
    )
    outbound = inbound.T  # CSC view of W, no copy
    inverse32 = inverse.astype(np.float32)
    kept = isolated.astype(np.float32)
    trust = start.astype(np.float32)
    for _ in range(steps):
        share = trust * inverse32
        spread = inbound @ share
        spread += outbound @ share
        spread += trust * kept  # a node with no edges keeps what it has
        trust = spread
    volume = float(degree.sum())
    gate = np.minimum(1.0, volume * trust.astype(np.float64) * inverse)
    gate[chosen] = 1.0
    return np.asarray(gate, dtype=np.float64)


def global_trust(
    graph: TrustGraph,
    seeds: Sequence[int] | Indices,
    *,
    teleport: float = TELEPORT,
    tolerance: float = TOLERANCE,
    max_iterations: int = MAX_ITERATIONS,
    sybil_steps: int | None = None,
    progress: Progress | None = None,
) -> GlobalTrust:
    """Global trust, the full recompute: EigenTrust times the SybilRank gate, summing to 1.

    ``progress(iteration, residual)`` is called after each EigenTrust iteration. Deterministic:
    the same graph and seeds give the same vector, bit for bit.
    """
    trust, iterations, residual = eigentrust(
        graph,
        seeds,
        teleport=teleport,
        tolerance=tolerance,
        max_iterations=max_iterations,
        progress=progress,
    )
    _start, chosen = _seed_vector(graph.size, seeds)
    gate = sybil_gate(graph, chosen, steps=sybil_steps)
    gated = trust * gate
    norm = float(gated.sum())
    if norm <= 0:  # cannot happen with a seed in the graph; kept so scores always sum to 1
        gated, norm = trust.copy(), float(trust.sum())
    return GlobalTrust(
        scores=gated / norm,
        eigentrust=trust,
        gate=gate,
        norm=norm,
        dangling=float(trust[graph.out_weight <= 0].sum()),
        seeds=chosen,
        teleport=teleport,
        iterations=iterations,
        residual=residual,
    )


@dataclass(frozen=True)
class LastRun:
    """What a one-step update needs from the last full run, for the nodes of a graph that may be
    only the neighbourhood of the people updated: their EigenTrust values and gates, which of
    them are seeds, and the whole run's seed count, teleport, dangling mass and normaliser."""

    eigentrust: Vector
    gate: Vector
    seeds: Indices
    seed_count: int
    teleport: float
    dangling: float
    norm: float

    @classmethod
    def of(cls, result: GlobalTrust) -> LastRun:
        return cls(
            eigentrust=result.eigentrust,
            gate=result.gate,
            seeds=result.seeds,
            seed_count=int(result.seeds.size),
            teleport=result.teleport,
            dangling=result.dangling,
            norm=result.norm,
        )


def step_scores(graph: TrustGraph, last: LastRun, nodes: Sequence[int]) -> tuple[Vector, Vector]:
    """One EigenTrust step for ``nodes`` alone, from the last vector of everyone who vouches for
    them over the graph as it is now: returns their new EigenTrust values and their scores
    (times the last gate, over the last normaliser).

    At the fixed point of a full run this gives back the run's scores; after a change to the
    nodes' own edges it moves them as the next iteration of a recompute would. ``graph`` may be
    a neighbourhood, provided ``out_weight`` holds each rater's whole outgoing trust.
    """
    a = last.teleport
    restart = a + (1.0 - a) * last.dangling
    inverse_out = np.zeros(graph.size, dtype=np.float64)
    np.divide(1.0, graph.out_weight, out=inverse_out, where=graph.out_weight > 0)
    seeds = set(last.seeds.tolist())
    values = np.empty(len(nodes), dtype=np.float64)
    for k, node in enumerate(nodes):
        row = slice(graph.inbound.indptr[node], graph.inbound.indptr[node + 1])
        raters = graph.inbound.indices[row]
        inflow = float(
            (last.eigentrust[raters] * graph.inbound.data[row] * inverse_out[raters]).sum()
        )
        values[k] = (1.0 - a) * inflow + (restart / last.seed_count if node in seeds else 0.0)
    index = np.asarray(nodes, dtype=np.int64)
    return values, values * last.gate[index] / last.norm


def trust_update(
    *, graph: TrustGraph, result: GlobalTrust, i: int, j: int, weight_ij: float, weight_ji: float
) -> tuple[float, float]:
    """The scores of ``i`` and ``j`` right after a new contract between them, without a recompute.

    ``weight_ij`` and ``weight_ji`` are the pair's new local trust in each direction (from
    ``pair_weight`` over the pair's totals, the new contract included). One EigenTrust step is
    taken for ``i`` and ``j`` alone, from the last vector of everyone who vouches for them, with
    the two changed rows of C; the gate and the normaliser are those of the last result. The
    other scores stay as they were until the next full recompute (``global_trust``), which also
    renormalises. ``graph`` is not changed.
    """
    a = result.teleport
    t = result.eigentrust
    seed_share = np.isin([i, j], result.seeds) / result.seeds.size
    old = {
        (i, j): _edge(graph, i, j),
        (j, i): _edge(graph, j, i),
    }
    new_out = {
        i: graph.out_weight[i] - old[i, j] + weight_ij,
        j: graph.out_weight[j] - old[j, i] + weight_ji,
    }
    updated: list[float] = []
    for k, (node, other, weight_in) in enumerate(((i, j, weight_ji), (j, i, weight_ij))):
        row = slice(graph.inbound.indptr[node], graph.inbound.indptr[node + 1])
        raters = graph.inbound.indices[row]
        weights = graph.inbound.data[row]
        out = graph.out_weight[raters]
        keep = (raters != other) & (out > 0)
        inflow = float((t[raters[keep]] * weights[keep] / out[keep]).sum())
        if new_out[other] > 0:
            inflow += float(t[other]) * weight_in / new_out[other]
        restart = a + (1.0 - a) * result.dangling
        value = (1.0 - a) * inflow + restart * seed_share[k]
        updated.append(value * float(result.gate[node]) / result.norm)
    return updated[0], updated[1]


def _edge(graph: TrustGraph, src: int, dst: int) -> float:
    row = slice(graph.inbound.indptr[dst], graph.inbound.indptr[dst + 1])
    hits = graph.inbound.data[row][graph.inbound.indices[row] == src]
    return float(hits.sum())


def contract_update(
    *,
    graph: TrustGraph,
    result: GlobalTrust,
    history: Iterable[Contract],
    contract: Contract,
    shared: bool = False,
) -> dict[str, float]:
    """``trust_update`` from records: ``history`` is the pair's earlier paid contracts (either
    direction), ``contract`` the one just completed. An endorsement or introduction between the
    two is left to the next full recompute."""
    client, worker = contract.client, contract.worker
    totals: dict[tuple[str, str], list[float]] = {
        (client, worker): [0.0, 0.0],
        (worker, client): [0.0, 0.0],
    }
    for past in (*history, contract):
        if past.value <= 0 or {past.client, past.worker} != {client, worker}:
            continue
        for rater, ratee, stars in (
            (past.client, past.worker, past.client_stars),
            (past.worker, past.client, past.worker_stars),
        ):
            totals[rater, ratee][0] += past.value
            totals[rater, ratee][1] += past.value * STAR_FACTOR[stars]
    i, j = graph.index(client), graph.index(worker)
    weights = {
        key: pair_weight(
            value=value, starred_value=starred, endorsed=False, referred=False, shared=shared
        )
        for key, (value, starred) in totals.items()
    }
    score_i, score_j = trust_update(
        graph=graph,
        result=result,
        i=i,
        j=j,
        weight_ij=weights[client, worker],
        weight_ji=weights[worker, client],
    )
    return {client: score_i, worker: score_j}


def ranked(scores: Vector) -> Indices:
    """Node indices from the most trusted down, ties by index (deterministic)."""
    return np.lexsort((np.arange(scores.size), -scores)).astype(np.int64)


def share(scores: Vector, members: Any) -> float:
    """The share of all trust held by ``members`` (indices or a boolean mask)."""
    return float(scores[members].sum() / scores.sum())
