"""Steps that several browser flows share, done the way a person does them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

ScreenshotFn = Callable[..., Path]

# Where every browser test's clock starts (a Monday, 10:00 in Tokyo). Later than any real date the
# tests will run on, so that the cookies the server sets have not expired for the browser, whose
# own cookie store keeps real time.
CLOCK_START = dt.datetime(2031, 3, 3, 1, 0, tzinfo=dt.UTC)

LOG_OUT = re.compile("ログアウト|Log out")
# The password tests.accounts.factories.UserFactory gives every account.
FACTORY_PASSWORD = "password"


def password_form(page: Page) -> Locator:
    """The form on the page that asks for a password (login, sign-up)."""
    return page.locator("form").filter(has=page.locator("input[type=password]")).first


def log_in(page: Page, *, email: str, password: str = FACTORY_PASSWORD) -> None:
    """Sign in through the login form and land on the home page."""
    page.goto("/accounts/login/")
    form = password_form(page)
    form.get_by_label(re.compile("メールアドレス|E-mail|Email", re.IGNORECASE)).fill(email)
    form.get_by_label(re.compile("^パスワード|^Password", re.IGNORECASE)).first.fill(password)
    form.get_by_role("button", name=re.compile("ログイン|Log in|Sign in")).click()
    expect(page.get_by_role("button", name=LOG_OUT)).to_be_visible()


def completeness_percent(page: Page) -> int:
    """The profile completeness shown on the signed-in home page."""
    page.goto("/")
    bar = page.get_by_role("progressbar").first
    expect(bar).to_be_visible()
    return int(float(bar.get_attribute("value") or "0"))
