"""The API documentation page works in a real browser under the site's Content-Security-Policy."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser import conftest as browser_suite

# The browser suite's fixtures (Debian's Chromium through Playwright), used here too.
playwright = browser_suite.playwright
browser = browser_suite.browser
browser_context_args = browser_suite.browser_context_args
page = browser_suite.page
fixed_clock = browser_suite.fixed_clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_without_csp_violations(page: Page, live_server: Any) -> None:
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))

    # Runs before the page's own scripts (injected by the browser driver, not subject to CSP).
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e =>"
        " window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto("/api/docs")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Tsunagu API")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/me").first).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
