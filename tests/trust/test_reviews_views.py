"""Review pages: the form for each party, the published reviews on the profile, and what a
second user can never see (an unpublished review, private feedback)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.trust.factories import funded, paid_contract, revealed_pair, review
from tests.trust.test_reviews_services import snapshot
from tsunagu.accounts.models import User
from tsunagu.trust.models import Review

pytestmark = pytest.mark.django_db

SECRET = "運営だけに伝えたいこと"


def as_user(user: User) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def page_url(contract_pk: int) -> str:
    return reverse("trust:contract", args=[contract_pk])


def test_the_contract_page_offers_the_review_to_each_party_once_money_moved() -> None:
    contract = paid_contract()
    page = as_user(contract.client).get(reverse("contracts:detail", args=[contract.pk]))
    assert page_url(contract.pk) in page.content.decode()
    unpaid = funded()
    page = as_user(unpaid.client).get(reverse("contracts:detail", args=[unpaid.pk]))
    assert page_url(unpaid.pk) not in page.content.decode()


def test_a_party_writes_a_review_through_the_form() -> None:
    contract = paid_contract()
    browser = as_user(contract.client)
    assert browser.get(page_url(contract.pk)).status_code == 200
    response = browser.post(
        page_url(contract.pk),
        {"stars": "5", "tags": ["on_time"], "text": "素晴らしい", "private_feedback": SECRET},
    )
    assert response.status_code == 302
    mine = Review.objects.get(contract=contract, author=contract.client)
    assert (mine.stars, mine.tags, mine.private_feedback) == (5, ["on_time"], SECRET)


def test_bad_input_on_the_form_says_why_in_japanese_and_stores_nothing() -> None:
    contract = paid_contract()
    browser = as_user(contract.client)
    before = snapshot()
    response = browser.post(page_url(contract.pk), {"stars": "5", "text": "あ" * 1001})
    assert response.status_code == 422
    assert snapshot() == before
    review(contract, contract.client)
    before = snapshot()
    browser.post(page_url(contract.pk), {"stars": "9", "text": "x"})
    assert snapshot() == before


def test_a_stranger_reaches_no_contract_review_page() -> None:
    contract = paid_contract()
    review(contract, contract.client, private_feedback=SECRET)
    stranger = as_user(UserFactory())
    before = snapshot()
    assert stranger.get(page_url(contract.pk)).status_code == 404
    assert stranger.post(page_url(contract.pk), {"stars": "1", "text": "x"}).status_code == 404
    assert snapshot() == before


def test_the_other_party_never_sees_an_unpublished_review_or_private_feedback() -> None:
    contract = paid_contract()
    review(contract, contract.client, text="まだ秘密の本文", private_feedback=SECRET)
    page = as_user(contract.worker).get(page_url(contract.pk)).content.decode()
    assert "まだ秘密の本文" not in page and SECRET not in page
    profile = Client().get(reverse("profiles:detail", args=[contract.worker.profile.pk]))
    assert "まだ秘密の本文" not in profile.content.decode()
    review(contract, contract.worker)
    page = as_user(contract.worker).get(page_url(contract.pk)).content.decode()
    assert "まだ秘密の本文" in page and SECRET not in page


def test_the_profile_shows_reviews_as_worker_and_as_client_in_constant_queries(
    django_assert_num_queries: Any,
) -> None:
    person = UserFactory()
    revealed_pair(worker=person)
    revealed_pair(client=person)
    url = reverse("profiles:detail", args=[person.profile.pk])
    browser = Client()
    first = browser.get(url)
    text = first.content.decode()
    assert "ワーカーとしての評価" in text and "クライアントとしての評価" in text
    assert "納期を守る" in text and "〜¥50,000" in text and "30,000" not in text
    with CaptureQueriesContext(connection) as counted:
        browser.get(url)
    for _ in range(4):
        revealed_pair(worker=person)
    with django_assert_num_queries(len(counted.captured_queries)):
        browser.get(url)


def test_the_persons_list_is_paginated_newest_first() -> None:
    person = UserFactory()
    contracts = [revealed_pair(worker=person)[0] for _ in range(12)]
    url = reverse("trust:person", args=[person.profile.pk, "worker"])
    first = Client().get(url)
    assert first.status_code == 200
    assert first.context["page"].paginator.num_pages == 2
    assert first.context["reviews"][0].contract_id == contracts[-1].pk
    assert (
        Client().get(reverse("trust:person", args=[person.profile.pk, "boss"])).status_code == 404
    )


def test_reply_and_report_from_the_page() -> None:
    contract, of_worker, _ = revealed_pair()
    browser = as_user(contract.worker)
    browser.post(reverse("trust:reply", args=[of_worker.pk]), {"text": "ありがとうございます"})
    of_worker.refresh_from_db()
    assert of_worker.reply == "ありがとうございます"
    before = snapshot()
    browser.post(reverse("trust:reply", args=[of_worker.pk]), {"text": "二度目"})
    assert snapshot() == before
    browser.post(reverse("trust:report", args=[of_worker.pk]), {"reason": "事実と違う"})
    assert of_worker.reports.count() == 1
    stranger = as_user(UserFactory())
    assert (
        stranger.post(reverse("trust:reply", args=[of_worker.pk]), {"text": "x"}).status_code == 404
    )


def test_staff_hide_a_text_through_the_admin() -> None:
    _contract, of_worker, _ = revealed_pair()
    staff = UserFactory(is_staff=True, is_superuser=True)
    browser = as_user(staff)
    url = reverse("admin:trust_review_hide", args=[of_worker.pk])
    assert browser.get(url).status_code == 200
    assert browser.get(reverse("admin:trust_review_changelist")).status_code == 200
    assert browser.get(reverse("admin:trust_reviewreport_changelist")).status_code == 200
    response = browser.post(url, {"reason": "暴言のため"})
    assert response.status_code == 302
    of_worker.refresh_from_db()
    assert of_worker.is_text_hidden and of_worker.text_hidden_reason == "暴言のため"
    assert as_user(UserFactory()).get(url).status_code == 302  # not staff: to the admin login


def test_my_reviews_to_write() -> None:
    contract = paid_contract()
    page = as_user(contract.client).get(reverse("trust:mine"))
    assert contract.title in page.content.decode()
