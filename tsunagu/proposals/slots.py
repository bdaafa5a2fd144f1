"""Interview times inside the overlap of two people's working hours, with no Django in it.

Built on :mod:`tsunagu.profiles.timezones`: each person's shifts are real instants, so daylight
saving time and half-hour zones need no special case. Every time returned is an aware UTC
datetime on a half-hour boundary.
"""

from __future__ import annotations

import datetime as dt

from tsunagu.profiles.timezones import Schedule

STEP = dt.timedelta(minutes=30)
LEAD = dt.timedelta(hours=2)  # the earliest suggestion leaves time to see the request

Window = tuple[dt.datetime, dt.datetime]


def _ceil(instant: dt.datetime) -> dt.datetime:
    """``instant`` rounded up to the next half hour (UTC), seconds dropped."""
    instant = instant.astimezone(dt.UTC).replace(second=0, microsecond=0)
    extra = instant.minute % 30
    return instant if extra == 0 else instant + dt.timedelta(minutes=30 - extra)


def overlap_windows(
    a: Schedule, b: Schedule, *, start: dt.datetime, end: dt.datetime
) -> list[Window]:
    """When both people work during [start, end), merged and in order."""
    pieces = []
    for a_lo, a_hi in a.shifts_between(start, end):
        for b_lo, b_hi in b.shifts_between(start, end):
            lo, hi = max(a_lo, b_lo), min(a_hi, b_hi)
            if lo < hi:
                pieces.append((lo, hi))
    pieces.sort()
    merged: list[Window] = []
    for lo, hi in pieces:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def suggest(
    a: Schedule,
    b: Schedule,
    *,
    now: dt.datetime,
    duration: dt.timedelta,
    days: int = 14,
    per_window: int = 2,
    limit: int = 10,
) -> list[dt.datetime]:
    """Start times of ``duration`` inside both people's hours over the next ``days`` days: up to
    ``per_window`` in each shared stretch (the start of it, then one ``duration`` later), so the
    suggestions spread over several days."""
    start = _ceil(now + LEAD)
    windows = overlap_windows(a, b, start=start, end=start + dt.timedelta(days=days))
    found: list[dt.datetime] = []
    for lo, hi in windows:
        moment = _ceil(lo)
        taken = 0
        while moment + duration <= hi and taken < per_window:
            found.append(moment)
            taken += 1
            moment += duration
        if len(found) >= limit:
            break
    return found[:limit]


def inside_overlap(a: Schedule, b: Schedule, *, start: dt.datetime, duration: dt.timedelta) -> bool:
    """True when the whole meeting from ``start`` falls in time both people work."""
    end = start + duration
    return any(lo <= start and end <= hi for lo, hi in overlap_windows(a, b, start=start, end=end))
