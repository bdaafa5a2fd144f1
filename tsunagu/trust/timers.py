"""Review timers, run by the periodic tick."""

from __future__ import annotations

from tsunagu.core.periodic import periodic
from tsunagu.trust import services


@periodic("trust.reviews_reveal")
def reviews_reveal() -> int:
    """Reviews whose blind period has ended are published."""
    return services.reviews_reveal_due()


@periodic("trust.review_reminders")
def review_reminders() -> int:
    """Parties who have not reviewed are reminded 3 and 10 days after completion."""
    return services.review_reminders_send()


@periodic("trust.network_recompute")
def network_recompute() -> int:
    """Once a day the whole trust network is computed again, in the background."""
    from tsunagu.trust.network import network_trust_due, network_trust_start

    if not network_trust_due():
        return 0
    network_trust_start()
    return 1
