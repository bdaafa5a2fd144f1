"""Screenshots are written only on request, and the same page gives the same picture each time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from tests.browser import conftest
from tests.browser.helpers import CLOCK_START, ScreenshotFn


def test_an_ordinary_run_writes_no_screenshot(
    page: Page, screenshot: ScreenshotFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TSUNAGU_SCREENSHOTS", raising=False)
    monkeypatch.setattr(conftest, "SCREENSHOTS", tmp_path)
    page.goto("/")
    screenshot(page, "home")
    assert list(tmp_path.iterdir()) == []


def test_requested_screenshots_come_out_the_same(
    page: Page, screenshot: ScreenshotFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TSUNAGU_SCREENSHOTS", "1")
    monkeypatch.setattr(conftest, "SCREENSHOTS", tmp_path)
    # the server and the page's scripts both start from the fixed clock
    assert abs(timezone.now() - CLOCK_START) < dt.timedelta(minutes=5)
    assert page.evaluate("Date.now()") == CLOCK_START.timestamp() * 1000
    page.goto("/")
    first = screenshot(page, "first").read_bytes()
    page.goto("/")
    again = screenshot(page, "again").read_bytes()
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert first == again
