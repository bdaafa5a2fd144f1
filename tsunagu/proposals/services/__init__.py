"""Writes of proposals, scouts, interviews and response times, one transaction each.

``proposals`` holds proposals and scouting, ``interviews`` arranging and booking calls,
``response_times`` the precomputed reply times. Callers import from here.
"""

from __future__ import annotations

from tsunagu.proposals.services.interviews import (
    DURATIONS,
    MAX_SLOTS,
    MIN_SLOTS,
    REMINDER_LEAD,
    interview_book,
    interview_propose,
    interview_reminders_send,
)
from tsunagu.proposals.services.proposals import (
    DEFAULT_DAILY_PROPOSALS,
    DEFAULT_DAILY_SCOUTS,
    ProposedMilestone,
    daily_proposal_limit,
    daily_scout_limit,
    proposal_decline,
    proposal_offer,
    proposal_open_inquiry,
    proposal_shortlist,
    proposal_submit,
    proposal_withdraw,
    scout_send,
)
from tsunagu.proposals.services.response_times import (
    RESPONSE_REFRESH_EVERY,
    RESPONSE_WINDOW,
    response_times_refresh,
)

__all__ = [
    "DEFAULT_DAILY_PROPOSALS",
    "DEFAULT_DAILY_SCOUTS",
    "DURATIONS",
    "MAX_SLOTS",
    "MIN_SLOTS",
    "REMINDER_LEAD",
    "RESPONSE_REFRESH_EVERY",
    "RESPONSE_WINDOW",
    "ProposedMilestone",
    "daily_proposal_limit",
    "daily_scout_limit",
    "interview_book",
    "interview_propose",
    "interview_reminders_send",
    "proposal_decline",
    "proposal_offer",
    "proposal_open_inquiry",
    "proposal_shortlist",
    "proposal_submit",
    "proposal_withdraw",
    "response_times_refresh",
    "scout_send",
]
