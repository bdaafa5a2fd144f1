"""Steps that several browser flows share, done the way a person does them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

ScreenshotFn = Callable[..., Path]

LOG_OUT = re.compile("ログアウト|Log out")
# The password tests.accounts.factories.UserFactory gives every account.
FACTORY_PASSWORD = "password"


def log_in(page: Page, *, email: str, password: str = FACTORY_PASSWORD) -> None:
    """Sign in through the login form and land on the home page."""
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("メールアドレス|E-mail|Email", re.IGNORECASE)).fill(email)
    page.get_by_label(re.compile("^パスワード|^Password", re.IGNORECASE)).first.fill(password)
    page.locator("main").get_by_role("button", name=re.compile("ログイン|Log in|Sign in")).click()
    expect(page.get_by_role("button", name=LOG_OUT)).to_be_visible()


def completeness_percent(page: Page) -> int:
    """The profile completeness shown on the signed-in home page."""
    page.goto("/")
    bar = page.get_by_role("progressbar").first
    expect(bar).to_be_visible()
    return int(float(bar.get_attribute("value") or "0"))
