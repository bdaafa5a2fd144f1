"""/api/v1/referrals: the same rules as the pages, answered with codes in the caller's language;
another person's connection or introduction is 404."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.api.factories import bearer, make_token
from tests.contracts.factories import offer
from tests.referrals.factories import connect, introduce, person, trio
from tsunagu.accounts.models import User
from tsunagu.referrals.models import Connection, Referral, ReferralStatus

pytestmark = pytest.mark.django_db

BASE = "/api/v1/referrals"


class Api:
    made = 0

    def __init__(self, user: User, language: str = "ja") -> None:
        self.client = Client()
        Api.made += 1
        secret = make_token(user=user, name=f"script {Api.made}")[1]
        self.headers = {**bearer(secret), "HTTP_ACCEPT_LANGUAGE": language}

    def get(self, path: str) -> Any:
        return self.client.get(BASE + path, **self.headers)

    def send(self, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
        return getattr(self.client, method)(
            BASE + path,
            data=json.dumps(data or {}),
            content_type="application/json",
            **self.headers,
        )

    def post(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.send("post", path, data)


def test_anonymous_is_refused() -> None:
    assert Client().get(BASE + "/connections").status_code == 401


def test_connections_request_accept_and_list() -> None:
    a, b, c = person("青木"), person("Bob"), person()
    response = Api(a).post("/connections", {"profile_id": b.profile.pk})
    assert response.status_code == 201
    row_id = response.json()["id"]
    assert Api(c).post(f"/connections/{row_id}/accept").status_code == 404
    refused = Api(a).post(f"/connections/{row_id}/accept")
    assert refused.status_code == 403 and refused.json()["code"] == "not_the_receiver"
    accepted = Api(b).post(f"/connections/{row_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    listed = Api(a).get("/connections").json()
    assert [x["other"]["name"] for x in listed["connected"]] == ["Bob"]
    assert Api(c).get("/connections").json()["connected"] == []


def test_connecting_with_oneself_is_422_in_the_callers_language() -> None:
    a = person()
    ja = Api(a).post("/connections", {"profile_id": a.profile.pk})
    assert ja.status_code == 422 and ja.json()["code"] == "self_connection"
    assert "自分自身" in ja.json()["message"]
    en = Api(a, "en").post("/connections", {"profile_id": a.profile.pk})
    assert en.json()["message"] == "You cannot connect with yourself."
    assert Connection.objects.count() == 0


def test_introduce_accept_and_outcome() -> None:
    referrer, client, worker = trio()
    created = Api(referrer).post(
        "/introductions",
        {
            "kind": "introduce",
            "worker_profile_id": worker.profile.pk,
            "client_profile_id": client.profile.pk,
            "note": "翻訳ならHanaさんです",
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "pending" and body["outcome"]["stage"] == "none"
    accepted = Api(client).post(f"/introductions/{body['id']}/accept", {"reward": 1000})
    assert accepted.status_code == 200 and accepted.json()["room_id"]
    assert accepted.json()["reward"] == {"amount": 1000, "status": "none"}
    offer(client=client, worker=worker)
    outcomes = Api(referrer).get("/outcomes").json()
    assert [o["stage"] for o in outcomes] == ["contract"]
    assert Api(worker).get("/introductions/received").json()[0]["id"] == body["id"]


def test_introducing_someone_to_themselves_and_to_a_stranger() -> None:
    referrer, client, worker = trio()
    stranger = person()
    api = Api(referrer)
    same = api.post(
        "/introductions",
        {
            "kind": "introduce",
            "worker_profile_id": client.profile.pk,
            "client_profile_id": client.profile.pk,
            "note": "どうぞ",
        },
    )
    assert same.status_code == 422 and same.json()["code"] == "self_introduction"
    strange = api.post(
        "/introductions",
        {
            "kind": "introduce",
            "worker_profile_id": worker.profile.pk,
            "client_profile_id": stranger.profile.pk,
            "note": "どうぞ",
        },
    )
    assert strange.status_code == 403 and strange.json()["code"] == "stranger"
    contact = api.post(
        "/introductions",
        {
            "kind": "introduce",
            "worker_profile_id": worker.profile.pk,
            "client_profile_id": client.profile.pk,
            "note": "090-1234-5678 に電話して",
        },
    )
    assert contact.status_code == 422 and contact.json()["code"] == "contact_blocked"
    unknown = api.post(
        "/introductions", {"kind": "introduce", "worker_profile_id": 1, "note": "x", "extra": 1}
    )
    assert unknown.status_code == 422
    assert Referral.objects.count() == 0


def test_accepting_someone_elses_introduction() -> None:
    referrer, client, worker = trio()
    referral = introduce(referrer, client=client, worker=worker)
    third = person()
    assert Api(third).post(f"/introductions/{referral.pk}/accept").status_code == 404
    assert Api(third).get(f"/introductions/{referral.pk}").status_code == 404
    by_worker = Api(worker).post(f"/introductions/{referral.pk}/accept")
    assert by_worker.status_code == 403 and by_worker.json()["code"] == "not_the_receiver"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING and referral.room_id is None


def test_seeing_another_persons_referrals() -> None:
    referrer, client, worker = trio()
    introduce(referrer, client=client, worker=worker)
    third = person()
    assert Api(third).get("/introductions").json() == []
    assert Api(third).get("/introductions/received").json() == []
    assert Api(third).get("/outcomes").json() == []
    assert len(Api(referrer).get("/introductions").json()) == 1


def test_reward_larger_than_the_payment() -> None:
    referrer, client, worker = trio()
    referral = introduce(referrer, client=client, worker=worker)
    Api(client).post(f"/introductions/{referral.pk}/accept")
    offer(client=client, worker=worker, amounts=(10_000,))
    too_big = Api(client).send("put", f"/introductions/{referral.pk}/reward", {"reward": 10_001})
    assert too_big.status_code == 422 and too_big.json()["code"] == "reward_exceeds_payment"
    by_worker = Api(worker).send("put", f"/introductions/{referral.pk}/reward", {"reward": 10})
    assert by_worker.status_code == 403
    referral.refresh_from_db()
    assert referral.reward == 0
    ok = Api(client).send("put", f"/introductions/{referral.pk}/reward", {"reward": 10_000})
    assert ok.status_code == 200 and ok.json()["reward"]["amount"] == 10_000


def test_who_can_introduce() -> None:
    me, sato, tanaka = person("私"), person("佐藤", trust=70), person("田中")
    connect(me, sato)
    connect(sato, tanaka)
    answer = Api(me).get(f"/who-can-introduce/{tanaka.profile.pk}").json()
    assert answer["connected"] is False
    assert [p["text"] for p in answer["paths"]] == ["あなた → 佐藤さん → 田中さん"]
    assert answer["paths"][0]["hops"][0]["trust"] == 70
    en = Api(me, "en").get(f"/who-can-introduce/{tanaka.profile.pk}").json()
    assert en["paths"][0]["text"] == "You → 佐藤 → 田中"
    assert Api(me).get("/who-can-introduce/999999").status_code == 404
