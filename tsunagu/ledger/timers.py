from __future__ import annotations

from tsunagu.core.periodic import periodic
from tsunagu.ledger.services import transfers_expire_due


@periodic("ledger.expire_holds")
def expire_holds() -> int:
    """Holds past their timeout are released back to the payer."""
    return transfers_expire_due()
