"""What other apps add to trust, without the trust app importing them.

Communities, referrals and ask-an-expert sit above the trust app (they show scores and rank by
them), yet what happens in them feeds trust: endorsements after an activity together and
introductions that led to a contract become local-trust edges of the network, and community
standing and expert answers become a small, capped part of the score. Each of those apps
registers a *source* here from its ``AppConfig.ready``; the trust app calls every registered
source when it computes.

A source must be cheap and read-only. Edge sources return every edge at once (the nightly
recompute reads them); contribution sources answer for the people asked about, in a constant
number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from tsunagu.trust import engine


@dataclass(frozen=True)
class Contribution:
    """One person's contribution outside contracts, as one source saw it.

    ``endorsers``: people who endorsed this person after taking part in an activity together
    (each counts once, however often). ``activities``: activities taken part in. ``answers`` and
    ``best_answers``: answers given in ask-an-expert that are visible, and those the asker marked
    best.
    """

    endorsers: frozenset[int] = field(default_factory=frozenset)
    activities: int = 0
    answers: int = 0
    best_answers: int = 0

    def __add__(self, other: Contribution) -> Contribution:
        return Contribution(
            endorsers=self.endorsers | other.endorsers,
            activities=self.activities + other.activities,
            answers=self.answers + other.answers,
            best_answers=self.best_answers + other.best_answers,
        )


NO_CONTRIBUTION = Contribution()

Edge = engine.Endorsement | engine.Referral
EdgeSource = Callable[[], Iterable[Edge]]
ContributionSource = Callable[[Sequence[int]], Mapping[int, Contribution]]

_edge_sources: dict[str, EdgeSource] = {}
_contribution_sources: dict[str, ContributionSource] = {}


def edge_source_register(name: str, source: EdgeSource) -> None:
    """Register (or replace, by ``name``) a source of endorsement and referral edges, whose
    node ids are user ids as strings."""
    _edge_sources[name] = source


def contribution_source_register(name: str, source: ContributionSource) -> None:
    """Register (or replace, by ``name``) a source of contributions per user id."""
    _contribution_sources[name] = source


def edges() -> tuple[list[engine.Endorsement], list[engine.Referral]]:
    """Every registered source's edges, endorsements and referrals apart."""
    endorsements: list[engine.Endorsement] = []
    referrals: list[engine.Referral] = []
    for name in sorted(_edge_sources):
        for edge in _edge_sources[name]():
            if isinstance(edge, engine.Endorsement):
                endorsements.append(edge)
            else:
                referrals.append(edge)
    return endorsements, referrals


def contributions(user_ids: Sequence[int]) -> dict[int, Contribution]:
    """Each person's contributions summed over every registered source (absent: none)."""
    total: dict[int, Contribution] = {}
    if not user_ids:
        return total
    for name in sorted(_contribution_sources):
        for pk, part in _contribution_sources[name](user_ids).items():
            total[pk] = total.get(pk, NO_CONTRIBUTION) + part
    return total
