"""Whether state kept in the cache is seen by every web process (a shared cache such as Redis)."""

from __future__ import annotations

from django.conf import settings

LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def cache_is_shared() -> bool:
    """False for a cache that lives inside one process (local memory, dummy)."""
    return settings.CACHES.get("default", {}).get("BACKEND", "") not in LOCAL_CACHES
