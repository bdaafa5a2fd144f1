"""What the signed-in home page shows: how complete the profile is and what to verify next."""

from __future__ import annotations

from typing import Any

from tsunagu.accounts.models import User
from tsunagu.accounts.selectors import next_verification_step, verification_levels
from tsunagu.profiles.selectors import profile_completeness


def home_dashboard(*, user: User) -> dict[str, Any]:
    profile = user.profile
    levels = verification_levels(user=user)
    return {
        "profile": profile,
        "completeness": profile_completeness(profile=profile),
        "levels": levels,
        "verified_count": sum(1 for level in levels if level.is_verified),
        "next_step": next_verification_step(user=user),
    }
