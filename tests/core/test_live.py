"""Live updates are switched on by LIVE_UPDATES; off, nothing is published and nothing changes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from tests.support.live import IN_MEMORY
from tsunagu.asgi import application_build
from tsunagu.core.live import live_publish, room_group


@pytest.mark.django_db(transaction=True)
def test_an_event_of_a_rolled_back_transaction_is_dropped(settings: Any) -> None:
    settings.LIVE_UPDATES = "websocket"
    settings.CHANNEL_LAYERS = IN_MEMORY

    async def listen() -> str:
        layer = get_channel_layer()
        channel: str = await layer.new_channel()
        await layer.group_add(room_group(1), channel)
        return channel

    async def receive(channel: str) -> dict[str, Any]:
        # a bound for a busy machine, not a timed assertion
        event: dict[str, Any] = await asyncio.wait_for(get_channel_layer().receive(channel), 30)
        return event

    channel = async_to_sync(listen)()
    with pytest.raises(RuntimeError), transaction.atomic():
        live_publish(group=room_group(1), event={"type": "room.changed", "seq": 1})
        raise RuntimeError("rolled back")
    live_publish(group=room_group(1), event={"type": "room.changed", "seq": 2})
    assert async_to_sync(receive)(channel) == {"type": "room.changed", "seq": 2}


@pytest.mark.django_db(transaction=True)
def test_a_broken_channel_layer_does_not_fail_the_change(settings: Any, caplog: Any) -> None:
    settings.LIVE_UPDATES = "websocket"
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "no.such.Layer"}}
    with transaction.atomic():
        live_publish(group=room_group(1), event={"type": "room.changed", "seq": 1})
    assert "could not publish room.changed to room.1" in caplog.text


def test_the_asgi_application_routes_websockets_only_when_live_updates_are_on(
    settings: Any,
) -> None:
    settings.LIVE_UPDATES = "poll"
    assert set(application_build().application_mapping) == {"http"}
    settings.LIVE_UPDATES = "websocket"
    assert set(application_build().application_mapping) == {"http", "websocket"}


@pytest.mark.parametrize(
    ("env", "error"),
    [
        ({"LIVE_UPDATES": "sockets"}, 'LIVE_UPDATES must be "poll" or "websocket"'),
        ({"LIVE_UPDATES": "websocket"}, "needs CHANNEL_REDIS_URL or REDIS_URL"),
    ],
)
def test_a_wrong_setting_stops_the_start_with_a_clear_message(
    env: dict[str, str], error: str, tmp_path: Any
) -> None:
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CHANNEL_REDIS_URL")},
        "TSUNAGU_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tsunagu.settings",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert error in result.stderr
