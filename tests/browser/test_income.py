"""The worker sets a monthly target, sees the gap and jobs that match, and adds income from
outside Tsunagu by hand and from a CSV file with a bad row."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.accounts.factories import UserFactory
from tests.browser.helpers import ScreenshotFn, log_in
from tests.jobs.factories import published_job
from tests.trust.factories import paid_contract
from tsunagu.income.rollups import income_rollup_refresh
from tsunagu.profiles.models import Profile, Skill


@pytest.fixture
def worker_with_clients() -> Profile:
    worker = UserFactory()
    for name, amounts in (("つなぐ商店", (60_000, 40_000)), ("Blue Sky Inc.", (30_000,))):
        client = UserFactory()
        Profile.objects.filter(user=client).update(display_name=name)
        for amount in amounts:
            paid_contract(client=client, worker=worker, amounts=(amount,))
    income_rollup_refresh(worker_id=worker.pk)
    skill = Skill.objects.order_by("pk").first()
    assert skill is not None
    profile = Profile.objects.get(user=worker)
    profile.display_name, profile.is_worker = "Hana", True
    profile.save()
    profile.skills.add(skill)
    job = published_job(
        title="ゲームのローカライズ（トライアルあり）",
        trial_description="まず1画面分を翻訳していただきます。",
        trial_fee=5_000,
    )
    job.skills.add(skill)
    return profile


def test_target_gap_matching_jobs_and_outside_income(
    page: Page, worker_with_clients: Profile, screenshot: ScreenshotFn, tmp_path: object
) -> None:
    log_in(page, email=worker_with_clients.user.email)
    page.get_by_role("link", name="収入").first.click()
    expect(page.get_by_role("heading", name="パイプ：クライアントとのつながり")).to_be_visible()
    pipes = page.get_by_test_id("pipes-table")
    expect(pipes.get_by_role("row")).to_have_count(3)  # the header and two clients
    expect(pipes).to_contain_text("つなぐ商店")

    page.get_by_text("月の目標を決める", exact=True).click()
    page.get_by_label("月の目標（円）").fill("500000")
    page.get_by_test_id("target-form").get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("income-gap")).to_contain_text("今月の目標まであと")
    expect(page.get_by_test_id("income-matching-jobs")).to_contain_text("ゲームのローカライズ")

    page.get_by_text("手入力で追加", exact=True).click()
    form = page.get_by_test_id("outside-form")
    form.get_by_label("受取日").fill(page.evaluate("new Date().toISOString().slice(0, 10)"))
    form.get_by_label("金額（円）").fill("20000")
    form.get_by_label("収入元").fill("他社サイトの翻訳")
    form.get_by_role("button", name="追加").click()
    expect(page.get_by_test_id("income-outside")).to_contain_text("他社サイトの翻訳")
    screenshot(page, "income-dashboard")

    csv_path = f"{tmp_path}/income.csv"
    with open(csv_path, "w", encoding="utf-8") as handle:
        handle.write("date,amount,source,note\n2026-01-31,5000,アルバイト,\n2026-02-30,5000,A,\n")
    page.get_by_text("CSVファイルを取り込む", exact=True).click()
    page.get_by_test_id("import-form").get_by_label("CSVファイル").set_input_files(csv_path)
    page.get_by_test_id("import-form").get_by_role("button", name="取り込む").click()
    expect(page.get_by_test_id("import-form")).to_contain_text("3行目")
    expect(page.get_by_test_id("income-outside").get_by_role("table")).not_to_contain_text(
        "アルバイト"
    )


def test_an_offer_that_would_exceed_the_weekly_capacity_warns_the_worker(
    page: Page, screenshot: ScreenshotFn
) -> None:
    from tests.contracts.factories import offer

    client = UserFactory()
    Profile.objects.filter(user=client).update(display_name="つなぐ商店", is_client=True)
    worker = Profile.objects.get(user=UserFactory())
    worker.display_name, worker.is_worker, worker.weekly_capacity_hours = "Hana", True, 20
    worker.save()
    offer(worker=worker.user, weekly_hours=15, title="毎週のブログ記事")  # running: 15 of 20 h

    # the client writes the estimate into the offer form
    log_in(page, email=client.email)
    page.goto(f"/contracts/offer/{worker.pk}/")
    form = page.locator("#offer-form")
    form.get_by_label("タイトル", exact=True).fill("商品カタログの翻訳")
    form.get_by_label("業務の内容").fill("商品カタログ 40ページを英語に翻訳してください。")
    form.get_by_label("納品物").fill("Word ファイル 1本")
    form.get_by_label("マイルストーン").fill("翻訳一式")
    form.get_by_label("報酬（税抜・円）").fill("80000")
    due = page.evaluate("new Date(Date.now() + 14 * 864e5).toISOString().slice(0, 10)")
    later = page.evaluate("new Date(Date.now() + 40 * 864e5).toISOString().slice(0, 10)")
    form.get_by_label("納期").fill(due)
    form.get_by_label("支払期日").fill(later)
    form.get_by_label("週あたりの見込み稼働時間（任意）").fill("10")
    form.get_by_role("button", name="発注を送る").click()
    expect(page.locator(".messages")).to_contain_text("発注を送りました")
    expect(page.get_by_test_id("capacity-warning")).to_have_count(0)  # the client is not shown it

    # the worker sees, before accepting, that it would take her over her 20 hours a week
    page.context.clear_cookies()
    log_in(page, email=worker.user.email)
    page.goto("/contracts/")
    page.get_by_role("link", name="商品カタログの翻訳").click()
    warning = page.get_by_test_id("capacity-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("10")
    expect(warning).to_contain_text("20")
    expect(page.get_by_role("button", name="取引条件を承諾する")).to_be_visible()
    screenshot(page, "contract-capacity-warning")
