"""A contract from offer to payment, in two browsers: the client's and the worker's."""

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
from tests.contracts.docs import docx_bytes
from tests.contracts.factories import give_balance
from tsunagu.accounts.models import User
from tsunagu.contracts.models import Contract
from tsunagu.profiles.models import Profile

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def person(display_name: str) -> User:
    user = UserFactory()
    Profile.objects.filter(user=user).update(display_name=display_name, is_worker=True)
    return user


@pytest.fixture
def worker_page(
    browser: Browser, live_server: Any, browser_context_args: dict[str, Any]
) -> Iterator[Page]:
    """A second browser with its own cookies, for the other party."""
    context = browser.new_context(base_url=live_server.url, **browser_context_args)
    context.set_default_timeout(10_000)
    context.clock.set_fixed_time(CLOCK_START)
    yield context.new_page()
    context.close()


def deliver(page: Page, *, message: str, name: str, text: str) -> None:
    form = page.locator("form.deliver-box")
    form.get_by_label("発注者へのメッセージ").fill(message)
    form.get_by_label("ファイル").set_input_files(
        files=[{"name": name, "mimeType": DOCX, "buffer": docx_bytes(text)}]  # type: ignore[arg-type]
    )
    form.get_by_role("button", name="納品する").click()


def test_offer_fund_deliver_revise_accept_and_get_paid(
    page: Page, worker_page: Page, screenshot: ScreenshotFn
) -> None:
    client = person("つなぐ商店")
    worker = person("Hana")
    give_balance(client, 50_000)
    due = timezone.localdate() + dt.timedelta(days=14)

    # The client sends an offer from the offer form; the totals follow the amount typed.
    log_in(page, email=client.email)
    page.goto(f"/contracts/offer/{worker.profile.pk}/")
    form = page.locator("#offer-form")
    form.get_by_label("タイトル", exact=True).fill("製品紹介記事の翻訳")
    form.get_by_label("業務の内容").fill("英語の製品紹介記事 3,000語を日本語に翻訳してください。")
    form.get_by_label("納品物").fill("Word ファイル 1本")
    form.get_by_label("マイルストーン").fill("翻訳一式")
    form.get_by_label("報酬（税抜・円）").fill("30000")
    form.get_by_label("納期").fill(due.isoformat())
    form.get_by_label("支払期日").fill((due + dt.timedelta(days=30)).isoformat())
    form.get_by_label(re.compile("源泉徴収の対象")).check()
    estimate = page.locator("#offer-estimate")
    expect(estimate.locator("[data-estimate=total]")).to_have_text("¥33,000")
    expect(estimate.locator("[data-estimate=withholding]")).to_have_text("¥3,063")
    screenshot(page, "contract-offer")
    form.get_by_role("button", name="発注を送る").click()
    expect(page.locator(".messages")).to_contain_text("発注を送りました")
    contract = Contract.objects.get()
    contract_url = f"/contracts/{contract.pk}/"

    # The worker finds it in the contract list and accepts the terms.
    log_in(worker_page, email=worker.email)
    worker_page.goto("/contracts/")
    expect(
        worker_page.get_by_text("取引条件を確認し、承諾または辞退してください。")
    ).to_be_visible()
    worker_page.get_by_role("link", name="製品紹介記事の翻訳").click()
    expect(
        worker_page.get_by_text("発注者が仮払いを済ませると納品できるようになります。")
    ).to_have_count(0)
    worker_page.get_by_role("button", name="取引条件を承諾する").click()
    expect(worker_page.locator(".messages")).to_contain_text("取引条件を承諾しました")
    expect(
        worker_page.get_by_text("発注者が仮払いを済ませると納品できるようになります。")
    ).to_be_visible()

    # The client funds the escrow from the balance.
    page.goto(contract_url)
    expect(page.get_by_text("利用可能な残高：¥50,000")).to_be_visible()
    page.get_by_role("button", name="残高から支払う").click()
    expect(page.locator(".messages")).to_contain_text("残高から 翻訳一式 の仮払いをしました。")
    expect(page.locator("[data-status=funded]")).to_be_visible()
    screenshot(page, "contract-funded")

    # The worker's empty document is refused before it reaches the client.
    worker_page.goto(contract_url)
    deliver(worker_page, message="翻訳を納品します。", name="translation.docx", text="")
    expect(worker_page.get_by_role("alert").filter(has_text="内容がありません")).to_be_visible()
    expect(worker_page.locator("[data-status=funded]")).to_be_visible()
    screenshot(worker_page, "contract-empty-refused")

    deliver(worker_page, message="翻訳を納品します。", name="translation.docx", text="翻訳文です。")
    expect(worker_page.locator(".messages")).to_contain_text("翻訳一式 を納品しました。")

    # The client asks for a revision; the worker delivers version 2; the client accepts.
    page.goto(contract_url)
    expect(page.get_by_role("link", name="translation.docx")).to_be_visible()
    page.get_by_label(re.compile("修正してほしい点")).fill("見出しの訳語を統一してください。")
    page.get_by_role("button", name="修正を依頼する").click()
    expect(page.locator(".messages")).to_contain_text("修正依頼を受注者に送りました。")

    worker_page.goto(contract_url)
    expect(worker_page.get_by_text("見出しの訳語を統一してください。")).to_be_visible()
    deliver(worker_page, message="修正しました。", name="translation-v2.docx", text="修正版です。")
    expect(worker_page.get_by_text("納品（第2版）")).to_be_visible()

    page.goto(contract_url)
    page.get_by_role("button", name="検収して支払う").click()
    expect(page.locator(".messages")).to_contain_text("仮払いから受注者に報酬が支払われました。")

    # 33,000 − 6,000 platform fee (20%) − 3,063 withholding (10.21%) = 23,937 to the worker.
    worker_page.goto(contract_url)
    expect(worker_page.locator(".net-to-worker")).to_have_text("¥23,937")
    expect(worker_page.locator("[data-status=completed]")).to_be_visible()
    screenshot(worker_page, "contract-released")
    worker_page.get_by_role("link", name="残高を見る").click()
    # the wallet writes the amount as the contract page does (tsunagu/core/money.py)
    expect(worker_page.get_by_test_id("balance")).to_have_text("¥23,937")
