"""The issue's acceptance flow, part one: sign up, confirm the e-mail address, be signed in."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.helpers import LOG_OUT, ScreenshotFn, password_form

CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def test_sign_up_confirm_email_and_be_signed_in(page: Page, screenshot: ScreenshotFn) -> None:
    page.goto("/")
    page.get_by_role("link", name=re.compile("新規登録|無料")).first.click()
    expect(page).to_have_url(re.compile("/accounts/signup/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    form = password_form(page)
    form.get_by_label(re.compile("メールアドレス")).fill("hanako@example.com")
    passwords = form.locator("input[type=password]")
    expect(passwords).to_have_count(2)
    passwords.nth(0).fill("kumo-no-ue-42")
    passwords.nth(1).fill("kumo-no-ue-42")
    screenshot(page, "signup")
    form.get_by_role("button", name=re.compile("登録")).click()

    # allauth shows "we sent you an e-mail" and the message is in the outbox.
    expect(page.get_by_text(re.compile("メール"))).not_to_have_count(0)
    expect(page.get_by_role("button", name=LOG_OUT)).to_have_count(0)
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    assert message.to == ["hanako@example.com"]
    link = CONFIRM_LINK.search(str(message.body))
    assert link, message.body

    page.goto(link.group(0))
    expect(page.get_by_text("hanako@example.com")).not_to_have_count(0)
    page.get_by_role("button", name=re.compile("確認")).click()

    # Confirming in the same browser signs the person in and lands on the home page.
    expect(page.get_by_role("button", name=LOG_OUT)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("progressbar").first).to_be_visible()
