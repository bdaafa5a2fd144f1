"""/api/v1/wallet: only the caller's own wallet; strict input; refusals change nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import UserFactory
from tests.api.factories import bearer, make_token
from tests.contracts.factories import give_balance
from tsunagu.accounts.models import User
from tsunagu.payments import selectors
from tsunagu.payments.models import BankAccount, Payment

pytestmark = pytest.mark.django_db(transaction=True)

BANK = {
    "bank_name": "つなぐ銀行",
    "branch_name": "本店",
    "account_type": "ordinary",
    "account_number": "1234567",
    "holder_kana": "ﾔﾏﾀﾞ ﾊﾅｺ",
}


def person() -> tuple[User, dict[str, Any]]:
    user = UserFactory()
    _, secret = make_token(user=user)
    return user, bearer(secret)


def post(client: Client, url: str, body: Any, auth: dict[str, Any], **extra: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **auth, **extra)


def money(user: User) -> tuple[int, int, int]:
    s = selectors.wallet_summary(user_id=user.pk)
    return s.balance, s.held, s.available


def test_wallet_needs_authentication(client: Client) -> None:
    for url in ["/api/v1/wallet", "/api/v1/wallet/history", "/api/v1/wallet/bank-account"]:
        response = client.get(url)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
    response = post(client, "/api/v1/wallet/top-ups", {"amount": 1000}, {})
    assert response.status_code == 401
    assert Payment.objects.count() == 0


def test_each_caller_sees_only_their_own_wallet_and_history(client: Client) -> None:
    owner, owner_auth = person()
    give_balance(owner, 8_000)
    _, other_auth = person()
    assert client.get("/api/v1/wallet", **owner_auth).json() == {
        "balance": 8000,
        "held": 0,
        "available": 8000,
        "currency": "JPY",
    }
    assert client.get("/api/v1/wallet", **other_auth).json()["balance"] == 0
    assert client.get("/api/v1/wallet/history", **other_auth).json()["count"] == 0
    history = client.get("/api/v1/wallet/history", **owner_auth).json()
    assert history["count"] == 1
    assert history["items"][0]["amount"] == 8000
    assert history["items"][0]["balance_after"] == 8000


def test_top_up_succeeds_declines_and_explains(client: Client) -> None:
    user, auth = person()
    ok = post(client, "/api/v1/wallet/top-ups", {"amount": 10_000}, auth)
    assert ok.status_code == 201
    assert ok.json()["status"] == "succeeded"
    declined = post(
        client, "/api/v1/wallet/top-ups", {"amount": 10_402}, auth, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert declined.status_code == 402
    assert declined.json()["decline_code"] == "card_declined"
    assert declined.json()["decline_reason"] == "The card was declined by the card issuer."
    assert money(user) == (10_000, 0, 10_000)


@pytest.mark.parametrize(
    "body",
    [
        {"amount": 0},
        {"amount": -5},
        {"amount": 10.5},
        {"amount": "1000"},
        {"amount": "text"},
        {"amount": True},
        {"amount": 5_000_001},
        {},
        {"amount": 1000, "currency": "USD"},
    ],
)
def test_bad_top_ups_are_422_and_change_nothing(client: Client, body: Any) -> None:
    user, auth = person()
    give_balance(user, 3_000)
    response = post(client, "/api/v1/wallet/top-ups", body, auth)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"]
    assert Payment.objects.count() == 0
    assert money(user) == (3_000, 0, 3_000)


def test_top_up_errors_are_in_the_readers_language(client: Client) -> None:
    _, auth = person()
    ja = post(client, "/api/v1/wallet/top-ups", {"amount": 50}, auth, HTTP_ACCEPT_LANGUAGE="ja")
    assert ja.json()["message"] == "最低金額は¥100です。"
    en = post(client, "/api/v1/wallet/top-ups", {"amount": 50}, auth, HTTP_ACCEPT_LANGUAGE="en")
    assert en.json()["message"] == "The minimum is ¥100."


def test_bank_account_put_get_and_payout(client: Client) -> None:
    user, auth = person()
    give_balance(user, 20_000)
    assert client.get("/api/v1/wallet/bank-account", **auth).status_code == 404
    no_bank = post(client, "/api/v1/wallet/payouts", {"amount": 5000}, auth)
    assert no_bank.status_code == 422
    assert no_bank.json()["errors"][0]["field"] == "bank_account"
    put = client.put(
        "/api/v1/wallet/bank-account", json.dumps(BANK), content_type="application/json", **auth
    )
    assert put.status_code == 200
    assert put.json()["holder_kana"] == "ヤマダ ハナコ"
    assert put.json()["account_number_last3"] == "567"
    assert "account_number" not in put.json()
    payout = post(client, "/api/v1/wallet/payouts", {"amount": 5000}, auth)
    assert payout.status_code == 201
    assert payout.json()["fee"] == 250
    assert money(user) == (14_750, 0, 14_750)
    declined = post(client, "/api/v1/wallet/payouts", {"amount": 5404}, auth)
    assert declined.status_code == 402
    assert declined.json()["decline_code"] == "account_invalid"
    assert money(user) == (14_750, 0, 14_750)


@pytest.mark.parametrize(
    "change",
    [
        {"account_number": "123456"},
        {"holder_kana": "Yamada"},
        {"account_type": "gold"},
        {"swift": "X"},
        {"bank_name": ""},
    ],
)
def test_bad_bank_accounts_are_422_and_store_nothing(client: Client, change: Any) -> None:
    _, auth = person()
    response = client.put(
        "/api/v1/wallet/bank-account",
        json.dumps({**BANK, **change}),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422
    assert response.json()["errors"]
    assert BankAccount.objects.count() == 0


@pytest.mark.parametrize(
    ("amount", "field"),
    [(999, "amount"), (0, "amount"), (19_751, "amount"), (-1, "amount")],
)
def test_bad_payouts_change_nothing(client: Client, amount: int, field: str) -> None:
    user, auth = person()
    give_balance(user, 20_000)
    client.put(
        "/api/v1/wallet/bank-account", json.dumps(BANK), content_type="application/json", **auth
    )
    response = post(client, "/api/v1/wallet/payouts", {"amount": amount}, auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert Payment.objects.count() == 0
    assert money(user) == (20_000, 0, 20_000)


def test_session_posts_need_csrf(client: Client) -> None:
    user = UserFactory()
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    response = post(csrf_client, "/api/v1/wallet/top-ups", {"amount": 1000}, {})
    assert response.status_code == 403
    assert Payment.objects.count() == 0


def test_history_query_count_is_constant(client: Client, django_assert_num_queries: Any) -> None:
    user, auth = person()
    give_balance(user, 1_000, key="first")
    client.get("/api/v1/wallet/history", **auth)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/wallet/history", **auth)
    for i in range(25):
        give_balance(user, 100 + i, key=f"more:{i}")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/api/v1/wallet/history", **auth)
    assert response.json()["count"] == 26
    assert len(response.json()["items"]) == 20
