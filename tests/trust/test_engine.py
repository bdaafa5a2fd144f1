"""The trust engine against the attacks it is built for, each beside plain EigenTrust (a = 0.15).

The scenarios are interaction records, as the platform would hand them over: an honest
population that contracts among itself, seeds chosen by the rule, and a ring of fake accounts
that trades dense five-star contracts among themselves and gets a few real contracts from honest
people (its attack edges).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import numpy as np
import pytest

from tsunagu.trust import engine
from tsunagu.trust.engine import Contract, Endorsement, PersonFacts, Referral

HONEST = 300
SEEDS = 20
RING = 200


@dataclass
class World:
    contracts: list[Contract] = field(default_factory=list)
    shared_groups: list[set[str]] = field(default_factory=list)
    endorsements: list[Endorsement] = field(default_factory=list)
    facts: list[PersonFacts] = field(default_factory=list)
    ring: list[str] = field(default_factory=list)

    def rank(self) -> Ranked:
        graph = engine.local_trust(
            nodes=[f.person for f in self.facts],
            contracts=self.contracts,
            endorsements=self.endorsements,
            shared_groups=self.shared_groups,
        )
        seeds = [graph.index(person) for person in engine.seeds_choose(self.facts)]
        return Ranked(graph, engine.global_trust(graph, seeds), self.ring)


@dataclass
class Ranked:
    graph: engine.TrustGraph
    result: engine.GlobalTrust
    ring: list[str]

    def mask(self) -> np.ndarray:
        mask = np.zeros(self.graph.size, dtype=bool)
        mask[[self.graph.index(person) for person in self.ring]] = True
        return mask

    def ring_share(self, *, plain: bool = False) -> float:
        scores = self.result.eigentrust if plain else self.result.scores
        return engine.share(scores, self.mask())

    def best_ring_percentile(self, *, plain: bool = False) -> float:
        """Percent of honest people that the ring's best member outranks."""
        scores = self.result.eigentrust if plain else self.result.scores
        mask = self.mask()
        return float((scores[~mask] < scores[mask].max()).mean() * 100)

    def score(self, person: str, *, plain: bool = False) -> float:
        scores = self.result.eigentrust if plain else self.result.scores
        return float(scores[self.graph.index(person)])

    def position(self, person: str) -> int:
        order = engine.ranked(self.result.scores).tolist()
        return int(order.index(self.graph.index(person)))


def honest_world(seed: int = 1) -> World:
    """300 people, each hiring about three others a year; the first 20 meet the seed rule."""
    rng = random.Random(seed)
    world = World()
    people = [f"h{i:03d}" for i in range(HONEST)]
    for index, person in enumerate(people):
        seedlike = index < SEEDS
        world.facts.append(
            PersonFacts(
                person=person,
                identity_level=2 if seedlike or index % 3 == 0 else 1,
                months_of_history=24 if seedlike else rng.randrange(1, 12),
                completed_contracts=15 if seedlike else rng.randrange(0, 12),
                disputes_lost=0,
            )
        )
    for client in people:
        for _ in range(3):
            worker = rng.choice(people)
            if worker != client:
                world.contracts.append(
                    Contract(
                        client=client,
                        worker=worker,
                        value=int(rng.lognormvariate(math.log(50_000), 0.8)),
                        client_stars=rng.choice((3, 4, 5, 5, 5)),
                        worker_stars=rng.choice((4, 5, 5)),
                    )
                )
    return world


def add_ring(world: World, *, size: int = RING, attack_edges: int, seed: int = 2) -> None:
    """Fake accounts (new, unverified) each trading twenty ¥100,000 five-star contracts with
    ring partners, and ``attack_edges`` real contracts in which an honest client hires one."""
    rng = random.Random(seed)
    ring = [f"s{i:03d}" for i in range(size)]
    world.ring = ring
    world.facts += [PersonFacts(p, 1, 2, 20, 0) for p in ring]
    for member in ring:
        for _ in range(20):
            partner = rng.choice(ring)
            if partner != member:
                world.contracts.append(Contract(member, partner, 100_000, 5, 5))
    honest = [f.person for f in world.facts if f.person.startswith("h")]
    for _ in range(attack_edges):
        world.contracts.append(Contract(rng.choice(honest), rng.choice(ring), 30_000, 5, 5))


# --- the attacks -------------------------------------------------------------------------------


def test_a_ring_with_a_handful_of_attack_edges_stays_at_the_bottom() -> None:
    world = honest_world()
    add_ring(world, attack_edges=5)
    ranked = world.rank()
    # 200 of 500 accounts, yet a sliver of the trust, far below what EigenTrust lets it keep
    assert ranked.ring_share() < 0.002
    assert ranked.ring_share() < ranked.ring_share(plain=True) / 10
    assert ranked.best_ring_percentile() < 10
    assert ranked.best_ring_percentile() < ranked.best_ring_percentile(plain=True)


def test_ten_times_the_attack_edges_buys_more_but_never_more_than_eigentrust_allows() -> None:
    few, many = honest_world(), honest_world()
    add_ring(few, attack_edges=5)
    add_ring(many, attack_edges=50)
    few_ranked, many_ranked = few.rank(), many.rank()
    # EigenTrust's share grows about in proportion to the attack edges ...
    plain_growth = many_ranked.ring_share(plain=True) / few_ranked.ring_share(plain=True)
    assert 5 < plain_growth < 15
    # ... and the gated share, which starts far lower, stays below it
    assert many_ranked.ring_share() > few_ranked.ring_share()
    assert many_ranked.ring_share() < many_ranked.ring_share(plain=True) / 3
    assert many_ranked.ring_share() < 0.05
    assert many_ranked.best_ring_percentile() < many_ranked.best_ring_percentile(plain=True)


def test_a_larger_or_busier_ring_gains_nothing() -> None:
    small, large = honest_world(), honest_world()
    add_ring(small, size=50, attack_edges=20)
    add_ring(large, size=RING, attack_edges=20)
    assert large.rank().ring_share() <= small.rank().ring_share() * 1.2


def _with_honest_work(members: int) -> Ranked:
    world = honest_world()
    add_ring(world, attack_edges=5)
    rng = random.Random(3)
    honest = [f"h{i:03d}" for i in range(HONEST)]
    # fake accounts each do one small real job to look normal, rated well by the client
    for member in world.ring[:members]:
        world.contracts.append(Contract(rng.choice(honest), member, 20_000, 4, 5))
    return world.rank()


def test_ring_members_doing_some_honest_work_still_rank_low() -> None:
    ranked = _with_honest_work(50)
    assert ranked.ring_share() < ranked.ring_share(plain=True) / 3
    assert ranked.ring_share() < 0.03
    assert ranked.best_ring_percentile() < 10 < ranked.best_ring_percentile(plain=True)
    # every one of the 200 doing real work is 200 more attack edges, a tenth of the honest
    # population's contracts: the real work earns something, still well below EigenTrust
    everyone = _with_honest_work(RING)
    assert everyone.ring_share() < everyone.ring_share(plain=True) * 0.7
    assert everyone.best_ring_percentile() < everyone.best_ring_percentile(plain=True) / 2


def _boosting(world: World, *, contracts: int, shared: bool) -> None:
    booster, boosted = "h250", "h251"
    for _ in range(contracts):
        world.contracts.append(Contract(booster, boosted, 1_000, 5, 5))
        world.contracts.append(Contract(boosted, booster, 1_000, 5, 5))
    if shared:
        world.shared_groups.append({booster, boosted})


def test_two_accounts_boosting_each_other_with_many_small_contracts_gain_little() -> None:
    baseline = honest_world().rank()
    boosted_world = honest_world()
    _boosting(boosted_world, contracts=1000, shared=False)
    boosted = boosted_world.rank()
    # a thousand ¥1,000 contracts each way are ¥1,000,000 between the two: the pair cap
    pair = engine.pair_weight(
        value=1_000_000, starred_value=1_000_000, endorsed=False, referred=False, shared=False
    )
    assert pair == pytest.approx(engine.VALUE_CAP)
    assert boosted.graph.inbound[[boosted.graph.index("h251")], :].max() <= engine.PAIR_CAP
    together = boosted.score("h250") + boosted.score("h251")
    before = baseline.score("h250") + baseline.score("h251")
    assert together < before * 1.6
    # two accounts seen behind one card are nearly one person: the boost nearly vanishes
    same_card = honest_world()
    _boosting(same_card, contracts=1000, shared=True)
    collapsed = same_card.rank()
    assert collapsed.score("h250") + collapsed.score("h251") < before * 1.05


def test_review_bombing_a_competitor_from_new_accounts_barely_moves_them() -> None:
    world = honest_world()
    competitor = "h005"
    before = world.rank()
    # the rival opens five new accounts, each buys a small job and leaves one star
    for number in range(5):
        bomber = f"x{number}"
        world.facts.append(PersonFacts(bomber, 0, 0, 1, 0))
        world.contracts.append(Contract(bomber, competitor, 3_000, 1, None))
    after = world.rank()
    assert after.score(competitor) == pytest.approx(before.score(competitor), rel=0.01)
    assert abs(after.position(competitor) - before.position(competitor)) <= 1
    # and the new accounts gain next to nothing by it
    assert sum(after.score(f"x{n}") for n in range(5)) < 0.002


# --- local trust -------------------------------------------------------------------------------


def test_pair_weight_saturates_with_value_and_stars() -> None:
    def weight(value: float, stars: int | None = 5, **kwargs: bool) -> float:
        flags = {"endorsed": False, "referred": False, "shared": False, **kwargs}
        return engine.pair_weight(
            value=value, starred_value=value * engine.STAR_FACTOR[stars], **flags
        )

    assert weight(0) == 0
    assert weight(10_000) < weight(100_000) < weight(1_000_000) == weight(50_000_000)
    assert weight(100_000, 1) == 0  # one star: no trust at all
    assert weight(100_000, 3) < weight(100_000, 4) < weight(100_000, 5)
    assert weight(1_000_000, endorsed=True, referred=True) == engine.PAIR_CAP
    assert weight(1_000_000, shared=True) == pytest.approx(engine.VALUE_CAP * engine.SHARED_FACTOR)


def test_local_trust_from_records() -> None:
    graph = engine.local_trust(
        nodes=["lurker"],
        contracts=[
            Contract("client", "worker", 100_000, 5, 4),
            Contract("client", "worker", 100_000, 5, 4),
            Contract("client", "client", 100_000, 5, 5),  # nobody contracts with themselves
            Contract("client", "other", 0, 5, 5),  # unpaid: no trust
        ],
        endorsements=[Endorsement("other", "worker"), Endorsement("other", "worker")],
        referrals=[Referral("other", "client", False), Referral("worker", "other", True)],
    )
    assert list(graph.nodes) == ["client", "lurker", "other", "worker"]
    dense = graph.inbound.toarray().T  # dense[src, dst]
    i = {name: graph.index(name) for name in graph.nodes}
    assert dense[i["client"], i["worker"]] == pytest.approx(math.log1p(20))
    assert dense[i["worker"], i["client"]] == pytest.approx(0.75 * math.log1p(20))
    assert dense[i["other"], i["worker"]] == engine.ENDORSEMENT_WEIGHT
    assert dense[i["worker"], i["other"]] == engine.REFERRAL_WEIGHT
    assert dense[i["other"], i["client"]] == 0
    assert dense.diagonal().sum() == 0
    assert graph.out_weight[i["lurker"]] == 0


# --- seeds -------------------------------------------------------------------------------------


def test_seeds_follow_the_rule() -> None:
    good = PersonFacts("good", 2, 12, 10, 0)
    people = [
        good,
        PersonFacts("phone-only", 1, 40, 50, 0),
        PersonFacts("too-new", 2, 11, 50, 0),
        PersonFacts("too-few", 2, 40, 9, 0),
        PersonFacts("lost-a-dispute", 3, 40, 50, 1),
        *(PersonFacts(f"p{i}", 0, 0, 0, 0) for i in range(15)),
    ]
    assert engine.seeds_choose(people) == ["good"]
    # at most 5% of everyone, the longest history first, whatever order the facts come in
    veterans = [PersonFacts(f"v{i:02d}", 2, 12 + i, 10, 0) for i in range(40)]
    chosen = engine.seeds_choose(reversed(veterans))
    assert chosen == [f"v{i:02d}" for i in range(38, 40)]
    assert engine.seeds_choose([]) == []


# --- global trust ------------------------------------------------------------------------------


def _chain() -> engine.TrustGraph:
    # 0 -> 1 -> 2 -> 0, and 3 (dangling) is trusted by 2 but trusts nobody
    return engine.graph_from_edges([0, 1, 2, 2, 3], [1, 2, 0, 3, 3], [1, 1, 1, 1, 5], list("abcd"))


def test_global_trust_sums_to_one_is_deterministic_and_handles_dangling_nodes() -> None:
    graph = _chain()
    seen: list[tuple[int, float]] = []
    first = engine.global_trust(graph, [0], progress=lambda i, r: seen.append((i, r)))
    second = engine.global_trust(graph, [0])
    assert first.scores.sum() == pytest.approx(1.0)
    assert first.eigentrust.sum() == pytest.approx(1.0)
    assert np.array_equal(first.scores, second.scores)
    assert (first.scores > 0).all()
    assert first.dangling == pytest.approx(first.eigentrust[3])
    assert [i for i, _r in seen] == list(range(1, first.iterations + 1))
    assert seen[-1][1] < engine.TOLERANCE < seen[0][1]


def test_eigentrust_is_the_fixed_point() -> None:
    graph = _chain()
    trust, _iterations, _residual = engine.eigentrust(graph, [0, 1])
    local = graph.inbound.toarray().T
    rows = local.sum(axis=1, keepdims=True)
    start = np.array([0.5, 0.5, 0, 0])
    c = np.where(rows > 0, local / np.where(rows > 0, rows, 1), start)  # dangling row: the seeds
    expected = np.linalg.solve(np.eye(4) - 0.85 * c.T, 0.15 * start)
    assert trust == pytest.approx(expected / expected.sum(), abs=1e-8)


def test_no_seed_is_refused() -> None:
    with pytest.raises(ValueError, match="seed"):
        engine.global_trust(_chain(), [])
    with pytest.raises(ValueError, match="seed"):
        engine.global_trust(_chain(), [9])


def test_a_new_contract_updates_both_people_at_once() -> None:
    world = honest_world()
    ranked = world.rank()
    client, worker = "h000", "h123"  # a seed hires someone for a large job, five stars
    contract = Contract(client, worker, 800_000, 5, 5)
    history = [c for c in world.contracts if {c.client, c.worker} == {client, worker}]
    quick = engine.contract_update(
        graph=ranked.graph, result=ranked.result, history=history, contract=contract
    )
    world.contracts.append(contract)
    full = world.rank()
    assert quick[worker] > ranked.score(worker)
    # the one-step update lands close to the full recompute for both people
    assert quick[worker] == pytest.approx(full.score(worker), rel=0.25)
    assert quick[client] == pytest.approx(full.score(client), rel=0.25)


def test_a_community_of_fake_accounts_endorsing_each_other_adds_nothing_beyond_its_attack_edges() -> (
    None
):
    """A ring that also runs a "community" whose members all endorse one another after
    activities together: the endorsements are edges like any other, capped per pair, and the
    gate still sees only the few real contracts that cross in."""
    plain_ring = honest_world()
    add_ring(plain_ring, attack_edges=10)
    without = plain_ring.rank()

    community = honest_world()
    add_ring(community, attack_edges=10)
    community.endorsements = [
        Endorsement(a, b) for a in community.ring for b in community.ring if a != b
    ]
    with_endorsements = community.rank()

    assert with_endorsements.ring_share() < with_endorsements.ring_share(plain=True)
    # the whole community endorsing itself moves its share by less than a tenth of a point
    assert with_endorsements.ring_share() < without.ring_share() + 0.001
    assert with_endorsements.best_ring_percentile() < 50


def test_honest_endorsements_inside_a_real_community_do_count() -> None:
    world = honest_world()
    before = world.rank()
    newcomer = "h299"
    world.endorsements = [Endorsement(f"h{i:03d}", newcomer) for i in range(5)]  # seeds vouch
    after = world.rank()
    assert after.score(newcomer) > before.score(newcomer)


def test_one_step_at_the_fixed_point_gives_back_the_full_scores() -> None:
    ranked = honest_world().rank()
    nodes = list(range(ranked.graph.size))
    eigentrust, scores = engine.step_scores(ranked.graph, engine.LastRun.of(ranked.result), nodes)
    assert eigentrust == pytest.approx(ranked.result.eigentrust, rel=1e-6, abs=1e-12)
    assert scores == pytest.approx(ranked.result.scores, rel=1e-6, abs=1e-12)
