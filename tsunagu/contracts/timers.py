"""Contract timers, run by the periodic tick."""

from __future__ import annotations

from tsunagu.contracts import services
from tsunagu.core.periodic import periodic


@periodic("contracts.auto_accept")
def auto_accept() -> int:
    """Deliveries not inspected within the agreed period are accepted automatically."""
    return services.milestones_auto_accept_due()
