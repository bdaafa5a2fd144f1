"""The referral pages, each with a second and a third person: what they may see and do, and
that a refusal shows why and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.contracts.factories import offer
from tests.jobs.factories import published_job
from tests.referrals.factories import connect, introduce, person, trio
from tsunagu.accounts.models import User
from tsunagu.messaging.models import Room
from tsunagu.referrals.models import Connection, Referral, ReferralStatus

pytestmark = pytest.mark.django_db


def browser(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_pages_need_a_sign_in() -> None:
    for url in (
        "/referrals/",
        "/referrals/connections/",
        "/referrals/introduce/",
        "/referrals/incoming/",
        "/referrals/trades/",
    ):
        response = browser().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_connect_button_request_and_accept_on_pages() -> None:
    a, b = person("青木"), person("Bob")
    page = text(browser(a).get(f"/profiles/{b.profile.pk}/"))
    assert f"/referrals/connections/request/{b.profile.pk}/" in page
    response = browser(a).post(
        f"/referrals/connections/request/{b.profile.pk}/", {"next": f"/profiles/{b.profile.pk}/"}
    )
    assert response.status_code == 302 and response["Location"] == f"/profiles/{b.profile.pk}/"
    row = Connection.objects.get()
    page = text(browser(b).get("/referrals/connections/"))
    assert "青木" in page and f"/referrals/connections/{row.pk}/accept/" in page
    # the requester and a third person cannot accept
    third = person()
    assert browser(third).post(f"/referrals/connections/{row.pk}/accept/").status_code == 404
    browser(a).post(f"/referrals/connections/{row.pk}/accept/")
    row.refresh_from_db()
    assert row.status == "pending"
    browser(b).post(f"/referrals/connections/{row.pk}/accept/")
    row.refresh_from_db()
    assert row.status == "accepted"
    assert "Bob" in text(browser(a).get("/referrals/connections/"))


def test_connecting_with_oneself_shows_the_error() -> None:
    a = person()
    response = browser(a).post(f"/referrals/connections/request/{a.profile.pk}/", follow=True)
    assert "自分自身" in text(response)
    assert Connection.objects.count() == 0


def test_introduce_form_and_accept_opens_the_room() -> None:
    referrer, client, worker = trio()
    page = browser(referrer).get("/referrals/introduce/")
    assert page.status_code == 200 and "Hana" in text(page)
    response = browser(referrer).post(
        "/referrals/introduce/",
        {
            "kind": "introduce",
            "worker": worker.profile.pk,
            "client": client.profile.pk,
            "note": "翻訳ならHanaさんです",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.pk}/"
    incoming = text(browser(client).get("/referrals/incoming/"))
    assert "翻訳ならHanaさんです" in incoming and f"/referrals/{referral.pk}/accept/" in incoming
    response = browser(client).post(f"/referrals/{referral.pk}/accept/", {"reward": "2000"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.reward == 2000
    assert response["Location"] == f"/messages/rooms/{referral.room_id}/"
    room = text(browser(worker).get(f"/messages/rooms/{referral.room_id}/"))
    assert "翻訳ならHanaさんです" in room


def test_introducing_someone_to_themselves_on_the_page() -> None:
    referrer, client, _worker = trio()
    response = browser(referrer).post(
        "/referrals/introduce/",
        {
            "kind": "introduce",
            "worker": client.profile.pk,
            "client": client.profile.pk,
            "note": "どうぞ",
        },
    )
    assert response.status_code == 422
    assert "本人に" in text(response)
    assert Referral.objects.count() == 0


def test_introducing_a_stranger_on_the_page() -> None:
    referrer, client, _worker = trio()
    stranger = person("他人")
    response = browser(referrer).post(
        "/referrals/introduce/",
        {
            "kind": "introduce",
            "worker": stranger.profile.pk,
            "client": client.profile.pk,
            "note": "どうぞ",
        },
    )
    assert response.status_code == 422
    assert Referral.objects.count() == 0


def test_a_note_with_contact_details_on_the_page() -> None:
    referrer, client, worker = trio()
    response = browser(referrer).post(
        "/referrals/introduce/",
        {
            "kind": "introduce",
            "worker": worker.profile.pk,
            "client": client.profile.pk,
            "note": "090-1234-5678 に電話して",
        },
    )
    assert response.status_code == 422
    assert "外部連絡先" in text(response)
    assert Referral.objects.count() == 0


def test_accepting_someone_elses_introduction_on_the_page() -> None:
    referrer, client, worker = trio()
    referral = introduce(referrer, client=client, worker=worker)
    third = person()
    assert browser(third).post(f"/referrals/{referral.pk}/accept/").status_code == 404
    assert browser(third).get(f"/referrals/{referral.pk}/").status_code == 404
    response = browser(worker).post(f"/referrals/{referral.pk}/accept/", follow=True)
    assert "送られた本人" in text(response)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING and Room.objects.count() == 0


def test_seeing_another_persons_referrals_on_the_page() -> None:
    referrer, client, worker = trio()
    introduce(referrer, client=client, worker=worker, note="秘密の紹介メモ")
    third = person()
    assert "秘密の紹介メモ" not in text(browser(third).get("/referrals/"))
    assert "秘密の紹介メモ" not in text(browser(third).get("/referrals/incoming/"))
    assert "Hana" in text(browser(referrer).get("/referrals/"))


def test_reward_larger_than_the_payment_on_the_page() -> None:
    referrer, client, worker = trio()
    referral = introduce(referrer, client=client, worker=worker)
    browser(client).post(f"/referrals/{referral.pk}/accept/")
    offer(client=client, worker=worker, amounts=(10_000,))
    response = browser(client).post(
        f"/referrals/{referral.pk}/reward/", {"reward": "10001"}, follow=True
    )
    assert "10,000" in text(response)
    referral.refresh_from_db()
    assert referral.reward == 0
    response = browser(worker).post(
        f"/referrals/{referral.pk}/reward/", {"reward": "100"}, follow=True
    )
    assert "発注者" in text(response)
    referral.refresh_from_db()
    assert referral.reward == 0


def test_outcome_and_thanks_show() -> None:
    referrer, client, worker = trio()
    referral = introduce(referrer, client=client, worker=worker)
    browser(client).post(f"/referrals/{referral.pk}/accept/")
    offer(client=client, worker=worker)
    page = text(browser(referrer).get("/referrals/"))
    assert 'data-stage="contract"' in page
    profile = text(browser(person()).get(f"/profiles/{worker.profile.pk}/"))
    assert "紹介で1件" in profile and "佐藤" in profile


def test_who_can_introduce_on_profile_and_page() -> None:
    me, sato, tanaka = person("私"), person("佐藤"), person("田中")
    connect(me, sato)
    connect(sato, tanaka)
    page = text(browser(me).get(f"/profiles/{tanaka.profile.pk}/"))
    assert "あなた → " in page and "佐藤さん" in page and "田中さん" in page
    page = text(browser(me).get(f"/referrals/who/{tanaka.profile.pk}/"))
    assert "佐藤さん" in page


def test_trades_page() -> None:
    me = person()
    response = browser(me).get("/referrals/trades/")
    assert response.status_code == 200
    assert "他の職種" in text(response) or "職種" in text(response)


def test_lists_run_a_constant_number_of_queries(django_assert_max_num_queries: Any) -> None:
    referrer = person()
    for _ in range(6):
        client, worker = person(), person()
        connect(referrer, client)
        connect(referrer, worker)
        introduce(referrer, client=client, worker=worker)
    page = browser(referrer)
    page.get("/referrals/")  # warm the session and the site
    with django_assert_max_num_queries(14):
        assert page.get("/referrals/").status_code == 200
    with django_assert_max_num_queries(14):
        assert page.get("/referrals/connections/").status_code == 200


def test_forward_a_job_on_the_page() -> None:
    referrer, peer = person("佐藤"), person("Peer")
    connect(referrer, peer)
    job = published_job()
    page = browser(referrer).get(f"/referrals/introduce/?job={job.pk}&worker={peer.profile.pk}")
    assert page.status_code == 200 and job.title in text(page)
    response = browser(referrer).post(
        "/referrals/introduce/",
        {"kind": "forward", "worker": peer.profile.pk, "job": job.pk, "note": "あなた向きです"},
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert referral.kind == "forward" and referral.client_id == job.client_id
    missing = browser(referrer).post(
        "/referrals/introduce/", {"kind": "forward", "worker": peer.profile.pk, "note": "どうぞ"}
    )
    assert missing.status_code == 422 and "回す仕事を選んでください" in text(missing)
    assert Referral.objects.count() == 1
