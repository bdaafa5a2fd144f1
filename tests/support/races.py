"""Start competing calls at the same moment, each on its own database connection.

Race tests need committed data (``django_db(transaction=True)``): each thread opens its own
connection, so the database's own locking decides who wins, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection

# Long enough for a slow shared machine, short enough that a deadlock fails the test instead of
# hanging the suite.
TIMEOUT_SECONDS = 60.0


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together by a barrier.

    Returns each call's result, or the exception it raised, in the order given. A call still
    running after ``TIMEOUT_SECONDS`` fails the test.
    """
    if len(calls) < 2:
        raise ValueError("a race needs at least two calls")
    barrier = threading.Barrier(len(calls), timeout=TIMEOUT_SECONDS)
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, call), name=f"race-{i}", daemon=True)
        for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_SECONDS)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert not stuck, f"still running after {TIMEOUT_SECONDS:.0f}s: {stuck}"
    broken = [r for r in results if isinstance(r, threading.BrokenBarrierError)]
    assert not broken, "the calls did not all reach the start together"
    return results
