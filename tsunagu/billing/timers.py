"""Billing timers, run by the periodic tick."""

from __future__ import annotations

from tsunagu.billing import services
from tsunagu.core.periodic import periodic


@periodic("billing.invoices_issue_missing")
def invoices_issue_missing() -> int:
    """Invoices for any payment whose receiver failed are issued on the next tick."""
    return services.invoices_issue_missing()
