"""Every write on reviews, one function each, inside one transaction that locks the contract row
then its reviews. Callers import from here: ``from tsunagu.trust import services``."""

from __future__ import annotations

from tsunagu.trust.errors import CardError, ReviewError
from tsunagu.trust.services.cards import card_publish, card_revoke
from tsunagu.trust.services.reviews import (
    completion_of,
    review_edit,
    review_hide,
    review_reply,
    review_report,
    review_submit,
)
from tsunagu.trust.services.schedule import review_reminders_send, reviews_reveal_due

__all__ = [
    "CardError",
    "ReviewError",
    "card_publish",
    "card_revoke",
    "completion_of",
    "review_edit",
    "review_hide",
    "review_reminders_send",
    "review_reply",
    "review_report",
    "review_submit",
    "reviews_reveal_due",
]
