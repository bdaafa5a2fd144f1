"""API timers, run by the periodic tick."""

from __future__ import annotations

from django.core.cache import cache

from tsunagu.core.periodic import periodic

SWEEP_EVERY_SECONDS = 60 * 60


@periodic("api.idempotency")
def idempotency() -> int:
    """At most hourly, forget the Idempotency-Keys answered more than a week ago."""
    from tsunagu.api.idempotency import idempotency_records_sweep

    if not cache.add("api:idempotency:swept", 1, timeout=SWEEP_EVERY_SECONDS):
        return 0
    return idempotency_records_sweep()
