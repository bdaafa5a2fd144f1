"""API rate limits, kept in the cache (local memory or Redis).

ninja's throttles keep per-request state on the throttle object, which every request shares;
under a threaded server two requests could mix their histories. These keep it per thread.
"""

from __future__ import annotations

import threading
from typing import Any

from ninja.throttling import AnonRateThrottle, AuthRateThrottle


class _PerThreadState:
    """``key``, ``history`` and ``now`` live in thread-local storage instead of on ``self``."""

    _local: threading.local

    def _state(self) -> threading.local:
        local = self.__dict__.get("_local")
        if local is None:
            local = self.__dict__["_local"] = threading.local()
        return local

    def __setattr__(self, name: str, value: Any) -> None:
        if name in {"key", "history", "now"}:
            setattr(self._state(), name, value)
        else:
            super().__setattr__(name, value)

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails, i.e. for the per-request attributes.
        if name in {"key", "history", "now"}:
            try:
                return getattr(self._state(), name)
            except AttributeError:
                pass
        raise AttributeError(name)


class AnonThrottle(_PerThreadState, AnonRateThrottle):
    """Requests without a signed-in person (public endpoints), counted per IP address."""

    scope = "api_anon"


class AuthBurstThrottle(_PerThreadState, AuthRateThrottle):
    """A signed-in person's or token's short bursts."""

    scope = "api_auth_burst"


class AuthSustainedThrottle(_PerThreadState, AuthRateThrottle):
    """A signed-in person's or token's requests over a day."""

    scope = "api_auth_day"


def default_throttles() -> list[Any]:
    return [
        AnonThrottle("60/m"),
        AuthBurstThrottle("120/m"),
        AuthSustainedThrottle("20000/d"),
    ]
