"""GET /api/v1/trust/{user_id}: anyone can read a person's score and why, in their language."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.trust.factories import paid_contract

pytestmark = pytest.mark.django_db


def test_the_score_and_its_breakdown_are_public() -> None:
    contract = paid_contract()

    response = Client().get(f"/api/v1/trust/{contract.worker_id}", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert body["user_id"] == contract.worker_id
    assert body["worker"]["new"] is False and 0 < body["worker"]["value"] <= 100
    assert body["client"] == {**body["client"], "new": True, "value": None}
    parts = {p["component"]: p for p in body["worker"]["parts"]}
    assert sum(p["weight"] for p in parts.values()) == 100
    assert parts["track_record"]["sentence"] == "1 completed paid contract, up to ¥50,000 in all."


def test_the_sentences_follow_the_readers_language() -> None:
    contract = paid_contract()

    body = Client().get(f"/api/v1/trust/{contract.worker_id}", HTTP_ACCEPT_LANGUAGE="ja").json()

    parts = {p["component"]: p for p in body["worker"]["parts"]}
    assert parts["track_record"]["label"] == "取引実績"


@pytest.mark.parametrize("user_id", ["0", "-1", str(2**70), "abc"])
def test_unknown_and_impossible_ids_are_refused_cleanly(user_id: str) -> None:
    response = Client().get(f"/api/v1/trust/{user_id}")

    assert response.status_code in {404, 422}
    assert "code" in response.json()


def test_an_inactive_account_is_not_found() -> None:
    gone = UserFactory(is_active=False)

    assert Client().get(f"/api/v1/trust/{gone.pk}").status_code == 404
