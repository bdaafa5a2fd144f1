"""No community can mint trust: a community of fake accounts that hold activities together and
endorse each other ("一緒に活動した") as often as they like adds nothing beyond what its few
attack edges allow, while an honest community's endorsements are counted.

The worlds are those of the trust engine's attack tests (tests/trust/test_engine.py); the
endorsements are built the way this app hands them to trust: one edge per endorsement, from the
registered edge source, repeated edges and all.
"""

from __future__ import annotations

import random
from itertools import permutations

import numpy as np
import pytest

from tests.communities.factories import community, event, held, member
from tests.trust.test_engine import World, add_ring, honest_world
from tsunagu.communities import selectors, services
from tsunagu.trust import engine
from tsunagu.trust.engine import Endorsement


def ring_share(world: World, endorsements: list[Endorsement]) -> float:
    graph = engine.local_trust(
        nodes=[f.person for f in world.facts],
        contracts=world.contracts,
        endorsements=endorsements,
        shared_groups=world.shared_groups,
    )
    seeds = [graph.index(p) for p in engine.seeds_choose(world.facts)]
    result = engine.global_trust(graph, seeds)
    mask = np.zeros(graph.size, dtype=bool)
    mask[[graph.index(p) for p in world.ring]] = True
    return engine.share(result.scores, mask)


def fake_community(ring: list[str], *, activities: int, seed: int = 4) -> list[Endorsement]:
    """Every activity, every fake member endorses ten others (and again the next time)."""
    rng = random.Random(seed)
    out: list[Endorsement] = []
    for _ in range(activities):
        for src in ring:
            for dst in rng.sample(ring, 10):
                if dst != src:
                    out.append(Endorsement(src=src, dst=dst))
    return out


def test_a_fake_community_endorsing_itself_gains_nothing_beyond_its_attack_edges() -> None:
    world = honest_world()
    add_ring(world, attack_edges=5)
    without = ring_share(world, [])
    busy = fake_community(world.ring, activities=20)
    assert len(busy) > 30_000
    with_community = ring_share(world, busy)
    assert with_community <= without * 1.2 + 1e-6
    assert with_community < 0.005


def test_a_larger_fake_community_gains_nothing_more() -> None:
    world = honest_world()
    add_ring(world, attack_edges=5)
    once = ring_share(world, fake_community(world.ring, activities=1))
    often = ring_share(world, fake_community(world.ring, activities=30))
    # repeated endorsements of the same pair count once: thirty activities buy what one does
    assert often <= once * 1.1 + 1e-6


def test_honest_members_endorsing_a_newcomer_lift_them() -> None:
    world = honest_world()
    newcomer = "h299"
    graph_before = engine.local_trust(
        nodes=[f.person for f in world.facts], contracts=world.contracts
    )
    seeds = [graph_before.index(p) for p in engine.seeds_choose(world.facts)]
    before = engine.global_trust(graph_before, seeds)
    honest_peers = [f"h{i:03d}" for i in range(10)]
    endorsements = [Endorsement(src=p, dst=newcomer) for p in honest_peers]
    graph_after = engine.local_trust(
        nodes=[f.person for f in world.facts], contracts=world.contracts, endorsements=endorsements
    )
    after = engine.global_trust(graph_after, seeds)
    assert after.scores[graph_after.index(newcomer)] > before.scores[graph_before.index(newcomer)]


@pytest.mark.django_db
def test_the_edge_source_hands_every_endorsement_to_the_engine() -> None:
    c = community()
    people = [member(c) for _ in range(3)]
    activity = held(event(c), *people)
    for src, dst in permutations(people, 2):
        services.endorsement_give(activity=activity, by=src, endorsee=dst)
    edges = selectors.trust_edges()
    assert len(edges) == 6
    graph = engine.local_trust(nodes=[str(p.pk) for p in people], endorsements=edges)
    assert graph.inbound.nnz == 6  # one edge per ordered pair
