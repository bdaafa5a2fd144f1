"""Fixed-window rate limits kept in the cache (local memory or Redis)."""

from __future__ import annotations

import time

from django.core.cache import cache


def hit(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False once ``limit`` attempts were made in the current window."""
    bucket = int(time.time() // window_seconds)
    cache_key = f"rl:{key}:{bucket}"
    added = cache.add(cache_key, 1, timeout=window_seconds + 1)
    if added:
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds + 1)
        return True
    return count <= limit
