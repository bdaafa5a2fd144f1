"""Tasks the worker tests enqueue; module-level so that a worker process can import them."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task


@task()
def add(a: int, b: int) -> int:
    return a + b


@task()
def fail(message: str) -> None:
    raise ValueError(message)


@task()
def wait_for_go(folder: str) -> str:
    """Write ``started``, wait (bounded) for a ``go`` file, then write ``finished``."""
    base = Path(folder)
    (base / "started").write_text("1")
    give_up = time.monotonic() + 120
    while not (base / "go").exists() and time.monotonic() < give_up:
        time.sleep(0.05)
    (base / "finished").write_text("1")
    return "finished"
