"""Idempotency-Key on the routes that move money: a retried request never charges twice."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.api.factories import bearer, make_token
from tests.contracts.factories import give_balance, offer
from tests.support.races import race
from tsunagu.accounts.models import User
from tsunagu.api.models import IdempotentRequest
from tsunagu.payments import selectors
from tsunagu.payments.models import BankAccount, Payment

pytestmark = pytest.mark.django_db(transaction=True)

TOP_UPS = "/api/v1/wallet/top-ups"


def person() -> tuple[User, dict[str, Any]]:
    user = UserFactory()
    _, secret = make_token(user=user)
    return user, bearer(secret)


def post(url: str, body: Any, auth: dict[str, Any], key: str | None = None, **extra: Any) -> Any:
    headers: dict[str, Any] = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return Client().post(
        url, json.dumps(body), content_type="application/json", **auth, **headers, **extra
    )


def balance(user: User) -> int:
    return selectors.wallet_summary(user_id=user.pk).balance


def test_the_same_key_and_body_answer_the_first_result_without_a_second_charge() -> None:
    user, auth = person()
    first = post(TOP_UPS, {"amount": 10_000}, auth, key="topup-1")
    again = post(TOP_UPS, {"amount": 10_000}, auth, key="topup-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Payment.objects.filter(user=user).count() == 1
    assert balance(user) == 10_000


def test_the_same_key_with_another_body_is_409_and_changes_nothing() -> None:
    user, auth = person()
    post(TOP_UPS, {"amount": 10_000}, auth, key="topup-1")
    other = post(TOP_UPS, {"amount": 20_000}, auth, key="topup-1", HTTP_ACCEPT_LANGUAGE="en")
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    assert "different request" in other.json()["message"]
    assert Payment.objects.filter(user=user).count() == 1
    assert balance(user) == 10_000


def test_keys_are_per_person() -> None:
    one, one_auth = person()
    two, two_auth = person()
    assert post(TOP_UPS, {"amount": 10_000}, one_auth, key="same").status_code == 201
    assert post(TOP_UPS, {"amount": 20_000}, two_auth, key="same").status_code == 201
    assert (balance(one), balance(two)) == (10_000, 20_000)


def test_without_a_key_each_request_is_carried_out() -> None:
    user, auth = person()
    post(TOP_UPS, {"amount": 10_000}, auth)
    post(TOP_UPS, {"amount": 10_000}, auth)
    assert balance(user) == 20_000
    assert not IdempotentRequest.objects.exists()


def test_a_refused_request_does_not_use_up_its_key() -> None:
    user, auth = person()
    refused = post(TOP_UPS, {"amount": 1}, auth, key="k")
    assert refused.status_code == 422
    assert not IdempotentRequest.objects.exists()
    assert post(TOP_UPS, {"amount": 10_000}, auth, key="k").status_code == 201
    assert balance(user) == 10_000


@pytest.mark.parametrize("key", ["", "x" * 256, "鍵", "line\tbreak"])
def test_a_malformed_key_is_400(key: str) -> None:
    _user, auth = person()
    response = post(TOP_UPS, {"amount": 10_000}, auth, key=key)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert not Payment.objects.exists()


def test_a_declined_top_up_is_replayed_not_retried() -> None:
    user, auth = person()
    first = post(TOP_UPS, {"amount": 10_402}, auth, key="d")
    again = post(TOP_UPS, {"amount": 10_402}, auth, key="d")
    assert first.status_code == again.status_code == 402
    assert Payment.objects.filter(user=user).count() == 1


def test_payout_with_a_key_reserves_once() -> None:
    user, auth = person()
    give_balance(user, 50_000)
    BankAccount.objects.create(
        user=user,
        bank_name="つなぐ銀行",
        branch_name="本店",
        account_type="ordinary",
        account_number="1234567",
        holder_kana="ﾔﾏﾀﾞ ﾊﾅｺ",
    )
    first = post("/api/v1/wallet/payouts", {"amount": 10_000}, auth, key="p")
    again = post("/api/v1/wallet/payouts", {"amount": 10_000}, auth, key="p")
    assert first.status_code in (201, 202)
    assert again.json() == first.json()
    assert Payment.objects.filter(user=user, kind="payout").count() == 1


def test_funding_with_a_key_is_answered_the_same() -> None:
    client_user, auth = person()
    contract = offer(client=client_user)
    give_balance(client_user, 100_000)
    milestone = contract.milestones.get()
    url = f"/api/v1/contracts/{contract.pk}/milestones/{milestone.pk}/fund"
    first = post(url, {"method": "wallet"}, auth, key="f")
    again = post(url, {"method": "wallet"}, auth, key="f")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    # held once: ¥30,000 and its 10% consumption tax, not twice
    assert selectors.wallet_summary(user_id=client_user.pk).held == 33_000
    other = post(url, {"method": "card"}, auth, key="f")
    assert other.status_code == 409


def test_two_requests_with_one_key_at_once_charge_once() -> None:
    user, auth = person()

    def top_up() -> int:
        return int(post(TOP_UPS, {"amount": 10_000}, auth, key="race").status_code)

    results = race(top_up, top_up)
    assert sorted(results) in ([201, 201], [201, 409]), results
    assert Payment.objects.filter(user=user).count() == 1
    assert balance(user) == 10_000


def test_answered_keys_are_forgotten_after_a_week_and_unanswered_ones_kept() -> None:
    from django.utils import timezone

    from tsunagu.api.idempotency import KEEP_ANSWERED, idempotency_records_sweep
    from tsunagu.core.periodic import registered_jobs

    user = UserFactory()
    now = timezone.now()

    def record(key: str, *, answered_ago: Any) -> IdempotentRequest:
        completed = None if answered_ago is None else now - answered_ago
        return IdempotentRequest.objects.create(
            user=user, key=key, fingerprint="f" * 64, status_code=201, completed_at=completed
        )

    old = record("old", answered_ago=KEEP_ANSWERED + datetime.timedelta(minutes=1))
    recent = record("recent", answered_ago=KEEP_ANSWERED - datetime.timedelta(minutes=1))
    stuck = record("stuck", answered_ago=None)
    IdempotentRequest.objects.filter(pk=stuck.pk).update(created_at=now - 4 * KEEP_ANSWERED)

    assert idempotency_records_sweep(now=now) == 1
    assert set(IdempotentRequest.objects.values_list("pk", flat=True)) == {recent.pk, stuck.pk}
    assert not IdempotentRequest.objects.filter(pk=old.pk).exists()
    assert idempotency_records_sweep(now=now) == 0
    assert "api.idempotency" in registered_jobs()
