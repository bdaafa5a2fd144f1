"""The rules of reviews, as data and pure functions: no database in here.

When a contract is *complete* for reviews: the moment its first milestone was paid out of escrow
(released in full, or settled by agreement or by a dispute with some of the fee to the worker),
that is the earliest ``closed_at`` of its milestones in ``PAID``. Money has moved from that moment,
so both sides have something real to judge; a contract whose every milestone was refunded or
cancelled has none and is never reviewed.

From completion the two parties have ``BLIND_DAYS`` to review each other. Each review stays
hidden until both have written theirs, or until the blind period ends; then both appear
together and can no longer be edited. A review written after the blind period would be written
with the other side's review in view, so the window closes then. Reminders go to a side that
has not reviewed ``REMINDER_DAYS`` after completion.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

BLIND_DAYS = 14
BLIND_PERIOD = datetime.timedelta(days=BLIND_DAYS)
REMINDER_DAYS = (3, 10)

STARS_MIN = 1
STARS_MAX = 5
TEXT_MAX = 1000
PRIVATE_FEEDBACK_MAX = 1000
REPLY_MAX = 1000
REPORT_REASON_MAX = 1000
HIDE_REASON_MAX = 500
TAGS_MAX = 5


class ReviewedRole(models.TextChoices):
    """The part the person *reviewed* played on the contract."""

    WORKER = "worker", _("as a worker")
    CLIENT = "client", _("as a client")


# Stable codes (stored, sent by the API) with their labels. The worker is judged on the work,
# the client on the payment and the instructions.
WORKER_TAGS: dict[str, Promise] = {
    "on_time": _("Keeps deadlines"),
    "quick_replies": _("Replies quickly"),
    "high_quality": _("High quality"),
    "follows_instructions": _("Follows instructions"),
    "proactive": _("Makes good suggestions"),
    "would_hire_again": _("Would hire again"),
}
CLIENT_TAGS: dict[str, Promise] = {
    "pays_promptly": _("Pays promptly"),
    "clear_instructions": _("Clear instructions"),
    "quick_replies": _("Replies quickly"),
    "fair_feedback": _("Fair feedback"),
    "respectful": _("Respectful"),
    "would_work_again": _("Would work with again"),
}
TAGS: dict[str, dict[str, Promise]] = {
    ReviewedRole.WORKER: WORKER_TAGS,
    ReviewedRole.CLIENT: CLIENT_TAGS,
}


def tag_label(role: str, code: str) -> str:
    return str(TAGS.get(role, {}).get(code, code))


def unknown_tags(role: str, tags: Iterable[str]) -> list[str]:
    known = TAGS.get(role, {})
    return [tag for tag in tags if tag not in known]


def clean_tags(tags: Sequence[str]) -> list[str]:
    """The tags in the order of the fixed list, each once."""
    return list(dict.fromkeys(tags))


# The contract's value (fees, tax excluded) as a band: the exact amount is never shown.
# (upper bound exclusive, label); None: no upper bound.
VALUE_BANDS: tuple[tuple[int | None, Promise], ...] = (
    (50_000, _("up to ¥50,000")),
    (200_000, _("¥50,000 – ¥200,000")),
    (500_000, _("¥200,000 – ¥500,000")),
    (1_000_000, _("¥500,000 – ¥1,000,000")),
    (None, _("¥1,000,000 or more")),
)


def value_band(amount: int) -> str:
    for upper, label in VALUE_BANDS:
        if upper is None or amount < upper:
            return str(label)
    raise AssertionError("the last band has no upper bound")  # pragma: no cover


@dataclass(frozen=True)
class Window:
    """The review window of one contract, from its completion."""

    completed_at: datetime.datetime

    @property
    def reveal_at(self) -> datetime.datetime:
        """When the reviews appear even if only one side wrote."""
        return self.completed_at + BLIND_PERIOD

    def is_open(self, now: datetime.datetime) -> bool:
        return now < self.reveal_at

    def reminder_due(self, day: int, now: datetime.datetime) -> bool:
        return self.completed_at + datetime.timedelta(days=day) <= now < self.reveal_at
