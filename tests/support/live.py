"""Live updates in tests: the channel layers, signed-in WebSocket clients, the Redis to use."""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

from tsunagu.accounts.models import User
from tsunagu.routing import websocket_application

# The Redis database live-update tests may use; flushed by nobody, keys expire by themselves.
TEST_REDIS_URL = os.environ.get("TEST_CHANNEL_REDIS_URL", "redis://127.0.0.1:6379/5")
IN_MEMORY: dict[str, Any] = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
ORIGIN = "http://127.0.0.1"
# The ports servers started by these tests may listen on.
PORTS = range(18200, 18300)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1")


def redis_layers() -> dict[str, Any]:
    """The Redis channel layer on the test database; skips when Redis is not running (fails in CI)."""
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=5).ping()
    except redis.exceptions.RedisError as exc:
        message = f"Redis is not reachable at {TEST_REDIS_URL}: {exc}"
        if in_ci():
            pytest.fail(f"{message}. Redis tests never skip under CI.", pytrace=False)
        pytest.skip(message)
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [TEST_REDIS_URL], "prefix": f"tsunagu-test-{os.getpid()}"},
        }
    }


def session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def socket_for(user: User | None, path: str, *, origin: str = ORIGIN) -> WebsocketCommunicator:
    """A WebSocket client through the same stack as the server (origin check, session, user)."""
    headers = [(b"origin", origin.encode()), (b"host", b"127.0.0.1")]
    if user is not None:
        headers.append((b"cookie", session_cookie(user).encode()))
    return WebsocketCommunicator(websocket_application(), path, headers=headers)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail(f"no free port in {PORTS.start}-{PORTS.stop - 1}")
