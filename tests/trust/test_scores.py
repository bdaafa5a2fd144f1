"""Scores are stored on profiles as soon as money moves or reviews are published."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.trust.factories import paid_contract, review
from tsunagu.profiles.models import Profile
from tsunagu.profiles.services import profile_trust_scores_record
from tsunagu.trust import scores
from tsunagu.trust.scores import trust_scores_for, trust_scores_refresh
from tsunagu.trust.scoring import Role

pytestmark = pytest.mark.django_db


def stored(user_id: int) -> tuple[int | None, int | None]:
    profile = Profile.objects.get(user_id=user_id)
    return profile.worker_trust_score, profile.client_trust_score


def test_a_payment_gives_both_people_a_score_after_the_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    client, worker = UserFactory(), UserFactory()
    assert stored(worker.pk) == (None, None)

    with django_capture_on_commit_callbacks(execute=True):
        paid_contract(client=client, worker=worker)

    as_worker, _ = stored(worker.pk)
    _, as_client = stored(client.pk)
    assert as_worker is not None and 0 < as_worker <= 100
    assert as_client is not None and 0 < as_client <= 100
    # each is still new in the other role
    assert stored(worker.pk)[1] is None and stored(client.pk)[0] is None


def test_published_reviews_count_in_the_score(django_capture_on_commit_callbacks: Any) -> None:
    contract = paid_contract()
    trust_scores_refresh(user_ids=[contract.worker_id])
    before = stored(contract.worker_id)[0]

    with django_capture_on_commit_callbacks(execute=True):
        review(contract, contract.client, stars=1, text="連絡が途絶えました")
        review(contract, contract.worker, stars=5)

    after = stored(contract.worker_id)[0]
    assert before is not None and after is not None and after < before
    score = trust_scores_for(user_ids=[contract.worker_id], role=Role.WORKER)[contract.worker_id]
    reviews = next(p for p in score.parts if p.component == "reviews")
    assert reviews.known and reviews.numbers["count"] == 1


def test_unpublished_reviews_do_not_count_yet() -> None:
    contract = paid_contract()
    review(contract, contract.client, stars=1, text="連絡が途絶えました")  # the worker has not

    score = trust_scores_for(user_ids=[contract.worker_id], role=Role.WORKER)[contract.worker_id]

    assert not next(p for p in score.parts if p.component == "reviews").known


def test_scores_of_many_people_take_a_constant_number_of_queries() -> None:
    """As many queries for four people as for one, whatever the apps that feed contributions."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    workers = [paid_contract().worker_id for _ in range(4)]

    with CaptureQueriesContext(connection) as one:
        trust_scores_for(user_ids=workers[:1], role=Role.WORKER)
    with CaptureQueriesContext(connection) as four:
        scores = trust_scores_for(user_ids=workers, role=Role.WORKER)

    assert len(four) == len(one) <= 16
    assert len(scores) == 4 and all(not s.is_new for s in scores.values())


def test_an_impossible_score_is_refused_and_nothing_is_stored() -> None:
    user = UserFactory()

    with pytest.raises(ValueError):
        profile_trust_scores_record(scores={user.pk: (101, None)})

    assert stored(user.pk) == (None, None)


def test_the_profile_shows_the_score_and_why_in_japanese() -> None:
    contract = paid_contract()
    newcomer = UserFactory()

    worker_page = Client().get(reverse("profiles:detail", args=[contract.worker.profile.pk]))
    new_page = Client().get(reverse("profiles:detail", args=[newcomer.profile.pk]))

    text = worker_page.content.decode()
    assert "信用スコア" in text and "このスコアの理由" in text
    assert "支払いまで完了した契約 1 件、合計 〜¥50,000。" in text  # a band, not the amount
    assert "30,000" not in text
    assert "新規" in new_page.content.decode()


def test_a_failing_refresh_never_undoes_the_payment(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> int:
        raise RuntimeError("database busy")

    monkeypatch.setattr(scores, "trust_scores_refresh", broken)
    with django_capture_on_commit_callbacks(execute=True):
        contract = paid_contract()

    contract.refresh_from_db()
    assert contract.milestones.get().released_amount > 0
    assert stored(contract.worker_id) == (None, None)


def test_registered_contributions_reach_the_score_and_weigh_endorsers_by_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tsunagu.trust import sources
    from tsunagu.trust.models import NetworkRun, NetworkTrust

    contract = paid_contract()
    trusted, fake = UserFactory(), UserFactory()
    run = NetworkRun.objects.create(status="done")
    NetworkTrust.objects.create(user=trusted, run=run, score=0.1, percentile=0.9)
    monkeypatch.setattr(sources, "_contribution_sources", {})
    sources.contribution_source_register(
        "test",
        lambda ids: {
            contract.worker_id: sources.Contribution(
                endorsers=frozenset({trusted.pk, fake.pk}), activities=2, answers=1
            )
        },
    )

    score = trust_scores_for(user_ids=[contract.worker_id], role=Role.WORKER)[contract.worker_id]

    community = next(p for p in score.parts if p.component == "community")
    assert community.known and community.numbers["endorsers"] == 2
    assert community.value > 0


def test_a_shown_score_is_the_refreshed_one_and_is_read_again_once_it_expires(
    django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    contract = paid_contract()
    worker_id = contract.worker_id
    trust_scores_refresh(user_ids=[worker_id])
    stored_value = stored(worker_id)[0]

    # the refresh put what it stored in the cache: showing it reads nothing
    with django_assert_num_queries(0):
        shown = scores.trust_scores_shown(user_id=worker_id)
    assert shown[Role.WORKER].value == stored_value

    # a second paid contract with another client, not followed by a refresh: still the old score
    paid_contract(worker=contract.worker)
    assert scores.trust_scores_shown(user_id=worker_id)[Role.WORKER].value == stored_value
    fresh = trust_scores_for(user_ids=[worker_id], role=Role.WORKER)[worker_id]
    assert fresh.value != stored_value

    # ... until the shown score expires, or a refresh replaces it at once
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=scores.SHOWN_SECONDS + 1)):
        assert scores.trust_scores_shown(user_id=worker_id)[Role.WORKER].value == fresh.value
    cache.clear()
    scores.trust_scores_shown(user_id=worker_id)
    with django_capture_on_commit_callbacks(execute=True):
        review(contract, contract.client, stars=1, text="連絡が途絶えました")
        review(contract, contract.worker, stars=5)
    reviewed = trust_scores_for(user_ids=[worker_id], role=Role.WORKER)[worker_id]
    assert scores.trust_scores_shown(user_id=worker_id)[Role.WORKER] == reviewed
    assert stored(worker_id)[0] == reviewed.value
