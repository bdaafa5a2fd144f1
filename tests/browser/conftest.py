"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright's own browser download is not used: the tests launch ``/usr/bin/chromium`` (or
``TSUNAGU_CHROMIUM``). Every test here carries the ``browser`` marker, so ``make test`` leaves
them out and ``make browser-test`` (or ``pytest -m browser``) runs only them.

The live server runs in this process, in a thread, so e-mails it sends land in
``django.core.mail.outbox`` (the locmem backend set by tests/conftest.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.browser.helpers import ScreenshotFn

CHROMIUM = os.environ.get("TSUNAGU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps trying to reach Google's servers on a closed network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
BROWSER_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in tests/browser/ before ``-m`` selects on the marker.

    The live server needs committed data, so these tests use a transactional database; the
    serialized rollback puts back what migrations seeded (the skill taxonomy, the site) after
    each test's flush.
    """
    for item in items:
        if BROWSER_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            if item.get_closest_marker("django_db") is None:
                item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    # Playwright's sync API runs an asyncio loop in this thread, and Django refuses ORM calls
    # while a loop is running unless told that it is safe. It is: the loop only waits on the
    # browser, and every query still runs synchronously.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        yield p
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        hint = "apt-get update && apt-get install -y chromium"
        never = " Browser tests never skip under CI." if _in_ci() else ""
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run '{hint}' or set TSUNAGU_CHROMIUM.{never}",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def browser_context_args() -> dict[str, Any]:
    """Options for each test's fresh browser context; override in a test module to change."""
    return {
        "locale": "ja-JP",
        "timezone_id": "Asia/Tokyo",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def page(
    browser: Browser, live_server: Any, browser_context_args: dict[str, Any]
) -> Iterator[Page]:
    """A page in a fresh context (own cookies and storage), its base URL the live server."""
    context = browser.new_context(base_url=live_server.url, **browser_context_args)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot() -> ScreenshotFn:
    """``screenshot(page, "home")`` saves docs/screenshots/home.png (the whole page)."""

    def take(page: Page, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path

    return take
