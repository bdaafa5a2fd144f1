"""Periodic jobs run by the tick task.

Apps register a function with ``@periodic("name")``; ``tsunagu run`` enqueues the tick task every
``TICK_SECONDS`` and the worker calls every registered job. Jobs must be idempotent: a tick may
run twice, late, or after a restart, and must still have each effect exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

_JOBS: dict[str, Callable[[], object]] = {}


def periodic(name: str) -> Callable[[Callable[[], object]], Callable[[], object]]:
    def register(func: Callable[[], object]) -> Callable[[], object]:
        _JOBS[name] = func
        return func

    return register


def registered_jobs() -> dict[str, Callable[[], object]]:
    return dict(_JOBS)


def run_periodic_jobs() -> dict[str, str]:
    """Run each job once; one job failing does not stop the others."""
    results: dict[str, str] = {}
    for name, func in sorted(_JOBS.items()):
        try:
            func()
        except Exception:
            logger.exception("periodic job %s failed", name)
            results[name] = "failed"
        else:
            results[name] = "ok"
    return results
