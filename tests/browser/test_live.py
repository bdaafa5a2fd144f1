"""Live updates in a real browser: two people in one room, each in their own page, served by
uvicorn (ASGI) with the Redis channel layer. A message sent in one page appears in the other
without a reload, pushed over the WebSocket; a mention lights up the other's notification badge.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, WebSocket, expect

from tests.browser.helpers import ScreenshotFn, log_in
from tests.browser.test_messaging import named, send
from tests.support.live import free_port, redis_layers
from tsunagu.accounts.models import User
from tsunagu.asgi import application_build
from tsunagu.messaging.models import Message
from tsunagu.messaging.services import room_open_inquiry


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn in a thread on a port of this suite's range; yields its URL."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=free_port(),
        lifespan="off",
        ws="websockets-sansio",
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    give_up = time.monotonic() + 60  # a bounded wait for the socket to listen, not an assertion
    while not server.started and thread.is_alive() and time.monotonic() < give_up:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
def asgi_server(settings: Any) -> Iterator[str]:
    """tsunagu.asgi with live updates on (Redis channel layer)."""
    settings.LIVE_UPDATES = "websocket"
    settings.CHANNEL_LAYERS = redis_layers()
    with serving(application_build()) as url:
        yield url


@pytest.fixture
def server_without_sockets(settings: Any) -> Iterator[str]:
    """Pages that open a live socket, from a server that cannot take one (a proxy that drops
    the upgrade, say): the application is built with live updates off."""
    settings.LIVE_UPDATES = "poll"
    app = application_build()
    settings.LIVE_UPDATES = "websocket"
    settings.CHANNEL_LAYERS = redis_layers()
    with serving(app) as url:
        yield url


class Watched:
    """A person's page, with what its WebSocket received and when its room was polled, in order."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.page: Page = context.new_page()
        self.log: list[tuple[str, Any]] = []
        self.page.on("websocket", self._socket)
        self.page.on(
            "request", lambda r: self.log.append(("poll", r.url)) if "/poll/" in r.url else None
        )

    def _socket(self, ws: WebSocket) -> None:
        ws.on("framereceived", lambda payload: self.log.append(("frame", json.loads(payload))))

    def frames(self, kind: str) -> list[dict[str, Any]]:
        return [f for what, f in self.log if what == "frame" and f["type"] == kind]


def room_pages(
    browser: Browser, base_url: str, context_args: dict[str, Any], room_pk: int, *people: User
) -> list[Watched]:
    """Each person signed in in a context of their own, on the room's page."""
    pages: list[Watched] = []
    for person in people:
        context = browser.new_context(base_url=base_url, **context_args)
        context.set_default_timeout(20_000)
        watched = Watched(context)
        log_in(watched.page, email=person.email)
        watched.page.goto(f"/messages/rooms/{room_pk}/")
        pages.append(watched)
    return pages


def test_a_message_sent_in_one_page_appears_live_in_the_other(
    browser: Browser,
    asgi_server: str,
    browser_context_args: dict[str, Any],
    screenshot: ScreenshotFn,
) -> None:
    client = named("つなぐ商店")
    worker = named("花子")
    room = room_open_inquiry(client=client, worker=worker, by=client, title="翻訳のご相談")
    pages = room_pages(browser, asgi_server, browser_context_args, room.pk, client, worker)
    for watched in pages:
        expect(watched.page.locator("body")).to_have_attribute("data-live", "open")
    sender, receiver = pages
    receiver.page.evaluate("window.stillTheSamePage = true")
    expect(receiver.page.get_by_test_id("unread-count")).to_have_count(0)

    text = "@花子 英語のマニュアル20ページの翻訳をお願いできますか？"
    send(sender.page, text)
    arrived = receiver.page.locator("#history li.msg").filter(has_text="マニュアル20ページ")
    expect(arrived).to_be_visible()
    # the mention's notification reaches the header of the same page, pushed as well
    expect(receiver.page.get_by_test_id("unread-count")).to_have_text("1 件の未読")
    screenshot(receiver.page, "messages-live")

    message = Message.objects.get(room=room, sender=client)
    assert receiver.page.evaluate("window.stillTheSamePage") is True
    pushed = [f for f in receiver.frames("room.changed") if f["seq"] == message.seq]
    assert pushed == [{"type": "room.changed", "room": room.pk, "seq": message.seq}]
    # The page fetched the message because it was told: a poll follows the frame.
    told = receiver.log.index(("frame", pushed[0]))
    assert any(what == "poll" for what, _ in receiver.log[told:]), receiver.log
    assert receiver.frames("notifications.unread")[-1] == {
        "type": "notifications.unread",
        "count": 1,
    }
    for watched in pages:
        watched.context.close()


def test_when_the_socket_cannot_open_the_pages_keep_polling(
    browser: Browser, server_without_sockets: str, browser_context_args: dict[str, Any]
) -> None:
    client = named("つなぐ商店")
    worker = named("花子")
    room = room_open_inquiry(client=client, worker=worker, by=client, title="翻訳のご相談")
    pages = room_pages(
        browser, server_without_sockets, browser_context_args, room.pk, client, worker
    )
    sender, receiver = pages
    send(sender.page, "ソケットがなくても届きます")
    arrived = receiver.page.locator("#history li.msg").filter(has_text="ソケットがなくても")
    expect(arrived).to_be_visible()
    assert receiver.page.locator("body").get_attribute("data-live") != "open"
    assert receiver.frames("room.changed") == []
    for watched in pages:
        watched.context.close()
