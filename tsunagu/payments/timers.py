from __future__ import annotations

from tsunagu.core.periodic import periodic
from tsunagu.payments.services import payments_recover


@periodic("payments.recover")
def recover_payments() -> int:
    """Payments left processing by a crash are completed with the provider's answer."""
    return payments_recover()
