"""Ask an expert, in two browsers: a client asks a named expert, the expert answers, the client
marks it best, finds the question by a two-character word, and turns the answer into an offer
that remembers the question; a member asks inside a community, and an outsider finds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.accounts.factories import UserFactory
from tests.browser.helpers import CLOCK_START, ScreenshotFn, log_in
from tests.communities.factories import community, member
from tsunagu.contracts.models import Contract
from tsunagu.profiles.models import Profile
from tsunagu.qa.models import Question, QuestionOffer


def _second_page(
    browser: Browser, live_server: Any, browser_context_args: dict[str, Any]
) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, **browser_context_args)
    context.set_default_timeout(10_000)
    context.clock.set_fixed_time(CLOCK_START)
    yield context.new_page()
    context.close()


expert_page = pytest.fixture(_second_page, name="expert_page")
third_page = pytest.fixture(_second_page, name="third_page")


def test_a_question_is_answered_marked_best_and_turned_into_an_offer(
    page: Page, expert_page: Page, third_page: Page, screenshot: ScreenshotFn
) -> None:
    client, expert = UserFactory(), UserFactory()
    Profile.objects.filter(user=client).update(display_name="つなぐ商店")
    Profile.objects.filter(user=expert).update(display_name="Hana", is_worker=True)
    expert_profile = Profile.objects.get(user=expert)

    # The client opens the expert's profile and asks her directly.
    log_in(page, email=client.email)
    page.goto(f"/profiles/{expert_profile.pk}/")
    page.get_by_role("link", name="Hanaさんに質問する").click()
    expect(page.get_by_text("Hanaさんを指名して質問します")).to_be_visible()
    page.get_by_label("タイトル").fill("英文契約書の翻訳で気をつけることは？")
    page.get_by_label("カテゴリ").select_option(label="翻訳・通訳")
    body = page.get_by_label("質問の内容")
    # Outside contact details are refused and the part is shown; nothing is posted.
    body.fill("詳しくは yamada.taro@gmail.com までご連絡ください。")
    page.get_by_role("button", name="質問を投稿する").click()
    expect(page.get_by_text("投稿されませんでした")).to_be_visible()
    expect(page.locator("[data-testid=guard-blocked] mark")).to_have_text("yamada.taro@gmail.com")
    screenshot(page, "qa-blocked")
    assert not Question.objects.exists()
    body.fill(
        "業務委託契約書（英文 10ページ）を日本語に翻訳してもらう予定です。注意点を教えてください。"
    )
    page.get_by_role("button", name="質問を投稿する").click()
    expect(page.get_by_text("質問を投稿しました。")).to_be_visible()
    question = Question.objects.get()
    assert question.expert == expert

    # The expert is told, opens the question and answers.
    log_in(expert_page, email=expert.email)
    expert_page.goto("/notifications/")
    expert_page.get_by_role(
        "button", name="つなぐ商店さんからあなたに質問が届きました", exact=False
    ).click()
    expect(
        expert_page.get_by_role("heading", name="英文契約書の翻訳で気をつけることは？")
    ).to_be_visible()
    expert_page.get_by_label("あなたの回答").fill(
        "まず定義条項の訳語を用語集にまとめ、全体で統一するのが大切です。準拠法や紛争解決の条項は原文を併記すると安心です。"
    )
    expert_page.get_by_role("button", name="回答を投稿する").click()
    expect(expert_page.get_by_text("回答を投稿しました。")).to_be_visible()

    # The client finds the question by a two-character word, marks the answer best.
    page.goto("/questions/")
    page.get_by_label("キーワード").fill("翻訳")
    page.get_by_role("button", name="検索").click()
    expect(page.locator("[data-testid=question-card]")).to_have_count(1)
    screenshot(page, "qa-list")
    page.get_by_role("link", name="英文契約書の翻訳で気をつけることは？").click()
    page.get_by_role("button", name="ベストアンサーに選ぶ").click()
    expect(page.get_by_text("ベストアンサーを選びました。")).to_be_visible()
    expect(page.locator("[data-testid=best]")).to_be_visible()
    screenshot(page, "qa-best")

    # A third person finds it helpful (htmx, in place).
    log_in(third_page, email=UserFactory().email)
    third_page.goto(f"/questions/{question.pk}/")
    third_page.get_by_test_id("vote").click()
    expect(third_page.get_by_test_id("vote")).to_have_attribute("aria-pressed", "true")
    expect(third_page.locator(".vote-count")).to_have_text("1")

    # One click on the answer opens the offer form, prefilled and linked to the question.
    page.get_by_role("link", name="Hanaさんに発注する").click()
    expect(page.get_by_test_id("offer-from-question")).to_be_visible()
    form = page.locator("#offer-form")
    expect(form.get_by_label("タイトル", exact=True)).to_have_value(
        "英文契約書の翻訳で気をつけることは？"
    )
    expect(form.get_by_label("業務の内容")).to_contain_text(f"/questions/{question.pk}/")
    due = timezone.localdate() + dt.timedelta(days=14)
    form.get_by_label("納品物").fill("翻訳した契約書（Word ファイル）")
    form.get_by_label("報酬（税抜・円）").fill("40000")
    form.get_by_label("納期").fill(due.isoformat())
    form.get_by_label("支払期日").fill((due + dt.timedelta(days=30)).isoformat())
    screenshot(page, "qa-offer")
    form.get_by_role("button", name="発注を送る").click()
    expect(
        page.get_by_text("発注を送りました。受注者が承諾すると契約が始まります。")
    ).to_be_visible()

    contract = Contract.objects.get()
    assert contract.client == client and contract.worker == expert
    link = QuestionOffer.objects.get(contract=contract)
    assert link.question == question and link.answer.author == expert
    page.goto(f"/questions/{question.pk}/")
    expect(page.get_by_text("1件の発注を送信済み")).to_be_visible()
    screenshot(page, "qa-question")


def test_a_community_question_is_seen_by_members_only(
    page: Page, third_page: Page, screenshot: ScreenshotFn
) -> None:
    c = community(slug="honyaku")
    asker = member(c, UserFactory())
    Profile.objects.filter(user=asker).update(display_name="翻訳者A")

    # A member goes from the community to its questions and asks there.
    log_in(page, email=asker.email)
    page.goto("/communities/honyaku/")
    page.get_by_role("link", name="このコミュニティの質問").click()
    expect(page.get_by_role("heading", name="翻訳者の会 の質問")).to_be_visible()
    page.get_by_role("link", name="このコミュニティで質問する").click()
    expect(page.get_by_label("公開範囲")).to_have_value(str(c.pk))
    page.get_by_label("タイトル").fill("会員の皆さんの翻訳単価は？")
    page.get_by_label("カテゴリ").select_option(label="翻訳・通訳")
    page.get_by_label("質問の内容").fill(
        "地方で契約書の翻訳を受けるときの単価の目安を知りたいです。"
    )
    page.get_by_role("button", name="質問を投稿する").click()
    expect(page.get_by_text("質問を投稿しました。")).to_be_visible()
    expect(page.get_by_test_id("community-badge")).to_have_text("翻訳者の会 のメンバー限定")
    question = Question.objects.get()
    assert question.community == c
    screenshot(page, "qa-community")

    # Someone outside the community finds nothing: not in search, not at its address.
    log_in(third_page, email=UserFactory().email)
    third_page.goto("/questions/?q=単価")
    expect(third_page.locator("[data-testid=question-card]")).to_have_count(0)
    response = third_page.goto(f"/questions/{question.pk}/")
    assert response is not None and response.status == 404
