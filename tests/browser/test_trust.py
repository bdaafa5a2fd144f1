"""After a paid contract: both review, the reviews appear together, the score explains itself
on the profile and in the client's proposal list, and the worker publishes a card that verifies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import CLOCK_START, ScreenshotFn, log_in
from tests.jobs.factories import published_job
from tests.proposals.factories import proposal
from tests.trust.factories import paid_contract
from tsunagu.profiles.models import Profile
from tsunagu.trust.card import verify_card


@pytest.fixture
def worker_page(
    browser: Browser, live_server: Any, browser_context_args: dict[str, Any]
) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, **browser_context_args)
    context.set_default_timeout(10_000)
    context.clock.set_fixed_time(CLOCK_START)
    yield context.new_page()
    context.close()


def write_review(page: Page, *, stars: int, tag: str | None, text: str) -> None:
    form = page.locator("form.review-form")
    form.get_by_label("★" * stars, exact=True).check()
    if tag:
        form.get_by_label(tag).check()
    form.locator("textarea[name=text]").fill(text)
    form.get_by_role("button", name="評価を投稿する").click()


def test_both_review_then_the_score_shows_and_a_card_verifies(
    page: Page, worker_page: Page, screenshot: ScreenshotFn
) -> None:
    contract = paid_contract()
    Profile.objects.filter(user=contract.worker).update(display_name="Hana", is_worker=True)
    Profile.objects.filter(user=contract.client).update(display_name="つなぐ商店")
    reviews_url = f"/reviews/contracts/{contract.pk}/"

    # The client reviews first: the review stays hidden from the worker.
    log_in(page, email=contract.client.email)
    page.goto(reviews_url)
    write_review(page, stars=5, tag="納期を守る", text="納期どおりで丁寧な翻訳でした。")
    log_in(worker_page, email=contract.worker.email)
    worker_page.goto(reviews_url)
    expect(worker_page.get_by_text("納期どおりで丁寧な翻訳でした。")).to_have_count(0)

    # The worker reviews: both appear together.
    write_review(worker_page, stars=4, tag=None, text="指示が明確で助かりました。")
    worker_page.goto(reviews_url)
    expect(worker_page.get_by_text("納期どおりで丁寧な翻訳でした。")).to_be_visible()
    page.goto(reviews_url)
    expect(page.get_by_text("指示が明確で助かりました。")).to_be_visible()
    screenshot(worker_page, "trust-reviews")

    # The profile shows the score as a worker, and why.
    page.goto(f"/profiles/{contract.worker.profile.pk}/")
    score = page.locator("section.trust-score")
    expect(score).to_contain_text("信用スコア")
    score.locator("[data-role=worker] summary").click()
    expect(score.locator("[data-role=worker] .trust-breakdown")).to_contain_text("取引実績")
    expect(score.locator("[data-role=client]")).to_contain_text("新規")
    screenshot(page, "trust-profile-score")

    # A client with a new job sees the proposer's score in the proposal list.
    job = published_job(client=contract.client)
    proposal(job=job, worker=contract.worker)
    page.goto(f"/proposals/jobs/{job.pk}/")
    expect(page.locator(".proposal-card .trust-badge")).to_contain_text("信用")
    screenshot(page, "trust-proposal-list")

    # The worker publishes a track-record card; its JSON verifies offline.
    worker_page.goto("/cards/mine/")
    worker_page.get_by_role("button", name="公開する").click()
    worker_page.locator("a[data-card-link]").click()
    expect(worker_page.locator("body")).to_contain_text("Hana")
    screenshot(worker_page, "trust-card")
    public_id = worker_page.url.rstrip("/").rsplit("/", 1)[-1]
    document = worker_page.request.get(f"/cards/{public_id}.json")
    assert document.ok
    assert verify_card(document.body()).ok
    altered = json.loads(document.body())
    altered["card"]["name"] = "someone else"
    assert not verify_card(json.dumps(altered)).ok
