"""/api/v1/reviews: the same rules as the services, answered with codes in the caller's language;
nobody but the author ever reads private feedback or an unpublished review."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.api.factories import bearer, make_token
from tests.trust.factories import funded, paid_contract, revealed_pair, review
from tests.trust.test_reviews_services import snapshot
from tsunagu.accounts.models import User
from tsunagu.contracts.models import Contract
from tsunagu.trust.models import Review

pytestmark = pytest.mark.django_db

BASE = "/api/v1/reviews"
SECRET = "内部向けのメモ: 連絡が遅かった"


class Api:
    made = 0

    def __init__(self, user: User, language: str = "ja") -> None:
        self.user = user
        self.client = Client()
        Api.made += 1
        secret = make_token(user=user, name=f"script {Api.made}")[1]
        self.headers = {**bearer(secret), "HTTP_ACCEPT_LANGUAGE": language}

    def get(self, path: str) -> Any:
        return self.client.get(BASE + path, **self.headers)

    def send(self, method: str, path: str, data: dict[str, Any]) -> Any:
        return getattr(self.client, method)(
            BASE + path, data=json.dumps(data), content_type="application/json", **self.headers
        )

    def post(self, path: str, data: dict[str, Any]) -> Any:
        return self.send("post", path, data)

    def put(self, path: str, data: dict[str, Any]) -> Any:
        return self.send("put", path, data)


def good(**overrides: Any) -> dict[str, Any]:
    return {
        "stars": 5,
        "tags": ["on_time"],
        "text": "とても助かりました",
        "private_feedback": SECRET,
        **overrides,
    }


def refused(call: Any, status: int, code: str) -> dict[str, Any]:
    before = snapshot()
    response = call()
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert snapshot() == before
    return body


@pytest.fixture
def contract() -> Contract:
    return paid_contract()


def test_both_review_and_the_pair_is_published_together(contract: Contract) -> None:
    client, worker = Api(contract.client), Api(contract.worker)
    response = client.post(f"/contracts/{contract.pk}", good())
    assert response.status_code == 201, response.content
    mine = response.json()["mine"]
    assert mine["private_feedback"] == SECRET and mine["revealed_at"] is None
    assert mine["tags"] == [{"code": "on_time", "label": "納期を守る"}]

    seen = worker.get(f"/contracts/{contract.pk}")
    assert seen.status_code == 200
    body = seen.json()
    assert body["theirs"] is None and body["theirs_written"] is True and body["can_write"]
    assert "とても助かりました" not in seen.content.decode() and SECRET not in seen.content.decode()

    response = worker.post(
        f"/contracts/{contract.pk}", good(tags=["pays_promptly"], text="支払いが早い")
    )
    assert response.status_code == 201
    body = response.json()
    assert body["theirs"]["text"] == "とても助かりました"
    assert body["theirs"]["value_band"] == "〜¥50,000"
    assert SECRET not in response.content.decode()
    assert body["mine"]["revealed_at"] == body["theirs"]["revealed_at"]


def test_a_stranger_reaches_no_contract_reviews(contract: Contract) -> None:
    review(contract, contract.client, private_feedback=SECRET)
    stranger = Api(UserFactory())
    refused(lambda: stranger.get(f"/contracts/{contract.pk}"), 404, "not_found")
    refused(lambda: stranger.post(f"/contracts/{contract.pk}", good()), 404, "not_found")


def test_second_review_and_review_before_payment_are_refused(contract: Contract) -> None:
    client = Api(contract.client)
    assert client.post(f"/contracts/{contract.pk}", good()).status_code == 201
    refused(lambda: client.post(f"/contracts/{contract.pk}", good()), 409, "already_reviewed")
    unpaid = funded()
    unpaid_client = Api(unpaid.client)
    refused(lambda: unpaid_client.post(f"/contracts/{unpaid.pk}", good()), 409, "not_paid")


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"stars": 0}, "stars_range", "stars"),
        ({"stars": 6}, "stars_range", "stars"),
        ({"text": "あ" * 1001}, "text_too_long", "text"),
        ({"tags": ["pays_promptly"]}, "unknown_tags", "tags"),
        ({"tags": ["bogus"]}, "unknown_tags", "tags"),
    ],
)
def test_bad_values_are_422_with_the_field(
    contract: Contract, overrides: dict[str, Any], code: str, field: str
) -> None:
    client = Api(contract.client)
    body = refused(lambda: client.post(f"/contracts/{contract.pk}", good(**overrides)), 422, code)
    assert body["errors"][0]["field"] == field


def test_the_error_is_in_the_callers_language(contract: Contract) -> None:
    path = f"/contracts/{contract.pk}"
    in_ja, in_en = Api(contract.client), Api(contract.client, "en")
    ja = refused(lambda: in_ja.post(path, good(stars=9)), 422, "stars_range")
    assert ja["message"] == "星は1から5の間で選んでください。"
    en = refused(lambda: in_en.post(path, good(stars=9)), 422, "stars_range")
    assert en["message"] == "Choose from 1 to 5 stars."


def test_edit_before_the_reveal_and_never_after(contract: Contract) -> None:
    client = Api(contract.client)
    client.post(f"/contracts/{contract.pk}", good(stars=3))
    response = client.put(f"/contracts/{contract.pk}", good(stars=4))
    assert response.status_code == 200 and response.json()["mine"]["stars"] == 4
    worker = Api(contract.worker)
    refused(lambda: worker.put(f"/contracts/{contract.pk}", good()), 404, "not_found")
    review(contract, contract.worker)
    refused(lambda: client.put(f"/contracts/{contract.pk}", good(stars=1)), 409, "revealed")


def test_reply_once_after_the_reveal(contract: Contract) -> None:
    of_worker = review(contract, contract.client)
    worker = Api(contract.worker)
    refused(lambda: worker.post(f"/{of_worker.pk}/reply", {"text": "x"}), 409, "not_revealed")
    stranger = Api(UserFactory())
    refused(lambda: stranger.post(f"/{of_worker.pk}/reply", {"text": "x"}), 404, "not_found")
    review(contract, contract.worker)
    response = worker.post(f"/{of_worker.pk}/reply", {"text": "ありがとうございます"})
    assert response.status_code == 200
    refused(lambda: worker.post(f"/{of_worker.pk}/reply", {"text": "再度"}), 409, "already_replied")


def test_report_by_the_person_reviewed() -> None:
    _contract, of_worker, _ = revealed_pair()
    worker = Api(of_worker.subject)
    response = worker.post(f"/{of_worker.pk}/report", {"reason": "事実と違います"})
    assert response.status_code == 201
    refused(
        lambda: worker.post(f"/{of_worker.pk}/report", {"reason": "x"}), 409, "already_reported"
    )
    author = Api(of_worker.author)
    refused(lambda: author.post(f"/{of_worker.pk}/report", {"reason": "x"}), 404, "not_found")


def test_pending_lists_the_contracts_to_review(contract: Contract) -> None:
    client = Api(contract.client)
    body = client.get("/pending").json()
    assert [p["contract_id"] for p in body] == [contract.pk]
    assert body[0]["role"] == "worker"
    client.post(f"/contracts/{contract.pk}", good())
    assert client.get("/pending").json() == []


def test_a_persons_list_shows_only_published_reviews_without_secrets(
    django_assert_num_queries: Any,
) -> None:
    worker = UserFactory()
    for _ in range(3):
        revealed_pair(worker=worker)
    hidden = paid_contract(worker=worker, amounts=(300_000,))
    review(hidden, hidden.client, text="まだ非公開のレビュー", private_feedback=SECRET)
    anonymous = Client()
    path = f"{BASE}/people/{worker.profile.pk}/worker"
    with django_assert_num_queries(4):  # profile, count, page, summary
        response = anonymous.get(path)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and body["summary"] == {"count": 3, "average": 5.0}
    text = response.content.decode()
    assert "まだ非公開" not in text and SECRET not in text and "30000" not in text
    assert "private_feedback" not in text
    for _ in range(3):
        revealed_pair(worker=worker)
    with django_assert_num_queries(4):
        assert anonymous.get(path).json()["count"] == 6
    as_client = anonymous.get(f"{BASE}/people/{worker.profile.pk}/client").json()
    assert as_client["count"] == 0
    assert anonymous.get(f"{BASE}/people/{worker.profile.pk}/boss").status_code == 404
    assert Review.objects.filter(subject=worker).count() == 7
