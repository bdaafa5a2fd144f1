"""Stopping `tsunagu run` (SIGTERM) lets a running background task finish, within a bound."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.core.test_cli import free_port
from tests.support.services import redis_exclusive, redis_url
from tsunagu.cli import _drain

ROOT = Path(__file__).resolve().parents[2]
# What the database worker and the RQ worker log when asked to stop after the current task.
STOP_NOTES = ("shutting down gracefully", "warm shut down requested")


def _wait_for(predicate: object, *, seconds: float, proc: subprocess.Popen[bytes]) -> bool:
    """Poll (bounded) until ``predicate()`` holds or ``proc`` exits; not a timed assertion."""
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        if predicate():  # type: ignore[operator]
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.1)
    return False


def _serving(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30):
            return True
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextlib.contextmanager
def _backend(kind: str) -> Iterator[dict[str, str]]:
    if kind == "db":
        yield {}
        return
    url = redis_url()
    import redis
    from rq import Queue

    with redis_exclusive(url, "rq-default-queue"):
        Queue("default", connection=redis.Redis.from_url(url)).empty()
        yield {"TASKS_BACKEND": "rq", "TASKS_REDIS_URL": url}


@pytest.mark.parametrize(("backend", "workers"), [("db", 1), ("rq", 2)])
def test_sigterm_lets_the_running_task_finish(tmp_path: Path, backend: str, workers: int) -> None:
    port = free_port()
    with _backend(backend) as extra:
        env = {
            **os.environ,
            **extra,
            "TSUNAGU_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "TICK_SECONDS": "3600",
            "DRAIN_SECONDS": "120",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        log_path = tmp_path / "run.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tsunagu.cli",
                    "run",
                    f"--port={port}",
                    f"--workers={workers}",
                ],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                assert _wait_for(lambda: _serving(port), seconds=300, proc=proc), (
                    log_path.read_text()
                )
                subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        "import django; django.setup(); "
                        "from tests.core.task_examples import wait_for_go; "
                        f"wait_for_go.enqueue({str(tmp_path)!r})",
                    ],
                    env={**env, "DJANGO_SETTINGS_MODULE": "tsunagu.settings"},
                    cwd=ROOT,
                    check=True,
                    timeout=120,
                )
                started = tmp_path / "started"
                assert _wait_for(started.exists, seconds=300, proc=proc), log_path.read_text()

                proc.send_signal(signal.SIGTERM)
                # The worker has been told to stop while its task still waits: the task can
                # only finish if stopping waits for it.
                assert _wait_for(
                    lambda: any(note in log_path.read_text() for note in STOP_NOTES),
                    seconds=120,
                    proc=proc,
                ), log_path.read_text()
                (tmp_path / "go").write_text("1")
                proc.wait(timeout=180)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    output = log_path.read_text()
    assert proc.returncode == 0, output
    assert (tmp_path / "finished").exists(), output
    assert "Traceback" not in output, output


def test_a_child_that_ignores_sigterm_is_killed_after_the_bound() -> None:
    stubborn = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            "print('ready', flush=True); time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
    )
    assert stubborn.stdout is not None
    assert stubborn.stdout.readline().strip() == b"ready"
    _drain([stubborn], seconds=1)
    assert stubborn.returncode == -signal.SIGKILL
