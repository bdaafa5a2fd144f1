"""Time to first reply, with no Django in it.

In each conversation, a person's reply time is from the first message the other side sent to
the person's first message after it. A person's response time is the median over their
conversations; conversations they never answered are left out (they have no reply time yet).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence

Entry = tuple[int, dt.datetime]  # (sender id, sent at), in order


def first_reply_seconds(*, person: int, entries: Sequence[Entry]) -> float | None:
    """Seconds from the other side's first message to ``person``'s first reply, or None."""
    first_other = next((at for sender, at in entries if sender != person), None)
    if first_other is None:
        return None
    reply = next((at for sender, at in entries if sender == person and at >= first_other), None)
    if reply is None:
        return None
    return (reply - first_other).total_seconds()


def delays_by_person(
    conversations: Iterable[tuple[Iterable[int], Sequence[Entry]]],
) -> dict[int, list[float]]:
    """Every member's reply time in every conversation where they replied."""
    out: dict[int, list[float]] = {}
    for members, entries in conversations:
        for person in members:
            seconds = first_reply_seconds(person=person, entries=entries)
            if seconds is not None:
                out.setdefault(person, []).append(seconds)
    return out


def median_seconds(delays: Sequence[float]) -> int | None:
    return round(statistics.median(delays)) if delays else None
