"""Closing an account: the person's analytics preference is erased."""

from __future__ import annotations

from tsunagu.analytics.models import AnalyticsPreference
from tsunagu.core.closing import closing_eraser_register


def erase_preference(user_id: int) -> dict[str, int]:
    return {
        "analytics_preferences": AnalyticsPreference.objects.filter(user_id=user_id).delete()[0]
    }


closing_eraser_register("analytics", erase_preference)
