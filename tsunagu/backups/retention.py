"""Which backups to keep: the newest of each of the last N days, ISO weeks and months.

Framework-free, so the rule is tested on plain dates. A backup kept for any of the three reasons
is kept; the rest may be pruned.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Keep:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


def _newest_per_period(
    times: list[datetime.datetime], period: Callable[[datetime.datetime], Hashable], count: int
) -> set[datetime.datetime]:
    kept: set[datetime.datetime] = set()
    seen: set[Hashable] = set()
    for moment in times:  # newest first
        key = period(moment)
        if key in seen:
            continue
        if len(seen) == count:
            break
        seen.add(key)
        kept.add(moment)
    return kept


def to_keep(times: Iterable[datetime.datetime], keep: Keep) -> set[datetime.datetime]:
    """The moments (of ``times``) whose backups are kept."""
    ordered = sorted(set(times), reverse=True)
    return (
        _newest_per_period(ordered, lambda t: t.date(), keep.daily)
        | _newest_per_period(ordered, lambda t: t.isocalendar()[:2], keep.weekly)
        | _newest_per_period(ordered, lambda t: (t.year, t.month), keep.monthly)
    )
