"""An offer carries an estimate of its hours a week; before accepting, the worker is warned when
it would take them over the weekly capacity on their profile."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.api.factories import bearer, make_token
from tests.contracts.factories import offer
from tsunagu.contracts.models import Contract
from tsunagu.contracts.selectors import capacity_for
from tsunagu.profiles.models import Profile

pytestmark = pytest.mark.django_db


def worker_with_capacity(hours: int) -> Profile:
    profile = Profile.objects.get(user=UserFactory())
    profile.weekly_capacity_hours, profile.is_worker = hours, True
    profile.save()
    return profile


def page_for(user: object, contract: Contract) -> str:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()


def test_running_contracts_count_and_an_offer_over_capacity_warns() -> None:
    worker = worker_with_capacity(20).user
    offer(worker=worker, weekly_hours=12)  # accepted: running
    offer(worker=worker, weekly_hours=5, accept=False)  # only offered: not committed yet
    offer(worker=worker)  # running, with no estimate

    capacity = capacity_for(worker_id=worker.pk)
    assert (capacity.committed, capacity.without_estimate, capacity.remaining) == (12, 1, 8)

    big = offer(worker=worker, weekly_hours=10, accept=False)
    small = offer(worker=worker, weekly_hours=8, accept=False)
    assert 'data-testid="capacity-warning"' in page_for(worker, big)
    assert 'data-testid="capacity-warning"' not in page_for(worker, small)
    # the client is not shown the worker's capacity
    assert 'data-testid="capacity-warning"' not in page_for(big.client, big)


@pytest.mark.parametrize("hours", [0, 81, -3])
def test_an_impossible_estimate_is_refused(hours: int) -> None:
    with pytest.raises(ValidationError) as caught:
        offer(weekly_hours=hours, accept=False)
    assert "weekly_hours" in caught.value.message_dict
    assert not Contract.objects.exists()


def test_the_api_takes_the_estimate_and_refuses_nonsense() -> None:
    client_user, worker = UserFactory(), worker_with_capacity(20)
    secret = make_token(user=client_user)[1]
    body = {
        "worker_profile_id": worker.pk,
        "title": "翻訳",
        "description": "商品ページの翻訳",
        "deliverables": "テキスト",
        "milestones": [{"title": "一式", "amount": 10000, "due_date": "2099-01-10"}],
        "payment_due": "2099-02-10",
    }
    bad = Client().post(
        "/api/v1/contracts",
        data=json.dumps({**body, "weekly_hours": 500}),
        content_type="application/json",
        **bearer(secret),
    )
    good = Client().post(
        "/api/v1/contracts",
        data=json.dumps({**body, "weekly_hours": 15}),
        content_type="application/json",
        **bearer(secret),
    )
    assert bad.status_code == 422
    assert good.status_code == 201
    assert Contract.objects.get().weekly_hours == 15
