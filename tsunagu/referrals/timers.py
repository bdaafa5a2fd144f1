"""Referral timers, run by the periodic tick."""

from __future__ import annotations

from tsunagu.core.periodic import periodic
from tsunagu.referrals.rewards import rewards_retry_owed


@periodic("referrals.rewards_retry_owed")
def rewards_retry() -> int:
    """Rewards a client owed because their balance was short are paid once it is not."""
    return rewards_retry_owed()
