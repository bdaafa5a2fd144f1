"""An introduction (紹介) in three browsers: the referrer introduces a worker to a client, the
client accepts (the conversation opens with the note at the top) and sends an offer, and the
referrer sees what came of it; a fourth person sees who can introduce them to the worker."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.accounts.factories import UserFactory
from tests.browser.helpers import CLOCK_START, ScreenshotFn, log_in
from tsunagu.accounts.models import User
from tsunagu.contracts.models import Contract
from tsunagu.contracts.services import contract_accept_terms
from tsunagu.profiles.models import Profile
from tsunagu.referrals import services
from tsunagu.referrals.models import Referral


def person(display_name: str, trust: int = 0) -> User:
    user = UserFactory()
    Profile.objects.filter(user=user).update(
        display_name=display_name, is_worker=True, is_client=True, worker_trust_score=trust
    )
    user.refresh_from_db()
    return user


def connect(a: User, b: User) -> None:
    services.connection_request(by=a, to=b)
    services.connection_request(by=b, to=a)


def second_page(browser: Browser, live_server: Any, args: dict[str, Any]) -> Page:
    context = browser.new_context(base_url=live_server.url, **args)
    context.set_default_timeout(10_000)
    context.clock.set_fixed_time(CLOCK_START)
    return context.new_page()


@pytest.fixture
def client_page(
    browser: Browser, live_server: Any, browser_context_args: dict[str, Any]
) -> Iterator[Page]:
    page = second_page(browser, live_server, browser_context_args)
    yield page
    page.context.close()


@pytest.fixture
def viewer_page(
    browser: Browser, live_server: Any, browser_context_args: dict[str, Any]
) -> Iterator[Page]:
    page = second_page(browser, live_server, browser_context_args)
    yield page
    page.context.close()


def test_introduce_accept_offer_and_the_outcome_shows(
    page: Page, client_page: Page, viewer_page: Page, screenshot: ScreenshotFn
) -> None:
    referrer, client, worker = person("佐藤", 72), person("つなぐ商店"), person("Hana", 80)
    connect(referrer, client)
    connect(referrer, worker)
    note = "日英翻訳ならHanaさんをおすすめします。丁寧で納期も確実です。"

    # The referrer introduces Hana to the client.
    log_in(page, email=referrer.email)
    page.goto("/referrals/introduce/")
    form = page.locator("form").filter(has=page.locator("textarea[name=note]"))
    form.get_by_label("ワーカー（おすすめする人）").select_option(label="Hana")
    form.get_by_label("発注者", exact=True).select_option(label="つなぐ商店")
    form.get_by_label("メモ").fill(note)
    screenshot(page, "referrals-introduce")
    form.get_by_role("button", name="紹介を送る").click()
    expect(page.locator(".messages")).to_contain_text("紹介を送りました")
    referral = Referral.objects.get()

    # The client accepts, promising a reward: the conversation opens with the note on top.
    log_in(client_page, email=client.email)
    client_page.goto("/referrals/incoming/")
    item = client_page.locator(f"[data-referral='{referral.pk}']")
    expect(item).to_contain_text(note)
    item.get_by_label("紹介者への紹介料（円・任意）").fill("2000")
    screenshot(client_page, "referrals-incoming")
    item.get_by_role("button", name="承諾してやり取りを始める").click()
    expect(client_page).to_have_url(re.compile(r"/messages/rooms/\d+/"))
    expect(client_page.get_by_text("佐藤さんからの紹介:")).to_be_visible()
    expect(client_page.get_by_text(note)).to_be_visible()
    screenshot(client_page, "referrals-room")

    # The client sends an offer from the introduction.
    client_page.goto(f"/referrals/{referral.pk}/")
    client_page.get_by_role("link", name="仕事を依頼する（契約条件を提示）").click()
    due = timezone.localdate() + dt.timedelta(days=14)
    offer = client_page.locator("#offer-form")
    offer.get_by_label("タイトル", exact=True).fill("商品ページの日英翻訳")
    offer.get_by_label("業務の内容").fill("商品ページ10件を英語に翻訳してください。")
    offer.get_by_label("納品物").fill("Word ファイル 1本")
    offer.get_by_label("マイルストーン").fill("翻訳一式")
    offer.get_by_label("報酬（税抜・円）").fill("30000")
    offer.get_by_label("納期").fill(due.isoformat())
    offer.get_by_label("支払期日").fill((due + dt.timedelta(days=30)).isoformat())
    offer.get_by_role("button", name="発注を送る").click()
    expect(client_page.locator(".messages")).to_contain_text("発注を送りました")

    # The referrer sees the outcome: an offer, then a contract once Hana accepts the terms.
    page.goto("/referrals/")
    row = page.locator(f"tr[data-referral='{referral.pk}']")
    expect(row.locator(".referral-outcome")).to_have_attribute("data-stage", "offer")
    expect(row).to_contain_text("発注済み")
    contract_accept_terms(contract=Contract.objects.get(), by=worker)
    page.reload()
    expect(row).to_contain_text("契約につながった")
    expect(row).to_contain_text("紹介料 ¥2,000")
    screenshot(page, "referrals-outcome")

    # Hana's profile thanks the referrer; someone who knows the referrer sees the way to Hana.
    viewer = person("田中")
    connect(viewer, referrer)
    log_in(viewer_page, email=viewer.email)
    viewer_page.goto(f"/profiles/{worker.profile.pk}/")
    expect(viewer_page.get_by_test_id("referral-thanks")).to_contain_text("紹介で1件")
    expect(viewer_page.get_by_test_id("referral-thanks")).to_contain_text("佐藤")
    path = viewer_page.locator(".who-path").first
    expect(path).to_contain_text("あなた → 佐藤さん")
    expect(path).to_contain_text("Hanaさん")
    viewer_page.locator(".referrals-box").scroll_into_view_if_needed()
    screenshot(viewer_page, "referrals-profile")
