"""Periodic work of the jobs app, registered when the app starts."""

from __future__ import annotations

from tsunagu.core.periodic import periodic
from tsunagu.jobs.services import saved_searches_alert_all


@periodic("jobs.saved_search_alerts")
def saved_search_alerts() -> int:
    """E-mail new matches of saved searches; idempotent (a watermark and a hit per job)."""
    return saved_searches_alert_all()
