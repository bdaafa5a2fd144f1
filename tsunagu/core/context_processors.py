"""Template context every page shares."""

from __future__ import annotations

from django.http import HttpRequest

from tsunagu.core.live import live_enabled


def live_updates(request: HttpRequest) -> dict[str, bool]:
    """Whether pages open a WebSocket for live updates (else they only poll)."""
    return {"live_updates": live_enabled()}
