"""What a visitor who has not signed in sees."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import ScreenshotFn


def test_anonymous_home_is_in_japanese(page: Page, screenshot: ScreenshotFn) -> None:
    page.goto("/")

    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("link", name="つなぐ", exact=False).first).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("新規登録|無料"))).not_to_have_count(0)
    expect(page.get_by_role("button", name="English")).to_be_visible()
    expect(page.get_by_role("button", name="日本語")).to_have_attribute("aria-pressed", "true")
    nav = page.get_by_role("navigation").first
    expect(nav.get_by_role("link", name="ワーカーを探す")).to_be_visible()
    expect(page.get_by_role("link", name="ログイン")).to_be_visible()
    screenshot(page, "home")
