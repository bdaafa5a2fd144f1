"""The ``tsunagu`` command: ``run`` migrates a fresh database and serves the site with the worker."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tsunagu.cli import main


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_help_lists_the_commands(capsys: object) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "run" in out and "demo" in out


def test_run_migrates_a_fresh_database_and_serves_japanese_pages(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "TSUNAGU_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PORT": str(port),
        "TICK_SECONDS": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = (tmp_path / "run.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tsunagu.cli", "run"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        body = ""
        # a bounded wait, not a timed assertion: migrations and the first page on a busy machine
        give_up = time.monotonic() + 240
        while time.monotonic() < give_up:
            if proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as response:
                    body = response.read().decode()
                    break
            except urllib.error.HTTPError as exc:  # served, but not a page we expected
                body = exc.read().decode(errors="replace")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        assert '<html lang="ja">' in body, (tmp_path / "run.log").read_text()
        for _ in range(300):  # the task worker starts beside the server (bounded wait)
            if "Starting worker" in (tmp_path / "run.log").read_text() or proc.poll() is not None:
                break
            time.sleep(0.1)
        # While serving: the task worker runs beside the server and nothing has raised.
        # (Stopping may interrupt a running tick; jobs are idempotent, so that is harmless.)
        serving_log = (tmp_path / "run.log").read_text()
        assert "Starting worker" in serving_log, serving_log
        assert "Traceback" not in serving_log, serving_log
        assert (tmp_path / "secret_key").exists()
        assert (tmp_path / "db.sqlite3").exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
    assert proc.returncode == 0, (tmp_path / "run.log").read_text()
