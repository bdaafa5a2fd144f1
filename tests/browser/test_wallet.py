"""The wallet as a person uses it: top up by card, a declined card, a bank account and a payout."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.accounts.factories import UserFactory
from tests.browser.helpers import ScreenshotFn, log_in
from tsunagu.payments.models import Payment
from tsunagu.payments.selectors import wallet_summary


def test_top_up_decline_bank_account_and_payout(page: Page, screenshot: ScreenshotFn) -> None:
    user = UserFactory()
    log_in(page, email=user.email)
    page.get_by_role("link", name="残高").first.click()
    expect(page.get_by_role("heading", level=1, name="残高")).to_be_visible()
    expect(page.get_by_test_id("balance")).to_have_text("¥0")

    # a top-up of ¥10,000 by card lands in the balance
    top_up = page.locator("form[action$='/wallet/top-up/']")
    top_up.get_by_label("金額（円）").fill("10000")
    top_up.get_by_role("button", name="入金する").click()
    expect(page.get_by_role("status")).to_contain_text("¥10,000を残高に入金しました。")
    expect(page.get_by_test_id("balance")).to_have_text("¥10,000")
    expect(page.locator("#wallet-history")).to_contain_text("カードで入金")

    # ¥10,402 is declined by the sandbox: the reason is shown, the balance does not move
    top_up = page.locator("form[action$='/wallet/top-up/']")
    top_up.get_by_label("金額（円）").fill("10402")
    top_up.get_by_role("button", name="入金する").click()
    expect(page.get_by_role("status")).to_contain_text("カード会社によってカードが拒否されました。")
    expect(page.get_by_test_id("balance")).to_have_text("¥10,000")
    assert wallet_summary(user_id=user.pk).balance == 10_000
    screenshot(page, "wallet")

    # register the bank account, with the holder's name typed in half-width katakana
    page.get_by_role("link", name="銀行口座を登録").click()
    page.get_by_label("銀行名").fill("つなぐ銀行")
    page.get_by_label("支店名").fill("渋谷支店")
    page.get_by_label("口座番号").fill("1234567")
    page.get_by_label("口座名義（カタカナ）").fill("ﾔﾏﾀﾞ ﾊﾅｺ")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("銀行口座を保存しました。")
    expect(page.get_by_text("ヤマダ ハナコ")).to_be_visible()

    # withdraw ¥5,000: the fee is shown before and taken after
    payout = page.locator("form[action$='/wallet/payout/']")
    expect(payout).to_contain_text("手数料¥250")
    payout.get_by_label("金額（円）").fill("5000")
    payout.get_by_role("button", name="出金する").click()
    expect(page.get_by_role("status")).to_contain_text(
        "¥5,000を銀行口座へ出金しました（手数料¥250）。"
    )
    expect(page.get_by_test_id("balance")).to_have_text("¥4,750")
    expect(page.get_by_test_id("available")).to_have_text("¥4,750")
    history = page.locator("#wallet-history")
    expect(history).to_contain_text("出金手数料")
    expect(history).to_contain_text("−¥250")
    assert wallet_summary(user_id=user.pk).balance == 4_750
    assert Payment.objects.filter(user=user).count() == 3
    screenshot(page, "wallet-payout")
