"""The trust score's rules, in memory: weights, priors, the new state and its resistance to noise."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.trust.scoring import (
    WEIGHTS,
    Component,
    Facts,
    Role,
    bayesian_rate,
    bayesian_stars,
    trust_score,
)

SEASONED = Facts(
    role=Role.WORKER,
    identity=frozenset({"email", "phone", "identity_document", "real_name", "face_photo"}),
    completed_contracts=40,
    completed_value=6_000_000,
    on_time=58,
    on_time_total=60,
    troubled=1,
    response_hours=1.5,
    stars=[5] * 35 + [4] * 5,
    repeat_counterparties=8,
    counterparties=20,
    network_percentile=0.9,
)


def part(facts: Facts, component: Component) -> float:
    return next(p.value for p in trust_score(facts).parts if p.component is component)


@pytest.mark.parametrize("role", list(Role))
def test_the_weights_of_each_role_add_up_to_100(role: Role) -> None:
    assert sum(WEIGHTS[role].values()) == 100


def test_clients_are_judged_on_payment_and_workers_on_delivery() -> None:
    assert (
        Component.PAYMENT in WEIGHTS[Role.CLIENT] and Component.ON_TIME not in WEIGHTS[Role.CLIENT]
    )
    assert (
        Component.ON_TIME in WEIGHTS[Role.WORKER] and Component.PAYMENT not in WEIGHTS[Role.WORKER]
    )


def test_a_new_account_is_new_not_low() -> None:
    score = trust_score(Facts(role=Role.WORKER, identity=frozenset({"email", "phone"})))

    assert score.is_new and score.value is None
    # the breakdown is still there, and says what is known
    identity = next(p for p in score.parts if p.component is Component.IDENTITY)
    assert identity.known and identity.value == pytest.approx(0.3)
    assert not next(p for p in score.parts if p.component is Component.REVIEWS).known


def test_a_long_good_record_scores_high_and_its_points_add_up() -> None:
    score = trust_score(SEASONED)

    assert score.value is not None and score.value >= 85
    assert sum(p.points for p in score.parts) == pytest.approx(score.value, abs=1)


def test_few_reviews_are_pulled_toward_the_platform_mean() -> None:
    one_bad = dataclasses.replace(SEASONED, stars=[1])
    one_good = dataclasses.replace(SEASONED, stars=[5])
    many_good = dataclasses.replace(SEASONED, stars=[5] * 50)

    assert part(one_bad, Component.REVIEWS) > 0.6  # one review cannot sink a person
    assert part(one_good, Component.REVIEWS) < part(many_good, Component.REVIEWS)
    assert bayesian_stars([], platform_mean=4.5) == 4.5


def test_review_bombing_moves_a_solid_record_only_a_little() -> None:
    bombed = dataclasses.replace(SEASONED, stars=[*SEASONED.stars, 1, 1, 1, 1])

    before, after = trust_score(SEASONED).value, trust_score(bombed).value
    assert before is not None and after is not None
    assert 0 <= before - after <= 3


def test_farming_volume_saturates() -> None:
    thirty = dataclasses.replace(SEASONED, completed_contracts=30, completed_value=5_000_000)
    thousand = dataclasses.replace(SEASONED, completed_contracts=1000, completed_value=500_000_000)

    assert part(thirty, Component.TRACK_RECORD) == part(thousand, Component.TRACK_RECORD) == 1.0


def test_late_delivery_and_trouble_lower_the_score() -> None:
    late = dataclasses.replace(SEASONED, on_time=30)
    troubled = dataclasses.replace(SEASONED, troubled=10)
    base = trust_score(SEASONED).value or 0

    assert (trust_score(late).value or 0) < base
    assert (trust_score(troubled).value or 0) < base


def test_slow_replies_count_less_and_unknown_is_neutral() -> None:
    assert part(dataclasses.replace(SEASONED, response_hours=100), Component.RESPONSE) == 0
    assert part(dataclasses.replace(SEASONED, response_hours=0.2), Component.RESPONSE) == 1
    assert part(dataclasses.replace(SEASONED, response_hours=None), Component.RESPONSE) == 0.5


def test_impossible_facts_are_refused() -> None:
    with pytest.raises(ValueError):
        trust_score(dataclasses.replace(SEASONED, stars=[6]))
    with pytest.raises(ValueError):
        bayesian_rate(5, 4, (0.5, 1))
    with pytest.raises(ValueError):
        trust_score(SEASONED, platform_mean_stars=0)


@given(
    role=st.sampled_from(list(Role)),
    contracts=st.integers(0, 10_000),
    value=st.integers(0, 10**10),
    ok=st.integers(0, 500),
    extra=st.integers(0, 500),
    troubled=st.integers(0, 500),
    hours=st.none() | st.floats(0, 10_000),
    stars=st.lists(st.integers(1, 5), max_size=60),
    percentile=st.none() | st.floats(0, 1),
)
def test_the_score_is_always_between_0_and_100(
    role: Role,
    contracts: int,
    value: int,
    ok: int,
    extra: int,
    troubled: int,
    hours: float | None,
    stars: list[int],
    percentile: float | None,
) -> None:
    facts = Facts(
        role=role,
        completed_contracts=contracts,
        completed_value=value,
        on_time=ok,
        on_time_total=ok + extra,
        payment_ok=ok,
        payment_total=ok + extra,
        troubled=troubled,
        response_hours=hours,
        stars=stars,
        repeat_counterparties=min(ok, contracts),
        counterparties=contracts,
        network_percentile=percentile,
    )
    score = trust_score(facts)

    assert (score.value is None) == (contracts == 0)
    assert score.value is None or 0 <= score.value <= 100
    assert all(0 <= p.value <= 1 for p in score.parts)


# --- communities and answers --------------------------------------------------------------------


def test_endorsements_count_by_the_endorsers_standing_not_their_number() -> None:
    fakes = dataclasses.replace(SEASONED, endorsers=50, endorsement_strength=0.0)
    trusted = dataclasses.replace(SEASONED, endorsers=3, endorsement_strength=2.7)

    assert part(fakes, Component.COMMUNITY) == 0.0  # fifty endorsers without network trust
    assert part(trusted, Component.COMMUNITY) > 0.3


def test_the_community_part_saturates_and_weighs_little() -> None:
    most = dataclasses.replace(
        SEASONED,
        endorsers=100,
        endorsement_strength=100.0,
        activities=500,
        answers=1000,
        best_answers=400,
    )
    line = next(p for p in trust_score(most).parts if p.component is Component.COMMUNITY)
    assert line.value == pytest.approx(1.0)
    assert line.points == WEIGHTS[Role.WORKER][Component.COMMUNITY] == 5
    # answers alone add a little; best answers more
    some = dataclasses.replace(SEASONED, answers=4)
    best = dataclasses.replace(SEASONED, answers=4, best_answers=4)
    assert 0 < part(some, Component.COMMUNITY) < part(best, Component.COMMUNITY) <= 0.2
