"""Messaging in a real browser: the contact guard before and after funding, and a group room
with a pinned manual and a task for a worker in another time zone."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.accounts.factories import UserFactory
from tests.browser.helpers import ScreenshotFn, log_in
from tests.contracts.factories import give_balance, offer
from tsunagu.accounts.models import User
from tsunagu.contracts.services import milestone_fund_from_wallet
from tsunagu.messaging.models import Message, Task
from tsunagu.messaging.services import message_send, room_for_contract, room_open_inquiry
from tsunagu.profiles.models import Profile

PHONE_IN_KANJI = "〇九〇 一二三四 五六七八"
DETAIL = f"詳しくはお電話で。{PHONE_IN_KANJI} までどうぞ。"


def named(name: str, **kwargs: Any) -> User:
    user = UserFactory(**kwargs)
    Profile.objects.filter(user=user).update(display_name=name)
    user.refresh_from_db()
    return user


def send(page: Page, text: str) -> None:
    composer = page.locator("#composer")
    composer.get_by_label("メッセージ", exact=True).fill(text)
    composer.get_by_role("button", name="送信").click()


def test_contact_details_blocked_before_funding_and_reminded_after(
    page: Page, screenshot: ScreenshotFn
) -> None:
    client = named("つなぐ商店")
    worker = named("山田 花子")
    inquiry = room_open_inquiry(client=client, worker=worker, by=client, title="翻訳のご相談")
    message_send(
        room=inquiry, sender=client, body="英語のマニュアル20ページの翻訳をお願いできますか？"
    )

    log_in(page, email=worker.email)
    page.goto(f"/messages/rooms/{inquiry.pk}/")
    send(page, DETAIL)
    blocked = page.get_by_test_id("guard-blocked")
    expect(blocked).to_be_visible()
    expect(blocked).to_contain_text("外部連絡先が含まれているため")
    expect(blocked.locator(".guard-kind")).to_have_text(["電話番号"])
    expect(page.locator("mark.guard-mark")).to_have_text(PHONE_IN_KANJI)
    # the text stays in the composer, to be edited and sent again
    expect(page.locator("#composer textarea")).to_have_value(DETAIL)
    assert not Message.objects.filter(room=inquiry, sender=worker).exists()
    screenshot(page, "messages-blocked")

    # The client offers a contract and funds the escrow; then the same detail goes through.
    contract = offer(client=client, worker=worker, title="マニュアル翻訳 20ページ")
    milestone = contract.milestones.get()
    give_balance(client, milestone.gross)
    milestone_fund_from_wallet(milestone=milestone, by=client)
    room = room_for_contract(contract=contract)
    page.goto(f"/messages/rooms/{room.pk}/")
    send(page, DETAIL)
    delivered = page.locator("#history li.msg").filter(has_text=PHONE_IN_KANJI)
    expect(delivered).to_be_visible()
    expect(delivered.locator('[data-notice="reminder"]')).to_contain_text("支払いと納品は Tsunagu")
    expect(page.locator("#composer textarea")).to_have_value("")
    assert Message.objects.get(room=room, sender=worker).guard_notice == "reminder"
    screenshot(page, "messages-reminder")


def test_group_room_with_a_pinned_manual_and_a_task_across_time_zones(
    page: Page, screenshot: ScreenshotFn
) -> None:
    client = named("株式会社つなぐ商店", time_zone="Asia/Tokyo")
    worker = named("Emily Carter", time_zone="America/Los_Angeles")
    other = named("佐藤 健")

    log_in(page, email=client.email)
    page.goto("/messages/")
    page.get_by_role("link", name="新しいグループ").click()
    page.get_by_label("グループ名").fill("商品ページ翻訳チーム")
    page.get_by_label("追加するワーカー").fill(f"{worker.email}\n{other.email}")
    page.get_by_role("button", name="グループを作成").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("商品ページ翻訳チーム")

    send(page, "【作業マニュアル】用語集に沿って訳し、固有名詞は原文のままにしてください。")
    manual = page.locator("#history li.msg").filter(has_text="作業マニュアル")
    expect(manual).to_be_visible()
    manual.get_by_role("button", name="ピン留め").click()
    expect(page.locator("#pins .pin")).to_contain_text("作業マニュアル")

    page.locator("#tasks summary").click()
    tasks = page.locator("#tasks form").last
    tasks.get_by_label("タスク", exact=True).fill("商品説明10件の翻訳")
    tasks.get_by_label("担当者").select_option(label="Emily Carter")
    tasks.get_by_label("期限日").fill("2030-02-15")
    tasks.get_by_label("期限時刻").fill("18:00")
    tasks.get_by_role("button", name="タスクを追加").click()
    task_row = page.locator("#tasks .task").filter(has_text="商品説明10件の翻訳")
    expect(task_row).to_contain_text("America/Los_Angeles")  # told the zone differs
    assert Task.objects.get().assignee == worker
    screenshot(page, "messages-group")

    # The worker in Los Angeles sees the task with the due time in their own zone.
    page.context.clear_cookies()
    log_in(page, email=worker.email)
    page.goto("/messages/tasks/")
    row = page.locator(".task").filter(has_text="商品説明10件の翻訳")
    expect(row).to_be_visible()
    # 18:00 in Tokyo on 15 February is 01:00 the same day in Los Angeles (PST, UTC−8)
    expect(row.locator(".task-due")).to_have_text(re.compile(r"2030/0?2/15 0?1:00"))
    expect(row).not_to_contain_text("担当者のタイムゾーン")
    expect(page.locator("main")).to_contain_text("America/Los_Angeles")
    row.get_by_role("link", name="商品ページ翻訳チーム").click()
    expect(page.locator("#pins .pin")).to_contain_text("作業マニュアル")
