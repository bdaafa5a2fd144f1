"""The trust score: 0–100 per person and role, with the breakdown that explains it.

No Django here: the facts come in as plain numbers (``Facts``), the score goes out as plain data
(``Score``) whose components carry a stable code and the numbers behind them; the trust app
turns those into sentences in the reader's language.

Each component gives a value between 0 and 1 and has a weight; the score is the weighted sum,
scaled to 100. Rates are *Bayesian*: a person with few observations is pulled toward a prior
(the platform's typical value), so that one lucky or unlucky contract does not decide a score,
and a new account is neither punished nor flattered. Someone with no completed paid contract in
a role has no score in it (``Score.value is None``, shown as "new"), never a low number.

The weights (out of 100) are the same for everybody in a role and are part of the breakdown:

========================  ======  ======
component                 worker  client
========================  ======  ======
identity                      12      12
track record                  15      15
on-time delivery              15       —
payment reliability            —      15
cancellations, disputes       10      10
response time                  5       5
reviews                       20      20
repeat clients / workers       8       8
network trust                 15      15
========================  ======  ======
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    WORKER = "worker"
    CLIENT = "client"


class Component(StrEnum):
    IDENTITY = "identity"
    TRACK_RECORD = "track_record"
    ON_TIME = "on_time"
    PAYMENT = "payment"
    CONDUCT = "conduct"
    RESPONSE = "response"
    REVIEWS = "reviews"
    REPEAT = "repeat"
    NETWORK = "network"
    COMMUNITY = "community"


WEIGHTS: dict[Role, dict[Component, int]] = {
    Role.WORKER: {
        Component.IDENTITY: 12,
        Component.TRACK_RECORD: 15,
        Component.ON_TIME: 15,
        Component.CONDUCT: 10,
        Component.RESPONSE: 5,
        Component.REVIEWS: 20,
        Component.REPEAT: 6,
        Component.NETWORK: 12,
        Component.COMMUNITY: 5,
    },
    Role.CLIENT: {
        Component.IDENTITY: 12,
        Component.TRACK_RECORD: 15,
        Component.PAYMENT: 15,
        Component.CONDUCT: 10,
        Component.RESPONSE: 5,
        Component.REVIEWS: 20,
        Component.REPEAT: 6,
        Component.NETWORK: 12,
        Component.COMMUNITY: 5,
    },
}

# How much each identity check adds (they sum to 1): a document checked by staff counts most.
IDENTITY_PARTS: dict[str, float] = {
    "email": 0.10,
    "phone": 0.20,
    "identity_document": 0.40,
    "real_name": 0.15,
    "face_photo": 0.15,
}

# The track record saturates: 30 contracts and ¥5,000,000 earn the full value (log-scaled, so
# the first contracts count most and volume cannot be farmed for ever).
FULL_CONTRACTS = 30
FULL_VALUE_YEN = 5_000_000

# Priors: the value a rate is pulled toward, and how many observations the prior is worth.
ON_TIME_PRIOR = (0.85, 4.0)
PAYMENT_PRIOR = (0.9, 4.0)
CONDUCT_PRIOR = (0.95, 5.0)  # share of contracts that ended without a cancellation or lost dispute
REPEAT_PRIOR = (0.2, 3.0)
STARS_PRIOR_WEIGHT = 5.0  # reviews: as many imaginary reviews at the platform's mean

# Community standing and expert answers: a small part, and one that fake accounts cannot fill.
# Each endorsement counts by the endorser's own network percentile (none without network trust),
# so a community of accounts that only vouch for one another adds nothing; activities and answers
# saturate early.
FULL_ENDORSEMENT_STRENGTH = 5.0  # five endorsers at the top of the network
FULL_ACTIVITIES = 10
FULL_EXPERTISE = 10.0  # best answers, plus a quarter for each other answer
ANSWER_SHARE = 0.25
COMMUNITY_SHARES = (0.6, 0.2, 0.2)  # endorsements, activities, answers

# Response time: full value up to 2 hours, none from 72 hours, log-linear in between.
RESPONSE_FULL_HOURS = 2.0
RESPONSE_ZERO_HOURS = 72.0


@dataclass(frozen=True)
class Facts:
    """What the platform knows of one person in one role (all counts are of paid contracts).

    ``on_time`` / ``on_time_total``: milestones delivered by their due date (worker).
    ``payment_ok`` / ``payment_total``: for a client, milestones funded promptly after the terms
    were accepted and deliveries accepted within the inspection period, i.e. not auto-accepted
    after being ignored; each milestone counts once per obligation.
    ``troubled``: contracts cancelled after work started, plus disputes decided against them.
    ``stars``: the stars of the revealed reviews they received in this role.
    ``repeat_counterparties`` / ``counterparties``: people they worked with more than once /
    people they worked with.
    ``network_percentile``: where their network trust ranks among people with a score, 0–1.
    ``endorsers`` / ``endorsement_strength``: people who endorsed them after an activity
    together, and the sum of those people's network percentiles. ``activities``: community
    activities taken part in. ``answers`` / ``best_answers``: ask-an-expert answers given, and
    those marked best.
    """

    role: Role
    identity: frozenset[str] = frozenset()
    completed_contracts: int = 0
    completed_value: int = 0
    on_time: int = 0
    on_time_total: int = 0
    payment_ok: int = 0
    payment_total: int = 0
    troubled: int = 0
    response_hours: float | None = None
    stars: Sequence[int] = ()
    repeat_counterparties: int = 0
    counterparties: int = 0
    network_percentile: float | None = None
    endorsement_strength: float = 0.0
    endorsers: int = 0
    activities: int = 0
    answers: int = 0
    best_answers: int = 0


@dataclass(frozen=True)
class Part:
    """One line of the breakdown: ``value`` (0–1) × ``weight`` gives ``points``.

    ``known`` is False when there is nothing to go on yet (the value is then the prior's, said
    so in the sentence). ``numbers`` are what the sentence quotes.
    """

    component: Component
    weight: int
    value: float
    known: bool
    numbers: Mapping[str, float] = field(default_factory=dict)

    @property
    def points(self) -> float:
        return round(self.weight * self.value, 1)


@dataclass(frozen=True)
class Score:
    role: Role
    value: int | None  # None: new in this role, no completed paid contract yet
    parts: tuple[Part, ...]

    @property
    def is_new(self) -> bool:
        return self.value is None


def bayesian_rate(successes: float, total: float, prior: tuple[float, float]) -> float:
    """The rate pulled toward ``prior = (mean, weight)``: (s + m·w) / (n + w)."""
    mean, weight = prior
    if total < 0 or successes < 0 or successes > total:
        raise ValueError("need 0 <= successes <= total")
    return (successes + mean * weight) / (total + weight)


def bayesian_stars(stars: Sequence[int], *, platform_mean: float) -> float:
    """The average star rating pulled toward the platform's mean by STARS_PRIOR_WEIGHT reviews."""
    if any(s < 1 or s > 5 for s in stars):
        raise ValueError("stars are 1 to 5")
    return (sum(stars) + platform_mean * STARS_PRIOR_WEIGHT) / (len(stars) + STARS_PRIOR_WEIGHT)


def _log_share(amount: float, full: float) -> float:
    return min(1.0, math.log1p(max(amount, 0)) / math.log1p(full))


def _response_value(hours: float) -> float:
    if hours <= RESPONSE_FULL_HOURS:
        return 1.0
    if hours >= RESPONSE_ZERO_HOURS:
        return 0.0
    span = math.log(RESPONSE_ZERO_HOURS / RESPONSE_FULL_HOURS)
    return 1.0 - math.log(hours / RESPONSE_FULL_HOURS) / span


def _part(facts: Facts, component: Component, *, platform_mean: float) -> Part:
    weight = WEIGHTS[facts.role][component]
    if component is Component.IDENTITY:
        value = sum(IDENTITY_PARTS.get(code, 0.0) for code in facts.identity)
        return Part(component, weight, min(value, 1.0), True, {"checks": len(facts.identity)})
    if component is Component.TRACK_RECORD:
        value = 0.5 * _log_share(facts.completed_contracts, FULL_CONTRACTS) + 0.5 * _log_share(
            facts.completed_value, FULL_VALUE_YEN
        )
        numbers = {"contracts": facts.completed_contracts, "value": facts.completed_value}
        return Part(component, weight, value, facts.completed_contracts > 0, numbers)
    if component is Component.ON_TIME:
        value = bayesian_rate(facts.on_time, facts.on_time_total, ON_TIME_PRIOR)
        numbers = {"on_time": facts.on_time, "total": facts.on_time_total}
        return Part(component, weight, value, facts.on_time_total > 0, numbers)
    if component is Component.PAYMENT:
        value = bayesian_rate(facts.payment_ok, facts.payment_total, PAYMENT_PRIOR)
        numbers = {"ok": facts.payment_ok, "total": facts.payment_total}
        return Part(component, weight, value, facts.payment_total > 0, numbers)
    if component is Component.CONDUCT:
        total = max(facts.completed_contracts, facts.troubled)
        value = bayesian_rate(total - facts.troubled, total, CONDUCT_PRIOR)
        numbers = {"troubled": facts.troubled, "total": total}
        return Part(component, weight, value, total > 0, numbers)
    if component is Component.RESPONSE:
        if facts.response_hours is None:
            return Part(component, weight, 0.5, False)
        hours = round(facts.response_hours, 1)
        return Part(
            component, weight, _response_value(facts.response_hours), True, {"hours": hours}
        )
    if component is Component.REVIEWS:
        average = bayesian_stars(facts.stars, platform_mean=platform_mean)
        quoted: dict[str, float] = {
            "count": len(facts.stars),
            "average": round(sum(facts.stars) / len(facts.stars), 2) if facts.stars else 0,
            "adjusted": round(average, 2),
        }
        return Part(component, weight, (average - 1) / 4, bool(facts.stars), quoted)
    if component is Component.REPEAT:
        value = bayesian_rate(facts.repeat_counterparties, facts.counterparties, REPEAT_PRIOR)
        numbers = {"repeat": facts.repeat_counterparties, "total": facts.counterparties}
        return Part(component, weight, value, facts.counterparties > 0, numbers)
    if component is Component.COMMUNITY:
        expertise = facts.best_answers + ANSWER_SHARE * max(facts.answers - facts.best_answers, 0)
        endorsed, active, answered = COMMUNITY_SHARES
        value = (
            endorsed * _log_share(facts.endorsement_strength, FULL_ENDORSEMENT_STRENGTH)
            + active * _log_share(facts.activities, FULL_ACTIVITIES)
            + answered * _log_share(expertise, FULL_EXPERTISE)
        )
        numbers = {
            "endorsers": facts.endorsers,
            "activities": facts.activities,
            "answers": facts.answers,
            "best_answers": facts.best_answers,
        }
        known = bool(facts.endorsers or facts.activities or facts.answers)
        return Part(component, weight, value, known, numbers)
    # Component.NETWORK
    if facts.network_percentile is None:
        return Part(component, weight, 0.0, False)
    percentile = min(max(facts.network_percentile, 0.0), 1.0)
    return Part(component, weight, percentile, True, {"percentile": round(percentile * 100)})


def trust_score(facts: Facts, *, platform_mean_stars: float = 4.5) -> Score:
    """The score and its breakdown; ``value`` None until a first paid contract is completed."""
    if not 1 <= platform_mean_stars <= 5:
        raise ValueError("the platform's mean is between 1 and 5 stars")
    parts = tuple(
        _part(facts, component, platform_mean=platform_mean_stars)
        for component in WEIGHTS[facts.role]
    )
    if facts.completed_contracts <= 0:
        return Score(facts.role, None, parts)
    total = sum(part.weight * part.value for part in parts)
    return Score(facts.role, round(total), parts)
