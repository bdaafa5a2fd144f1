"""``tsunagu run`` with live updates on serves ASGI (uvicorn): pages and WebSockets."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin

from tests.support.live import TEST_REDIS_URL, free_port, redis_layers


def test_run_serves_asgi_and_refuses_an_anonymous_socket(tmp_path: Path) -> None:
    redis_layers()  # skips without Redis (fails under CI)
    port = free_port()
    env = {
        **os.environ,
        "TSUNAGU_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PORT": str(port),
        "LIVE_UPDATES": "websocket",
        "CHANNEL_REDIS_URL": TEST_REDIS_URL,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log_path = tmp_path / "run.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tsunagu.cli", "run", "--no-worker"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            server, body = "", ""
            # a bounded wait, not a timed assertion: migrations and the first page
            give_up = time.monotonic() + 240
            while time.monotonic() < give_up and proc.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as r:
                        server, body = r.headers.get("server", ""), r.read().decode()
                        break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    time.sleep(0.1)
            assert server == "uvicorn", log_path.read_text()
            assert '<html lang="ja">' in body
            with pytest.raises(InvalidStatus) as refused:
                connect(
                    f"ws://127.0.0.1:{port}/ws/live/", origin=Origin(f"http://127.0.0.1:{port}")
                )
            assert refused.value.response.status_code == 403
            assert "Traceback" not in log_path.read_text(), log_path.read_text()
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    assert proc.returncode == 0, log_path.read_text()
