"""A job from posting to offer, in two browsers: the client's in Tokyo and the worker's in
Los Angeles. The worker finds the job with a two-character Japanese word, proposes, books one
of the interview times the client proposed with one click, and the client sends an offer."""

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
from tsunagu.jobs.models import Category, Job
from tsunagu.profiles.models import Profile
from tsunagu.proposals.models import Interview, InterviewStatus, Proposal

LA = "America/Los_Angeles"


def person(display_name: str, *, zone: str = "Asia/Tokyo", **profile: Any) -> User:
    user = UserFactory(time_zone=zone)
    Profile.objects.filter(user=user).update(display_name=display_name, is_worker=True, **profile)
    return user


@pytest.fixture(autouse=True)
def _seeded_categories(transactional_db: None) -> None:
    """The job categories a data migration seeds, put back after each test's flush."""
    import importlib

    from django.apps import apps

    importlib.import_module("tsunagu.jobs.migrations.0003_seed_categories").seed(apps, None)


@pytest.fixture
def worker_page(
    browser: Browser, live_server: Any, browser_context_args: dict[str, Any]
) -> Iterator[Page]:
    """A second browser, in Los Angeles, for the worker."""
    args = {**browser_context_args, "timezone_id": LA}
    context = browser.new_context(base_url=live_server.url, **args)
    context.set_default_timeout(10_000)
    context.clock.set_fixed_time(CLOCK_START)
    yield context.new_page()
    context.close()


class Clicks:
    """Counts the clicks of one person, to hold the booking path to a handful."""

    def __init__(self) -> None:
        self.count = 0

    def click(self, locator: Any) -> None:
        self.count += 1
        locator.click()


def test_post_find_propose_interview_and_offer(
    page: Page, worker_page: Page, screenshot: ScreenshotFn
) -> None:
    client = person("つなぐ商店")
    # a translator in Los Angeles who also works some evenings
    worker = person("Hana", zone=LA, working_hours_start=dt.time(8), working_hours_end=dt.time(20))
    category = Category.objects.get(slug="translation")
    deadline = timezone.localdate() + dt.timedelta(days=30)

    # The client posts a job with the jobs app's form.
    log_in(page, email=client.email)
    page.goto("/jobs/new/")
    page.locator("#id_title").fill("商品説明の英語翻訳（20ページ）")
    page.locator("#id_description").fill("ECサイトの商品説明20ページを英語に翻訳してください。")
    page.locator("#id_category").select_option(str(category.pk))
    page.locator("#id_budget_min").fill("20000")
    page.locator("#id_budget_max").fill("40000")
    page.locator("#id_deadline").fill(deadline.isoformat())
    page.get_by_role("button", name="掲載する").click()
    expect(page.locator("h1")).to_have_text("商品説明の英語翻訳（20ページ）")
    job = Job.objects.get(status="open")

    # The worker finds it with a two-character word and proposes.
    log_in(worker_page, email=worker.email)
    worker_page.goto("/jobs/")
    worker_page.locator("#id_q").fill("翻訳")
    worker_page.locator("form.job-filters").get_by_role("button", name="検索").click()
    result = worker_page.get_by_role("link", name="商品説明の英語翻訳（20ページ）")
    expect(result).to_be_visible()
    screenshot(worker_page, "jobs-search")
    result.click()
    worker_page.get_by_role("link", name="提案する").click()
    worker_page.get_by_label("提案文").fill(
        "日英翻訳の経験が5年あります。ロサンゼルス在住で、東京の朝の時間にも打ち合わせできます。"
    )
    worker_page.get_by_label("金額（円・税抜）").fill("30000")
    worker_page.get_by_label("スケジュール").fill("1週間で初稿、10日で納品")
    screenshot(worker_page, "jobs-proposal")
    worker_page.get_by_role("button", name="提案を送る").click()
    expect(worker_page.locator(".messages")).to_contain_text("提案を送りました")
    proposal = Proposal.objects.get()

    # The client sees it in the list and proposes three interview times in both zones.
    page.goto(f"/jobs/{job.pk}/")
    page.get_by_role("link", name="提案 1 件").click()
    card = page.locator(f"#proposal-{proposal.pk}")
    expect(card).to_contain_text("Hana")
    expect(card).to_contain_text("30,000")
    card.get_by_role("link", name="面談の候補日時を送る").click()
    expect(page.locator(".slot-choice").first).to_contain_text(LA)
    boxes = page.locator("input[name=suggested]")
    for index in range(3):
        boxes.nth(index).check()
    page.get_by_role("button", name="候補日時を送る").click()
    expect(page.locator(".messages")).to_contain_text("候補日時を送りました")
    interview = Interview.objects.get()

    # The worker books one: from their proposals, two clicks.
    clicks = Clicks()
    worker_page.goto("/proposals/mine/")
    clicks.click(worker_page.get_by_role("link", name="面談の日時を選ぶ"))
    expect(worker_page.locator(".slot-row").first).to_contain_text("Asia/Tokyo")
    clicks.click(worker_page.get_by_role("button", name="この日時で確定").first)
    expect(worker_page.locator(".messages")).to_contain_text("面談の日時が確定しました")
    assert clicks.count <= 5
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.BOOKED
    with worker_page.expect_download() as download_info:
        worker_page.get_by_role("link", name=re.compile("カレンダーに追加")).click()
    calendar = download_info.value.path().read_bytes().decode("utf-8")
    assert calendar.startswith("BEGIN:VCALENDAR\r\n")
    starts = interview.booked_slot.starts_at if interview.booked_slot else None
    assert starts is not None
    assert f"DTSTART:{starts.strftime('%Y%m%dT%H%M%SZ')}" in calendar
    screenshot(worker_page, "jobs-interview")

    # The client sends the offer, filled in from the proposal; the contract page shows it.
    page.goto(f"/proposals/{proposal.pk}/")
    page.get_by_role("link", name="発注する").click()
    expect(page.locator("input[name='m-0-amount']")).to_have_value("30000")
    screenshot(page, "jobs-offer")
    page.get_by_role("button", name="発注を送る").click()
    expect(page.locator(".messages")).to_contain_text("発注を送りました")
    contract = Contract.objects.get()
    assert page.url.endswith(f"/contracts/{contract.pk}/")
    expect(page.locator("h1")).to_contain_text("商品説明の英語翻訳（20ページ）")
    proposal.refresh_from_db()
    assert proposal.status == "offered" and contract.worker_id == worker.pk
