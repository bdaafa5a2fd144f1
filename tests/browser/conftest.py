"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright's own browser download is not used: the tests launch ``/usr/bin/chromium`` (or
``TSUNAGU_CHROMIUM``). Every test here carries the ``browser`` marker, so ``make test`` leaves
them out and ``make browser-test`` (or ``pytest -m browser``) runs only them.

The live server runs in this process, in a thread, so e-mails it sends land in
``django.core.mail.outbox`` (the locmem backend set by tests/conftest.py).

Screenshots for the README (docs/screenshots/) are written only when asked for, with
``TSUNAGU_SCREENSHOTS=1`` (``make screenshots``); an ordinary run leaves the files alone. Every
test starts at the same instant (``CLOCK_START``, for the server and for the page's scripts),
so that dates and times on the pages, and so the pictures, are the same from one run to the
next.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.browser.helpers import CLOCK_START, ScreenshotFn
from tests.support.seeds import migration_seeds_restore

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


def screenshots_requested() -> bool:
    return os.environ.get("TSUNAGU_SCREENSHOTS", "") == "1"


BROWSER_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in tests/browser/ before ``-m`` selects on the marker.

    The live server needs committed data, so these tests use a transactional database.
    """
    for item in items:
        if BROWSER_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            if item.get_closest_marker("django_db") is None:
                item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(autouse=True)
def fixed_clock() -> Iterator[None]:
    """The server's clock starts at CLOCK_START for each test and runs on from there."""
    with time_machine.travel(CLOCK_START, tick=True):
        yield


@pytest.fixture(autouse=True)
def _seeded_skills(transactional_db: None) -> None:
    """The skill taxonomy and job categories that data migrations seed, put back after each
    test's flush."""
    migration_seeds_restore()


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1")


class _Shared:
    """One Playwright driver and one Chromium for the whole run.

    Test modules elsewhere may import these fixtures, which gives pytest a second definition of
    each; both must hand out the same running driver, since a second sync_playwright() inside
    the first fails.
    """

    playwright: Playwright | None = None
    playwright_users = 0
    browser: Browser | None = None
    browser_users = 0
    previous_async_unsafe: str | None = None


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if _Shared.playwright is None:
        # Playwright's sync API runs an asyncio loop in this thread, and Django refuses ORM
        # calls while a loop is running unless told that it is safe. It is: the loop only
        # waits on the browser, and every query still runs synchronously.
        _Shared.previous_async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        _Shared.playwright = sync_playwright().start()
    _Shared.playwright_users += 1
    yield _Shared.playwright
    _Shared.playwright_users -= 1
    if _Shared.playwright_users == 0:
        _Shared.playwright.stop()
        _Shared.playwright = None
        if _Shared.previous_async_unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = _Shared.previous_async_unsafe


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if _Shared.browser is None:
        if not os.access(CHROMIUM, os.X_OK):
            hint = "apt-get update && apt-get install -y chromium"
            never = " Browser tests never skip under CI." if _in_ci() else ""
            pytest.fail(
                f"Chromium not found at {CHROMIUM}: run '{hint}' or set TSUNAGU_CHROMIUM.{never}",
                pytrace=False,
            )
        _Shared.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    _Shared.browser_users += 1
    yield _Shared.browser
    _Shared.browser_users -= 1
    if _Shared.browser_users == 0:
        _Shared.browser.close()
        _Shared.browser = None


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
    browser: Browser, live_server: Any, browser_context_args: dict[str, Any], fixed_clock: None
) -> Iterator[Page]:
    """A page in a fresh context (own cookies and storage), its base URL the live server."""
    context = browser.new_context(base_url=live_server.url, **browser_context_args)
    context.set_default_timeout(10_000)
    # the page's scripts read the same instant as the server (timers keep running)
    context.clock.set_fixed_time(CLOCK_START)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot() -> ScreenshotFn:
    """``screenshot(page, "home")`` saves docs/screenshots/home.png (the whole page) when
    screenshots are requested (TSUNAGU_SCREENSHOTS=1), and does nothing otherwise."""

    def take(page: Page, name: str, *, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        if screenshots_requested():
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path

    return take
