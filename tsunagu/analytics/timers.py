"""Periodic job: count settled profile views into the daily roll-up."""

from __future__ import annotations

from tsunagu.analytics.services import (
    ROLLUP_BATCH,
    profile_view_seen_sweep,
    profile_views_roll_up,
)
from tsunagu.core.periodic import periodic

MAX_BATCHES_PER_TICK = 20


@periodic("analytics.roll_up_views")
def roll_up_views() -> int:
    """Up to a million views per tick; a longer backlog continues on the next tick."""
    total = 0
    for _ in range(MAX_BATCHES_PER_TICK):
        taken = profile_views_roll_up()
        total += taken
        if taken < ROLLUP_BATCH:
            break
    return total


@periodic("analytics.sweep_view_dedupe")
def sweep_view_dedupe() -> int:
    """Forget de-duplication rows older than 30 minutes (only written without Redis)."""
    return profile_view_seen_sweep()
