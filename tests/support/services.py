"""Real services the scale-out tests use: the local Redis, and an S3-compatible server (moto).

Redis is the one at ``TSUNAGU_TEST_REDIS_URL`` (default redis://127.0.0.1:6379/4). Outside CI a
missing Redis skips the tests that need it; under CI (CI=true) it fails them, as .ci/run does for
PostgreSQL. The S3 server is started here, in the test process, so it is never missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/4"


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1")


def redis_url() -> str:
    """The test Redis, reachable; skip (fail under CI) when it is not."""
    import redis

    url = os.environ.get("TSUNAGU_TEST_REDIS_URL", DEFAULT_REDIS_URL)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.exceptions.ConnectionError as exc:
        if under_ci():
            pytest.fail(f"Redis is not reachable at {url} ({exc}); CI must run the Redis tests")
        pytest.skip(f"Redis is not reachable at {url} (these tests fail under CI=true)")
    return url


@contextmanager
def redis_exclusive(url: str, name: str) -> Iterator[None]:
    """Hold a Redis lock for ``name``, so parallel test processes take turns with shared keys."""
    import redis

    connection = redis.Redis.from_url(url)
    with connection.lock(f"tsunagu-test:{name}", timeout=300, blocking_timeout=300):
        yield


@contextmanager
def s3_server() -> Iterator[str]:
    """An S3-compatible server (moto) on a free local port; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()
