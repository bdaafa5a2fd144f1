"""System checks for running on more than one process."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register

from tsunagu.core.shared import cache_is_shared


@register()
def shared_cache_check(**kwargs: Any) -> list[Warning]:
    """Several web processes must share one cache: rate limits and throttles live in it."""
    workers = getattr(settings, "WEB_WORKERS", 1)
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if workers > 1 and not cache_is_shared():
        return [
            Warning(
                f"{workers} web processes run with a cache local to each process ({backend}).",
                hint=(
                    "Rate limits and login throttles are counted per process and can be "
                    "exceeded; set REDIS_URL so that every process shares one cache."
                ),
                id="tsunagu.W001",
            )
        ]
    return []
