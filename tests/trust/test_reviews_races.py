"""Reviews written at the same moment, each on its own connection: the pair is published exactly
once, and one person never gets two reviews in."""

from __future__ import annotations

import pytest

from tests.support.races import race
from tests.trust.factories import paid_contract, review
from tsunagu.audit.models import AuditEvent
from tsunagu.notifications.models import Notification
from tsunagu.trust.errors import ReviewError
from tsunagu.trust.models import Review

pytestmark = pytest.mark.django_db(transaction=True)


def test_both_parties_at_once_reveal_the_pair_exactly_once() -> None:
    contract = paid_contract()
    results = race(
        lambda: review(contract, contract.client, text="クライアントから"),
        lambda: review(contract, contract.worker, text="ワーカーから"),
    )
    assert all(isinstance(r, Review) for r in results), results
    reviews = list(Review.objects.filter(contract=contract))
    assert len(reviews) == 2
    assert all(r.revealed_at is not None for r in reviews)
    assert reviews[0].revealed_at == reviews[1].revealed_at
    assert AuditEvent.objects.filter(event="reviews.revealed").count() == 1
    assert Notification.objects.filter(kind="review.revealed").count() == 2
    # exactly one of them was told that a review waits
    assert Notification.objects.filter(kind="review.received").count() == 1


def test_a_double_submit_stores_one_review() -> None:
    contract = paid_contract()
    results = race(
        lambda: review(contract, contract.client, stars=5),
        lambda: review(contract, contract.client, stars=1),
    )
    errors = [r for r in results if isinstance(r, ReviewError)]
    assert len(errors) == 1 and errors[0].code == "already_reviewed"
    assert Review.objects.filter(contract=contract).count() == 1
